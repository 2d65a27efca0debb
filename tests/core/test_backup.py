"""Backup, restore and the proof of a restore (dz_awards.core.backup and its commands).

A small world (people, an agency, stored files in nested folders) is backed up,
restored into a new database and a new storage folder, and verified; then one
restored file is corrupted and one row removed, and the verification names both.
The database copy is made by the database's own tools over their own connections,
so these tests commit their rows (transactional tests).
"""

import json
import sqlite3
import uuid
from contextlib import closing

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from storages.backends.s3 import S3Storage

from dz_awards.accounts.models import User
from dz_awards.core.backup import (
    BackupError,
    make_backup,
    postgres_params,
    restore_backup,
    table_counts,
    verify,
)
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

ON_POSTGRES = connection.vendor == "postgresql"
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES, reason="pg_dump/pg_restore back up PostgreSQL; the SQLite run tests the copy"
)
needs_sqlite = pytest.mark.skipif(
    ON_POSTGRES, reason="the SQLite copy is tested in the SQLite run; this run tests pg_dump"
)

FILES = {
    "nominations/7/evidence/letter of support.pdf": b"%PDF-1.7 letter",
    "profiles/pdf/riverton.pdf": b"%PDF-1.7 summary" * 1000,
    "profiles/images/2026/card-320.webp": b"RIFF....WEBPVP8 ",
    "badge.svg": b"<svg/>",
}


@pytest.fixture
def world():
    factories.OwnerFactory()
    factories.StaffFactory()
    _store(storages["default"])
    # What /readyz writes to check the storage is no data: left out of backups.
    storages["default"].save("readyz/probe", ContentFile(b"ok"))


def _store(storage):
    for name, content in FILES.items():
        assert storage.save(name, ContentFile(content)) == name


