"""Fixtures for discipline tests: the authority matrix and catalogues the migrations load."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.discipline.authority_data import ensure_authority_matrix
from giamsat.oversight.catalogue_data import ensure_catalogues
from giamsat.oversight.models import CatalogueItem
from giamsat.units.models import OrganKind, UnitKind
from tests.factories import make_unit


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
def city_standing(tree):
    return make_unit(
        "Ban Thường vụ Thành ủy", UnitKind.ORGAN, tree.city, organ_kind=OrganKind.STANDING_COMMITTEE
    )


def group(
    topic: str = "ethics_lifestyle", on: dt.date = dt.date(2021, 1, 1), organisation: bool = False
):
    """The violation group of ``topic`` in the catalogue in force on ``on``."""
    if organisation:
        code = "qd07-groups" if on <= dt.date(2022, 7, 5) else "qd69-organisation"
    else:
        code = "qd102-groups" if on <= dt.date(2022, 7, 5) else "qd69-member"
    return CatalogueItem.objects.get(catalogue__code=code, topic=topic)
