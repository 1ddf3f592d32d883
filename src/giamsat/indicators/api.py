"""Figures over the API: the same values, breakdowns and records as the figures pages.

Every endpoint takes ``unit`` (an id in the caller's scope), ``from`` and ``to`` (dd/mm/yyyy
or yyyy-mm-dd; default: this year to today) and optional repeated ``directive`` ids. An
indicator the caller may not see for that unit, or a unit outside their scope, answers 404.
"""

from typing import Annotated, Any

from django.http import Http404
from ninja import Field, Query, Router, Schema

from giamsat.accounts.roles import Cap
from giamsat.indicators import reading
from giamsat.indicators.registry import REGISTRY, Indicator, IndicatorQuery, indicators
from giamsat.indicators.selection import default_unit, parse_period, unit_in_scope_or_404
from giamsat.units.models import Unit

router = Router(tags=["indicators"])


# Record ids fit a 64-bit integer column: a larger number is refused (422), never sent to the
# database (SQLite raised on it: a server error found by schemathesis).
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class Selection(Schema):
    unit: RecordId | None = Field(None, description="Unit id (default: the caller's highest unit)")
    from_: str = Field("", alias="from", description="First day, dd/mm/yyyy or yyyy-mm-dd")
    to: str = Field("", description="Last day, dd/mm/yyyy or yyyy-mm-dd")
    directive: list[RecordId] = Field(default_factory=list, description="Directive ids")


class ValuesFilter(Selection):
    code: list[str] = Field(default_factory=list, description="Codes or prefixes ('study')")


class IndicatorOut(Schema):
    code: str
    label: str
    value: float | int
    unit_of_measure: str
    numerator: int | None = None
    denominator: int | None = None
    domain: str
    definition: str
    is_rate: bool


class DefinitionOut(Schema):
    code: str
    label: str
    definition: str
    unit_of_measure: str
    domain: str
    is_rate: bool
    columns: list[str]


class ChildValueOut(Schema):
    unit_id: int
    unit: str
    value: float | int
    numerator: int | None = None
    denominator: int | None = None


class BreakdownOut(Schema):
    indicator: IndicatorOut
    children: list[ChildValueOut]


class RecordOut(Schema):
    id: Any
    url: str | None
    cells: dict[str, str]
    links: dict[str, str]


class RecordsOut(Schema):
    indicator: IndicatorOut
    side: str
    count: int
    page: int
    pages: int
    items: list[RecordOut]


def _query(request, params: Selection) -> IndicatorQuery:
    errors: list[str] = []
    start, end = parse_period(params.from_, params.to, errors)
    if errors:
        from ninja.errors import HttpError

        raise HttpError(422, " ".join(errors))
    if params.unit is None:
        unit: Unit | None = default_unit(request.auth, Cap.VIEW_UNITS)
        if unit is None:
            raise Http404
    else:
        unit = unit_in_scope_or_404(request.auth, params.unit, Cap.VIEW_UNITS)
    return IndicatorQuery(unit, start, end, frozenset(params.directive))


def _indicator(request, code: str, query: IndicatorQuery) -> Indicator:
    if code not in REGISTRY or not reading.visible_indicators(request.auth, query.unit, [code]):
        raise Http404
    return REGISTRY[code]


@router.get("/", response=list[IndicatorOut], summary="Values of the indicators of a unit")
def list_values(request, filters: Query[ValuesFilter]):
    query = _query(request, filters)
    chosen = reading.visible_indicators(request.auth, query.unit, filters.code or None)
    return reading.values(query, chosen)


@router.get("/catalogue", response=list[DefinitionOut], summary="Every registered indicator")
def catalogue(request):
    return [
        {
            "code": i.code,
            "label": str(i.label),
            "definition": str(i.definition),
            "unit_of_measure": str(i.unit_of_measure),
            "domain": i.domain,
            "is_rate": i.is_rate,
            "columns": [str(c.label) for c in i.columns],
        }
        for i in indicators()
    ]


@router.get("/{code}", response=IndicatorOut, summary="One indicator's value")
def one_value(request, code: str, params: Query[Selection]):
    query = _query(request, params)
    indicator = _indicator(request, code, query)
    return reading.value_dict(indicator, indicator.compute(query))


@router.get("/{code}/breakdown", response=BreakdownOut, summary="The value for each child unit")
def breakdown(request, code: str, params: Query[Selection]):
    query = _query(request, params)
    indicator = _indicator(request, code, query)
    children = reading.child_units(query.unit, query, request.auth)
    rows = reading.breakdown_rows(indicator, query, children)
    return {
        "indicator": reading.value_dict(indicator, indicator.compute(query)),
        "children": [
            {
                "unit_id": r["unit"].pk,
                "unit": r["unit"].name,
                **{k: v for k, v in r.items() if k != "unit"},
            }
            for r in rows
        ],
    }


@router.get(
    "/{code}/records",
    response=RecordsOut,
    summary="The records behind the value",
    description="50 per page; side=denominator lists the records of a rate's denominator.",
)
def records(
    request,
    code: str,
    params: Query[Selection],
    page: int = 1,
    side: str = "",
):
    query = _query(request, params)
    indicator = _indicator(request, code, query)
    side = "denominator" if side == "denominator" and indicator.denominator else ""
    value = indicator.compute(query)
    records = reading.records_for(indicator, query, side)
    paginator = reading.records_paginator(indicator, records, value, 50, side)
    current = paginator.get_page(page)
    items = []
    for record in current:
        cells = reading.record_cells(indicator, record)
        items.append(
            {
                "id": record.pk,
                "url": record.get_absolute_url() if hasattr(record, "get_absolute_url") else None,
                "cells": {c["label"]: c["text"] for c in cells},
                "links": {c["label"]: c["link"] for c in cells if c["link"]},
            }
        )
    return {
        "indicator": reading.value_dict(indicator, value),
        "side": side,
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "items": items,
    }
