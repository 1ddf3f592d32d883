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
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, Model, Q, QuerySet
from django.utils.functional import Promise

from giamsat.accounts.roles import Cap
from giamsat.units.models import Unit, UnitAncestry, subtree_q


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
    # Set by breakdowns only: the records' unit path whose subtree filter the breakdown's own
    # join to the closure replaces (the children's subtrees lie inside the unit's).
    breakdown_path: str | None = None

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

    @cached_property
    def at_root(self) -> bool:
        """Is the unit a root of the tree on ``as_of`` (its subtree is the whole tree)?"""
        return not self.unit.parent_links.valid_on(self.as_of).exists()

    def for_breakdown(self, unit_path: str, *, narrow: bool = True) -> IndicatorQuery:
        """This query as a breakdown by child reads it: ``in_subtree(unit_path)`` becomes a
        no-op, since the breakdown's own join to the children's subtrees keeps only records of
        the subtree on that day. With ``narrow`` (the default) the filter stays below a root,
        where it narrows the rows read first (measured: docs/performance.md)."""
        if narrow and not self.at_root:
            return self
        return replace(self, breakdown_path=unit_path)

    def in_subtree(self, path: str = "unit"):
        """Q: the record's unit (through ``path``) is in the queried unit's subtree on ``as_of``,
        or ended inside it during the period (its records stay with the organisation it ended
        under: a district committee's cases of 2024 count for its province in 2023–2026)."""
        if path == self.breakdown_path:
            return Q()
        return subtree_q(path, self.unit, self.as_of, ended_since=self.start)

    def in_period(self, date_path: str):
        """Q: the record's date (through ``date_path``) lies in the period."""
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
Within = Callable[[IndicatorQuery], Q]


@dataclass(frozen=True, eq=False)
class Family:
    """Figures that each count a subset of the same rows (letters received, by class, by
    channel, ...). A member's records are ``rows(query).filter(within(query))``; inside
    ``shared_reads()`` (a dashboard, a report) every member is counted in one query over the
    rows, with one filtered COUNT per member. ``within`` may only test the rows' own columns
    (a join to a many-valued relation would multiply the rows of every member)."""

    name: str
    rows: Records

    def records(self, within: Within) -> Records:
        return lambda query: self.rows(query).filter(within(query))

    def count(self, indicator: Indicator, query: IndicatorQuery, side: str = "") -> int:
        """The number of ``indicator``'s records (``side="denominator"``: of its
        denominator's), with every other member's, in one query per page or report."""

        def read() -> dict[tuple[str, str], int]:
            conditions: dict[tuple[str, str], Q] = {}
            for member in REGISTRY.values():
                if member.family is self and member.within is not None:
                    conditions[(member.code, "")] = member.within(query)
                    if member.denominator_within is not None:
                        conditions[(member.code, "denominator")] = member.denominator_within(query)
            keys = list(conditions)
            counts = {f"n{k}": Count("pk", filter=conditions[key]) for k, key in enumerate(keys)}
            found = self.rows(query).order_by().aggregate(**counts)
            return {key: found[f"n{k}"] for k, key in enumerate(keys)}

        return shared(("family", self.name, query), read)[(indicator.code, side)]


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
    # Counted with the other members of its family (see ``Family``); ``records`` must be
    # ``family.records(within)`` (and a rate's ``denominator``
    # ``family.records(denominator_within)``).
    family: Family | None = None
    within: Within | None = None
    denominator_within: Within | None = None
    order: int = 100

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None or self.custom_value is not None

    def compute(self, query: IndicatorQuery) -> IndicatorValue:
        if self.custom_value is not None:
            return self.custom_value(query)
        in_family = self.family is not None and self.within is not None
        batched = in_family and _SHARED.get() is not None
        if self.fast_count is not None:
            numerator = self.fast_count(query)
        elif batched:
            numerator = self.family.count(self, query)  # type: ignore[union-attr]
        else:
            numerator = self.records(query).count()
        if self.denominator is None:
            return IndicatorValue(self.code, numerator)
        if batched and self.denominator_within is not None:
            denominator = self.family.count(self, query, "denominator")  # type: ignore[union-attr]
        else:
            denominator = self.denominator(query).count()
        return IndicatorValue(self.code, rate(numerator, denominator), numerator, denominator)

    def breakdown(self, query: IndicatorQuery, children: list[Unit]) -> dict[int, IndicatorValue]:
        """Values for each child unit (by id), in a constant number of queries."""
        if not children:
            return {}
        if self.custom_breakdown is not None:
            return self.custom_breakdown(query, children)
        whole = query.for_breakdown(self.unit_path)
        counts = _count_by_child(self.records(whole), self.unit_path, children, query)
        if self.denominator is None:
            return {c.pk: IndicatorValue(self.code, counts.get(c.pk, 0)) for c in children}
        dens = _count_by_child(self.denominator(whole), self.unit_path, children, query)
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
    records: QuerySet, unit_path: str, children: list[Unit], query: IndicatorQuery
) -> dict[int, int]:
    """One grouped query: count distinct records under each child (through the closure)."""
    found = aggregate_by_child(records, unit_path, children, query, n=("COUNT_DISTINCT", F("pk")))
    return {child: row["n"] for child, row in found.items()}


