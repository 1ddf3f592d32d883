"""Invariants a generated data set must satisfy — the same ones the services keep.

* the closure table equals what ``units.tree.rebuild_ancestry`` derives from the links;
* every study session's counters and tallies equal the counts of its attendance rows, and
  make-ups agree with the rows of the make-up sessions;
* every registered indicator's value equals the number of its drill-down records (numerator
  and denominator for rates), and a breakdown by child equals the figure of each child.

Each check returns a list of problems (empty when it holds).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q

from giamsat.indicators.registry import REGISTRY, IndicatorQuery, shared_reads
from giamsat.scale.shapes import DATA_UNTIL
from giamsat.study.models import Attendance, SessionTally, Status, StudySession
from giamsat.study.services import COUNTERS
from giamsat.units.models import Unit, UnitAncestry

# Figures that count each collective or person once over the whole subtree (the records are
# "the first subject row per unit/person"): the oversight app's default breakdown counts, for
# each child, the rows that are first over the *parent's* subtree, so a collective supervised by
# bodies under two children counts only under one. Reported to the lead; not checked here.
NON_ADDITIVE_BREAKDOWNS = frozenset(
    {
        "oversight.thematic_supervision.collectives",
        "oversight.thematic_supervision.individuals",
        "oversight.criticism.collectives",
        "oversight.criticism.heads",
    }
)
FIELDS = ("ancestor_id", "descendant_id", "depth", "valid_from", "valid_to", "ended_here")


class _RollbackError(Exception):
    pass


def check_closure() -> list[str]:
    from giamsat.units.tree import rebuild_ancestry

    generated = set(UnitAncestry.objects.values_list(*FIELDS))
    rebuilt: set = set()
    try:
        with transaction.atomic():
            rebuild_ancestry()
            rebuilt = set(UnitAncestry.objects.values_list(*FIELDS))
            raise _RollbackError
    except _RollbackError:
        pass
    problems = []
    if generated != rebuilt:
        problems.append(
            f"closure differs from rebuild_ancestry: {len(generated - rebuilt)} extra, "
            f"{len(rebuilt - generated)} missing (e.g. {sorted(rebuilt ^ generated)[:3]})"
        )
    return problems


def _counts(rows) -> dict:
    present = Q(status=Status.PRESENT)
    return rows.annotate(
        listed=Count("pk"),
        present=Count("pk", filter=present),
        excused=Count("pk", filter=Q(status=Status.EXCUSED)),
        absent=Count("pk", filter=Q(status=Status.ABSENT)),
        pending=Count("pk", filter=Q(status=Status.PENDING)),
        non_members_listed=Count("pk", filter=Q(is_member=False)),
        non_members_present=Count("pk", filter=Q(is_member=False) & present),
        made_up=Count("pk", filter=Q(made_up_on__isnull=False) & ~present),
    )


def check_study() -> list[str]:
    problems = []
    by_session = {
        row["session_id"]: tuple(row[c] for c in COUNTERS)
        for row in _counts(Attendance.objects.order_by().values("session_id"))
    }
    stored = {row[0]: tuple(row[1:]) for row in StudySession.objects.values_list("pk", *COUNTERS)}
    zero = (0,) * len(COUNTERS)
    wrong = [pk for pk, counters in stored.items() if by_session.get(pk, zero) != counters]
    if wrong:
        problems.append(f"{len(wrong)} sessions whose counters differ from their rows: {wrong[:5]}")
    orphans = set(by_session) - set(stored)
    if orphans:
        problems.append(f"attendance rows of unknown sessions: {sorted(orphans)[:5]}")
    rows = {
        (row["session_id"], row["unit_id"]): tuple(row[c] for c in COUNTERS)
        for row in _counts(Attendance.objects.order_by().values("session_id", "unit_id"))
    }
    tallies = {
        (row[0], row[1]): tuple(row[2:])
        for row in SessionTally.objects.values_list("session_id", "unit_id", *COUNTERS)
    }
    if rows != tallies:
        problems.append(f"{len(set(rows.items()) ^ set(tallies.items()))} tallies differ from rows")
    dates = Attendance.objects.exclude(session_date=models_f("session__date")).count()
    if dates:
        problems.append(f"{dates} attendance rows carry another date than their session")
    made_up = set(
        Attendance.objects.filter(made_up_in__isnull=False).values_list(
            "made_up_in_id", "person_id"
        )
    )
    present_at_makeup = set(
        Attendance.objects.filter(is_makeup=True, status=Status.PRESENT).values_list(
            "session_id", "person_id"
        )
    )
    if made_up != present_at_makeup:
        problems.append(
            f"make-ups disagree: {len(made_up ^ present_at_makeup)} (row, make-up) pairs differ"
        )
    studied_wrong = Attendance.objects.filter(
        Q(status=Status.PRESENT, studied_on__isnull=True)
        | Q(studied_on__isnull=False, attended_on__isnull=True, made_up_on__isnull=True)
    ).count()
    if studied_wrong:
        problems.append(f"{studied_wrong} rows whose studied_on contradicts their marks")
    return problems


def models_f(name: str):
    from django.db.models import F

    return F(name)


def check_figures(units: list[Unit] | None = None, start=None, end=None) -> list[str]:
    """Every indicator: value == drill-down count, for the root and its children."""
    start = start or dt.date(2023, 1, 1)
    end = end or DATA_UNTIL
    if units is None:
        roots = list(Unit.objects.roots(end))
        units = roots[:1]
        if roots:
            units += list(Unit.objects.children_of(roots[0], end).organisations()[:1])
    problems = []
    for unit in units:
        query = IndicatorQuery(unit, start, end)
        children = list(Unit.objects.children_of(unit, query.as_of).organisations())
        # Values as a dashboard reads them (shared reads, families counted together), each
        # compared with a plain count of its records.
        with shared_reads():
            values = {code: ind.compute(query) for code, ind in sorted(REGISTRY.items())}
        for code, indicator in sorted(REGISTRY.items()):
            value = values[code]
            if indicator.is_rate:
                numerator = indicator.records(query).count()
                denominator = (
                    indicator.denominator(query).count() if indicator.denominator else None
                )
                if value.numerator != numerator or (
                    denominator is not None and value.denominator != denominator
                ):
                    problems.append(
                        f"{code} at {unit.code}: {value.numerator}/{value.denominator} but "
                        f"drill-downs list {numerator}/{denominator}"
                    )
            else:
                count = indicator.records(query).count()
                if value.value != count:
                    problems.append(
                        f"{code} at {unit.code}: value {value.value} but {count} records"
                    )
            if children and code not in NON_ADDITIVE_BREAKDOWNS:
                breakdown = indicator.breakdown(query, children)
                for child in children[:3]:
                    own = indicator.compute(query.for_unit(child))
                    got = breakdown[child.pk]
                    if (got.value, got.numerator, got.denominator) != (
                        own.value,
                        own.numerator,
                        own.denominator,
                    ):
                        problems.append(
                            f"{code}: breakdown of {unit.code} gives {got} for {child.code}, "
                            f"the figure of {child.code} is {own}"
                        )
    return problems


def check_all() -> list[str]:
    return check_closure() + check_study() + check_figures()
