"""Emails the demo's past would have sent already."""

from contextlib import contextmanager

from django.db.models import Max
from django.utils import timezone

from dz_awards.core.enums import OutboxStatus
from dz_awards.core.models import OutboxEmail


@contextmanager
def emails_already_sent():
    """Mark the emails the services queue inside this block as sent, when it ends.

    They report what happened in the demo's past (accounts registered,
    agencies verified, last year's review, proofs sent): the worker is not to
    print them all when the demo starts. No service marks an email sent
    without sending it, so the demo updates the rows itself; they stay in the
    outbox for staff to read.
    """
    last = OutboxEmail.objects.aggregate(last=Max("id"))["last"] or 0
    yield
    OutboxEmail.objects.filter(id__gt=last, status=OutboxStatus.PENDING).update(
        status=OutboxStatus.SENT, sent_at=timezone.now()
    )
