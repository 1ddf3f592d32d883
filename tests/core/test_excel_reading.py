"""Reading XLSX files: values as Excel shows them, streamed, with clear refusals."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from giamsat.core.excel import (
    SpreadsheetError,
    check_upload,
    detect_kind,
    read_sheet,
    sheet_names,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def workbook_bytes(build) -> bytes:
    wb = Workbook()
    build(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rows_of(data: bytes, **kwargs) -> tuple[list[str], list[tuple[int, list]]]:
    sheet = read_sheet(io.BytesIO(data), "file.xlsx", **kwargs)
    return sheet.headers, list(sheet.rows)


def test_it_reads_shared_strings_numbers_dates_booleans_and_formula_results():
    def build(wb):
        ws = wb.active
        ws.append(["Họ và tên", "Ngày sinh", "Số", "Đúng", "Tổng"])
        ws.append(["Nguyễn Thị Lan", dt.date(1985, 3, 12), 38012345, True, "=1+2"])
        ws["E2"].value = "=C2*2"

    headers, rows = rows_of(workbook_bytes(build))
    assert headers == ["Họ và tên", "Ngày sinh", "Số", "Đúng", "Tổng"]
    number, cells = rows[0]
    assert number == 2
    assert cells[:4] == ["Nguyễn Thị Lan", dt.date(1985, 3, 12), 38012345, True]
    # Never evaluated: openpyxl wrote no cached value, so the formula reads as empty.
    assert cells[4] is None


def test_it_keeps_row_numbers_and_skips_empty_rows_and_strips_text():
    def build(wb):
        ws = wb.active
        ws.append(["A", "B"])
        ws.append(["  x  ", None])
        ws.append([None, None])
        ws["B5"] = "y"

    _headers, rows = rows_of(workbook_bytes(build))
    assert rows == [(2, ["x"]), (5, [None, "y"])]


def test_it_reads_a_named_sheet_or_else_the_first():
    def build(wb):
        wb.active.title = "Đảng viên"
        wb.active.append(["first"])
        other = wb.create_sheet("Hướng dẫn")
        other.append(["guide"])

    data = workbook_bytes(build)
    assert sheet_names(io.BytesIO(data)) == ["Đảng viên", "Hướng dẫn"]
    assert read_sheet(io.BytesIO(data), "f.xlsx", sheet="Hướng dẫn").headers == ["guide"]
    assert read_sheet(io.BytesIO(data), "f.xlsx", sheet="missing").headers == ["first"]


def test_it_finds_a_header_below_title_rows():
    def build(wb):
        ws = wb.active
        ws.append(["DANH SÁCH ĐẢNG VIÊN CHI BỘ KHU PHỐ 1"])
        ws.append([None])
        ws.append(["STT", "Họ và tên", "Ngày sinh"])
        ws.append([1, "Lê Văn An", "01/02/1970"])

    sheet = read_sheet(
        io.BytesIO(workbook_bytes(build)),
        "f.xlsx",
        header_row=None,
        expected={"full_name": ["Ho va ten"], "birth_date": ["Ngay sinh"]},
    )
    assert sheet.header_row == 3
    assert sheet.headers == ["STT", "Họ và tên", "Ngày sinh"]
    assert list(sheet.rows) == [(4, [1, "Lê Văn An", "01/02/1970"])]


def test_a_date_cell_in_a_1904_workbook_reads_right():
    def build(wb):
        wb.epoch = dt.datetime(1904, 1, 1)
        wb.active.append(["d"])
        wb.active.append([dt.date(2020, 5, 19)])

    _h, rows = rows_of(workbook_bytes(build))
    assert rows[0][1] == [dt.date(2020, 5, 19)]


def test_an_undone_csv_neutralisation_gives_back_the_value():
    def build(wb):
        wb.active.append(["h"])
        wb.active.append(["'=SUM(A1)"])
        wb.active.append(["'plain apostrophe"])

    _h, rows = rows_of(workbook_bytes(build))
    assert [r[1][0] for r in rows] == ["=SUM(A1)", "'plain apostrophe"]


@pytest.mark.parametrize(
    ("name", "head", "message"),
    [
        ("roster.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"),
        ("roster.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "password"),
        ("roster.xlsx", b"hello, w", "not a real Excel"),
        ("roster.pdf", b"%PDF-1.4", "Only .xlsx and .csv"),
        ("roster.docx", b"PK\x03\x04\x14\x00\x06\x00", "ends in .docx"),
        ("roster.csv", b"\x00\x01\x02\x03abcd", "not a text"),
    ],
)
def test_files_that_are_not_xlsx_or_csv_are_refused_with_the_reason(name, head, message):
    with pytest.raises(SpreadsheetError, match=message):
        detect_kind(name, head)


def test_empty_and_oversized_uploads_are_refused():
    with pytest.raises(SpreadsheetError, match="empty"):
        check_upload("a.csv", 0, b"", max_mb=1)
    with pytest.raises(SpreadsheetError, match="limit is 1 MB"):
        check_upload("a.csv", 3 * 1024 * 1024, b"a,b", max_mb=1)
    assert check_upload("a.csv", 10, b"a,b", max_mb=1) == "csv"


def test_a_damaged_workbook_is_refused():
    data = workbook_bytes(lambda wb: wb.active.append(["a"]))
    with pytest.raises(SpreadsheetError):
        read_sheet(io.BytesIO(data[: len(data) // 2]), "cut.xlsx")


def test_a_workbook_with_a_broken_sheet_is_refused_after_the_last_good_row():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        z.writestr(
            "xl/worksheets/sheet1.xml",
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c></row>'
            '<row r="2"><c r="A2" t="inlineStr"><is><t>ok</t></is></c></row>'
            '<row r="3"><c r="A3"',
        )
    # The first rows are read when the file is opened: the damage shows at once.
    with pytest.raises(SpreadsheetError, match="after row 2"):
        read_sheet(io.BytesIO(buffer.getvalue()), "broken.xlsx")


def test_a_zip_bomb_is_refused(monkeypatch):
    import giamsat.core.excel as excel

    data = workbook_bytes(lambda wb: [wb.active.append(["x" * 50]) for _ in range(2000)])
    monkeypatch.setattr(excel, "MAX_UNZIP_RATIO", 2)
    with pytest.raises(SpreadsheetError, match="too large"):
        read_sheet(io.BytesIO(data), "bomb.xlsx")


def test_rich_text_and_inline_strings_read_as_plain_text():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="S" sheetId="1" r:id="rId7"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId7" Target="/xl/worksheets/data.xml"/></Relationships>',
        )
        z.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            "<si><r><t>Nguyễn </t></r><r><t>Văn An</t></r><rPh><t>ignored</t></rPh></si></sst>",
        )
        z.writestr(
            "xl/worksheets/data.xml",
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            '<row><c t="inlineStr"><is><t>Tên</t></is></c><c t="b"><v>1</v></c></row>'
            '<row><c t="s"><v>0</v></c><c t="e"><v>#REF!</v></c><c t="str"><f>A1</f><v>Tên</v></c></row>'
            "</sheetData></worksheet>",
        )
    sheet = read_sheet(io.BytesIO(buffer.getvalue()), "rich.xlsx")
    assert sheet.headers == ["Tên", "True"]
    assert list(sheet.rows) == [(2, ["Nguyễn Văn An", None, "Tên"])]


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml"])
def test_xml_with_a_document_type_declaration_is_refused(part):
    """Entity expansion ("billion laughs") and external entities need a DTD: none is accepted."""
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    parts = {
        "xl/workbook.xml": '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>',
    }
    parts[part] = bomb + parts[part]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text)
    with pytest.raises(SpreadsheetError, match="document type declaration"):
        read_sheet(io.BytesIO(buffer.getvalue()), "bomb.xlsx")
