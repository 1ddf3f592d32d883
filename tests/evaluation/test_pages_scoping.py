"""Pages: scoped like everything else (out of scope → 404, read-only writes → 403), forms walk
the steps, messages are clear, and list pages run a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from giamsat.evaluation.models import EvaluationStatus
from giamsat.evaluation.rules import Level
from tests.conftest import client_for
from tests.evaluation.factories import assess, campaign_2021, discipline, subject, walk
from tests.factories import make_member

pytestmark = pytest.mark.usefixtures("frozen")
D = dt.date


@pytest.fixture
def campaign(city):
    return campaign_2021(city.tree.city)


def test_home_lists_campaigns_in_scope(city, campaign):
    response = client_for(city.manager).get(reverse("evaluation:home"))
    assert response.status_code == 200 and campaign.title in response.content.decode()
    assert (
        client_for(city.outsider)
        .get(reverse("evaluation:home"))
        .content.decode()
        .count(campaign.title)
        == 0
    )


def test_a_user_without_evaluation_roles_gets_404(city, campaign, users):
    # users.authorised is an inspection officer: no evaluation capability.
    client = client_for(users.authorised)
    assert client.get(reverse("evaluation:home")).status_code == 404
    assert client.get(reverse("evaluation:campaign", args=[campaign.pk])).status_code == 404


def test_outsiders_get_404_on_campaigns_and_subjects(city, campaign):
    client = client_for(city.outsider)
    member = subject(campaign, city.members[city.tree.cell_a1.code][1])
    assert client.get(reverse("evaluation:campaign", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("evaluation:evaluation", args=[member.pk])).status_code == 404
    assert client.post(reverse("evaluation:self_assessment", args=[member.pk])).status_code == 404


def test_a_cell_secretary_sees_the_city_campaign_for_the_cell_only(city, campaign):
    client = client_for(city.cell_user)
    t = city.tree
    assert client.get(reverse("evaluation:campaign", args=[campaign.pk])).status_code == 200
    mine = subject(campaign, city.members[t.cell_a1.code][1])
    other = subject(campaign, city.members[t.cell_a2.code][1])
    assert client.get(reverse("evaluation:evaluation", args=[mine.pk])).status_code == 200
    assert client.get(reverse("evaluation:evaluation", args=[other.pk])).status_code == 404


def test_the_decider_cannot_record_a_self_assessment(city, campaign):
    member = subject(campaign, city.members[city.tree.cell_a1.code][1])
    response = client_for(city.decider).post(
        reverse("evaluation:self_assessment", args=[member.pk]),
        {"version": member.version, "self-score_general": "25", "self-score_tasks": "60"},
    )
    assert response.status_code == 403


def test_the_three_steps_through_the_pages(city, campaign):
    member = subject(campaign, city.members[city.tree.cell_a1.code][1])
    url = reverse("evaluation:evaluation", args=[member.pk])
    manager = client_for(city.manager)
    response = manager.post(
        reverse("evaluation:self_assessment", args=[member.pk]),
        {
            "version": member.version,
            "self-score_general": "27",
            "self-score_tasks": "58,5".replace(",", "."),
            "self-tasks_total": "5",
            "self-tasks_completed": "5",
            "self-tasks_on_time": "5",
            "self-tasks_exceeding": "0",
            "self-shortcomings_before": "0",
            "self-shortcomings_remedied": "0",
            "self-category": "outside",
            "self-assessed_on": "2021-12-02",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.self_level == Level.HOAN_THANH_TOT and member.score == 85.5
    page = manager.get(url).content.decode()
    assert 'data-testid="suggested"' in page and 'data-testid="no-cap"' in page
    response = manager.post(
        reverse("evaluation:proposal", args=[member.pk]),
        {
            "version": member.version,
            "proposal-level": "hoan_thanh_tot",
            "proposal-proposed_on": "2021-12-05",
            "proposal-source_1": "Chi ủy nơi cư trú",
            "proposal-opinion_1": "Gương mẫu",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    response = client_for(city.decider).post(
        reverse("evaluation:decision", args=[member.pk]),
        {
            "version": member.version,
            "decision-level": "hoan_thanh_tot",
            "decision-decided_on": "2021-12-09",
            "decision-decision_symbol": "Số 03-QĐ/ĐU",
        },
        follow=True,
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.status == EvaluationStatus.DECIDED and member.decided_by == city.decider
    assert "Gương mẫu" in response.content.decode()


def test_a_refused_step_keeps_the_input_and_says_why(city, campaign):
    person = city.members[city.tree.cell_a1.code][1]
    discipline(person, D(2021, 5, 3), body=city.tree.cell_a1)
    member = subject(campaign, person)
    assess(member, 88)
    member.refresh_from_db()
    response = client_for(city.manager).post(
        reverse("evaluation:proposal", args=[member.pk]),
        {
            "version": member.version,
            "proposal-level": "hoan_thanh_tot",
            "proposal-proposed_on": "2021-12-05",
            "proposal-note": "Ghi chú của tôi",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hãy nêu lý do" in page and "Ghi chú của tôi" in page
    assert 'data-testid="cap"' in page
    # The suggestion shown again is still the capped one, not the self-assessed level; and the
    # "records changed" notice is not shown before any step stored caps.
    suggested = page.split('data-testid="suggested"', 1)[1].split("</p>", 1)[0]
    assert "Không hoàn thành nhiệm vụ" in suggested
    assert 'data-testid="caps-changed"' not in page


def test_stale_version_message(city, campaign):
    member = subject(campaign, city.members[city.tree.cell_a1.code][1])
    assess(member, 80)
    response = client_for(city.manager).post(
        reverse("evaluation:proposal", args=[member.pk]),
        {"version": 1, "proposal-level": "hoan_thanh_tot", "proposal-proposed_on": "2021-12-05"},
    )
    assert "Người khác đã sửa hồ sơ này" in response.content.decode()


def test_batch_self_assessment_grid(city, campaign):
    t = city.tree
    members = [subject(campaign, p) for p in city.members[t.cell_a1.code]]
    url = reverse("evaluation:campaign_unit_batch", args=[campaign.pk, t.cell_a1.pk])
    data = {"action": "self", "assessed_on": "2021-12-02"}
    data |= {f"g_{e.pk}": "27" for e in members} | {f"t_{e.pk}": "66" for e in members}
    response = client_for(city.cell_user).post(url, data, follow=True)
    assert "Đã ghi nhận 3 bản tự đánh giá" in response.content.decode()
    bad = client_for(city.cell_user).post(
        url, {"action": "self", f"g_{members[0].pk}": "27"}, follow=True
    )
    assert "hãy nhập cả hai điểm" in bad.content.decode()


def test_campaign_page_query_bounds(city, campaign, django_assert_max_num_queries):
    """The campaign page runs a bounded number of queries whatever the number of subjects."""
    t = city.tree
    for _ in range(25):
        make_member(t.cell_a1)
    from giamsat.evaluation import services

    services.generate_subjects(campaign=campaign, acting_user=None)
    heads = [city.cell_secretary.pk, city.ward_secretary.pk]
    for evaluation in campaign.evaluations.individuals().exclude(person_id__in=heads)[:10]:
        walk(evaluation, 80)
    client = client_for(city.manager)
    client.get(reverse("evaluation:campaign", args=[campaign.pk]))  # warm caches
    with django_assert_max_num_queries(30):
        response = client.get(reverse("evaluation:campaign", args=[campaign.pk]) + "?q=Người")
    assert response.status_code == 200


def test_unit_page_query_bounds(city, campaign, django_assert_max_num_queries):
    t = city.tree
    for _ in range(30):
        make_member(t.cell_a1)
    from giamsat.evaluation import services

    services.generate_subjects(campaign=campaign, acting_user=None)
    client = client_for(city.manager)
    url = reverse("evaluation:campaign_unit", args=[campaign.pk, t.cell_a1.pk])
    client.get(url)
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.content.decode().count('data-testid="member-row"') == 33


def test_detail_page_query_bounds(city, campaign, django_assert_max_num_queries):
    member = subject(campaign, city.members[city.tree.cell_a1.code][1])
    walk(member, 80)
    client = client_for(city.decider)
    url = reverse("evaluation:evaluation", args=[member.pk])
    client.get(url)
    with django_assert_max_num_queries(30):
        assert client.get(url).status_code == 200


def test_figures_page_and_drilldown(city, campaign, django_assert_max_num_queries):
    member = subject(campaign, city.members[city.tree.cell_a1.code][1])
    walk(member, 80)
    client = client_for(city.manager)
    url = reverse("evaluation:figures") + f"?unit={city.tree.city.pk}&year=2021"
    client.get(url)
    with django_assert_max_num_queries(70):  # ~4 per figure card, one per roll-up column
        page = client.get(url)
    assert page.status_code == 200 and 'data-testid="rollup-row"' in page.content.decode()
    drill = client.get(
        reverse("evaluation:figure", args=["evaluation.members.hoan_thanh_tot"])
        + f"?unit={city.tree.city.pk}&year=2021"
    )
    assert str(member.person) in drill.content.decode()
    # Out of scope unit → 404; unknown code → 404.
    assert (
        client.get(
            reverse("evaluation:figure", args=["evaluation.members.rated"])
            + f"?unit={city.tree.other.pk}&year=2021"
        ).status_code
        == 404
    )
    assert client.get(reverse("evaluation:figure", args=["nope"])).status_code == 404


def test_rules_page_and_quota_setting(city):
    client = client_for(city.admin)
    page = client.get(reverse("evaluation:rules")).content.decode()
    assert page.count('data-testid="rule-set"') == 4 and "QĐ 366-QĐ/TW Điều 11" in page
    response = client.post(
        reverse("evaluation:rules"),
        {"rule_set": "qd124-hd25", "share_pct": "20", "source": "Công văn 01", "unconfirmed": "on"},
        follow=True,
    )
    assert 'data-testid="quota-setting"' in response.content.decode()
    assert client_for(city.manager).post(reverse("evaluation:rules"), {}).status_code == 403


def test_person_page_shows_ratings(city, campaign):
    person = city.members[city.tree.cell_a1.code][1]
    walk(subject(campaign, person), 80)
    page = client_for(city.manager).get(reverse("people:detail", args=[person.pk])).content.decode()
    assert 'id="evaluation-history"' in page
