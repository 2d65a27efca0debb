from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dz_awards.accounts.rules import is_program_staff
from dz_awards.cycles.models import Cycle
from dz_awards.recognition.services import certificates_issue_missing


class Command(BaseCommand):
    help = (
        "Issue the certificates and badges that decisions released before they existed left "
        "out: one for each finalist and winner without one (a finalist's certificate is moved "
        "up to winner when the nomination became the winner). Safe to run again: what exists "
        "is left as it is. The drawing is queued for the background worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="Only this cycle (default: every cycle).")
        parser.add_argument(
            "--actor",
            metavar="EMAIL",
            help="The program staff member recorded in the audit trail (default: none).",
        )

    def handle(self, *args, year=None, actor=None, **options):
        cycle = None
        if year is not None:
            cycle = Cycle.objects.filter(year=year).first()
            if cycle is None:
                msg = f"There is no cycle of {year}."
                raise CommandError(msg)
        user = None
        if actor:
            user = get_user_model().objects.filter(email__iexact=actor).first()
            if user is None or not is_program_staff(user):
                msg = f"{actor} is not a program staff member."
                raise CommandError(msg)
        issued = certificates_issue_missing(actor=user, cycle=cycle)
        for certificate in issued:
            self.stdout.write(
                f"{certificate.year} {certificate.get_award_display()}: {certificate.program} "
                f"({certificate.agency})"
            )
        self.stdout.write(self.style.SUCCESS(f"Issued or updated {len(issued)} certificate(s)."))
