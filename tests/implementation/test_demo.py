"""The demo's implementation records: five directives for the city and its wards, a cascade of
fictional plans, a few late and missing units, all dated 2016 to 30/09/2022."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest

from giamsat.core.demo import DemoContext
from giamsat.directives.models import Directive
from giamsat.implementation.models import (
    Assignment,
    Fulfilment,
    KeyTask,
    KeyTaskUpdate,
    Reminder,
    Requirement,
)
from giamsat.indicators.registry import IndicatorQuery, get_indicator

D = dt.date
FIRST, LAST = D(2016, 1, 1), D(2022, 9, 30)


@pytest.fixture
def demo(db, frozen):
    ctx = DemoContext(verbose=False)
    # The people step (13,000 generated people) only names responsible persons: left out here.
    for app in ("units", "directives", "accounts", "implementation"):
        import_module(f"giamsat.{app}.demo").load(ctx)
    return ctx


@pytest.mark.slow
def test_the_demo_records(demo):
    city = demo.units["TP"]
    seeds = demo.data["seed_directives"]
    assert Assignment.objects.count() == 10
    for directive in seeds:
        province_plan = Directive.objects.get(implements=directive, issuing_unit__code="TH")
        assert province_plan.symbol.endswith("-KH/TU") and "(tài liệu demo)" in province_plan.title
        city_plan = Directive.objects.get(implements=province_plan, issuing_unit=city)
        wards = Directive.objects.filter(implements=city_plan)
        assert wards.count() >= 25
        assert city_plan.cascade_up()[:2] == [province_plan, directive]
        city_assignment = Assignment.objects.get(directive=directive, issuing_unit=city)
        assert city_assignment.plan == city_plan
        assert city_assignment.implementations.count() == 32  # 28 wards, police, 3 agency cells

    dates = [
        *Assignment.objects.values_list("assigned_on", flat=True),
        *Requirement.objects.values_list("due_on", flat=True),
        *Fulfilment.objects.exclude(done_on=None).values_list("done_on", flat=True),
        *Reminder.objects.values_list("sent_on", flat=True),
        *KeyTask.objects.values_list("opened_on", flat=True),
        *KeyTaskUpdate.objects.values_list("date", flat=True),
        *Directive.objects.filter(source_note__contains="demo").values_list("issued_on", flat=True),
    ]
    assert all(FIRST <= d <= LAST for d in dates)

    query = IndicatorQuery(city, D(2016, 1, 1), LAST)
    late = get_indicator("implementation.late_units").compute(query).value
    missing = get_indicator("implementation.missing_units").compute(query).value
    rate = get_indicator("implementation.done_rate").compute(query)
    assert 5 <= late <= 50 and 3 <= missing <= 30
    assert 90 <= rate.value < 100
    assert Reminder.objects.count() >= missing
    assert get_indicator("implementation.bottlenecks_open").compute(query).value >= 3
    assert get_indicator("implementation.documents_issued").compute(query).value >= 150
