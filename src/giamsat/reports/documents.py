"""Official documents: DOCX in the party format of HD 36-HD/VPTW, XLSX appendices, PDF.

The DOCX is built with python-docx, A4, Times New Roman throughout (fontconfig maps it to
Liberation Serif where the Microsoft font is absent; fonts-liberation2 carries every Vietnamese
glyph). Layout (HD 36-HD/VPTW Phụ lục 1, sizes from its table, ../shared/domain/rules.md §7.1):

- top left: the direct superior body (14, upright), the issuing body (14, bold), "*", then
  "Số 125-BC/TU" (14); top right: "ĐẢNG CỘNG SẢN VIỆT NAM" (15, bold) with a solid line of
  the same length under it, then the place and date line in italics (14);
- the document type "BÁO CÁO" (16, bold) and the subject line (14, bold), then "-----";
- the body (14, justified, first-line indent 1 cm);
- the signature block on the right ("T/M BAN THƯỜNG VỤ", the post, the signer) and "Nơi nhận:"
  on the left (underlined; recipients in 12);
- page numbers from the second page, centred in the top margin; appendices on landscape pages.

Margins (top/bottom 20 mm, left 30 mm, right 15 mm) follow Nghị định 30/2020 and the values
reported for HD 05-HD/VPTW: HD 36's own margins were not read (UNCONFIRMED).

PDF: LibreOffice headless (``soffice --convert-to pdf``) with a private profile directory per
conversion, so parallel conversions never share one; ``ConversionUnavailableError`` when it is not
installed.
"""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from giamsat.core.excel import write_xlsx
from giamsat.reports.appendices import Appendix
from giamsat.reports.rules import is_subheading

FONT = "Times New Roman"
PAGE_WIDTH, PAGE_HEIGHT = Cm(21), Cm(29.7)
MARGINS = {"top": Cm(2), "bottom": Cm(2), "left": Cm(3), "right": Cm(1.5)}
HEADING = "ĐẢNG CỘNG SẢN VIỆT NAM"
CONVERSION_TIMEOUT = 180


class ConversionUnavailableError(RuntimeError):
    """LibreOffice is not installed: no PDF (the DOCX is still available)."""


@dataclass(frozen=True)
class DocumentHeader:
    superior_body: str
    issuing_body: str
    symbol_line: str
    date_line: str
    draft: bool = False


@dataclass(frozen=True)
class SignatureBlock:
    authority: str
    signer_title: str
    signer_name: str
    recipients: tuple[str, ...]
    signed: bool = True


# --- low-level helpers -------------------------------------------------------------------------


def _font(run, size: float, *, bold: bool = False, italic: bool = False, underline=False):
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.underline = underline
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    return run


def _para(
    container,
    text: str = "",
    size: float = 14,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    first_indent=None,
    before: float = 0,
    after: float = 0,
    line_spacing: float | None = None,
):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if first_indent is not None:
        fmt.first_line_indent = first_indent
    if line_spacing is not None:
        fmt.line_spacing = line_spacing
    if text:
        _font(paragraph.add_run(text), size, bold=bold, italic=italic, underline=underline)
    return paragraph


def _bottom_rule(paragraph) -> None:
    """A solid single line under the paragraph (spanning its width between the indents)."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    p_pr.append(borders)


def _first_cell_paragraph(cell):
    """A cell starts with one empty paragraph: reuse it for the first line."""
    return cell.paragraphs[0]


def _cell_line(cell, text: str, size: float, *, first: bool = False, **style):
    paragraph = _first_cell_paragraph(cell) if first else cell.add_paragraph()
    paragraph.alignment = style.pop("align", WD_ALIGN_PARAGRAPH.CENTER)
    paragraph.paragraph_format.space_after = Pt(style.pop("after", 0))
    paragraph.paragraph_format.space_before = Pt(style.pop("before", 0))
    if text:
        _font(paragraph.add_run(text), size, **style)
    return paragraph


def _setup_section(section, *, landscape: bool = False) -> None:
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin = MARGINS["top"]
    section.bottom_margin = MARGINS["bottom"]
    section.left_margin = MARGINS["left"]
    section.right_margin = MARGINS["right"]
    section.header_distance = Cm(1)


def _page_number_header(section) -> None:
    """Page numbers centred in the top margin, from the second page on."""
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = _font(paragraph.add_run(), 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._element.append(field)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _widths(table, widths) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width


def new_document() -> Document:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    r_pr = normal.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    doc.core_properties.language = "vi-VN"
    _setup_section(doc.sections[0])
    _page_number_header(doc.sections[0])
    return doc


# --- the parts of a party document ----------------------------------------------------------


def party_header(doc, header: DocumentHeader) -> None:
    """The top block of HD 36: issuing body and number on the left, heading and date right."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    left_width, right_width = Cm(7.0), Cm(9.5)
    _widths(table, (left_width, right_width))
    left, right = table.rows[0].cells
    first = True
    if header.superior_body:
        _cell_line(left, header.superior_body, 14, first=True)
        first = False
    _cell_line(left, header.issuing_body, 14, first=first, bold=True)
    _cell_line(left, "*", 14)
    if header.symbol_line:
        _cell_line(left, header.symbol_line, 14, before=2)
    if header.draft:
        _cell_line(left, "DỰ THẢO", 12, bold=True, italic=True, before=4)

    heading = _cell_line(right, HEADING, 15, first=True, bold=True)
    # The rule is as long as the heading: indent the paragraph to the text's width
    # (15 pt bold capitals in Times New Roman ≈ 8.3 cm; the cell pads 0.19 cm a side).
    side = max(Cm(0.05), int((right_width - Cm(0.38) - Cm(8.55)) / 2))
    heading.paragraph_format.left_indent = side
    heading.paragraph_format.right_indent = side
    _bottom_rule(heading)
    if header.date_line:
        _cell_line(right, header.date_line, 14, italic=True, before=10)


