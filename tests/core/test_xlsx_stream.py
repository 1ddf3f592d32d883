"""The streaming XLSX reader returns exactly what openpyxl returns (values only)."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook, load_workbook

from giamsat.core.excel import read_sheet
from giamsat.core.xlsx_stream import iter_rows


def _openpyxl_rows(data: bytes, sheet: str | None = None):
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    rows = []
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        values = list(values)
        while values and values[-1] is None:
            values.pop()
        if values:
            rows.append((number, values))
    return rows


def _stream_rows(data: bytes, sheet: str | None = None):
    rows = []
    for number, values in iter_rows(io.BytesIO(data), sheet):
        values = list(values)
        while values and values[-1] is None:
            values.pop()
        if values:
            rows.append((number, values))
    return rows


def _workbook() -> bytes:
    wb = Workbook()  # a normal (not write-only) workbook: shared strings, styles, gaps
    ws = wb.active
    ws.title = "Điểm danh"
    ws.append(["Họ và tên", "Ngày sinh", "Số", "Tỷ lệ", "Có mặt", "Giờ"])
    ws.append(["Nguyễn Văn An", dt.datetime(1980, 5, 17), 38000001, 0.5, True, dt.time(8, 30)])
    ws.append(["Trần Thị Ánh", dt.date(1899, 12, 31), -3, 1e-7, False, None])
    ws["A5"] = "  Lê Đức   Anh "
    ws["D5"] = 12.0
    ws["F5"] = "=1+2"
    ws["B6"] = dt.datetime(2022, 9, 30, 14, 5)
    other = wb.create_sheet("Khác")
    other.append(["x"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_it_matches_openpyxl_on_types_dates_gaps_and_formulas():
    data = _workbook()
    assert _stream_rows(data) == _openpyxl_rows(data)


def test_it_reads_a_named_sheet_and_falls_back_to_the_first():
    data = _workbook()
    assert _stream_rows(data, "Khác") == [(1, ["x"])]
    assert _stream_rows(data, "Không có")[0][1][0] == "Họ và tên"


def test_it_matches_openpyxl_on_a_write_only_file_with_inline_strings():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("a")
    ws.append(["Mã", "Tên", "Ngày"])
    for i in range(50):
        ws.append([i, f"Người {i}", dt.date(2022, 3, 1 + i % 28)])
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    assert _stream_rows(data) == _openpyxl_rows(data)


def test_read_sheet_uses_it_and_reports_broken_files_in_words():
    sheet = read_sheet(io.BytesIO(_workbook()), "a.xlsx")
    assert sheet.headers[:2] == ["Họ và tên", "Ngày sinh"]
    rows = list(sheet.rows)
    assert rows[0] == (
        2,
        ["Nguyễn Văn An", dt.date(1980, 5, 17), 38000001, 0.5, True, dt.time(8, 30)],
    )
