"""Reading the registry for a user: which indicators they may see for a unit, their values,
breakdowns and records as plain data. The pages, the API and the ``indicators`` command all
go through these functions, so they show the same figures."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.utils.formats import date_format

from giamsat.accounts.scoping import is_unrestricted, scope_q
from giamsat.indicators.registry import (
    Indicator,
    IndicatorQuery,
    IndicatorValue,
    indicators,
    shared_reads,
)
from giamsat.units.models import Unit


def visible_indicators(user, unit: Unit, codes: Iterable[str] | None = None) -> list[Indicator]:
    """Registered indicators whose capability ``user`` holds over ``unit`` (all for the CLI,
    ``user=None``). ``codes`` keeps exact codes or prefixes ("study" or "study.")."""
    found = indicators()
    if codes:
        wanted = [c.strip() for c in codes if c and c.strip()]
        found = [i for i in found if any(_matches(i.code, w) for w in wanted)]
    if user is None or is_unrestricted(user):
        return found
    allowed: dict[str, bool] = {}
    result = []
    for indicator in found:
        cap = str(indicator.capability)
        if cap not in allowed:
            allowed[cap] = Unit.objects.filter(scope_q(user, cap), pk=unit.pk).exists()
        if allowed[cap]:
            result.append(indicator)
    return result


def _matches(code: str, wanted: str) -> bool:
    return code == wanted or code.startswith(wanted.rstrip(".") + ".")


def domain_label(domain: str) -> str:
    try:
        return str(apps.get_app_config(domain).verbose_name)
    except LookupError:
        return domain


def value_dict(indicator: Indicator, value: IndicatorValue) -> dict[str, Any]:
    data = value.as_dict()
    data.update(
        {
            "label": str(indicator.label),
            "unit_of_measure": str(indicator.unit_of_measure),
            "domain": indicator.domain,
            "definition": str(indicator.definition),
            "is_rate": indicator.is_rate,
        }
    )
    return data


def values(query: IndicatorQuery, chosen: Iterable[Indicator]) -> list[dict[str, Any]]:
    """Each indicator's value for ``query`` as a dict (code, label, value, unit_of_measure...)."""
    with shared_reads():
        return [value_dict(ind, ind.compute(query)) for ind in chosen]


def child_units(unit: Unit, query: IndicatorQuery, user=None) -> list[Unit]:
    """The organisations directly under ``unit`` on the query's tree date (in scope)."""
    from giamsat.accounts.roles import Cap

    children = Unit.objects.children_of(unit, query.as_of).organisations()
    if user is not None:
        children = children.filter(scope_q(user, Cap.VIEW_UNITS))
    return list(children.order_vi())


def breakdown_rows(indicator: Indicator, query: IndicatorQuery, children: list[Unit]) -> list[dict]:
    found = indicator.breakdown(query, children)
    rows = []
    for child in children:
        value = found.get(child.pk) or IndicatorValue(indicator.code, 0)
        rows.append({"unit": child, **value.as_dict()})
    return rows


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime") and not hasattr(value, "hour"):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def record_cells(indicator: Indicator, record: Model) -> list[dict[str, Any]]:
    """The drill-down cells of one record: [{"label", "text", "link"}]."""
    if not indicator.columns:
        link = record.get_absolute_url() if hasattr(record, "get_absolute_url") else None
        return [{"label": "", "text": str(record), "link": link}]
    cells = []
    for column in indicator.columns:
        link = column.link(record) if column.link is not None else None
        cells.append(
            {"label": str(column.label), "text": cell_text(column.get(record)), "link": link}
        )
    return cells


def records_for(indicator: Indicator, query: IndicatorQuery, side: str = "") -> QuerySet:
    """The records behind the value (or behind a rate's denominator when side="denominator")."""
    if side == "denominator" and indicator.denominator is not None:
        qs = indicator.denominator(query)
    else:
        qs = indicator.records(query)
    if not qs.ordered:
        qs = qs.order_by("pk")
    return qs


def record_total(indicator: Indicator, value: IndicatorValue, side: str = "") -> int | None:
    """How many records the drill-down lists, read from the figure itself: a count's value, a
    rate's numerator or (side="denominator") denominator. The registry's contract is that a
    figure equals the number of its records (``giamsat.scale.checks.check_figures`` and each
    app's tests); None when the figure does not say (a rate without numerator)."""
    if side == "denominator" and indicator.denominator is not None:
        return value.denominator
    if indicator.is_rate:
        return value.numerator
    return int(value.value)


def records_paginator(
    indicator: Indicator, records: QuerySet, value: IndicatorValue, per_page: int, side: str = ""
) -> Paginator:
    """A paginator over a figure's records whose count is the figure: opening the first page
    of a province's 900,000 attendances reads 50 rows, not a COUNT over all of them."""
    paginator = Paginator(records, per_page)
    total = record_total(indicator, value, side)
    if total is not None:
        paginator.count = total  # overrides the cached property (no COUNT query)
    return paginator
