"""The three steps of a subject: self-assessment, proposal (with opinions), decision; who may
record each; reasons required above a cap; stale forms refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from giamsat.core.models import ConcurrentEditError
from giamsat.evaluation import rules, services
from giamsat.evaluation.models import EvaluationStatus
from giamsat.evaluation.rules import Level
from tests.evaluation.factories import assess, campaign_2021, discipline, subject, walk

pytestmark = pytest.mark.usefixtures("frozen")
D = dt.date


@pytest.fixture
def member(city):
    campaign = campaign_2021(city.tree.city)
    return subject(campaign, city.members[city.tree.cell_a1.code][1])


def test_self_assessment_scores_and_level(member, city):
    services.record_self_assessment(
        evaluation=member,
        expected_version=member.version,
        score_general="27.5",
        score_tasks=64,
        tasks=rules.Tasks(total=8, completed=8, on_time=8, exceeding=2),
        assessed_on=D(2021, 12, 2),
        note="Hoàn thành tốt nhiệm vụ được giao",
        acting_user=city.cell_user,
    )
    member.refresh_from_db()
    assert (member.score, member.self_level, member.status) == (
        Decimal("91.5"),
        Level.HOAN_THANH_XUAT_SAC,
        EvaluationStatus.SELF_ASSESSED,
    )
    assert member.self_assessed_by == city.cell_user


def test_the_score_frame_is_enforced(member):
    with pytest.raises(services.EvaluationError, match="general criteria score"):
        services.record_self_assessment(
            evaluation=member,
            expected_version=member.version,
            score_general=31,
            score_tasks=60,
            assessed_on=D(2021, 12, 2),
            acting_user=None,
        )


def test_a_cell_secretary_records_for_the_cell_only(city):
    t = city.tree
    campaign = campaign_2021(t.city)
    other = subject(campaign, city.members[t.cell_a2.code][1])
    with pytest.raises(services.NotAllowedError):
        services.record_self_assessment(
            evaluation=other,
            expected_version=other.version,
            score_general=25,
            score_tasks=55,
            assessed_on=D(2021, 12, 2),
            acting_user=city.cell_user,
        )


def test_proposal_records_the_opinions_used(member, city):
    assess(member, 85)
    member.refresh_from_db()
    services.propose(
        evaluation=member,
        expected_version=member.version,
        level=Level.HOAN_THANH_TOT,
        proposed_on=D(2021, 12, 5),
        note="Đã thẩm định bản tự kiểm điểm.",
        opinions=[
            services.OpinionSpec("Chi ủy nơi cư trú", "Gương mẫu ở khu dân cư", D(2021, 12, 3)),
            services.OpinionSpec("Ủy ban Kiểm tra Đảng ủy", "Không có đơn thư phản ánh"),
        ],
        acting_user=city.manager,
    )
    member.refresh_from_db()
    assert member.status == EvaluationStatus.PROPOSED and member.proposed_by == city.manager
    assert [o.source for o in member.opinions.all()] == [
        "Chi ủy nơi cư trú",
        "Ủy ban Kiểm tra Đảng ủy",
    ]


def test_an_opinion_needs_both_parts(member):
    assess(member, 85)
    member.refresh_from_db()
    with pytest.raises(services.EvaluationError, match="who gave it"):
        services.propose(
            evaluation=member,
            expected_version=member.version,
            level=Level.HOAN_THANH_TOT,
            proposed_on=D(2021, 12, 5),
            opinions=[services.OpinionSpec("Chi ủy", " ")],
            acting_user=None,
        )


def test_steps_come_in_order(member):
    with pytest.raises(services.EvaluationError, match="no self-assessment yet"):
        services.propose(
            evaluation=member,
            expected_version=member.version,
            level=Level.HOAN_THANH,
            proposed_on=D(2021, 12, 5),
            acting_user=None,
        )
    assess(member, 75)
    member.refresh_from_db()
    with pytest.raises(services.EvaluationError, match="no proposal yet"):
        services.decide(
            evaluation=member,
            expected_version=member.version,
            level=Level.HOAN_THANH_TOT,
            decided_on=D(2021, 12, 9),
            acting_user=None,
        )
    with pytest.raises(services.EvaluationError, match="cannot be before"):
        services.propose(
            evaluation=member,
            expected_version=member.version,
            level=Level.HOAN_THANH_TOT,
            proposed_on=D(2021, 11, 30),
            acting_user=None,
        )


def test_dates_cannot_be_in_the_future(member):
    with pytest.raises(services.EvaluationError, match="future"):
        services.record_self_assessment(
            evaluation=member,
            expected_version=member.version,
            score_general=25,
            score_tasks=55,
            assessed_on=D(2022, 12, 2),
            acting_user=None,
        )


def test_decision_by_the_competent_level_only(member, city):
    walk(member, 85, decide=False)
    member.refresh_from_db()
    with pytest.raises(services.NotAllowedError, match="competent level"):
        services.decide(
            evaluation=member,
            expected_version=member.version,
            level=Level.HOAN_THANH_TOT,
            decided_on=D(2021, 12, 9),
            acting_user=city.manager,  # manages evaluation but does not decide
        )
    services.decide(
        evaluation=member,
        expected_version=member.version,
        level=Level.HOAN_THANH_TOT,
        decided_on=D(2021, 12, 9),
        decision_symbol="Số 12 - QĐ/ĐU",
        acting_user=city.decider,
    )
    member.refresh_from_db()
    assert member.decided_level == Level.HOAN_THANH_TOT and member.decision_symbol == "12-QĐ/ĐU"


def test_the_city_is_decided_by_the_province_not_by_itself(city):
    t = city.tree
    campaign = campaign_2021(t.city)
    own = subject(campaign, t.city)
    for e in campaign.evaluations.filter(person__isnull=True).exclude(pk=own.pk):
        walk(e, 80)
    walk(own, 80, decide=False)
    own.refresh_from_db()
    with pytest.raises(services.NotAllowedError):
        services.decide(
            evaluation=own,
            expected_version=own.version,
            level=Level.HOAN_THANH_TOT,
            decided_on=D(2021, 12, 20),
            acting_user=city.decider,
        )


def test_a_stale_form_is_refused(member):
    """A form loaded before someone else's change is refused, and nothing is written."""
    stale = member.version
    assess(member, 80)
    member.refresh_from_db()
    with pytest.raises(ConcurrentEditError):
        services.propose(
            evaluation=member,
            expected_version=stale,
            level=Level.HOAN_THANH_TOT,
            proposed_on=D(2021, 12, 5),
            acting_user=None,
        )
    member.refresh_from_db()
    assert member.proposed_level == ""