@pytest.fixture
def fresh_database(tmp_path):
    """A new, empty database of the kind the suite runs on, as a settings entry."""
    if not ON_POSTGRES:
        yield {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"dz_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**connection.settings_dict, "NAME": name}
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _round_trip(tmp_path, fresh_database):
    backup = tmp_path / "backup"
    manifest = make_backup(backup, database=connection.settings_dict, storage=storages["default"])
    restored = FileSystemStorage(location=tmp_path / "restored-media")
    restore_backup(backup, database=fresh_database, storage=restored)
    return backup, manifest, restored


def _check_round_trip(tmp_path, fresh_database, dump_name):
    backup, manifest, restored = _round_trip(tmp_path, fresh_database)

    assert (backup / dump_name).stat().st_size > 0
    tables = manifest["database"]["tables"]
    assert tables["accounts_user"] == User.objects.count() == 2
    assert tables["django_migrations"] > 50
    assert set(manifest["files"]) == set(FILES)
    # The files in the backup and in the restored storage are the originals, byte for byte.
    for name, content in FILES.items():
        assert (backup / "files" / name).read_bytes() == content
        with restored.open(name) as file:
            assert file.read() == content
    assert table_counts(fresh_database) == tables
    assert verify(backup, database=fresh_database, storage=restored) == []

    # Break the restore: one file's bytes, one row, one file too many.
    (tmp_path / "restored-media" / "profiles/pdf/riverton.pdf").write_bytes(b"%PDF-1.7 tampered")
    restored.save("stray.txt", ContentFile(b"x"))
    restored.delete("badge.svg")
    _delete_one_row(fresh_database)
    problems = verify(backup, database=fresh_database, storage=restored)
    migrations = tables["django_migrations"]
    assert problems[0] == (
        f"table django_migrations: {migrations - 1} rows, the backup has {migrations} rows"
    )
    assert problems[1:3] == ["file badge.svg: missing", "file stray.txt: not in the backup"]
    assert problems[3].startswith("file profiles/pdf/riverton.pdf: SHA-256 ")
    assert "(17 bytes), the backup has" in problems[3]
    assert len(problems) == 4


def _delete_one_row(database):
    """Remove the last row of django_migrations (no other table refers to it)."""
    statement = "DELETE FROM django_migrations WHERE id = (SELECT MAX(id) FROM django_migrations)"
    if ON_POSTGRES:
        with psycopg.connect(**postgres_params(database)) as db:
            db.execute(statement)
        return
    with closing(sqlite3.connect(database["NAME"])) as db, db:
        db.execute(statement)


@needs_sqlite
def test_sqlite_backup_restores_into_a_new_database_and_storage_and_verifies(
    world, tmp_path, fresh_database
):
    _check_round_trip(tmp_path, fresh_database, "database.sqlite3")


@needs_postgres
def test_postgres_backup_restores_into_a_new_database_and_storage_and_verifies(
    world, tmp_path, fresh_database
):
    _check_round_trip(tmp_path, fresh_database, "database.dump")


def test_restore_refuses_a_database_or_storage_that_is_not_empty(world, tmp_path):
    backup = tmp_path / "backup"
    make_backup(backup, database=connection.settings_dict, storage=storages["default"])
    empty = FileSystemStorage(location=tmp_path / "empty")
    with pytest.raises(BackupError, match="The database is not empty"):
        restore_backup(backup, database=connection.settings_dict, storage=empty)
    with pytest.raises(BackupError, match="The storage is not empty"):
        restore_backup(backup, database=connection.settings_dict, storage=storages["default"])
    with pytest.raises(CommandError, match="The storage is not empty"):
        call_command("restore", str(backup))


def test_restore_refuses_a_manifest_naming_a_file_outside_the_backup(tmp_path):
    """Checked before anything is written: a tampered backup writes nowhere."""
    backup = tmp_path / "backup"
    make_backup(backup, database=connection.settings_dict, storage=storages["default"])
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["files"]["../../etc/cron.d/x"] = {"size": 1, "sha256": "0" * 64}
    (backup / "manifest.json").write_text(json.dumps(manifest))
    storage = FileSystemStorage(location=tmp_path / "restored-media")
    with pytest.raises(BackupError, match="outside the backup"):
        restore_backup(backup, database=connection.settings_dict, storage=storage)
    assert not (tmp_path / "restored-media").exists()


def test_backup_and_verify_commands_name_what_changed(world, tmp_path, capsys):
    """`verify_backup` on the live site right after `backup` passes; a changed file fails it."""
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    assert "and 4 files into" in capsys.readouterr().out
    call_command("verify_backup", str(backup))
    assert "Verified: every table's row count" in capsys.readouterr().out

    storage = storages["default"]
    storage.delete("badge.svg")
    storage.save("badge.svg", ContentFile(b"<svg onload=alert(1)/>"))
    with pytest.raises(CommandError, match=r"differs from the backup: 1 difference\(s\)"):
        call_command("verify_backup", str(backup))
    assert capsys.readouterr().err.startswith("file badge.svg: SHA-256 ")

    with pytest.raises(CommandError, match="is not empty: give a new folder"):
        call_command("backup", str(backup))


def test_a_damaged_backup_folder_is_named_and_never_restored(world, tmp_path, capsys):
    """The folder itself is re-hashed: a file changed, cut short or added on the way to
    or from its store, or a damaged database copy, fails `verify_backup` and `restore`."""
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    call_command("verify_backup", str(backup), "--backup-only")
    assert "matches its manifest" in capsys.readouterr().out
    manifest = json.loads((backup / "manifest.json").read_text())
    copy = backup / manifest["database"]["file"]
    copy.write_bytes(copy.read_bytes() + b"x")
    with (backup / "files" / "badge.svg").open("ab") as damaged:
        damaged.write(b"x")
    (backup / "files" / "extra.txt").write_bytes(b"x")
    with pytest.raises(CommandError, match=r"differs from its manifest: 3 difference\(s\)"):
        call_command("verify_backup", str(backup))
    listed = capsys.readouterr().err.splitlines()
    assert listed[0].startswith(f"the database copy {manifest['database']['file']}: SHA-256 ")
    assert listed[1] == "backed-up file extra.txt: not in the manifest"
    assert listed[2].startswith("backed-up file badge.svg: SHA-256 ")
    storage = FileSystemStorage(location=tmp_path / "restored-media")
    with pytest.raises(BackupError, match="The backup is damaged; nothing was restored"):
        restore_backup(backup, database=connection.settings_dict, storage=storage)
    assert not (tmp_path / "restored-media").exists()


@needs_sqlite
def test_backup_and_restore_read_and_write_files_through_s3(
    tmp_path,
    fresh_database,
    s3_settings,
):
    """Restored into a bucket and verified from it: the files go through the storage API.

    Verifying walks the bucket and reads every object back, as a backup from S3 does.
    (The database part is the same on either storage: this runs once, on SQLite.)
    """
    _store(storages["default"])
    options = s3_settings["default"]["OPTIONS"]
    target = S3Storage(**{**options, "location": f"restore-{uuid.uuid4().hex}"})
    backup = tmp_path / "backup"
    make_backup(backup, database=connection.settings_dict, storage=storages["default"])

    restore_backup(backup, database=fresh_database, storage=target)
    with target.open("profiles/pdf/riverton.pdf") as file:
        assert file.read() == FILES["profiles/pdf/riverton.pdf"]
    # Recounted and re-hashed from what the bucket now holds.
    assert verify(backup, database=fresh_database, storage=target) == []
    target.save("readyz/probe", ContentFile(b"ok"))
    target.save("stray.txt", ContentFile(b"x"))
    assert verify(backup, database=fresh_database, storage=target) == [
        "file stray.txt: not in the backup"
    ]
