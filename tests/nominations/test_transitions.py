"""The transition services: who may move a nomination, from which states, and what follows."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from dz_awards.agencies.enums import MembershipStatus
from dz_awards.core.models import AuditEvent, OutboxEmail
from dz_awards.nominations import services
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination, NominationMessage, NominationRevision
from dz_awards.nominations.snapshots import snapshot
from tests import factories

S = NominationState
ALL_STATES = list(NominationState)
# Written out here rather than read from enums.py, so a change to the lifecycle fails a test.
WITHDRAWABLE = [S.DRAFT, S.SUBMITTED, S.RETURNED, S.IN_REVIEW]
SUBMITTER_EMAIL = "alex.kim@example.org"  # from factories.complete_nomination_content


def _other_states(*allowed):
    return [state for state in ALL_STATES if state not in allowed]


@pytest.fixture
def make(agency, cycle, category):
    """A complete nomination of `agency` in the given state; revision 1 unless a draft."""

    def build(state):
        nomination = factories.NominationFactory(
            agency=agency, cycle=cycle, category=category, complete=True, state=state
        )
        if state != S.DRAFT:
            factories.NominationRevisionFactory(
                nomination=nomination, number=1, content=snapshot(nomination)
            )
        return nomination

    return build


def _state(nomination):
    return Nomination.objects.values_list("state", flat=True).get(pk=nomination.pk)


def _events(nomination):
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Nomination),
            object_id=str(nomination.pk),
        ).order_by("id")
    )


def _event_rows(nomination):
    return [
        (e.action, e.from_state, e.to_state, e.actor_id, e.message) for e in _events(nomination)
    ]


def _revision_numbers(nomination):
    return list(
        NominationRevision.objects.filter(nomination=nomination)
        .order_by("number")
        .values_list("number", flat=True)
    )


def _sent():
    return sorted((m.to[0], m.subject) for m in mail.outbox)


# Submit ---------------------------------------------------------------------------


def test_submit_draft_becomes_submitted_with_revision_audit_and_receipts(
    make, member, django_capture_on_commit_callbacks
):
    """Submitting stores revision 1, records draft → submitted and emails the submitter's account.

    Only the verified account gets the confidential copy, not the address typed in the form.
    """
    nomination = make(S.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        revision = services.nomination_submit(user=member, nomination=nomination)

    assert _state(nomination) == S.SUBMITTED
    assert Nomination.objects.get(pk=nomination.pk).submitted_at is not None
    assert revision.number == 1
    assert revision.content == snapshot(Nomination.objects.get(pk=nomination.pk))
    assert revision.created_by == member
    assert _event_rows(nomination) == [
        ("nomination_submitted", S.DRAFT, S.SUBMITTED, member.pk, "Revision 1")
    ]
    subject = f"Received: {nomination.title} (revision 1)"
    assert _sent() == [(member.email, subject)]
    assert member.email != SUBMITTER_EMAIL


def test_submit_receipts_wait_in_the_outbox_until_commit(
    make, member, django_capture_on_commit_callbacks
):
    """Receipts are queued in the outbox inside the transaction and sent only after commit."""
    nomination = make(S.DRAFT)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.nomination_submit(user=member, nomination=nomination)
    assert mail.outbox == []
    assert list(OutboxEmail.objects.values_list("to", flat=True)) == [member.email]
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("state", _other_states(S.DRAFT))
def test_submit_outside_draft_is_refused_and_state_kept(state, make, member):
    """Submit from any state but draft raises NominationError and changes nothing."""
    nomination = make(state)
    with pytest.raises(services.NominationError) as error:
        services.nomination_submit(user=member, nomination=nomination)

    assert str(error.value) == (
        f"This nomination is already {state.label.lower()}: nothing more to do."
    )
    assert _state(nomination) == state
    assert _revision_numbers(nomination) == [1]
    assert _events(nomination) == []
    assert OutboxEmail.objects.count() == 0


@pytest.mark.parametrize("state", ALL_STATES)
def test_submit_by_non_member_is_denied_in_every_state(state, make, user):
    """Someone outside the agency gets PermissionDenied whatever the state, and nothing moves."""
    nomination = make(state)
    with pytest.raises(PermissionDenied):
        services.nomination_submit(user=user, nomination=nomination)
    assert _state(nomination) == state
    assert _events(nomination) == []


def test_submit_by_staff_outside_the_agency_is_denied(make, staff):
    """Program staff cannot submit an agency's draft."""
    nomination = make(S.DRAFT)
    with pytest.raises(PermissionDenied):
        services.nomination_submit(user=staff, nomination=nomination)
    assert _state(nomination) == S.DRAFT
    assert _revision_numbers(nomination) == []


