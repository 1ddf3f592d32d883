"""Reading implementation records: the item QuerySet behind every figure, and roll-ups.

An *item* is one requirement at one unit (a ``Fulfilment`` annotated with its status on a day).
``items()`` is the single definition that pages, indicators, exports and the API all use, so a
figure and its drill-down list are the same QuerySet. Roll-ups (total, by child unit, by level,
by quarter or month of the due date) are one grouped query each, whatever the size of the tree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from giamsat.core.dates import today
from giamsat.implementation.models import Fulfilment, KeyTask, Status, TaskStateLabel
from giamsat.implementation.rules import ItemStatus, TaskState, month_of, quarter_of
from giamsat.indicators.registry import rate
from giamsat.units.models import KIND_LEVEL, Level, Unit, UnitKind, subtree_q

DUE_STATUSES = (ItemStatus.DONE, ItemStatus.LATE, ItemStatus.MISSING)
COMPLETED_STATUSES = (ItemStatus.DONE, ItemStatus.LATE)
OVERDUE_STATUSES = (ItemStatus.LATE, ItemStatus.MISSING)


@dataclass(frozen=True)
class ItemFilter:
    """What to read: all of it optional. Levels are ``units.Level`` values."""

    directive_ids: frozenset[int] = frozenset()
    assignment_id: int | None = None
    kinds: frozenset[str] = frozenset()
    levels: frozenset[int] = frozenset()
    statuses: frozenset[str] = frozenset()
    due_from: dt.date | None = None
    due_to: dt.date | None = None


def kinds_of_levels(levels: Iterable[int]) -> list[str]:
    wanted = set(levels)
    return [str(kind) for kind, level in KIND_LEVEL.items() if int(level) in wanted]


def judge_day(end: dt.date | None) -> dt.date:
    """Statuses are judged on the period's last day, or today if that is earlier."""
    now = today()
    return now if end is None else min(end, now)


def items(unit: Unit | int, *, as_of: dt.date, on: dt.date, f: ItemFilter = ItemFilter()):
    """Fulfilments of units in ``unit``'s subtree (tree of ``as_of``), with status on ``on``."""
    qs = Fulfilment.objects.with_status(on).filter(subtree_q("implementation__unit", unit, as_of))
    if f.directive_ids:
        qs = qs.filter(implementation__assignment__directive__in=f.directive_ids)
    if f.assignment_id is not None:
        qs = qs.filter(implementation__assignment=f.assignment_id)
    if f.kinds:
        qs = qs.filter(requirement__kind__in=f.kinds)
    if f.levels:
        qs = qs.filter(implementation__unit__kind__in=kinds_of_levels(f.levels))
    if f.statuses:
        qs = qs.filter(status__in=f.statuses)
    if f.due_from is not None:
        qs = qs.filter(requirement__due_on__gte=f.due_from)
    if f.due_to is not None:
        qs = qs.filter(requirement__due_on__lte=f.due_to)
    return qs


def with_display(qs: QuerySet[Fulfilment]) -> QuerySet[Fulfilment]:
    """The joins a list of items shows (unit, directive, requirement, document, responsible)."""
    return qs.select_related(
        "implementation__unit",
        "implementation__assignment__directive",
        "implementation__assignment__issuing_unit",
        "implementation__responsible",
        "requirement",
        "document",
    )


@dataclass
class Counts:
    """Items by status, with the shares a roll-up shows (of the items due)."""

    done: int = 0
    late: int = 0
    missing: int = 0
    not_due: int = 0

    def add(self, status: str, n: int) -> None:
        setattr(self, str(status), getattr(self, str(status)) + n)

    @property
    def total(self) -> int:
        return self.done + self.late + self.missing + self.not_due

    @property
    def due(self) -> int:
        return self.done + self.late + self.missing

    @property
    def completed(self) -> int:
        return self.done + self.late

    @property
    def completed_rate(self):
        return rate(self.completed, self.due)

    @property
    def done_rate(self):
        return rate(self.done, self.due)

    @property
    def late_rate(self):
        return rate(self.late, self.due)

    @property
    def missing_rate(self):
        return rate(self.missing, self.due)

    # Shares rounded to tens, for the ``gs-bar-N`` width classes of the stacked bars.
    @property
    def done_bar(self) -> int:
        return _tens(self.done_rate)

    @property
    def late_bar(self) -> int:
        return _tens(self.late_rate)

    @property
    def missing_bar(self) -> int:
        return _tens(self.missing_rate)

    def as_dict(self) -> dict[str, object]:
        return {
            "done": self.done,
            "late": self.late,
            "missing": self.missing,
            "not_due": self.not_due,
            "due": self.due,
            "completed": self.completed,
            "completed_rate": float(self.completed_rate),
            "done_rate": float(self.done_rate),
            "late_rate": float(self.late_rate),
            "missing_rate": float(self.missing_rate),
        }


def _tens(value) -> int:
    return int(round(float(value) / 10.0) * 10)


