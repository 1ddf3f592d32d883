"""Figures of a report: indicator values by code, never a crash and never a made-up number.

A template names indicators as data (``{oversight.inspections}``). ``compute_figure`` asks the
registry; an unknown code, or an indicator that fails, gives an unavailable ``Figure`` that the
text shows as a clear "figure not available" marker. ``freeze_figure`` also collects the ids of
the records behind the value, stored as sorted id ranges.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Model, QuerySet

from giamsat.indicators.registry import Indicator, IndicatorQuery, get_indicator, shared_reads
from giamsat.reports.rules import format_number

logger = logging.getLogger(__name__)

NOT_FOUND = "unknown"
FAILED = "error"


@dataclass(frozen=True)
class RecordSet:
    """The records behind a figure: a model label and sorted inclusive id ranges."""

    model: str
    ranges: tuple[tuple[int, int], ...] = ()

    @property
    def count(self) -> int:
        return sum(b - a + 1 for a, b in self.ranges)

    def ids(self) -> list[int]:
        return [i for a, b in self.ranges for i in range(a, b + 1)]

    def as_json(self) -> dict[str, Any]:
        return {"model": self.model, "ids": [list(r) for r in self.ranges]}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> RecordSet | None:
        if not data or not data.get("model"):
            return None
        return cls(data["model"], tuple((int(a), int(b)) for a, b in data.get("ids", [])))

    def model_class(self) -> type[Model] | None:
        try:
            return apps.get_model(self.model)
        except (LookupError, ValueError):
            return None


def encode_ranges(ids: Iterable[int]) -> tuple[tuple[int, int], ...]:
    """Sorted distinct ids as inclusive ranges: [1, 2, 3, 7] → ((1, 3), (7, 7))."""
    ranges: list[list[int]] = []
    for i in sorted(set(ids)):
        if ranges and i == ranges[-1][1] + 1:
            ranges[-1][1] = i
        else:
            ranges.append([i, i])
    return tuple((a, b) for a, b in ranges)


@dataclass(frozen=True)
class Figure:
    code: str
    available: bool
    label: str = ""
    unit_of_measure: str = ""
    is_rate: bool = False
    value: int | Decimal | None = None
    numerator: int | None = None
    denominator: int | None = None
    reason: str = ""  # why unavailable: NOT_FOUND or FAILED
    typed: bool = False
    records: RecordSet | None = None
    denominator_records: RecordSet | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def display(self, part: str | None = None) -> str:
        """The value as printed in Vietnamese ("80.412", "96%"); "" when unavailable."""
        if not self.available or self.value is None:
            return ""
        if part == "numerator" and self.numerator is not None:
            return format_number(self.numerator)
        if part == "denominator" and self.denominator is not None:
            return format_number(self.denominator)
        return format_number(self.value, is_rate=self.is_rate)

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "available": self.available,
            "label": self.label,
            "unit_of_measure": self.unit_of_measure,
            "is_rate": self.is_rate,
            "value": None if self.value is None else str(self.value),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "reason": self.reason,
            "typed": self.typed,
            "records": self.records.as_json() if self.records else None,
            "denominator_records": (
                self.denominator_records.as_json() if self.denominator_records else None
            ),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Figure:
        raw = data.get("value")
        value: int | Decimal | None = None
        if raw is not None:
            dec = Decimal(raw)
            value = dec if data.get("is_rate") or dec != dec.to_integral_value() else int(dec)
        return cls(
            code=data["code"],
            available=bool(data.get("available")),
            label=data.get("label", ""),
            unit_of_measure=data.get("unit_of_measure", ""),
            is_rate=bool(data.get("is_rate")),
            value=value,
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            reason=data.get("reason", ""),
            typed=bool(data.get("typed")),
            records=RecordSet.from_json(data.get("records")),
            denominator_records=RecordSet.from_json(data.get("denominator_records")),
        )


def find_indicator(code: str) -> Indicator | None:
    try:
        return get_indicator(code)
    except KeyError:
        return None


def _unavailable(code: str, reason: str) -> Figure:
    return Figure(code=code, available=False, reason=reason)


def _described(indicator: Indicator, **values: Any) -> Figure:
    return Figure(
        code=indicator.code,
        available=True,
        label=str(indicator.label),
        unit_of_measure=str(indicator.unit_of_measure),
        is_rate=indicator.is_rate,
        **values,
    )


def _record_set(queryset: QuerySet) -> RecordSet:
    ids = queryset.order_by().values_list("pk", flat=True).distinct()
    return RecordSet(queryset.model._meta.label_lower, encode_ranges(ids))


def compute_figure(code: str, query: IndicatorQuery, *, with_records: bool = False) -> Figure:
    """The live value of ``code`` for ``query``; unavailable (never an exception) when the code
    is unknown or its indicator fails. ``with_records`` also lists the records behind it."""
    indicator = find_indicator(code)
    if indicator is None:
        return _unavailable(code, NOT_FOUND)
    try:
        result = indicator.compute(query)
        records = denominator_records = None
        if with_records:
            records = _record_set(indicator.records(query))
            if indicator.denominator is not None:
                denominator_records = _record_set(indicator.denominator(query))
    except Exception:
        logger.exception("indicator %s failed for unit %s", code, query.unit.pk)
        return _unavailable(code, FAILED)
    return _described(
        indicator,
        value=result.value,
        numerator=result.numerator,
        denominator=result.denominator,
        records=records,
        denominator_records=denominator_records,
    )


def compute_figures(
    codes: Iterable[str], query: IndicatorQuery, *, with_records: bool = False
) -> dict[str, Figure]:
    with shared_reads():
        return {code: compute_figure(code, query, with_records=with_records) for code in codes}


def breakdown_figures(
    codes: Iterable[str], query: IndicatorQuery, children: list
) -> dict[str, dict[int, Figure]]:
    """{code: {child_id: Figure}}: one breakdown per indicator (constant queries per code)."""
    result: dict[str, dict[int, Figure]] = {}
    with shared_reads():
        _breakdowns(codes, query, children, result)
    return result


def _breakdowns(codes, query: IndicatorQuery, children: list, result: dict) -> None:
    for code in codes:
        indicator = find_indicator(code)
        if indicator is None:
            result[code] = {c.pk: _unavailable(code, NOT_FOUND) for c in children}
            continue
        try:
            values = indicator.breakdown(query, children)
        except Exception:
            logger.exception("breakdown of %s failed for unit %s", code, query.unit.pk)
            result[code] = {c.pk: _unavailable(code, FAILED) for c in children}
            continue
        result[code] = {
            c.pk: _described(
                indicator,
                value=values[c.pk].value,
                numerator=values[c.pk].numerator,
                denominator=values[c.pk].denominator,
            )
            if c.pk in values
            else _unavailable(code, FAILED)
            for c in children
        }


def typed_figure(
    code: str, value: int | Decimal, *, label: str = "", is_rate: bool = False
) -> Figure:
    indicator = find_indicator(code)
    return Figure(
        code=code,
        available=True,
        label=label or (str(indicator.label) if indicator else code),
        unit_of_measure=str(indicator.unit_of_measure) if indicator else "",
        is_rate=is_rate or bool(indicator and indicator.is_rate),
        value=value,
        typed=True,
    )
