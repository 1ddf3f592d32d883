"""A delegation's records: its decision (symbol normalised), sessions inside the working
period with both sides, requests answered by the unit, conclusions written by the delegation
only, and the summary to the deciding body."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from giamsat.delegations import services
from giamsat.delegations.models import RequestStatus, Side


def test_the_decision_symbol_is_normalised(delegation):
    assert delegation.decision_symbol == "85-QĐ/TW"


def test_an_unreadable_symbol_is_refused_with_the_reason(tree, d_users):
    with pytest.raises(services.DelegationError) as error:
        services.create_delegation(
            name="Đoàn",
            deciding_body=tree.central,
            decision_symbol="quyết định thành lập",
            decision_date=dt.date(2022, 8, 15),
            review_start=dt.date(2019, 1, 1),
            review_end=dt.date(2022, 9, 30),
            work_start=dt.date(2022, 9, 1),
            work_end=dt.date(2022, 10, 31),
            acting_user=d_users.central_office,
        )
    assert "number" in str(error.value) or "số" in str(error.value)


def test_only_the_deciding_body_establishes_a_delegation(tree, d_users):
    with pytest.raises(PermissionDenied):
        services.create_delegation(
            name="Đoàn",
            deciding_body=tree.central,
            decision_symbol="85-QĐ/TW",
            decision_date=dt.date(2022, 8, 15),
            review_start=dt.date(2019, 1, 1),
            review_end=dt.date(2022, 9, 30),
            work_start=dt.date(2022, 9, 1),
            work_end=dt.date(2022, 10, 31),
            acting_user=d_users.host_office,
        )


def test_a_session_has_both_sides_and_falls_in_the_working_period(delegation, d_users, tree):
    members = list(delegation.members.all())
    session = services.schedule_session(
        delegation=delegation,
        unit=tree.city,
        date=dt.date(2022, 9, 30),
        members=members,
        hosts=[services.HostParticipant("Lê Anh Xuân", "Bí thư Thành ủy")],
        acting_user=d_users.member,
    )
    sides = [(p.side, p.full_name) for p in session.participants.all()]
    assert (Side.HOST, "Lê Anh Xuân") in sides
    assert (Side.DELEGATION, "Nguyễn Lam") in sides
    with pytest.raises(services.DelegationError):
        services.schedule_session(
            delegation=delegation, unit=tree.city, date=dt.date(2022, 11, 30), acting_user=None
        )
    with pytest.raises(services.DelegationError):
        services.schedule_session(
            delegation=delegation, unit=tree.other, date=dt.date(2022, 9, 30), acting_user=None
        )


@time_machine.travel(dt.datetime(2022, 9, 30, 9, 0), tick=False)
def test_the_unit_answers_a_request_and_nobody_else(delegation, d_users, tree):
    request = services.make_request(
        delegation=delegation,
        unit=tree.city,
        kind="add_figures",
        text="Bổ sung số liệu thực tế.",
        deadline=dt.date(2022, 10, 10),
        acting_user=d_users.member,
    )
    with pytest.raises(PermissionDenied):
        services.answer_request(request=request, answer="x", acting_user=d_users.outsider)
    services.answer_request(
        request=request,
        answer="Đã bổ sung số liệu từ hồ sơ.",
        answered_on=dt.date(2022, 10, 5),
        acting_user=d_users.host_office,
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED and request.answered_by == d_users.host_office


def test_the_host_cannot_write_the_delegations_conclusion(delegation, d_users, tree):
    with pytest.raises(PermissionDenied):
        services.record_conclusion(
            delegation=delegation,
            unit=tree.city,
            concluded_on=dt.date(2022, 9, 30),
            strengths="Tự khen",
            acting_user=d_users.host_office,
        )
    conclusion = services.record_conclusion(
        delegation=delegation,
        unit=tree.city,
        concluded_on=dt.date(2022, 9, 30),
        strengths="sự chủ động chuẩn bị",
        requests="chỉ rõ người, rõ việc",
        acting_user=d_users.member,
    )
    again = services.record_conclusion(
        delegation=delegation,
        unit=tree.city,
        concluded_on=dt.date(2022, 10, 1),
        limitations="cần bổ sung số liệu thực tế",
        acting_user=d_users.member,
    )
    assert again.pk == conclusion.pk and again.limitations == "cần bổ sung số liệu thực tế"


def test_the_summary_is_written_by_the_delegation_leads(delegation, d_users):
    with pytest.raises(PermissionDenied):  # a plain member does not sign off the summary
        services.write_summary(delegation=delegation, summary="x", acting_user=d_users.member)
    services.write_summary(
        delegation=delegation,
        summary="Tổng hợp trình Ban Bí thư.",
        submitted_on=dt.date(2022, 10, 20),
        acting_user=d_users.central_office,
    )
    assert delegation.summary_submitted_on == dt.date(2022, 10, 20)
