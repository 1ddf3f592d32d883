"""The public hotline: a citizen sends a letter without logging in, gets a receipt code shown
once, reads the status and the answer with it, and adds information later."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from giamsat.petitions import receipts
from giamsat.petitions.models import Channel, FollowUp, Petition, Status
from giamsat.petitions.services import answer
from tests.petitions.factories import IDENTITY_STRINGS, hotline_petition

CODE_RE = re.compile(r'id="receipt-code">([\d ]+)<')


def _form(unit, **extra):
    data = {
        "unit": str(unit.pk),
        "declared_class": "denunciation",
        "content": "Cán bộ địa chính phường nhận tiền khi làm hồ sơ cấp giấy chứng nhận.",
        "subject_text": "Cán bộ địa chính phường Trường Thi",
        "place": "phường Trường Thi",
        "topic": "corruption",
        "signer_count": "1",
        "full_name": "Trần Thị Bí Mật",
        "address": "Số 7 ngõ Kín, phường Trường Thi",
        "phone": "0912345678",
        "email": "bimat@example.vn",
        "id_number": "038190000777",
        "representatives": "",
        "confirm": "on",
    }
    data.update(extra)
    return data


@pytest.fixture
def hotline(settings, tree):
    settings.GIAMSAT_HOTLINE_UNITS = [tree.city.code]
    return tree.city


def test_form_is_public_vietnamese_and_phone_friendly(client, hotline, frozen):
    response = client.get(reverse("hotline:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="vi"' in html
    assert 'name="viewport"' in html
    assert "Gửi" in html  # Vietnamese UI
    assert response["Cache-Control"].startswith("max-age=0")
    assert response["Referrer-Policy"] == "same-origin"
    # The only bodies offered are the configured hotline units.
    assert hotline.name not in html or 'type="hidden" name="unit"' in html


def test_submission_shows_the_receipt_code_once_and_stores_only_a_keyed_hash(hotline, frozen):
    client = Client()
    response = client.post(reverse("hotline:home"), _form(hotline))
    assert response.status_code == 200
    html = response.content.decode()
    shown = CODE_RE.search(html).group(1)
    code = shown.replace(" ", "")
    assert len(code) == 20 and code.isdigit()
    petition = Petition.objects.get()
    assert petition.channel == Channel.HOTLINE_WEB
    assert petition.received_by == hotline and petition.unit == hotline
    # Only the HMAC is stored: not the code, nor a plain SHA-256 of it.
    import hashlib

    assert petition.receipt_hash == receipts.hash_code(code)
    assert petition.receipt_hash != hashlib.sha256(code.encode()).hexdigest()
    row = Petition.objects.filter(pk=petition.pk).values().get()
    assert all(code not in str(value) for value in row.values())
    # The identity is sealed: nowhere in the petition row, and the sealed row is ciphertext.
    assert all(s not in str(row) for s in IDENTITY_STRINGS)
    assert all(s not in petition.identity.ciphertext for s in IDENTITY_STRINGS)
    # The receipt page is not cached and the code is not in any URL.
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert code not in response.get("Location", "")


def test_status_page_reads_the_answer_with_the_code(hotline, users, frozen):
    petition, code = hotline_petition(hotline)
    petition.status = Status.NOT_HANDLED
    petition.save()
    answer(
        petition=petition,
        acting_user=users.authorised,
        expected_version=petition.version,
        answered_on=dt.date(2024, 3, 4),
        text="Đơn không đủ điều kiện xử lý; nội dung đã được chuyển làm thông tin tham khảo.",
    )
    client = Client()
    response = client.post(reverse("hotline:status"), {"code": receipts.format_code(code)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đơn không đủ điều kiện xử lý; nội dung đã được chuyển" in html
    assert 'id="public-answer"' in html
    # The status page never shows the identity, the staff reference or internal notes.
    assert all(s not in html for s in IDENTITY_STRINGS)


def test_unknown_and_malformed_codes_get_the_same_answer(hotline, frozen):
    hotline_petition(hotline)
    client = Client()
    wrong = client.post(reverse("hotline:status"), {"code": "1234 5678 9012 3456 7890"})
    short = client.post(reverse("hotline:status"), {"code": "12345"})
    assert wrong.status_code == short.status_code == 200
    message = "Không có đơn nào có mã tra cứu này"
    assert message in wrong.content.decode() and message in short.content.decode()


def test_status_lookup_is_never_a_get_parameter(hotline, frozen):
    _petition, code = hotline_petition(hotline)
    response = Client().get(reverse("hotline:status"), {"code": code})
    assert 'id="public-status"' not in response.content.decode()


def test_citizen_adds_information_and_a_file_with_the_code(hotline, frozen):
    petition, code = hotline_petition(hotline)
    upload = SimpleUploadedFile("anh chup.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "image/png")
    response = Client().post(
        reverse("hotline:follow_up"),
        {"code": code, "text": "Bổ sung: có 3 người làm chứng.", "files": [upload]},
    )
    assert response.status_code == 200
    assert "Thông tin bổ sung của bạn đã được thêm" in response.content.decode()
    follow_up = FollowUp.objects.get()
    assert follow_up.petition == petition and "3 người làm chứng" in follow_up.text
    from giamsat.core.files import attachments_of

    assert [a.original_name for a in attachments_of(petition)] == ["anh_chup.png"]
    assert petition.events.filter(kind="supplemented", public=True).exists()


def test_follow_up_with_a_wrong_code_adds_nothing(hotline, frozen):
    hotline_petition(hotline)
    response = Client().post(reverse("hotline:follow_up"), {"code": "0" * 20, "text": "x"})
    assert response.status_code == 200
    assert not FollowUp.objects.exists()


def test_anonymous_letter_is_accepted_without_identity(hotline, frozen):
    data = _form(hotline, full_name="", address="", phone="", email="", id_number="")
    response = Client().post(reverse("hotline:home"), data)
    assert response.status_code == 200
    petition = Petition.objects.get()
    assert petition.identity is None and petition.is_anonymous


def test_invalid_form_says_what_is_wrong_in_vietnamese(hotline, frozen):
    response = Client().post(reverse("hotline:home"), _form(hotline, content="ngắn", confirm=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert "ít nhất 10 ký tự" in html
    assert not Petition.objects.exists()


def test_attachment_of_a_forbidden_type_is_refused_with_its_name(hotline, frozen):
    bad = SimpleUploadedFile("virus.exe", b"MZ" + b"0" * 10, "application/octet-stream")
    response = Client().post(reverse("hotline:home"), {**_form(hotline), "files": [bad]})
    assert "virus.exe" in response.content.decode()
    assert not Petition.objects.exists()


def test_too_many_attachments_are_refused(hotline, settings, frozen):
    settings.GIAMSAT_HOTLINE_MAX_FILES = 2
    files = [SimpleUploadedFile(f"a{i}.txt", b"noi dung", "text/plain") for i in range(3)]
    response = Client().post(reverse("hotline:home"), {**_form(hotline), "files": files})
    assert "tối đa 2" in response.content.decode()
    assert not Petition.objects.exists()


def test_csrf_is_still_checked_on_the_public_form(hotline, frozen):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("hotline:home"), _form(hotline))
    assert response.status_code == 403
    assert not Petition.objects.exists()


def test_a_split_letter_shows_each_matter_and_its_answer(hotline, users, frozen):
    from giamsat.petitions import services

    petition, code = hotline_petition(hotline)
    first, _second = services.split_contents(
        petition=petition,
        acting_user=users.authorised,
        expected_version=petition.version,
        contents=[("denunciation", "Tố cáo cán bộ."), ("proposal", "Kiến nghị sửa đường.")],
    )
    first.status = Status.NOT_HANDLED
    first.save()
    answer(
        petition=first,
        acting_user=users.authorised,
        expected_version=first.version,
        answered_on=dt.date(2024, 3, 4),
        text="Nội dung tố cáo không đủ điều kiện xử lý.",
    )
    html = Client().post(reverse("hotline:status"), {"code": code}).content.decode()
    assert "Nội dung 1 trong đơn của bạn" in html and "Nội dung 2 trong đơn của bạn" in html
    assert "Nội dung tố cáo không đủ điều kiện xử lý." in html


def test_internal_notes_are_not_shown_to_the_petitioner(hotline, users, frozen):
    from giamsat.petitions import services

    petition, code = hotline_petition(hotline)
    services.withdraw(
        petition=petition,
        acting_user=users.authorised,
        expected_version=petition.version,
        on=dt.date(2024, 3, 4),
        note="ghi chú nội bộ: đã gọi điện xác minh",
    )
    html = Client().post(reverse("hotline:status"), {"code": code}).content.decode()
    assert "Đã rút đơn." in html and "ghi chú nội bộ" not in html
