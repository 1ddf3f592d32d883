"""Merging: into an existing unit (sáp nhập) or into a new one (hợp nhất). Sources end the day
before; their sub-units and members continue in the result; lineage records what became what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from giamsat.people.models import Membership, Post
from giamsat.units.models import Lineage, ReorgEvent, ReorgRole, Unit, UnitKind
from giamsat.units.services import (
    NewUnit,
    ReorgError,
    merge_units,
    predecessors_on,
    successors,
)
from tests.factories import make_member

D = dt.date
DAY = D(2025, 7, 1)
EVE = D(2025, 6, 30)


def test_merge_into_an_existing_unit(tree, members):
    """Ward B ends on 30/06; its cell moves under ward A; ward A absorbs it (sáp nhập)."""
    target = merge_units(sources=[tree.ward_b], into=tree.ward_a, date=DAY)
    assert target == tree.ward_a
    tree.ward_b.refresh_from_db()
    assert tree.ward_b.valid_to == EVE
    assert tree.cell_b1.parent_on(EVE) == tree.ward_b
    assert tree.cell_b1.parent_on(DAY) == tree.ward_a
    assert Unit.objects.subtree_of(tree.ward_a, DAY).filter(pk=tree.cell_b1.pk).exists()
    assert not Unit.objects.subtree_of(tree.city, DAY).filter(pk=tree.ward_b.pk).exists()
    # members of the cell are untouched (the cell continues); lineage says what became what
    assert Membership.objects.filter(unit=tree.cell_b1).valid_on(DAY).count() == 2
    assert list(Lineage.objects.values_list("predecessor", "successor", "date")) == [
        (tree.ward_b.pk, tree.ward_a.pk, DAY)
    ]
    assert successors(tree.ward_b) == [tree.ward_a]
    assert {u.pk for u in predecessors_on(tree.ward_a, D(2022, 1, 1))} == {
        tree.ward_a.pk,
        tree.ward_b.pk,
    }


def test_merge_into_a_new_unit(tree, members):
    """Two wards make a new ward under the city's parent; both end, their cells move."""
    new = merge_units(
        sources=[tree.ward_a, tree.ward_b],
        new_unit=NewUnit(code="HT", name="Đảng bộ phường Hạc Thành", kind=UnitKind.GRASSROOTS_ORG),
        parent=tree.province,
        date=DAY,
    )
    assert new.valid_from == DAY and new.parent_on(DAY) == tree.province
    for ward in (tree.ward_a, tree.ward_b):
        ward.refresh_from_db()
        assert ward.valid_to == EVE
    cells = {tree.cell_a1.pk, tree.cell_a2.pk, tree.cell_b1.pk}
    assert set(Unit.objects.children_of(new, DAY).values_list("pk", flat=True)) == cells
    assert cells <= set(Unit.objects.subtree_of(tree.province, DAY).values_list("pk", flat=True))
    assert successors(tree.ward_a) == [new]
    assert successors(tree.ward_a, on=EVE) == []  # it still existed that day
    assert [u.pk for u in predecessors_on(new, D(2022, 9, 30))] == sorted(
        [tree.ward_a.pk, tree.ward_b.pk],
        key=lambda pk: Unit.objects.get(pk=pk).name_sort,
    )
    event = ReorgEvent.objects.get(kind="merge")
    assert {(eu.unit_id, eu.role) for eu in event.event_units.all()} == {
        (tree.ward_a.pk, ReorgRole.SOURCE),
        (tree.ward_b.pk, ReorgRole.SOURCE),
        (new.pk, ReorgRole.TARGET),
    }


def test_a_new_unit_defaults_to_the_parent_of_the_first_source(tree):
    """Without ``parent`` the merged unit sits where the first source sat."""
    new = merge_units(
        sources=[tree.cell_a1, tree.cell_a2],
        new_unit=NewUnit(code="CB12", name="Chi bộ khu phố 1-2", kind=UnitKind.CELL),
        date=DAY,
    )
    assert new.parent_on(DAY) == tree.ward_a