def title_block(doc, doc_title: str, subject: str) -> None:
    _para(doc, doc_title, 16, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=18)
    if subject:
        _para(doc, subject, 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "-----", 14, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)


def body(doc, sections: list[tuple[str, list[str]]]) -> None:
    for heading, paragraphs in sections:
        if heading:
            _para(doc, heading, 14, bold=True, before=6, after=3, first_indent=Cm(1))
        for text in paragraphs:
            bold = is_subheading(text)
            _para(doc, text, 14, bold=bold, first_indent=Cm(1), after=6, line_spacing=1.15)


def signature(doc, block: SignatureBlock) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, (Cm(8.5), Cm(8.0)))
    left, right = table.rows[0].cells
    _cell_line(
        left,
        "Nơi nhận:",
        14,
        first=True,
        bold=True,
        italic=True,
        underline=True,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        before=12,
    )
    for line in block.recipients:
        text = line if line.startswith("-") else f"- {line}"
        _cell_line(left, text, 12, align=WD_ALIGN_PARAGRAPH.LEFT)
    _cell_line(right, block.authority, 14, first=True, bold=True, before=12)
    _cell_line(right, block.signer_title, 14, bold=True)
    _cell_line(right, "" if block.signed else "(chưa ký)", 12, italic=True, before=36, after=36)
    _cell_line(right, block.signer_name, 14, bold=True)


PORTRAIT_TEXT_WIDTH = PAGE_WIDTH - MARGINS["left"] - MARGINS["right"]
LANDSCAPE_TEXT_WIDTH = PAGE_HEIGHT - MARGINS["left"] - MARGINS["right"]


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def grid_table(doc, headers: list[str], rows: list[list[str]], text_width: int):
    """A bordered table: a narrow "No." column, a wider second column, the rest shared; the
    header row repeats on every page."""
    count = len(headers)
    table = doc.add_table(rows=1, cols=count)
    table.style = "Table Grid"
    first = Cm(1.2)
    second = Cm(5.5) if count > 3 else int((text_width - first) / max(1, count - 1))
    rest = int((text_width - first - second) / max(1, count - 2)) if count > 2 else 0
    widths = [first, second] + [rest] * max(0, count - 2)
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell_line(cell, text, 12, first=True, bold=True)
    _repeat_header(table.rows[0])
    for row in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=False)):
            align = WD_ALIGN_PARAGRAPH.CENTER if i == 0 else WD_ALIGN_PARAGRAPH.LEFT
            _cell_line(cell, str(text), 12, first=True, align=align)
    _widths(table, widths[:count])
    return table


