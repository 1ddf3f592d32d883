"""The synthesis as the appendix a delegation (or a committee) submits upward: XLSX and DOCX."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from giamsat.core.dates import today
from giamsat.core.excel import write_xlsx
from giamsat.reports.documents import DocumentHeader, document_with_table
from giamsat.reports.rules import date_line, header_lines


def _row(number: int, group) -> list[str]:
    units = group.units
    variants = len(group.items)
    text = group.representative.text
    if variants > 1:
        text += " " + _("(%(n)d wordings)") % {"n": variants}
    return [
        str(number),
        text,
        f"{len(units)}: " + ", ".join(u.name for u in units),
        "; ".join(group.addressees),
    ]


def synthesis_xlsx(groups) -> bytes:
    with translation.override("vi"):
        summary = (
            _("Synthesis"),
            [_("No."), _("Recommendation (most typical wording)"), _("Units"), _("Addressed to")],
            [_row(i, g) for i, g in enumerate(groups, start=1)],
        )
        detail = (
            _("Recommendations"),
            [_("Group"), _("Unit"), _("Date"), _("Addressed to"), _("Topic"), _("Text")],
            [
                [
                    str(i),
                    r.unit.name,
                    r.made_on.strftime("%d/%m/%Y"),
                    r.addressee_body,
                    r.topic,
                    r.text,
                ]
                for i, g in enumerate(groups, start=1)
                for r in g.items
            ],
        )
        return write_xlsx([summary, detail]) or b""


def synthesis_docx(groups, *, delegation=None, unit=None) -> bytes:
    """ "PHỤ LỤC — Tổng hợp kiến nghị, đề xuất" under the delegation's or the unit's header."""
    with translation.override("vi"):
        if delegation is not None:
            root = delegation.deciding_body.ancestors_on(delegation.work_end)
            superior = (root[0].name if root else delegation.deciding_body.name).upper()
            issuing = delegation.name.upper()
            place = delegation.deciding_body.place_name
            subject = _("Synthesis of the comments and recommendations of the units visited")
        else:
            parent = unit.parent_on(unit.reference_date()) if unit else None
            superior, issuing = header_lines(unit.name, parent.name if parent else None)
            place = unit.place_name
            subject = _("Synthesis of the comments and recommendations of the units")
        units = {u.pk for g in groups for u in g.units}
        intro = [
            _(
                "%(items)d recommendations from %(units)d units, grouped into %(groups)d "
                "proposals (similar wordings together)."
            )
            % {
                "items": sum(len(g.items) for g in groups),
                "units": len(units),
                "groups": len(groups),
            }
        ]
        return document_with_table(
            DocumentHeader(superior, issuing, "", date_line(place, today())),
            doc_title="PHỤ LỤC",
            subject=subject,
            intro=intro,
            headers=[
                _("No."),
                _("Recommendation (most typical wording)"),
                _("Units"),
                _("Addressed to"),
            ],
            rows=[_row(i, g) for i, g in enumerate(groups, start=1)],
            block=None,
        )
