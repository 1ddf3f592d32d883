"""The deadline engine: one module for every time limit in giamsat.

A limit is counted in calendar days or working days as its rule says. Working days skip
weekends, Vietnamese public holidays (the ``holidays`` library: Tết and the other lunar dates,
the compensatory days the Government announced, make-up working Saturdays) and the
administrator's calendar adjustments (``CalendarAdjustment``: extra days off announced late,
make-up working days). Every computed deadline carries its explanation: the rule and its
source, the day the clock started, the days counted and every day skipped with the reason.

Counting follows the Civil Code (Bộ luật Dân sự 2015):
- Điều 147 khoản 1: a period counted in days starts on the day after the triggering event.
- Điều 148 khoản 5: when the last day of a period is a weekend day or a public holiday, the
  period ends at the end of the next working day. (For working-day limits the last day is a
  working day by construction.)

Facts that change a deadline:
- transfer (phiếu chuyển đơn): the limit runs from the day the *competent* body received the
  letter (ubkttw.vn Q&A "Thời hạn giải quyết tố cáo được tính từ ngày tổ chức đảng có thẩm
  quyền giải quyết tố cáo nhận được đơn");
- extensions: each adds at most the rule's extension length, counted in the rule's unit, on
  top of the base period (the total is counted from the start, which is the same as counting
  the extension from the unshifted end of the base period);
- suspensions (tạm đình chỉ): days inside a suspension do not count (Luật Tố cáo 2018 Điều 31
  khoản 2 "thời gian tạm đình chỉ không tính vào thời hạn giải quyết" — paraphrase);
- case flags (``complex``, ``especially_complex``, ``remote``) choose a rule's variant, e.g.
  Luật Khiếu nại 2011 Điều 28: 30 days, 45 for a complex case.

Rules (``DeadlineRule``) are dated, cited data in ``RULES``, chosen by the date the clock
starts; an administrator can override a rule's length from a date (``DeadlineSetting``), which
is how values the research marks UNCONFIRMED stay configurable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

import holidays
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ONE_DAY = dt.timedelta(days=1)
# Case flags a rule may have variants for; anything else passed to ``due_date`` is an error.
KNOWN_FLAGS = frozenset({"complex", "especially_complex", "remote"})


class DayCount(StrEnum):
    CALENDAR = "calendar"
    WORKING = "working"


class StartEvent(StrEnum):
    """What starts the clock of a rule (the caller passes that date as ``start``)."""

    RECEIPT = "receipt"  # the competent body received the letter
    ACCEPTANCE = "acceptance"  # thụ lý (acceptance for handling), state complaint/denunciation law
    DECISION = "decision"  # a decision (e.g. establishing the team) or a notified decision


@dataclass(frozen=True)
class Variant:
    """A different length when all of ``when`` hold (e.g. a complex case in a remote area)."""

    when: frozenset[str]
    days: int
    extension_days: int | None = None
    note: str = ""


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
    # Extensions the rule allows (e.g. QĐ 30-QĐ/TW: once, ≤ 30 working days).
    extension_days: int = 0
    max_extensions: int = 0
    # When extensions depend on the case (Luật Tố cáo 2018 Điều 30: once if complex, twice if
    # especially complex), the largest number allowed by a flag that holds.
    extension_limits: tuple[tuple[str, int], ...] = ()
    variants: tuple[Variant, ...] = ()
    start_event: StartEvent = StartEvent.RECEIPT

    def applies_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def variant_for(self, flags: frozenset[str]) -> Variant | None:
        """The most specific variant whose conditions all hold, if any."""
        matching = [v for v in self.variants if v.when <= flags]
        if not matching:
            return None
        return max(matching, key=lambda v: len(v.when))

    def allowed_extensions(self, flags: frozenset[str]) -> int:
        if self.extension_limits:
            return max((n for flag, n in self.extension_limits if flag in flags), default=0)
        return self.max_extensions


class SkipKind(StrEnum):
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    ADJUSTMENT = "adjustment"
    SUSPENSION = "suspension"


@dataclass(frozen=True)
class SkippedDay:
    day: dt.date
    reason: str
    kind: SkipKind = SkipKind.HOLIDAY


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
    # The clock started on a later day than ``start`` (a transfer to the competent body).
    clock_start: dt.date | None = None
    base_days: int | None = None
    variant_note: str = ""
    extensions: tuple[int, ...] = ()
    suspensions: tuple[tuple[dt.date, dt.date], ...] = ()
    # The unshifted last day of a calendar-day period that fell on a day off (Điều 148 k5).
    moved_from: dt.date | None = None

    @property
    def skipped_days_off(self) -> tuple[SkippedDay, ...]:
        return tuple(s for s in self.skipped if s.kind != SkipKind.SUSPENSION)

    @property
    def suspended_days(self) -> tuple[SkippedDay, ...]:
        return tuple(s for s in self.skipped if s.kind == SkipKind.SUSPENSION)

    def lines(self) -> list[str]:
        """The explanation as sentences in the active language (Vietnamese by default)."""
        unit = _("working days") if self.count == DayCount.WORKING else _("calendar days")
        first = f"{self.rule_label} — {self.source}"
        if self.unconfirmed:
            first += " " + _("(value not confirmed in the sources read; set by an administrator)")
        text = [first]
        text.append(_("Event on %(start)s.") % {"start": _fmt(self.start)})
        if self.clock_start and self.clock_start != self.start:
            text.append(
                _(
                    "Transferred: the time limit runs from the competent body's receipt on "
                    "%(day)s, not from the first receipt."
                )
                % {"day": _fmt(self.clock_start)}
            )
        base = self.base_days if self.base_days is not None else self.days
        text.append(
            _("Counting starts on %(day)s (the day after the event, Civil Code art. 147).")
            % {"day": _fmt(self.counting_from)}
        )
        if self.variant_note:
            text.append(self.variant_note)
        text.append(_("Time limit: %(days)d %(unit)s.") % {"days": base, "unit": unit})
        for number, extra in enumerate(self.extensions, start=1):
            text.append(
                _("Extension %(n)d: %(days)d %(unit)s.")
                % {"n": number, "days": extra, "unit": unit}
            )
        for s_from, s_to in self.suspensions:
            text.append(
                _("Suspended from %(start)s to %(end)s: those days do not count.")
                % {"start": _fmt(s_from), "end": _fmt(s_to)}
            )
        weekends = [s for s in self.skipped if s.kind == SkipKind.WEEKEND]
        if weekends:
            text.append(_("Weekend days not counted: %(n)d.") % {"n": len(weekends)})
        holidays_off = [
            s for s in self.skipped if s.kind in (SkipKind.HOLIDAY, SkipKind.ADJUSTMENT)
        ]
        if holidays_off:
            text.append(
                _("Holidays and days off not counted (%(n)d): %(days)s.")
                % {
                    "n": len(holidays_off),
                    "days": "; ".join(f"{_fmt(s.day)} {s.reason}" for s in holidays_off),
                }
            )
        if self.suspended_days:
            text.append(_("Suspended days not counted: %(n)d.") % {"n": len(self.suspended_days)})
        if self.moved_from is not None:
            text.append(
                _(
                    "The last day %(last)s is a day off: the time limit ends on the next "
                    "working day (Civil Code art. 148(5))."
                )
                % {"last": _fmt(self.moved_from)}
            )
        text.append(
            _("%(days)d %(unit)s counted → due on %(due)s.")
            % {"days": self.days, "unit": unit, "due": _fmt(self.due)}
        )
        return text

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form, to store next to the record whose deadline it explains."""
        return {
            "rule_code": self.rule_code,
            "rule_label": self.rule_label,
            "source": self.source,
            "unconfirmed": self.unconfirmed,
            "start": self.start.isoformat(),
            "counting_from": self.counting_from.isoformat(),
            "days": self.days,
            "count": str(self.count),
            "due": self.due.isoformat(),
            "skipped": [[s.day.isoformat(), s.reason, str(s.kind)] for s in self.skipped],
            "clock_start": self.clock_start.isoformat() if self.clock_start else None,
            "base_days": self.base_days,
            "variant_note": self.variant_note,
            "extensions": list(self.extensions),
            "suspensions": [[a.isoformat(), b.isoformat()] for a, b in self.suspensions],
            "moved_from": self.moved_from.isoformat() if self.moved_from else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Explanation:
        iso = dt.date.fromisoformat
        return cls(
            rule_code=data["rule_code"],
            rule_label=data["rule_label"],
            source=data["source"],
            unconfirmed=bool(data["unconfirmed"]),
            start=iso(data["start"]),
            counting_from=iso(data["counting_from"]),
            days=int(data["days"]),
            count=DayCount(data["count"]),
            due=iso(data["due"]),
            skipped=tuple(SkippedDay(iso(d), r, SkipKind(k)) for d, r, k in data["skipped"]),
            clock_start=iso(data["clock_start"]) if data.get("clock_start") else None,
            base_days=data.get("base_days"),
            variant_note=data.get("variant_note", ""),
            extensions=tuple(data.get("extensions", ())),
            suspensions=tuple((iso(a), iso(b)) for a, b in data.get("suspensions", ())),
            moved_from=iso(data["moved_from"]) if data.get("moved_from") else None,
        )


def _fmt(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


@dataclass(frozen=True)
class Deadline:
    due: dt.date
    explanation: Explanation


class DeadlineError(ValueError):
    """A deadline cannot be computed from the facts given (the message says why)."""


# --- the calendar -----------------------------------------------------------------------------


@lru_cache(maxsize=128)
def _next(day: dt.date) -> dt.date:
    """The day after ``day``; a deadline past the calendar's last day is an error, not a crash."""
    try:
        return day + ONE_DAY
    except OverflowError:
        raise DeadlineError("the deadline falls after the last day that can be counted") from None


def _public_holidays(year: int) -> dict[dt.date, str]:
    calendar = holidays.country_holidays("VN", years=[year], language="vi")
    return dict(calendar.items())


@lru_cache(maxsize=128)
def _weekend_workdays(year: int) -> frozenset[dt.date]:
    calendar = holidays.country_holidays("VN", years=[year])
    return frozenset(d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year)


def _adjustments() -> dict[dt.date, tuple[bool, str]]:
    """Administrator adjustments: {day: (is_working_day, reason)}.

    Empty when the database cannot be used (pure unit tests, before ``migrate``).
    """
    from django.db import DatabaseError

    try:
        from giamsat.core.models import CalendarAdjustment

        return {
            a.day: (a.is_working_day, a.reason)
            for a in CalendarAdjustment.objects.all().only("day", "is_working_day", "reason")
        }
    except (DatabaseError, RuntimeError):  # RuntimeError: pytest-django blocks the database
        return {}


class WorkCalendar:
    """Which days are working days, with the reason a day is not.

    Reads the administrator's adjustments once, when created; create one calendar and pass it
    to ``due_date(..., calendar=...)`` when computing many deadlines.
    """

    def __init__(self, adjustments: dict[dt.date, tuple[bool, str]] | None = None) -> None:
        self.adjustments = adjustments if adjustments is not None else _adjustments()

    def day_off(self, day: dt.date) -> SkippedDay | None:
        """None for a working day; otherwise the day with the reason it is off."""
        if day in self.adjustments:
            working, reason = self.adjustments[day]
            return None if working else SkippedDay(day, reason, SkipKind.ADJUSTMENT)
        name = _public_holidays(day.year).get(day)
        if name:
            return SkippedDay(day, name, SkipKind.HOLIDAY)
        if day.weekday() >= 5:
            if day in _weekend_workdays(day.year):
                return None
            return SkippedDay(
                day, _("Saturday") if day.weekday() == 5 else _("Sunday"), SkipKind.WEEKEND
            )
        return None

    def day_off_reason(self, day: dt.date) -> str | None:
        off = self.day_off(day)
        return off.reason if off else None

    def is_working_day(self, day: dt.date) -> bool:
        return self.day_off(day) is None

    def next_working_day(self, day: dt.date, skipped: list[SkippedDay] | None = None) -> dt.date:
        """``day`` itself if it is a working day, otherwise the next one."""
        while (off := self.day_off(day)) is not None:
            if skipped is not None:
                skipped.append(off)
            day = _next(day)
        return day


def add_working_days(start: dt.date, days: int, *, calendar: WorkCalendar | None = None) -> dt.date:
    """The ``days``-th working day after ``start`` (weekends and public holidays skipped).

    ``add_working_days(d, 0)`` is ``d`` itself. Counting starts the day after ``start``
    (Bộ luật Dân sự 2015 Điều 147).
    """
    if days < 0:
        raise DeadlineError("a number of days cannot be negative")
    return _count(start, days, DayCount.WORKING, calendar or WorkCalendar(), (), [])


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


def _suspended(day: dt.date, suspensions: Sequence[tuple[dt.date, dt.date, str]]) -> str | None:
    for s_from, s_to, reason in suspensions:
        if s_from <= day <= s_to:
            return reason
    return None


def _count(
    start: dt.date,
    days: int,
    count: DayCount,
    calendar: WorkCalendar,
    suspensions: Sequence[tuple[dt.date, dt.date, str]],
    skipped: list[SkippedDay],
) -> dt.date:
    """Walk forward from the day after ``start`` until ``days`` counting days have passed."""
    day = start
    remaining = days
    while remaining:
        day = _next(day)
        reason = _suspended(day, suspensions)
        if reason is not None:
            skipped.append(SkippedDay(day, reason, SkipKind.SUSPENSION))
            continue
        if count == DayCount.WORKING:
            off = calendar.day_off(day)
            if off is not None:
                skipped.append(off)
                continue
        remaining -= 1
    return day


# --- rules ------------------------------------------------------------------------------------

D = dt.date
_COMPLEX = frozenset({"complex"})
_REMOTE = frozenset({"remote"})
_REMOTE_COMPLEX = frozenset({"remote", "complex"})

RULES: tuple[DeadlineRule, ...] = (
    # --- Party denunciations (tố cáo trong Đảng) ---
    # QĐ 30-QĐ/TW (2016): "chậm nhất 90 ngày làm việc … gia hạn không quá 30 ngày làm việc"
    # (plo.vn 03/2017; Bình Thuận Đảng ủy Khối handbook; rules-gaps.md §3.3).
    DeadlineRule(
        "party_denunciation.local",
        "Giải quyết tố cáo trong Đảng (cấp tỉnh trở xuống)",
        90,
        DayCount.WORKING,
        "QĐ 30-QĐ/TW (26/7/2016): 90 ngày làm việc, gia hạn ≤ 30 ngày làm việc",
        D(2016, 7, 26),
        D(2021, 7, 27),
        extension_days=30,
        max_extensions=1,
    ),
    # QĐ 22-QĐ/TW Điều 20 khoản 1: "chậm nhất 90 ngày" (calendar vs working not stated).
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
        "QĐ 296-QĐ/TW (30/5/2025; số ngày chưa đọc được — giữ giá trị QĐ 22)",
        D(2025, 5, 30),
        D(2026, 4, 10),
        unconfirmed=True,
        extension_days=30,
        max_extensions=1,
    ),
    # rules-gaps.md §0: QĐ 21-QĐ/TW (11/4/2026) reportedly replaced QĐ 296 (repository files).
    DeadlineRule(
        "party_denunciation.local",
        "Giải quyết tố cáo trong Đảng (cấp tỉnh trở xuống)",
        90,
        DayCount.CALENDAR,
        "QĐ 21-QĐ/TW (11/4/2026, được nêu là thay QĐ 296; chưa đọc văn bản — giữ giá trị QĐ 22)",
        D(2026, 4, 11),
        unconfirmed=True,
        extension_days=30,
        max_extensions=1,
    ),
    # QĐ 30-QĐ/TW (2016): 180 ngày làm việc for the central level (plo.vn 03/2017).
    DeadlineRule(
        "party_denunciation.central",
        "Giải quyết tố cáo trong Đảng (cấp Trung ương)",
        180,
        DayCount.WORKING,
        "QĐ 30-QĐ/TW (26/7/2016): 180 ngày làm việc",
        D(2016, 7, 26),
        D(2021, 7, 27),
        extension_days=30,
        max_extensions=1,
    ),
    # QĐ 22-QĐ/TW Điều 20 khoản 1: 180 ngày; QĐ 164-QĐ/TW (06/6/2024): ≤ 180 ngày from the
    # decision establishing the team (extension length cut off in the source).
    DeadlineRule(
        "party_denunciation.central",
        "Giải quyết tố cáo trong Đảng (cấp Trung ương)",
        180,
        DayCount.CALENDAR,
        "QĐ 22-QĐ/TW Điều 20 khoản 1; QĐ 164-QĐ/TW (06/6/2024)",
        D(2021, 7, 28),
        unconfirmed=True,
    ),
    # --- Complaints against party discipline (khiếu nại kỷ luật đảng) ---
    # Điều lệ Đảng Điều 39 khoản 7: "trong vòng một tháng, kể từ ngày nhận quyết định".
    DeadlineRule(
        "discipline_complaint.file",
        "Thời hạn khiếu nại quyết định kỷ luật",
        30,
        DayCount.CALENDAR,
        'Điều lệ Đảng Điều 39 khoản 7 ("trong vòng một tháng")',
        D(2011, 1, 19),
        start_event=StartEvent.DECISION,
    ),
    # QĐ 30-QĐ/TW (2016): 90 ngày làm việc (province and below), luatvietnam summary.
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
        "QĐ 30-QĐ/TW (26/7/2016): 90 ngày làm việc",
        D(2016, 7, 26),
        D(2021, 7, 27),
    ),
    DeadlineRule(
        "discipline_complaint.local",
        "Giải quyết khiếu nại kỷ luật (cấp tỉnh trở xuống)",
        90,
        DayCount.WORKING,
        "QĐ 22-QĐ/TW Điều 22 (số ngày chưa đọc được — giữ giá trị QĐ 30)",
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
        "QĐ 30-QĐ/TW (2016): 180 ngày làm việc; QĐ 22/296 chưa đọc được",
        D(2016, 7, 26),
        unconfirmed=True,
    ),
    # --- State law: complaints (Luật Khiếu nại 2011) ---
    # Điều 27: "trong thời hạn 10 ngày" from receipt, accept (thụ lý) or refuse with reasons.
    DeadlineRule(
        "state_complaint.accept",
        "Thụ lý khiếu nại",
        10,
        DayCount.CALENDAR,
        "Luật Khiếu nại 2011 Điều 27",
        D(2012, 7, 1),
    ),
    # Điều 28: 30 ngày from thụ lý; complex 45; remote areas 45, complex 60.
    DeadlineRule(
        "state_complaint.first",
        "Giải quyết khiếu nại lần đầu",
        30,
        DayCount.CALENDAR,
        "Luật Khiếu nại 2011 Điều 28",
        D(2012, 7, 1),
        variants=(
            Variant(_COMPLEX, 45, note="vụ việc phức tạp: 45 ngày (Điều 28)"),
            Variant(_REMOTE, 45, note="vùng sâu, vùng xa: 45 ngày (Điều 28)"),
            Variant(_REMOTE_COMPLEX, 60, note="vùng sâu, vùng xa, phức tạp: 60 ngày (Điều 28)"),
        ),
        start_event=StartEvent.ACCEPTANCE,
    ),
    # Điều 37: 45 ngày from thụ lý; complex 60; remote areas 60, complex 70.
    DeadlineRule(
        "state_complaint.second",
        "Giải quyết khiếu nại lần hai",
        45,
        DayCount.CALENDAR,
        "Luật Khiếu nại 2011 Điều 37",
        D(2012, 7, 1),
        variants=(
            Variant(_COMPLEX, 60, note="vụ việc phức tạp: 60 ngày (Điều 37)"),
            Variant(_REMOTE, 60, note="vùng sâu, vùng xa: 60 ngày (Điều 37)"),
            Variant(_REMOTE_COMPLEX, 70, note="vùng sâu, vùng xa, phức tạp: 70 ngày (Điều 37)"),
        ),
        start_event=StartEvent.ACCEPTANCE,
    ),
    # --- State law: denunciations ---
    # Luật Tố cáo 2011 (before 2019): 60 days (+30); complex 90 (+60). rules.md §6.2.
    DeadlineRule(
        "state_denunciation",
        "Giải quyết tố cáo (Luật Tố cáo)",
        60,
        DayCount.CALENDAR,
        "Luật Tố cáo 2011 (thời hạn trước 01/01/2019)",
        D(2012, 7, 1),
        D(2018, 12, 31),
        unconfirmed=True,
        extension_days=30,
        max_extensions=1,
        variants=(Variant(_COMPLEX, 90, extension_days=60, note="vụ việc phức tạp: 90 ngày"),),
        start_event=StartEvent.ACCEPTANCE,
    ),
    # Luật Tố cáo 2018 Điều 30: 30 ngày from thụ lý; complex: extend once ≤ 30; especially
    # complex: twice, each ≤ 30.
    DeadlineRule(
        "state_denunciation",
        "Giải quyết tố cáo (Luật Tố cáo)",
        30,
        DayCount.CALENDAR,
        "Luật Tố cáo 2018 Điều 30",
        D(2019, 1, 1),
        extension_days=30,
        max_extensions=2,
        extension_limits=(("complex", 1), ("especially_complex", 2)),
        start_event=StartEvent.ACCEPTANCE,
    ),
    # --- Handling of letters (xử lý đơn) ---
    # Thông tư 07/2014/TT-TTCP and 05/2021/TT-TTCP set the time to examine and route a letter;
    # the day count was not read in the research (UNCONFIRMED): 10 working days by default.
    DeadlineRule(
        "petition.process",
        "Xử lý đơn (phân loại, chuyển, thụ lý)",
        10,
        DayCount.WORKING,
        "Thông tư 07/2014/TT-TTCP (số ngày chưa đọc được)",
        D(2014, 12, 1),
        D(2021, 11, 14),
        unconfirmed=True,
    ),
    DeadlineRule(
        "petition.process",
        "Xử lý đơn (phân loại, chuyển, thụ lý)",
        10,
        DayCount.WORKING,
        "Thông tư 05/2021/TT-TTCP (số ngày chưa đọc được)",
        D(2021, 11, 15),
        unconfirmed=True,
    ),
    # Kiến nghị, phản ánh: no statutory time limit was read; an internal target to configure.
    DeadlineRule(
        "petition.proposal",
        "Trả lời kiến nghị, phản ánh",
        30,
        DayCount.CALENDAR,
        "Chỉ tiêu nội bộ (không đọc được thời hạn luật định; Luật Tiếp công dân 2013)",
        D(2014, 7, 1),
        unconfirmed=True,
    ),
)


