"""Fixtures for evaluation tests: a city with a standing committee, posts, members and users,
and the reference data (catalogues, authority matrix) discipline records need."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine

from giamsat.accounts.roles import Role
from giamsat.discipline.authority_data import ensure_authority_matrix
from giamsat.oversight.catalogue_data import ensure_catalogues
from giamsat.people.models import Post, PostKind
from giamsat.units.models import OrganKind, Unit, UnitKind
from tests.factories import DEFAULT_START, make_member, make_unit, make_user

NOW = dt.datetime(2022, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages are asserted in English (the msgids); pages keep the request's language."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def reference_data(db):
    ensure_catalogues()
    ensure_authority_matrix()


@pytest.fixture
def frozen():
    """Time frozen in March 2022: the 2021 review has happened, nothing is in the future."""
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class City:
    """The test tree's city with a standing committee, posts and three members per cell."""

    tree: object
    standing: Unit
    members: dict[str, list]
    cell_secretary: object  # head of cell_a1 (a member of cell_a1)
    ward_secretary: object  # head of ward_a (a member of cell_a2)
    manager: object  # organisation commission at the city (manages evaluation)
    decider: object  # leader at the city (decides)
    cell_user: object  # cell secretary role at cell_a1
    outsider: object  # organisation commission of the other organisation
    admin: object


@pytest.fixture
def city(tree) -> City:
    standing = make_unit(
        "Ban Thường vụ Thành ủy", UnitKind.ORGAN, tree.city, organ_kind=OrganKind.STANDING_COMMITTEE
    )
    members = {
        cell.code: [make_member(cell) for _ in range(3)]
        for cell in (tree.cell_a1, tree.cell_a2, tree.cell_b1, tree.cell_o1)
    }
    cell_secretary = members[tree.cell_a1.code][0]
    ward_secretary = members[tree.cell_a2.code][0]
    Post.objects.create(
        person=cell_secretary,
        unit=tree.cell_a1,
        kind=PostKind.SECRETARY,
        title="Bí thư chi bộ",
        is_head=True,
        valid_from=DEFAULT_START,
    )
    Post.objects.create(
        person=ward_secretary,
        unit=tree.ward_a,
        kind=PostKind.SECRETARY,
        title="Bí thư Đảng ủy phường",
        is_head=True,
        valid_from=DEFAULT_START,
    )
    return City(
        tree=tree,
        standing=standing,
        members=members,
        cell_secretary=cell_secretary,
        ward_secretary=ward_secretary,
        manager=make_user(Role.ORGANISATION, tree.city, username="btc_city"),
        decider=make_user(Role.LEADER, tree.city, username="eval_leader"),
        cell_user=make_user(Role.CELL_SECRETARY, tree.cell_a1, username="cell_a1"),
        outsider=make_user(Role.ORGANISATION, tree.other, username="btc_other"),
        admin=make_user(Role.SYSTEM_ADMIN, tree.central, username="eval_admin"),
    )
