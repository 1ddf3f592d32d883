"""Reads of the tree over time are single indexed queries: no per-node queries, no recursion."""

from __future__ import annotations

import datetime as dt

from giamsat.people.models import Membership
from giamsat.units.models import Unit, subtree_q
from giamsat.units.services import dissolve_unit, merge_units, move_unit

D = dt.date
REFORM = D(2025, 7, 1)


def _reform(tree):
    """The city level ends: wards go directly under the province, ward B merges into A."""
    move_unit(unit=tree.ward_a, parent=tree.province, date=REFORM)
    merge_units(sources=[tree.ward_b], into=tree.ward_a, date=REFORM)
    dissolve_unit(unit=tree.city, date=REFORM)


def test_subtree_as_of_a_date_is_one_query(tree, django_assert_num_queries):
    """Before and after the reform the province's subtree differs, each read in one query."""
    _reform(tree)
    with django_assert_num_queries(1):
        before = set(
            Unit.objects.subtree_of(tree.province, D(2024, 1, 1)).values_list("name", flat=True)
        )
    with django_assert_num_queries(1):
        after = set(
            Unit.objects.subtree_of(tree.province, D(2026, 1, 1)).values_list("name", flat=True)
        )
    assert "Đảng bộ thành phố Thanh Hóa" in before and "Đảng bộ phường Điện Biên" in before
    assert "Đảng bộ thành phố Thanh Hóa" not in after
    assert "Đảng bộ phường Điện Biên" not in after
    assert "Chi bộ khu phố 3" in after  # the cell continues under ward A


def test_children_of_follow_the_date(tree):
    """Children of the province as of each date."""
    _reform(tree)
    names_2024 = set(
        Unit.objects.children_of(tree.province, D(2024, 1, 1)).values_list("name", flat=True)
    )
    names_2026 = set(
        Unit.objects.children_of(tree.province, D(2026, 1, 1)).values_list("name", flat=True)
    )
    assert names_2024 == {"Đảng bộ thành phố Thanh Hóa", "Đảng bộ thị xã Sầm Sơn"}
    assert names_2026 == {"Đảng bộ phường Trường Thi", "Đảng bộ thị xã Sầm Sơn"}


def test_roots_and_ancestors(tree, django_assert_num_queries):
    """The central committee is the only root; ancestors come in one query, root first."""
    assert list(Unit.objects.roots(D(2024, 1, 1))) == [tree.central]
    with django_assert_num_queries(1):
        chain = tree.cell_a1.ancestors_on(D(2024, 1, 1))
    assert chain == [tree.central, tree.province, tree.city, tree.ward_a]


def test_subtree_q_filters_facts_of_any_model(tree, members, django_assert_num_queries):
    """Members under the city on a date: one join on the closure, whatever the depth."""
    _reform(tree)
    with django_assert_num_queries(1):
        in_city_2024 = Membership.objects.filter(
            subtree_q("unit", tree.city, D(2024, 1, 1))
        ).count()
    assert in_city_2024 == 6
    assert Membership.objects.filter(subtree_q("unit", tree.city, D(2026, 1, 1))).count() == 0
    assert Membership.objects.filter(subtree_q("unit", tree.ward_a, D(2026, 1, 1))).count() == 6


def test_search_ignores_diacritics(tree):
    """'dang bo' finds 'Đảng bộ'; 'truong thi' finds Trường Thi."""
    assert Unit.objects.search("dang bo").count() == 5
    assert list(Unit.objects.search("truong thi")) == [tree.ward_a]
    assert list(Unit.objects.search("TRƯỜNG THI")) == [tree.ward_a]
