"""Remind reviewers of pending assignments; run daily (for example from cron).

Reminds every reviewer with assignments still to accept or submit in a cycle
whose review is under way: a phase in which reviews can be written ends within
`--days` days, or has ended with reviews still missing. At most one reminder
per reviewer per cycle per day, however often it runs.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from dz_awards.cycles.models import Cycle
from reviews import services


class Command(BaseCommand):
    help = "Email reviewers who have assignments to accept or reviews to submit."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=3, help="Remind when reviews are due within this many days."
        )

    def handle(self, *args, days, **options):
        now = timezone.now()
        cycles = Cycle.objects.filter(
            Q(phases__reviews_open=True, phases__starts_at__lte=now),
            Q(phases__ends_at__lte=now + timedelta(days=days)),
        ).distinct()
        total = 0
        for cycle in cycles.order_by("year"):
            reminded = services.reviewers_remind(actor=None, cycle=cycle, moment=now)
            total += len(reminded)
            self.stdout.write(f"{cycle.name}: reminded {len(reminded)} reviewer(s).")
        self.stdout.write(self.style.SUCCESS(f"Reminded {total} reviewer(s) in all."))
