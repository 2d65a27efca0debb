"""Background work of the core app: delivering outbox emails."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from dz_awards.core.enums import OutboxStatus
from dz_awards.core.models import OutboxEmail

logger = logging.getLogger(__name__)


def retry_delay(attempts):
    """Back-off after the n-th failed attempt: 1, 2, 4, 8 … minutes, at most an hour."""
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


@task
def deliver_outbox_email(email_id):
    """Send one outbox email at most once.

    The row is locked while it is sent, so two workers holding the same id
    cannot both send it, and a row already sent is skipped. A failure is
    recorded on the row and retried later with back-off, until
    OUTBOX_MAX_ATTEMPTS, after which the row is marked failed for staff to see.
    """
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != OutboxStatus.PENDING:
            return
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
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                email.status = OutboxStatus.FAILED
                logger.error("Outbox email %s failed for good: %s", email.pk, email.last_error)
            email.save(update_fields=["attempts", "last_error", "status"])
            if (
                email.status == OutboxStatus.PENDING
                and deliver_outbox_email.get_backend().supports_defer
            ):
                retry = deliver_outbox_email.using(
                    run_after=timezone.now() + retry_delay(email.attempts)
                )
                transaction.on_commit(lambda: retry.enqueue(email_id))
            # Backends that cannot defer leave the row pending for `manage.py outbox_retry`.
            return
        email.status = OutboxStatus.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        email.save(update_fields=["attempts", "status", "sent_at", "last_error"])
