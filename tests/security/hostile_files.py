"""Hostile spreadsheets for the upload tests: each is (name, bytes) built in memory."""

from __future__ import annotations

import functools
import io
import zipfile

from giamsat.core.excel import write_xlsx

HEADERS = ["Họ và tên (*)", "Ngày sinh (*)", "Tình trạng (*)", "Mã chi bộ (*)"]


def good_xlsx(rows=None) -> bytes:
    rows = rows or [["Nguyễn Văn A", "01/01/1980", "Chính thức", "X"]]
    return write_xlsx([("Data", HEADERS, rows)])


def _xlsx_with_sheet(sheet_xml: bytes, compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A minimal workbook whose only sheet is ``sheet_xml``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compress) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'worksheet+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buffer.getvalue()


_SHEET_HEAD = (
    b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    b'2006/main">'
)


def huge_dimension() -> bytes:
    """A small file declaring the whole grid (A1:XFD1048576), with cells in the last column of
    thousands of rows: read naively, every row becomes 16,384 cells."""
    rows = [
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan</t></is></c></row>'
    ]
    for r in range(2, 3002):
        rows.append(f'<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>'.encode())
    rows.append(b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    sheet = (
        _SHEET_HEAD
        + b'<dimension ref="A1:XFD1048576"/><sheetData>'
        + b"".join(rows)
        + b"</sheetData></worksheet>"
    )
    return _xlsx_with_sheet(sheet)


def zip_bomb() -> bytes:
    """A workbook whose sheet unpacks to 40 MB of blanks (a ratio of ~1000×)."""
    blanks = b" " * (40 * 1024 * 1024)
    return _xlsx_with_sheet(_SHEET_HEAD + b"<sheetData>" + blanks + b"</sheetData></worksheet>")


def with_doctype() -> bytes:
    """The "billion laughs" entity expansion."""
    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    return _xlsx_with_sheet(sheet)


@functools.cache
def hostile_files() -> dict[str, tuple[str, bytes]]:
    good = good_xlsx()
    vietnamese = "Họ và tên,Ngày sinh\nNguyễn Văn Ánh,01/01/1980\n"
    return {
        "not-a-zip": ("roster.xlsx", b"this is not a spreadsheet at all\n" * 10),
        "truncated-zip": ("roster.xlsx", good[: len(good) // 2]),
        "pdf-named-xlsx": ("roster.xlsx", b"%PDF-1.7\n" + b"0" * 200),
        "old-xls": ("roster.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200),
        "empty": ("roster.csv", b""),
        "binary-csv": ("roster.csv", bytes(range(256)) * 8),
        "zip-bomb": ("roster.xlsx", zip_bomb()),
        "doctype": ("roster.xlsx", with_doctype()),
        "huge-dimension": ("roster.xlsx", huge_dimension()),
        "tcvn3-csv": (
            "roster.csv",
            "Hä vµ tªn,Ngµy sinh\nNguyÔn V¨n A,01/01/1970\n".encode("latin-1"),
        ),
        "utf16-no-bom-csv": ("roster.csv", vietnamese.encode("utf-16-le")),
    }
