"""Spreadsheets in and out: XLSX and CSV reading with clear errors, and safe XLSX writing.

Reading streams rows, so a 200,000-row file fits in little memory. XLSX sheets are parsed
directly from the zip with the C XML parser (about three times faster than openpyxl's
read-only mode; openpyxl remains the fallback for unusual files). Only cached values are read:
a formula is never evaluated. Zip bombs (a small file that unpacks to gigabytes) are refused.

CSV encodings are detected: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode
text"), otherwise Windows-1258 (normalised to NFC, because Windows-1258 writes tones as
combining marks). Text that looks like the pre-Unicode TCVN3 (ABC) or VNI encodings — which
decode without error into nonsense such as "Hä vµ tªn" — is refused with a way to fix it, in
CSV files and in XLSX cells alike (old workbooks typed with the .VnTime font hold such text).

Writing neutralises formula injection. In XLSX a value that starts with = + - @ (or a tab or
carriage return) is written as a text cell with Excel's "quote prefix" (exactly what Excel
stores when someone types '=...), so no spreadsheet evaluates it and the value reads back
unchanged; ``neutralise`` (a leading apostrophe) is for CSV and other plain-text outputs, and
reading strips such an apostrophe again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import PurePath
from typing import IO, Any
from xml.etree.ElementTree import ParseError, iterparse

from django.utils.translation import gettext as _

from giamsat.core.text import search_key

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls, or an .xlsx encrypted with a password
# A sheet that unpacks to more than this, or more than RATIO times its packed size, is refused.
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
MAX_UNZIP_RATIO = 200
# Rows read before the first data row is handed out, to check the text encoding and to find a
# header row that is not the first row (exports often start with a title).
PEEK_ROWS = 200
HEADER_SEARCH_ROWS = 30

# Latin-1 characters that never occur in Vietnamese written in Unicode; TCVN3 and VNI text read
# as Latin-1/Windows-125x is full of them ("Hä vµ tªn" is "Họ và tên" in TCVN3).
_LEGACY_MARKERS = frozenset("¡¢£¤¥¦§¨©ª«¬\xad®¯°±²³´µ¶·¸¹º»¼½¾¿ÄÅÆÇËÎÏÐÑÖ×ØÛÜÞßäåæçëîïðñö÷øûüþÿ")
_VIETNAMESE_ONLY = re.compile("[ĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9]")


class SpreadsheetError(ValueError):
    """The file cannot be read; the message says why (shown to the user in Vietnamese)."""


def neutralise(value: Any) -> Any:
    """Make a value safe against formula injection in plain-text outputs (CSV): a leading
    apostrophe. Numbers and other non-strings pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


@dataclass(frozen=True)
class Sheet:
    """The rows of the first (or named) sheet: a header and an iterator of data rows."""

    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]  # (1-based row number in the file, cells)
    encoding: str | None = None
    warnings: tuple[str, ...] = ()
    header_row: int = 1
    sheet_name: str = ""


# --- file type, size and encoding -----------------------------------------------------------


def detect_kind(name: str, head: bytes) -> str:
    """ "xlsx" or "csv" from the name and the first bytes; SpreadsheetError otherwise."""
    ext = PurePath(name).suffix.lower()
    if head.startswith(XLSX_MAGIC):
        if ext not in (".xlsx", ".xlsm", ""):
            raise SpreadsheetError(
                _("The file is a spreadsheet but its name ends in %(ext)s.") % {"ext": ext}
            )
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        if ext in (".xlsx", ".xlsm"):
            raise SpreadsheetError(
                _(
                    "The workbook is protected with a password. Open it in Excel, remove the "
                    "password (File › Info › Protect Workbook) and save it again as .xlsx."
                )
            )
        raise SpreadsheetError(
            _("Old .xls files are not accepted: save the file as .xlsx and try again.")
        )
    if ext == ".xls":
        raise SpreadsheetError(
            _("Old .xls files are not accepted: save the file as .xlsx and try again.")
        )
    if ext in (".xlsx", ".xlsm"):
        raise SpreadsheetError(
            _("The file is named .xlsx but is not a real Excel workbook (it may be damaged).")
        )
    if ext in (".csv", ".txt"):
        if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise SpreadsheetError(_("The file is not a text (CSV) file."))
        return "csv"
    raise SpreadsheetError(_("Only .xlsx and .csv files are accepted."))


