"""Completeness and consistency of reports up the tree.

- ``completeness``: for a unit and a period, which sub-units have reported and how far their
  report has gone (missing, draft, submitted, returned, accepted, signed); two queries whatever
  the number of units.
- ``consistency``: for a report, whether each figure of the unit equals the sum of its
  sub-units' figures (typed-in figures of units not yet on giamsat, frozen figures of signed
  reports, live figures otherwise), with the differences listed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from giamsat.reports.content import frozen_content
from giamsat.reports.figures import Figure, breakdown_figures, compute_figure
from giamsat.reports.models import Report, ReportSource, ReportStatus
from giamsat.units.models import Unit, UnitAncestry, UnitKind

STATUS_RANK = {
    ReportStatus.SIGNED: 5,
    ReportStatus.ACCEPTED: 4,
    ReportStatus.SUBMITTED: 3,
    ReportStatus.RETURNED: 2,
    ReportStatus.DRAFT: 1,
}
DONE = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.SIGNED)


def best_reports(unit_ids, start: dt.date, end: dt.date) -> dict[int, Report]:
    """The most advanced report of each unit for exactly this period (one query)."""
    best: dict[int, Report] = {}
    rows = Report.objects.filter(unit__in=unit_ids, period_start=start, period_end=end)
    for r in rows.select_related("unit"):
        current = best.get(r.unit_id)
        if current is None or (STATUS_RANK[r.status], r.pk) > (
            STATUS_RANK[current.status],
            current.pk,
        ):
            best[r.unit_id] = r
    return best


@dataclass
class UnitCompleteness:
    unit: Unit
    depth: int
    report: Report | None

    @property
    def status(self) -> str:
        return self.report.status if self.report else "missing"

    @property
    def has_submitted(self) -> bool:
        return self.report is not None and self.report.status in DONE


def completeness(
    unit: Unit, start: dt.date, end: dt.date, *, all_levels: bool = False
) -> list[UnitCompleteness]:
    """Sub-organisations of ``unit`` on the period's last day (direct children, or every level
    down to grassroots organisations with ``all_levels``) with their report for the period;
    those that have not submitted first."""
    day = unit.reference_date(end)
    rows = UnitAncestry.objects.filter(
        ancestor=unit, valid_from__lte=day, valid_to__gte=day, depth__gt=0
    ).exclude(Q(descendant__kind=UnitKind.ORGAN) | Q(descendant__kind=UnitKind.CELL))
    if not all_levels:
        rows = rows.filter(depth=1)
    pairs = list(rows.select_related("descendant").order_by("depth", "descendant__name_sort"))
    units = [p.descendant for p in pairs]
    best = best_reports([u.pk for u in units], start, end)
    result = [UnitCompleteness(p.descendant, p.depth, best.get(p.descendant_id)) for p in pairs]
    result.sort(key=lambda r: (r.has_submitted, STATUS_RANK.get(r.status, 0), r.depth))
    return result


# --- consistency -----------------------------------------------------------------------------


@dataclass
class ChildFigure:
    unit: Unit
    figure: Figure | None
    source: str  # typed, frozen, live, missing
    report: Report | None = None

    @property
    def source_label(self) -> str:
        return {
            "typed": _("typed in"),
            "frozen": _("signed report"),
            "live": _("live from records"),
            "missing": _("no figure"),
        }.get(self.source, self.source)


@dataclass
class ConsistencyRow:
    code: str
    label: str
    parent: Figure | None
    parent_source: str
    children: list[ChildFigure] = field(default_factory=list)

    @property
    def children_sum(self) -> int | None:
        values = [c.figure.value for c in self.children if c.figure and c.figure.available]
        if not values:
            return None
        return int(sum(Decimal(v) for v in values if v is not None))

    @property
    def missing_children(self) -> list[Unit]:
        return [c.unit for c in self.children if not (c.figure and c.figure.available)]

    @property
    def difference(self) -> int | None:
        if self.parent is None or not self.parent.available or self.children_sum is None:
            return None
        return int(Decimal(self.parent.value or 0)) - self.children_sum

    @property
    def consistent(self) -> bool:
        return self.difference == 0 and not self.missing_children


def _report_figures(report: Report) -> tuple[dict[str, Figure], str]:
    """Figures fixed in a report (typed or frozen) and their source; live ones are computed
    by the caller."""
    if report.source == ReportSource.TYPED:
        return (
            {
                f.code: Figure(
                    code=f.code,
                    available=True,
                    label=f.label,
                    is_rate=f.is_rate,
                    value=f.value if f.is_rate else int(f.value),
                    typed=True,
                )
                for f in report.figures.filter(typed=True, value__isnull=False)
            },
            "typed",
        )
    if report.is_frozen:
        return frozen_content(report).figures, "frozen"
    return {}, "live"


def consistency(report: Report) -> list[ConsistencyRow]:
    """Each count figure of ``report`` against the sum of its sub-units' figures."""
    day = report.unit.reference_date(report.period_end)
    children = list(Unit.objects.children_of(report.unit, day).organisations().order_vi())
    parent_figures, parent_source = _report_figures(report)
    codes = list(parent_figures)
    if parent_source != "typed" and report.template is not None:
        # A typed report checks the figures it carries; others the template's figures.
        codes += [c for c in report.template.figure_codes if c not in codes]
    from giamsat.reports.content import spec_for_report

    query = spec_for_report(report).query
    best = best_reports([c.pk for c in children], report.period_start, report.period_end)
    fixed: dict[int, tuple[dict[str, Figure], str]] = {
        unit_id: _report_figures(r) for unit_id, r in best.items()
    }
    live_needed = [c for c in children if fixed.get(c.pk, ({}, "live"))[1] == "live"]
    live = breakdown_figures(codes, query, live_needed) if live_needed and codes else {}
    rows: list[ConsistencyRow] = []
    for code in codes:
        parent = parent_figures.get(code)
        source = parent_source if parent is not None else "live"
        if parent is None:
            parent = compute_figure(code, query)
        if parent is not None and parent.is_rate:
            continue  # rates are not summed
        row = ConsistencyRow(code, (parent.label if parent else "") or code, parent, source)
        for child in children:
            figures, child_source = fixed.get(child.pk, ({}, "live"))
            fig = figures.get(code)
            if fig is None and child_source == "live":
                fig = live.get(code, {}).get(child.pk)
            if fig is None or not fig.available:
                row.children.append(ChildFigure(child, None, "missing", best.get(child.pk)))
            else:
                row.children.append(ChildFigure(child, fig, child_source, best.get(child.pk)))
        rows.append(row)
    return rows