def test_a_cap_from_discipline_needs_a_reason_to_override(member, city):
    """HD 21 Mục II điểm B tiết 2: disciplined in the year → proposed "không hoàn thành"."""
    discipline(member.person, D(2021, 6, 10), body=city.tree.cell_a1)
    assess(member, 86)
    member.refresh_from_db()
    with pytest.raises(services.EvaluationError, match="allow at most “did not complete tasks”"):
        services.propose(
            evaluation=member,
            expected_version=member.version,
            level=Level.HOAN_THANH_TOT,
            proposed_on=D(2021, 12, 5),
            acting_user=None,
        )
    services.propose(
        evaluation=member,
        expected_version=member.version,
        level=Level.KHONG_HOAN_THANH,
        proposed_on=D(2021, 12, 5),
        acting_user=None,
    )
    member.refresh_from_db()
    assert member.cap_level == Level.KHONG_HOAN_THANH
    assert member.caps[0]["kind"] == "disciplined" and member.caps[0]["records"]
    with pytest.raises(services.EvaluationError, match="Give the reason"):
        services.decide(
            evaluation=member,
            expected_version=member.version,
            level=Level.HOAN_THANH,
            decided_on=D(2021, 12, 9),
            acting_user=None,
        )
    services.decide(
        evaluation=member,
        expected_version=member.version,
        level=Level.HOAN_THANH,
        decided_on=D(2021, 12, 9),
        reason="Vi phạm đã được tính khi xếp loại năm 2020.",
        acting_user=None,
    )
    member.refresh_from_db()
    assert member.decided_level == Level.HOAN_THANH
    assert member.decision_reason.startswith("Vi phạm đã được tính")


def test_changing_a_decision_needs_a_reason(member):
    walk(member, 80)
    member.refresh_from_db()
    with pytest.raises(services.EvaluationError, match="changes the decision"):
        services.decide(
            evaluation=member,
            expected_version=member.version,
            level=Level.HOAN_THANH,
            decided_on=D(2021, 12, 20),
            acting_user=None,
        )


def test_a_closed_campaign_is_read_only(member, city):
    walk(member, 80, decide=False)
    campaign = member.campaign
    services.close_campaign(
        campaign=campaign, expected_version=campaign.version, acting_user=city.manager
    )
    member.refresh_from_db()
    with pytest.raises(services.EvaluationError, match="closed"):
        services.decide(
            evaluation=member,
            expected_version=member.version,
            level=Level.HOAN_THANH_TOT,
            decided_on=D(2021, 12, 20),
            acting_user=None,
        )
