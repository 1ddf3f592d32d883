"""The naive baselines: what a straightforward Django implementation would write.

For each child unit: find its descendants by walking the parent links in Python (one query per
level), then count the rows whose unit is among them with the ORM — one query per child and
figure, scanning the fact table each time, no closure table, no stored counters. The benchmarks
run these against the real code in the same run and check that both give the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Q

from giamsat.core.dates import today
from giamsat.discipline.models import DisciplineCase
from giamsat.oversight.models import Case
from giamsat.petitions.models import Petition
from giamsat.study.models import Attendance
from giamsat.units.models import Unit, UnitLink


def children(unit_id: int, day: dt.date) -> list[int]:
    links = UnitLink.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day), parent_id=unit_id, valid_from__lte=day
    )
    return [link.unit_id for link in links]


def descendants(unit_id: int, day: dt.date, since: dt.date | None = None) -> list[int]:
    """The unit and everything under it on ``day`` — with ``since``, at any time from
    ``since`` to ``day`` (so units that ended in between count where they were) — walking the
    links level by level."""
    found = {unit_id}
    frontier = [unit_id]
    while frontier:
        links = UnitLink.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=since or day),
            parent_id__in=frontier,
            valid_from__lte=day,
        )
        frontier = [link.unit_id for link in links if link.unit_id not in found]
        found.update(frontier)
    return sorted(found)


def _study_rate(ids, start, end) -> tuple[int, int]:
    rows = Attendance.objects.filter(
        unit_id__in=ids, session_date__gte=start, session_date__lte=end, is_makeup=False
    )
    return rows.filter(studied_on__isnull=False).count(), rows.count()


def _participation(ids, start, end) -> tuple[int, int]:
    rows = Attendance.objects.filter(
        unit_id__in=ids, session_date__gte=start, session_date__lte=end, is_makeup=False
    )
    studied = rows.filter(studied_on__lte=end).values("person_id").distinct().count()
    return studied, rows.values("person_id").distinct().count()


def _supervisions(ids, start, end) -> int:
    return (
        Case.objects.filter(
            conducting_unit_id__in=ids,
            kind="thematic_supervision",
            decided_on__gte=start,
            decided_on__lte=end,
        )
        .exclude(status="cancelled")
        .count()
    )


def _discipline(ids, start, end) -> int:
    return (
        DisciplineCase.objects.filter(
            unit_id__in=ids, status="decided", decided_on__gte=start, decided_on__lte=end
        )
        .exclude(subject_kind="organisation")
        .count()
    )


def _overdue(ids, start, end) -> int:
    day = min(end, today())
    return Petition.objects.filter(
        Q(concluded_on__isnull=True) | Q(concluded_on__gt=day),
        unit_id__in=ids,
        due_on__lt=day,
        received_on__lte=day,
        status__in=["in_handling", "concluded", "answered"],
    ).count()


# indicator code -> naive value of one subtree: an int, or (numerator, denominator) for rates
NAIVE: dict[str, Callable] = {
    "study.attendance_rate": _study_rate,
    "study.participation_rate": _participation,
    "oversight.thematic_supervision.cases": _supervisions,
    "discipline.members": _discipline,
    "petitions.overdue": _overdue,
}


def breakdown(code: str, unit: Unit, start: dt.date, end: dt.date, day: dt.date) -> dict:
    """{child id: value} computed the naive way."""
    count = NAIVE[code]
    result = {}
    for child_id in children(unit.pk, day):
        child = Unit.objects.get(pk=child_id)
        if child.kind == "organ":
            continue
        result[child_id] = count(descendants(child_id, day, start), start, end)
    return result


def drilldown_page(unit: Unit, start: dt.date, end: dt.date, day: dt.date, size: int = 50):
    """The first page of attendances of a subtree, the naive way (walk, then filter)."""
    ids = descendants(unit.pk, day, start)
    rows = Attendance.objects.filter(
        unit_id__in=ids, session_date__gte=start, session_date__lte=end, status="present"
    ).order_by("session_date", "session_id", "person__name_sort", "pk")
    total = rows.count()
    page = list(rows.select_related("person", "unit", "session")[:size])
    return total, page
