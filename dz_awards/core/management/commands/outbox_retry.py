from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from dz_awards.core.enums import OutboxStatus
from dz_awards.core.models import OutboxEmail
from dz_awards.core.tasks import deliver_outbox_email


class Command(BaseCommand):
    help = (
        "Hand pending outbox emails older than --minutes back to the worker "
        "(for a worker that was down when they were queued). Safe to run often."
    )

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=10)

    def handle(self, *args, minutes, **options):
        cutoff = timezone.now() - timedelta(minutes=minutes)
        ids = list(
            OutboxEmail.objects.filter(
                status=OutboxStatus.PENDING, created_at__lt=cutoff
            ).values_list("pk", flat=True)
        )
        for email_id in ids:
            deliver_outbox_email.enqueue(email_id)
        self.stdout.write(f"Re-queued {len(ids)} pending email(s).")
