"""Fixtures for petitions: a custodian and a petition officer at the city, time frozen."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache

from giamsat.accounts.roles import Role
from tests.factories import make_user

NOW = dt.datetime(2024, 3, 4, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen():
    """Mon 04/03/2024 09:00 in Vietnam."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def custodian(tree):
    return make_user(Role.CUSTODIAN, tree.city, username="custodian_city")


@pytest.fixture
def officer(tree):
    return make_user(
        Role.PETITION_OFFICER, tree.city, username="officer_city", email="officer@example.vn"
    )
