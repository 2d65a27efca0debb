"""Races between two people (or two tabs) changing one nomination at the same moment.

Real threads, each with its own PostgreSQL connection. So that every race is a
race, and not two calls that happened to run one after the other, the test
first locks the nomination's row itself, starts both calls together (a
barrier), waits until PostgreSQL reports both of them waiting for that lock,
and only then lets go: both calls are inside their transactions before either
can finish. A service that forgot to lock, or that trusted what it read before
locking, ends these tests with two winners or lost text.
"""

from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ValidationError

from dz_awards.core.models import AuditEvent, OutboxEmail
from dz_awards.nominations import services
from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus, NominationState
from dz_awards.nominations.models import (
    DraftConflict,
    Evidence,
    Nomination,
    NominationMessage,
    NominationRevision,
)
from tests import factories
from tests.files import MINIMAL_PDF, pdf_upload
from tests.races import POSTGRES_ONLY, race, winners_and_losers

S = NominationState

pytestmark = POSTGRES_ONLY


def _actions(nomination):
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Nomination),
            object_id=str(nomination.pk),
        )
        .order_by("id")
        .values_list("action", "from_state", "to_state")
    )


@pytest.fixture
def colleague(agency):
    return factories.MembershipFactory(agency=agency).user


@pytest.fixture
def member_draft(agency, member):
    """A complete draft of `agency` that names `member` as its submitter."""
    return factories.NominationFactory(agency=agency, complete=True, submitter_email=member.email)


def test_submit_twice_at_once_stores_one_revision_and_sends_one_receipt(member_draft, member):
    """Two simultaneous submits of one draft: one revision and one receipt; the other is told."""
    outcomes = race(
        member_draft,
        lambda: services.nomination_submit(user=member, nomination=member_draft),
        lambda: services.nomination_submit(user=member, nomination=member_draft),
    )

    winners, losers = winners_and_losers(outcomes)
    assert len(winners) == 1
    assert isinstance(winners[0].value, NominationRevision)
    assert winners[0].value.number == 1
    assert len(losers) == 1
    assert type(losers[0].error) is services.NominationError
    assert str(losers[0].error) == "This nomination is already submitted: nothing more to do."
    member_draft.refresh_from_db()
    assert member_draft.state == S.SUBMITTED
    assert list(member_draft.revisions.values_list("number", flat=True)) == [1]
    assert OutboxEmail.objects.filter(key__startswith="nomination-receipt:").count() == 1
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([member.email], f"Received: {member_draft} (revision 1)")
    ]
    assert _actions(member_draft) == [("nomination_submitted", S.DRAFT, S.SUBMITTED)]


def test_save_draft_two_stale_autosaves_keep_one_saved_and_the_other_as_conflict(
    member_draft, member, colleague
):
    """Two saves from the same version: one is saved, the other kept whole as a conflict."""
    texts = {
        member: "Peers reach every officer within a day.",
        colleague: "A team of fourteen peers answers every call.",
    }
    outcomes = race(
        member_draft,
        *[
            lambda person=person: services.nomination_save_draft(
                user=person,
                nomination=member_draft,
                content={"summary": texts[person]},
                version=member_draft.version,
            )
            for person in (member, colleague)
        ],
    )

    assert all(o.error is None for o in outcomes), [o.error for o in outcomes]
    saved = [o.value for o in outcomes if o.value.saved]
    kept = [o.value for o in outcomes if not o.value.saved]
    assert len(saved) == 1
    assert len(kept) == 1
    member_draft.refresh_from_db()
    conflict = DraftConflict.objects.get()
    assert conflict == kept[0].conflict
    assert member_draft.version == 2
    assert conflict.base_version == 1
    assert conflict.resolved_at is None
    assert conflict.content == {"summary": texts[conflict.user]}
    loser = conflict.user
    winner = colleague if loser == member else member
    assert member_draft.summary == texts[winner]
    assert member_draft.updated_by == winner
    assert {member_draft.summary, conflict.content["summary"]} == set(texts.values())


def test_return_for_changes_racing_withdraw_ends_in_one_serial_order(agency, member):
    """Staff return and the agency withdraw at once: the result is one order or the other.

    Withdrawing is allowed from "returned" too, so the order decides: withdraw
    first and the return is refused; return first and the withdrawal follows
    it. Either way the audit trail is one unbroken chain of states.
    """
    staff = factories.StaffFactory()
    nomination = factories.submitted_nomination(agency=agency)
    message = "Add the 2024 figures."
    returning, withdrawing = race(
        nomination,
        lambda: services.nomination_return_for_changes(
            actor=staff, nomination=nomination, message=message
        ),
        lambda: services.nomination_withdraw(user=member, nomination=nomination),
    )

    nomination.refresh_from_db()
    assert withdrawing.error is None
    assert nomination.state == S.WITHDRAWN
    if returning.error is None:
        assert _actions(nomination) == [
            ("nomination_returned", S.SUBMITTED, S.RETURNED),
            ("nomination_withdrawn", S.RETURNED, S.WITHDRAWN),
        ]
        assert nomination.staff_message == message
        assert list(NominationMessage.objects.values_list("body", flat=True)) == [message]
    else:
        assert type(returning.error) is services.NominationError
        assert str(returning.error) == (
            "This nomination is now withdrawn; it can no longer be returned."
        )
        assert _actions(nomination) == [("nomination_withdrawn", S.SUBMITTED, S.WITHDRAWN)]
        assert nomination.staff_message == ""
        assert NominationMessage.objects.count() == 0