def check_upload(name: str, size: int | None, head: bytes, *, max_mb: int) -> str:
    """Refuse empty, oversized and wrongly typed uploads; return "xlsx" or "csv"."""
    if not size:
        raise SpreadsheetError(_("The file is empty."))
    limit = max_mb * 1024 * 1024
    if size > limit:
        raise SpreadsheetError(
            _("The file is %(size).1f MB; the limit is %(limit)d MB.")
            % {"size": size / 1024 / 1024, "limit": max_mb}
        )
    return detect_kind(name, head)


def looks_like_legacy_encoding(text: str) -> bool:
    """Whether ``text`` looks like TCVN3 (ABC) or VNI bytes shown as Latin-1 characters."""
    markers = sum(1 for ch in text if ch in _LEGACY_MARKERS)
    if markers < 3:
        return False
    return markers >= len(_VIETNAMESE_ONLY.findall(text))


def _legacy_error() -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "The file looks like old TCVN3 (ABC) or VNI text (fonts such as .VnTime): "
            "Vietnamese letters would be garbled. Convert it to Unicode, e.g. with Unikey's "
            "converter (Ctrl+Shift+F6), and try again."
        )
    )


def decode_csv(data: bytes) -> tuple[str, str, list[str]]:
    """Decode CSV bytes: (text, encoding, warnings). Legacy Vietnamese encodings are refused."""
    warnings: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = data.decode("utf-16"), "utf-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        text, encoding = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text = unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
            encoding = "cp1258"
            warnings.append(
                _("The file was read as Windows-1258; check that the Vietnamese text looks right.")
            )
    if "\x00" in text:
        raise SpreadsheetError(_("The file is not a text (CSV) file."))
    if looks_like_legacy_encoding(text[:20000]):
        raise _legacy_error()
    return text, encoding, warnings


# --- reading ----------------------------------------------------------------------------------


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        if value[0] == "'" and len(value) > 1 and value[1] in "=+-@":
            return value[1:]  # undo a CSV-style neutralisation
        return value
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def read_sheet(
    stream: IO[bytes],
    name: str,
    *,
    header_row: int | None = 1,
    sheet: str | None = None,
    expected: Mapping[str, Sequence[str]] | None = None,
) -> Sheet:
    """Open an uploaded spreadsheet. Raises SpreadsheetError for files it cannot read.

    With ``header_row=None`` and ``expected`` (field → accepted header spellings) the header is
    the row among the first 30 that matches most expected headers.
    """
    head = stream.read(8)
    stream.seek(0)
    kind = detect_kind(name, head)
    if kind == "xlsx":
        title, raw_rows = _xlsx_rows(stream, sheet)
        return _sheet_from_rows(raw_rows, header_row, expected, None, (), title)
    text, encoding, warnings = decode_csv(stream.read())
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    numbered = ((i, list(r)) for i, r in enumerate(reader, start=1))
    return _sheet_from_rows(numbered, header_row, expected, encoding, tuple(warnings), "")


def _header_score(cells: list[Any], expected: Mapping[str, Sequence[str]]) -> int:
    headers = [str(c).strip() if c is not None else "" for c in cells]
    return len(match_headers(headers, expected))