def rules_for(code: str) -> list[DeadlineRule]:
    return [r for r in RULES if r.code == code]


def rule_codes() -> list[str]:
    return sorted({r.code for r in RULES})


def rule_on(code: str, day: dt.date) -> DeadlineRule:
    """The rule ``code`` in force on ``day`` (with any administrator override applied)."""
    candidates = [r for r in rules_for(code) if r.applies_on(day)]
    base = max(candidates, key=lambda r: r.valid_from) if candidates else None
    rule = _with_override(code, base, day)
    if rule is None:
        raise DeadlineError(f"no deadline rule '{code}' in force on {day:%d/%m/%Y}")
    return rule


def _setting_on(code: str, day: dt.date) -> Any:
    from django.db import DatabaseError

    try:
        from giamsat.core.models import DeadlineSetting

        return (
            DeadlineSetting.objects.filter(code=code, valid_from__lte=day)
            .order_by("-valid_from")
            .first()
        )
    except (DatabaseError, RuntimeError):  # no database (pure tests, before migrate)
        return None


def _with_override(code: str, rule: DeadlineRule | None, day: dt.date) -> DeadlineRule | None:
    """Apply the latest ``DeadlineSetting`` of ``code`` from a date not before the rule's.

    An override replaces the base length and unit; the code's variants and extensions stay.
    A setting for a code with no rule in force defines a plain rule (a new regulation).
    """
    setting = _setting_on(code, day)
    if setting is None or (rule is not None and setting.valid_from < rule.valid_from):
        return rule
    source = f"{setting.source} (quản trị viên đặt từ {setting.valid_from:%d/%m/%Y})"
    if rule is None:
        return DeadlineRule(
            code=code,
            label=code,
            days=setting.days,
            count=DayCount(setting.count),
            source=source,
            valid_from=setting.valid_from,
            unconfirmed=setting.unconfirmed,
        )
    return DeadlineRule(
        code=rule.code,
        label=rule.label,
        days=setting.days,
        count=DayCount(setting.count),
        source=source,
        valid_from=setting.valid_from,
        valid_to=rule.valid_to,
        unconfirmed=setting.unconfirmed,
        extension_days=rule.extension_days,
        max_extensions=rule.max_extensions,
        extension_limits=rule.extension_limits,
        variants=rule.variants,
        start_event=rule.start_event,
    )


