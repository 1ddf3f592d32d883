"""The deadline engine: one module for every time limit in giamsat.

A limit is counted in calendar days or working days as its rule says. Working days skip
weekends, Vietnamese public holidays (the ``holidays`` library: Tết and the other lunar dates,
the compensatory days the government announced) and the administrator's calendar adjustments
(``CalendarAdjustment``: extra days off, make-up working Saturdays). Every computed deadline
carries its explanation: the rule and its source, the start, the days counted and the days
skipped with the reason.

Counting follows the Civil Code (Bộ luật Dân sự 2015):
- Điều 147: a period counted in days starts on the day after the triggering event.
- Điều 148 khoản 5: when the last day of a calendar-day period is a weekend day or a holiday,
  the period ends at the end of the next working day.

Rules (``DeadlineRule``) are dated, cited data in ``RULES``; an administrator can override a
rule's length from a date (``DeadlineSetting``), which is how UNCONFIRMED values are kept
configurable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import holidays

ONE_DAY = dt.timedelta(days=1)


class DayCount(StrEnum):
    CALENDAR = "calendar"
    WORKING = "working"


@dataclass(frozen=True)
class DeadlineRule:
    """A time limit as a regulation states it, valid for facts dated within its interval."""

    code: str
    label: str
    days: int
    count: DayCount
    source: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    unconfirmed: bool = False
    # Extensions the rule allows (e.g. Luật Tố cáo 2018 Điều 30: once, ≤ 30 days, or twice).
    extension_days: int = 0
    max_extensions: int = 0

    def applies_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class SkippedDay:
    day: dt.date
    reason: str


@dataclass(frozen=True)
class Explanation:
    """Why a deadline falls where it does: enough for a user to check it by hand."""

    rule_code: str
    rule_label: str
    source: str
    unconfirmed: bool
    start: dt.date
    counting_from: dt.date
    days: int
    count: DayCount
    due: dt.date
    skipped: tuple[SkippedDay, ...] = ()
    notes: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        unit = "working days" if self.count == DayCount.WORKING else "calendar days"
        text = [
            f"{self.rule_label} — {self.source}" + (" (UNCONFIRMED)" if self.unconfirmed else ""),
            f"start {self.start:%d/%m/%Y}; counting from {self.counting_from:%d/%m/%Y}",
            f"{self.days} {unit} → due {self.due:%d/%m/%Y}",
        ]
        text.extend(f"skipped {s.day:%d/%m/%Y}: {s.reason}" for s in self.skipped)
        text.extend(self.notes)
        return text


@dataclass(frozen=True)
class Deadline:
    due: dt.date
    explanation: Explanation


class DeadlineError(ValueError):
    """A deadline cannot be computed from the facts given (the message says why)."""


# --- the calendar -----------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> dict[dt.date, str]:
    calendar = holidays.country_holidays("VN", years=[year], language="vi")
    return dict(calendar.items())


@lru_cache(maxsize=64)
def _weekend_workdays(year: int) -> frozenset[dt.date]:
    calendar = holidays.country_holidays("VN", years=[year])
    return frozenset(d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year)


def _adjustments() -> dict[dt.date, tuple[bool, str]]:
    """Administrator adjustments: {day: (is_working_day, reason)}. Empty without a database."""
    try:
        from giamsat.core.models import CalendarAdjustment

        return {
            a.day: (a.is_working_day, a.reason)
            for a in CalendarAdjustment.objects.all().only("day", "is_working_day", "reason")
        }
    except Exception:
        return {}


class WorkCalendar:
    """Which days are working days, with the reason a day is not."""

    def __init__(self, adjustments: dict[dt.date, tuple[bool, str]] | None = None) -> None:
        self.adjustments = adjustments if adjustments is not None else _adjustments()

    def day_off_reason(self, day: dt.date) -> str | None:
        """None for a working day; otherwise why the day is off."""
        if day in self.adjustments:
            working, reason = self.adjustments[day]
            return None if working else reason
        name = _public_holidays(day.year).get(day)
        if name:
            return name
        if day.weekday() >= 5:
            if day in _weekend_workdays(day.year):
                return None
            return "Thứ Bảy" if day.weekday() == 5 else "Chủ nhật"
        return None

    def is_working_day(self, day: dt.date) -> bool:
        return self.day_off_reason(day) is None

    def next_working_day(self, day: dt.date, skipped: list[SkippedDay] | None = None) -> dt.date:
        """``day`` itself if it is a working day, otherwise the next one."""
        while (reason := self.day_off_reason(day)) is not None:
            if skipped is not None:
                skipped.append(SkippedDay(day, reason))
            day += ONE_DAY
        return day


def add_working_days(start: dt.date, days: int, *, calendar: WorkCalendar | None = None) -> dt.date:
    """The ``days``-th working day after ``start`` (weekends and public holidays skipped).

    ``add_working_days(d, 0)`` is ``d`` itself. Counting starts the day after ``start``
    (Bộ luật Dân sự 2015 Điều 147).
    """
    return _add_working(start, days, calendar or WorkCalendar(), [])


def _add_working(
    start: dt.date, days: int, calendar: WorkCalendar, skipped: list[SkippedDay]
) -> dt.date:
    if days < 0:
        raise DeadlineError("a number of days cannot be negative")
    day = start
    remaining = days
    while remaining:
        day += ONE_DAY
        reason = calendar.day_off_reason(day)
        if reason is None:
            remaining -= 1
        else:
            skipped.append(SkippedDay(day, reason))
    return day


def count_working_days(
    start: dt.date, end: dt.date, *, calendar: WorkCalendar | None = None
) -> int:
    """Working days in (start, end]: how many of a working-day limit have been used."""
    cal = calendar or WorkCalendar()
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        if cal.is_working_day(day):
            count += 1
    return count


# --- rules ------------------------------------------------------------------------------------

D = dt.date
RULES: tuple[DeadlineRule, ...] = (
    # Party denunciations (tố cáo trong Đảng)
    DeadlineRule(
        "party_denunciation.local",
        "Giải quyết tố cáo trong Đảng (cấp tỉnh trở xuống)",
        90,
        DayCount.WORKING,
        "QĐ 30-QĐ/TW (2016), HD grassroots handbook: 90 ngày làm việc",
        D(2016, 7, 26),
        D(2021, 7, 27),
        extension_days=30,
        max_extensions=1,
    ),
    DeadlineRule(
        "party_denunciation.local",
        "Giải quyết tố cáo trong Đảng (cấp tỉnh trở xuống)",
        90,
        DayCount.CALENDAR,
        'QĐ 22-QĐ/TW Điều 20 khoản 1 ("chậm nhất 90 ngày")',
        D(2021, 7, 28),
        D(2025, 5, 29),
        unconfirmed=True,
        extension_days=30,
        max_extensions=1,
    ),
    DeadlineRule(
        "party_denunciation.local",
        "Giải quyết tố cáo trong Đảng (cấp tỉnh trở xuống)",
        90,
        DayCount.CALENDAR,
        "QĐ 296-QĐ/TW (day count not read; QĐ 22 value kept)",
        D(2025, 5, 30),
        unconfirmed=True,
        extension_days=30,
        max_extensions=1,
    ),
    DeadlineRule(
        "party_denunciation.central",
        "Giải quyết tố cáo trong Đảng (cấp Trung ương)",
        180,
        DayCount.CALENDAR,
        "QĐ 22-QĐ/TW Điều 20 khoản 1; QĐ 164-QĐ/TW (2024)",
        D(2021, 7, 28),
        unconfirmed=True,
    ),
    # Complaints against party discipline (khiếu nại kỷ luật đảng)
    DeadlineRule(
        "discipline_complaint.file",
        "Thời hạn khiếu nại quyết định kỷ luật",
        30,
        DayCount.CALENDAR,
        'Điều lệ Đảng Điều 39 khoản 7 ("trong vòng một tháng")',
        D(2011, 1, 19),
    ),
    DeadlineRule(
        "discipline_complaint.file",
        "Thời hạn khiếu nại quyết định kỷ luật",
        30,
        DayCount.CALENDAR,
        'QĐ 296-QĐ/TW Điều 25 khoản 1 ("trong thời hạn 30 ngày", per a party-work quiz bank)',
        D(2025, 5, 30),
        unconfirmed=True,
    ),
    DeadlineRule(
        "discipline_complaint.local",
        "Giải quyết khiếu nại kỷ luật (cấp tỉnh trở xuống)",
        90,
        DayCount.WORKING,
        "QĐ 30-QĐ/TW (2016)",
        D(2016, 7, 26),
        D(2021, 7, 27),
    ),
    DeadlineRule(
        "discipline_complaint.local",
        "Giải quyết khiếu nại kỷ luật (cấp tỉnh trở xuống)",
        90,
        DayCount.WORKING,
        "QĐ 22-QĐ/TW Điều 22 (numbers not read; QĐ 30 value kept)",
        D(2021, 7, 28),
        D(2025, 5, 29),
        unconfirmed=True,
    ),
    DeadlineRule(
        "discipline_complaint.local",
        "Giải quyết khiếu nại kỷ luật (cấp tỉnh trở xuống)",
        90,
        DayCount.WORKING,
        "QĐ 296-QĐ/TW (numbers not read; QĐ 30 value kept; ceiling 3 months, Điều lệ Điều 39 khoản 8)",
        D(2025, 5, 30),
        unconfirmed=True,
    ),
    DeadlineRule(
        "discipline_complaint.central",
        "Giải quyết khiếu nại kỷ luật (cấp Trung ương)",
        180,
        DayCount.WORKING,
        "QĐ 30-QĐ/TW (2016); QĐ 22/296 UNCONFIRMED",
        D(2016, 7, 26),
        unconfirmed=True,
    ),
    # State law: complaints (Luật Khiếu nại 2011) and denunciations (Luật Tố cáo 2018)
    DeadlineRule(
        "state_complaint.accept",
        "Thụ lý khiếu nại",
        10,
        DayCount.WORKING,
        "Luật Khiếu nại 2011 Điều 27",
        D(2012, 7, 1),
        unconfirmed=True,
    ),
    DeadlineRule(
        "state_complaint.first",
        "Giải quyết khiếu nại lần đầu",
        30,
        DayCount.CALENDAR,
        "Luật Khiếu nại 2011 Điều 28",
        D(2012, 7, 1),
        extension_days=15,
        max_extensions=1,
    ),
    DeadlineRule(
        "state_complaint.first_remote",
        "Giải quyết khiếu nại lần đầu (vùng sâu, vùng xa)",
        45,
        DayCount.CALENDAR,
        "Luật Khiếu nại 2011 Điều 28",
        D(2012, 7, 1),
        extension_days=15,
        max_extensions=1,
    ),
    DeadlineRule(
        "state_complaint.second",
        "Giải quyết khiếu nại lần hai",
        45,
        DayCount.CALENDAR,
        "Luật Khiếu nại 2011 Điều 37",
        D(2012, 7, 1),
        extension_days=15,
        max_extensions=1,
    ),
    DeadlineRule(
        "state_denunciation",
        "Giải quyết tố cáo (Luật Tố cáo)",
        30,
        DayCount.CALENDAR,
        "Luật Tố cáo 2018 Điều 30",
        D(2019, 1, 1),
        extension_days=30,
        max_extensions=2,
    ),
)


def rules_for(code: str) -> list[DeadlineRule]:
    return [r for r in RULES if r.code == code]


def rule_on(code: str, day: dt.date) -> DeadlineRule:
    """The rule ``code`` in force on ``day`` (with any administrator override applied)."""
    candidates = [r for r in rules_for(code) if r.applies_on(day)]
    if not candidates:
        raise DeadlineError(f"no deadline rule '{code}' in force on {day:%d/%m/%Y}")
    rule = max(candidates, key=lambda r: r.valid_from)
    return _with_override(rule, day)


def _with_override(rule: DeadlineRule, day: dt.date) -> DeadlineRule:
    try:
        from giamsat.core.models import DeadlineSetting

        setting = (
            DeadlineSetting.objects.filter(code=rule.code, valid_from__lte=day)
            .order_by("-valid_from")
            .first()
        )
    except Exception:
        setting = None
    if setting is None or setting.valid_from < rule.valid_from:
        return rule
    return DeadlineRule(
        code=rule.code,
        label=rule.label,
        days=setting.days,
        count=DayCount(setting.count),
        source=f"{setting.source} (set by an administrator from {setting.valid_from:%d/%m/%Y})",
        valid_from=setting.valid_from,
        valid_to=rule.valid_to,
        unconfirmed=setting.unconfirmed,
        extension_days=rule.extension_days,
        max_extensions=rule.max_extensions,
    )


def due_date(
    rule: DeadlineRule | str,
    start: dt.date,
    *,
    extensions: int = 0,
    suspensions: Iterable[tuple[dt.date, dt.date]] = (),
    received_by_competent_on: dt.date | None = None,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """The due date of ``rule`` for an event on ``start``, with its explanation.

    - ``received_by_competent_on``: after a transfer (phiếu chuyển đơn) the clock runs from the
      competent body's receipt, not from the first receipt (ubkttw.vn Q&A, Tạp chí Kiểm tra).
    - ``extensions``: how many extensions were decided (each adds the rule's extension length).
    - ``suspensions``: inclusive (from, to) intervals during which the clock stopped.
    """
    cal = calendar or WorkCalendar()
    notes: list[str] = []
    clock_start = start
    if received_by_competent_on is not None:
        if received_by_competent_on < start:
            raise DeadlineError("the competent body cannot receive a letter before it was sent")
        clock_start = received_by_competent_on
        notes.append(
            f"transferred: counted from the competent body's receipt on {clock_start:%d/%m/%Y}"
        )
    resolved = rule if isinstance(rule, DeadlineRule) else rule_on(rule, clock_start)
    if extensions > resolved.max_extensions:
        raise DeadlineError(
            f"{resolved.label}: at most {resolved.max_extensions} extension(s) allowed "
            f"({resolved.source})"
        )
    days = resolved.days + extensions * resolved.extension_days
    if extensions:
        notes.append(f"{extensions} extension(s) of {resolved.extension_days} days")
    skipped: list[SkippedDay] = []
    if resolved.count == DayCount.WORKING:
        due = _add_working(clock_start, days, cal, skipped)
    else:
        due = clock_start + dt.timedelta(days=days)
    for s_from, s_to in sorted(suspensions):
        if s_to < s_from:
            raise DeadlineError("a suspension ends before it starts")
        if s_from > due:
            continue
        paused = (s_to - s_from).days + 1
        if resolved.count == DayCount.WORKING:
            paused = count_working_days(s_from - ONE_DAY, s_to, calendar=cal)
            due = _add_working(due, paused, cal, skipped)
        else:
            due += dt.timedelta(days=paused)
        notes.append(f"suspended {s_from:%d/%m/%Y}–{s_to:%d/%m/%Y}: {paused} day(s) added")
    if resolved.count == DayCount.CALENDAR and not cal.is_working_day(due):
        moved = cal.next_working_day(due, skipped)
        notes.append(
            f"the last day {due:%d/%m/%Y} is a day off: moved to {moved:%d/%m/%Y} "
            "(Bộ luật Dân sự 2015 Điều 148 khoản 5)"
        )
        due = moved
    explanation = Explanation(
        rule_code=resolved.code,
        rule_label=resolved.label,
        source=resolved.source,
        unconfirmed=resolved.unconfirmed,
        start=start,
        counting_from=clock_start + ONE_DAY,
        days=days,
        count=resolved.count,
        due=due,
        skipped=tuple(skipped),
        notes=tuple(notes),
    )
    return Deadline(due, explanation)


class DeadlineState(StrEnum):
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    LONG_OVERDUE = "long_overdue"
    DONE = "done"
    DONE_LATE = "done_late"


@dataclass(frozen=True)
class StateThresholds:
    due_soon_days: int = 7
    long_overdue_days: int = 30


DEFAULT_THRESHOLDS = StateThresholds()


def state_of(
    due: dt.date,
    today: dt.date,
    *,
    done_on: dt.date | None = None,
    thresholds: StateThresholds = DEFAULT_THRESHOLDS,
) -> DeadlineState:
    """Where a deadline stands on ``today`` (or how it ended, if ``done_on``)."""
    if done_on is not None:
        return DeadlineState.DONE if done_on <= due else DeadlineState.DONE_LATE
    if today > due + dt.timedelta(days=thresholds.long_overdue_days):
        return DeadlineState.LONG_OVERDUE
    if today > due:
        return DeadlineState.OVERDUE
    if (due - today).days <= thresholds.due_soon_days:
        return DeadlineState.DUE_SOON
    return DeadlineState.ON_TRACK


__all__ = [
    "RULES",
    "DayCount",
    "Deadline",
    "DeadlineError",
    "DeadlineRule",
    "DeadlineState",
    "Explanation",
    "SkippedDay",
    "WorkCalendar",
    "add_working_days",
    "count_working_days",
    "due_date",
    "rule_on",
    "state_of",
]
