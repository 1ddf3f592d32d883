"""The official document: DOCX in the party format of HD 36-HD/VPTW that opens in
LibreOffice, converts to PDF and to PNG, with the header, the symbol and the Vietnamese
figures intact. On CI (CI=true) missing LibreOffice or poppler is a failure, not a skip."""

import datetime as dt
import io
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt

from giamsat.reports import services
from giamsat.reports.content import content_of
from giamsat.reports.documents import convert, report_docx
from giamsat.reports.models import ReportSource
from tests.reports.conftest import advance, make_report

ARTIFACTS = Path(os.environ.get("GIAMSAT_ARTIFACTS", "test-artifacts"))
SEED_FIGURES = {
    "study.attendances": "80412",
    "study.participation_rate": "96",
    "oversight.thematic_supervision.collectives": "6",
    "oversight.thematic_supervision.individuals": "12",
    "oversight.inspections": "38",
    "oversight.criticism.collectives": "4",
    "discipline.organisations": "1",
    "discipline.organisations.khien_trach": "1",
    "discipline.members": "29",
    "discipline.members.group.ethics_lifestyle": "29",
}
EXPECTED = [
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "ĐẢNG BỘ TỈNH THANH HÓA",
    "THÀNH ỦY THANH HÓA",
    "Số 125-BC/TU",
    "Thanh Hóa, ngày 30 tháng 9 năm 2022",
    "BÁO CÁO",
    "80.412 lượt cán bộ, đảng viên, công chức, viên chức tham gia học tập, đạt 96%",
    "giám sát chuyên đề với 6 tập thể và 12 cá nhân; 38 cuộc thanh tra",
    "phê bình đối với 4 tổ chức đảng và người đứng đầu",
    "kỷ luật 1 tổ chức đảng (trong đó 1 bằng hình thức khiển trách); 29 đảng viên vi phạm, trong "
    "đó 29 đảng viên do vi phạm đạo đức, lối sống",
    "T/M BAN THƯỜNG VỤ",
    "Lê Anh Xuân",
    "Nơi nhận:",
]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is required on CI (make sys-deps-test)")
        pytest.skip(f"{name} is not installed (make sys-deps-test)")
    return path


@pytest.fixture
def signed_report(tree, report_users):
    services.sync_builtin_templates()
    report = make_report(tree.city, services.default_template(), source=ReportSource.TYPED)
    report = services.set_typed_figures(
        report=report, expected_version=report.version, acting_user=None, figures=SEED_FIGURES
    )
    report = services.update_report(
        report=report, expected_version=report.version, acting_user=None, place="Thanh Hóa"
    )
    advance(report, "submit", "accept", users=report_users)
    services.sign_report(
        report=report,
        expected_version=report.version,
        acting_user=report_users.city_leader,
        number=125,
        document_date=dt.date(2022, 9, 30),
        signer_name="Lê Anh Xuân",
    )
    report.refresh_from_db()
    return report


def _all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_the_docx_carries_the_party_format_and_the_figures(signed_report):
    data = report_docx(content_of(signed_report))
    document = Document(io.BytesIO(data))
    text = _flat(_all_text(document))
    for expected in EXPECTED:
        assert expected in text, expected
    assert "DỰ THẢO" not in text  # a signed report is not a draft
    runs = [r for p in document.paragraphs for r in p.runs if r.text.strip()]
    runs += [
        r
        for t in document.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
        if r.text.strip()
    ]
    assert {r.font.name for r in runs} == {"Times New Roman"}
    heading = next(r for r in runs if r.text == "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert heading.font.bold and heading.font.size == Pt(15)
    date_run = next(r for r in runs if r.text.startswith("Thanh Hóa, ngày"))
    assert date_run.font.italic
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7


def test_a_draft_says_so(tree, report_users):
    services.sync_builtin_templates()
    report = make_report(tree.city, services.default_template())
    text = _all_text(Document(io.BytesIO(report_docx(content_of(report)))))
    assert "DỰ THẢO" in text and "Số …-BC/TU" in text


def test_libreoffice_opens_it_and_poppler_renders_it(signed_report, tmp_path):
    _tool("soffice")
    pdftotext, pdftoppm = _tool("pdftotext"), _tool("pdftoppm")
    pdf = convert(report_docx(content_of(signed_report)), "pdf")
    assert pdf.startswith(b"%PDF")
    pdf_path = tmp_path / "bao-cao.pdf"
    pdf_path.write_bytes(pdf)
    extracted = subprocess.run(
        [pdftotext, "-layout", str(pdf_path), "-"], capture_output=True, check=True, text=True
    ).stdout
    flat = _flat(extracted)
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 125-BC/TU",
        "Thanh Hóa, ngày 30 tháng 9 năm 2022",
        "80.412",
        "96%",
        "6 tập thể và 12 cá nhân",
        "29 đảng viên",
        "T/M BAN THƯỜNG VỤ",
    ):
        assert expected in flat, expected
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    prefix = ARTIFACTS / "report-docx"
    subprocess.run(
        [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "2", str(pdf_path), str(prefix)],
        check=True,
        capture_output=True,
    )
    pages = sorted(ARTIFACTS.glob("report-docx-*.png"))
    assert pages and pages[0].stat().st_size > 20_000