def _sheet_from_rows(
    rows: Iterator[tuple[int, list[Any]]],
    header_row: int | None,
    expected: Mapping[str, Sequence[str]] | None,
    encoding: str | None,
    warnings: tuple[str, ...],
    title: str,
) -> Sheet:
    headers: list[str] | None = None
    if header_row is None:
        if not expected:
            raise ValueError("header_row=None needs the expected headers")
        candidates: list[tuple[int, list[Any]]] = []
        for number, cells in rows:
            candidates.append((number, cells))
            if number >= HEADER_SEARCH_ROWS:
                break
        best = max(candidates, key=lambda nc: _header_score(nc[1], expected), default=None)
        if best is None or _header_score(best[1], expected) == 0:
            best = next(((n, c) for n, c in candidates if any(c)), None)
        if best is not None:
            header_row = best[0]
            headers = [str(c).strip() if c is not None else "" for c in best[1]]
            rows = chain(((n, c) for n, c in candidates if n > best[0]), rows)
        else:
            header_row = 1
    else:
        for number, cells in rows:
            if number == header_row:
                headers = [str(c).strip() if c is not None else "" for c in cells]
                break
    if headers is None or not any(headers):
        raise SpreadsheetError(
            _("The file has no header row (row %(row)d).") % {"row": header_row or 1}
        )
    if looks_like_legacy_encoding(" ".join(headers)):
        raise _legacy_error()

    def cleaned() -> Iterator[tuple[int, list[Any]]]:
        for number, cells in rows:
            values = [_clean(c) for c in cells]
            if any(c is not None for c in values):
                yield number, values

    data = cleaned()
    peeked: list[tuple[int, list[Any]]] = []
    for item in data:
        peeked.append(item)
        if len(peeked) >= PEEK_ROWS:
            break
    sample = " ".join(str(c) for _n, cells in peeked for c in cells if isinstance(c, str))
    if looks_like_legacy_encoding(sample):
        raise _legacy_error()
    return Sheet(headers, chain(peeked, data), encoding, warnings, header_row, title)


# --- XLSX, parsed directly ------------------------------------------------------------------------

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Built-in number formats that show dates (ECMA-376 18.8.30; 27-36 and 50-58 are East Asian).
_BUILTIN_DATE_FORMATS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])


class _NoDoctype:
    """A file-like wrapper that refuses XML with a document type declaration.

    Entity declarations (the "billion laughs" expansion, external entities) can only appear in
    a DTD, before the root element; OOXML parts never carry one, so any DTD is refused.
    """

    _MARKERS = tuple(
        marker.encode(codec)
        for marker in ("<!DOCTYPE", "<!ENTITY")
        for codec in ("utf-8", "utf-16-le", "utf-16-be")
    )

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.head = b""
        self.checked = False

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        if not self.checked:
            self.head += data
            root = re.search(rb"<[A-Za-z_]", self.head)
            prolog = (self.head if root is None else self.head[: root.start()]).upper()
            if any(marker in prolog for marker in self._MARKERS):
                raise SpreadsheetError(
                    _("The spreadsheet contains a document type declaration and is refused.")
                )
            if root is not None or not data:
                self.checked = True
                self.head = b""
        return data

    def __enter__(self) -> _NoDoctype:
        return self

    def __exit__(self, *exc: object) -> None:
        self.raw.close()


def _open_xml(archive: zipfile.ZipFile, part: str) -> _NoDoctype:
    return _NoDoctype(archive.open(part))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _column_index(ref: str) -> int:
    index = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            index = index * 26 + ord(ch) - 64
        else:
            break
    return index - 1


def _check_zip(archive: zipfile.ZipFile, packed_size: int) -> None:
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNZIPPED_BYTES or unpacked > max(packed_size, 1) * MAX_UNZIP_RATIO:
        raise SpreadsheetError(
            _("The workbook unpacks to %(size)d MB, which is too large to read safely.")
            % {"size": unpacked // (1024 * 1024)}
        )


def _xlsx_rows(stream: IO[bytes], sheet: str | None) -> tuple[str, Iterator[tuple[int, list]]]:
    stream.seek(0, io.SEEK_END)
    packed = stream.tell()
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError):
        raise SpreadsheetError(
            _("The spreadsheet cannot be opened: it is damaged or not a real .xlsx file.")
        ) from None
    _check_zip(archive, packed)
    try:
        title, part, date1904 = _locate_sheet(archive, sheet)
        shared = _shared_strings(archive)
        date_styles = _date_styles(archive)
    except SpreadsheetError:
        raise
    except (KeyError, ParseError, ValueError, zipfile.BadZipFile):
        stream.seek(0)
        return _openpyxl_rows(stream, sheet)
    return title, _parse_sheet(archive, part, shared, date_styles, date1904)


