"""The evaluation API: scoped like the pages, writes through the services (400/403/409), the
rule endpoints, documented in the OpenAPI schema."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.accounts.api_auth import issue_token
from tests.evaluation.factories import assess, campaign_2021, discipline, subject

pytestmark = pytest.mark.usefixtures("frozen")
D = dt.date
BASE = "/api/v1/evaluation"


def _bearer(user):
    _token, clear = issue_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {clear}"}


def test_submit_a_self_assessment_and_walk_the_steps(client, city):
    campaign = campaign_2021(city.tree.city)
    member = subject(campaign, city.members[city.tree.cell_a1.code][1])
    auth = _bearer(city.cell_user)
    url = f"{BASE}/evaluations/{member.pk}"
    response = client.post(
        url + "/self-assessment",
        {
            "version": member.version,
            "score_general": "28",
            "score_tasks": "64",
            "assessed_on": "2021-12-02",
            "tasks_total": 6,
            "tasks_completed": 6,
            "tasks_on_time": 6,
            "tasks_exceeding": 1,
        },
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["score"], body["self_level"], body["status"]) == (
        "92.0",
        "hoan_thanh_xuat_sac",
        "self_assessed",
    )
    # The cell secretary may not propose (the advisory body of the ward does).
    proposal = {
        "version": body["version"],
        "level": "hoan_thanh_xuat_sac",
        "proposed_on": "2021-12-05",
    }
    assert (
        client.post(
            url + "/proposal", proposal, content_type="application/json", **auth
        ).status_code
        == 403
    )
    manager = _bearer(city.manager)
    proposal["opinions"] = [{"source": "Chi ủy", "text": "Đồng ý"}]
    response = client.post(url + "/proposal", proposal, content_type="application/json", **manager)
    assert response.status_code == 200 and response.json()["opinions"][0]["source"] == "Chi ủy"
    decision = {
        "version": response.json()["version"],
        "level": "hoan_thanh_xuat_sac",
        "decided_on": "2021-12-09",
    }
    response = client.post(
        url + "/decision", decision, content_type="application/json", **_bearer(city.decider)
    )
    # One "xuất sắc" for no "tốt" in the ward breaks the quota: a reason is required.
    assert response.status_code == 400 and "vượt tỷ lệ" in response.json()["detail"]
    decision["reason"] = "Thành tích đột xuất"
    response = client.post(
        url + "/decision", decision, content_type="application/json", **_bearer(city.decider)
    )
    assert response.status_code == 200 and response.json()["decided_level"] == "hoan_thanh_xuat_sac"
    stale = client.post(
        url + "/decision", decision, content_type="application/json", **_bearer(city.decider)
    )
    assert stale.status_code == 409


def test_caps_and_order_in_the_detail(client, city):
    campaign = campaign_2021(city.tree.city)
    discipline(city.cell_secretary, D(2021, 5, 2), body=city.tree.cell_a1)
    head = subject(campaign, city.cell_secretary)
    body = client.get(f"{BASE}/evaluations/{head.pk}", **_bearer(city.manager)).json()
    assert [c["max_level"] for c in body["caps_now"]] == ["khong_hoan_thanh"]
    assert body["caps_now"][0]["records"][0]["kind"] == "discipline"
    assert body["order_problems"] and "người đứng đầu sau" in body["order_problems"][0]


def test_scoping(client, city):
    campaign = campaign_2021(city.tree.city)
    member = subject(campaign, city.members[city.tree.cell_a1.code][1])
    out = _bearer(city.outsider)
    assert client.get(f"{BASE}/campaigns/{campaign.pk}", **out).status_code == 404
    assert client.get(f"{BASE}/evaluations/{member.pk}", **out).status_code == 404
    assert client.get(f"{BASE}/campaigns", **out).json()["count"] == 0
    response = client.post(
        f"{BASE}/evaluations/{member.pk}/self-assessment",
        {"version": 1, "score_general": 20, "score_tasks": 50, "assessed_on": "2021-12-02"},
        content_type="application/json",
        **out,
    )
    assert response.status_code == 404
    # The cell secretary lists the campaign's subjects of the cell only.
    rows = client.get(
        f"{BASE}/campaigns/{campaign.pk}/evaluations?limit=100", **_bearer(city.cell_user)
    ).json()
    assert {r["unit_id"] for r in rows["items"]} == {city.tree.cell_a1.pk}
    assert client.get(f"{BASE}/campaigns", **_bearer(city.manager)).json()["count"] == 1


def test_create_a_campaign(client, city):
    response = client.post(
        f"{BASE}/campaigns",
        {"organiser_id": city.tree.ward_a.pk, "year": 2021},
        content_type="application/json",
        **_bearer(city.manager),
    )
    assert response.status_code == 201 and response.json()["rule_set"] == "qd132-hd21"
    refused = client.post(
        f"{BASE}/campaigns",
        {"organiser_id": city.tree.ward_a.pk, "year": 2021, "period_kind": "quarter", "quarter": 1},
        content_type="application/json",
        **_bearer(city.manager),
    )
    assert (
        refused.status_code == 400 and "chỉ quy định đánh giá hằng năm" in refused.json()["detail"]
    )
    hidden = client.post(
        f"{BASE}/campaigns",
        {"organiser_id": city.tree.ward_a.pk, "year": 2022},
        content_type="application/json",
        **_bearer(city.outsider),
    )
    assert hidden.status_code == 404


def test_rule_endpoints(client, city):
    auth = _bearer(city.manager)
    assert (
        client.get(f"{BASE}/rules/level?score=90&year=2025", **auth).json()["level"]
        == "hoan_thanh_xuat_sac"
    )
    body = client.get(f"{BASE}/rules/level?score=89.9&year=2021", **auth).json()
    assert (body["level"], body["bands_official"]) == ("hoan_thanh_tot", False)
    assert client.get(f"{BASE}/rules/level?score=101&year=2021", **auth).status_code == 422
    quota = client.post(
        f"{BASE}/rules/quota",
        {"year": 2021, "counts": {"hoan_thanh_xuat_sac": 3, "hoan_thanh_tot": 10}},
        content_type="application/json",
        **auth,
    ).json()
    assert (quota["ok"], quota["allowed"], quota["excess"]) == (False, 2, 1)
    caps = client.post(
        f"{BASE}/rules/caps",
        {
            "year": 2025,
            "kind": "collective",
            "subordinate_disciplines": [{"form": "khien_trach", "decided_on": "2025-05-01"}],
        },
        content_type="application/json",
        **auth,
    ).json()
    assert [(c["kind"], c["max_level"]) for c in caps] == [
        ("subordinate_disciplined", "hoan_thanh_tot")
    ]
    sets = client.get(f"{BASE}/rules/sets", **auth).json()
    assert [s["code"] for s in sets] == ["qd132-hd16", "qd132-hd21", "qd124-hd25", "qd366-hd43"]
    bad = client.post(
        f"{BASE}/rules/caps",
        {
            "year": 2025,
            "kind": "individual",
            "disciplines": [{"form": "nope", "decided_on": "2025-05-01"}],
        },
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 400


def test_figures_through_the_api(client, city):
    campaign = campaign_2021(city.tree.city)
    member = subject(campaign, city.members[city.tree.cell_a1.code][1])
    assess(member, 80)
    body = client.get(
        f"{BASE}/figures/evaluation.undecided?unit_id={city.tree.city.pk}&year=2021",
        **_bearer(city.manager),
    ).json()
    assert body["value"] == len(body["record_ids"]) == campaign.evaluations.count()
    assert (
        client.get(
            f"{BASE}/figures/evaluation.undecided?unit_id={city.tree.other.pk}&year=2021",
            **_bearer(city.manager),
        ).status_code
        == 404
    )


def test_the_schema_documents_the_endpoints(client, city):
    schema = client.get("/api/openapi.json", **_bearer(city.manager)).json()
    paths = [p for p in schema["paths"] if p.startswith(BASE)]
    assert f"{BASE}/evaluations/{{evaluation_id}}/self-assessment" in paths
    assert f"{BASE}/rules/quota" in paths and f"{BASE}/campaigns" in paths


def test_review_points_and_their_commitment_in_the_detail(client, city):
    """The points raised in a review session, and the commitment they led to, are readable
    with the subject; a caller outside its units gets 404."""
    from giamsat.evaluation import services
    from giamsat.evaluation.models import PointKind

    campaign = campaign_2021(city.tree.city)
    member = subject(campaign, city.members[city.tree.cell_a1.code][1])
    session = services.record_review_session(
        campaign=campaign,
        unit=city.tree.cell_a1,
        held_on=D(2021, 12, 2),
        chaired_by="Bí thư chi bộ",
        present=3,
        expected=3,
        acting_user=city.cell_user,
    )
    point = services.record_review_point(
        session=session,
        evaluation=member,
        kind=PointKind.CRITICISM,
        text="Chưa gương mẫu tham gia sinh hoạt",
        raised_by="Đồng chí Bí thư",
        acting_user=city.cell_user,
    )
    commitment = services.commit_from_points(
        evaluation=member,
        points=[point],
        items=[services.ItemSpec("Sinh hoạt đầy đủ", D(2022, 3, 31))],
        signed_on=D(2021, 12, 10),
        acting_user=city.cell_user,
    )
    body = client.get(f"{BASE}/evaluations/{member.pk}", **_bearer(city.manager)).json()
    assert body["points"] == [
        {
            "id": point.pk,
            "session_id": session.pk,
            "held_on": "2021-12-02",
            "kind": "criticism",
            "text": "Chưa gương mẫu tham gia sinh hoạt",
            "raised_by": "Đồng chí Bí thư",
            "catalogue_code": "",
            "commitment_id": commitment.pk,
        }
    ]
    outsider = client.get(f"{BASE}/evaluations/{member.pk}", **_bearer(city.outsider))
    assert outsider.status_code == 404
