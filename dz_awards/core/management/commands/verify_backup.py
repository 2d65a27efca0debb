"""`manage.py verify_backup FOLDER`: prove that the database and storage hold what a backup holds.

First re-hashes the backup folder itself (the database copy and every file)
against its manifest, so a damaged backup is found; `--backup-only` stops
there (after copying a backup to or from its store). Then recounts every
table's rows in the database and re-reads and hashes every file from the
storage, and compares them with the manifest: exit status 1 and every
difference listed when they differ. Run it right after a restore, before the
site takes traffic (a live site changes its counts).
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from dz_awards.core.backup import BackupError, DatabaseSettings, check_folder, verify


def _report(command: BaseCommand, check: Callable[[], list[str]], differs: str) -> None:
    """Run `check`; list what it found and fail (exit status 1), else say nothing."""
    try:
        problems = check()
    except BackupError as error:
        raise CommandError(str(error)) from error
    if problems:
        for problem in problems:
            command.stderr.write(problem)
        raise CommandError(f"{differs}: {len(problems)} difference(s), listed above.")


def report_verification(command: BaseCommand, folder: Path, database: DatabaseSettings) -> None:
    """Print what matches, or list the differences and fail (exit status 1)."""
    storage = storages["default"]
    _report(
        command,
        lambda: verify(folder, database=database, storage=storage),
        "The restore differs from the backup",
    )
    command.stdout.write(
        "Verified: every table's row count and every file's SHA-256 match the backup."
    )


class Command(BaseCommand):
    help = (
        "Compare the database's row counts and the stored files' SHA-256 with a backup's "
        "manifest; exit 1 and list the differences when they differ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="A folder written by `manage.py backup`.")
        parser.add_argument("--database", default="default", help="The database alias.")
        parser.add_argument(
            "--backup-only",
            action="store_true",
            help="Check only the backup folder against its manifest (after copying it).",
        )

    def handle(
        self, *args: Any, folder: Path, database: str, backup_only: bool, **options: Any
    ) -> None:
        _report(self, lambda: check_folder(folder), "The backup folder differs from its manifest")
        if backup_only:
            self.stdout.write("The backup folder matches its manifest.")
            return
        report_verification(self, folder, connections[database].settings_dict)
