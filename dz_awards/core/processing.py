"""Background work of the kernel: delivering outbox emails.

`core.tasks` wraps this for the task queue; services queue the task. A send
that fails is recorded on its row (and logged), never lost.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from dz_awards.core.enums import OutboxStatus
from dz_awards.core.models import OutboxEmail

logger = logging.getLogger(__name__)


def retry_delay(attempts: int) -> timedelta:
    """Back-off after the n-th failed attempt: 1, 2, 4, 8 … minutes, at most an hour."""
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


def outbox_deliver(email_id: int) -> datetime | None:
    """Send one outbox email at most once; after a failure, return when to try again.

    The row is locked while it is sent, so two workers holding the same id
    cannot both send it, and a row already sent is skipped. A failure is
    recorded on the row and, until OUTBOX_MAX_ATTEMPTS, answered with the time
    of the next attempt (back-off); after the last the row is marked failed for
    staff to see. Returns None when there is nothing to retry.
    """
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != OutboxStatus.PENDING:
            return None
        email.attempts += 1
        try:
            EmailMessage(
                subject=email.subject,
                body=email.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[email.to],
                headers={"Auto-Submitted": "auto-generated"},
            ).send()
        except Exception as error:
            # Whatever the mail server or connection raised, the row records it and the
            # email is tried again later: the change it reports has already happened.
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                email.status = OutboxStatus.FAILED
                logger.exception("Outbox email %s failed for good", email.pk)
            else:
                logger.warning(
                    "Outbox email %s not sent (attempt %s)", email.pk, email.attempts, exc_info=True
                )
            email.save(update_fields=["attempts", "last_error", "status"])
            if email.status == OutboxStatus.PENDING:
                return timezone.now() + retry_delay(email.attempts)
            return None
        email.status = OutboxStatus.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        email.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return None
