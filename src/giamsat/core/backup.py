"""Backups of the whole database (and the uploaded files) and their restoration.

A backup is a directory ``giamsat-backup-YYYYmmdd-HHMMSS`` holding:

- ``database.sqlite3`` (SQLite online backup API: a consistent copy while the site runs) or
  ``database.pgdump`` (``pg_dump --format=custom``: one consistent snapshot);
- ``uploads.tar.gz``, the upload directory (``MEDIA_ROOT``), unless ``--no-files``;
- ``manifest.json``: engine, time, giamsat version, applied migrations, row counts and the
  SHA-256 of each file (checked before anything is restored).

Backups hold every party record in clear: the directory is created readable by its owner only;
keep copies encrypted and off the machine (docs/security.md, V8/V14).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

import giamsat

FORMAT = 1
MANIFEST = "manifest.json"
FILES_ARCHIVE = "uploads.tar.gz"
DB_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(RuntimeError):
    """The backup or restore cannot proceed; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _vendor() -> str:
    vendor = connection.vendor
    if vendor not in DB_FILES:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _pg_env() -> dict[str, str]:
    """libpq variables for pg_dump/pg_restore (the password never appears on a command line)."""
    db = connection.settings_dict
    env = dict(os.environ)
    for key, var in (
        ("NAME", "PGDATABASE"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client (apt-get install "
            "postgresql-client) with the same or a newer major version as the server."
        )
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def create_backup(*, output: Path, include_files: bool = True) -> BackupResult:
    """Write a consistent copy of the database (and uploads) into a new directory under output."""
    vendor = _vendor()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    output.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = output / f"giamsat-backup-{stamp}"
    suffix = 1
    while target.exists():
        suffix += 1
        target = output / f"giamsat-backup-{stamp}-{suffix}"
    target.mkdir(mode=0o700)
    db_file = target / DB_FILES[vendor]
    old_umask = os.umask(0o077)
    try:
        counts = row_counts()
        if vendor == "sqlite":
            connection.ensure_connection()
            destination = sqlite3.connect(db_file)
            try:
                # One step (pages=-1): a consistent snapshot even while others write.
                connection.connection.backup(destination)
            finally:
                destination.close()
        else:
            _run(
                [
                    _pg_tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--file={db_file}",
                ],
                _pg_env(),
            )
        files: dict[str, str] = {DB_FILES[vendor]: sha256_of(db_file)}
        media = Path(settings.MEDIA_ROOT)
        if include_files and media.is_dir():
            archive = target / FILES_ARCHIVE
            with tarfile.open(archive, "w:gz") as tar:
                tar.add(media, arcname="uploads")
            files[FILES_ARCHIVE] = sha256_of(archive)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "giamsat_version": giamsat.__version__,
            "engine": vendor,
            "files": files,
            "migrations": applied_migrations(),
            "row_counts": counts,
        }
        (target / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    finally:
        os.umask(old_umask)
    return BackupResult(target, manifest)


def read_manifest(path: Path) -> dict[str, Any]:
    """Read and verify a backup directory: format, and the checksum of every file."""
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{path} is not a giamsat backup (no {MANIFEST}).")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    for name, expected in manifest["files"].items():
        file = path / name
        if not file.is_file():
            raise BackupError(f"the backup is incomplete: {name} is missing.")
        if sha256_of(file) != expected:
            raise BackupError(f"the backup is damaged: {name} does not match its checksum.")
    return manifest


def check_compatible(manifest: dict[str, Any]) -> list[str]:
    """Refuse a backup this code cannot hold; return warnings for an older one."""
    vendor = _vendor()
    if manifest["engine"] != vendor:
        raise BackupError(
            f"this backup is of a {manifest['engine']} database and giamsat is configured for "
            f"{vendor}: restore it into a {manifest['engine']} database (DATABASE_URL)."
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            "the backup comes from a newer giamsat (unknown migrations: "
            + ", ".join(unknown[:5])
            + "): install that version first, then restore."
        )
    return []


def restore_backup(*, path: Path, include_files: bool = True) -> dict[str, Any]:
    """Replace the database (and uploads) with the backup's content."""
    manifest = read_manifest(path)
    check_compatible(manifest)
    if include_files and FILES_ARCHIVE in manifest["files"]:
        _check_archive(path / FILES_ARCHIVE)
    db_file = path / DB_FILES[manifest["engine"]]
    if manifest["engine"] == "sqlite":
        source = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
        try:
            status = source.execute("PRAGMA integrity_check").fetchone()[0]
            if status != "ok":
                raise BackupError(f"the backup database is damaged: {status}")
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        _run(
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={connection.settings_dict['NAME']}",
                str(db_file),
            ],
            _pg_env(),
        )
    connection.close()
    if include_files and FILES_ARCHIVE in manifest["files"]:
        _restore_files(path / FILES_ARCHIVE)
    return manifest


def _check_archive(archive: Path) -> None:
    """Refuse an archive with a member that would land outside the upload directory."""
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            try:
                tarfile.data_filter(member, str(media.parent))
            except tarfile.FilterError as exc:
                raise BackupError(f"the file archive holds an unsafe entry: {exc}") from None
            if member.name != "uploads" and not member.name.startswith("uploads/"):
                raise BackupError(f"the file archive holds an unexpected entry: {member.name}")


def _restore_files(archive: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    staging = media.with_name(media.name + ".restoring")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True, mode=0o700)
    with tarfile.open(archive, "r:gz") as tar:
        # The "data" filter refuses absolute paths, "..", links out of the tree and devices.
        tar.extractall(staging, filter="data")
    restored = staging / "uploads"
    if media.exists():
        aside = media.with_name(
            f"{media.name}.before-restore-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}"  # noqa: DTZ005 - a file name
        )
        media.rename(aside)
    restored.rename(media)
    shutil.rmtree(staging)
