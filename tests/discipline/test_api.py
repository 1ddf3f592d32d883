"""The discipline API: scoped, read-logged, writes through the services; the rule endpoints."""

from __future__ import annotations

from giamsat.accounts.api_auth import issue_token
from giamsat.audit.models import AccessEvent
from tests.discipline.conftest import group


def _bearer(user):
    _token, clear = issue_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {clear}"}


def test_a_case_through_the_api(client, tree, members, users):
    """Open, record a violation, tally a ballot, record the decision."""
    auth = _bearer(users.authorised)
    member = members[tree.cell_a1.code][0]
    response = client.post(
        "/api/v1/discipline/cases",
        {"person_id": member.pk, "opened_on": "2021-06-01", "summary": "Vi phạm lối sống"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201, response.content
    case = response.json()
    assert case["allowed_forms"] == ["khien_trach", "canh_cao", "khai_tru"]
    url = f"/api/v1/discipline/cases/{case['id']}"
    violation = client.post(
        url + "/violations",
        {
            "group_id": group().pk,
            "description": "Đánh bạc",
            "started_on": "2021-01-01",
            "ended_on": "2021-02-01",
        },
        content_type="application/json",
        **auth,
    )
    assert violation.status_code == 201 and violation.json()["group_topic"] == "ethics_lifestyle"
    ballot = client.post(
        url + "/ballots",
        {
            "version": case["version"],
            "body_id": tree.cell_a1.pk,
            "held_on": "2021-06-20",
            "purpose": "decide",
            "total_members": 11,
            "present": 10,
            "votes": {"khai_tru": 3, "canh_cao": 3},
        },
        content_type="application/json",
        **auth,
    )
    assert ballot.status_code == 201 and ballot.json()["result_form"] == "canh_cao"
    version = client.get(url, **auth).json()["version"]
    decision = client.post(
        url + "/decision",
        {
            "version": version,
            "form": "canh_cao",
            "deciding_unit_id": tree.cell_a1.pk,
            "decided_on": "2021-06-21",
            "symbol": "Số 07-QĐ/CB",
        },
        content_type="application/json",
        **auth,
    )
    assert decision.status_code == 201 and decision.json()["symbol"] == "07-QĐ/CB"
    history = client.get(f"/api/v1/discipline/people/{member.pk}/history", **auth).json()
    assert [c["current_form"] for c in history] == ["canh_cao"]
    assert AccessEvent.objects.filter(actor=users.authorised, reason="api history").exists()


def test_scoping_of_the_discipline_api(client, tree, members, users):
    """Outsiders cannot open a case on someone they cannot see, nor read one."""
    member = members[tree.cell_a1.code][0]
    out = _bearer(users.outsider)
    assert (
        client.post(
            "/api/v1/discipline/cases",
            {"person_id": member.pk, "opened_on": "2021-06-01", "summary": "x"},
            content_type="application/json",
            **out,
        ).status_code
        == 404
    )
    case = client.post(
        "/api/v1/discipline/cases",
        {"person_id": member.pk, "opened_on": "2021-06-01", "summary": "x"},
        content_type="application/json",
        **_bearer(users.authorised),
    ).json()
    assert client.get(f"/api/v1/discipline/cases/{case['id']}", **out).status_code == 404
    assert client.get("/api/v1/discipline/cases", **out).json()["count"] == 0
    reader = _bearer(users.read_only)
    assert client.get(f"/api/v1/discipline/cases/{case['id']}", **reader).status_code == 200
    assert (
        client.post(
            f"/api/v1/discipline/cases/{case['id']}/violations",
            {"group_id": group().pk, "description": "x", "started_on": "2021-01-01"},
            content_type="application/json",
            **reader,
        ).status_code
        == 403
    )


def test_the_rule_endpoints(client, users):
    """allowed_forms, limitation_expiry and tally over HTTP."""
    auth = _bearer(users.read_only)
    assert client.get(
        "/api/v1/discipline/rules/allowed-forms?subject_kind=probationary_member", **auth
    ).json() == ["khien_trach", "canh_cao"]
    body = client.get(
        "/api/v1/discipline/rules/limitation?form=canh_cao&subject_kind=member&violation_end=2023-01-05",
        **auth,
    ).json()
    assert body == {"expiry": "2033-01-05", "source": "QĐ 69-QĐ/TW Điều 4"}
    tally = client.post(
        "/api/v1/discipline/rules/tally",
        {"votes_by_form": {"khai_tru": 6}, "total_members": 9, "subject_kind": "member"},
        content_type="application/json",
        **auth,
    )
    assert tally.json() == {"form": "khai_tru"}
    bad = client.post(
        "/api/v1/discipline/rules/tally",
        {"votes_by_form": {"khien_trach": 10}, "total_members": 9, "subject_kind": "member"},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 400
