"""Opening a campaign lists every collective and every member of the organiser's subtree, with
the competent level, the advisory body, the quota group, the category and the deadlines."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.evaluation import services
from giamsat.evaluation.models import Evaluation
from giamsat.evaluation.rules import Category, CollectiveKind, PeriodKind
from giamsat.people.models import Membership
from giamsat.units.models import OrganKind, UnitKind
from tests.evaluation.factories import campaign_2021, subject
from tests.factories import make_unit

pytestmark = pytest.mark.usefixtures("frozen")


def test_collectives_and_members_of_the_subtree(city):
    t = city.tree
    campaign = campaign_2021(t.city)
    collectives = set(
        Evaluation.objects.filter(campaign=campaign, person__isnull=True).values_list(
            "unit_id", flat=True
        )
    )
    # The city, its standing committee, wards and cells; not the inspection commission.
    assert collectives == {
        t.city.pk, city.standing.pk, t.ward_a.pk, t.ward_b.pk, t.cell_a1.pk, t.cell_a2.pk, t.cell_b1.pk
    }  # fmt: skip
    people = set(
        Evaluation.objects.filter(campaign=campaign, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    expected = {
        p.pk
        for code in (t.cell_a1.code, t.cell_a2.code, t.cell_b1.code)
        for p in city.members[code]
    }
    assert people == expected  # members of Sầm Sơn are not in the city's review
    assert campaign.rule_set == "qd132-hd21"
    assert campaign.sessions_due == dt.date(2021, 12, 31)


def test_competent_levels(city):
    """HD 43: the standing committee directly above decides an organisation; members are decided
    by their grassroots organisation."""
    t = city.tree
    campaign = campaign_2021(t.city)
    assert subject(campaign, t.ward_a).deciding_unit == city.standing
    assert subject(campaign, t.cell_a1).deciding_unit == t.ward_a  # no standing committee there
    assert subject(campaign, t.cell_a1).collective_kind == CollectiveKind.CELL
    assert subject(campaign, t.ward_a).collective_kind == CollectiveKind.COMMITTEE
    assert subject(campaign, city.standing).collective_kind == CollectiveKind.STANDING_COMMITTEE
    # The city and its standing committee are decided above the city (the province).
    assert subject(campaign, t.city).deciding_unit == t.province
    assert subject(campaign, city.standing).deciding_unit == t.province
    member = subject(campaign, city.members[t.cell_b1.code][1])
    assert member.deciding_unit == t.ward_b and member.quota_group == t.ward_b
    assert subject(campaign, t.cell_a1).quota_group == t.ward_a
    assert subject(campaign, t.ward_a).quota_group == t.city


def test_advisory_body_is_the_organisation_commission_of_the_deciding_committee(city):
    t = city.tree
    commission = make_unit(
        "Ban Tổ chức Thành ủy", UnitKind.ORGAN, t.city, organ_kind=OrganKind.ORGANISATION_COMMISSION
    )
    campaign = campaign_2021(t.city)
    assert subject(campaign, t.ward_a).advisory_unit == commission
    assert subject(campaign, t.cell_a1).advisory_unit is None


def test_categories(city):
    """Form 2A for post holders; 2B in agencies and armed forces; 2C for the others."""
    t = city.tree
    t.ward_b.grassroots_type = "cơ quan"
    t.ward_b.save()
    campaign = campaign_2021(t.city)
    assert subject(campaign, city.cell_secretary).category == Category.LEADER
    assert subject(campaign, city.members[t.cell_a1.code][1]).category == Category.OUTSIDE
    assert subject(campaign, city.members[t.cell_b1.code][1]).category == Category.STAFF


def test_members_who_left_before_the_year_end_are_not_listed(city):
    t = city.tree
    leaver = city.members[t.cell_a1.code][2]
    Membership.objects.filter(person=leaver).update(valid_to=dt.date(2021, 6, 30))
    campaign = campaign_2021(t.city)
    assert not Evaluation.objects.filter(campaign=campaign, person=leaver).exists()


def test_a_subject_is_reviewed_once_per_period(city):
    t = city.tree
    campaign_2021(t.ward_a)
    with pytest.raises(services.EvaluationError, match="already reviewed for this period"):
        campaign_2021(t.city)
    assert Evaluation.objects.filter(campaign__organiser=t.city).count() == 0  # nothing written


def test_generating_again_adds_only_what_is_missing(city):
    t = city.tree
    campaign = campaign_2021(t.city)
    count = campaign.evaluations.count()
    assert services.generate_subjects(campaign=campaign, acting_user=None) == 0
    assert campaign.evaluations.count() == count


def test_quarterly_reviews_need_qd_366(city):
    t = city.tree
    with pytest.raises(services.EvaluationError, match="annual reviews only"):
        services.create_campaign(
            organiser=t.city, year=2021, period_kind=PeriodKind.QUARTER, quarter=2, acting_user=None
        )


def test_a_quarterly_review_under_qd_366(city, tree):
    import time_machine

    with time_machine.travel(dt.datetime(2026, 1, 5, tzinfo=dt.UTC), tick=False):
        campaign = services.create_campaign(
            organiser=tree.ward_a, year=2025, period_kind="quarter", quarter=4, acting_user=None
        )
    assert (campaign.period_start, campaign.period_end) == (
        dt.date(2025, 10, 1),
        dt.date(2025, 12, 31),
    )
    assert campaign.rule_set == "qd366-hd43" and "4/2025" in campaign.title


def test_special_units_finish_by_15_january(city, tree):
    """HD 43 mục 4.1: units with a special calendar finish before 15/01 of the next year."""
    import time_machine

    with time_machine.travel(dt.datetime(2026, 1, 5, tzinfo=dt.UTC), tick=False):
        campaign = services.create_campaign(
            organiser=tree.ward_a, year=2025, special_units=True, acting_user=None
        )
    assert campaign.sessions_due == dt.date(2026, 1, 15)
    assert campaign.deadlines().files_by == dt.date(2026, 2, 1)


def test_a_cell_or_organ_cannot_organise_above_itself(city):
    with pytest.raises(services.EvaluationError, match="party organisation"):
        campaign_2021(city.standing)


def test_only_those_who_manage_evaluation_may_open_a_campaign(city):
    t = city.tree
    with pytest.raises(services.NotAllowedError):
        services.create_campaign(organiser=t.city, year=2021, acting_user=city.decider)
    with pytest.raises(services.NotAllowedError):
        services.create_campaign(organiser=t.city, year=2021, acting_user=city.outsider)
    campaign = services.create_campaign(organiser=t.city, year=2021, acting_user=city.manager)
    assert campaign.created_by == city.manager
