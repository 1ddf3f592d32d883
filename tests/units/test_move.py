"""Moving a unit carries its whole subtree to the new parent from the move date only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from giamsat.units.models import ReorgEvent, ReorgRole, Unit, UnitLink
from giamsat.units.services import ReorgError, move_unit

D = dt.date
REFORM = D(2025, 7, 1)


def _subtree(unit, day):
    return set(Unit.objects.subtree_of(unit, day).values_list("pk", flat=True))


def test_the_subtree_moves_on_the_date_and_history_stays(tree):
    """Before the move the ward and its cells are under the city; from it, under the other."""
    move_unit(unit=tree.ward_a, parent=tree.other, date=REFORM)
    moved = {tree.ward_a.pk, tree.cell_a1.pk, tree.cell_a2.pk}
    assert moved <= _subtree(tree.city, REFORM - dt.timedelta(days=1))
    assert not moved & _subtree(tree.city, REFORM)
    assert moved <= _subtree(tree.other, REFORM)
    assert moved <= _subtree(tree.province, REFORM) and moved <= _subtree(
        tree.province, REFORM - dt.timedelta(days=1)
    )
    assert tree.cell_a1.parent_on(REFORM) == tree.ward_a
    assert [a.pk for a in tree.cell_a1.ancestors_on(REFORM)][-2:] == [
        tree.other.pk,
        tree.ward_a.pk,
    ]
    links = list(UnitLink.objects.filter(unit=tree.ward_a).order_by("valid_from"))
    assert [(lk.parent_id, lk.valid_from, lk.valid_to) for lk in links] == [
        (tree.city.pk, D(2015, 1, 1), D(2025, 6, 30)),
        (tree.other.pk, REFORM, None),
    ]


def test_the_event_names_the_old_and_new_parent(tree):
    """Roles on the event: subject (moved), source (old parent), target (new parent)."""
    move_unit(unit=tree.ward_a, parent=tree.other, date=REFORM)
    event = ReorgEvent.objects.get(kind="move")
    roles = {(eu.unit_id, eu.role) for eu in event.event_units.all()}
    assert roles == {
        (tree.ward_a.pk, ReorgRole.SUBJECT),
        (tree.city.pk, ReorgRole.SOURCE),
        (tree.other.pk, ReorgRole.TARGET),
    }


def test_a_late_move_of_an_ended_unit_ends_with_it(tree):
    """Out-of-order history: the new link inherits the old link's end date."""
    Unit.objects.filter(pk=tree.cell_b1.pk).update(valid_to=D(2024, 12, 31))
    UnitLink.objects.filter(unit=tree.cell_b1).update(valid_to=D(2024, 12, 31))
    tree.cell_b1.refresh_from_db()
    move_unit(unit=tree.cell_b1, parent=tree.ward_a, date=D(2020, 1, 1))
    new_link = UnitLink.objects.get(unit=tree.cell_b1, parent=tree.ward_a)
    assert new_link.valid_to == D(2024, 12, 31)
    assert tree.cell_b1.pk in _subtree(tree.ward_a, D(2024, 12, 31))


@pytest.mark.parametrize(
    ("unit_attr", "parent_attr", "date", "message"),
    [
        ("city", "ward_a", REFORM, "its own sub-unit"),
        ("city", "city", REFORM, "its own sub-unit"),
        ("ward_a", "city", REFORM, "already under"),
        ("city_inspection", "province", REFORM, "organ stays"),
        ("ward_a", "city_inspection", REFORM, "cannot hold units"),
        ("ward_a", "other", D(2015, 1, 1), "after the day it was established"),
        ("ward_a", "other", D(2010, 1, 1), "does not exist"),
    ],
)
def test_impossible_moves_are_refused(tree, unit_attr, parent_attr, date, message):
    """Cycles, no-ops, organs and dates outside the unit's life are refused."""
    before = UnitLink.objects.count()
    with translation.override("en"), pytest.raises(ReorgError) as info:
        move_unit(unit=getattr(tree, unit_attr), parent=getattr(tree, parent_attr), date=date)
    assert message in str(info.value)
    assert UnitLink.objects.count() == before


def test_a_second_move_on_or_before_a_recorded_move_is_refused(tree):
    """Moves are recorded in order: another change of parent on the same day is refused."""
    move_unit(unit=tree.ward_a, parent=tree.other, date=REFORM)
    with translation.override("en"), pytest.raises(ReorgError, match="already has a change"):
        move_unit(unit=tree.ward_a, parent=tree.province, date=REFORM)
    with translation.override("en"), pytest.raises(ReorgError, match="already has a change"):
        move_unit(unit=tree.ward_a, parent=tree.province, date=D(2024, 1, 1))
