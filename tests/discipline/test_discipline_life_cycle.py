"""A discipline case from opening to decision: violations, ballot tally, limitation, the
decision and its effect on posts and membership; deferral; organisations."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.core.models import ConcurrentEditError
from giamsat.discipline import services as s
from giamsat.discipline.models import BallotPurpose, CaseStatus, DisciplineCase, NoDisciplineReason
from giamsat.discipline.rules import DeferralReason, Form
from giamsat.people.models import MemberStatus, Post, PostKind
from tests.discipline.conftest import group
from tests.factories import make_member

D = dt.date
OPENED = D(2021, 6, 1)
BALLOT_DAY = D(2021, 6, 20)


def _open(person, on=OPENED, **kw):
    case = s.open_discipline_case(
        person=person, opened_on=on, summary="Vi phạm đạo đức, lối sống", acting_user=None, **kw
    )
    s.add_violation(
        case=case,
        group=group(on=D(2021, 3, 1)),
        description="Đánh bạc",
        started_on=D(2021, 1, 10),
        ended_on=D(2021, 3, 1),
        acting_user=None,
    )
    return case


def _ballot(case, body, form, yes, total=9, purpose=BallotPurpose.DECIDE, on=BALLOT_DAY):
    return s.record_ballot(
        case=case,
        expected_version=case.version,
        body=body,
        held_on=on,
        purpose=purpose,
        total_members=total,
        present=total,
        votes={form: yes},
        votes_none=total - yes,
        acting_user=None,
    )


def test_a_cell_disciplines_its_member_with_khien_trach(tree, members):
    """Violation → secret ballot (> half of all members) → decision; symbol parsed."""
    member = members[tree.cell_a1.code][0]
    case = _open(member)
    assert case.unit == tree.cell_a1  # the member's cell, for scoping
    authority = s.authority_for(case, Form.KHIEN_TRACH, D(2021, 6, 20))
    assert authority.deciding_unit == tree.cell_a1 and authority.proposing_unit is None
    ballot = _ballot(case, tree.cell_a1, Form.KHIEN_TRACH, 5)
    assert ballot.result_form == "khien_trach" and not ballot.time_barred
    case.refresh_from_db()
    decision = s.record_decision(
        case=case,
        expected_version=case.version,
        form=Form.KHIEN_TRACH,
        deciding_unit=tree.cell_a1,
        decided_on=D(2021, 6, 21),
        symbol="Số 05 - QĐ/CB",
        acting_user=None,
    )
    assert decision.symbol == "05-QĐ/CB" and decision.symbol_as_written == "Số 05 - QĐ/CB"
    case.refresh_from_db()
    assert (case.status, case.current_form, case.decided_on) == (
        CaseStatus.DECIDED,
        "khien_trach",
        D(2021, 6, 21),
    )
    assert case.authority_rule.source == "QĐ 30-QĐ/TW (2016), Điều lệ Đảng Điều 36"


def test_the_decision_must_be_the_form_the_ballot_reached(tree, members):
    """No decision without the deciding body's ballot, nor with another form."""
    case = _open(members[tree.cell_a1.code][0])
    with pytest.raises(s.DisciplineError, match="ballot first"):
        s.record_decision(
            case=case,
            expected_version=case.version,
            form="khien_trach",
            deciding_unit=tree.cell_a1,
            decided_on=D(2021, 6, 21),
            symbol="05-QĐ/CB",
            acting_user=None,
        )
    _ballot(case, tree.cell_a1, Form.KHIEN_TRACH, 5)
    case.refresh_from_db()
    with pytest.raises(s.DisciplineError, match="ballot first"):
        s.record_decision(
            case=case,
            expected_version=case.version,
            form="canh_cao",
            deciding_unit=tree.cell_a1,
            decided_on=D(2021, 6, 21),
            symbol="05-QĐ/CB",
            acting_user=None,
        )
    with pytest.raises(s.DisciplineError, match="cannot be read"):
        s.record_decision(
            case=case,
            expected_version=case.version,
            form="khien_trach",
            deciding_unit=tree.cell_a1,
            decided_on=D(2021, 6, 21),
            symbol="quyết định năm",
            acting_user=None,
        )


def test_no_form_reached_ends_the_case_without_discipline(tree, members):
    """Half of the members is not more than half: no discipline."""
    case = _open(members[tree.cell_a1.code][0])
    _ballot(case, tree.cell_a1, Form.KHIEN_TRACH, 5, total=10)
    case.refresh_from_db()
    assert (
        case.status == CaseStatus.NO_DISCIPLINE
        and case.no_discipline_reason == NoDisciplineReason.NOT_WARRANTED
    )


