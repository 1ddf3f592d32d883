"""The "xuất sắc" quota: the advisory body's batch keeps proposals within it (best scores
first, explained); a decision that breaks it needs a reason; administrators configure the
share; under QĐ 366 an outstanding organisation may get up to 25 % by a recorded decision."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from giamsat.evaluation import facts, services
from giamsat.evaluation.models import Evaluation
from giamsat.evaluation.rules import Level
from tests.evaluation.factories import assess, campaign_2021, subject
from tests.factories import make_member

pytestmark = pytest.mark.usefixtures("frozen")
D = dt.date


@pytest.fixture
def ward(city):
    """Ward B with 12 members in its cell: 10 self-assess "tốt", 3 "xuất sắc" (92, 95, 98)."""
    t = city.tree
    people = [*city.members[t.cell_b1.code], *(make_member(t.cell_b1) for _ in range(10))]
    campaign = campaign_2021(t.city)
    scores = [80] * 10 + [92, 95, 98]
    evaluations = [subject(campaign, p) for p in people]
    for evaluation, score in zip(evaluations, scores, strict=True):
        assess(evaluation, score)
    return campaign, evaluations


def test_batch_proposals_keep_the_quota(ward):
    campaign, evaluations = ward
    services.propose_batch(evaluations=evaluations, proposed_on=D(2021, 12, 5), acting_user=None)
    levels = {
        e.score: e.proposed_level
        for e in Evaluation.objects.filter(pk__in=[e.pk for e in evaluations], score__gt=90)
    }
    # 20 % of the "tốt" count: 2 of 11 allowed → the two best stay xuất sắc.
    assert levels == {
        Decimal("92.0"): Level.HOAN_THANH_TOT,
        Decimal("95.0"): Level.HOAN_THANH_XUAT_SAC,
        Decimal("98.0"): Level.HOAN_THANH_XUAT_SAC,
    }
    demoted = Evaluation.objects.get(pk__in=[e.pk for e in evaluations], score=Decimal(92))
    assert "Quota" in demoted.proposal_note and "HD 21-HD/BTCTW" in demoted.proposal_note
    (row,) = [
        r
        for r in facts.quota_rows(campaign)
        if r.group_id == demoted.quota_group_id and r.subject_kind == "individual"
    ]
    assert row.check.ok and (row.check.excellent, row.check.good) == (2, 11)


def test_a_decision_breaking_the_quota_needs_a_reason(ward):
    campaign, evaluations = ward
    services.propose_batch(evaluations=evaluations, proposed_on=D(2021, 12, 5), acting_user=None)
    services.decide_batch(evaluations=evaluations, decided_on=D(2021, 12, 9), acting_user=None)
    demoted = Evaluation.objects.get(pk__in=[e.pk for e in evaluations], score=Decimal(92))
    with pytest.raises(services.EvaluationError, match="breaks the quota"):
        services.decide(
            evaluation=demoted,
            expected_version=demoted.version,
            level=Level.HOAN_THANH_XUAT_SAC,
            decided_on=D(2021, 12, 12),
            acting_user=None,
        )
    services.decide(
        evaluation=demoted,
        expected_version=demoted.version,
        level=Level.HOAN_THANH_XUAT_SAC,
        decided_on=D(2021, 12, 12),
        reason="Thành tích đột xuất",
        acting_user=None,
    )
    breaches = facts.quota_breach_groups(Evaluation.objects.filter(campaign=campaign))
    assert [key[1] for key in breaches] == [demoted.quota_group_id]


def test_the_administrator_sets_the_share(ward, city):
    campaign, evaluations = ward
    with pytest.raises(services.NotAllowedError):
        services.set_quota(
            rule_set="qd132-hd21", share_pct=30, source="x", acting_user=city.manager
        )
    services.set_quota(
        rule_set="qd132-hd21", share_pct=30, source="Công văn của Tỉnh ủy", acting_user=city.admin
    )
    services.propose_batch(evaluations=evaluations, proposed_on=D(2021, 12, 5), acting_user=None)
    assert (
        Evaluation.objects.filter(
            pk__in=[e.pk for e in evaluations], proposed_level=Level.HOAN_THANH_XUAT_SAC
        ).count()
        == 3
    )  # 30 % of 10 allows 3
    (row,) = [
        r
        for r in facts.quota_rows(campaign)
        if r.subject_kind == "individual" and r.group_id == city.tree.ward_b.pk
    ]
    assert row.check.source == "Công văn của Tỉnh ủy" and row.check.unconfirmed


def test_outstanding_organisations_only_under_qd_366(ward, city):
    campaign, _ = ward
    with pytest.raises(services.EvaluationError, match="no higher quota"):
        services.record_outstanding_decision(
            campaign=campaign,
            unit=city.tree.ward_b,
            share_pct=25,
            decision_symbol="Số 10-QĐ/TU",
            decided_on=D(2021, 12, 1),
            reason="Thành tích",
            acting_user=None,
        )


def test_outstanding_organisation_up_to_25_percent(city):
    t = city.tree
    with time_machine.travel(dt.datetime(2026, 1, 20, tzinfo=dt.UTC), tick=False):
        campaign = services.create_campaign(organiser=t.city, year=2025, acting_user=None)
        with pytest.raises(services.EvaluationError, match="may not exceed 25"):
            services.record_outstanding_decision(
                campaign=campaign,
                unit=t.ward_b,
                share_pct=30,
                decision_symbol="Số 10-QĐ/TU",
                decided_on=D(2025, 12, 20),
                reason="Thành tích",
                acting_user=None,
            )
        decision = services.record_outstanding_decision(
            campaign=campaign,
            unit=t.ward_b,
            share_pct=25,
            decision_symbol="Số 10 - QĐ/TU",
            decided_on=D(2025, 12, 20),
            reason="Hoàn thành vượt kế hoạch",
            acting_user=city.decider,
        )
    assert decision.decision_symbol == "10-QĐ/TU"
    for i, evaluation in enumerate(
        campaign.evaluations.filter(quota_group=t.ward_b, person__isnull=False)
    ):
        evaluation.decided_level = Level.HOAN_THANH_TOT if i else Level.HOAN_THANH_XUAT_SAC
        evaluation.proposed_level = evaluation.decided_level
        evaluation.status = "decided"
        evaluation.score = 80
        evaluation.save()
    (row,) = [
        r
        for r in facts.quota_rows(campaign)
        if r.group_id == t.ward_b.pk and r.subject_kind == "individual"
    ]
    assert row.check.share_pct == 25 and row.outstanding == decision
