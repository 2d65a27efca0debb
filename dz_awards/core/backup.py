"""Backing up, restoring and proving a restore of the database and every stored file.

A backup is a directory:

- `manifest.json`: when, which database engine, the number of rows of every table,
  and the size and SHA-256 of every stored file;
- the database in a form that needs neither Django nor this code to read it:
  `database.dump` (`pg_dump --format=custom`, for `pg_restore`) on PostgreSQL,
  `database.sqlite3` (a copy made with SQLite's online backup) on SQLite;
- `files/`: every file of the default storage, read through Django's storage API,
  so the same commands work on the filesystem and on S3.

The row counts are taken in the very snapshot the dump is made from (on
PostgreSQL, an exported snapshot `pg_dump --snapshot` reuses; on SQLite, from the
copy), so a backup of a live site still agrees with itself. The files are copied
after the database: a file added in between is in the backup without a row that
names it, which is harmless; nothing in the site deletes files a row still names.

`verify` recounts the rows and re-hashes the files of a restored database and
storage and lists every difference from the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import psycopg
from django.core.files import File
from django.utils import timezone
from psycopg import sql

from dz_awards.core.health import PROBE_FOLDER

if TYPE_CHECKING:
    from django.core.files.storage import Storage

MANIFEST = "manifest.json"
FILES = "files"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
FORMAT = 1
CHUNK = 1024 * 1024

type DatabaseSettings = Mapping[str, Any]


class BackupError(Exception):
    """A backup or restore that cannot go ahead, in words for the operator."""


@dataclass(frozen=True)
class StoredFile:
    size: int
    sha256: str


# --- the database --------------------------------------------------------------------


def vendor_of(database: DatabaseSettings) -> str:
    engine = str(database["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine}.")


def _sqlite_connect(name: str) -> sqlite3.Connection:
    # The test databases are shared in-memory databases named by URI.
    return sqlite3.connect(name, uri=name.startswith("file:"))


def _sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    # Names from SQLite's own catalogue, quoted.
    return {
        table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        for table in sorted(tables)
    }


def postgres_params(database: DatabaseSettings) -> dict[str, Any]:
    params = {
        "dbname": database["NAME"],
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
        "host": database.get("HOST") or None,
        "port": str(database["PORT"]) if database.get("PORT") else None,
    }
    return {key: value for key, value in params.items() if value is not None}


def _postgres_env(database: DatabaseSettings) -> dict[str, str]:
    """The environment of pg_dump/pg_restore: the connection, the password out of argv."""
    params = postgres_params(database)
    names = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD"}
    names |= {"host": "PGHOST", "port": "PGPORT"}
    return {**os.environ, **{names[key]: str(value) for key, value in params.items()}}


def _postgres_counts(cursor: psycopg.Cursor[Any]) -> dict[str, int]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        query = sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(table))
        cursor.execute(query)
        row = cursor.fetchone()
        counts[table] = int(row[0]) if row else 0
    return counts


def table_counts(database: DatabaseSettings) -> dict[str, int]:
    """The number of rows of every table of `database`, by table name."""
    if vendor_of(database) == "sqlite":
        lite = _sqlite_connect(str(database["NAME"]))
        try:
            return _sqlite_counts(lite)
        finally:
            lite.close()
    with psycopg.connect(**postgres_params(database)) as db, db.cursor() as cursor:
        return _postgres_counts(cursor)


def _dump_database(database: DatabaseSettings, destination: Path) -> tuple[str, dict[str, int]]:
    """Write the database into `destination`; its file name and the counts of that copy."""
    if vendor_of(database) == "sqlite":
        source = _sqlite_connect(str(database["NAME"]))
        copy = sqlite3.connect(destination / SQLITE_COPY)
        try:
            # One step: a consistent copy even while others write.
            source.backup(copy)
            return SQLITE_COPY, _sqlite_counts(copy)
        finally:
            copy.close()
            source.close()
    with psycopg.connect(**postgres_params(database)) as db, db.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        row = cursor.fetchone()
        if row is None:
            raise BackupError("PostgreSQL did not export a snapshot.")
        counts = _postgres_counts(cursor)
        # pg_dump reads the snapshot this transaction holds open: the same rows.
        command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
        command += [f"--snapshot={row[0]}", f"--file={destination / POSTGRES_DUMP}"]
        _run(command, database)
    return POSTGRES_DUMP, counts


def _run(command: list[str], database: DatabaseSettings) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).")
    result = subprocess.run(  # noqa: S603 - a fixed program; arguments are ours
        command, env=_postgres_env(database), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _restore_database(database: DatabaseSettings, source: Path, manifest: dict[str, Any]) -> None:
    vendor = vendor_of(database)
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(
            f"This backup is of a {manifest['database']['vendor']} database; "
            f"the site is configured for {vendor}."
        )
    if any(table_counts(database)):
        raise BackupError(
            "The database is not empty: restore into a new, empty database "
            "(do not run migrate on it first)."
        )
    if vendor == "sqlite":
        copy = sqlite3.connect(source / SQLITE_COPY)
        target = _sqlite_connect(str(database["NAME"]))
        try:
            copy.backup(target)
        finally:
            target.close()
            copy.close()
        return
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
    command += ["--single-transaction", f"--dbname={database['NAME']}", str(source / POSTGRES_DUMP)]
    _run(command, database)


# --- the stored files ------------------------------------------------------------------


def stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in `storage`, walked through the storage API (works on S3 too).

    Leaves out the probe `/readyz` writes: a restored site's readiness checks may
    write it before or after the restore, and it is no data of the site's.
    """
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        if folder or sub != PROBE_FOLDER:
            yield from stored_names(storage, f"{folder}/{sub}" if folder else sub)


