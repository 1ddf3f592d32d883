"""Directives reach the units below their issuer: a cell secretary sees the Politburo's plan
and the plans of the committees above the cell, never those of sibling organisations."""

from __future__ import annotations

from giamsat.directives.scoping import directives_in_scope
from tests.factories import make_user


def test_documents_from_above_reach_a_cell(tree, docs):
    secretary = make_user("cell_secretary", tree.cell_a1)
    visible = set(directives_in_scope(secretary))
    assert {docs["kh03"], docs["kl21"], docs["city_plan"], docs["ward_plan"]} <= visible
    assert docs["other_plan"] not in visible


def test_the_other_town_sees_its_own_plan_and_the_centres(tree, docs, users):
    visible = set(directives_in_scope(users.outsider))
    assert {docs["kh03"], docs["other_plan"]} <= visible
    assert docs["city_plan"] not in visible and docs["ward_plan"] not in visible


def test_documents_below_are_visible_to_the_level_above(tree, docs, users):
    """The city sees the ward's plan (in its subtree)."""
    assert docs["ward_plan"] in set(directives_in_scope(users.authorised))


def test_roles_without_the_capability_see_nothing(tree, docs):
    custodian = make_user("custodian", tree.city)
    assert list(directives_in_scope(custodian)) == []