def test_vote_first_then_the_limitation(tree, members):
    """A violation of 2016 voted khiển trách in 2022 is time-barred (5 years): no discipline;
    the same facts voted cảnh cáo (10 years) would not be."""
    member = members[tree.cell_a1.code][0]
    case = s.open_discipline_case(
        person=member, opened_on=D(2022, 5, 1), summary="x", acting_user=None
    )
    s.add_violation(
        case=case,
        group=group(on=D(2017, 1, 1)),
        description="Đánh bạc năm 2016",
        started_on=D(2016, 3, 1),
        ended_on=D(2016, 4, 1),
        acting_user=None,
    )
    assert s.check_limitation(case, Form.CANH_CAO, D(2022, 5, 20)).time_barred is False
    ballot = _ballot(case, tree.cell_a1, Form.KHIEN_TRACH, 5, on=D(2022, 5, 20))
    assert ballot.time_barred and ballot.limitation_expiry == D(2021, 4, 1)
    case.refresh_from_db()
    assert case.no_discipline_reason == NoDisciplineReason.TIME_BARRED


def test_a_new_violation_restarts_the_limitation(tree, members):
    """A later violation by the same member (even in another case) restarts the period."""
    member = members[tree.cell_a1.code][0]
    earlier = s.open_discipline_case(
        person=member, opened_on=D(2019, 1, 2), summary="x", acting_user=None
    )
    s.add_violation(
        case=earlier,
        group=group(on=D(2018, 1, 1)),
        description="Lần 1",
        started_on=D(2017, 12, 1),
        ended_on=D(2018, 1, 1),
        acting_user=None,
    )
    case = s.open_discipline_case(
        person=member, opened_on=D(2022, 1, 3), summary="y", acting_user=None
    )
    s.add_violation(
        case=case,
        group=group(on=D(2021, 1, 1)),
        description="Lần 2",
        started_on=D(2020, 11, 1),
        ended_on=D(2021, 1, 1),
        acting_user=None,
    )
    check = s.check_limitation(earlier, Form.KHIEN_TRACH, D(2023, 6, 1))
    assert check.latest_expiry == D(2025, 11, 1) and not check.time_barred


def test_removal_from_post_ends_the_post(tree, members, city_standing):
    """Cách chức: the cell proposes, the standing committee above decides; the post ends the
    day before the decision is announced."""
    member = members[tree.cell_a1.code][0]
    post = Post.objects.create(
        person=member,
        unit=tree.cell_a1,
        kind=PostKind.SECRETARY,
        title="Bí thư chi bộ",
        is_head=True,
        valid_from=D(2015, 1, 1),
    )
    case = _open(member, post=post)
    authority = s.authority_for(case, Form.CACH_CHUC, D(2021, 6, 20))
    assert authority.proposing_unit == tree.cell_a1 and authority.deciding_unit == city_standing
    _ballot(case, tree.cell_a1, Form.CACH_CHUC, 5, purpose=BallotPurpose.PROPOSE)
    case.refresh_from_db()
    assert case.status == CaseStatus.PROPOSED and case.proposed_form == "cach_chuc"
    _ballot(case, city_standing, Form.CACH_CHUC, 8, total=15, on=D(2021, 7, 10))
    case.refresh_from_db()
    decision = s.record_decision(
        case=case,
        expected_version=case.version,
        form=Form.CACH_CHUC,
        deciding_unit=city_standing,
        decided_on=D(2021, 7, 11),
        announced_on=D(2021, 7, 15),
        symbol="120-QĐ/TU",
        acting_user=None,
    )
    post.refresh_from_db()
    assert post.valid_to == D(2021, 7, 14) and "120-QĐ/TU" in post.ended_by
    assert "ended" in decision.effect_note


