"""CSV encodings are detected; legacy Vietnamese encodings (TCVN3/ABC, VNI) are refused."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from giamsat.core.excel import SpreadsheetError, decode_csv, looks_like_legacy_encoding, read_sheet

TEXT = "Họ và tên,Ngày sinh\nNguyễn Thị Lan,12/03/1985\nTrần Đức Thắng,01/01/1970\n"
# "Họ và tên" and names as TCVN3 (ABC) bytes shown in a Latin-1 font.
TCVN3 = "Hä vµ tªn,Ngµy sinh\nNguyÔn ThÞ Lan,12/03/1985\nTrÇn §øc Th¾ng,01/01/1970\n"


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def windows_1258(text: str) -> bytes:
    """Windows-1258 writes vowel marks precomposed and tones as combining marks."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def csv_rows(data: bytes) -> tuple[list[str], list, str | None, tuple[str, ...]]:
    sheet = read_sheet(io.BytesIO(data), "roster.csv")
    return sheet.headers, list(sheet.rows), sheet.encoding, sheet.warnings


def test_utf8_without_bom():
    headers, rows, encoding, warnings = csv_rows(TEXT.encode("utf-8"))
    assert headers == ["Họ và tên", "Ngày sinh"]
    assert rows[0] == (2, ["Nguyễn Thị Lan", "12/03/1985"])
    assert encoding == "utf-8"
    assert warnings == ()


def test_utf8_with_bom_as_excel_saves_it():
    headers, _rows, encoding, _w = csv_rows(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    assert headers[0] == "Họ và tên"
    assert encoding == "utf-8-sig"


def test_utf16_unicode_text_with_tabs():
    data = TEXT.replace(",", "\t").encode("utf-16")
    headers, rows, encoding, _w = csv_rows(data)
    assert headers == ["Họ và tên", "Ngày sinh"]
    assert rows[1][1][0] == "Trần Đức Thắng"
    assert encoding == "utf-16"


def test_windows_1258_is_read_composed_with_a_warning():
    data = windows_1258(TEXT)
    headers, rows, encoding, warnings = csv_rows(data)
    assert encoding == "cp1258"
    assert headers[0] == "Họ và tên"
    assert rows[0][1][0] == "Nguyễn Thị Lan"
    assert unicodedata.is_normalized("NFC", rows[0][1][0])
    assert warnings and "1258" in warnings[0]


def test_semicolon_separated_files_are_understood():
    headers, rows, _e, _w = csv_rows(TEXT.replace(",", ";").encode("utf-8"))
    assert headers == ["Họ và tên", "Ngày sinh"]
    assert rows[0][1] == ["Nguyễn Thị Lan", "12/03/1985"]


@pytest.mark.parametrize("encoding", ["latin-1", "utf-8"])
def test_tcvn3_text_in_a_csv_is_refused(encoding):
    with pytest.raises(SpreadsheetError, match="TCVN3"):
        decode_csv(TCVN3.encode(encoding))


def test_tcvn3_text_in_xlsx_cells_is_refused():
    wb = Workbook()
    for line in TCVN3.strip().split("\n"):
        wb.active.append(line.split(","))
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(SpreadsheetError, match="TCVN3"):
        read_sheet(io.BytesIO(buffer.getvalue()), "old.xlsx")


def test_tcvn3_data_below_a_unicode_header_is_refused():
    data = ("Họ và tên,Ngày sinh\n" + "\n".join(TCVN3.split("\n")[1:])).encode("utf-8")
    with pytest.raises(SpreadsheetError, match="TCVN3"):
        list(read_sheet(io.BytesIO(data), "mixed.csv").rows)


VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
)


@given(st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " ,.-/0123456789", max_size=300))
def test_real_vietnamese_text_is_never_taken_for_a_legacy_encoding(text):
    assert not looks_like_legacy_encoding(text)
