"""`manage.py restore FOLDER [--verify]`: a backup into an empty database and an empty storage.

The database (DATABASE_URL) must exist and hold no tables: do not run `migrate`
on it first. With `--verify` the restore is then checked as `verify_backup` does.
"""

from pathlib import Path
from typing import Any

from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from dz_awards.core.backup import BackupError, restore_backup
from dz_awards.core.management.commands.verify_backup import report_verification


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into an empty database and an empty storage; "
        "--verify then recounts the rows and re-hashes the files against its manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="A folder written by `manage.py backup`.")
        parser.add_argument("--database", default="default", help="The database alias.")
        parser.add_argument(
            "--verify", action="store_true", help="Check the restore against the manifest."
        )

    def handle(self, *args: Any, folder: Path, database: str, verify: bool, **options: Any) -> None:
        connection = connections[database]
        # The restore writes through connections of its own; Django's must not hold the
        # database (SQLite) or a stale view of its tables.
        connection.close()
        try:
            manifest = restore_backup(
                folder, database=connection.settings_dict, storage=storages["default"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {len(manifest['database']['tables'])} tables and "
            f"{len(manifest['files'])} files from {folder}."
        )
        if verify:
            report_verification(self, folder, connection.settings_dict)
