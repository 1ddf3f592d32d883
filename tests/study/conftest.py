import datetime as dt

import pytest
import time_machine

from giamsat.accounts.roles import Role
from tests.factories import make_user
from tests.study.factories import make_directive


@pytest.fixture(autouse=True)
def _frozen_today():
    """Study tests run on 01/11/2022 (after the sessions they record)."""
    with time_machine.travel(dt.datetime(2022, 11, 1, 9, 0), tick=False):
        yield


@pytest.fixture
def nq04(db):
    return make_directive(4, issued_on=dt.date(2016, 10, 30))


@pytest.fixture
def qd08(db):
    return make_directive(8, doc_type="QĐi", issued_on=dt.date(2018, 10, 25))


@pytest.fixture
def office(tree):
    """Committee office staff of the city: manages study sessions in the city's subtree."""
    return make_user(Role.COMMITTEE_OFFICE, tree.city, username="vanphong_city")


@pytest.fixture
def office_other(tree):
    return make_user(Role.COMMITTEE_OFFICE, tree.other, username="vanphong_other")