@dataclass(frozen=True)
class Suspension:
    """An inclusive interval during which the clock stopped, with its reason."""

    start: dt.date
    end: dt.date
    reason: str = ""


def _normalise_extensions(
    extensions: int | Sequence[int], rule: DeadlineRule, extension_days: int
) -> tuple[int, ...]:
    if isinstance(extensions, int):
        if extensions < 0:
            raise DeadlineError("a number of extensions cannot be negative")
        return tuple([extension_days] * extensions)
    lengths = tuple(int(n) for n in extensions)
    for n in lengths:
        if n <= 0:
            raise DeadlineError("an extension must add at least one day")
        if n > extension_days:
            raise DeadlineError(
                f"{rule.label}: an extension is at most {extension_days} days ({rule.source})"
            )
    return lengths


def due_date(
    rule: DeadlineRule | str,
    start: dt.date,
    *,
    extensions: int | Sequence[int] = 0,
    suspensions: Iterable[tuple[dt.date, dt.date] | Suspension] = (),
    received_by_competent_on: dt.date | None = None,
    calendar: WorkCalendar | None = None,
    **flags: bool,
) -> Deadline:
    """The due date of ``rule`` for an event on ``start``, with its explanation.

    - ``rule``: a ``DeadlineRule`` or a rule code, resolved on the day the clock starts.
    - ``received_by_competent_on``: after a transfer (phiếu chuyển đơn) the clock runs from the
      competent body's receipt, not from the first receipt.
    - ``extensions``: how many full extensions were decided, or the length of each.
    - ``suspensions``: inclusive (from, to) intervals during which the clock stopped.
    - ``complex``, ``especially_complex``, ``remote``: case flags that choose a variant of the
      rule or the number of extensions it allows.
    """
    unknown = set(flags) - KNOWN_FLAGS
    if unknown:
        raise DeadlineError(f"unknown fact(s): {', '.join(sorted(unknown))}")
    active = frozenset(name for name, value in flags.items() if value)
    if "especially_complex" in active:
        active |= {"complex"}
    cal = calendar or WorkCalendar()
    clock_start = start
    if received_by_competent_on is not None:
        if received_by_competent_on < start:
            raise DeadlineError("the competent body cannot receive a letter before it was sent")
        clock_start = received_by_competent_on
    resolved = rule if isinstance(rule, DeadlineRule) else rule_on(rule, clock_start)
    variant = resolved.variant_for(active)
    base_days = variant.days if variant else resolved.days
    extension_days = (
        variant.extension_days
        if variant is not None and variant.extension_days is not None
        else resolved.extension_days
    )
    lengths = _normalise_extensions(extensions, resolved, extension_days)
    allowed = resolved.allowed_extensions(active)
    if len(lengths) > allowed:
        raise DeadlineError(
            f"{resolved.label}: at most {allowed} extension(s) allowed for this case "
            f"({resolved.source})"
        )
    if base_days < 0:
        raise DeadlineError("a time limit cannot be negative")
    intervals: list[tuple[dt.date, dt.date, str]] = []
    for item in suspensions:
        s = item if isinstance(item, Suspension) else Suspension(item[0], item[1])
        if s.end < s.start:
            raise DeadlineError("a suspension ends before it starts")
        intervals.append((s.start, s.end, s.reason or _("suspended")))
    intervals.sort()
    days = base_days + sum(lengths)
    skipped: list[SkippedDay] = []
    due = _count(clock_start, days, resolved.count, cal, intervals, skipped)
    moved_from = None
    if resolved.count == DayCount.CALENDAR and days and not cal.is_working_day(due):
        moved_from = due
        due = cal.next_working_day(due, skipped)
    explanation = Explanation(
        rule_code=resolved.code,
        rule_label=resolved.label,
        source=resolved.source,
        unconfirmed=resolved.unconfirmed,
        start=start,
        counting_from=_next(clock_start),
        days=days,
        count=resolved.count,
        due=due,
        skipped=tuple(skipped),
        clock_start=clock_start if clock_start != start else None,
        base_days=base_days,
        variant_note=variant.note if variant else "",
        extensions=lengths,
        suspensions=tuple((a, b) for a, b, _r in intervals),
        moved_from=moved_from,
    )
    return Deadline(due, explanation)


