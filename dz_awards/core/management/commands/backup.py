"""`manage.py backup FOLDER`: the database and every stored file, with a manifest to check them by.

See `dz_awards.core.backup` for what the folder holds; README "Backup and restore".
"""

from pathlib import Path
from typing import Any

from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from dz_awards.core.backup import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Back up the database and every stored file into a new folder, with a manifest of "
        "row counts and SHA-256 checksums that `restore --verify` and `verify_backup` check."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="A new (or empty) folder for the backup.")
        parser.add_argument("--database", default="default", help="The database alias.")

    def handle(self, *args: Any, folder: Path, database: str, **options: Any) -> None:
        try:
            manifest = make_backup(
                folder, database=connections[database].settings_dict, storage=storages["default"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        tables = manifest["database"]["tables"]
        self.stdout.write(
            f"Backed up {len(tables)} tables ({sum(tables.values())} rows) and "
            f"{len(manifest['files'])} files into {folder}."
        )
