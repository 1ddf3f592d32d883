"""The demo's 2021 review of the city: every cell and committee reviewed and every member rated
under QĐ 132 + HD 21; the discipline demo's records show up as caps; quota and contradictions
in the registry; figures equal their drill-downs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from giamsat.core.demo import DemoContext
from giamsat.discipline.models import DisciplineCase
from giamsat.evaluation import facts
from giamsat.evaluation.models import Campaign, Evaluation, EvaluationStatus
from giamsat.evaluation.rules import Level
from giamsat.indicators.registry import IndicatorQuery, get_indicator, indicators
from giamsat.people.models import Membership
from giamsat.units.models import Unit

pytestmark = pytest.mark.slow
D = dt.date


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo up to this app, loaded once for the module and rolled back."""
    from importlib import import_module

    with django_db_blocker.unblock(), transaction.atomic():
        ctx = DemoContext(verbose=False)
        for app in (
            "units",
            "people",
            "directives",
            "accounts",
            "oversight",
            "discipline",
            "evaluation",
        ):
            import_module(f"giamsat.{app}.demo").load(ctx)
        yield ctx
        transaction.set_rollback(True)


@pytest.fixture
def campaign(demo, db):
    return Campaign.objects.get()


def test_every_cell_committee_and_member_of_the_city_is_rated(campaign, demo):
    city = Unit.objects.get(code="TP")
    day = D(2021, 12, 31)
    assert campaign.rule_set == "qd132-hd21" and campaign.organiser == city
    subtree = Unit.objects.subtree_of(city, day)
    reviewed = set(campaign.evaluations.collectives().values_list("unit_id", flat=True))
    assert set(subtree.cells().values_list("pk", flat=True)) <= reviewed
    assert set(subtree.filter(kind="grassroots_org").values_list("pk", flat=True)) <= reviewed
    assert Unit.objects.get(code="TP-STANDI").pk in reviewed and city.pk in reviewed
    members = set(
        Membership.objects.valid_on(day)
        .filter(kind="regular", unit__in=subtree.cells())
        .values_list("person_id", flat=True)
    )
    assert set(campaign.evaluations.individuals().values_list("person_id", flat=True)) == members
    assert not campaign.evaluations.exclude(status=EvaluationStatus.DECIDED).exists()


def test_discipline_records_show_up_as_caps(campaign):
    city = Unit.objects.get(code="TP")
    disciplined = DisciplineCase.objects.disciplined().filter(
        decided_on__year=2021, person__isnull=False
    )
    in_city = [
        c.person_id
        for c in disciplined
        if Unit.objects.subtree_of(city, D(2021, 12, 31)).filter(pk=c.unit_id).exists()
    ]
    assert len(in_city) >= 5
    rated = Evaluation.objects.filter(campaign=campaign, person_id__in=in_city)
    assert rated.count() == len(in_city)
    assert set(rated.values_list("cap_level", flat=True)) == {Level.KHONG_HOAN_THANH}
    assert set(rated.values_list("proposed_level", flat=True)) == {Level.KHONG_HOAN_THANH}
    # Two were decided "hoàn thành" with a recorded reason.
    overridden = rated.exclude(decided_level=Level.KHONG_HOAN_THANH)
    assert overridden.count() == 2 and all(e.decision_reason for e in overridden)
    # The disciplined cell, and its ward capped below "xuất sắc".
    cell = DisciplineCase.objects.disciplined().get(subject_kind="organisation").organisation
    own = Evaluation.objects.get(campaign=campaign, unit=cell, person__isnull=True)
    assert own.decided_level == Level.KHONG_HOAN_THANH
    ward = Evaluation.objects.get(campaign=campaign, unit=Unit.objects.get(code="TP-DONGVE"))
    assert (ward.self_level, ward.cap_level, ward.decided_level) == (
        Level.HOAN_THANH_XUAT_SAC,
        Level.HOAN_THANH_TOT,
        Level.HOAN_THANH_TOT,
    )


def test_quota_contradictions_and_figures(campaign):
    city = Unit.objects.get(code="TP")
    query = IndicatorQuery(city, D(2021, 1, 1), D(2021, 12, 31))
    for indicator in indicators("evaluation"):
        value = indicator.compute(query)
        records = indicator.records(query).count()
        assert (value.numerator if indicator.is_rate else value.value) == records, indicator.code
    assert get_indicator("evaluation.members.rated").compute(query).value > 10000
    assert get_indicator("evaluation.contradictions").compute(query).value >= 3
    assert get_indicator("evaluation.contradictions.unexplained").compute(query).value >= 1
    breaches = list(get_indicator("evaluation.quota_breaches").records(query))
    assert [u.code for u in breaches] == ["TP-BADINH"]
    # Apart from the one overridden ward, every group keeps the quota.
    rows = facts.quota_rows(campaign, decided_only=True)
    assert [r.group_id for r in rows if not r.check.ok] == [breaches[0].pk]
    share = get_indicator("evaluation.members.hoan_thanh_xuat_sac.share").compute(query)
    assert 0 < share.value <= 20


def test_the_review_session_and_its_commitment(campaign):
    session = campaign.sessions.get()
    assert session.points.count() == 4
    assert session.points.filter(commitment__isnull=False).count() == 1
