"""The indicator registry: every figure of every report is declared here once.

An indicator has a code ("study.attendances"), a Vietnamese label (gettext), a definition, a
unit of measure, the capability needed to see it, and a function that returns **the records
behind the value** for a query (unit subtree, period, filters). The value of a count indicator
is the number of those records, so a figure and its drill-down can never disagree. Rates
declare a numerator and a denominator. Breakdowns by child unit run as one grouped query over
the closure table, never one query per unit.

Apps declare their indicators in ``giamsat/<app>/indicators.py``; the registry imports those
modules when Django starts (``IndicatorsConfig.ready``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.db.models import Count, Model, QuerySet
from django.utils.functional import Promise

from giamsat.accounts.roles import Cap
from giamsat.units.models import Unit, subtree_q


@dataclass(frozen=True)
class IndicatorQuery:
    """What a figure is asked for: a unit's subtree, an inclusive period, optional filters.

    The tree is read on ``as_of``: by default the period's last day, clamped to the unit's
    life (a city that ended on 30/06/2025 is read as it stood on its last day).
    """

    unit: Unit
    start: dt.date
    end: dt.date
    directive_ids: frozenset[int] = frozenset()
    params: tuple[tuple[str, str], ...] = ()
    tree_date: dt.date | None = None

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"period start {self.start} is after its end {self.end}")

    @property
    def as_of(self) -> dt.date:
        return self.unit.reference_date(self.tree_date or self.end)

    def param(self, name: str, default: str | None = None) -> str | None:
        return dict(self.params).get(name, default)

    def for_unit(self, unit: Unit) -> IndicatorQuery:
        return IndicatorQuery(
            unit, self.start, self.end, self.directive_ids, self.params, self.as_of
        )

    def in_subtree(self, path: str = "unit"):
        """Q: the record's unit (through ``path``) is in the queried unit's subtree."""
        return subtree_q(path, self.unit, self.as_of)

    def in_period(self, date_path: str):
        """Q: the record's date (through ``date_path``) lies in the period."""
        from django.db.models import Q

        return Q(**{f"{date_path}__gte": self.start, f"{date_path}__lte": self.end})


@dataclass(frozen=True)
class Column:
    """A column of a drill-down table: a label and how to read it from a record."""

    label: str | Promise
    get: Callable[[Any], Any]
    # Optional: the URL the cell links to (e.g. the person or the session of the record).
    link: Callable[[Any], str | None] | None = None


@dataclass(frozen=True)
class IndicatorValue:
    code: str
    value: int | Decimal
    numerator: int | None = None
    denominator: int | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "value": _jsonable(self.value)}
        if self.denominator is not None:
            data["numerator"] = self.numerator
            data["denominator"] = self.denominator
        return data


def _jsonable(value: int | Decimal) -> int | float:
    return float(value) if isinstance(value, Decimal) else value


