"""A lean streaming reader of XLSX cell values (used by ``core.excel.read_sheet``).

openpyxl's read-only mode builds a Python object per cell and, for files without a
``<dimension>`` element (every file written in write-only mode, such as our own templates),
parses the whole sheet twice; a 100,000-row sheet then takes longer to read than to import.
This reader walks the sheet XML once with the C ``iterparse`` of the standard library and
returns the same values as ``openpyxl`` with ``values_only=True, data_only=True``: strings
(shared, inline, formula results), ints and floats, booleans, error codes as text, and
``datetime`` for numbers whose cell style is a date format (1900 or 1904 epoch).
Anything unexpected raises ``XlsxStreamError`` and the caller falls back to openpyxl.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import iterparse as _iterparse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL = MAIN + "c"
_ROW = MAIN + "row"
_VALUE = MAIN + "v"
_INLINE = MAIN + "is"
_TEXT = MAIN + "t"
_RUN = MAIN + "r"


def iterparse(source, events=("end",)):
    # Uploaded files are untrusted. ElementTree never resolves external entities, and the
    # bundled expat (>= 2.4) caps entity amplification ("billion laughs"); openpyxl reads
    # with the same parser when defusedxml is absent, as here.
    return _iterparse(source, events=events)  # noqa: S314


class XlsxStreamError(ValueError):
    """The workbook has a structure this reader does not handle."""


_DIGITS = "0123456789"
_COLUMNS: dict[str, int] = {}


def _column_index(ref: str) -> int:
    letters = ref.rstrip(_DIGITS)
    index = _COLUMNS.get(letters)
    if index is None:
        if not letters or not letters.isalpha() or not letters.isupper():
            raise XlsxStreamError(f"bad cell reference {ref!r}")
        index = 0
        for ch in letters:
            index = index * 26 + (ord(ch) - 64)
        index -= 1
        _COLUMNS[letters] = index
    return index


def _text_of(element) -> str:
    """Concatenate the <t> runs of a string item, skipping phonetic hints (<rPh>)."""
    parts = []
    for child in element:
        tag = child.tag
        if tag == _TEXT:
            parts.append(child.text or "")
        elif tag == _RUN:
            for grandchild in child:
                if grandchild.tag == _TEXT:
                    parts.append(grandchild.text or "")
    return "".join(parts)


def _sheet_path(archive: zipfile.ZipFile, sheet: str | None) -> tuple[str, bool]:
    names = set(archive.namelist())
    workbook = "xl/workbook.xml"
    if workbook not in names:
        raise XlsxStreamError("no xl/workbook.xml")
    targets: dict[str, str] = {}
    rels = "xl/_rels/workbook.xml.rels"
    if rels in names:
        for _event, el in iterparse(archive.open(rels)):
            if el.tag == PKG_REL + "Relationship":
                targets[el.get("Id", "")] = el.get("Target", "")
    chosen: str | None = None
    first: str | None = None
    date1904 = False
    for _event, el in iterparse(archive.open(workbook)):
        if el.tag == MAIN + "workbookPr":
            date1904 = el.get("date1904", "0") in ("1", "true")
        elif el.tag == MAIN + "sheet":
            target = targets.get(el.get(REL + "id", ""), "")
            first = first or target
            if chosen is None and sheet is not None and el.get("name") == sheet:
                chosen = target
    # As core.excel with openpyxl: a sheet name that does not exist means the first sheet.
    chosen = chosen or first
    if not chosen:
        raise XlsxStreamError("sheet not found")
    if chosen.startswith("/"):
        path = chosen.lstrip("/")
    else:
        path = posixpath.normpath(posixpath.join("xl", chosen))
    if path not in names:
        raise XlsxStreamError(f"missing part {path}")
    return path, date1904


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    strings: list[str] = []
    name = "xl/sharedStrings.xml"
    if name not in archive.namelist():
        return strings
    for _event, el in iterparse(archive.open(name)):
        if el.tag == MAIN + "si":
            strings.append(_text_of(el))
            el.clear()
    return strings


def _date_styles(archive: zipfile.ZipFile) -> tuple[set[int], set[int]]:
    """Indexes of the cell formats (cellXfs) showing a date or time, and those showing a
    duration (as openpyxl's stylesheet computes them)."""
    name = "xl/styles.xml"
    if name not in archive.namelist():
        return set(), set()
    custom: dict[int, str] = {}
    dates: set[int] = set()
    durations: set[int] = set()
    in_xfs = False
    index = 0
    for event, el in iterparse(archive.open(name), events=("start", "end")):
        if el.tag == MAIN + "numFmt" and event == "end":
            custom[int(el.get("numFmtId", "0"))] = el.get("formatCode", "")
        elif el.tag == MAIN + "cellXfs":
            in_xfs = event == "start"
        elif el.tag == MAIN + "xf" and in_xfs and event == "end":
            fmt_id = int(el.get("numFmtId", "0"))
            code = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id, "")
            if code and is_date_format(code):
                dates.add(index)
                if is_timedelta_format(code):
                    durations.add(index)
            index += 1
    return dates, durations


