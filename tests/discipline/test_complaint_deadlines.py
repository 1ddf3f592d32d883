"""Complaints against a disciplinary decision: filed within one month of receiving it, answered
within the limit of the level (core.deadlines rules discipline_complaint.*), final levels, the
outcome (upheld, changed, annulled) and rehabilitation (QĐ 117-QĐ/TW)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from giamsat.core.dates import today
from giamsat.core.deadlines import add_working_days
from giamsat.discipline import services as s
from giamsat.discipline.models import (
    AppealLevel,
    AppealOutcome,
    BallotPurpose,
    CaseStatus,
    DecisionStatus,
    DisciplineCase,
)
from giamsat.discipline.rules import Form
from tests.discipline.conftest import group

D = dt.date
RECEIVED = D(2021, 7, 15)
DECIDED = D(2021, 7, 12)


@pytest.fixture
def decided(tree, members):
    def make(received=RECEIVED, decided=DECIDED, form=Form.CANH_CAO):
        member = members[tree.cell_a1.code][0]
        case = s.open_discipline_case(
            person=member, opened_on=decided - dt.timedelta(days=40), summary="x", acting_user=None
        )
        s.add_violation(
            case=case,
            group=group(on=decided - dt.timedelta(days=60)),
            description="x",
            started_on=decided - dt.timedelta(days=90),
            ended_on=decided - dt.timedelta(days=60),
            acting_user=None,
        )
        s.record_ballot(
            case=case,
            expected_version=case.version,
            body=tree.cell_a1,
            held_on=decided,
            purpose=BallotPurpose.DECIDE,
            total_members=9,
            present=9,
            votes={form: 6},
            acting_user=None,
        )
        case.refresh_from_db()
        return s.record_decision(
            case=case,
            expected_version=case.version,
            form=form,
            deciding_unit=tree.cell_a1,
            decided_on=decided,
            received_on=received,
            symbol="05-QĐ/CB",
            acting_user=None,
        )

    return make


def test_one_month_to_file_moved_past_a_weekend(decided, tree):
    """Received Thu 15/07/2021: 30 days end Sat 14/08/2021, moved to Mon 16/08/2021 (Điều lệ
    Điều 39 khoản 7; BLDS 2015 Điều 148 khoản 5)."""
    decision = decided()
    appeal = s.file_appeal(
        decision=decision,
        filed_on=D(2021, 8, 16),
        received_on=D(2021, 8, 17),
        resolving_unit=tree.ward_a,
        level=AppealLevel.FIRST,
        grounds="Nặng",
        acting_user=None,
    )
    assert appeal.filing_due == D(2021, 8, 16) and appeal.filed_in_time
    assert appeal.outcome == AppealOutcome.PENDING
    # QĐ 22 era: 90 working days from the resolving body's receipt (value kept from QĐ 30).
    assert appeal.resolution_due == add_working_days(D(2021, 8, 17), 90)
    assert "QĐ 22-QĐ/TW Điều 22" in appeal.deadline_explanation
    assert "UNCONFIRMED" in appeal.deadline_explanation


def test_a_late_complaint_is_recorded_as_not_accepted(decided, tree):
    """Filed after the month: kept, marked not accepted (QĐ 296 Điều 23)."""
    decision = decided()
    appeal = s.file_appeal(
        decision=decision,
        filed_on=D(2021, 8, 17),
        received_on=D(2021, 8, 18),
        resolving_unit=tree.ward_a,
        level=AppealLevel.FIRST,
        grounds="x",
        acting_user=None,
    )
    assert not appeal.filed_in_time and appeal.outcome == AppealOutcome.INADMISSIBLE


def test_after_2025_the_qd_296_rule_is_cited(decided, tree):
    """A decision received after 30/05/2025 is judged by the QĐ 296 rows (unconfirmed)."""
    decision = decided(received=D(2025, 9, 2), decided=D(2025, 8, 28))
    appeal = s.file_appeal(
        decision=decision,
        filed_on=D(2025, 9, 10),
        received_on=D(2025, 9, 11),
        resolving_unit=tree.ward_a,
        level=AppealLevel.FIRST,
        grounds="x",
        acting_user=None,
    )
    assert "QĐ 296-QĐ/TW Điều 25" in appeal.deadline_explanation
    assert appeal.filing_due == D(2025, 10, 2)


def test_a_pending_complaint_becomes_overdue(decided, tree):
    """With time frozen after the limit, the complaint is overdue."""
    decision = decided()
    appeal = s.file_appeal(
        decision=decision,
        filed_on=D(2021, 8, 2),
        received_on=D(2021, 8, 3),
        resolving_unit=tree.ward_a,
        level=AppealLevel.FIRST,
        grounds="x",
        acting_user=None,
    )
    with time_machine.travel(dt.datetime(2021, 9, 1, 9, tzinfo=dt.UTC), tick=False):
        assert not appeal.is_overdue(today())
    with time_machine.travel(dt.datetime(2022, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        assert appeal.is_overdue(today())


def test_changed_on_complaint_a_new_decision_replaces_the_old(decided, tree):
    """Form changed: the old decision is marked changed, the new one is in force."""
    decision = decided()
    appeal = s.file_appeal(
        decision=decision,
        filed_on=D(2021, 8, 2),
        received_on=D(2021, 8, 3),
        resolving_unit=tree.ward_a,
        level=AppealLevel.FIRST,
        grounds="x",
        acting_user=None,
    )
    with pytest.raises(s.DisciplineError, match="still being resolved"):
        s.file_appeal(
            decision=decision,
            filed_on=D(2021, 8, 4),
            received_on=D(2021, 8, 4),
            resolving_unit=tree.ward_a,
            level=AppealLevel.FIRST,
            grounds="y",
            acting_user=None,
        )
    s.resolve_appeal(
        appeal=appeal,
        outcome=AppealOutcome.CHANGED,
        resolved_on=D(2021, 10, 1),
        new_form=Form.KHIEN_TRACH,
        new_symbol="21-QĐ/UBKT",
        note="Giảm hình thức",
        acting_user=None,
    )
    case = DisciplineCase.objects.get(pk=decision.case_id)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.CHANGED
    assert case.current_form == "khien_trach" and case.status == CaseStatus.DECIDED
    assert case.current_decision.replaces == decision


def test_the_final_level_closes_the_matter(decided, tree):
    """After the final level answered, no further complaint is accepted."""
    decision = decided()
    appeal = s.file_appeal(
        decision=decision,
        filed_on=D(2021, 8, 2),
        received_on=D(2021, 8, 3),
        resolving_unit=tree.central_inspection,
        level=AppealLevel.FINAL,
        grounds="x",
        acting_user=None,
    )
    s.resolve_appeal(
        appeal=appeal,
        outcome=AppealOutcome.UPHELD,
        resolved_on=D(2021, 10, 1),
        note="Giữ nguyên",
        acting_user=None,
    )
    with pytest.raises(s.DisciplineError, match="final level"):
        s.file_appeal(
            decision=decision,
            filed_on=D(2021, 8, 10),
            received_on=D(2021, 10, 5),
            resolving_unit=tree.central_inspection,
            level=AppealLevel.FINAL,
            grounds="x",
            acting_user=None,
        )


def test_annulled_then_rehabilitated(decided, tree):
    """A wrongful decision annulled on complaint: the case no longer counts as disciplined and
    the rehabilitation (QĐ 117) is recorded."""
    decision = decided()
    with pytest.raises(s.DisciplineError, match="annulled or changed"):
        s.record_rehabilitation(
            decision=decision,
            by_unit=tree.cell_a1,
            decided_on=D(2021, 12, 1),
            rights_restored="x",
            acting_user=None,
        )
    appeal = s.file_appeal(
        decision=decision,
        filed_on=D(2021, 8, 2),
        received_on=D(2021, 8, 3),
        resolving_unit=tree.ward_a,
        level=AppealLevel.FIRST,
        grounds="Oan",
        acting_user=None,
    )
    s.resolve_appeal(
        appeal=appeal,
        outcome=AppealOutcome.ANNULLED,
        resolved_on=D(2021, 10, 1),
        note="Hủy quyết định",
        acting_user=None,
    )
    assert not DisciplineCase.objects.disciplined().filter(pk=decision.case_id).exists()
    rehab = s.record_rehabilitation(
        decision=decision,
        by_unit=tree.cell_a1,
        decided_on=D(2021, 11, 1),
        apology_on=D(2021, 11, 5),
        rights_restored="Xóa kỷ luật khỏi hồ sơ",
        acting_user=None,
    )
    assert rehab.decision == decision
