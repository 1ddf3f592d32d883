"""Petition figures: received by class and channel, handled / not handled and why, resolved on
time (%), overdue, group petitions, open alerts and hot spots. The value of each figure is the
number of the records its drill-down lists (checked on generated data)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamsat.indicators.registry import IndicatorQuery, drilldown, get_indicator, indicators
from giamsat.petitions.models import (
    AlertKind,
    Channel,
    HotSpotAlert,
    Petition,
    PetitionClass,
    Status,
)

D = dt.date
PERIOD = (D(2022, 1, 1), D(2022, 12, 31))


def _row(unit, **fields):
    defaults = {
        "code": f"R{Petition.objects.count() + 1}",
        "channel": Channel.POST,
        "received_on": D(2022, 3, 1),
        "received_by": unit,
        "unit": unit,
        "content": "x",
    }
    defaults.update(fields)
    return Petition.objects.create(**defaults)


def _query(unit, **params):
    return IndicatorQuery(unit, *PERIOD, params=tuple(params.items()))


def _value(code, unit, **params):
    return get_indicator(f"petitions.{code}").compute(_query(unit, **params))


def test_every_petition_indicator_is_registered_with_columns():
    codes = {i.code for i in indicators("petitions")}
    for code in (
        "petitions.received",
        "petitions.received.class.denunciation",
        "petitions.received.channel.hotline_web",
        "petitions.handled",
        "petitions.not_handled",
        "petitions.not_handled.anonymous",
        "petitions.resolved_on_time",
        "petitions.overdue",
        "petitions.group",
        "petitions.alerts_open",
        "petitions.hot_spots_open",
    ):
        assert code in codes
    assert all(i.columns for i in indicators("petitions"))


def test_received_counts_by_class_and_channel_in_the_subtree(tree, frozen):
    _row(tree.city, petition_class=PetitionClass.DENUNCIATION, channel=Channel.HOTLINE_WEB)
    _row(tree.ward_a, petition_class=PetitionClass.DENUNCIATION)
    _row(tree.ward_b, petition_class=PetitionClass.COMPLAINT)
    _row(tree.other, petition_class=PetitionClass.DENUNCIATION)  # outside the city
    _row(tree.city, received_on=D(2021, 12, 31))  # outside the period
    assert _value("received", tree.city).value == 3
    assert _value("received.class.denunciation", tree.city).value == 2
    assert _value("received.channel.hotline_web", tree.city).value == 1
    assert _value("received", tree.city, **{"class": "complaint"}).value == 1
    assert _value("received", tree.province).value == 4


def test_split_letters_are_received_once(tree, frozen):
    parent = _row(tree.city, status=Status.SPLIT, petition_class=PetitionClass.MIXED)
    _row(tree.city, parent=parent, code="R-1")
    _row(tree.city, parent=parent, code="R-2")
    assert _value("received", tree.city).value == 1


def test_handled_and_not_handled_with_reasons(tree, frozen):
    _row(tree.city, is_admissible=True, status=Status.IN_HANDLING)
    _row(
        tree.city,
        is_admissible=False,
        status=Status.NOT_HANDLED,
        not_handled_reasons=["anonymous", "no_address"],
    )
    _row(tree.city, is_admissible=False, status=Status.NOT_HANDLED, not_handled_reasons=["copy"])
    assert _value("handled", tree.city).value == 1
    assert _value("not_handled", tree.city).value == 2
    assert _value("not_handled.anonymous", tree.city).value == 1
    assert _value("not_handled.no_address", tree.city).value == 1
    assert _value("not_handled", tree.city, reason="copy").value == 1


def test_resolved_on_time_is_a_rate_over_concluded_letters(tree, frozen):
    _row(tree.city, due_on=D(2022, 5, 1), concluded_on=D(2022, 4, 30), status=Status.CONCLUDED)
    _row(tree.city, due_on=D(2022, 5, 1), concluded_on=D(2022, 5, 1), status=Status.ANSWERED)
    _row(tree.city, due_on=D(2022, 5, 1), concluded_on=D(2022, 5, 2), status=Status.CONCLUDED)
    _row(tree.city, due_on=None, concluded_on=D(2022, 5, 2), status=Status.CONCLUDED)
    value = _value("resolved_on_time", tree.city)
    assert (value.numerator, value.denominator) == (2, 3)
    assert value.value == Decimal("66.7")


def test_overdue_at_the_end_of_the_period(tree, frozen):
    _row(tree.city, status=Status.IN_HANDLING, due_on=D(2022, 12, 30))
    _row(tree.city, status=Status.CONCLUDED, due_on=D(2022, 6, 1), concluded_on=D(2023, 1, 5))
    _row(tree.city, status=Status.CONCLUDED, due_on=D(2022, 6, 1), concluded_on=D(2022, 5, 5))
    _row(tree.city, status=Status.IN_HANDLING, due_on=D(2023, 2, 1))
    assert _value("overdue", tree.city).value == 2


def test_group_petitions_and_open_hot_spots(tree, frozen):
    _row(tree.city, is_group=True, signer_count=12)
    _row(tree.city, signer_count=2)
    open_alert = HotSpotAlert.objects.create(
        kind=AlertKind.UNIT,
        key="1",
        label="x",
        unit=tree.city,
        window_start=D(2022, 3, 1),
        window_end=D(2022, 3, 9),
        petition_count=5,
        is_hot_spot=True,
    )
    HotSpotAlert.objects.create(
        kind=AlertKind.UNIT,
        key="2",
        label="y",
        unit=tree.city,
        window_start=D(2022, 3, 1),
        window_end=D(2022, 3, 9),
        petition_count=5,
        status="closed",
        closed_on=D(2022, 4, 1),
    )
    assert _value("group", tree.city).value == 1
    assert _value("alerts_open", tree.city).value == 1
    assert list(drilldown(get_indicator("petitions.hot_spots_open"), _query(tree.city))) == [
        open_alert
    ]


def test_breakdown_by_child_unit_is_one_query_per_figure(
    tree, frozen, django_assert_max_num_queries
):
    _row(tree.ward_a)
    _row(tree.ward_a)
    _row(tree.ward_b)
    indicator = get_indicator("petitions.received")
    with django_assert_max_num_queries(2):
        values = indicator.breakdown(_query(tree.city), [tree.ward_a, tree.ward_b])
    assert values[tree.ward_a.pk].value == 2 and values[tree.ward_b.pk].value == 1


statuses = st.sampled_from([s.value for s in Status])
classes = st.sampled_from([c.value for c in PetitionClass])
channels = st.sampled_from([c.value for c in Channel])
days = st.dates(min_value=D(2021, 10, 1), max_value=D(2023, 3, 31))
rows = st.lists(
    st.fixed_dictionaries(
        {
            "status": statuses,
            "petition_class": classes,
            "channel": channels,
            "received_on": days,
            "due_on": st.one_of(st.none(), days),
            "concluded_on": st.one_of(st.none(), days),
            "is_group": st.booleans(),
            "is_admissible": st.one_of(st.none(), st.booleans()),
            "unit": st.sampled_from(["city", "ward_a", "cell_a1", "other"]),
            "not_handled_reasons": st.lists(
                st.sampled_from(["anonymous", "copy", "other"]), max_size=2, unique=True
            ),
        }
    ),
    max_size=12,
)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=rows)
def test_every_figure_equals_the_count_of_its_drilldown(tree, frozen, data):
    with transaction.atomic():
        for i, row in enumerate(data):
            unit = getattr(tree, row.pop("unit"))
            _row(unit, code=f"H{i}", **row)
        for indicator in indicators("petitions"):
            query = _query(tree.city)
            value = indicator.compute(query)
            records = drilldown(indicator, query)
            if indicator.is_rate:
                assert value.numerator == records.count()
                assert value.denominator == indicator.denominator(query).count()
            else:
                assert value.value == records.count()
            # Figures never count the same record twice.
            assert records.count() == records.values("pk").distinct().count()
        transaction.set_rollback(True)


@pytest.mark.parametrize("code", ["petitions.received", "petitions.overdue"])
def test_drilldown_columns_show_no_identity_or_content(tree, frozen, code):
    from tests.petitions.factories import hotline_petition

    petition, _ = hotline_petition(tree.city, received_on=D(2022, 3, 1))
    indicator = get_indicator(code)
    labels = [str(c.label) for c in indicator.columns]
    assert labels == [
        "Số đơn",
        "Ngày tiếp nhận",
        "Phân loại",
        "Kênh tiếp nhận",
        "Tình trạng",
        "Hạn giải quyết",
        "Ngày kết luận",
    ]
    cells = [str(c.get(petition)) for c in indicator.columns]
    assert petition.content not in cells and petition.subject_text not in cells