def _number(text: str) -> int | float:
    # As openpyxl: a decimal point or an exponent makes a float.
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _rows(source) -> Iterator[Any]:
    """The <row> elements of a sheet, each dropped from memory once handled."""
    try:
        from lxml import etree  # a dependency of python-docx; 2-3x faster here
    except ImportError:  # pragma: no cover - the standard library does the same, slower
        for _event, el in iterparse(source):
            if el.tag == _ROW:
                yield el
                el.clear()
        return
    # resolve_entities=False, no_network: untrusted uploads; huge_tree off (the default).
    for _event, el in etree.iterparse(
        source, events=("end",), tag=_ROW, resolve_entities=False, no_network=True
    ):
        yield el
        el.clear()
        while el.getprevious() is not None:
            del el.getparent()[0]


def open_sheet(stream: IO[bytes], sheet: str | None = None) -> Iterator[tuple[int, list[Any]]]:
    """Check the workbook's structure now, then stream (row number, values) of the sheet.

    Raises ``XlsxStreamError`` at once for structures this reader does not handle; a broken
    sheet found while streaming raises ``XlsxStreamError`` from the iterator.
    """
    try:
        archive = zipfile.ZipFile(stream)
        path, date1904 = _sheet_path(archive, sheet)
        shared = _shared_strings(archive)
        date_styles, duration_styles = _date_styles(archive)
    except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as exc:
        raise XlsxStreamError(str(exc)) from None
    return _stream(archive, path, date1904, shared, date_styles, duration_styles)


def iter_rows(stream: IO[bytes], sheet: str | None = None) -> Iterator[tuple[int, list[Any]]]:
    """Yield (1-based row number, cell values) for every row present in the sheet."""
    yield from open_sheet(stream, sheet)


def _stream(archive, path, date1904, shared, date_styles, duration_styles):
    try:
        yield from _values(archive, path, date1904, shared, date_styles, duration_styles)
    except XlsxStreamError:
        raise
    except Exception as exc:  # malformed XML, bad numbers, unknown shared string index
        raise XlsxStreamError(str(exc)) from exc
    finally:
        archive.close()


def _values(archive, path, date1904, shared, date_styles, duration_styles):
    epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    row_number = 0
    width = 0
    for row in _rows(archive.open(path)):
        cells: list[Any] = []
        column = 0
        for el in row:
            if el.tag != _CELL:
                continue
            ref = el.get("r")
            column = _column_index(ref) if ref else column
            kind = el.get("t", "n")
            value: Any = None
            raw = None
            # Children by iteration: lxml's find()/findtext() go through a slow Python path.
            for child in el:
                tag = child.tag
                if tag == _VALUE:
                    raw = child.text or None
                elif tag == _INLINE and kind == "inlineStr":
                    value = _text_of(child)
            if raw is not None and kind != "inlineStr":
                if kind == "s":
                    value = shared[int(raw)]
                elif kind in ("str", "e"):
                    value = raw
                elif kind == "b":
                    value = bool(int(raw))
                elif kind == "d":
                    value = dt.datetime.fromisoformat(raw.rstrip("Z"))
                else:
                    value = _number(raw)
                    style = el.get("s")
                    if style and int(style) in date_styles:
                        try:
                            value = from_excel(
                                value, epoch, timedelta=int(style) in duration_styles
                            )
                        except (OverflowError, ValueError):
                            value = "#VALUE!"
            if value is not None:
                if len(cells) < column:
                    cells.extend([None] * (column - len(cells)))
                cells.append(value)
            column += 1
        ref = row.get("r")
        row_number = int(ref) if ref else row_number + 1
        width = max(width, len(cells))
        if len(cells) < width:
            cells.extend([None] * (width - len(cells)))
        yield row_number, cells
