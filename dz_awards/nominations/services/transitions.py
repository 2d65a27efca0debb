"""The agency's and program staff's transitions: submit, resubmit, return for changes,
screen out and withdraw. (Review and decisions are the reviews app's, through
`nomination_lock` and `nomination_transition`.)

Each runs in one transaction: lock the row; check permission and state
(`nomination_transition`); change; save with `update_fields`; record the audit
event with the state it left; queue its emails through the outbox.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dz_awards.core.services import audit_record, outbox_enqueue, site_url
from dz_awards.cycles.emails import EmailKind
from dz_awards.nominations.emails import (
    cycle_wording,
    moment_text,
    submission_copy,
    wording_enqueue,
)
from dz_awards.nominations.models import Nomination, NominationMessage, NominationRevision
from dz_awards.nominations.services.common import (
    IncompleteNominationError,
    NominationError,
    nomination_email_agency,
    nomination_lock,
    nomination_transition,
)
from dz_awards.nominations.snapshots import readable_items, snapshot
from dz_awards.nominations.validation import submission_problems

if TYPE_CHECKING:
    from dz_awards.accounts.models import User


def _store_revision(nomination: Nomination, user: User) -> NominationRevision:
    number = (nomination.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    return NominationRevision.objects.create(
        nomination=nomination, number=number, content=snapshot(nomination), created_by=user
    )


def _send_receipt(nomination: Nomination, revision: NominationRevision, user: User) -> None:
    """The copy of a confidential submission goes to the verified account that submitted
    it, never to an address typed into the form (a typo there would leak it)."""
    key = f"nomination-receipt:{nomination.pk}:{revision.number}"
    submitted_at = moment_text(revision.created_at)
    copy = submission_copy(readable_items(revision.content))
    wording = cycle_wording(nomination, EmailKind.RECEIPT)
    if wording is not None:
        extra = {
            "revision_number": str(revision.number),
            "submitted_at": submitted_at,
            "submission_copy": copy,
        }
        wording_enqueue(wording, nomination, key=key, recipient=user, extra=extra)
        return
    outbox_enqueue(
        key=key,
        to=user.email,
        subject=f"Received: {nomination} (revision {revision.number})",
        template="nominations/email/receipt.txt",
        context={
            "name": user.full_name,
            "nomination": nomination,
            "revision": revision,
            "submitted_at": submitted_at,
            "copy": copy,
            "url": site_url(nomination.get_absolute_url()),
        },
    )


def _check_complete(nomination: Nomination) -> None:
    problems = submission_problems(nomination)
    if problems:
        raise IncompleteNominationError(problems)


@transaction.atomic
def nomination_submit(*, user: User, nomination: Nomination) -> NominationRevision:
    """Submit a draft: members only, while the cycle is open (server clock), when complete.

    Steps: lock; check permission and state; check the deadline and every
    required answer; transition draft → submitted; store revision 1 (or the next
    number); audit; email a receipt with a copy of what was submitted.
    """
    nomination = nomination_lock(nomination)
    from_state = nomination_transition(
        nomination,
        "submit",
        user,
        busy_message="This nomination is already {state}: nothing more to do.",
    )
    if not nomination.cycle.is_open():
        raise NominationError(
            f"The deadline for {nomination.cycle.name} has passed; this draft was not submitted."
        )
    _check_complete(nomination)
    return _submitted(nomination, user, from_state, action="nomination_submitted")


@transaction.atomic
def nomination_resubmit(*, user: User, nomination: Nomination) -> NominationRevision:
    """Send a returned nomination back to staff with the changes they asked for.

    Staff returned it for changes, so the cycle's deadline does not apply.
    """
    nomination = nomination_lock(nomination)
    from_state = nomination_transition(
        nomination,
        "resubmit",
        user,
        busy_message="This nomination is already {state}: nothing more to do.",
    )
    _check_complete(nomination)
    return _submitted(nomination, user, from_state, action="nomination_resubmitted")


def _submitted(
    nomination: Nomination, user: User, from_state: str, *, action: str
) -> NominationRevision:
    nomination.submitted_at = timezone.now()
    nomination.save(update_fields=["state", "submitted_at"])
    revision = _store_revision(nomination, user)
    audit_record(
        actor=user,
        obj=nomination,
        action=action,
        from_state=from_state,
        to_state=nomination.state,
        message=f"Revision {revision.number}",
    )
    _send_receipt(nomination, revision, user)
    return revision


def _staff_sends_back(
    actor: User,
    nomination: Nomination,
    method_name: str,
    text: str,
    *,
    missing: str,
    busy: str,
    notice: tuple[str, str, str, str],
) -> Nomination:
    """A staff transition that carries a message for the agency (return, screen out).

    Steps: require the message; lock; check permission and state; transition;
    keep the message on the nomination for the agency; audit; email the agency.
    `notice` is (action, email key prefix, subject prefix, email template).
    """
    text = (text or "").strip()
    if not text:
        raise ValidationError(missing)
    nomination = nomination_lock(nomination)
    from_state = nomination_transition(nomination, method_name, actor, busy_message=busy)
    nomination.staff_message = text
    nomination.save(update_fields=["state", "staff_message"])
    action, key, subject, template = notice
    event = audit_record(
        actor=actor,
        obj=nomination,
        action=action,
        from_state=from_state,
        to_state=nomination.state,
        message=text,
    )
    nomination_email_agency(
        nomination,
        key=f"{key}:{nomination.pk}:{event.pk}",
        subject=f"{subject}: {nomination}",
        template=template,
        context={"message": text},
        kind=EmailKind.RETURNED if method_name == "return_for_changes" else EmailKind.INELIGIBLE,
        values={"staff_message": text},
    )
    return nomination


@transaction.atomic
def nomination_return_for_changes(
    *, actor: User, nomination: Nomination, message: str
) -> Nomination:
    """Staff send a submission back to the agency with a message saying what to change.

    The message also starts (or continues) the nomination's conversation.
    """
    nomination = _staff_sends_back(
        actor,
        nomination,
        "return_for_changes",
        message,
        missing="Say what the agency should change.",
        busy="This nomination is now {state}; it can no longer be returned.",
        notice=(
            "nomination_returned",
            "nomination-returned",
            "Changes requested",
            "nominations/email/returned.txt",
        ),
    )
    NominationMessage.objects.create(
        nomination=nomination, author=actor, from_staff=True, body=nomination.staff_message
    )
    return nomination


@transaction.atomic
def nomination_screen_out(*, actor: User, nomination: Nomination, reason: str) -> Nomination:
    """Staff find a submission ineligible, with the reason the agency will read."""
    return _staff_sends_back(
        actor,
        nomination,
        "screen_out",
        reason,
        missing="Give the reason the nomination is ineligible.",
        busy="This nomination is now {state}; it can no longer be screened out.",
        notice=(
            "nomination_screened_out",
            "nomination-ineligible",
            "Not eligible",
            "nominations/email/ineligible.txt",
        ),
    )


@transaction.atomic
def nomination_withdraw(*, user: User, nomination: Nomination, reason: str = "") -> Nomination:
    """The agency takes its nomination out of the awards (until a decision is made)."""
    nomination = nomination_lock(nomination)
    from_state = nomination_transition(
        nomination,
        "withdraw",
        user,
        busy_message="This nomination is {state} and can no longer be withdrawn.",
    )
    nomination.save(update_fields=["state"])
    event = audit_record(
        actor=user,
        obj=nomination,
        action="nomination_withdrawn",
        from_state=from_state,
        to_state=nomination.state,
        message=(reason or "").strip(),
    )
    nomination_email_agency(
        nomination,
        key=f"nomination-withdrawn:{nomination.pk}:{event.pk}",
        subject=f"Withdrawn: {nomination}",
        template="nominations/email/withdrawn.txt",
        context={"actor": user},
        kind=EmailKind.WITHDRAWN,
        values={"withdrawn_by": user.full_name or user.email},
    )
    return nomination