def test_submit_by_staff_who_is_also_a_member_succeeds(make, agency, staff):
    """A staff account that is an approved member of the agency may submit for it."""
    factories.MembershipFactory(agency=agency, user=staff)
    nomination = make(S.DRAFT)
    revision = services.nomination_submit(user=staff, nomination=nomination)
    assert revision.number == 1
    assert _state(nomination) == S.SUBMITTED


@pytest.mark.parametrize(
    "membership",
    [
        {"status": MembershipStatus.PENDING},
        {"status": MembershipStatus.DECLINED},
        {"user__is_active": False},
    ],
    ids=["pending", "declined", "deactivated"],
)
def test_submit_by_unapproved_or_inactive_member_is_denied(membership, make, agency):
    """Only an approved, active member acts for the agency."""
    person = factories.MembershipFactory(agency=agency, **membership).user
    nomination = make(S.DRAFT)
    with pytest.raises(PermissionDenied):
        services.nomination_submit(user=person, nomination=nomination)
    assert _state(nomination) == S.DRAFT


def test_submit_by_member_of_another_agency_is_denied(make):
    """Membership of a different agency gives no right to submit."""
    outsider = factories.MembershipFactory().user
    nomination = make(S.DRAFT)
    with pytest.raises(PermissionDenied):
        services.nomination_submit(user=outsider, nomination=nomination)
    assert _state(nomination) == S.DRAFT


def test_submit_incomplete_draft_is_refused_with_problems(make, member):
    """An incomplete draft stays a draft, and the error lists what is missing."""
    nomination = make(S.DRAFT)
    Nomination.objects.filter(pk=nomination.pk).update(summary="")
    with pytest.raises(services.IncompleteNominationError) as error:
        services.nomination_submit(user=member, nomination=nomination)
    assert [p.anchor for p in error.value.problems] == ["id_summary"]
    assert _state(nomination) == S.DRAFT
    assert _revision_numbers(nomination) == []
    assert _events(nomination) == []


def test_submit_twice_gives_one_revision_and_one_receipt_each(
    make, member, django_capture_on_commit_callbacks
):
    """A second submit (double click) fails cleanly: still one revision and one receipt."""
    nomination = make(S.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_submit(user=member, nomination=nomination)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(services.NominationError) as error,
    ):
        services.nomination_submit(user=member, nomination=nomination)

    assert str(error.value) == "This nomination is already submitted: nothing more to do."
    assert callbacks == []
    assert _revision_numbers(nomination) == [1]
    subject = f"Received: {nomination.title} (revision 1)"
    assert _sent() == [(member.email, subject)]
    assert member.email != SUBMITTER_EMAIL
    assert [e.action for e in _events(nomination)] == ["nomination_submitted"]


def test_submit_with_stale_copy_fails_cleanly(make, member, owner):
    """A copy loaded before a colleague submitted is re-read under lock and refused."""
    nomination = make(S.DRAFT)
    stale = Nomination.objects.get(pk=nomination.pk)
    services.nomination_submit(user=owner, nomination=nomination)

    assert stale.state == S.DRAFT
    with pytest.raises(services.NominationError) as error:
        services.nomination_submit(user=member, nomination=stale)
    assert str(error.value) == "This nomination is already submitted: nothing more to do."
    assert _state(nomination) == S.SUBMITTED
    assert _revision_numbers(nomination) == [1]


# Resubmit -------------------------------------------------------------------------


