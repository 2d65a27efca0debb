"""A cycle's own wording of its emails to agencies, as the nomination services send it.

The wording is filled in as text: what an agency or staff typed stays text (no
template syntax runs, no markup is escaped or added) and never reaches a header.
"""

import pytest
from django.core import mail
from django.template.loader import render_to_string

from dz_awards.core.models import OutboxEmail
from dz_awards.core.placeholders import fill
from dz_awards.core.services import site_url
from dz_awards.cycles.emails import DEFAULTS, EmailKind
from dz_awards.cycles.services import email_template_save
from dz_awards.nominations import services
from dz_awards.nominations.emails import moment_text, nomination_email_values, submission_copy
from dz_awards.nominations.enums import NominationState as S
from dz_awards.nominations.snapshots import readable_items, snapshot
from tests import factories

BODY = "Dear {recipient_name} of {agency_name}: {nomination_title} ({cycle_name}). {link}\n"


@pytest.fixture
def make(agency, cycle, category, owner):
    def build(state, **fields):
        nomination = factories.NominationFactory(
            agency=agency, cycle=cycle, category=category, complete=True, state=state, **fields
        )
        if state != S.DRAFT:
            factories.NominationRevisionFactory(
                nomination=nomination, number=1, content=snapshot(nomination)
            )
        return nomination

    return build


def _wording(staff, cycle, kind, *, subject, body=BODY):
    return email_template_save(actor=staff, cycle=cycle, kind=kind, subject=subject, body=body)


def _return(staff, nomination):
    services.nomination_return_for_changes(actor=staff, nomination=nomination, message="Add X.")


def _screen_out(staff, nomination):
    services.nomination_screen_out(actor=staff, nomination=nomination, reason="Too late.")


def _message(staff, nomination):
    services.message_post(user=staff, nomination=nomination, body="Call us.")


def _withdraw(owner, nomination):
    services.nomination_withdraw(user=owner, nomination=nomination, reason="")


CASES = [
    (EmailKind.RETURNED, S.SUBMITTED, _return, "{staff_message}", "Add X."),
    (EmailKind.INELIGIBLE, S.SUBMITTED, _screen_out, "{staff_message}", "Too late."),
    (EmailKind.MESSAGE, S.SUBMITTED, _message, "{message}", "Call us."),
    (EmailKind.WITHDRAWN, S.SUBMITTED, _withdraw, "{withdrawn_by}", "Olive Owner"),
]


@pytest.mark.parametrize(
    ("kind", "state", "act", "extra", "expected"), CASES, ids=[c[0].value for c in CASES]
)
def test_cycle_wording_replaces_the_default_for_each_member(  # noqa: PLR0917 fixtures
    kind,
    state,
    act,
    extra,
    expected,
    make,
    staff,
    owner,
    agency,
    cycle,
    django_capture_on_commit_callbacks,
):
    """Each member gets the cycle's wording with their own name and the nomination's data."""
    owner.full_name = "Olive Owner"
    owner.save(update_fields=["full_name"])
    member = factories.MembershipFactory(agency=agency, user__full_name="Max Member").user
    nomination = make(state, title="Bridge Program")
    _wording(staff, cycle, kind, subject="[{cycle_name}] {nomination_title}", body=BODY + extra)

    with django_capture_on_commit_callbacks(execute=True):
        act(owner if kind == EmailKind.WITHDRAWN else staff, nomination)

    link = site_url(nomination.get_absolute_url())
    sent = sorted((m.to[0], m.subject, m.body) for m in mail.outbox)
    assert sent == sorted(
        (
            person.email,
            f"[{cycle.name}] Bridge Program",
            f"Dear {name} of {agency.name}: Bridge Program ({cycle.name}). {link}\n{expected}",
        )
        for person, name in ((owner, "Olive Owner"), (member, "Max Member"))
    )


def test_receipt_in_the_cycle_wording_carries_the_copy(
    make, staff, owner, cycle, django_capture_on_commit_callbacks
):
    nomination = make(S.DRAFT, title="Bridge Program")
    _wording(
        staff,
        cycle,
        EmailKind.RECEIPT,
        subject="Got {nomination_title}, revision {revision_number}",
        body="Submitted {submitted_at}.\n{submission_copy}",
    )
    with django_capture_on_commit_callbacks(execute=True):
        revision = services.nomination_submit(user=owner, nomination=nomination)

    [email] = mail.outbox
    assert (email.to, email.subject) == ([owner.email], "Got Bridge Program, revision 1")
    copy = submission_copy(readable_items(revision.content))
    assert email.body == f"Submitted {moment_text(revision.created_at)}.\n{copy}"
    assert "== Program title ==\nBridge Program" in copy


def test_without_wording_the_default_file_is_sent(
    make, staff, owner, cycle, django_capture_on_commit_callbacks
):
    """Another cycle's wording changes nothing here: the default template is used."""
    _wording(staff, factories.CycleFactory(), EmailKind.RETURNED, subject="Other {cycle_name}")
    nomination = make(S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        _return(staff, nomination)
    [email] = mail.outbox
    assert email.subject == f"Changes requested: {nomination.title}"
    assert "Program staff have returned" in email.body


HOSTILE_TITLE = (
    'Safety\r\nBcc: victim@example.org\n<b onmouseover="x()">{{ user.email }}{% now "Y" %}{link}'
)


def test_user_data_stays_text_and_never_reaches_a_header(
    make, staff, owner, cycle, django_capture_on_commit_callbacks
):
    """A title with a header break, markup, template syntax and a placeholder name:
    the subject is one line, no Bcc is added, and the body holds the title as typed."""
    nomination = make(S.SUBMITTED, title=HOSTILE_TITLE)
    _wording(
        staff,
        cycle,
        EmailKind.RETURNED,
        subject="About {nomination_title}",
        body="{nomination_title}",
    )
    with django_capture_on_commit_callbacks(execute=True):
        _return(staff, nomination)

    [email] = mail.outbox
    flat = 'Safety Bcc: victim@example.org <b onmouseover="x()">{{ user.email }}{% now "Y" %}{link}'
    assert email.subject == f"About {flat}"
    assert email.body == HOSTILE_TITLE.strip()
    assert email.recipients() == [owner.email]
    headers = email.message()
    assert headers["Bcc"] is None
    assert "\n" not in headers["Subject"].replace("\n ", "")
    assert OutboxEmail.objects.get().body == HOSTILE_TITLE.strip()


DEFAULT_CASES = [
    (EmailKind.RETURNED, {"message": "Add X."}, {"staff_message": "Add X."}),
    (EmailKind.INELIGIBLE, {"message": "Too late."}, {"staff_message": "Too late."}),
    (EmailKind.OUTCOME_WINNER, {"outcome": "winner"}, {}),
    (EmailKind.OUTCOME_NOT_SELECTED, {"outcome": "not_selected"}, {}),
]


@pytest.mark.parametrize(
    ("kind", "context", "extra"), DEFAULT_CASES, ids=[c[0] for c in DEFAULT_CASES]
)
def test_the_editor_starts_from_the_default_wording(kind, context, extra, make, owner):
    """Filled in, the starting text staff edit is exactly the email the default file sends."""
    nomination = make(S.SUBMITTED)
    url = site_url(nomination.get_absolute_url())
    default = render_to_string(
        DEFAULTS[kind].template,
        {"user": owner, "nomination": nomination, "url": url, **context},
    )
    values = nomination_email_values(nomination, recipient=owner, extra=extra)
    starting = DEFAULTS[kind].starting_body()
    assert "{" in starting

    assert fill(starting, values) == default.rstrip("\n") + "\n"