def rate(numerator: int, denominator: int, places: int = 1) -> Decimal:
    """A percentage rounded half-up to ``places`` decimals; 0 when nothing is expected."""
    if denominator <= 0:
        return Decimal(0)
    exact = Decimal(numerator) * 100 / Decimal(denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


Records = Callable[[IndicatorQuery], QuerySet]


@dataclass(frozen=True)
class Indicator:
    """A declared figure. See the module docstring for the contract."""

    code: str
    label: str | Promise
    definition: str | Promise
    unit_of_measure: str | Promise
    domain: str
    capability: Cap
    records: Records
    # Path from a record to its Unit, used by the default one-query breakdown.
    unit_path: str = "unit"
    columns: Sequence[Column] = field(default_factory=tuple)
    # For rates: the records of the denominator (the numerator is ``records``).
    denominator: Records | None = None
    # A custom breakdown: (query, children) -> {child_id: IndicatorValue}, in O(1) queries.
    custom_breakdown: Callable[[IndicatorQuery, list[Unit]], dict[int, IndicatorValue]] | None = (
        None
    )
    # A custom value for rates whose numerator/denominator are not plain record counts.
    custom_value: Callable[[IndicatorQuery], IndicatorValue] | None = None
    # For counts: the number of ``records(query)`` read another way (e.g. a sum of stored
    # counters), so that a large figure does not scan its records. It must always equal
    # ``records(query).count()``; each app tests that equality.
    fast_count: Callable[[IndicatorQuery], int] | None = None
    order: int = 100

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None or self.custom_value is not None

    def compute(self, query: IndicatorQuery) -> IndicatorValue:
        if self.custom_value is not None:
            return self.custom_value(query)
        if self.fast_count is not None:
            numerator = self.fast_count(query)
        else:
            numerator = self.records(query).count()
        if self.denominator is None:
            return IndicatorValue(self.code, numerator)
        denominator = self.denominator(query).count()
        return IndicatorValue(self.code, rate(numerator, denominator), numerator, denominator)

    def breakdown(self, query: IndicatorQuery, children: list[Unit]) -> dict[int, IndicatorValue]:
        """Values for each child unit (by id), in a constant number of queries."""
        if not children:
            return {}
        if self.custom_breakdown is not None:
            return self.custom_breakdown(query, children)
        counts = _count_by_child(self.records(query), self.unit_path, children, query.as_of)
        if self.denominator is None:
            return {c.pk: IndicatorValue(self.code, counts.get(c.pk, 0)) for c in children}
        dens = _count_by_child(self.denominator(query), self.unit_path, children, query.as_of)
        return {
            c.pk: IndicatorValue(
                self.code,
                rate(counts.get(c.pk, 0), dens.get(c.pk, 0)),
                counts.get(c.pk, 0),
                dens.get(c.pk, 0),
            )
            for c in children
        }


def _count_by_child(
    records: QuerySet, unit_path: str, children: list[Unit], as_of: dt.date
) -> dict[int, int]:
    """One grouped query: count distinct records under each child (through the closure)."""
    prefix = "ancestry_up" if unit_path == "pk" else f"{unit_path}__ancestry_up"
    rows = (
        records.filter(
            **{
                f"{prefix}__ancestor__in": [c.pk for c in children],
                f"{prefix}__valid_from__lte": as_of,
                f"{prefix}__valid_to__gte": as_of,
            }
        )
        .order_by()
        .values(f"{prefix}__ancestor")
        .annotate(n=Count("pk", distinct=True))
    )
    return {row[f"{prefix}__ancestor"]: row["n"] for row in rows}


# Values several figures read (e.g. the distinct persons behind four study figures), read once
# per page or report: set only inside ``shared_reads()``, so nothing outlives one computation.
_SHARED: ContextVar[dict[Hashable, Any] | None] = ContextVar("indicator_shared", default=None)
T = TypeVar("T")


@contextlib.contextmanager
def shared_reads() -> Iterator[None]:
    """Within this block, a value read through ``shared()`` is read once (a dashboard, an API
    list or a report computing many figures of one query). Outside it, every read is fresh."""
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def shared(key: Hashable, read: Callable[[], T]) -> T:
    """``read()``, or the value already read under ``key`` in the current ``shared_reads()``."""
    memo = _SHARED.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    if indicator.code in REGISTRY and REGISTRY[indicator.code] is not indicator:
        raise ValueError(f"indicator {indicator.code} is registered twice")
    REGISTRY[indicator.code] = indicator
    return indicator


def get_indicator(code: str) -> Indicator:
    try:
        return REGISTRY[code]
    except KeyError:
        raise KeyError(f"unknown indicator '{code}'") from None


def indicators(domain: str | None = None) -> list[Indicator]:
    found = [i for i in REGISTRY.values() if domain is None or i.domain == domain]
    return sorted(found, key=lambda i: (i.domain, i.order, i.code))


def record_count(indicator: Indicator, query: IndicatorQuery) -> int:
    return indicator.records(query).count()


def drilldown(indicator: Indicator, query: IndicatorQuery) -> QuerySet[Model]:
    """The records behind ``indicator`` for ``query`` (what a figure's link opens)."""
    return indicator.records(query)
