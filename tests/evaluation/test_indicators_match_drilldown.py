"""Every figure of the domain equals the number of records its drill-down lists, for any
distribution of decided levels (hypothesis); shares carry numerator and denominator; the
roll-up by child unit sums to the parent's figure."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamsat.evaluation.models import Evaluation, EvaluationStatus
from giamsat.evaluation.rules import LEVELS_BEST_FIRST, Level
from giamsat.indicators.registry import IndicatorQuery, indicators, shared_reads
from tests.evaluation.factories import campaign_2021, discipline, subject, walk

pytestmark = pytest.mark.usefixtures("frozen")
D = dt.date


def _set_levels(campaign, levels):
    """Give the campaign's subjects these decided levels (None: left undecided)."""
    for evaluation, level in zip(campaign.evaluations.order_by("pk"), levels, strict=False):
        if level is None:
            Evaluation.objects.filter(pk=evaluation.pk).update(
                status=EvaluationStatus.PENDING, decided_level="", score=None
            )
        else:
            Evaluation.objects.filter(pk=evaluation.pk).update(
                status=EvaluationStatus.DECIDED,
                decided_level=level,
                proposed_level=level,
                self_level=level,
                score=75,
                decided_on=D(2021, 12, 10),
            )


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(levels=st.lists(st.sampled_from([*LEVELS_BEST_FIRST, None]), min_size=16, max_size=16))
def test_every_figure_equals_its_drilldown(city, levels):
    t = city.tree
    campaign = campaign_2021(t.city)
    try:
        _set_levels(campaign, levels)
        query = IndicatorQuery(t.city, D(2021, 1, 1), D(2021, 12, 31))
        # Also as a dashboard reads them: each family of ratings counted in one query.
        with shared_reads():
            on_dashboard = {i.code: i.compute(query) for i in indicators("evaluation")}
        for indicator in indicators("evaluation"):
            value = indicator.compute(query)
            assert on_dashboard[indicator.code] == value, indicator.code
            records = list(indicator.records(query))
            if indicator.is_rate:
                assert value.numerator == len(records), indicator.code
                assert value.denominator == indicator.denominator(query).count()
            else:
                assert value.value == len(records) == len({r.pk for r in records}), indicator.code
    finally:
        campaign.delete()


def test_rates_and_rollup(city):
    t = city.tree
    campaign = campaign_2021(t.city)
    members = list(campaign.evaluations.individuals().order_by("pk"))
    levels = [
        Level.HOAN_THANH_XUAT_SAC,
        Level.HOAN_THANH_TOT,
        Level.HOAN_THANH_TOT,
        Level.HOAN_THANH,
    ]
    for evaluation, level in zip(members, levels * 3, strict=False):
        Evaluation.objects.filter(pk=evaluation.pk).update(
            status="decided", decided_level=level, score=80, decided_on=D(2021, 12, 9)
        )
    query = IndicatorQuery(t.city, D(2021, 1, 1), D(2021, 12, 31))
    from giamsat.indicators.registry import get_indicator

    share = get_indicator("evaluation.members.hoan_thanh_tot.share").compute(query)
    assert (share.numerator, share.denominator) == (4, 9)
    assert float(share.value) == pytest.approx(44.4)
    count = get_indicator("evaluation.members.hoan_thanh_tot")
    wards = [t.ward_a, t.ward_b]
    by_ward = count.breakdown(query, wards)
    assert sum(v.value for v in by_ward.values()) == count.compute(query).value
    # Another year's review does not count in 2021.
    assert count.compute(IndicatorQuery(t.city, D(2022, 1, 1), D(2022, 12, 31))).value == 0


def test_contradictions_and_quota_breaches_in_the_registry(city):
    from giamsat.indicators.registry import get_indicator

    t = city.tree
    campaign = campaign_2021(t.city)
    person = city.members[t.cell_a1.code][1]
    walk(subject(campaign, person), 85, on=D(2021, 12, 10))
    discipline(person, D(2021, 12, 20), body=t.cell_a1)
    query = IndicatorQuery(t.city, D(2021, 1, 1), D(2021, 12, 31))
    contradictions = get_indicator("evaluation.contradictions")
    assert [e.person for e in contradictions.records(query)] == [person]
    assert get_indicator("evaluation.contradictions.unexplained").compute(query).value == 1
    # Out of the subtree: nothing.
    other = IndicatorQuery(t.other, D(2021, 1, 1), D(2021, 12, 31))
    assert contradictions.compute(other).value == 0

    # Ward A: 1 "xuất sắc" for 0 "tốt" breaks the quota.
    other_member = subject(campaign, city.members[t.cell_a2.code][1])
    walk(other_member, 95, Level.HOAN_THANH_XUAT_SAC, reason="Thành tích đột xuất")
    breaches = get_indicator("evaluation.quota_breaches")
    (unit,) = breaches.records(query)
    assert unit == t.ward_a and (unit.excellent, unit.good) == (1, 1)
    assert breaches.breakdown(query, [t.ward_a, t.ward_b])[t.ward_a.pk].value == 1


def test_a_dashboard_counts_the_ratings_of_a_kind_in_one_query(city, django_assert_num_queries):
    from giamsat.indicators.registry import shared_reads

    t = city.tree
    campaign = campaign_2021(t.city)
    query = IndicatorQuery(t.city, D(2021, 1, 1), D(2021, 12, 31))
    members = [i for i in indicators("evaluation") if i.code.startswith("evaluation.members.")]
    assert len(members) == 9  # rated, four levels, four shares
    with shared_reads():
        members[0].compute(query)  # the subtree of the city, read once by the family query
        with django_assert_num_queries(0):
            for indicator in members[1:]:
                indicator.compute(query)
    campaign.delete()
