"""Checks of a member's dates against the Party Statute, on plain values.

Errors are facts that cannot be true (admitted before birth); warnings are facts the Statute
makes unusual but old records may still hold (admitted before 18), shown for the clerk to check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

# Điều lệ Đảng 2011 Điều 1 khoản 2: a citizen "từ mười tám tuổi trở lên" may be admitted.
ADMISSION_MIN_AGE = 18
# Điều lệ Đảng 2011 Điều 5 khoản 1: "thời kỳ dự bị mười hai tháng".
PROBATION_MONTHS = 12
# Probation ends 12 months after admission; a roster may lag behind the recognition decision.
PROBATION_GRACE_DAYS = 90


class Problem(Enum):
    JOINED_BEFORE_BIRTH = "joined_before_birth"
    OFFICIAL_BEFORE_JOINED = "official_before_joined"
    PROBATIONARY_WITH_OFFICIAL_DATE = "probationary_with_official_date"
    JOINED_UNDER_AGE = "joined_under_age"
    PROBATION_SHORTER_THAN_RULE = "probation_shorter_than_rule"
    PROBATION_OVERDUE = "probation_overdue"


@dataclass(frozen=True)
class Finding:
    problem: Problem
    column: str
    is_error: bool


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    last = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return dt.date(year, month, min(day.day, last))


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def membership_findings(
    *,
    birth: dt.date | None,
    joined: dt.date | None,
    official: dt.date | None,
    probationary: bool,
    as_of: dt.date,
) -> list[Finding]:
    """Problems with a member's birth, admission and full-membership dates."""
    found: list[Finding] = []
    if birth and joined and joined <= birth:
        found.append(Finding(Problem.JOINED_BEFORE_BIRTH, "joined_on", True))
    elif birth and joined and age_on(birth, joined) < ADMISSION_MIN_AGE:
        found.append(Finding(Problem.JOINED_UNDER_AGE, "joined_on", False))
    if joined and official and official < joined:
        found.append(Finding(Problem.OFFICIAL_BEFORE_JOINED, "official_on", True))
    elif joined and official and official < add_months(joined, PROBATION_MONTHS):
        found.append(Finding(Problem.PROBATION_SHORTER_THAN_RULE, "official_on", False))
    if probationary and official:
        found.append(Finding(Problem.PROBATIONARY_WITH_OFFICIAL_DATE, "official_on", True))
    if (
        probationary
        and joined
        and as_of > add_months(joined, PROBATION_MONTHS) + dt.timedelta(days=PROBATION_GRACE_DAYS)
    ):
        found.append(Finding(Problem.PROBATION_OVERDUE, "status", False))
    return found
