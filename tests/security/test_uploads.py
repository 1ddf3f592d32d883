"""Uploads: type- and size-limited (by extension and magic bytes), names sanitised, stored
under MEDIA_ROOT outside static files, and served only through the permission-checked view."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from giamsat.accounts.scoping import unit_in_scope
from giamsat.audit.models import AccessEvent, AccessKind
from giamsat.core import files
from giamsat.core.files import sanitise_name, save_attachment, validate_upload
from giamsat.units.models import Unit
from tests.conftest import client_for

PDF = b"%PDF-1.7\n" + b"x" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"x" * 100


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\system32\\cmd.exe", "cmd.exe"),
        ("/var/lib/giamsat/uploads/x.pdf", "x.pdf"),
        ("Báo cáo tháng 9 (Đảng ủy).pdf", "Bao_cao_thang_9_Dang_uy_.pdf"),
        ("a\x00b\r\n.pdf", "a_b_.pdf"),
        (".htaccess", "htaccess"),
        ("...", "file"),
        ("", "file"),
        ("KẾT LUẬN.PDF", "KET_LUAN.pdf"),
        ("x" * 300 + ".pdf", "x" * 80 + ".pdf"),
    ],
)
def test_names_are_sanitised(given, expected):
    assert sanitise_name(given) == expected


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", PNG),  # wrong magic bytes
        ("photo.png", PDF),
        ("table.xlsx", PDF),
        ("page.html", b"<html><script>alert(1)</script>"),
        ("image.svg", b"<svg onload='alert(1)'/>"),
        ("run.exe", b"MZ\x90\x00"),
        ("report.pdf.exe", b"MZ\x90\x00"),
        ("script.js", b"alert(1)"),
        ("noext", PDF),
        ("old.xls", b"\xd0\xcf\x11\xe0"),
    ],
)
def test_wrong_types_are_refused(name, content):
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile(name, content))


def test_an_empty_file_is_refused():
    with translation.override("en"), pytest.raises(ValidationError, match="empty"):
        validate_upload(SimpleUploadedFile("a.pdf", b""))


def test_an_oversize_file_is_refused_with_both_sizes(settings):
    settings.GIAMSAT_MAX_UPLOAD_MB = 1
    upload = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError) as error:
        validate_upload(upload)
    message = str(error.value)
    assert "1.0" in message and "1 MB" in message


def test_a_good_file_passes_with_its_clean_name():
    assert validate_upload(SimpleUploadedFile("../Kết luận.pdf", PDF)) == "Ket_luan.pdf"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def unit_files():
    """Attachments of units are readable by whoever may see the unit (registered like an app)."""
    files.register_access(Unit, lambda user, unit: unit_in_scope(user, unit))
    yield
    files._ACCESS.pop(Unit, None)


def test_files_are_stored_under_media_root_outside_static(tree, users, media):
    attachment = save_attachment(
        owner=tree.ward_a,
        upload=SimpleUploadedFile("../../../static/evil.pdf", PDF),
        acting_user=users.authorised,
    )
    stored = Path(attachment.file.path).resolve()
    assert stored.is_relative_to(media.resolve())
    assert not stored.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert stored.name.startswith("evil") and stored.suffix == ".pdf"
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.original_name == "evil.pdf"
    assert stored.stat().st_mode & 0o777 == 0o640


def test_media_and_static_roots_do_not_overlap():
    media, static = Path(settings.MEDIA_ROOT).resolve(), Path(settings.STATIC_ROOT).resolve()
    assert not media.is_relative_to(static) and not static.is_relative_to(media)


def test_the_download_view_checks_the_owner_and_logs_the_read(tree, users, media, unit_files):
    attachment = save_attachment(
        owner=tree.ward_a, upload=SimpleUploadedFile("kl.pdf", PDF), acting_user=users.authorised
    )
    url = f"/files/{attachment.pk}/"
    response = client_for(users.authorised).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    event = AccessEvent.objects.get(kind=AccessKind.READ, object_type="core.Attachment")
    assert event.actor == users.authorised and event.unit == tree.ward_a
    # Out of scope, anonymous, unknown: never the file.
    assert client_for(users.outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    assert client_for(users.authorised).get("/files/999999/").status_code == 404


def test_attachments_of_unregistered_models_are_never_served(tree, users, media):
    attachment = save_attachment(
        owner=tree.ward_a, upload=SimpleUploadedFile("kl.pdf", PDF), acting_user=users.authorised
    )
    assert client_for(users.admin).get(f"/files/{attachment.pk}/").status_code == 404


def test_no_url_serves_the_upload_directory(tree, users, media, unit_files):
    attachment = save_attachment(
        owner=tree.ward_a, upload=SimpleUploadedFile("kl.pdf", PDF), acting_user=users.authorised
    )
    client = client_for(users.authorised)
    for guess in (
        settings.MEDIA_URL + attachment.file.name,
        "/static/" + attachment.file.name,
        "/uploads/" + attachment.file.name,
    ):
        assert client.get(guess).status_code == 404, guess


def test_oversized_request_bodies_are_refused(db):
    response = Client().post(
        "/accounts/login/",
        data=b"a=" + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
