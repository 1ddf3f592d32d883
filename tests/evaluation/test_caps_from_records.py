"""Caps come from real discipline and inspection records, as they stood on the day of the step;
decisions taken before a record appears show up later as contradictions."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.discipline import services as ds
from giamsat.discipline.models import AppealLevel, AppealOutcome
from giamsat.discipline.rules import Form
from giamsat.evaluation import facts
from giamsat.evaluation.models import Evaluation
from giamsat.evaluation.rules import CapKind, Level
from tests.evaluation.factories import campaign_2021, conclude_finding, discipline, subject, walk

pytestmark = pytest.mark.usefixtures("frozen")
D = dt.date


def _caps(campaign, obj, as_of=None):
    evaluation = subject(campaign, obj)
    return facts.caps_by_evaluation(campaign, [evaluation], as_of).get(evaluation.pk, ())


def test_a_disciplined_member(city):
    t = city.tree
    person = city.members[t.cell_a1.code][1]
    case = discipline(person, D(2021, 4, 2), body=t.cell_a1)
    campaign = campaign_2021(t.city)
    (cap,) = _caps(campaign, person)
    assert (cap.kind, cap.max_level) == (CapKind.DISCIPLINED, Level.KHONG_HOAN_THANH)
    assert [r.id for r in cap.records] == [case.pk]
    assert "khiển trách" in cap.records[0].label


def test_discipline_of_another_year_does_not_count(city):
    t = city.tree
    person = city.members[t.cell_a1.code][1]
    discipline(person, D(2020, 11, 2), body=t.cell_a1)
    assert _caps(campaign_2021(t.city), person) == ()


def test_an_annulled_decision_does_not_count(city):
    t = city.tree
    person = city.members[t.cell_a1.code][1]
    case = discipline(person, D(2021, 4, 2), body=t.cell_a1)
    appeal = ds.file_appeal(
        decision=case.current_decision,
        filed_on=D(2021, 4, 10),
        received_on=D(2021, 4, 11),
        resolving_unit=t.city_inspection,
        level=AppealLevel.FIRST,
        grounds="Không đúng",
        acting_user=None,
    )
    ds.resolve_appeal(
        appeal=appeal,
        outcome=AppealOutcome.ANNULLED,
        resolved_on=D(2021, 5, 20),
        note="Hủy",
        acting_user=None,
    )
    assert _caps(campaign_2021(t.city), person) == ()


def test_a_disciplined_cell_and_its_ward(city):
    """The cell itself: không hoàn thành; the ward above it cannot be xuất sắc (QĐ 366 Điều 11
    khoản 1.1 wording, the default for 2021)."""
    t = city.tree
    discipline(t.cell_a1, D(2021, 7, 21), body=t.ward_a)
    campaign = campaign_2021(t.city)
    assert [c.max_level for c in _caps(campaign, t.cell_a1)] == [Level.KHONG_HOAN_THANH]
    (ward_cap,) = _caps(campaign, t.ward_a)
    assert (ward_cap.kind, ward_cap.max_level) == (
        CapKind.SUBORDINATE_DISCIPLINED,
        Level.HOAN_THANH_TOT,
    )
    assert _caps(campaign, t.city) == ()  # not directly subordinate


def test_a_disciplined_leadership_member(city):
    """HD 21 tiết 3: a leadership member disciplined from cảnh cáo → the collective không hoàn
    thành; the head of the cell is its leadership."""
    t = city.tree
    discipline(city.cell_secretary, D(2021, 3, 2), Form.CANH_CAO, body=t.cell_a1)
    campaign = campaign_2021(t.city)
    (cap,) = _caps(campaign, t.cell_a1)
    assert (cap.kind, cap.max_level) == (CapKind.LEADERSHIP_DISCIPLINED, Level.KHONG_HOAN_THANH)
    # The ward secretary is not disciplined: the ward has no cap.
    assert _caps(campaign, t.ward_a) == ()


def test_a_finding_of_degradation_or_prohibition(city):
    t = city.tree
    person = city.members[t.cell_a2.code][2]
    conclude_finding(person, t.city_inspection, D(2021, 9, 1))
    conclude_finding(person, t.city_inspection, D(2021, 11, 1), catalogue="qd37-19", code="Điều 2")
    kinds = {c.kind for c in _caps(campaign_2021(t.city), person)}
    assert kinds == {CapKind.DEGRADATION, CapKind.PROHIBITION}


def test_a_leadership_member_concluded_to_show_degradation(city):
    t = city.tree
    conclude_finding(city.ward_secretary, t.city_inspection, D(2021, 9, 1))
    (cap,) = _caps(campaign_2021(t.city), t.ward_a)
    assert cap.kind == CapKind.LEADERSHIP_DEGRADATION


def test_records_after_the_step_are_not_read_at_the_step(city):
    t = city.tree
    person = city.members[t.cell_a1.code][1]
    discipline(person, D(2021, 12, 20), body=t.cell_a1)
    campaign = campaign_2021(t.city)
    assert _caps(campaign, person, as_of=D(2021, 12, 10)) == ()
    assert _caps(campaign, person, as_of=D(2021, 12, 31))


def test_a_record_after_the_decision_is_a_contradiction_without_reason(city):
    """Rated "tốt" on 10/12, disciplined on 20/12 of the same year: listed, no reason."""
    t = city.tree
    person = city.members[t.cell_a1.code][1]
    campaign = campaign_2021(t.city)
    evaluation = walk(subject(campaign, person), 85, on=D(2021, 12, 10))
    assert facts.contradiction_ids(Evaluation.objects.filter(campaign=campaign)) == {}
    discipline(person, D(2021, 12, 20), body=t.cell_a1)
    found = facts.contradiction_ids(Evaluation.objects.filter(campaign=campaign))
    assert found == {evaluation.pk: Level.KHONG_HOAN_THANH}
    assert evaluation.decision_reason == ""


def test_an_override_with_a_reason_stays_a_listed_contradiction(city):
    t = city.tree
    person = city.members[t.cell_a1.code][1]
    discipline(person, D(2021, 6, 2), body=t.cell_a1)
    campaign = campaign_2021(t.city)
    evaluation = walk(subject(campaign, person), 85, Level.HOAN_THANH, reason="Đã tính năm 2020")
    assert evaluation.decision_reason == "Đã tính năm 2020"
    assert evaluation.pk in facts.contradiction_ids(Evaluation.objects.filter(campaign=campaign))