def aggregate_by_child(
    rows: QuerySet,
    unit_path: str,
    children: Sequence[Unit],
    query: IndicatorQuery,
    *,
    with_ended: bool = True,
    **aggregates: tuple[str, Any],
) -> dict[int, dict[str, int]]:
    """``{child id: {name: value}}`` in one grouped query over the closure table.

    ``aggregates`` maps a name to (``"SUM"``, ``"COUNT"`` or ``"COUNT_DISTINCT"``, an
    expression on ``rows``). The rows (their filters written with the ORM) become a subquery
    of the unit and the expressions, joined straight to the closure on the unit column — not
    through the unit table, which the ORM's ``unit__ancestry_up`` path would add — and grouped
    by the child each row lies under on the query's ``as_of`` (a unit lies under at most one
    child), or — ``with_ended`` — ended under it during the period (as
    ``IndicatorQuery.in_subtree``).
    """
    if not children:
        return {}
    names = list(aggregates)
    inner = rows.order_by().annotate(
        gs_unit=F(unit_path), **{f"gs_{n}": expr for n, (_, expr) in aggregates.items()}
    )
    # The primary key stays in the select, so a DISTINCT queryset never merges two rows.
    columns = inner.values_list("pk", "gs_unit", *[f"gs_{n}" for n in names])
    try:
        sql, params = columns.query.sql_with_params()
    except EmptyResultSet:  # e.g. a filter on an empty list: nothing under any child
        return {}
    selects = []
    for name in names:
        function = aggregates[name][0]
        if function not in AGGREGATES:
            raise ValueError(f"unknown aggregate {function}")
        selects.append(AGGREGATES[function].format(f"r.gs_{name}"))
    table = UnitAncestry._meta.db_table
    marks = ", ".join(["%s"] * len(children))
    day = connection.ops.adapt_datefield_value(query.as_of)
    since = connection.ops.adapt_datefield_value(query.start)
    ids = [c.pk for c in children]
    # The children's subtrees on as_of, or units that ended under them during the period
    # (ancestry_down_idx and the small partial ancestry_ended_idx).
    ended = "OR (a.ended_here AND a.valid_to >= %s AND a.valid_to < %s)" if with_ended else ""
    grouped = (
        f"SELECT a.ancestor_id, {', '.join(selects)} FROM ({sql}) r "  # noqa: S608 - fixed names
        f"INNER JOIN {table} a ON a.descendant_id = r.gs_unit "
        f"WHERE a.ancestor_id IN ({marks}) AND ((a.valid_from <= %s AND a.valid_to >= %s) "
        f"{ended}) GROUP BY a.ancestor_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(grouped, [*params, *ids, day, day, *([since, day] if with_ended else [])])
        return {
            row[0]: {name: int(value or 0) for name, value in zip(names, row[1:], strict=True)}
            for row in cursor.fetchall()
        }


AGGREGATES = {"SUM": "SUM({})", "COUNT": "COUNT({})", "COUNT_DISTINCT": "COUNT(DISTINCT {})"}


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
