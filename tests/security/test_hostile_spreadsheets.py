"""Hostile spreadsheets against the real upload endpoints — the roster import
(``/import/upload/``) and the attendance import of a study session (``/study/<id>/import/``):
malformed (not a zip, a truncated zip, a PDF or an old .xls under another name, a DTD), a zip
bomb, a sheet declaring the whole 16,384 × 1,048,576 grid, oversized, binary or wrongly encoded
text (TCVN3, UTF-16 without a BOM). Each answer is a page (never a server error) with a clear
Vietnamese reason, and nothing is written: no person, membership or attendance, no import
applied. Formula-looking cells are data, never formulas: they import as text and come back
quote-prefixed in every export."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import override_settings

from giamsat.accounts.roles import Role
from giamsat.imports.models import BatchStatus, ImportBatch
from giamsat.people.models import Membership, Person
from giamsat.study.models import Attendance, AttendanceImport
from tests.conftest import client_for
from tests.factories import make_user
from tests.security.hostile_files import hostile_files
from tests.study.factories import make_directive, make_session

VIETNAMESE = re.compile(
    "[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.IGNORECASE
)


def _messages(html: str) -> list[str]:
    """The error texts of a page: form errors, alerts, and the problems table of a result."""
    found = re.findall(
        r'(?:class="(?:invalid-feedback|errorlist|alert)[^"]*"|role="alert")[^>]*>'
        r"\s*(?:<[^>]+>\s*)*([^<]+)",
        html,
    )
    found += re.findall(r"<td>([^<]{8,})</td>", html)
    return [text.strip() for text in found if text.strip()]


@pytest.fixture
def writes():
    """Counts of what an import could write."""

    def counts():
        return (
            Person.objects.count(),
            Membership.objects.count(),
            list(Attendance.objects.values_list("status", flat=True).order_by("pk")),
            AttendanceImport.objects.filter(status="done").count(),
            ImportBatch.objects.filter(status=BatchStatus.APPLIED).count(),
        )

    return counts


@pytest.fixture
def place(tree, members):
    clerk = make_user(Role.ORGANISATION, tree.city, username="clerk_hostile")
    office = make_user(Role.COMMITTEE_OFFICE, tree.city, username="office_hostile")
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [make_directive(4)])
    return tree, clerk, office, session


def _roster_upload(client, tree, name, data):
    file = io.BytesIO(data)
    file.name = name
    form = {"kind": "members", "unit": tree.city.pk, "as_of": "20/11/2026", "file": file}
    response = client.post("/import/upload/", form, follow=True, HTTP_ACCEPT_LANGUAGE="vi")
    return response


def _attendance_upload(client, session, name, data):
    file = io.BytesIO(data)
    file.name = name
    response = client.post(f"/study/{session.pk}/import/", {"file": file}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    if response.status_code == 200 and f"/study/{session.pk}/import/" in html and "/run/" in html:
        start = html.index(f"/study/{session.pk}/import/") + len(f"/study/{session.pk}/import/")
        token = html[start : html.index("/", start)]
        response = client.post(f"/study/{session.pk}/import/{token}/run/", HTTP_HX_REQUEST="true")
    return response


def _assert_refused_in_vietnamese(response) -> list[str]:
    assert response.status_code < 500
    messages = _messages(response.content.decode())
    assert any(VIETNAMESE.search(m) for m in messages), messages
    return messages


@pytest.mark.parametrize("case", sorted(hostile_files()))
def test_a_hostile_roster_file_is_refused_in_vietnamese_and_writes_nothing(
    place, writes, case, settings
):
    settings.LANGUAGE_CODE = "vi"
    tree, clerk, _office, _session = place
    name, data = hostile_files()[case]
    before = writes()
    response = _roster_upload(client_for(clerk), tree, name, data)
    _assert_refused_in_vietnamese(response)
    assert writes() == before


@pytest.mark.parametrize("case", sorted(hostile_files()))
def test_a_hostile_attendance_file_is_refused_in_vietnamese_and_writes_nothing(
    place, writes, case, settings
):
    settings.LANGUAGE_CODE = "vi"
    _tree, _clerk, office, session = place
    name, data = hostile_files()[case]
    before = writes()
    response = _attendance_upload(client_for(office), session, name, data)
    _assert_refused_in_vietnamese(response)
    assert writes() == before


@override_settings(GIAMSAT_IMPORT_MAX_MB=1, GIAMSAT_MAX_UPLOAD_MB=1)
def test_an_oversized_file_is_refused_on_both_endpoints(place, writes, settings):
    settings.LANGUAGE_CODE = "vi"
    tree, clerk, office, session = place
    data = b"Ho va ten,Ngay sinh\n" + b"Nguyen Van A,01/01/1980\n" * 60_000  # 1.4 MB
    before = writes()
    roster = _assert_refused_in_vietnamese(_roster_upload(client_for(clerk), tree, "big.csv", data))
    assert any("1 MB" in m for m in roster), roster
    study = _assert_refused_in_vietnamese(
        _attendance_upload(client_for(office), session, "big.csv", data)
    )
    assert any("1 MB" in m for m in study), study
    assert writes() == before


FORMULAS = [
    '=HYPERLINK("http://x.example","Bấm")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "=cmd|' /C calc'!A0",
]


def _formula_cells(xlsx: bytes) -> list[str]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        return [n for n in sheets if b"<f>" in archive.read(n) or b"<f " in archive.read(n)]


def _text_cells(xlsx: bytes) -> set[str]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx))
    return {
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "s" and isinstance(cell.value, str)
    }


def test_formula_cells_import_as_text_and_export_as_text(place, settings):
    """A roster whose names start with =, +, - or @ goes through the real upload and
    confirmation without a server error; whatever is stored comes back from every export as
    text (no <f> formula element in any sheet), and the attendance import treats such cells as
    data too."""
    settings.LANGUAGE_CODE = "vi"
    tree, clerk, office, session = place
    header = "Họ và tên (*),Ngày sinh (*),Tình trạng (*),Mã chi bộ (*)\n"
    lines = "".join(
        f'"{name.replace(chr(34), chr(34) * 2)}",01/01/1980,Chính thức,{tree.cell_a1.code}\n'
        for name in FORMULAS
    )
    client = client_for(clerk)
    response = _roster_upload(client, tree, "formulas.csv", (header + lines).encode())
    assert response.status_code < 500
    batch = ImportBatch.objects.get()
    confirmed = client.post(f"/import/{batch.pk}/confirm/", {"skip_rejected": "on"}, follow=True)
    assert confirmed.status_code < 500
    stored = set(Person.objects.values_list("full_name", flat=True))
    assert set(FORMULAS) <= stored  # names are data: stored exactly as typed
    export = client.get(
        "/import/export/", {"kind": "members", "unit": tree.city.pk, "as_of": "20/11/2026"}
    )
    assert export.status_code == 200 and export.content[:2] == b"PK"
    assert _formula_cells(export.content) == []
    assert _text_cells(export.content) >= set(FORMULAS)  # and come back as text cells
    # The attendance import reads the same cells as data: an error per row, nothing written.
    rows = [[name, "Có mặt", None] for name in FORMULAS]
    from giamsat.core.excel import write_xlsx

    data = write_xlsx([("a", ["Họ và tên", "Tình trạng", "Lý do vắng"], rows)])
    before = list(Attendance.objects.values_list("status", flat=True).order_by("pk"))
    result = _attendance_upload(client_for(office), session, "diem-danh.xlsx", data)
    assert result.status_code < 500
    assert list(Attendance.objects.values_list("status", flat=True).order_by("pk")) == before
    for url in (f"/study/{session.pk}/attendance.xlsx", f"/study/{session.pk}/template.xlsx"):
        sheet = client_for(office).get(url)
        assert sheet.status_code == 200 and _formula_cells(sheet.content) == [], url
