"""Splitting: a unit ends and two or more new ones take its sub-units and members as mapped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from giamsat.people.models import Membership
from giamsat.units.models import Lineage, ReorgEvent, Unit, UnitKind
from giamsat.units.services import NewUnit, ReorgError, predecessors_on, split_unit, successors

D = dt.date
DAY = D(2025, 7, 1)
EVE = D(2025, 6, 30)
NORTH = NewUnit(code="N", name="Đảng bộ phường Bắc", kind=UnitKind.GRASSROOTS_ORG)
SOUTH = NewUnit(code="S", name="Đảng bộ phường Nam", kind=UnitKind.GRASSROOTS_ORG)


def test_sub_units_go_where_the_mapping_says(tree):
    """Cell A1 to the first new ward, cell A2 to the second; the old ward ends on the eve."""
    north, south = split_unit(
        source=tree.ward_a,
        into=[NORTH, SOUTH],
        date=DAY,
        children_to={tree.cell_a1.pk: 0, tree.cell_a2.pk: 1},
    )
    tree.ward_a.refresh_from_db()
    assert tree.ward_a.valid_to == EVE
    assert north.parent_on(DAY) == tree.city and south.parent_on(DAY) == tree.city
    assert tree.cell_a1.parent_on(DAY) == north
    assert tree.cell_a2.parent_on(DAY) == south
    assert tree.cell_a2.parent_on(EVE) == tree.ward_a
    assert set(Unit.objects.subtree_of(tree.city, DAY).values_list("pk", flat=True)) >= {
        north.pk,
        south.pk,
        tree.cell_a1.pk,
        tree.cell_a2.pk,
    }
    assert {u.pk for u in successors(tree.ward_a)} == {north.pk, south.pk}
    assert predecessors_on(south, D(2022, 1, 1)) == [tree.ward_a]
    assert Lineage.objects.filter(predecessor=tree.ward_a).count() == 2


def test_unmapped_sub_units_go_to_the_first_new_unit(tree):
    """Without a mapping, every sub-unit follows the first resulting unit."""
    north, _south = split_unit(source=tree.ward_a, into=[NORTH, SOUTH], date=DAY)
    assert set(Unit.objects.children_of(north, DAY).values_list("pk", flat=True)) == {
        tree.cell_a1.pk,
        tree.cell_a2.pk,
    }


def test_members_of_a_split_cell_are_transferred(tree, members):
    """Members go to ``members_to`` by default, or person by person through ``member_map``."""
    first, second = members[tree.cell_a1.code]
    left, right = split_unit(
        source=tree.cell_a1,
        into=[
            NewUnit(code="L", name="Chi bộ 1A", kind=UnitKind.CELL),
            NewUnit(code="R", name="Chi bộ 1B", kind=UnitKind.CELL),
        ],
        date=DAY,
        members_to=1,
        member_map={first.pk: 0},
    )
    assert first.membership_on(DAY).unit == left
    assert second.membership_on(DAY).unit == right
    assert first.membership_on(EVE).unit == tree.cell_a1
    assert Membership.objects.filter(unit=tree.cell_a1).valid_on(DAY).count() == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"into": [NORTH]}, "at least two"),
        ({"members_to": 2}, "one of the 2 new units"),
        ({"children_to": {"cell_a1": 5}}, "one of the 2 new units"),
        ({"children_to": {"cell_b1": 1}}, "Only current sub-units"),
        ({"member_map": {-1: 1}}, "Only current members"),
        ({"date": D(2015, 1, 1)}, "must exist before"),
        ({"source": "city_inspection"}, "cannot be split"),
        ({"into": [NORTH, NewUnit(code="T00001", name="X", kind=UnitKind.CELL)]}, "already used"),
    ],
)
def test_impossible_splits_are_refused(tree, kwargs, message):
    """Bad mappings, too few parts or an organ: refused, nothing written."""
    args = {"source": tree.ward_a, "into": [NORTH, SOUTH], "date": DAY}
    args.update(kwargs)
    if isinstance(args["source"], str):
        args["source"] = getattr(tree, args["source"])
    if "children_to" in kwargs:
        args["children_to"] = {getattr(tree, k).pk: v for k, v in kwargs["children_to"].items()}
    if kwargs.get("into") and kwargs["into"][-1].code == "T00001":
        args["into"] = [NORTH, NewUnit(code=tree.central.code, name="X", kind=UnitKind.CELL)]
    before = (Unit.objects.count(), ReorgEvent.objects.count())
    with translation.override("en"), pytest.raises(ReorgError) as info:
        split_unit(**args)
    assert message in str(info.value)
    assert (Unit.objects.count(), ReorgEvent.objects.count()) == before