def _locate_sheet(archive: zipfile.ZipFile, wanted: str | None) -> tuple[str, str, bool]:
    sheets: list[tuple[str, str]] = []
    date1904 = False
    with _open_xml(archive, "xl/workbook.xml") as f:
        for _event, el in iterparse(f):  # noqa: S314 - DTDs refused by _NoDoctype
            tag = _local(el.tag)
            if tag == "sheet":
                sheets.append((el.get("name", ""), el.get(f"{{{_REL_NS}}}id", "")))
            elif tag == "workbookPr":
                date1904 = el.get("date1904") in ("1", "true")
    targets: dict[str, str] = {}
    with _open_xml(archive, "xl/_rels/workbook.xml.rels") as f:
        for _event, el in iterparse(f):  # noqa: S314 - DTDs refused by _NoDoctype
            if _local(el.tag) == "Relationship":
                targets[el.get("Id", "")] = el.get("Target", "")
    if not sheets:
        raise KeyError("no sheet")
    chosen = next((s for s in sheets if wanted and s[0] == wanted), sheets[0])
    target = targets[chosen[1]]
    part = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return chosen[0], part, date1904


def _text_of(el: Any) -> str:
    """Text of a shared or inline string: plain <t>, or rich-text runs <r><t>; never phonetic."""
    parts = []
    for child in el:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    names = set(archive.namelist())
    part = "xl/sharedStrings.xml"
    if part not in names:
        return []
    strings: list[str] = []
    with _open_xml(archive, part) as f:
        for _event, el in iterparse(f):  # noqa: S314 - DTDs refused by _NoDoctype
            if _local(el.tag) == "si":
                strings.append(_text_of(el))
                el.clear()
    return strings


