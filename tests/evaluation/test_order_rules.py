"""Order of decisions (QĐ 124 Điều 11; QĐ 366 Điều 12): lower collectives before higher, the
leadership collective before its members, a unit before its head; batches decide in that order."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.evaluation import services
from giamsat.evaluation.models import EvaluationStatus
from giamsat.evaluation.rules import Level
from tests.evaluation.factories import assess, campaign_2021, subject, walk

pytestmark = pytest.mark.usefixtures("frozen")
D = dt.date


def _propose(evaluation, level=Level.HOAN_THANH_TOT):
    assess(evaluation, 80)
    evaluation.refresh_from_db()
    services.propose(
        evaluation=evaluation,
        expected_version=evaluation.version,
        level=level,
        proposed_on=D(2021, 12, 5),
        acting_user=None,
    )
    evaluation.refresh_from_db()
    return evaluation


def _decide(evaluation):
    evaluation.refresh_from_db()
    return services.decide(
        evaluation=evaluation,
        expected_version=evaluation.version,
        level=evaluation.proposed_level,
        decided_on=D(2021, 12, 10),
        acting_user=None,
    )


def test_lower_collectives_before_higher(city):
    t = city.tree
    campaign = campaign_2021(t.city)
    ward = _propose(subject(campaign, t.ward_a))
    for cell in (t.cell_a1, t.cell_a2):
        _propose(subject(campaign, cell))
    with pytest.raises(services.EvaluationError) as refused:
        _decide(ward)
    message = str(refused.value)
    assert "lower collectives before higher" in message
    assert "Chi bộ khu phố 1" in message and "Chi bộ khu phố 2" in message
    _decide(subject(campaign, t.cell_a1))
    _decide(subject(campaign, t.cell_a2))
    _decide(ward)
    assert subject(campaign, t.ward_a).status == EvaluationStatus.DECIDED


def test_a_unit_before_its_head(city):
    t = city.tree
    campaign = campaign_2021(t.city)
    head = _propose(subject(campaign, city.cell_secretary))
    _propose(subject(campaign, t.cell_a1))
    with pytest.raises(services.EvaluationError, match="a unit is evaluated before its head"):
        _decide(head)
    _decide(subject(campaign, t.cell_a1))
    _decide(head)


def test_the_leadership_collective_before_its_members(city):
    from giamsat.people.models import Post, PostKind

    t = city.tree
    member = city.members[t.cell_b1.code][1]
    Post.objects.create(
        person=member,
        unit=city.standing,
        kind=PostKind.MEMBER,
        title="Ủy viên Ban Thường vụ",
        valid_from=D(2020, 1, 1),
    )
    campaign = campaign_2021(t.city)
    individual = _propose(subject(campaign, member))
    _propose(subject(campaign, city.standing))
    with pytest.raises(services.EvaluationError, match="leadership collective is evaluated before"):
        _decide(individual)


def test_ordinary_members_have_no_order_constraint(city):
    t = city.tree
    campaign = campaign_2021(t.city)
    member = _propose(subject(campaign, city.members[t.cell_a1.code][2]))
    _decide(member)


def test_a_batch_decides_cells_then_members_then_heads(city):
    t = city.tree
    campaign = campaign_2021(t.city)
    everyone = list(campaign.evaluations.all())
    for evaluation in everyone:
        assess(evaluation, 80)
    services.propose_batch(evaluations=everyone, proposed_on=D(2021, 12, 5), acting_user=None)
    result = services.decide_batch(
        evaluations=everyone, decided_on=D(2021, 12, 10), acting_user=None
    )
    # Everything below the city is decided in one go, in order; the city waits for the province
    # and its standing committee (both decided above the city) — all in this batch too.
    assert result.skipped == []
    assert not campaign.evaluations.exclude(status=EvaluationStatus.DECIDED).exists()


def test_a_batch_skips_what_the_order_stops(city):
    t = city.tree
    campaign = campaign_2021(t.city)
    head = subject(campaign, city.ward_secretary)
    ward = subject(campaign, t.ward_a)
    for evaluation in (head, ward):
        assess(evaluation, 80)
    services.propose_batch(evaluations=[head, ward], proposed_on=D(2021, 12, 5), acting_user=None)
    result = services.decide_batch(
        evaluations=[head, ward], decided_on=D(2021, 12, 10), acting_user=None
    )
    # The ward waits for its cells (not proposed), so its head waits too.
    assert result.done == 0
    reasons = {e.pk: r for e, r in result.skipped}
    assert "lower collectives before higher" in reasons[ward.pk]
    assert "before its head" in reasons[head.pk]


def test_a_batch_skips_a_subject_whose_records_changed(city):
    from tests.evaluation.factories import discipline

    t = city.tree
    campaign = campaign_2021(t.city)
    person = city.members[t.cell_a1.code][2]
    evaluation = walk(subject(campaign, person), 82, decide=False, on=D(2021, 12, 10))
    discipline(person, D(2021, 12, 8), body=t.cell_a1)  # decided after the proposal
    result = services.decide_batch(
        evaluations=[evaluation], decided_on=D(2021, 12, 10), acting_user=None
    )
    assert result.done == 0 and "now allow at most" in result.skipped[0][1]
