"""Figures pages: every registered indicator for a unit and period, each value opening to the
records behind it (rõ người, rõ việc), and a comparison across child units."""

from __future__ import annotations

import json
from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import scope_q
from giamsat.core.excel import write_xlsx
from giamsat.directives.scoping import directives_in_scope
from giamsat.indicators import reading
from giamsat.indicators.registry import REGISTRY, Indicator, shared_reads
from giamsat.indicators.selection import Selection, selection_from
from giamsat.units.models import Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_PAGE = 50


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _selection(request: HttpRequest) -> Selection:
    selection = selection_from(request, Cap.VIEW_UNITS)
    if selection.unit is None:
        raise Http404
    return selection


def _indicator_for_user(request: HttpRequest, code: str, selection: Selection) -> Indicator:
    indicator = REGISTRY.get(code)
    if indicator is None or selection.unit is None:
        raise Http404
    if not reading.visible_indicators(request.user, selection.unit, [code]):
        raise Http404
    return indicator


def _unit_navigation(request: HttpRequest, selection: Selection) -> dict:
    """Links to the ancestors, children and search results (units in scope), same period."""
    assert selection.unit is not None
    as_of = selection.query().as_of
    visible = Unit.objects.filter(scope_q(request.user, Cap.VIEW_UNITS))
    ancestors = selection.unit.ancestors_on(as_of)
    visible_ids = set(visible.filter(pk__in=[u.pk for u in ancestors]).values_list("pk", flat=True))
    children = (
        Unit.objects.children_of(selection.unit, as_of)
        .organisations()
        .filter(scope_q(request.user, Cap.VIEW_UNITS))
        .order_vi()
    )
    text = request.GET.get("unit_q", "").strip()[:100]
    matches = list(visible.organisations().search(text).order_vi()[:30]) if text else []

    def link(unit: Unit) -> dict:
        return {"unit": unit, "params": selection.params(unit=unit)}

    return {
        "ancestors": [link(u) for u in ancestors if u.pk in visible_ids],
        "children": [link(u) for u in children],
        "unit_q": text,
        "unit_matches": [link(u) for u in matches],
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    selection = _selection(request)
    assert selection.unit is not None
    query = selection.query()
    chosen = reading.visible_indicators(request.user, selection.unit)
    with shared_reads():
        rows = [{"indicator": ind, "value": ind.compute(query)} for ind in chosen]
    if request.GET.get("format") == "xlsx":
        headers = [
            _("Code"),
            _("Indicator"),
            _("Value"),
            _("Unit of measure"),
            _("Numerator"),
            _("Denominator"),
        ]
        data = [
            [
                r["indicator"].code,
                str(r["indicator"].label),
                float(r["value"].value) if r["indicator"].is_rate else r["value"].value,
                str(r["indicator"].unit_of_measure),
                r["value"].numerator,
                r["value"].denominator,
            ]
            for r in rows
        ]
        info = [
            [_("Unit"), selection.unit.name],
            [_("Period"), f"{selection.start:%d/%m/%Y} – {selection.end:%d/%m/%Y}"],
        ]
        content = (
            write_xlsx([(_("Figures"), headers, data), (_("Selection"), ["", ""], info)]) or b""
        )
        return _xlsx(content, f"so-lieu-{selection.unit.code}-{selection.end:%Y%m%d}.xlsx")
    groups = [
        {"domain": domain, "label": reading.domain_label(domain), "rows": list(items)}
        for domain, items in groupby(rows, key=lambda r: r["indicator"].domain)
    ]
    context = {
        "selection": selection,
        "params": selection.params(),
        "groups": groups,
        "directives": directives_in_scope(request.user).order_by("-issued_on")[:300],
        **_unit_navigation(request, selection),
    }
    return render(request, "indicators/home.html", context)


@login_required
def drilldown(request: HttpRequest, code: str) -> HttpResponse:
    """The records behind one figure, with the indicator's columns, each linked."""
    selection = _selection(request)
    indicator = _indicator_for_user(request, code, selection)
    query = selection.query()
    side = "denominator" if request.GET.get("side") == "denominator" else ""
    value = indicator.compute(query)
    records = reading.records_for(indicator, query, side)
    headers = [str(c.label) for c in indicator.columns] or [_("Record")]
    if request.GET.get("format") == "xlsx":
        rows = (
            [c["text"] for c in reading.record_cells(indicator, r)]
            for r in records.iterator(chunk_size=2000)
        )
        content = write_xlsx([(indicator.code, headers, rows)]) or b""
        return _xlsx(content, f"{indicator.code}-{selection.unit.code}.xlsx")
    page = reading.records_paginator(indicator, records, value, PER_PAGE, side).get_page(
        request.GET.get("page")
    )
    context = {
        "indicator": indicator,
        "value": value,
        "side": side,
        "selection": selection,
        "params": selection.params(),
        "headers": headers,
        "page": page,
        "rows": [reading.record_cells(indicator, r) for r in page],
    }
    return render(request, "indicators/drilldown.html", context)


@login_required
def breakdown(request: HttpRequest, code: str) -> HttpResponse:
    """One figure for each child unit (one grouped query), with a chart."""
    selection = _selection(request)
    indicator = _indicator_for_user(request, code, selection)
    assert selection.unit is not None
    query = selection.query()
    children = reading.child_units(selection.unit, query, request.user)
    rows = reading.breakdown_rows(indicator, query, children)
    total = indicator.compute(query)
    chart = {
        "type": "bar",
        "data": {
            "labels": [r["unit"].short_name or r["unit"].name for r in rows],
            "datasets": [
                {
                    "label": str(indicator.label),
                    "data": [r["value"] for r in rows],
                    "backgroundColor": "#a4161a",
                }
            ],
        },
        "options": {"indexAxis": "y", "plugins": {"legend": {"display": False}}},
    }
    context = {
        "indicator": indicator,
        "selection": selection,
        "params": selection.params(),
        "rows": [{**r, "params": selection.params(unit=r["unit"])} for r in rows],
        "total": total,
        "chart": json.dumps(chart, ensure_ascii=False),
    }
    return render(request, "indicators/breakdown.html", context)
