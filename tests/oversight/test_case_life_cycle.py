"""A case goes through its three phases: decision → plan → explanatory report → verification
→ draft result → conclusion → notice, with subjects, team, coded findings and the conclusion."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.core.models import ConcurrentEditError
from giamsat.oversight import services as s
from giamsat.oversight.models import (
    Case,
    CaseKind,
    CaseStatus,
    CatalogueItem,
    FindingKind,
    Phase,
    StepKind,
    TeamRole,
)
from tests.oversight.conftest import make_case

D = dt.date


def test_whole_life_cycle_of_a_thematic_supervision(tree, members, standing):
    """Each step moves the phase on; concluding records the conclusion step and freezes it."""
    head = members[tree.cell_a1.code][0]
    case = make_case(
        standing,
        subjects=[tree.ward_a, head],
        decision_symbol="Số 12 - QĐ/TU",
        team=[s.TeamSpec(TeamRole.HEAD, name="Nguyễn Văn Trưởng đoàn")],
    )
    assert case.decision_symbol == "12-QĐ/TU"  # normalised by directives.symbols
    assert case.phase() == Phase.PREPARATION
    assert list(case.steps.values_list("kind", flat=True)) == [StepKind.DECISION]
    s.record_step(case=case, kind=StepKind.PLAN, date=D(2021, 3, 3), acting_user=None)
    s.record_step(
        case=case, kind=StepKind.EXPLANATORY_REPORT, date=D(2021, 3, 20), acting_user=None
    )
    assert case.phase() == Phase.EXECUTION
    s.record_step(case=case, kind=StepKind.VERIFICATION, date=D(2021, 4, 2), acting_user=None)
    s.record_step(case=case, kind=StepKind.DRAFT_RESULT, date=D(2021, 4, 15), acting_user=None)
    a5 = CatalogueItem.objects.get(catalogue__code="nq04-27", code="A5")
    finding = s.add_finding(
        case=case,
        kind=FindingKind.SHORTCOMING,
        subject=case.subjects.get(unit=tree.ward_a),
        catalogue_item=a5,
        text="Tự phê bình còn nể nang.",
        acting_user=None,
    )
    assert finding.catalogue_item.catalogue.source_document.startswith("Nghị quyết số 04-NQ/TW")
    s.conclude_case(
        case=case,
        expected_version=case.version,
        concluded_on=D(2021, 5, 1),
        shortcomings="Nhận diện biểu hiện suy thoái chưa cụ thể.",
        conclusion_symbol="45-TB/TU",
        acting_user=None,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CONCLUDED
    assert case.phase() == Phase.CONCLUSION
    s.record_step(
        case=case,
        kind=StepKind.CONCLUSION_NOTICE,
        date=D(2021, 5, 5),
        document_symbol="46-TB/TU",
        acting_user=None,
    )
    assert list(case.steps.order_by("date").values_list("kind", flat=True)) == [
        "decision",
        "plan",
        "explanatory_report",
        "verification",
        "draft_result",
        "conclusion",
        "conclusion_notice",
    ]
    with pytest.raises(s.OversightError, match="no longer be changed"):
        s.add_finding(case=case, kind=FindingKind.STRENGTH, text="x", acting_user=None)
    with pytest.raises(s.OversightError, match="no longer be changed"):
        s.record_step(case=case, kind=StepKind.VERIFICATION, date=D(2021, 6, 1), acting_user=None)


def test_a_step_cannot_come_before_the_decision(tree):
    """No step is dated before the decision, and the decision is recorded only once."""
    case = make_case(tree.city_inspection, subjects=[tree.ward_a])
    with pytest.raises(s.OversightError, match="before the decision"):
        s.record_step(case=case, kind=StepKind.PLAN, date=D(2021, 2, 1), acting_user=None)
    with pytest.raises(s.OversightError, match="already recorded"):
        s.record_step(case=case, kind=StepKind.DECISION, date=D(2021, 3, 2), acting_user=None)
    with pytest.raises(s.OversightError, match="after the conclusion"):
        s.record_step(
            case=case, kind=StepKind.CONCLUSION_NOTICE, date=D(2021, 3, 2), acting_user=None
        )


def test_concluding_needs_a_subject_and_some_conclusion(tree):
    """A conclusion without a subject or without any text is refused, nothing is written."""
    case = make_case(tree.city_inspection)
    with pytest.raises(s.OversightError, match="at least one subject"):
        s.conclude_case(
            case=case,
            expected_version=case.version,
            concluded_on=D(2021, 4, 1),
            strengths="x",
            acting_user=None,
        )
    s.add_subject(case=case, unit=tree.ward_b, acting_user=None)
    with pytest.raises(s.OversightError, match="Write the conclusion"):
        s.conclude_case(
            case=case, expected_version=case.version, concluded_on=D(2021, 4, 1), acting_user=None
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_a_stale_version_is_refused_and_nothing_is_lost(tree):
    """Optimistic locking: the second editor of the same version gets ConcurrentEditError."""
    case = make_case(tree.city_inspection, subjects=[tree.ward_a])
    loaded_by_b = Case.objects.get(pk=case.pk)
    s.update_case(case=case, expected_version=case.version, title="Tiêu đề mới", acting_user=None)
    with pytest.raises(ConcurrentEditError):
        s.conclude_case(
            case=loaded_by_b,
            expected_version=loaded_by_b.version,
            concluded_on=D(2021, 4, 1),
            strengths="B's conclusion",
            acting_user=None,
        )
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.title == "Tiêu đề mới"
    assert fresh.status == CaseStatus.OPEN and not fresh.steps.filter(kind="conclusion").exists()


def test_a_state_inspection_names_its_state_body_and_may_have_agency_subjects(tree):
    """Thanh tra is conducted by a state body; its subjects may be agencies outside the tree;
    its symbols (state format) are kept as typed."""
    with pytest.raises(s.OversightError, match="state body"):
        make_case(tree.city, kind=CaseKind.STATE_INSPECTION)
    case = make_case(
        tree.city,
        kind=CaseKind.STATE_INSPECTION,
        state_body="Thanh tra thành phố",
        decision_symbol="125/QĐ-TTr",
        subjects=[s.SubjectSpec(name="UBND phường Trường Thi")],
    )
    assert case.decision_symbol == "125/QĐ-TTr"
    assert str(case.subjects.get()) == "UBND phường Trường Thi"
    party = make_case(tree.city_inspection, kind=CaseKind.FINANCE)
    with pytest.raises(s.OversightError, match="outside the party tree"):
        s.add_subject(case=party, name="UBND phường", acting_user=None)


def test_an_unreadable_party_symbol_is_refused_with_the_reason(tree):
    """A decision symbol that cannot be read says why (directives.symbols)."""
    with pytest.raises(s.OversightError, match="cannot be read"):
        make_case(tree.city_inspection, decision_symbol="12 QĐ TU")


def test_a_cancelled_case_is_closed_with_its_reason(tree):
    """Cancelling needs a reason and closes the case."""
    case = make_case(tree.city_inspection, subjects=[tree.ward_a])
    with pytest.raises(s.OversightError, match="reason"):
        s.cancel_case(case=case, expected_version=case.version, reason=" ", acting_user=None)
    s.cancel_case(
        case=case, expected_version=case.version, reason="Trùng kế hoạch", acting_user=None
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CANCELLED and case.cancelled_reason == "Trùng kế hoạch"


def test_the_conducting_body_must_exist_on_the_decision_day(tree):
    """A body that did not exist yet cannot decide."""
    with pytest.raises(s.OversightError, match="did not exist"):
        make_case(tree.city_inspection, decided_on=D(2010, 1, 1))
