"""The conversation between an agency and program staff about one nomination."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dz_awards.accounts.rules import is_program_staff
from dz_awards.accounts.selectors import program_staff
from dz_awards.core.rows import row_or_gone
from dz_awards.core.services import audit_record, outbox_enqueue_each, site_url
from dz_awards.cycles.emails import EmailKind
from dz_awards.nominations.models import Nomination, NominationMessage, ThreadRead
from dz_awards.nominations.services.common import nomination_email_agency, require_member

if TYPE_CHECKING:
    from dz_awards.accounts.models import User


@transaction.atomic
def message_post(*, user: User, nomination: Nomination, body: str) -> NominationMessage:
    """A message from the agency to staff or back; the other side gets an email."""
    body = (body or "").strip()
    if not body:
        raise ValidationError("Write a message first.")
    nomination = row_or_gone(Nomination.objects.select_related("agency"), pk=nomination.pk)
    from_staff = is_program_staff(user)
    if not from_staff:
        require_member(user, nomination)
        if nomination.submitted_at is None:
            # Staff cannot open a nomination before its first submission.
            raise ValidationError(
                "You can write to program staff here once the nomination is submitted. "
                "Until then, write to the awards team by email."
            )
    message = NominationMessage.objects.create(
        nomination=nomination, author=user, from_staff=from_staff, body=body
    )
    audit_record(actor=user, obj=nomination, action="message_posted")
    if from_staff:
        nomination_email_agency(
            nomination,
            key=f"nomination-message:{message.pk}",
            subject=f"New message about {nomination}",
            template="nominations/email/message.txt",
            context={"message": message},
            kind=EmailKind.MESSAGE,
            values={"message": message.body},
        )
    else:
        outbox_enqueue_each(
            program_staff(),
            key=f"nomination-message:{message.pk}",
            subject=f"New message from {nomination.agency.name}",
            template="nominations/email/message.txt",
            context={
                "message": message,
                "nomination": nomination,
                "url": site_url(reverse("staff:nomination-detail", kwargs={"pk": nomination.pk})),
            },
        )
    return message


@transaction.atomic
def thread_mark_read(*, user: User, nomination: Nomination, up_to: int) -> None:
    """`user` has read the nomination's messages up to the message `up_to` (an id).

    Called when the page showing the thread is drawn, with the newest message it
    shows, so a message written meanwhile stays unread. The mark only moves
    forward (two tabs drawn in any order leave the newer one), and it is a
    person's own reading state, not a change to the nomination: not audited.
    """
    now = timezone.now()
    moved = ThreadRead.objects.filter(
        nomination=nomination, user=user, last_read_message_id__lt=up_to
    ).update(last_read_message_id=up_to, read_at=now)
    if not moved:
        ThreadRead.objects.get_or_create(
            nomination=nomination,
            user=user,
            defaults={"last_read_message_id": up_to, "read_at": now},
        )