def test_expulsion_is_proposed_by_two_thirds_and_confirmed_by_more_than_half(
    tree, members, city_standing
):
    """Khai trừ: 2/3 of the cell to propose, > 1/2 of the competent body to decide; the
    membership ends and the person leaves the Party."""
    member = members[tree.cell_a1.code][0]
    case = _open(member)
    _ballot(case, tree.cell_a1, Form.KHAI_TRU, 6, purpose=BallotPurpose.PROPOSE)
    case.refresh_from_db()
    assert case.proposed_form == "khai_tru"
    ballot = _ballot(case, city_standing, Form.KHAI_TRU, 8, total=15, on=D(2021, 7, 10))
    assert ballot.result_form == "khai_tru"  # 8/15 < 2/3 but > 1/2 when confirming
    case.refresh_from_db()
    s.record_decision(
        case=case,
        expected_version=case.version,
        form=Form.KHAI_TRU,
        deciding_unit=city_standing,
        decided_on=D(2021, 7, 11),
        symbol="121-QĐ/TU",
        acting_user=None,
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.LEFT and member.left_on == D(2021, 7, 11)
    assert member.memberships.get().valid_to == D(2021, 7, 10)


def test_a_probationary_member_cannot_be_removed_from_a_post(tree):
    """QĐ 69 Điều 7: probationary members receive only khiển trách or cảnh cáo."""
    member = make_member(tree.cell_a2, status=MemberStatus.PROBATIONARY)
    post = Post.objects.create(
        person=member, unit=tree.cell_a2, title="Phó bí thư", valid_from=D(2020, 1, 1)
    )
    case = _open(member, post=post)
    assert case.subject_kind == "probationary_member" and case.post is None
    with pytest.raises(s.DisciplineError, match="not on the ballot"):
        _ballot(case, tree.cell_a2, Form.KHAI_TRU, 9)


def test_a_deferred_case_cannot_be_voted(tree):
    """Pregnancy defers the case: a ballot in the period is refused; after it, allowed."""
    member = make_member(tree.cell_a1, gender="female")
    case = _open(member)
    deferral = s.record_deferral(
        case=case,
        reason=DeferralReason.PREGNANCY,
        valid_from=D(2021, 6, 5),
        valid_to=D(2022, 1, 31),
        acting_user=None,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.DEFERRED
    with pytest.raises(s.DisciplineError, match="deferred"):
        _ballot(case, tree.cell_a1, Form.KHIEN_TRACH, 5, on=D(2021, 9, 1))
    s.end_deferral(deferral=deferral, on=D(2022, 2, 1), acting_user=None)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert (
        _ballot(case, tree.cell_a1, Form.KHIEN_TRACH, 5, on=D(2022, 2, 10)).result_form
        == "khien_trach"
    )


def test_an_organisation_is_disciplined_by_the_committee_above(tree):
    """Organisations: khiển trách decided by the committee directly above."""
    case = s.open_discipline_case(
        organisation=tree.cell_b1,
        opened_on=D(2021, 6, 1),
        summary="Buông lỏng lãnh đạo",
        acting_user=None,
    )
    s.add_violation(
        case=case,
        group=group(on=D(2021, 3, 1), organisation=True),
        description="x",
        started_on=D(2020, 1, 1),
        ended_on=D(2021, 3, 1),
        acting_user=None,
    )
    with pytest.raises(s.DisciplineError, match="violation group for"):
        s.add_violation(
            case=case,
            group=group(on=D(2021, 3, 1)),
            description="x",
            started_on=D(2020, 1, 1),
            acting_user=None,
        )
    authority = s.authority_for(case, Form.KHIEN_TRACH, D(2021, 6, 20))
    assert authority.deciding_unit == tree.ward_b
    _ballot(case, tree.ward_b, Form.KHIEN_TRACH, 7, total=11)
    case.refresh_from_db()
    s.record_decision(
        case=case,
        expected_version=case.version,
        form="khien_trach",
        deciding_unit=tree.ward_b,
        decided_on=D(2021, 6, 21),
        symbol="15-QĐ/ĐU",
        acting_user=None,
    )
    assert DisciplineCase.objects.disciplined().filter(organisation=tree.cell_b1).exists()


def test_violation_groups_come_from_the_regulation_in_force(tree, members):
    """A violation of 2021 is coded on QĐ 102's groups, not on QĐ 69 (from 06/7/2022)."""
    case = s.open_discipline_case(
        person=members[tree.cell_a1.code][0], opened_on=D(2021, 6, 1), summary="x", acting_user=None
    )
    with pytest.raises(s.DisciplineError, match="not in force"):
        s.add_violation(
            case=case,
            group=group(on=D(2023, 1, 1)),
            description="x",
            started_on=D(2021, 1, 1),
            ended_on=D(2021, 2, 1),
            acting_user=None,
        )


def test_a_stale_version_refuses_the_ballot(tree, members):
    """Optimistic locking on discipline cases."""
    case = _open(members[tree.cell_a1.code][0])
    stale = DisciplineCase.objects.get(pk=case.pk)
    _ballot(case, tree.cell_a1, Form.KHIEN_TRACH, 5, purpose=BallotPurpose.PROPOSE)
    with pytest.raises(ConcurrentEditError):
        _ballot(stale, tree.cell_a1, Form.KHIEN_TRACH, 5)