def test_resubmit_returned_nomination_gives_revision_two_and_new_receipt(
    agency, member, staff, django_capture_on_commit_callbacks
):
    """Returned → resubmitted stores revision 2, records returned → submitted, and re-emails."""
    nomination = factories.submitted_nomination(agency=agency)
    services.nomination_return_for_changes(
        actor=staff, nomination=nomination, message="Add the 2024 figures."
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        revision = services.nomination_resubmit(user=member, nomination=nomination)

    assert revision.number == 2
    assert _revision_numbers(nomination) == [1, 2]
    assert _state(nomination) == S.SUBMITTED
    assert _event_rows(nomination)[-1] == (
        "nomination_resubmitted",
        S.RETURNED,
        S.SUBMITTED,
        member.pk,
        "Revision 2",
    )
    subject = f"Received: {nomination.title} (revision 2)"
    assert _sent() == [(member.email, subject)]
    assert member.email != SUBMITTER_EMAIL


@pytest.mark.parametrize("state", _other_states(S.RETURNED))
def test_resubmit_outside_returned_is_refused_and_state_kept(state, make, member):
    """Resubmit from any state but returned raises NominationError and changes nothing."""
    nomination = make(state)
    with pytest.raises(services.NominationError) as error:
        services.nomination_resubmit(user=member, nomination=nomination)
    assert str(error.value) == (
        f"This nomination is already {state.label.lower()}: nothing more to do."
    )
    assert _state(nomination) == state
    assert _events(nomination) == []


def test_resubmit_by_staff_is_denied(make, staff):
    """Staff cannot resubmit on the agency's behalf."""
    nomination = make(S.RETURNED)
    with pytest.raises(PermissionDenied):
        services.nomination_resubmit(user=staff, nomination=nomination)
    assert _state(nomination) == S.RETURNED
    assert _revision_numbers(nomination) == [1]


def test_resubmit_with_stale_copy_after_withdrawal_fails_cleanly(make, member, owner):
    """A copy loaded before a colleague withdrew cannot be resubmitted."""
    nomination = make(S.RETURNED)
    stale = Nomination.objects.get(pk=nomination.pk)
    services.nomination_withdraw(user=owner, nomination=nomination)
    with pytest.raises(services.NominationError) as error:
        services.nomination_resubmit(user=member, nomination=stale)
    assert str(error.value) == "This nomination is already withdrawn: nothing more to do."
    assert _state(nomination) == S.WITHDRAWN
    assert _revision_numbers(nomination) == [1]


# Return for changes ---------------------------------------------------------------


def test_return_for_changes_sends_message_to_agency(
    make, member, owner, staff, django_capture_on_commit_callbacks
):
    """Staff return a submission: state, staff message, conversation entry, audit and emails."""
    nomination = make(S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_return_for_changes(
            actor=staff, nomination=nomination, message="  Add the 2024 figures.  "
        )

    saved = Nomination.objects.get(pk=nomination.pk)
    assert saved.state == S.RETURNED
    assert saved.staff_message == "Add the 2024 figures."
    assert list(NominationMessage.objects.values_list("from_staff", "author", "body")) == [
        (True, staff.pk, "Add the 2024 figures.")
    ]
    assert _event_rows(nomination) == [
        ("nomination_returned", S.SUBMITTED, S.RETURNED, staff.pk, "Add the 2024 figures.")
    ]
    subject = f"Changes requested: {nomination.title}"
    assert _sent() == sorted([(member.email, subject), (owner.email, subject)])
    assert all("Add the 2024 figures." in m.body for m in mail.outbox)


@pytest.mark.parametrize("state", _other_states(S.SUBMITTED))
def test_return_for_changes_outside_submitted_is_refused(state, make, staff):
    """Only a submitted nomination can be returned; anything else raises and stays put."""
    nomination = make(state)
    with pytest.raises(services.NominationError) as error:
        services.nomination_return_for_changes(
            actor=staff, nomination=nomination, message="Please change it."
        )
    assert str(error.value) == (
        f"This nomination is now {state.label.lower()}; it can no longer be returned."
    )
    assert _state(nomination) == state
    assert NominationMessage.objects.count() == 0
    assert _events(nomination) == []


@pytest.mark.parametrize("role", ["member", "owner", "user"])
def test_return_for_changes_by_non_staff_is_denied(role, request, make):
    """Agency members (owners included) and other users cannot return a nomination."""
    person = request.getfixturevalue(role)
    nomination = make(S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.nomination_return_for_changes(
            actor=person, nomination=nomination, message="Please change it."
        )
    assert _state(nomination) == S.SUBMITTED
    assert NominationMessage.objects.count() == 0


def test_return_for_changes_by_deactivated_staff_is_denied(make):
    """A deactivated staff account has no staff rights."""
    former = factories.StaffFactory(is_active=False)
    nomination = make(S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.nomination_return_for_changes(
            actor=former, nomination=nomination, message="Please change it."
        )
    assert _state(nomination) == S.SUBMITTED


@pytest.mark.parametrize("message", ["", "   \n\t ", None])
def test_return_for_changes_without_message_is_refused(message, make, staff):
    """Returning needs a message saying what to change; blank raises ValidationError."""
    nomination = make(S.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        services.nomination_return_for_changes(actor=staff, nomination=nomination, message=message)
    assert error.value.messages == ["Say what the agency should change."]
    assert _state(nomination) == S.SUBMITTED
    assert NominationMessage.objects.count() == 0
    assert _events(nomination) == []


def test_return_for_changes_with_stale_copy_after_withdrawal_fails_cleanly(make, member, staff):
    """Staff holding a copy loaded before the agency withdrew see why it cannot be returned."""
    nomination = make(S.SUBMITTED)
    stale = Nomination.objects.get(pk=nomination.pk)
    services.nomination_withdraw(user=member, nomination=nomination)
    with pytest.raises(services.NominationError) as error:
        services.nomination_return_for_changes(
            actor=staff, nomination=stale, message="Please change it."
        )
    assert str(error.value) == "This nomination is now withdrawn; it can no longer be returned."
    assert _state(nomination) == S.WITHDRAWN
    assert Nomination.objects.get(pk=nomination.pk).staff_message == ""


# Screen out -----------------------------------------------------------------------


def test_screen_out_marks_ineligible_with_reason(
    make, member, staff, django_capture_on_commit_callbacks
):
    """Staff screen out a submission: ineligible, reason stored, audited and emailed."""
    nomination = make(S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_screen_out(
            actor=staff, nomination=nomination, reason="The program started last month."
        )

    saved = Nomination.objects.get(pk=nomination.pk)
    assert saved.state == S.INELIGIBLE
    assert saved.staff_message == "The program started last month."
    assert _event_rows(nomination) == [
        (
            "nomination_screened_out",
            S.SUBMITTED,
            S.INELIGIBLE,
            staff.pk,
            "The program started last month.",
        )
    ]
    assert _sent() == [(member.email, f"Not eligible: {nomination.title}")]
    assert "The program started last month." in mail.outbox[0].body


@pytest.mark.parametrize("state", _other_states(S.SUBMITTED))
def test_screen_out_outside_submitted_is_refused(state, make, staff):
    """Only a submitted nomination can be screened out; anything else raises and stays put."""
    nomination = make(state)
    with pytest.raises(services.NominationError) as error:
        services.nomination_screen_out(actor=staff, nomination=nomination, reason="Too new.")
    assert str(error.value) == (
        f"This nomination is now {state.label.lower()}; it can no longer be screened out."
    )
    assert _state(nomination) == state
    assert _events(nomination) == []


@pytest.mark.parametrize("role", ["member", "owner", "user"])
def test_screen_out_by_non_staff_is_denied(role, request, make):
    """Agency members (owners included) and other users cannot screen a nomination out."""
    person = request.getfixturevalue(role)
    nomination = make(S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.nomination_screen_out(actor=person, nomination=nomination, reason="Too new.")
    assert _state(nomination) == S.SUBMITTED
    assert Nomination.objects.get(pk=nomination.pk).staff_message == ""


@pytest.mark.parametrize("reason", ["", "  ", None])
def test_screen_out_without_reason_is_refused(reason, make, staff):
    """Screening out needs the reason the agency will read; blank raises ValidationError."""
    nomination = make(S.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        services.nomination_screen_out(actor=staff, nomination=nomination, reason=reason)
    assert error.value.messages == ["Give the reason the nomination is ineligible."]
    assert _state(nomination) == S.SUBMITTED
    assert _events(nomination) == []


def test_screen_out_with_stale_copy_after_return_fails_cleanly(make, staff):
    """A second staff member's stale copy cannot screen out what a colleague returned."""
    colleague = factories.StaffFactory()
    nomination = make(S.SUBMITTED)
    stale = Nomination.objects.get(pk=nomination.pk)
    services.nomination_return_for_changes(
        actor=colleague, nomination=nomination, message="Add figures."
    )
    with pytest.raises(services.NominationError) as error:
        services.nomination_screen_out(actor=staff, nomination=stale, reason="Too new.")
    assert str(error.value) == (
        "This nomination is now returned for changes; it can no longer be screened out."
    )
    saved = Nomination.objects.get(pk=nomination.pk)
    assert (saved.state, saved.staff_message) == (S.RETURNED, "Add figures.")


# Withdraw -------------------------------------------------------------------------


@pytest.mark.parametrize("state", WITHDRAWABLE)
def test_withdraw_before_a_decision_succeeds(
    state, make, member, owner, django_capture_on_commit_callbacks
):
    """Until a decision, the agency can withdraw: audited with the reason, colleagues emailed."""
    nomination = make(state)
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_withdraw(user=member, nomination=nomination, reason=" Chief retired. ")

    assert _state(nomination) == S.WITHDRAWN
    assert _event_rows(nomination) == [
        ("nomination_withdrawn", state, S.WITHDRAWN, member.pk, "Chief retired.")
    ]
    subject = f"Withdrawn: {nomination.title}"
    assert _sent() == sorted([(member.email, subject), (owner.email, subject)])


@pytest.mark.parametrize("state", _other_states(*WITHDRAWABLE))
def test_withdraw_after_a_decision_is_refused(state, make, member):
    """Once reviewed, decided, withdrawn or ineligible, withdrawal raises and nothing moves."""
    nomination = make(state)
    with pytest.raises(services.NominationError) as error:
        services.nomination_withdraw(user=member, nomination=nomination)
    assert str(error.value) == (
        f"This nomination is {state.label.lower()} and can no longer be withdrawn."
    )
    assert _state(nomination) == state
    assert _events(nomination) == []


@pytest.mark.parametrize("state", ALL_STATES)
def test_withdraw_by_staff_outside_the_agency_is_denied(state, make, staff):
    """Staff cannot withdraw an agency's nomination, in any state."""
    nomination = make(state)
    with pytest.raises(PermissionDenied):
        services.nomination_withdraw(user=staff, nomination=nomination)
    assert _state(nomination) == state
    assert _events(nomination) == []


def test_withdraw_by_staff_who_is_also_a_member_succeeds(make, agency, staff):
    """A staff account that is an approved member of the agency may withdraw for it."""
    factories.MembershipFactory(agency=agency, user=staff)
    nomination = make(S.SUBMITTED)
    services.nomination_withdraw(user=staff, nomination=nomination)
    assert _state(nomination) == S.WITHDRAWN


def test_withdraw_by_non_member_is_denied(make, user):
    """A signed-in user outside the agency cannot withdraw its nomination."""
    nomination = make(S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.nomination_withdraw(user=user, nomination=nomination)
    assert _state(nomination) == S.SUBMITTED


def test_withdraw_with_stale_copy_after_screen_out_fails_cleanly(make, member, staff):
    """The agency's copy loaded before staff screened it out cannot withdraw it."""
    nomination = make(S.SUBMITTED)
    stale = Nomination.objects.get(pk=nomination.pk)
    services.nomination_screen_out(actor=staff, nomination=nomination, reason="Too new.")
    with pytest.raises(services.NominationError) as error:
        services.nomination_withdraw(user=member, nomination=stale)
    assert str(error.value) == "This nomination is ineligible and can no longer be withdrawn."
    assert _state(nomination) == S.INELIGIBLE
    assert [e.action for e in _events(nomination)] == ["nomination_screened_out"]
