"""Maintenance of the temporal closure table (``UnitAncestry``).

The closure is derived from units and their parent links. Any change to links must be followed
(in the same transaction) by ``rebuild_ancestry(changed_unit_ids)``, which recomputes the rows
of the changed units and of everything that was ever below them. Reads never recurse.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction

from giamsat.core.dates import FAR_FUTURE
from giamsat.units.models import Unit, UnitAncestry, UnitLink

MAX_DEPTH = 30

Row = tuple[int, int, dt.date, dt.date]  # (ancestor_id, depth, valid_from, valid_to)


class TreeCycleError(ValueError):
    """A parent link would make a unit its own ancestor."""


def _descendants_ever(unit_ids: Iterable[int]) -> set[int]:
    """Every unit that was below any of ``unit_ids`` at any time (through any link)."""
    children: dict[int, list[int]] = defaultdict(list)
    for unit_id, parent_id in UnitLink.objects.values_list("unit_id", "parent_id"):
        children[parent_id].append(unit_id)
    seen: set[int] = set()
    frontier = list(unit_ids)
    while frontier:
        current = frontier.pop()
        if current in seen:
            continue
        seen.add(current)
        frontier.extend(children.get(current, ()))
    return seen


@transaction.atomic
def rebuild_ancestry(unit_ids: Iterable[int] | None = None, *, batch_size: int = 5000) -> int:
    """Recompute closure rows for ``unit_ids`` and all their (past and present) descendants.

    With ``unit_ids=None`` the whole table is rebuilt. Returns the number of rows written.
    """
    if unit_ids is None:
        affected = set(Unit.objects.values_list("pk", flat=True))
        UnitAncestry.objects.all().delete()
    else:
        affected = _descendants_ever(unit_ids)
        UnitAncestry.objects.filter(descendant_id__in=affected).delete()

    life: dict[int, tuple[dt.date, dt.date]] = {}
    links: dict[int, list[tuple[int, dt.date, dt.date]]] = defaultdict(list)
    for pk, start, end in Unit.objects.values_list("pk", "valid_from", "valid_to"):
        life[pk] = (start, end or FAR_FUTURE)
    for unit_id, parent_id, start, end in UnitLink.objects.values_list(
        "unit_id", "parent_id", "valid_from", "valid_to"
    ):
        links[unit_id].append((parent_id, start, end or FAR_FUTURE))

    memo: dict[int, list[Row]] = {}
    # Rows of units outside the affected set are already correct in the table.
    external_parents = {
        p for u in affected for (p, _s, _e) in links.get(u, ()) if p not in affected
    }
    for anc, desc, depth, start, end in UnitAncestry.objects.filter(
        descendant_id__in=external_parents
    ).values_list("ancestor_id", "descendant_id", "depth", "valid_from", "valid_to"):
        memo.setdefault(desc, []).append((anc, depth, start, end))

    def rows_of(unit_id: int, trail: tuple[int, ...] = ()) -> list[Row]:
        if unit_id in memo:
            return memo[unit_id]
        if unit_id in trail or len(trail) > MAX_DEPTH:
            raise TreeCycleError(f"unit {unit_id} would be its own ancestor: {trail}")
        start, end = life[unit_id]
        result: list[Row] = [(unit_id, 0, start, end)]
        for parent_id, l_start, l_end in links.get(unit_id, ()):
            l_start, l_end = max(l_start, start), min(l_end, end)
            if l_start > l_end:
                continue
            for anc, depth, a_start, a_end in rows_of(parent_id, (*trail, unit_id)):
                if anc == unit_id:
                    raise TreeCycleError(f"unit {unit_id} would be its own ancestor")
                r_start, r_end = max(l_start, a_start), min(l_end, a_end)
                if r_start <= r_end:
                    result.append((anc, depth + 1, r_start, r_end))
        memo[unit_id] = result
        return result

    written = 0
    batch: list[UnitAncestry] = []
    for unit_id in affected:
        unit_end = life[unit_id][1]
        for anc, depth, start, end in rows_of(unit_id):
            batch.append(
                UnitAncestry(
                    ancestor_id=anc,
                    descendant_id=unit_id,
                    depth=depth,
                    valid_from=start,
                    valid_to=end,
                    ended_here=unit_end != FAR_FUTURE and end == unit_end,
                )
            )
            if len(batch) >= batch_size:
                UnitAncestry.objects.bulk_create(batch)
                written += len(batch)
                batch.clear()
    if batch:
        UnitAncestry.objects.bulk_create(batch)
        written += len(batch)
    return written