# --- where a deadline stands ------------------------------------------------------------------


class DeadlineState(StrEnum):
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    LONG_OVERDUE = "long_overdue"
    DONE = "done"
    DONE_LATE = "done_late"


STATE_LABELS = {
    DeadlineState.ON_TRACK: gettext_lazy("in time"),
    DeadlineState.DUE_SOON: gettext_lazy("due soon"),
    DeadlineState.OVERDUE: gettext_lazy("overdue"),
    DeadlineState.LONG_OVERDUE: gettext_lazy("long overdue"),
    DeadlineState.DONE: gettext_lazy("done in time"),
    DeadlineState.DONE_LATE: gettext_lazy("done late"),
}


@dataclass(frozen=True)
class StateThresholds:
    """Due soon: at most ``due_soon_days`` calendar days left; long overdue: more than
    ``long_overdue_days`` calendar days past the due date."""

    due_soon_days: int = 7
    long_overdue_days: int = 30


DEFAULT_THRESHOLDS = StateThresholds()


def configured_thresholds() -> StateThresholds:
    """Thresholds from settings (``GIAMSAT_DEADLINE_DUE_SOON_DAYS``, ``..._LONG_OVERDUE_DAYS``)."""
    from django.conf import settings

    return StateThresholds(
        due_soon_days=getattr(settings, "GIAMSAT_DEADLINE_DUE_SOON_DAYS", 7),
        long_overdue_days=getattr(settings, "GIAMSAT_DEADLINE_LONG_OVERDUE_DAYS", 30),
    )