def appendix_pages(doc, appendices: list[Appendix], *, hidden: set[str] | None = None) -> None:
    """Each appendix on landscape pages: "Phụ lục N", its title, its tables and notes.

    ``hidden`` holds capabilities whose rows the reader may not see (only the count remains).
    """
    hidden = hidden or set()
    for number, appendix in enumerate(appendices, start=1):
        section = doc.add_section()
        _setup_section(section, landscape=True)
        section.different_first_page_header_footer = False
        _para(doc, f"Phụ lục {number}", 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _para(doc, appendix.title.upper(), 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
        if appendix.note:
            _para(doc, appendix.note, 12, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=6)
        for part in appendix.parts:
            if part.caption:
                _para(doc, part.caption, 13, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, before=6)
            if part.capability and part.capability in hidden:
                _para(
                    doc,
                    _("%(count)d records; you may not see their names.")
                    % {"count": len(part.rows)},
                    12,
                    italic=True,
                    align=WD_ALIGN_PARAGRAPH.LEFT,
                )
                continue
            if part.headers:
                grid_table(doc, part.headers, part.rows, LANDSCAPE_TEXT_WIDTH)
                if not part.rows:
                    _para(doc, _("(nothing recorded)"), 12, italic=True)
            if part.note:
                _para(doc, part.note, 12, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, before=3)


def to_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- whole documents --------------------------------------------------------------------------


def in_document_language(func):
    """Party documents are Vietnamese whatever the reader's interface language."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with translation.override("vi"):
            return func(*args, **kwargs)

    return wrapper


@in_document_language
def report_docx(content, *, hidden: set[str] | None = None) -> bytes:
    """The report (``content.ReportContent``) as a party document with its appendices."""
    doc = new_document()
    party_header(
        doc,
        DocumentHeader(
            content.superior_body,
            content.issuing_body,
            content.symbol_line,
            content.date_line,
            content.draft,
        ),
    )
    title_block(doc, content.doc_title, content.rendered_subject)
    body(doc, content.rendered_sections())
    signature(
        doc,
        SignatureBlock(
            content.authority,
            content.signer_title,
            content.signer_name,
            tuple(content.recipients),
            signed=not content.draft,
        ),
    )
    if content.frozen_hash:
        _para(
            doc,
            f"SHA-256: {content.frozen_hash}",
            8,
            italic=True,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            before=12,
        )
    if content.appendices:
        appendix_pages(doc, content.appendices, hidden=hidden)
    return to_bytes(doc)


@in_document_language
def appendices_xlsx(content, *, hidden: set[str] | None = None) -> bytes:
    """The figures and every appendix table as sheets of one workbook."""
    hidden = hidden or set()
    figures_sheet = (
        _("Figures"),
        [_("Indicator"), _("Figure"), _("Value"), _("Records behind it")],
        [
            [
                f.code,
                f.label or f.code,
                f.display() if f.available else _("not available"),
                f.records.count if f.records else "",
            ]
            for f in content.figures.values()
        ],
    )
    sheets = [figures_sheet]
    for number, appendix in enumerate(content.appendices, start=1):
        for k, part in enumerate(appendix.parts, start=1):
            title = f"PL{number}" + (f".{k}" if len(appendix.parts) > 1 else "")
            if part.capability and part.capability in hidden:
                sheets.append((title, [appendix.title], [[_("hidden")]]))
                continue
            rows = [[*row] for row in part.rows]
            if part.note:
                rows.append([part.note])
            sheets.append((title, part.headers or [appendix.title], rows))
    return write_xlsx(sheets) or b""


@in_document_language
def document_with_table(
    header: DocumentHeader,
    *,
    doc_title: str,
    subject: str,
    intro: list[str],
    headers: list[str],
    rows: list[list[str]],
    block: SignatureBlock | None = None,
) -> bytes:
    """A party document whose body is one table (e.g. the synthesis appendix)."""
    doc = new_document()
    party_header(doc, header)
    title_block(doc, doc_title, subject)
    for line in intro:
        _para(doc, line, 14, first_indent=Cm(1), after=6)
    grid_table(doc, headers, rows, PORTRAIT_TEXT_WIDTH)
    if block is not None:
        signature(doc, block)
    return to_bytes(doc)


# --- PDF -------------------------------------------------------------------------------------


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(docx: bytes, fmt: str = "pdf") -> bytes:
    """Convert a DOCX with LibreOffice headless; raise ConversionUnavailableError without it."""
    soffice = soffice_path()
    if soffice is None:
        raise ConversionUnavailableError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="giamsat-doc-") as tmp:
        folder = Path(tmp)
        source = folder / "document.docx"
        source.write_bytes(docx)
        profile = (folder / "profile").as_uri()
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            fmt,
            "--outdir",
            str(folder),
            str(source),
        ]
        # The command is a fixed program with arguments we build; no shell, no user input.
        subprocess.run(command, check=True, timeout=CONVERSION_TIMEOUT, capture_output=True)  # noqa: S603
        target = folder / f"document.{fmt}"
        if not target.exists():
            raise ConversionUnavailableError(f"LibreOffice produced no {fmt} file")
        return target.read_bytes()