def counts(qs) -> Counts:
    """Items of ``qs`` (annotated by ``with_status``) by status: one query."""
    result = Counts()
    for row in qs.order_by().values("status").annotate(n=Count("pk")):
        result.add(row["status"], row["n"])
    return result


def counts_by_child(qs, children: list[Unit], as_of: dt.date) -> dict[int, Counts]:
    """Items under each child unit by status: one grouped query over the closure table."""
    result = {c.pk: Counts() for c in children}
    if not children:
        return result
    prefix = "implementation__unit__ancestry_up"
    rows = (
        qs.filter(
            **{
                f"{prefix}__ancestor__in": [c.pk for c in children],
                f"{prefix}__valid_from__lte": as_of,
                f"{prefix}__valid_to__gte": as_of,
            }
        )
        .order_by()
        .values(f"{prefix}__ancestor", "status")
        .annotate(n=Count("pk", distinct=True))
    )
    for row in rows:
        result[row[f"{prefix}__ancestor"]].add(row["status"], row["n"])
    return result


def counts_by_level(qs) -> list[tuple[Level, Counts]]:
    """Items by the level of their unit (province, upper-grassroots, grassroots): one query."""
    by_level: dict[Level, Counts] = {}
    for row in qs.order_by().values("implementation__unit__kind", "status").annotate(n=Count("pk")):
        kind = row["implementation__unit__kind"]
        if kind == UnitKind.ORGAN:
            continue
        level = KIND_LEVEL[UnitKind(kind)]
        by_level.setdefault(level, Counts()).add(row["status"], row["n"])
    return sorted(by_level.items(), key=lambda pair: int(pair[0]))


def counts_by_period(qs, bucket: str = "quarter") -> list[tuple[str, Counts]]:
    """Items by the quarter (or month) of their due date: one query, bucketed here."""
    key = quarter_of if bucket == "quarter" else month_of
    buckets: dict[tuple[int, int], Counts] = {}
    rows = qs.order_by().values("requirement__due_on", "status").annotate(n=Count("pk"))
    for row in rows:
        buckets.setdefault(key(row["requirement__due_on"]), Counts()).add(row["status"], row["n"])
    labels = []
    for (year, part), value in sorted(buckets.items()):
        label = f"Q{part}/{year}" if bucket == "quarter" else f"{part:02d}/{year}"
        labels.append((label, value))
    return labels


@dataclass
class TaskCounts:
    open: int = 0
    overdue: int = 0
    done: int = 0
    done_late: int = 0
    dropped: int = 0
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, kind: str, state: str, n: int) -> None:
        setattr(self, state, getattr(self, state) + n)
        self.by_kind.setdefault(kind, {s.value: 0 for s in TaskState})[state] += n

    @property
    def still_open(self) -> int:
        return self.open + self.overdue

    @property
    def total(self) -> int:
        return self.open + self.overdue + self.done + self.done_late + self.dropped


def tasks(unit: Unit | int, *, as_of: dt.date, on: dt.date) -> QuerySet[KeyTask]:
    """Key tasks and bottlenecks of the subtree opened by ``on``, with their state on ``on``."""
    return (
        KeyTask.objects.with_state(on)
        .filter(subtree_q("unit", unit, as_of))
        .filter(opened_on__lte=on)
    )


def task_counts(qs) -> TaskCounts:
    result = TaskCounts()
    for row in qs.order_by().values("kind", "state").annotate(n=Count("pk")):
        result.add(row["kind"], row["state"], row["n"])
    return result


def task_counts_by_child(qs, children: list[Unit], as_of: dt.date) -> dict[int, TaskCounts]:
    result = {c.pk: TaskCounts() for c in children}
    if not children:
        return result
    prefix = "unit__ancestry_up"
    rows = (
        qs.filter(
            **{
                f"{prefix}__ancestor__in": [c.pk for c in children],
                f"{prefix}__valid_from__lte": as_of,
                f"{prefix}__valid_to__gte": as_of,
            }
        )
        .order_by()
        .values(f"{prefix}__ancestor", "kind", "state")
        .annotate(n=Count("pk", distinct=True))
    )
    for row in rows:
        result[row[f"{prefix}__ancestor"]].add(row["kind"], row["state"], row["n"])
    return result


STATUS_LABELS = dict(Status.choices)
TASK_STATE_LABELS = dict(TaskStateLabel.choices)
# Bootstrap text/background classes per status, used by templates.
STATUS_CSS = {
    ItemStatus.DONE: "success",
    ItemStatus.LATE: "warning",
    ItemStatus.MISSING: "danger",
    ItemStatus.NOT_DUE: "secondary",
}
TASK_STATE_CSS = {
    TaskState.OPEN: "primary",
    TaskState.OVERDUE: "danger",
    TaskState.DONE: "success",
    TaskState.DONE_LATE: "warning",
    TaskState.DROPPED: "secondary",
}
