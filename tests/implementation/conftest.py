"""Fixtures of the implementation tests: a directive, committee-office users, frozen time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from giamsat.accounts.roles import Role
from tests.factories import make_user
from tests.implementation.factories import make_directive

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2022, 10, 1)


@pytest.fixture
def frozen():
    """Today is 01/10/2022 (the day after the seed's working session)."""
    with time_machine.travel(dt.datetime(2022, 10, 1, 9, 0, tzinfo=VN), tick=False) as traveller:
        yield traveller


@pytest.fixture
def office(tree):
    """Committee-office staff of the city: may manage implementation in the city's subtree."""
    return make_user(Role.COMMITTEE_OFFICE, tree.city, username="office_city")


@pytest.fixture
def province_office(tree):
    return make_user(Role.COMMITTEE_OFFICE, tree.province, username="office_province")


@pytest.fixture
def other_office(tree):
    """Committee-office staff of another organisation (out of the city's scope)."""
    return make_user(Role.COMMITTEE_OFFICE, tree.other, username="office_other")


@pytest.fixture
def directive(tree):
    return make_directive(tree.central, number=21, doc_type="KL", issued_on=dt.date(2021, 10, 25))
