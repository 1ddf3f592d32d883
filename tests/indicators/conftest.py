import datetime as dt

import pytest
import time_machine

from giamsat.accounts.roles import Cap
from giamsat.indicators.registry import REGISTRY, Column, Indicator, register
from giamsat.units.models import Unit


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(dt.datetime(2022, 11, 1, 9, 0), tick=False):
        yield


@pytest.fixture
def foreign_indicators():
    """Indicators another app might register: one needing an oversight capability."""
    made = [
        register(
            Indicator(
                code="zz_test.units",
                label="Units counted",
                definition="Party organisations of the subtree.",
                unit_of_measure="units",
                domain="zz_test",
                capability=Cap.VIEW_INDICATORS,
                records=lambda q: (
                    Unit.objects.filter(q.in_subtree("pk")).organisations().order_by("pk")
                ),
                unit_path="pk",
                columns=(Column("Name", lambda u: u.name, lambda u: u.get_absolute_url()),),
            )
        ),
        register(
            Indicator(
                code="zz_test.secret",
                label="Secret count",
                definition="Needs the petitions capability.",
                unit_of_measure="cases",
                domain="zz_test",
                capability=Cap.VIEW_PETITIONS,
                records=lambda q: Unit.objects.filter(q.in_subtree("pk")).order_by("pk"),
                unit_path="pk",
            )
        ),
    ]
    yield made
    for indicator in made:
        REGISTRY.pop(indicator.code, None)
