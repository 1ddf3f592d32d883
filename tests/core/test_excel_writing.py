"""Writing XLSX: formula-like text is neutralised but reads back unchanged; dates are dates."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from giamsat.core.excel import SheetSpec, neutralise, read_sheet, write_xlsx

DANGEROUS = [
    '=HYPERLINK("http://x","y")',
    "+84 912",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "=cmd|'/c calc'!A0",
]


def test_formula_like_text_is_written_as_quote_prefixed_text_never_a_formula():
    data = write_xlsx([("S", ["h"], [[v] for v in DANGEROUS])])
    ws = load_workbook(io.BytesIO(data)).active
    for row, value in enumerate(DANGEROUS, start=2):
        cell = ws.cell(row=row, column=1)
        assert cell.data_type == "s"
        assert cell.quotePrefix is True
        assert cell.value == value


def test_neutralised_values_read_back_exactly():
    data = write_xlsx([("S", ["=header"], [[v] for v in DANGEROUS])])
    sheet = read_sheet(io.BytesIO(data), "x.xlsx")
    assert sheet.headers == ["=header"]
    assert [cells[0] for _n, cells in sheet.rows] == [v.strip() for v in DANGEROUS]


def test_neutralise_prefixes_an_apostrophe_for_plain_text_outputs():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("Nguyễn") == "Nguyễn"
    assert neutralise(-5) == -5


def test_dates_are_real_dates_shown_day_first_and_control_characters_are_dropped():
    data = write_xlsx(
        [SheetSpec("S", ["d", "t"], [[dt.date(2025, 7, 1), "a\x00b\x07c"]], widths=[12, 20])]
    )
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A2"].value == dt.datetime(2025, 7, 1)
    assert ws["A2"].number_format == "DD/MM/YYYY"
    assert ws["B2"].value == "abc"
    assert ws.column_dimensions["A"].width == 12