def _date_styles(archive: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of the cell styles whose number format shows a date."""
    from openpyxl.styles.numbers import is_date_format

    if "xl/styles.xml" not in set(archive.namelist()):
        return frozenset()
    custom: dict[int, str] = {}
    styles: list[int] = []
    in_cell_xfs = False
    with _open_xml(archive, "xl/styles.xml") as f:
        for event, el in iterparse(f, events=("start", "end")):  # noqa: S314 - DTDs refused by _NoDoctype
            tag = _local(el.tag)
            if tag == "cellXfs":
                in_cell_xfs = event == "start"
            elif event == "end" and tag == "numFmt":
                custom[int(el.get("numFmtId", "0"))] = el.get("formatCode", "")
            elif event == "end" and tag == "xf" and in_cell_xfs:
                styles.append(int(el.get("numFmtId", "0")))
    return frozenset(
        i
        for i, fmt in enumerate(styles)
        if fmt in _BUILTIN_DATE_FORMATS or (fmt in custom and is_date_format(custom[fmt]))
    )


def _number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        value = float(text)
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    return int(text)


def _parse_sheet(
    archive: zipfile.ZipFile,
    part: str,
    shared: list[str],
    date_styles: frozenset[int],
    date1904: bool,
) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    row_number = 0
    cells: list[Any] = []
    names: dict[str, str] = {}  # full tag -> local name (both OOXML namespaces)
    try:
        with _open_xml(archive, part) as f:
            for _event, el in iterparse(f):  # noqa: S314 - DTDs refused by _NoDoctype
                tag = names.get(el.tag)
                if tag is None:
                    tag = names[el.tag] = _local(el.tag)
                if tag == "c":
                    ref = el.get("r")
                    if ref:
                        column = _column_index(ref)
                        if column > len(cells):
                            cells.extend([None] * (column - len(cells)))
                    kind = el.get("t", "n")
                    value: Any = None
                    if kind == "inlineStr":
                        for child in el:
                            if _local(child.tag) == "is":
                                value = _text_of(child)
                    else:
                        raw = None
                        for child in el:
                            if names.get(child.tag) == "v":
                                raw = child.text
                        if raw is not None:
                            if kind == "s":
                                value = shared[int(raw)]
                            elif kind in ("str", "e"):
                                value = raw if kind == "str" else None
                            elif kind == "b":
                                value = raw == "1"
                            elif kind == "d":
                                value = dt.datetime.fromisoformat(raw)
                            else:
                                value = _number(raw)
                                style = el.get("s")
                                if style is not None and int(style) in date_styles:
                                    value = from_excel(value, epoch)
                    cells.append(value)
                elif tag == "row":
                    number = el.get("r")
                    row_number = int(number) if number else row_number + 1
                    yield row_number, cells
                    cells = []
                    el.clear()
    except SpreadsheetError:
        raise
    except (ParseError, zipfile.BadZipFile, ValueError, IndexError, EOFError, OSError):
        raise SpreadsheetError(
            _("The spreadsheet is damaged after row %(row)d and cannot be read.")
            % {"row": row_number}
        ) from None


def _openpyxl_rows(stream: IO[bytes], sheet: str | None) -> tuple[str, Iterator[tuple[int, list]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:
        raise SpreadsheetError(
            _("The spreadsheet cannot be opened: %(error)s") % {"error": exc}
        ) from None
    ws = workbook[sheet] if sheet and sheet in workbook.sheetnames else workbook.worksheets[0]

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for i, r in enumerate(ws.iter_rows(values_only=True), start=1):
            yield i, list(r)

    return ws.title, rows()


def sheet_names(stream: IO[bytes]) -> list[str]:
    """Names of the sheets of an XLSX file (empty for anything else)."""
    try:
        with zipfile.ZipFile(stream) as archive, _open_xml(archive, "xl/workbook.xml") as f:
            return [el.get("name", "") for _e, el in iterparse(f) if _local(el.tag) == "sheet"]  # noqa: S314 - DTDs refused by _NoDoctype
    except (zipfile.BadZipFile, KeyError, ParseError, OSError):
        return []
    finally:
        stream.seek(0)


def match_headers(headers: Sequence[str], expected: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Map field names to column indexes by header text, ignoring case and diacritics.

    ``expected`` maps a field to the header spellings it accepts ("Họ và tên", "Ho ten", ...).
    A trailing "(*)" or "*" marking a required column is ignored.
    """
    keys = [_header_key(h) for h in headers]
    found: dict[str, int] = {}
    for name, spellings in expected.items():
        for spelling in spellings:
            key = _header_key(spelling)
            if key in keys and keys.index(key) not in found.values():
                found[name] = keys.index(key)
                break
    return found


def _header_key(text: str) -> str:
    key = search_key(str(text or ""))
    key = re.sub(r"\(\*\)|\*", "", key)
    return re.sub(r"[\s:.]+", " ", key).strip()


# --- writing ----------------------------------------------------------------------------------


@dataclass
class SheetSpec:
    """A sheet to write: title, header, rows; optional column widths (characters) and whether
    long text wraps (for an instructions sheet)."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = field(default_factory=tuple)
    wrap: bool = False


def write_xlsx(
    sheets: Iterable[SheetSpec | tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
    *,
    stream: IO[bytes] | None = None,
) -> bytes | None:
    """Write sheets of (title, headers, rows) in constant memory; every cell is neutralised.

    Dates are written as dates shown dd/mm/yyyy; text that starts like a formula is written as
    quote-prefixed text. Returns the bytes when no ``stream`` is given.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="F2DCDB")
    top_wrap = Alignment(wrap_text=True, vertical="top")

    for item in sheets:
        spec = item if isinstance(item, SheetSpec) else SheetSpec(*item)
        ws = workbook.create_sheet(title=spec.title[:31])
        for index, width in enumerate(spec.widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        if spec.headers:
            ws.freeze_panes = "A2"
            header_cells = []
            for header in spec.headers:
                cell = _cell(ws, header, WriteOnlyCell)
                cell.font = bold
                cell.fill = fill
                header_cells.append(cell)
            ws.append(header_cells)
        for row in spec.rows:
            cells = []
            for value in row:
                cell = _cell(ws, value, WriteOnlyCell)
                if spec.wrap:
                    cell.alignment = top_wrap
                cells.append(cell)
            ws.append(cells)
    target = stream or io.BytesIO()
    workbook.save(target)
    if stream is None:
        assert isinstance(target, io.BytesIO)
        return target.getvalue()
    return None


def _cell(ws: Any, value: Any, cell_class: Any) -> Any:
    if isinstance(value, dt.datetime):
        cell = cell_class(ws, value=value)
        cell.number_format = "DD/MM/YYYY HH:MM"
        return cell
    if isinstance(value, dt.date):
        cell = cell_class(ws, value=value)
        cell.number_format = "DD/MM/YYYY"
        return cell
    if isinstance(value, str):
        value = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
        cell = cell_class(ws, value=value)
        if is_formula_like(value) or cell.data_type == "f":
            cell.data_type = "s"  # text, never a formula
            cell.quotePrefix = True
        return cell
    return cell_class(ws, value=value)
