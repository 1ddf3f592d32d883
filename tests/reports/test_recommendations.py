"""Recommendations: addressed to a named level or body, answered by the addressee within a
tracked deadline (a configurable rule; an administrator can change its length)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from giamsat.accounts.roles import Role
from giamsat.core.deadlines import DeadlineState
from giamsat.core.models import DeadlineSetting
from giamsat.reports import services
from giamsat.reports.models import AddresseeLevel, RecommendationStatus
from tests.conftest import client_for
from tests.factories import make_user


def _recommend(tree, level=AddresseeLevel.PROVINCE, made_on=dt.date(2022, 9, 30), **kwargs):
    return services.record_recommendation(
        unit=tree.city,
        addressee_level=level,
        addressee_body="Tỉnh ủy Thanh Hóa",
        topic="Nhận diện suy thoái",
        text="Ban hành hướng dẫn nhận diện biểu hiện suy thoái.",
        made_on=made_on,
        acting_user=None,
        **kwargs,
    )


def test_the_deadline_follows_the_rule_and_skips_to_a_working_day(tree):
    # 30 calendar days from Friday 30/09/2022 is Sunday 30/10/2022 → Monday 31/10/2022
    item = _recommend(tree)
    assert item.due_on == dt.date(2022, 10, 31)
    assert "UNCONFIRMED" in item.deadline_note


def test_an_administrator_can_change_the_length(tree):
    DeadlineSetting.objects.create(
        code="recommendation.answer",
        days=15,
        count="working",
        valid_from=dt.date(2022, 1, 1),
        source="Quy chế làm việc (ví dụ)",
        unconfirmed=False,
    )
    assert _recommend(tree).due_on == dt.date(2022, 10, 21)


def test_the_addressee_organisation_is_found_from_the_level(tree):
    assert _recommend(tree).addressee_unit == tree.province
    assert _recommend(tree, AddresseeLevel.LEVEL_ABOVE).addressee_unit == tree.province
    assert _recommend(tree, AddresseeLevel.CENTRE).addressee_unit == tree.central
    assert _recommend(tree, AddresseeLevel.STATE).addressee_unit is None


def test_only_the_addressee_answers(tree, report_users):
    item = _recommend(tree)
    with pytest.raises(PermissionDenied):
        services.answer_recommendation(
            recommendation=item,
            status=RecommendationStatus.ACCEPTED,
            response="Tiếp thu",
            acting_user=report_users.city_leader,
        )
    services.answer_recommendation(
        recommendation=item,
        status=RecommendationStatus.UNDER_STUDY,
        response="Giao Ban Tổ chức nghiên cứu.",
        responded_on=dt.date(2022, 10, 20),
        acting_user=report_users.province_leader,
    )
    item.refresh_from_db()
    assert item.status == RecommendationStatus.UNDER_STUDY
    assert item.deadline_state() == DeadlineState.DONE


def test_an_answer_needs_a_text_and_a_real_status(tree, report_users):
    item = _recommend(tree)
    for status, text in (("pending", "x"), ("accepted", " ")):
        with pytest.raises(services.ReportError):
            services.answer_recommendation(
                recommendation=item, status=status, response=text, acting_user=None
            )


@time_machine.travel(dt.datetime(2022, 12, 15, 9, 0), tick=False)
def test_the_deadline_state_moves_with_time(tree):
    item = _recommend(tree)
    assert item.deadline_state() == DeadlineState.LONG_OVERDUE
    assert item.deadline_state(dt.date(2022, 10, 28)) == DeadlineState.DUE_SOON


def test_the_addressee_sees_it_and_an_outsider_does_not(tree, report_users):
    item = _recommend(tree, AddresseeLevel.CENTRE)
    central = make_user(Role.LEADER, tree.central, username="leader_central")
    assert client_for(central).get(f"/reports/recommendations/{item.pk}/").status_code == 200
    outsider = client_for(report_users.outsider)
    assert outsider.get(f"/reports/recommendations/{item.pk}/").status_code == 404
    response = client_for(central).post(
        f"/reports/recommendations/{item.pk}/",
        {"status": "accepted", "response": "Tiếp thu", "responded_on": "2022-10-15"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "accepted" and item.responded_by == central
