"""Fixtures for inspection, supervision, criticism and commitment tests."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.oversight.catalogue_data import ensure_catalogues
from giamsat.oversight.models import CaseKind
from giamsat.oversight.services import SubjectSpec, TeamSpec, open_case
from giamsat.units.models import OrganKind, UnitKind
from tests.factories import make_unit


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages are asserted in English (the msgids); pages keep the request's language."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def catalogues(db):
    """The catalogues the data migration loads (a flushed database lost them)."""
    ensure_catalogues()


@pytest.fixture
def standing(tree):
    """The city's standing committee (an organ, like the inspection commission)."""
    return make_unit(
        "Ban Thường vụ Thành ủy",
        UnitKind.ORGAN,
        tree.city,
        organ_kind=OrganKind.STANDING_COMMITTEE,
    )


def make_case(
    unit,
    *,
    kind=CaseKind.THEMATIC_SUPERVISION,
    decided_on=dt.date(2021, 3, 1),
    subjects=(),
    title="Giám sát chuyên đề",
    **kw,
):
    return open_case(
        kind=kind,
        conducting_unit=unit,
        title=title,
        decided_on=decided_on,
        subjects=[s if isinstance(s, SubjectSpec) else _spec(s) for s in subjects],
        acting_user=None,
        **kw,
    )


def _spec(obj):
    from giamsat.people.models import Person

    return SubjectSpec(person=obj) if isinstance(obj, Person) else SubjectSpec(unit=obj)


__all__ = ["TeamSpec", "make_case"]
