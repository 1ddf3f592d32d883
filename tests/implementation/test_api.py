"""The implementation API reads and writes exactly what the pages do, in the caller's scope."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from giamsat.accounts.api_auth import issue_token
from giamsat.implementation.models import Assignment, Fulfilment
from tests.implementation.factories import assign, make_directive

D = dt.date
BASE = "/api/v1/implementation"


def bearer(user) -> Client:
    _token, clear = issue_token(user=user, name="test")
    return Client(headers={"authorization": f"Bearer {clear}"})


def post(client: Client, url: str, data: dict):
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


@pytest.fixture
def assignment(tree, office, directive, frozen):
    plan = make_directive(tree.city, number=41, issuer_code="TU", issued_on=D(2021, 12, 10))
    return assign(directive=directive, unit=tree.city, user=office, plan=plan)


def test_items_of_a_subtree_with_their_status(tree, office, assignment):
    response = bearer(office).get(f"{BASE}/items?unit={tree.city.pk}&status=missing")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 6  # two wards × three requirements, all past due on 01/10/2022
    first = body["items"][0]
    assert first["status"] == "missing"
    assert first["days_overdue"] == (D(2022, 10, 1) - D(2022, 1, 15)).days
    assert {i["unit"]["id"] for i in body["items"]} == {tree.ward_a.pk, tree.ward_b.pk}


def test_an_integrating_system_marks_a_requirement_done_with_a_new_document(
    tree, office, assignment
):
    client = bearer(office)
    item = Fulfilment.objects.get(
        implementation__assignment=assignment,
        implementation__unit=tree.ward_a,
        requirement__kind="issue_document",
    )
    response = post(
        client,
        f"{BASE}/items/{item.pk}/done",
        {
            "document": {"symbol": "07-KH/ĐU", "issued_on": "2022-01-20", "title": "Kế hoạch"},
            "version": item.version,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "late" and body["days_overdue"] == 5
    assert body["document"]["symbol"] == "07-KH/ĐU"
    item.refresh_from_db()
    assert item.document.implements == assignment.plan
    # The roll-up moves with it.
    rollup = bearer(office).get(f"{BASE}/rollup?unit={tree.city.pk}").json()
    assert rollup["total"]["late"] == 1 and rollup["total"]["missing"] == 5
    assert {c["unit"]["id"]: c["counts"]["late"] for c in rollup["children"]} == {
        tree.ward_a.pk: 1,
        tree.ward_b.pk: 0,
    }


def test_a_stale_version_is_a_conflict_and_bad_input_is_422(tree, office, assignment):
    client = bearer(office)
    item = Fulfilment.objects.get(
        implementation__assignment=assignment,
        implementation__unit=tree.ward_b,
        requirement__kind="report",
    )
    assert (
        post(client, f"{BASE}/items/{item.pk}/done", {"done_on": "2022-06-01"}).status_code == 200
    )
    stale = post(client, f"{BASE}/items/{item.pk}/done", {"done_on": "2022-06-02", "version": 1})
    assert stale.status_code == 409
    doc_item = Fulfilment.objects.get(
        implementation__assignment=assignment,
        implementation__unit=tree.ward_b,
        requirement__kind="issue_document",
    )
    missing_doc = post(client, f"{BASE}/items/{doc_item.pk}/done", {"done_on": "2022-01-10"})
    assert missing_doc.status_code == 422
    assert "văn bản" in missing_doc.json()["detail"]


def test_out_of_scope_is_404_and_read_only_writes_are_403(
    tree, office, other_office, users, assignment
):
    item = Fulfilment.objects.filter(implementation__assignment=assignment).first()
    record = item.implementation
    outsider = bearer(other_office)
    assert outsider.get(f"{BASE}/records/{record.pk}").status_code == 404
    assert outsider.get(f"{BASE}/assignments/{assignment.pk}").status_code == 404
    assert outsider.get(f"{BASE}/items?unit={tree.city.pk}").status_code == 404
    assert (
        post(outsider, f"{BASE}/items/{item.pk}/done", {"done_on": "2022-06-01"}).status_code == 404
    )
    assert outsider.get(f"{BASE}/records").json()["count"] == 0
    reader = bearer(users.read_only)
    assert reader.get(f"{BASE}/records/{record.pk}").status_code == 200
    assert (
        post(reader, f"{BASE}/items/{item.pk}/done", {"done_on": "2022-06-01"}).status_code == 403
    )


def test_a_ward_sees_the_citys_assignment_but_only_its_own_record(tree, assignment):
    from giamsat.accounts.roles import Role
    from tests.factories import make_user

    ward_user = make_user(Role.LEADER, tree.ward_a)
    client = bearer(ward_user)
    assert client.get(f"{BASE}/assignments/{assignment.pk}").status_code == 200
    records = client.get(f"{BASE}/records").json()
    assert [r["unit"]["id"] for r in records["items"]] == [tree.ward_a.pk]


def test_put_into_implementation_through_the_api(tree, province_office, directive, frozen):
    response = post(
        bearer(province_office),
        f"{BASE}/assignments",
        {
            "directive_id": directive.pk,
            "issuing_unit_id": tree.province.pk,
            "assigned_on": "2021-11-26",
            "unit_ids": [tree.city.pk, tree.other.pk],
            "requirements": [
                {"kind": "issue_document", "due_on": "2021-12-16"},
                {"kind": "report", "due_on": "2022-06-30", "label": "Báo cáo sơ kết"},
            ],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["scope_kind"] == "chosen"
    assert [r["kind"] for r in body["requirements"]] == ["issue_document", "report"]
    assignment = Assignment.objects.get(pk=body["id"])
    assert set(assignment.implementations.values_list("unit_id", flat=True)) == {
        tree.city.pk,
        tree.other.pk,
    }


def test_key_tasks_through_the_api(tree, office, frozen):
    from giamsat.implementation import services

    task = services.create_key_task(
        unit=tree.ward_a,
        kind="bottleneck",
        title="Thiếu cán bộ chuyên trách",
        opened_on=D(2022, 1, 10),
        deadline=D(2022, 6, 30),
        acting_user=office,
    )
    client = bearer(office)
    listed = client.get(f"{BASE}/key-tasks?unit={tree.city.pk}").json()
    assert [(t["id"], t["state"]) for t in listed["items"]] == [(task.pk, "overdue")]
    response = post(
        client,
        f"{BASE}/key-tasks/{task.pk}/progress",
        {"date": "2022-09-20", "text": "Đã bố trí 2 cán bộ", "status": "done"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "done_late" and body["closed_on"] == "2022-09-20"
    assert body["updates"][0]["text"] == "Đã bố trí 2 cán bộ"


def test_the_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    for path in (
        "/api/v1/implementation/assignments",
        "/api/v1/implementation/records/{record_id}",
        "/api/v1/implementation/items/{item_id}/done",
        "/api/v1/implementation/rollup",
        "/api/v1/implementation/key-tasks/{task_id}/progress",
    ):
        assert path in paths
