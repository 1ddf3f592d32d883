"""A petitioner's identity never appears in a list, a record page, an export, an API response,
a search result, an e-mail, the change log, the access log, a log line or an error report;
it is stored only encrypted."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.views.debug import ExceptionReporter
from openpyxl import load_workbook

from giamsat.accounts.api_auth import issue_token
from giamsat.audit.models import AccessEvent
from giamsat.petitions.models import Petition, SealedIdentity
from tests.conftest import client_for
from tests.petitions.factories import IDENTITY_STRINGS, accepted, classified
from tests.petitions.test_hotline import _form


def _clean(text: str, where: str) -> None:
    for secret in IDENTITY_STRINGS:
        assert secret not in text, f"{secret!r} leaked into {where}"


@pytest.fixture
def everything_logged(caplog, settings):
    settings.DEBUG = False
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True  # SQL statements and parameters are logged too
    yield caplog
    connection.force_debug_cursor = False


def test_identity_stays_sealed_through_the_whole_life_of_a_letter(
    tree, users, officer, settings, everything_logged, frozen
):
    settings.GIAMSAT_HOTLINE_UNITS = [tree.city.code]
    officer.email = "officer@example.vn"
    officer.save()
    # 1. A citizen sends it; an officer records a second one by phone; an API client a third.
    assert Client().post(reverse("hotline:home"), _form(tree.city)).status_code == 200
    staff = client_for(officer)
    intake = staff.post(
        reverse("petitions:intake"),
        {
            **_form(tree.city),
            "channel": "hotline_phone",
            "received_on": "2024-03-04",
            "declared_class": "denunciation",
            "summary": "Phản ánh qua điện thoại",
            "representative_count": "0",
            "sender_body": "",
            "sender_reference": "",
        },
    )
    assert intake.status_code == 200, intake.content.decode()[:2000]
    _token, clear = issue_token(user=users.authorised, name="t")
    api = {"HTTP_AUTHORIZATION": f"Bearer {clear}"}
    created = Client().post(
        "/api/v1/petitions/",
        {
            "unit_id": tree.city.pk,
            "received_on": "2024-03-04",
            "content": "Đơn chuyển từ hệ thống khác về việc nhận hối lộ.",
            "identity": {
                "full_name": "Trần Thị Bí Mật",
                "phone": "0912345678",
                "email": "bimat@example.vn",
                "address": "Số 7 ngõ Kín",
                "id_number": "038190000777",
            },
        },
        content_type="application/json",
        **api,
    )
    assert created.status_code == 201
    _clean(created.content.decode(), "API create response")
    assert Petition.objects.count() == 3
    # 2. Staff work on them: classify, accept; reminders go out.
    for petition in Petition.objects.all():
        petition = classified(petition, users.authorised)
        accepted(petition, users.authorised, dt.date(2024, 3, 4), handler=users.authorised)
    users.authorised.email = "ubkt@example.vn"
    users.authorised.save()
    frozen.shift(dt.timedelta(days=85))
    call_command("send_deadline_reminders")
    assert mail.outbox
    for message in mail.outbox:
        _clean(message.subject + message.body, "reminder e-mail")
    # 3. Every page, list, search, export and API read.
    client = client_for(users.authorised)
    pages = [
        reverse("petitions:list"),
        reverse("petitions:alerts"),
        reverse("petitions:reveal_log"),
    ]
    pages += [reverse("petitions:detail", args=[p.pk]) for p in Petition.objects.all()]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        _clean(response.content.decode(), url)
    export = client.get(reverse("petitions:export"))
    sheet = load_workbook(io.BytesIO(export.content)).active
    _clean(repr(list(sheet.iter_rows(values_only=True))), "export")
    for url in ["/api/v1/petitions/", "/api/v1/petitions/alerts"]:
        _clean(client.get(url, **api).content.decode(), url)
    for petition in Petition.objects.all():
        _clean(client.get(f"/api/v1/petitions/{petition.pk}", **api).content.decode(), "API detail")
    # 4. Stored only encrypted; logs of changes and reads hold no identity.
    for row in SealedIdentity.objects.values_list("ciphertext", flat=True):
        _clean(row, "sealed identity")
    for table in (Petition, LogEntry, AccessEvent):
        _clean(repr(list(table.objects.values())), table.__name__)
    # 5. No log line (SQL included) ever carried the identity.
    _clean("\n".join(r.getMessage() for r in everything_logged.records), "log lines")
    assert any("INSERT" in r.getMessage() for r in everything_logged.records)
    # 6. Searching for an identity finds nothing: identities are not searchable (the page
    # only echoes what was typed).
    for query in ("Bí Mật", "0912345678", "bimat@example.vn"):
        html = client.get(reverse("petitions:list"), {"q": query}).content.decode()
        assert "Không có đơn phù hợp." in html
        assert 'href="/petitions/' not in html.split('id="petition-table"')[1]
    assert client.get("/api/v1/petitions/", {"q": "0912345678"}, **api).json()["items"] == []


def test_error_reports_do_not_show_the_identity(tree, settings, monkeypatch, caplog, frozen):
    """When submitting fails, Django's error report (e-mailed to admins in production)
    shows neither the POSTed identity nor the local variables holding it."""
    settings.GIAMSAT_HOTLINE_UNITS = [tree.city.code]

    def broken(*, spec, files=()):
        spec.identity.as_dict()
        raise RuntimeError("storage failed")

    monkeypatch.setattr("giamsat.petitions.public_views.submit_hotline", broken)
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.post(reverse("hotline:home"), _form(tree.city))
    assert response.status_code == 500
    record = next(r for r in caplog.records if r.name == "django.request")
    report = ExceptionReporter(record.request, *record.exc_info, is_email=True)
    _clean(report.get_traceback_text(), "error report (text)")
    _clean(report.get_traceback_html(), "error report (html)")
    _clean(record.getMessage(), "error log line")
