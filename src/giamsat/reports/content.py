"""The content of a report document, assembled live (drafts, previews) or read back frozen.

``ReportContent`` is what every output reads: the web page, the DOCX/XLSX/PDF, the API and the
freezing on signature. ``live_content(report)`` computes it from the registry now;
``frozen_content(report)`` reads it from the signed report's payload; ``preview_content(...)``
builds it for a unit and period without saving anything (the ``giamsat report`` command).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from giamsat.core.dates import format_date
from giamsat.indicators.registry import IndicatorQuery
from giamsat.reports.appendices import Appendix, AppendixContext, build_appendices
from giamsat.reports.figures import NOT_FOUND, Figure, compute_figures
from giamsat.reports.rules import (
    PLACEHOLDER,
    date_line,
    is_subheading,
    placeholder_codes,
    symbol_line,
)

PAYLOAD_VERSION = 1


@dataclass
class Section:
    heading: str
    text: str  # narrative with {placeholders}


@dataclass
class ReportContent:
    """Everything a report document shows. ``fields`` fill the ``{report.*}`` placeholders."""

    unit_id: int
    unit_name: str
    period_start: dt.date
    period_end: dt.date
    directives: list[str]
    superior_body: str
    issuing_body: str
    number: int | None
    issuer_code: str
    place: str
    document_date: dt.date | None
    doc_title: str
    subject: str
    authority: str
    signer_title: str
    signer_name: str
    recipients: list[str]
    sections: list[Section]
    figures: dict[str, Figure]
    appendices: list[Appendix]
    fields: dict[str, str] = field(default_factory=dict)
    draft: bool = True
    frozen_hash: str = ""

    # --- the header of the party document (HD 36-HD/VPTW) ---
    @property
    def symbol_line(self) -> str:
        return symbol_line(self.number, self.issuer_code)

    @property
    def date_line(self) -> str:
        return date_line(self.place, self.document_date) if self.document_date else ""

    @property
    def rendered_subject(self) -> str:
        return render_plain(self.subject, self.figures, self.fields)

    def rendered_sections(self) -> list[tuple[str, list[str]]]:
        """[(heading, paragraphs)] with every placeholder replaced by its printed value."""
        return [
            (s.heading, paragraphs(render_plain(s.text, self.figures, self.fields)))
            for s in self.sections
        ]

    def as_payload(self) -> dict[str, Any]:
        """The canonical JSON of the content (what signing freezes and hashes)."""
        return {
            "version": PAYLOAD_VERSION,
            "unit": {"id": self.unit_id, "name": self.unit_name},
            "period": [self.period_start.isoformat(), self.period_end.isoformat()],
            "directives": self.directives,
            "header": {
                "superior_body": self.superior_body,
                "issuing_body": self.issuing_body,
                "number": self.number,
                "issuer_code": self.issuer_code,
                "place": self.place,
                "document_date": self.document_date.isoformat() if self.document_date else None,
                "doc_title": self.doc_title,
                "subject": self.subject,
                "authority": self.authority,
                "signer_title": self.signer_title,
                "signer_name": self.signer_name,
                "recipients": self.recipients,
            },
            "fields": self.fields,
            "sections": [
                {
                    "heading": s.heading,
                    "text": s.text,
                    "rendered": render_plain(s.text, self.figures, self.fields),
                }
                for s in self.sections
            ],
            "figures": [self.figures[code].as_json() for code in sorted(self.figures)],
            "appendices": [a.as_json() for a in self.appendices],
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any], frozen_hash: str = "") -> ReportContent:
        header = payload["header"]
        start, end = payload["period"]
        return cls(
            unit_id=payload["unit"]["id"],
            unit_name=payload["unit"]["name"],
            period_start=dt.date.fromisoformat(start),
            period_end=dt.date.fromisoformat(end),
            directives=list(payload.get("directives", [])),
            superior_body=header["superior_body"],
            issuing_body=header["issuing_body"],
            number=header["number"],
            issuer_code=header["issuer_code"],
            place=header["place"],
            document_date=(
                dt.date.fromisoformat(header["document_date"]) if header["document_date"] else None
            ),
            doc_title=header["doc_title"],
            subject=header["subject"],
            authority=header["authority"],
            signer_title=header["signer_title"],
            signer_name=header["signer_name"],
            recipients=list(header["recipients"]),
            sections=[Section(s["heading"], s["text"]) for s in payload["sections"]],
            figures={f["code"]: Figure.from_json(f) for f in payload["figures"]},
            appendices=[Appendix.from_json(a) for a in payload["appendices"]],
            fields=dict(payload.get("fields", {})),
            draft=False,
            frozen_hash=frozen_hash,
        )


def payload_hash(payload: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- rendering of placeholders ----------------------------------------------------------


def missing_marker(figure: Figure) -> str:
    if figure.reason == NOT_FOUND:
        return _("[figure not available: %(code)s]") % {"code": figure.code}
    return _("[figure could not be computed: %(code)s]") % {"code": figure.code}


def _resolve(
    match, figures: dict[str, Figure], fields: dict[str, str]
) -> tuple[str, Figure | None]:
    code, part = match.group(1), match.group(2)
    if code in fields:
        return fields[code], None
    figure = figures.get(code) or Figure(code=code, available=False, reason=NOT_FOUND)
    if not figure.available:
        return missing_marker(figure), figure
    return figure.display(part), figure


def render_plain(text: str, figures: dict[str, Figure], fields: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: _resolve(m, figures, fields)[0], text)


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def render_html(
    text: str,
    figures: dict[str, Figure],
    fields: dict[str, str],
    link: Callable[[str], str | None] | None = None,
) -> SafeString:
    """Paragraphs of escaped narrative in which every figure is a link to its records and every
    missing figure a visible marker."""
    out: list[str] = []
    for line in paragraphs(text):
        pieces: list[str] = []
        pos = 0
        for match in PLACEHOLDER.finditer(line):
            pieces.append(escape(line[pos : match.start()]))
            shown, figure = _resolve(match, figures, fields)
            if figure is None:
                pieces.append(escape(shown))
            elif not figure.available:
                pieces.append(f'<span class="gs-fig-missing">{escape(shown)}</span>')
            else:
                url = link(figure.code) if link else None
                title = escape(figure.label)
                css = "gs-fig gs-fig-typed" if figure.typed else "gs-fig"
                if url:
                    pieces.append(
                        f'<a class="{css}" href="{escape(url)}" title="{title}">{escape(shown)}</a>'
                    )
                else:
                    pieces.append(f'<span class="{css}" title="{title}">{escape(shown)}</span>')
            pos = match.end()
        pieces.append(escape(line[pos:]))
        opening = '<p class="gs-subheading">' if is_subheading(line) else "<p>"
        out.append(opening + "".join(pieces) + "</p>")
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


# --- assembling ---------------------------------------------------------------------------


@dataclass
class ReportSpec:
    """What a report is about and how its document reads (from a Report or from the CLI)."""

    unit: Any  # units.Unit
    start: dt.date
    end: dt.date
    directives: list[Any]  # directives.Directive
    sections: list[Section]
    appendix_codes: list[str]
    figure_codes: list[str]
    doc_title: str
    subject: str
    superior_body: str
    issuing_body: str
    number: int | None
    issuer_code: str
    place: str
    document_date: dt.date | None
    authority: str
    signer_title: str
    signer_name: str
    recipients: list[str]
    report: Any = None  # reports.Report | None
    typed: dict[str, Figure] | None = None  # figures typed in (typed reports)

    @property
    def query(self) -> IndicatorQuery:
        return IndicatorQuery(
            self.unit, self.start, self.end, frozenset(d.pk for d in self.directives)
        )

    def codes(self) -> list[str]:
        found: list[str] = []
        for text in [self.subject, *(s.text for s in self.sections)]:
            for code in placeholder_codes(text):
                if code not in found:
                    found.append(code)
        for code in self.figure_codes:
            if code not in found:
                found.append(code)
        return found


def directive_list_text(directives: Iterable[Any]) -> str:
    labels = [d.label for d in directives]
    if not labels:
        return _("the directives of the period")
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " " + _("and") + " " + labels[-1]


def _fields(spec: ReportSpec) -> dict[str, str]:
    from giamsat.reports.models import GoodPractice, Recommendation
    from giamsat.units.models import subtree_q

    as_of = spec.query.as_of
    practices = (
        GoodPractice.objects.filter(subtree_q("unit", spec.unit, as_of))
        .overlapping(spec.start, spec.end)
        .select_related("unit")
        .order_by("unit__name_sort", "title")
    )
    practice_lines = [f"- {p.title} ({p.unit.name}): {p.description}" for p in practices]
    if spec.report is not None and spec.report.pk:
        recs = Recommendation.objects.filter(report=spec.report)
    else:
        recs = Recommendation.objects.filter(
            unit=spec.unit, made_on__gte=spec.start, made_on__lte=spec.end
        )
    by_addressee: dict[str, list[str]] = {}
    for r in recs.order_by("addressee_level", "pk"):
        by_addressee.setdefault(r.addressee_body, []).append(r.text)
    rec_lines: list[str] = []
    for addressee, texts in by_addressee.items():
        rec_lines.append(_("To %(addressee)s:") % {"addressee": addressee})
        rec_lines.extend(f"- {t}" for t in texts)
    return {
        "report.unit": spec.unit.name,
        "report.from": format_date(spec.start),
        "report.to": format_date(spec.end),
        "report.directives": directive_list_text(spec.directives),
        "report.good_practices": "\n".join(practice_lines)
        or _("(No good practice recorded for the period.)"),
        "report.recommendations": "\n".join(rec_lines)
        or _("(No recommendation recorded for the period.)"),
    }


# Party documents are written in Vietnamese whatever the reader's interface language.
DOCUMENT_LANGUAGE = "vi"


def build_content(spec: ReportSpec, *, with_records: bool = False) -> ReportContent:
    """Compute figures (typed ones win), fields and appendices for ``spec``."""
    with translation.override(DOCUMENT_LANGUAGE):
        return _build_content(spec, with_records=with_records)


def _build_content(spec: ReportSpec, *, with_records: bool) -> ReportContent:
    codes = spec.codes()
    if spec.typed is not None:
        figures = {
            code: spec.typed.get(code) or Figure(code=code, available=False, reason=NOT_FOUND)
            for code in codes
        }
        for code, fig in spec.typed.items():
            figures.setdefault(code, fig)
    else:
        figures = compute_figures(codes, spec.query, with_records=with_records)
    ctx = AppendixContext(spec.query, spec.figure_codes, spec.report)
    appendix_codes = spec.appendix_codes
    if spec.typed is not None:
        # A typed report has no records behind its figures: only its own lists apply.
        appendix_codes = [c for c in appendix_codes if c in ("good_practices", "recommendations")]
    return ReportContent(
        unit_id=spec.unit.pk,
        unit_name=spec.unit.name,
        period_start=spec.start,
        period_end=spec.end,
        directives=[d.symbol for d in spec.directives],
        superior_body=spec.superior_body,
        issuing_body=spec.issuing_body,
        number=spec.number,
        issuer_code=spec.issuer_code,
        place=spec.place,
        document_date=spec.document_date,
        doc_title=spec.doc_title,
        subject=spec.subject,
        authority=spec.authority,
        signer_title=spec.signer_title,
        signer_name=spec.signer_name,
        recipients=spec.recipients,
        sections=spec.sections,
        figures=figures,
        appendices=build_appendices(appendix_codes, ctx),
        fields=_fields(spec),
        draft=True,
    )


def spec_for_report(report) -> ReportSpec:
    from giamsat.reports.models import ReportSource

    template = report.template
    typed = None
    if report.source == ReportSource.TYPED:
        from giamsat.reports.figures import typed_figure

        typed = {
            f.code: typed_figure(
                f.code,
                f.value if f.is_rate else int(f.value),
                label=f.label,
                is_rate=f.is_rate,
            )
            for f in report.figures.filter(typed=True, value__isnull=False)
        }
    return ReportSpec(
        unit=report.unit,
        start=report.period_start,
        end=report.period_end,
        directives=list(report.directives.order_by("issued_on", "symbol")),
        sections=[Section(s.heading, s.text) for s in report.sections.all()],
        appendix_codes=list(template.appendices) if template else [],
        figure_codes=list(template.figure_codes) if template else [],
        doc_title=report.doc_title,
        subject=report.subject,
        superior_body=report.superior_body,
        issuing_body=report.issuing_body,
        number=report.number,
        issuer_code=report.issuer_code,
        place=report.place,
        document_date=report.document_date,
        authority=report.authority,
        signer_title=report.signer_title,
        signer_name=report.signer_name,
        recipients=[line.strip() for line in report.recipients.splitlines() if line.strip()],
        report=report,
        typed=typed,
    )


def live_content(report, *, with_records: bool = False) -> ReportContent:
    return build_content(spec_for_report(report), with_records=with_records)


def frozen_content(report) -> ReportContent:
    return ReportContent.from_payload(report.frozen_payload, report.frozen_hash)


def content_of(report) -> ReportContent:
    """Frozen content for a signed report, live content otherwise."""
    return frozen_content(report) if report.is_frozen else live_content(report)