@pytest.mark.parametrize(
    ("first", "history"),
    [
        (
            "return",
            [
                ("nomination_returned", S.SUBMITTED, S.RETURNED),
                ("nomination_withdrawn", S.RETURNED, S.WITHDRAWN),
            ],
        ),
        ("withdraw", [("nomination_withdrawn", S.SUBMITTED, S.WITHDRAWN)]),
    ],
)
def test_return_for_changes_queued_with_withdraw_follows_the_lock_order(
    agency, member, first, history
):
    """Whichever of return and withdraw gets the lock first decides; the other sees its result."""
    staff = factories.StaffFactory()
    nomination = factories.submitted_nomination(agency=agency)
    calls = {
        "return": lambda: services.nomination_return_for_changes(
            actor=staff, nomination=nomination, message="Add the 2024 figures."
        ),
        "withdraw": lambda: services.nomination_withdraw(user=member, nomination=nomination),
    }
    second = "withdraw" if first == "return" else "return"
    outcomes = dict(
        zip(
            (first, second),
            race(nomination, calls[first], calls[second], in_order=True),
            strict=True,
        )
    )

    nomination.refresh_from_db()
    assert nomination.state == S.WITHDRAWN
    assert _actions(nomination) == history
    assert outcomes["withdraw"].error is None
    if first == "return":
        assert outcomes["return"].error is None
    else:
        assert type(outcomes["return"].error) is services.NominationError
        assert str(outcomes["return"].error) == (
            "This nomination is now withdrawn; it can no longer be returned."
        )


def test_withdraw_twice_at_once_withdraws_once(agency, member, colleague):
    """Two colleagues withdraw at once: one withdrawal is recorded; the other is told."""
    nomination = factories.submitted_nomination(agency=agency)
    outcomes = race(
        nomination,
        lambda: services.nomination_withdraw(user=member, nomination=nomination),
        lambda: services.nomination_withdraw(user=colleague, nomination=nomination),
    )

    winners, losers = winners_and_losers(outcomes)
    assert len(winners) == 1
    assert len(losers) == 1
    assert type(losers[0].error) is services.NominationError
    assert str(losers[0].error) == "This nomination is withdrawn and can no longer be withdrawn."
    nomination.refresh_from_db()
    assert nomination.state == S.WITHDRAWN
    assert _actions(nomination) == [("nomination_withdrawn", S.SUBMITTED, S.WITHDRAWN)]
    # One email to each of the two members, from the one withdrawal.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, colleague.email])


def test_evidence_add_two_uploads_at_once_cannot_exceed_the_quota(
    settings, member_draft, member, colleague
):
    """Two uploads that fit alone but not together: one is stored, the other refused."""
    size = len(MINIMAL_PDF)
    settings.EVIDENCE_QUOTA_BYTES = 2 * size - 1
    names = {member: "policy.pdf", colleague: "training.pdf"}
    outcomes = race(
        member_draft,
        *[
            lambda person=person: services.evidence_add(
                user=person,
                nomination=member_draft,
                upload=pdf_upload(names[person]),
                kind=EvidenceKind.DOCUMENT,
            )
            for person in (member, colleague)
        ],
    )

    winners, losers = winners_and_losers(outcomes)
    assert len(winners) == 1
    assert len(losers) == 1
    error = losers[0].error
    assert type(error) is ValidationError
    assert error.code == "over_quota"
    assert error.messages == [
        (
            f"This file is {size}\xa0bytes but only {size - 1}\xa0bytes of this nomination's "
            f"{2 * size - 1}\xa0bytes remain. Delete a file or upload a smaller one."
        )
    ]
    stored = Evidence.objects.get()
    assert stored == winners[0].value
    assert (stored.status, stored.size) == (EvidenceStatus.READY, size)
    assert stored.original_name == names[stored.uploaded_by]
    media = Path(settings.MEDIA_ROOT)
    # The winner's upload and the clean copy made of it; nothing of the refused one.
    assert sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()) == (
        sorted([stored.file.name, stored.clean_file.name])
    )
