"""The reports API answers like the pages: scoped, 404 out of scope, typed figures for
integrating systems, the workflow, the records behind a figure, recommendations and their
answers, the synthesis; documented in the OpenAPI schema."""

import json

import pytest

from giamsat.accounts.api_auth import issue_token
from tests.conftest import client_for
from tests.reports.conftest import advance, make_report


def _api(client, method, url, data=None, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if data is None:
        return getattr(client, method)(url, **headers)
    return getattr(client, method)(
        url, data=json.dumps(data), content_type="application/json", **headers
    )


@pytest.fixture
def token(report_users):
    return issue_token(user=report_users.office, name="test")[1]


def test_reports_are_listed_in_scope_only(client, tree, template, report_users, token):
    mine = make_report(tree.city, template)
    make_report(tree.other, template)
    response = _api(client, "get", "/api/v1/reports/", token=token)
    assert response.status_code == 200
    assert [r["id"] for r in response.json()] == [mine.pk]


def test_a_report_out_of_scope_is_404(client, tree, template, token):
    other = make_report(tree.other, template)
    assert _api(client, "get", f"/api/v1/reports/{other.pk}", token=token).status_code == 404


def test_the_detail_carries_figures_and_rendered_text(
    client, tree, template, joined, test_indicators, token
):
    report = make_report(tree.city, template)
    data = _api(client, "get", f"/api/v1/reports/{report.pk}", token=token).json()
    figures = {f["code"]: f for f in data["figures"]}
    assert figures["test.joined"]["value"] == 3
    assert figures["absent.inspections"]["available"] is False
    assert "có 3 đảng viên mới chuyển đến" in data["sections"][0]["rendered"]


def test_an_integrating_system_types_in_figures_and_submits(client, tree, template, token):
    created = _api(
        client,
        "post",
        "/api/v1/reports/",
        {
            "unit_id": tree.ward_a.pk,
            "period_start": "2019-01-01",
            "period_end": "2022-09-30",
            "template": template.code,
            "source": "typed",
        },
        token=token,
    )
    assert created.status_code == 201, created.content
    report = created.json()
    response = _api(
        client,
        "put",
        f"/api/v1/reports/{report['id']}/figures",
        {"version": report["version"], "figures": {"test.joined": "1.234"}, "note": "Báo cáo giấy"},
        token=token,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    figure = next(f for f in body["figures"] if f["code"] == "test.joined")
    assert figure["value"] == 1234 and figure["typed"] is True
    stale = _api(
        client,
        "post",
        f"/api/v1/reports/{report['id']}/actions/submit",
        {"version": report["version"]},
        token=token,
    )
    assert stale.status_code == 409
    submitted = _api(
        client,
        "post",
        f"/api/v1/reports/{report['id']}/actions/submit",
        {"version": body["version"]},
        token=token,
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    bad = _api(
        client,
        "put",
        f"/api/v1/reports/{report['id']}/figures",
        {"version": submitted.json()["version"], "figures": {"test.joined": "x"}},
        token=token,
    )
    assert bad.status_code == 400


def test_records_behind_a_frozen_figure(
    client, tree, template, joined, test_indicators, report_users, token
):
    report = advance(
        make_report(tree.city, template), "submit", "accept", "sign", users=report_users
    )
    data = _api(
        client, "get", f"/api/v1/reports/{report.pk}/figures/test.joined/records", token=token
    ).json()
    assert data["frozen"] and data["model"] == "people.membership" and len(data["ids"]) == 3
    # the office lacks VIEW_DISCIPLINE: the records of such a figure are not shown to it
    draft = make_report(tree.city, template)
    draft.sections.create(order=9, text="{test.discipline_like}")
    url = f"/api/v1/reports/{draft.pk}/figures/test.discipline_like/records"
    assert _api(client, "get", url, token=token).status_code == 404
    inspector = issue_token(user=report_users.city_inspector, name="i")[1]
    office_report = _api(client, "get", url, token=inspector)
    assert office_report.status_code == 404  # the inspector does not see drafts
    advance(draft, "submit", users=report_users)
    assert len(_api(client, "get", url, token=inspector).json()["ids"]) == 3


def test_recommendations_answer_and_synthesis(client, tree, report_users, token):
    created = _api(
        client,
        "post",
        "/api/v1/reports/recommendations",
        {
            "unit_id": tree.city.pk,
            "addressee_level": "province",
            "addressee_body": "Tỉnh ủy Thanh Hóa",
            "topic": "Phụ cấp",
            "text": "Nâng mức phụ cấp cho bí thư chi bộ khu phố.",
            "made_on": "2022-09-30",
        },
        token=token,
    )
    assert created.status_code == 201, created.content
    rec = created.json()
    assert rec["due_on"] == "2022-10-31" and rec["addressee_unit_id"] == tree.province.pk
    refused = _api(
        client,
        "post",
        f"/api/v1/reports/recommendations/{rec['id']}/answer",
        {"status": "accepted", "response": "Tiếp thu"},
        token=token,
    )
    assert refused.status_code == 403
    province = issue_token(user=report_users.province_leader, name="p")[1]
    answered = _api(
        client,
        "post",
        f"/api/v1/reports/recommendations/{rec['id']}/answer",
        {"status": "accepted", "response": "Tiếp thu", "responded_on": "2022-10-10"},
        token=province,
    )
    assert answered.status_code == 200 and answered.json()["status"] == "accepted"
    groups = _api(
        client,
        "get",
        f"/api/v1/reports/synthesis?unit_id={tree.city.pk}&period_start=2022-01-01"
        "&period_end=2022-12-31",
        token=token,
    ).json()
    assert groups[0]["unit_count"] == 1 and groups[0]["recommendation_ids"] == [rec["id"]]


def test_completeness_and_the_schema(client, tree, template, token, report_users):
    make_report(tree.ward_a, template)
    rows = _api(
        client,
        "get",
        f"/api/v1/reports/completeness?unit_id={tree.city.pk}&period_start=2019-01-01"
        "&period_end=2022-09-30",
        token=token,
    ).json()
    assert {r["unit"]["id"]: r["status"] for r in rows} == {
        tree.ward_a.pk: "draft",
        tree.ward_b.pk: "missing",
    }
    outsider = issue_token(user=report_users.outsider, name="o")[1]
    assert (
        _api(
            client,
            "get",
            f"/api/v1/reports/completeness?unit_id={tree.city.pk}&period_start=2019-01-01"
            "&period_end=2022-09-30",
            token=outsider,
        ).status_code
        == 404
    )
    schema = client_for(report_users.office).get("/api/openapi.json").json()
    paths = schema["paths"]
    assert "/api/v1/reports/{report_id}" in paths
    assert "/api/v1/reports/recommendations/{rec_id}/answer" in paths
    assert "/api/v1/delegations/{delegation_id}" in paths
