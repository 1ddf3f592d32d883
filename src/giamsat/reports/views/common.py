"""Helpers shared by the report pages: access, figure links, record tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import Http404
from django.urls import NoReverseMatch, reverse

from giamsat.indicators.registry import IndicatorQuery
from giamsat.reports.figures import find_indicator
from giamsat.reports.models import Report
from giamsat.reports.permissions import can_see_records

PAGE_SIZE = 50


def get_report(request, pk: int) -> Report:
    """The report if it exists and the user may see it; 404 otherwise (never 403)."""
    report = (
        Report.objects.visible_to(request.user)
        .select_related("unit", "template", "delegation", "signed_by")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    return report


def indicator_page_url(code: str, query: IndicatorQuery) -> str | None:
    """The indicator app's own drill-down page for ``code``, if it has one (built on another
    branch: the URL is looked up defensively and left out when it does not exist)."""
    params = {
        "unit": query.unit.pk,
        "from": query.start.strftime("%d/%m/%Y"),
        "to": query.end.strftime("%d/%m/%Y"),
    }
    for kwargs in ({"code": code}, None):
        try:
            url = (
                reverse("indicators:drilldown", kwargs=kwargs)
                if kwargs
                else reverse("indicators:drilldown")
            )
        except NoReverseMatch:
            continue
        extra = dict(params) if kwargs else {**params, "code": code}
        query_string = urlencode(extra)
        if query.directive_ids:
            query_string += "&" + urlencode([("directive", i) for i in sorted(query.directive_ids)])
        return f"{url}?{query_string}"
    return None


def hidden_capabilities(user, report: Report, capabilities: set[str]) -> set[str]:
    """Capabilities among ``capabilities`` the user lacks over the report's unit."""
    return {c for c in capabilities if c and not can_see_records(user, c, report.unit)}


@dataclass
class RecordRow:
    cells: list[str]
    url: str | None
    missing: bool = False  # a frozen id whose record no longer exists


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def record_url(record) -> str | None:
    getter = getattr(record, "get_absolute_url", None)
    if getter is None:
        return None
    try:
        return getter()
    except NoReverseMatch:
        return None


def record_headers(code: str) -> list[str]:
    indicator = find_indicator(code)
    if indicator is not None and indicator.columns:
        return [str(c.label) for c in indicator.columns]
    return [""]


def record_rows(code: str, records, ids: list[int] | None = None) -> list[RecordRow]:
    """Rows for a drill-down table; ``ids`` keeps the frozen order and marks deleted records."""
    indicator = find_indicator(code)
    columns = list(indicator.columns) if indicator is not None else []
    by_id = {r.pk: r for r in records}
    order = ids if ids is not None else list(by_id)
    rows: list[RecordRow] = []
    for pk in order:
        record = by_id.get(pk)
        if record is None:
            rows.append(RecordRow([f"#{pk}"], None, missing=True))
            continue
        cells = [_cell(c.get(record)) for c in columns] if columns else [str(record)]
        rows.append(RecordRow(cells, record_url(record)))
    return rows