def _copy(source: Any, target: Any) -> StoredFile:
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if target is not None:
            target.write(chunk)
    return StoredFile(size, digest.hexdigest())


def _hash_stored(storage: Storage, name: str) -> StoredFile:
    with storage.open(name, "rb") as stored:
        return _copy(stored, None)


def _hash_file(path: Path) -> StoredFile:
    with path.open("rb") as handle:
        return _copy(handle, None)


def _safe_name(name: str) -> str:
    """A stored name from a manifest, refused if it could leave the backup's folder."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not name or name != str(path):
        raise BackupError(f"The manifest names a file outside the backup: {name!r}")
    return name


# --- the three operations -----------------------------------------------------------


def make_backup(destination: Path, *, database: DatabaseSettings, storage: Storage) -> dict:
    """Back up `database` and every file of `storage` into the new folder `destination`."""
    if destination.exists() and any(destination.iterdir()):
        raise BackupError(f"{destination} is not empty: give a new folder for the backup.")
    destination.mkdir(parents=True, exist_ok=True)
    dump, counts = _dump_database(database, destination)
    files: dict[str, dict[str, Any]] = {}
    for name in stored_names(storage):
        target = destination / FILES / _safe_name(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as stored, target.open("wb") as out:
            copied = _copy(stored, out)
        files[name] = {"size": copied.size, "sha256": copied.sha256}
    dumped = _hash_file(destination / dump)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {
            "vendor": vendor_of(database),
            "file": dump,
            "tables": counts,
            "size": dumped.size,
            "sha256": dumped.sha256,
        },
        "files": files,
    }
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def read_manifest(source: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{source} holds no {MANIFEST}: not a backup.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is a backup in an unknown format.")
    for name in manifest["files"]:
        _safe_name(name)
    return manifest


def _differs(what: str, found: StoredFile, recorded: dict[str, Any]) -> str | None:
    if (found.size, found.sha256) == (recorded["size"], recorded["sha256"]):
        return None
    return (
        f"{what}: SHA-256 {found.sha256[:12]}… ({found.size} bytes), "
        f"the backup has {recorded['sha256'][:12]}… ({recorded['size']} bytes)"
    )


def check_folder(source: Path) -> list[str]:
    """Every way the backup folder itself differs from its manifest, in words.

    The database copy and each file are re-hashed from the folder: a backup
    damaged or cut short on its way to or from its store is found before it is
    restored (or relied on).
    """
    manifest = read_manifest(source)
    problems = []
    recorded_database = manifest["database"]
    dump = source / recorded_database["file"]
    if not dump.is_file():
        problems.append(f"the database copy {recorded_database['file']}: missing")
    elif "sha256" in recorded_database:
        problem = _differs(
            f"the database copy {recorded_database['file']}", _hash_file(dump), recorded_database
        )
        if problem:
            problems.append(problem)
    folder = source / FILES
    present = (
        {str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()}
        if folder.is_dir()
        else set()
    )
    for name in sorted(manifest["files"].keys() - present):
        problems.append(f"backed-up file {name}: missing")
    for name in sorted(present - manifest["files"].keys()):
        problems.append(f"backed-up file {name}: not in the manifest")
    for name in sorted(manifest["files"].keys() & present):
        problem = _differs(
            f"backed-up file {name}", _hash_file(folder / name), manifest["files"][name]
        )
        if problem:
            problems.append(problem)
    return problems


def restore_backup(source: Path, *, database: DatabaseSettings, storage: Storage) -> dict:
    """Restore the backup in `source` into an empty `database` and an empty `storage`.

    A damaged backup (`check_folder`) is refused before anything is written.
    """
    manifest = read_manifest(source)
    damage = check_folder(source)
    if damage:
        raise BackupError("The backup is damaged; nothing was restored:\n" + "\n".join(damage))
    if next(stored_names(storage), None) is not None:
        raise BackupError("The storage is not empty: restore into a new, empty storage.")
    _restore_database(database, source, manifest)
    for name in manifest["files"]:
        with (source / FILES / _safe_name(name)).open("rb") as backed_up:
            saved = storage.save(name, File(backed_up, name=name))
        if saved != name:
            raise BackupError(f"The storage saved {name} as {saved}.")
    return manifest


def _rows(count: int | None) -> str:
    return "absent" if count is None else f"{count} rows"


def verify(source: Path, *, database: DatabaseSettings, storage: Storage) -> list[str]:
    """Every difference between the backup's manifest and `database` and `storage`, in words.

    Rows are recounted in the database and files re-read and re-hashed from the
    storage, not taken from the backup: an empty list proves the restore.
    """
    manifest = read_manifest(source)
    problems = []
    expected_counts: dict[str, int] = manifest["database"]["tables"]
    counts = table_counts(database)
    for table in sorted(expected_counts.keys() | counts.keys()):
        want, have = expected_counts.get(table), counts.get(table)
        if want != have:
            problems.append(f"table {table}: {_rows(have)}, the backup has {_rows(want)}")
    expected_files: dict[str, dict[str, Any]] = manifest["files"]
    present = set(stored_names(storage))
    for name in sorted(expected_files.keys() - present):
        problems.append(f"file {name}: missing")
    for name in sorted(present - expected_files.keys()):
        problems.append(f"file {name}: not in the backup")
    for name in sorted(expected_files.keys() & present):
        problem = _differs(f"file {name}", _hash_stored(storage, name), expected_files[name])
        if problem:
            problems.append(problem)
    return problems
