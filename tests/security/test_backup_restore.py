"""`giamsat backup` / `giamsat restore` round trip: every table comes back identical (row
counts and a checksum of the content) on SQLite and on PostgreSQL, into the same database after
changes and into an empty one; damaged or foreign backups are refused before anything changes."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from giamsat.accounts.api_auth import issue_token
from giamsat.accounts.roles import Role
from giamsat.audit.context import acting_as
from giamsat.audit.models import AccessEvent, AccessKind
from giamsat.audit.services import record_access
from giamsat.core.backup import sha256_of
from giamsat.core.files import save_attachment
from giamsat.core.models import CalendarAdjustment
from giamsat.people.models import Membership
from giamsat.units.models import Unit, UnitKind
from giamsat.units.services import rename_unit
from tests.factories import add_totp_device, make_member, make_unit, make_user
from tests.security.dbcompare import differences, fingerprint

PDF = b"%PDF-1.7 bi\xc3\xaan b\xe1\xba\xa3n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def populated(transactional_db, media):
    """A little of everything: tree, people, roles, devices, tokens, audit, changes, a file."""
    city = make_unit("Đảng bộ thành phố Thanh Hóa", UnitKind.UPPER_GRASSROOTS)
    ward = make_unit("Đảng bộ phường Trường Thi", UnitKind.GRASSROOTS_ORG, city)
    cell = make_unit("Chi bộ khu phố 1", UnitKind.CELL, ward)
    people = [make_member(cell) for _ in range(3)]
    officer = make_user(Role.INSPECTION, city, username="ubkt")
    add_totp_device(officer)
    issue_token(user=officer, name="tích hợp")
    record_access(actor=officer, kind=AccessKind.READ, obj=people[0], reason="xem hồ sơ")
    with acting_as(officer):
        rename_unit(unit=ward, name="Phường Hạc Thành", date=dt.date(2025, 7, 1))
        CalendarAdjustment.objects.create(day=dt.date(2025, 9, 1), reason="Nghỉ bù")
    attachment = save_attachment(
        owner=cell, upload=SimpleUploadedFile("kết luận.pdf", PDF), acting_user=officer
    )
    return {"city": city, "ward": ward, "cell": cell, "people": people, "file": attachment}


def _fingerprint_here() -> dict:
    with connection.cursor() as cursor:
        return fingerprint(cursor, connection.vendor)


def _backup(tmp_path: Path, *extra: str) -> Path:
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), *extra, stdout=out)
    return Path(out.getvalue().strip())


def test_round_trip_into_the_same_database_after_changes(populated, tmp_path, media):
    before = _fingerprint_here()
    path = _backup(tmp_path)
    assert sorted(p.name for p in path.iterdir()) == sorted(
        [
            "manifest.json",
            "uploads.tar.gz",
            "database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump",
        ]
    )
    assert AccessEvent.objects.filter(kind=AccessKind.BACKUP).count() == 1
    # Life goes on after the backup: new, changed and deleted records, a new file.
    make_unit("Chi bộ mới", UnitKind.CELL, populated["ward"])
    rename_unit(unit=populated["cell"], name="Đổi tên", date=dt.date(2025, 8, 1))
    Membership.objects.filter(person=populated["people"][2]).delete()
    (media / "stray.txt").write_text("after the backup")
    assert differences(before, _fingerprint_here())

    call_command("restore", str(path), "--yes", stdout=io.StringIO())

    assert differences(before, _fingerprint_here()) == []
    assert AccessEvent.objects.filter(kind=AccessKind.RESTORE).count() == 1
    restored_file = Path(populated["file"].file.path)
    assert restored_file.read_bytes() == PDF
    assert not (media / "stray.txt").exists()
    assert list(media.parent.glob("uploads.before-restore-*"))  # the replaced files are kept
    # Sequences came back too: new rows do not collide with restored ones.
    new = make_unit("Chi bộ sau khi khôi phục", UnitKind.CELL, populated["ward"])
    assert new.pk not in set(Unit.objects.exclude(pk=new.pk).values_list("pk", flat=True))


def _empty_database_url(tmp_path: Path) -> tuple[str, object]:
    """A brand-new, empty database of the same engine, and a function that opens it."""
    if connection.vendor == "sqlite":
        path = tmp_path / "fresh.sqlite3"

        def open_sqlite():
            import sqlite3

            # Decode columns exactly like Django's own connection does.
            return sqlite3.connect(
                path, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
            )

        return f"sqlite:///{path}", open_sqlite
    import psycopg

    name = f"giamsat_restore_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{name}"

    def open_pg():
        from psycopg.types.string import TextLoader

        pg = psycopg.connect(
            dbname=name, user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"]
        )
        # JSON as text, like Django's connection (which decodes it in the ORM).
        pg.adapters.register_loader("jsonb", TextLoader)
        pg.adapters.register_loader("json", TextLoader)
        return pg

    return url, open_pg


def _drop(url: str) -> None:
    if connection.vendor == "postgresql":
        name = url.rsplit("/", 1)[1]
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_round_trip_into_an_empty_database(populated, tmp_path):
    """Disaster recovery: a new server, an empty database, the backup directory."""
    before = _fingerprint_here()
    path = _backup(tmp_path)
    url, open_db = _empty_database_url(tmp_path)
    try:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "GIAMSAT_TESTING": "true",
            "DJANGO_SETTINGS_MODULE": "giamsat.settings",
            "GIAMSAT_DATA_DIR": str(tmp_path / "new-server"),
        }
        result = subprocess.run(
            [sys.executable, "-m", "giamsat.cli", "restore", str(path), "--yes"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        db = open_db()
        try:
            after = fingerprint(db.cursor(), connection.vendor)
        finally:
            db.close()
        assert differences(before, after) == []
        assert (
            tmp_path / "new-server" / "uploads" / populated["file"].file.name
        ).read_bytes() == PDF
    finally:
        _drop(url)


def test_a_damaged_backup_is_refused_before_anything_changes(populated, tmp_path):
    path = _backup(tmp_path, "--no-files")
    db_file = next(p for p in path.iterdir() if p.name.startswith("database."))
    data = bytearray(db_file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    db_file.write_bytes(bytes(data))
    Unit.objects.filter(pk=populated["cell"].pk).update(name="changed after the backup")
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(path), "--yes")
    assert Unit.objects.get(pk=populated["cell"].pk).name == "changed after the backup"


def _rewrite_manifest(path: Path, **changes) -> None:
    manifest = json.loads((path / "manifest.json").read_text())
    manifest.update(changes)
    (path / "manifest.json").write_text(json.dumps(manifest))


def test_a_backup_of_the_other_engine_is_refused(populated, tmp_path):
    path = _backup(tmp_path, "--no-files")
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    _rewrite_manifest(path, engine=other)
    with pytest.raises(CommandError, match=f"backup is of a {other} database"):
        call_command("restore", str(path), "--yes")


def test_a_backup_from_a_newer_giamsat_is_refused(populated, tmp_path):
    path = _backup(tmp_path, "--no-files")
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["migrations"]["audit"].append("9999_from_the_future")
    _rewrite_manifest(path, migrations=manifest["migrations"])
    with pytest.raises(CommandError, match="newer giamsat"):
        call_command("restore", str(path), "--yes")


def test_restore_needs_an_explicit_yes(populated, tmp_path):
    path = _backup(tmp_path, "--no-files")
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(path))


def test_an_archive_escaping_the_upload_directory_is_refused(populated, tmp_path, media):
    path = _backup(tmp_path)
    archive = path / "uploads.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        payload = b"owned"
        info = tarfile.TarInfo("uploads/../../evil.txt")
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["files"]["uploads.tar.gz"] = sha256_of(archive)
    _rewrite_manifest(path, files=manifest["files"])
    name_before = Unit.objects.get(pk=populated["cell"].pk).name
    Unit.objects.filter(pk=populated["cell"].pk).update(name="after")
    with pytest.raises(CommandError, match="unsafe entry"):
        call_command("restore", str(path), "--yes")
    assert not (tmp_path / "evil.txt").exists()
    assert Unit.objects.get(pk=populated["cell"].pk).name == "after" != name_before


def test_backups_are_readable_by_their_owner_only(populated, tmp_path):
    path = _backup(tmp_path)
    assert path.stat().st_mode & 0o077 == 0
    for file in path.iterdir():
        assert file.stat().st_mode & 0o077 == 0, file


def test_the_default_output_is_the_backup_directory(populated, tmp_path, settings):
    settings.GIAMSAT_BACKUP_DIR = tmp_path / "default-dir"
    out = io.StringIO()
    call_command("backup", "--no-files", stdout=out)
    assert Path(out.getvalue().strip()).parent == tmp_path / "default-dir"


def test_the_settings_expose_the_backup_directory():
    assert Path(settings.GIAMSAT_BACKUP_DIR).is_absolute()
