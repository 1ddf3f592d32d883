"""Dissolving ends a unit; it is refused while sub-units or members remain."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import visible_units
from giamsat.people.models import Membership, Post
from giamsat.units.models import ReorgEvent, Unit
from giamsat.units.services import ReorgError, dissolve_unit, move_unit

D = dt.date
DAY = D(2025, 7, 1)
EVE = D(2025, 6, 30)


def test_dissolving_a_unit_with_sub_units_is_refused(tree):
    """The message names the sub-units still there."""
    with translation.override("en"), pytest.raises(ReorgError) as info:
        dissolve_unit(unit=tree.city, date=DAY)
    message = str(info.value)
    assert "still has 2 sub-unit(s)" in message
    assert "Trường Thi" in message and "Điện Biên" in message
    assert ReorgEvent.objects.filter(kind="dissolve").count() == 0


def test_dissolving_a_cell_with_members_is_refused(tree, members):
    """Members must be transferred first."""
    with translation.override("en"), pytest.raises(ReorgError, match="still has 2 member"):
        dissolve_unit(unit=tree.cell_a1, date=DAY)


def test_members_who_left_before_the_date_do_not_block(tree, members):
    """Memberships that already ended on the eve are history, not a blocker."""
    Membership.objects.filter(unit=tree.cell_a1).update(valid_to=EVE)
    dissolve_unit(unit=tree.cell_a1, date=DAY)
    tree.cell_a1.refresh_from_db()
    assert tree.cell_a1.valid_to == EVE


def test_a_dissolved_unit_ends_with_its_organs_and_posts(tree, members):
    """Once the wards have moved, the city ends; its organ and posts end the same day."""
    post = Post.objects.create(
        person=members[tree.cell_a1.code][0],
        unit=tree.city,
        title="Bí thư Thành ủy",
        is_head=True,
        valid_from=D(2020, 1, 1),
    )
    for ward in (tree.ward_a, tree.ward_b):
        move_unit(unit=ward, parent=tree.province, date=DAY)
    dissolve_unit(unit=tree.city, date=DAY)
    for unit in (tree.city, tree.city_inspection):
        unit.refresh_from_db()
        assert unit.valid_to == EVE
    post.refresh_from_db()
    assert post.valid_to == EVE and post.ended_by
    assert not Unit.objects.subtree_of(tree.province, DAY).filter(pk=tree.city.pk).exists()
    assert Unit.objects.subtree_of(tree.province, EVE).filter(pk=tree.city.pk).exists()
    assert list(Unit.objects.subtree_of(tree.city, EVE).organs()) == [tree.city_inspection]


def test_the_archive_of_a_dissolved_unit_stays_visible_above(tree, users):
    """A role at the province still sees the dissolved city (it ended inside its subtree)."""
    from tests.factories import make_user

    for ward in (tree.ward_a, tree.ward_b):
        move_unit(unit=ward, parent=tree.province, date=DAY)
    dissolve_unit(unit=tree.city, date=DAY)
    province_user = make_user("leader", tree.province)
    visible = set(visible_units(province_user, Cap.VIEW_UNITS).values_list("pk", flat=True))
    assert {tree.city.pk, tree.city_inspection.pk, tree.ward_a.pk} <= visible
    # the city's own role still reads the city's tree on its last day
    city_visible = set(visible_units(users.authorised, Cap.VIEW_UNITS).values_list("pk", flat=True))
    assert {tree.city.pk, tree.ward_a.pk, tree.cell_a1.pk} <= city_visible
    assert tree.other.pk not in city_visible


def test_a_unit_cannot_be_dissolved_twice_or_before_it_existed(tree):
    """Dates outside the unit's life are refused."""
    dissolve_unit(unit=tree.cell_o1, date=DAY)
    tree.cell_o1.refresh_from_db()
    with translation.override("en"), pytest.raises(ReorgError, match="must exist before"):
        dissolve_unit(unit=tree.cell_o1, date=D(2026, 1, 1))
    with translation.override("en"), pytest.raises(ReorgError, match="must exist before"):
        dissolve_unit(unit=tree.cell_b1, date=D(2015, 1, 1))
