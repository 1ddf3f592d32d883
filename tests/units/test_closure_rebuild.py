"""The temporal closure is derived data: rebuilding it from scratch gives the rows the
services maintained incrementally, and a cycle is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.core.dates import FAR_FUTURE
from giamsat.units.models import Unit, UnitAncestry, UnitKind, UnitLink
from giamsat.units.services import NewUnit, merge_units, move_unit, split_unit
from giamsat.units.tree import TreeCycleError, rebuild_ancestry

D = dt.date


def _rows():
    return sorted(
        UnitAncestry.objects.values_list(
            "ancestor", "descendant", "depth", "valid_from", "valid_to", "ended_here"
        )
    )


def test_incremental_rows_equal_a_full_rebuild(tree):
    """After moves, a merge and a split, a full rebuild changes nothing."""
    move_unit(unit=tree.ward_a, parent=tree.other, date=D(2020, 1, 1))
    merge_units(sources=[tree.cell_a1, tree.cell_a2], into=tree.cell_o1, date=D(2022, 1, 1))
    split_unit(
        source=tree.ward_b,
        into=[
            NewUnit(code="B1", name="B1", kind=UnitKind.GRASSROOTS_ORG),
            NewUnit(code="B2", name="B2", kind=UnitKind.GRASSROOTS_ORG),
        ],
        date=D(2024, 1, 1),
    )
    incremental = _rows()
    written = rebuild_ancestry()
    assert written == len(incremental)
    assert _rows() == incremental


def test_rows_carry_the_interval_of_each_path(tree):
    """A unit moved once has two rows for its old and new grandparent, split at the move."""
    move_unit(unit=tree.ward_a, parent=tree.other, date=D(2020, 1, 1))
    rows = {
        (anc, start, end)
        for anc, start, end in UnitAncestry.objects.filter(descendant=tree.cell_a1).values_list(
            "ancestor", "valid_from", "valid_to"
        )
    }
    assert (tree.city.pk, D(2015, 1, 1), D(2019, 12, 31)) in rows
    assert (tree.other.pk, D(2020, 1, 1), FAR_FUTURE) in rows
    assert (tree.province.pk, D(2015, 1, 1), FAR_FUTURE) not in rows  # two intervals instead
    assert {(start, end) for anc, start, end in rows if anc == tree.province.pk} == {
        (D(2015, 1, 1), D(2019, 12, 31)),
        (D(2020, 1, 1), FAR_FUTURE),
    }


def test_a_cycle_is_refused(tree):
    """A link that makes a unit its own ancestor cannot be turned into closure rows."""
    UnitLink.objects.create(unit=tree.city, parent=tree.cell_a1, valid_from=D(2024, 1, 1))
    UnitLink.objects.filter(unit=tree.city, parent=tree.province).update(valid_to=D(2023, 12, 31))
    with pytest.raises(TreeCycleError):
        rebuild_ancestry([tree.city.pk])


def test_ended_here_marks_the_last_day_inside_a_subtree(tree):
    """A dissolved cell's row under its ward (and above) is flagged for archive scoping."""
    Unit.objects.filter(pk=tree.cell_b1.pk).update(valid_to=D(2024, 12, 31))
    rebuild_ancestry([tree.cell_b1.pk])
    flagged = set(
        UnitAncestry.objects.filter(descendant=tree.cell_b1, ended_here=True).values_list(
            "ancestor", flat=True
        )
    )
    assert flagged == {
        tree.cell_b1.pk,
        tree.ward_b.pk,
        tree.city.pk,
        tree.province.pk,
        tree.central.pk,
    }
