"""The oversight API is scoped like the pages, writes through the services, and is
documented in the OpenAPI schema."""

from __future__ import annotations

import datetime as dt

from giamsat.accounts.api_auth import issue_token
from giamsat.oversight.models import Case, CaseKind
from tests.oversight.conftest import make_case

D = dt.date


def _bearer(user):
    _token, clear = issue_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {clear}"}


def test_an_integrating_system_opens_steps_and_concludes_a_case(client, tree, users):
    """Create, add a step and a finding, conclude; a stale version answers 409."""
    auth = _bearer(users.authorised)
    payload = {
        "kind": "violation_signs",
        "conducting_unit_id": tree.city_inspection.pk,
        "title": "Kiểm tra khi có dấu hiệu vi phạm",
        "decided_on": "2021-03-01",
        "decision_symbol": "12-QĐ/UBKTTU",
        "subjects": [{"unit_id": tree.ward_a.pk}],
    }
    response = client.post(
        "/api/v1/oversight/cases", payload, content_type="application/json", **auth
    )
    assert response.status_code == 201, response.content
    case = response.json()
    assert case["phase"] == "preparation" and case["steps"][0]["kind"] == "decision"
    url = f"/api/v1/oversight/cases/{case['id']}"
    assert (
        client.post(
            url + "/steps",
            {"kind": "plan", "date": "2021-03-04"},
            content_type="application/json",
            **auth,
        ).status_code
        == 201
    )
    bad = client.post(
        url + "/steps",
        {"kind": "plan", "date": "2021-02-01"},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 400 and "01/03/2021" in bad.json()["detail"]
    assert (
        client.post(
            url + "/findings",
            {"kind": "violation", "text": "Vi phạm"},
            content_type="application/json",
            **auth,
        ).status_code
        == 201
    )
    stale = client.post(
        url + "/conclusion",
        {"version": 0, "concluded_on": "2021-04-01", "violations": "x"},
        content_type="application/json",
        **auth,
    )
    assert stale.status_code == 409
    version = client.get(url, **auth).json()["version"]
    done = client.post(
        url + "/conclusion",
        {"version": version, "concluded_on": "2021-04-01", "violations": "x"},
        content_type="application/json",
        **auth,
    )
    assert done.status_code == 200 and done.json()["status"] == "concluded"


def test_scoping_404_outside_and_403_for_readers(client, tree, users):
    """Outsiders never learn a case exists; readers cannot write."""
    case = make_case(tree.city_inspection, subjects=[tree.ward_a])
    assert (
        client.get(f"/api/v1/oversight/cases/{case.pk}", **_bearer(users.outsider)).status_code
        == 404
    )
    listed = client.get("/api/v1/oversight/cases", **_bearer(users.outsider)).json()
    assert listed["count"] == 0
    reader = _bearer(users.read_only)
    assert client.get(f"/api/v1/oversight/cases/{case.pk}", **reader).status_code == 200
    response = client.post(
        f"/api/v1/oversight/cases/{case.pk}/steps",
        {"kind": "plan", "date": "2021-03-04"},
        content_type="application/json",
        **reader,
    )
    assert response.status_code == 403
    payload = {
        "kind": "finance",
        "conducting_unit_id": tree.other.pk,
        "title": "x",
        "decided_on": "2021-03-01",
    }
    assert (
        client.post(
            "/api/v1/oversight/cases",
            payload,
            content_type="application/json",
            **_bearer(users.authorised),
        ).status_code
        == 404
    )
    assert client.get("/api/v1/oversight/cases").status_code == 401


def test_figures_return_the_ids_of_their_records(client, tree, users):
    """The API figure carries the ids behind the value."""
    case = make_case(tree.city_inspection, kind=CaseKind.FINANCE, subjects=[tree.ward_a])
    make_case(tree.other, kind=CaseKind.FINANCE, subjects=[tree.cell_o1])
    url = f"/api/v1/oversight/figures/oversight.inspections?unit_id={tree.city.pk}&start=2021-01-01&end=2021-12-31"
    body = client.get(url, **_bearer(users.authorised)).json()
    assert body["value"] == 1 and body["record_ids"] == [case.pk]
    assert client.get(url, **_bearer(users.outsider)).status_code == 404


def test_commitments_with_a_generic_origin_and_overdue_items(client, tree, users):
    """A commitment created through the API after a criticism; overdue items per unit."""
    auth = _bearer(users.authorised)
    criticism = client.post(
        "/api/v1/oversight/criticisms",
        {
            "by_unit_id": tree.city_inspection.pk,
            "date": "2021-05-01",
            "reason": "Chậm học tập nghị quyết",
            "subject_unit_id": tree.ward_a.pk,
        },
        content_type="application/json",
        **auth,
    ).json()
    response = client.post(
        "/api/v1/oversight/commitments",
        {
            "supervising_unit_id": tree.city_inspection.pk,
            "origin_kind": "criticism",
            "origin_criticism_id": criticism["id"],
            "signed_on": "2021-05-10",
            "subject_unit_id": tree.ward_a.pk,
            "items": [{"text": "Học tập bù", "due_on": "2021-06-30"}],
        },
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201
    assert response.json()["origin_type"] == "oversight.criticism"
    overdue = client.get(
        f"/api/v1/oversight/commitment-items?state=overdue&on=2021-07-01&unit_id={tree.city.pk}",
        **auth,
    ).json()
    assert [i["text"] for i in overdue["items"]] == ["Học tập bù"]


def test_the_api_is_documented(client, users):
    """Every endpoint appears in the OpenAPI schema."""
    schema = client.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    for path in (
        "/api/v1/oversight/cases",
        "/api/v1/oversight/cases/{case_id}/conclusion",
        "/api/v1/oversight/commitments",
        "/api/v1/oversight/figures/{code}",
    ):
        assert path in paths
    assert Case.objects.count() == 0
