"""The demo city's study figures come out, from records, as in the article (2019 → 30/09/2022):
more than 80,000 attendances (lượt) and a 96 % participation rate, with a drill-down."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest

from giamsat.core.demo import REPORT_END, REPORT_START, DemoContext
from giamsat.indicators.registry import IndicatorQuery, get_indicator
from giamsat.study.models import Attendance, StudySession
from giamsat.study.services import derive_list

DEMO_STEPS = ["units", "people", "directives", "accounts", "study"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo steps this app depends on, loaded once for the module."""
    with django_db_blocker.unblock():
        from django.db import transaction

        ctx = DemoContext(verbose=False)
        with transaction.atomic():
            for app in DEMO_STEPS:
                import_module(f"giamsat.{app}.demo").load(ctx)
            yield ctx
            transaction.set_rollback(True)


@pytest.fixture
def city_query(demo):
    return IndicatorQuery(demo.units["TP"], REPORT_START, REPORT_END)


@pytest.mark.slow
@pytest.mark.django_db
def test_the_city_has_more_than_80000_attendances_and_96_percent(demo, city_query):
    attendances = get_indicator("study.attendances").compute(city_query)
    rate = get_indicator("study.participation_rate").compute(city_query)
    assert attendances.value > 80_000
    assert 95.5 <= float(rate.value) < 96.5, rate
    # The figure is its records: the drill-down lists exactly as many rows.
    assert get_indicator("study.attendances").records(city_query).count() == attendances.value
    studied = get_indicator("study.persons_studied").records(city_query)
    assert studied.count() == rate.numerator
    first = studied.first()
    assert first.studied_on is not None and first.person.full_name


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_lists_follow_the_membership_rule(demo):
    """The bulk demo path makes the same lists as services.derive_list."""
    for session in StudySession.objects.filter(makeup_of__isnull=True).order_by("pk")[:40:7]:
        derived = {(x.person_id, x.unit_id) for x in derive_list(session)}
        stored = set(Attendance.objects.filter(session=session).values_list("person_id", "unit_id"))
        assert derived == stored, session


@pytest.mark.slow
@pytest.mark.django_db
def test_movers_count_once_for_the_city(demo, city_query):
    movers = demo.data["study_movers"]
    rows = Attendance.objects.filter(person_id__in=movers, is_makeup=False)
    assert rows.values("unit_id").distinct().count() > 40
    expected = get_indicator("study.persons_expected").records(city_query)
    assert expected.filter(person_id__in=movers).count() == len(movers)


@pytest.mark.slow
@pytest.mark.django_db
def test_breakdown_by_ward_adds_up_for_attendances(demo, city_query):
    from giamsat.indicators.reading import child_units

    children = child_units(demo.units["TP"], city_query)
    values = get_indicator("study.attendances").breakdown(city_query, children)
    total = get_indicator("study.attendances").compute(city_query).value
    assert sum(v.value for v in values.values()) == total
    assert dt.date(2022, 9, 30) == REPORT_END
