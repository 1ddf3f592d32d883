"""Rules of directive implementation: which units a directive fans out to, and how the status of
a requirement, of a unit and of a key task follows from plain dates.

Due dates are set by the assigning committee in its plan (there is no statutory time limit for
implementing a resolution: each plan states "ban hành kế hoạch trước ngày …", "tổ chức học tập
xong trước ngày …", "báo cáo kết quả trước ngày …"). The due date is the last day allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from giamsat.units.models import UnitKind


class ItemStatus(StrEnum):
    """Status of one requirement at one unit, judged on a given day."""

    DONE = "done"  # done on or before the due date
    LATE = "late"  # done, but after the due date
    MISSING = "missing"  # not done, and the due date has passed
    NOT_DUE = "not_due"  # not done, and still within the due date


# Worst first: a unit's status over several requirements is the worst of its items.
STATUS_SEVERITY = (ItemStatus.MISSING, ItemStatus.LATE, ItemStatus.NOT_DUE, ItemStatus.DONE)

# Plans are issued "từ thành phố đến cơ sở" (seed article, 30/09/2022): a directive fans out to
# the party organisations down to grassroots level (tổ chức cơ sở đảng). Cells below grassroots
# implement through their grassroots committee; committee organs are not implementing units.
FANOUT_KINDS: frozenset[str] = frozenset(
    {
        UnitKind.UNDER_CENTRE,
        UnitKind.UPPER_GRASSROOTS,
        UnitKind.GRASSROOTS_ORG,
        UnitKind.GRASSROOTS_CELL,
    }
)

# Committees that have party organisations to assign below them (a grassroots organisation
# has only cells below it).
ISSUER_KINDS: frozenset[str] = frozenset(
    {
        UnitKind.CENTRAL_COMMITTEE,
        UnitKind.CENTRAL_BODY,
        UnitKind.UNDER_CENTRE,
        UnitKind.UPPER_GRASSROOTS,
    }
)


def requirement_status(*, due_on: dt.date, done_on: dt.date | None, on: dt.date) -> ItemStatus:
    """Status of a requirement due on ``due_on`` and done on ``done_on`` (or not), seen on ``on``.

    Something done after ``on`` was not yet done on ``on``: a 2022 report sees a document
    issued in 2023 as missing.
    """
    if done_on is not None and done_on <= on:
        return ItemStatus.DONE if done_on <= due_on else ItemStatus.LATE
    return ItemStatus.MISSING if on > due_on else ItemStatus.NOT_DUE


def days_overdue(*, due_on: dt.date, done_on: dt.date | None, on: dt.date) -> int:
    """Days past the due date: until done for a late item, until ``on`` for a missing one."""
    status = requirement_status(due_on=due_on, done_on=done_on, on=on)
    if status == ItemStatus.LATE:
        assert done_on is not None
        return (done_on - due_on).days
    if status == ItemStatus.MISSING:
        return (on - due_on).days
    return 0


def worst_status(statuses: Iterable[ItemStatus]) -> ItemStatus | None:
    """A unit's status over its requirements: missing > late > not due > done (None if empty)."""
    found = set(statuses)
    for status in STATUS_SEVERITY:
        if status in found:
            return status
    return None


def is_fanout_kind(kind: str) -> bool:
    return kind in FANOUT_KINDS


class TaskState(StrEnum):
    """State of a key task or bottleneck on a given day."""

    OPEN = "open"
    OVERDUE = "overdue"  # open past its deadline
    DONE = "done"  # closed as done on or before the deadline (or without one)
    DONE_LATE = "done_late"  # closed as done after the deadline
    DROPPED = "dropped"  # closed without being done (no longer relevant, merged, ...)


def task_state(
    *,
    deadline: dt.date | None,
    closed_on: dt.date | None,
    dropped: bool,
    on: dt.date,
) -> TaskState:
    """The state of a task on ``on``: closing after ``on`` means it was still open then."""
    if closed_on is not None and closed_on <= on:
        if dropped:
            return TaskState.DROPPED
        if deadline is not None and closed_on > deadline:
            return TaskState.DONE_LATE
        return TaskState.DONE
    if deadline is not None and on > deadline:
        return TaskState.OVERDUE
    return TaskState.OPEN


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def month_of(day: dt.date) -> tuple[int, int]:
    return day.year, day.month