def test_members_of_merged_cells_continue_in_the_result(tree, members):
    """Memberships close on the eve and reopen in the merged cell: history kept, nobody lost."""
    people = [*members[tree.cell_a1.code], *members[tree.cell_a2.code]]
    new = merge_units(
        sources=[tree.cell_a1, tree.cell_a2],
        new_unit=NewUnit(code="CB12", name="Chi bộ khu phố 1-2", kind=UnitKind.CELL),
        date=DAY,
    )
    for person in people:
        history = list(person.memberships.order_by("valid_from").values_list("unit", "valid_to"))
        assert history[-1] == (new.pk, None)
        assert history[0][1] == EVE
    assert Membership.objects.filter(unit=new).count() == 4
    assert Membership.objects.filter(unit=tree.cell_a1).valid_on(DAY).count() == 0


def test_organs_and_posts_of_the_sources_end_with_them(tree):
    """The city's inspection commission ends with the city; a secretary's post ends too."""
    person = make_member(tree.cell_a1)
    post = Post.objects.create(
        person=person,
        unit=tree.city,
        title="Bí thư Thành ủy",
        is_head=True,
        valid_from=D(2020, 1, 1),
    )
    other_city = Unit.objects.create(
        code="OC", name="Thành phố khác", kind=UnitKind.UPPER_GRASSROOTS, valid_from=D(2015, 1, 1)
    )
    from giamsat.units.models import UnitLink
    from giamsat.units.tree import rebuild_ancestry

    UnitLink.objects.create(unit=other_city, parent=tree.province, valid_from=D(2015, 1, 1))
    rebuild_ancestry([other_city.pk])
    merge_units(sources=[tree.city], into=other_city, date=DAY)
    tree.city_inspection.refresh_from_db()
    post.refresh_from_db()
    assert tree.city_inspection.valid_to == EVE
    assert post.valid_to == EVE and post.ended_by
    assert tree.ward_a.parent_on(DAY) == other_city


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sources": ["ward_a"], "into": "ward_b", "new_unit": True}, "not both"),
        ({"sources": ["ward_a"]}, "not both"),
        ({"sources": [], "into": "ward_b"}, "Choose the units"),
        ({"sources": ["ward_a", "ward_a"], "into": "ward_b"}, "listed twice"),
        ({"sources": ["ward_a"], "into": "ward_a"}, "into itself"),
        ({"sources": ["ward_a"], "new_unit": True}, "at least two"),
        ({"sources": ["city"], "into": "cell_a1"}, "lies inside"),
        ({"sources": ["city_inspection"], "into": "province"}, "committee organ"),
        ({"sources": ["ward_a"], "into": "city_inspection"}, "cannot hold units"),
        ({"sources": ["ward_a", "ward_b"], "new_unit": True, "parent": "ward_a"}, "cannot sit"),
    ],
)
def test_impossible_merges_are_refused(tree, kwargs, message):
    """Each refusal names its reason and leaves the tree as it was."""
    args = {"sources": [getattr(tree, name) for name in kwargs["sources"]], "date": DAY}
    if "into" in kwargs:
        args["into"] = getattr(tree, kwargs["into"])
    if kwargs.get("new_unit"):
        args["new_unit"] = NewUnit(code="NEW", name="Mới", kind=UnitKind.GRASSROOTS_ORG)
    if "parent" in kwargs:
        args["parent"] = getattr(tree, kwargs["parent"])
    before = (Unit.objects.count(), ReorgEvent.objects.count(), Lineage.objects.count())
    with translation.override("en"), pytest.raises(ReorgError) as info:
        merge_units(**args)
    assert message in str(info.value)
    assert (Unit.objects.count(), ReorgEvent.objects.count(), Lineage.objects.count()) == before
    assert Unit.objects.filter(valid_to__isnull=False).count() == 0


def test_a_source_that_no_longer_exists_is_refused(tree):
    """Merging a unit on a date after its end is refused."""
    merge_units(sources=[tree.ward_b], into=tree.ward_a, date=DAY)
    tree.ward_b.refresh_from_db()
    with translation.override("en"), pytest.raises(ReorgError, match="must exist before"):
        merge_units(sources=[tree.ward_b], into=tree.ward_a, date=D(2026, 1, 1))
