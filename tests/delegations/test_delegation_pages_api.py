"""Delegation pages and API: establish from the page (targets by name, errors by line),
scoped lists, the API answering like the pages, a target's system answering a request."""

import datetime as dt
import json

import time_machine

from giamsat.accounts.api_auth import issue_token
from giamsat.delegations import services
from giamsat.delegations.models import Delegation
from tests.conftest import client_for


def test_establishing_from_the_page(tree, d_users):
    client = client_for(d_users.central_office)
    data = {
        "name": "Đoàn kiểm tra số 5",
        "deciding_body": tree.central.pk,
        "decision_symbol": "12 - QĐ/TƯ",
        "decision_date": "2022-08-15",
        "review_start": "2019-01-01",
        "review_end": "2022-09-30",
        "work_start": "2022-09-01",
        "work_end": "2022-10-31",
        "targets": "thanh pho thanh hoa\nkhông có đơn vị này",
    }
    response = client.post("/delegations/new/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors["targets"]
    assert "line 2" in errors[0] or "dòng 2" in errors[0]
    data["targets"] = "thanh pho thanh hoa\ntruong thi"
    response = client.post("/delegations/new/", data)
    assert response.status_code == 302
    delegation = Delegation.objects.get(name="Đoàn kiểm tra số 5")
    assert delegation.decision_symbol == "12-QĐ/TW"
    assert [t.unit for t in delegation.targets.all()] == [tree.city, tree.ward_a]


def test_the_list_is_scoped(delegation, d_users, django_assert_max_num_queries):
    client = client_for(d_users.host_office)
    with django_assert_max_num_queries(20):
        response = client.get("/delegations/")
    assert [d.pk for d in response.context["page"]] == [delegation.pk]
    response = client_for(d_users.outsider).get("/delegations/")
    assert list(response.context["page"]) == []


def _api(client, method, url, token, data=None):
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if data is not None:
        kwargs.update(data=json.dumps(data), content_type="application/json")
    return getattr(client, method)(url, **kwargs)


@time_machine.travel(dt.datetime(2022, 9, 30, 9, 0), tick=False)
def test_the_api_answers_like_the_pages(client, delegation, d_users, tree):
    request = services.make_request(
        delegation=delegation,
        unit=tree.city,
        kind="appendix",
        text="Gửi phụ lục góp ý, đề xuất.",
        deadline=dt.date(2022, 10, 10),
        acting_user=d_users.member,
    )
    host = issue_token(user=d_users.host_office, name="host")[1]
    data = _api(client, "get", f"/api/v1/delegations/{delegation.pk}", host).json()
    assert data["decision_symbol"] == "85-QĐ/TW"
    assert {t["id"] for t in data["targets"]} == {tree.city.pk, tree.ward_a.pk}
    assert data["summary"] is None  # the summary is for the delegation and its body
    assert [m["full_name"] for m in data["members"]] == ["Nguyễn Lam", "Trần Văn Thành Viên"]
    answered = _api(
        client,
        "post",
        f"/api/v1/delegations/{delegation.pk}/requests/{request.pk}/answer",
        host,
        {"answer": "Đã gửi phụ lục."},
    )
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    outsider = issue_token(user=d_users.outsider, name="out")[1]
    assert _api(client, "get", f"/api/v1/delegations/{delegation.pk}", outsider).status_code == 404
    assert _api(client, "get", "/api/v1/delegations/", outsider).json() == []


def test_pages_render_for_the_delegation(delegation, d_users, tree):
    session = services.schedule_session(
        delegation=delegation, unit=tree.city, date=dt.date(2022, 9, 30), acting_user=None
    )
    client = client_for(d_users.central_office)
    for url in (
        f"/delegations/{delegation.pk}/",
        f"/delegations/{delegation.pk}/edit/",
        f"/delegations/{delegation.pk}/sessions/new/",
        f"/delegations/{delegation.pk}/sessions/{session.pk}/",
        f"/delegations/{delegation.pk}/requests/new/",
        f"/delegations/{delegation.pk}/conclusion/?unit={tree.city.pk}",
    ):
        assert client.get(url).status_code == 200, url
    # the host cannot open the delegation's own forms
    host = client_for(d_users.host_office)
    assert host.get(f"/delegations/{delegation.pk}/conclusion/").status_code == 403
