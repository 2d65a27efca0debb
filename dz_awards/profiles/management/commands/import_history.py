import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dz_awards.accounts.rules import is_program_staff
from dz_awards.profiles.history import HistoryError, import_history


class Command(BaseCommand):
    help = (
        "Import past recognised programs from a CSV file as published profiles. "
        "Every row is checked first: if any has a problem, each is listed with its line "
        "number and nothing is written. Rows already imported (same year, agency and "
        "title) are left as they are. The columns are described in "
        "dz_awards/profiles/history.py."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file (UTF-8), or - for standard input.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and say what would be imported; write nothing.",
        )
        parser.add_argument(
            "--actor",
            metavar="EMAIL",
            help="The program staff member recorded in the audit trail (default: none).",
        )

    def handle(self, *args, path, dry_run=False, actor=None, **options):
        data = self._read(path)
        user = self._actor(actor)
        try:
            report = import_history(data, actor=user, dry_run=dry_run)
        except HistoryError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            count = len({problem.line for problem in error.problems})
            msg = f"Nothing was imported: {count} line(s) have problems (listed above)."
            raise CommandError(msg) from None
        if dry_run:
            for row, _profile in report.created:
                self.stdout.write(f"line {row.line}: would import “{row.title}” ({row.year})")
            for row, profile in report.existing:
                self.stdout.write(f"line {row.line}: already there: /programs/{profile.slug}/")
            self.stdout.write(
                f"Dry run: {len(report.created)} program(s) would be imported, "
                f"{len(report.existing)} already there. Nothing was written."
            )
            return
        for row, profile in report.created:
            self.stdout.write(f"line {row.line}: imported /programs/{profile.slug}/")
        for row, profile in report.existing:
            self.stdout.write(f"line {row.line}: already there: /programs/{profile.slug}/")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {len(report.created)} program(s); "
                f"{len(report.existing)} were already there. "
                "The background worker renders their PDF summaries."
            )
        )

    def _read(self, path):
        if path == "-":
            return sys.stdin.buffer.read()
        try:
            return Path(path).read_bytes()
        except OSError as error:
            msg = f"Cannot read {path}: {error.strerror or error}"
            raise CommandError(msg) from None

    def _actor(self, email):
        if not email:
            return None
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None or not is_program_staff(user):
            msg = f"{email} is not an active program staff account."
            raise CommandError(msg)
        return user