def state_of(
    due: dt.date,
    today: dt.date,
    *,
    done_on: dt.date | None = None,
    thresholds: StateThresholds | None = None,
) -> DeadlineState:
    """Where a deadline stands on ``today`` (or how it ended, if ``done_on``)."""
    limits = thresholds or configured_thresholds()
    if done_on is not None:
        return DeadlineState.DONE if done_on <= due else DeadlineState.DONE_LATE
    if today > due + dt.timedelta(days=limits.long_overdue_days):
        return DeadlineState.LONG_OVERDUE
    if today > due:
        return DeadlineState.OVERDUE
    if (due - today).days <= limits.due_soon_days:
        return DeadlineState.DUE_SOON
    return DeadlineState.ON_TRACK


# --- reminders --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrackedDeadline:
    """A deadline some app wants reminders for (see ``register_reminder_source``).

    ``key`` identifies the deadline stably (e.g. "petitions.Petition:12:resolution"); a
    reminder is sent once per key, state and due date, so a new due date (an extension) gets
    its own reminders. ``recipients`` are e-mail addresses; ``subject`` and ``body`` must not
    carry personal data that the recipients' roles do not already see.
    """

    key: str
    due: dt.date
    subject: str
    body: str
    recipients: tuple[str, ...]
    done_on: dt.date | None = None


ReminderSource = Callable[[dt.date], Iterable[TrackedDeadline]]
REMINDER_SOURCES: dict[str, ReminderSource] = {}


def register_reminder_source(name: str, source: ReminderSource) -> None:
    """Register ``source(today)`` yielding the open deadlines of an app (idempotent by name)."""
    REMINDER_SOURCES[name] = source


__all__ = [
    "KNOWN_FLAGS",
    "REMINDER_SOURCES",
    "RULES",
    "DayCount",
    "Deadline",
    "DeadlineError",
    "DeadlineRule",
    "DeadlineState",
    "Explanation",
    "SkipKind",
    "SkippedDay",
    "StartEvent",
    "StateThresholds",
    "Suspension",
    "TrackedDeadline",
    "Variant",
    "WorkCalendar",
    "add_working_days",
    "configured_thresholds",
    "count_working_days",
    "due_date",
    "register_reminder_source",
    "rule_codes",
    "rule_on",
    "state_of",
]
