"""Dates: today in Vietnam, periods, and the open-ended interval convention.

Validity intervals in giamsat are inclusive on both ends: a unit "valid from 01/07/2025 to
30/06/2030" exists on both days. An open end is stored as NULL in user-entered tables and as
``FAR_FUTURE`` in derived tables, where a plain range comparison must use an index.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

FAR_FUTURE = dt.date(9999, 12, 31)
FAR_PAST = dt.date(1900, 1, 1)


def today() -> dt.date:
    """Today's date in Asia/Ho_Chi_Minh (the project time zone)."""
    return timezone.localdate()


def end_or_far(value: dt.date | None) -> dt.date:
    return value or FAR_FUTURE


def overlaps(a_from: dt.date, a_to: dt.date | None, b_from: dt.date, b_to: dt.date | None) -> bool:
    return a_from <= end_or_far(b_to) and b_from <= end_or_far(a_to)


def intersect(
    a_from: dt.date, a_to: dt.date, b_from: dt.date, b_to: dt.date
) -> tuple[dt.date, dt.date] | None:
    start, end = max(a_from, b_from), min(a_to, b_to)
    return (start, end) if start <= end else None


@dataclass(frozen=True)
class Period:
    """An inclusive range of dates, e.g. the period a report covers."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"Period start {self.start} is after its end {self.end}")

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))


def parse_date(text: str) -> dt.date:
    """Parse dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy) or ISO yyyy-mm-dd.

    Raises ValueError with a message that names the accepted forms.
    """
    raw = text.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(raw, fmt).date()  # noqa: DTZ007 - a date, no time zone
        except ValueError:
            continue
    raise ValueError(f"'{raw}' is not a date (use dd/mm/yyyy or yyyy-mm-dd)")


def format_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""
