"""The petitions API is scoped exactly like the pages, never returns an identity, answers 404
for conflicts of interest and out-of-scope records, 409 for stale versions, and is documented
in the OpenAPI schema."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from giamsat.accounts.api_auth import issue_token
from giamsat.petitions.models import Petition, Status
from tests.petitions.factories import classified, hotline_petition

D = dt.date


def _api(user) -> tuple[Client, dict]:
    _token, clear = issue_token(user=user, name="test")
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {clear}"}


@pytest.fixture
def letter(tree, frozen):
    return hotline_petition(tree.city)[0]


def test_list_and_detail_in_scope_only(letter, users, tree):
    elsewhere, _ = hotline_petition(tree.other)
    client, auth = _api(users.authorised)
    items = client.get("/api/v1/petitions/", **auth).json()["items"]
    assert [i["id"] for i in items] == [letter.pk]
    detail = client.get(f"/api/v1/petitions/{letter.pk}", **auth).json()
    assert detail["code"] == letter.code and detail["content"] == letter.content
    assert detail["has_identity"] is True
    assert not {"identity", "full_name", "phone", "receipt_hash"} & set(detail)
    assert client.get(f"/api/v1/petitions/{elsewhere.pk}", **auth).status_code == 404
    assert client.get("/api/v1/petitions/999999", **auth).status_code == 404


def test_users_without_the_capability_see_nothing(letter, users):
    client, auth = _api(users.read_only)  # a leader: no petitions capability
    assert client.get("/api/v1/petitions/", **auth).json()["items"] == []
    assert client.get(f"/api/v1/petitions/{letter.pk}", **auth).status_code == 404


def test_anonymous_calls_are_refused(letter):
    assert Client().get("/api/v1/petitions/").status_code == 401


def test_filters(letter, users, tree):
    other, _ = hotline_petition(tree.city, signer_count=9)
    client, auth = _api(users.authorised)
    grouped = client.get("/api/v1/petitions/", {"group": "true"}, **auth).json()["items"]
    assert [i["id"] for i in grouped] == [other.pk]
    by_status = client.get("/api/v1/petitions/", {"status": "received"}, **auth).json()
    assert by_status["count"] == 2
    assert client.get("/api/v1/petitions/", {"status": "nonsense"}, **auth).status_code == 422


def test_an_integrating_system_records_a_letter_and_gets_the_receipt_code(users, tree, frozen):
    client, auth = _api(users.authorised)
    response = client.post(
        "/api/v1/petitions/",
        {
            "unit_id": tree.city.pk,
            "received_on": "2024-03-04",
            "content": "Phản ánh qua ứng dụng định danh quốc gia.",
            "declared_class": "proposal",
            "identity": {"full_name": "Người Gửi Qua Ứng Dụng"},
        },
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201
    body = response.json()
    petition = Petition.objects.get(pk=body["id"])
    assert petition.channel == "electronic" and petition.identity is not None
    assert len(body["receipt_code"].replace(" ", "")) == 20
    assert "Người Gửi" not in response.content.decode()
    # Outside the caller's scope: 404, nothing written.
    refused = client.post(
        "/api/v1/petitions/",
        {"unit_id": tree.other.pk, "received_on": "2024-03-04", "content": "x"},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 404 and Petition.objects.count() == 1


def test_classify_accept_conclude_answer_through_the_api(letter, users, frozen):
    client, auth = _api(users.authorised)
    url = f"/api/v1/petitions/{letter.pk}"
    body = client.post(
        f"{url}/classify",
        {
            "version": letter.version,
            "petition_class": "denunciation",
            "matter": "party",
            "admissible": True,
        },
        content_type="application/json",
        **auth,
    ).json()
    assert body["petition_class"] == "denunciation"
    body = client.post(
        f"{url}/accept",
        {"version": body["version"], "accepted_on": "2024-03-04"},
        content_type="application/json",
        **auth,
    ).json()
    assert body["status"] == Status.IN_HANDLING and body["due_on"] == "2024-06-03"
    assert any("Điều 148" in line for line in body["deadline_explanation"])
    body = client.post(
        f"{url}/conclude",
        {
            "version": body["version"],
            "concluded_on": "2024-03-04",
            "outcome": "unfounded",
            "conclusion": "Không có cơ sở.",
        },
        content_type="application/json",
        **auth,
    ).json()
    body = client.post(
        f"{url}/answer",
        {"version": body["version"], "answered_on": "2024-03-04", "text": "Đã trả lời."},
        content_type="application/json",
        **auth,
    ).json()
    assert body["status"] == Status.ANSWERED


def test_stale_versions_get_409_and_bad_requests_400(letter, users):
    client, auth = _api(users.authorised)
    url = f"/api/v1/petitions/{letter.pk}/classify"
    payload = {"petition_class": "denunciation", "matter": "party", "admissible": True}
    assert (
        client.post(
            url, {**payload, "version": letter.version}, content_type="application/json", **auth
        ).status_code
        == 200
    )
    stale = client.post(
        url, {**payload, "version": letter.version}, content_type="application/json", **auth
    )
    assert stale.status_code in (400, 409)
    classified_letter, _ = hotline_petition(letter.unit)
    classified(classified_letter, users.authorised)
    classified_letter.refresh_from_db()
    conflict = client.post(
        f"/api/v1/petitions/{classified_letter.pk}/accept",
        {"version": classified_letter.version - 1, "accepted_on": "2024-03-04"},
        content_type="application/json",
        **auth,
    )
    assert conflict.status_code == 409
    bad = client.post(
        f"/api/v1/petitions/{classified_letter.pk}/accept",
        {"version": classified_letter.version, "accepted_on": "2030-01-01"},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 400 and "ngày" in bad.json()["detail"].lower()


def test_petitions_are_documented_in_the_openapi_schema(db, users):
    client, auth = _api(users.authorised)
    schema = client.get("/api/openapi.json", **auth).json()
    paths = [p for p in schema["paths"] if p.startswith("/api/v1/petitions")]
    assert "/api/v1/petitions/" in paths and "/api/v1/petitions/{petition_id}" in paths
    out = schema["components"]["schemas"]["PetitionOut"]["properties"]
    assert "identity" not in out and "is_anonymous" in out
    identity_in = schema["components"]["schemas"]["IdentityIn"]
    assert "never returned" in identity_in["description"]
