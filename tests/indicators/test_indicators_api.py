"""GET /api/v1/indicators: the same figures as the pages, scoped (404 otherwise)."""

import datetime as dt

import pytest

from giamsat.accounts.api_auth import issue_token
from tests.study.factories import make_directive, make_session, mark


@pytest.fixture
def recorded(tree, members):
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [make_directive(4)])
    for person in members[tree.cell_a1.code]:
        mark(session, person)
    return session


def bearer(user):
    _token, clear = issue_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {clear}"}


def q(unit, **extra):
    return {"unit": unit.pk, "from": "01/01/2022", "to": "30/09/2022", **extra}


def test_values_of_a_unit(client, tree, users, recorded):
    response = client.get(
        "/api/v1/indicators/", q(tree.city, code="study"), **bearer(users.read_only)
    )
    assert response.status_code == 200
    data = {i["code"]: i for i in response.json()}
    assert data["study.attendances"]["value"] == 2
    assert data["study.participation_rate"]["denominator"] == 4
    assert {"code", "label", "value", "unit_of_measure"} <= set(data["study.sessions"])


def test_one_value_breakdown_and_records(client, tree, users, recorded):
    auth = bearer(users.read_only)
    one = client.get("/api/v1/indicators/study.attendances", q(tree.city), **auth).json()
    assert one["value"] == 2
    children = client.get(
        "/api/v1/indicators/study.attendances/breakdown", q(tree.city), **auth
    ).json()
    assert {c["unit"]: c["value"] for c in children["children"]} == {
        "Đảng bộ phường Trường Thi": 2,
        "Đảng bộ phường Điện Biên": 0,
    }
    records = client.get(
        "/api/v1/indicators/study.attendances/records", q(tree.city), **auth
    ).json()
    assert records["count"] == 2 and len(records["items"]) == 2
    item = records["items"][0]
    assert item["links"] and item["cells"]


def test_out_of_scope_units_and_unknown_codes_are_404(client, tree, users, recorded):
    auth = bearer(users.outsider)
    assert client.get("/api/v1/indicators/", q(tree.city), **auth).status_code == 404
    assert (
        client.get("/api/v1/indicators/study.attendances", q(tree.city), **auth).status_code == 404
    )
    assert (
        client.get(
            "/api/v1/indicators/study.attendances/records", q(tree.ward_a), **auth
        ).status_code
        == 404
    )
    mine = bearer(users.read_only)
    assert client.get("/api/v1/indicators/no.such", q(tree.city), **mine).status_code == 404


def test_without_credentials_401(client, tree):
    assert client.get("/api/v1/indicators/", q(tree.city)).status_code == 401


def test_the_catalogue_lists_definitions(client, users):
    data = client.get("/api/v1/indicators/catalogue", **bearer(users.read_only)).json()
    codes = {i["code"] for i in data}
    assert "study.participation_rate" in codes
