"""The units API: list, detail, children and subtree on any date, paginated, scoped like the
pages (404 out of scope), with documented schemas."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from giamsat.accounts.api_auth import issue_token
from giamsat.units.models import UnitKind
from giamsat.units.services import NewUnit, dissolve_unit, merge_units, move_unit, rename_unit
from tests.factories import make_user

D = dt.date


def api(user):
    _token, clear = issue_token(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {clear}")


def _reform(tree):
    for ward in (tree.ward_a, tree.ward_b):
        move_unit(unit=ward, parent=tree.province, date=D(2025, 7, 1))
    dissolve_unit(unit=tree.city, date=D(2025, 7, 1))


def test_list_is_the_scope_on_the_date(tree, users):
    """The city role lists the seven units of the city's subtree, paginated."""
    client = api(users.authorised)
    body = client.get("/api/v1/units/?as_of=01/01/2024&page_size=5").json()
    assert body["count"] == 7 and len(body["items"]) == 5 and body["as_of"] == "2024-01-01"
    rest = client.get("/api/v1/units/?as_of=2024-01-01&page_size=5&page=2").json()
    codes = {u["code"] for u in body["items"] + rest["items"]}
    assert codes == {
        u.code
        for u in (
            tree.city,
            tree.city_inspection,
            tree.ward_a,
            tree.cell_a1,
            tree.cell_a2,
            tree.ward_b,
            tree.cell_b1,
        )
    }


def test_list_filters_by_search_and_kind(tree, users):
    client = api(users.authorised)
    assert [u["code"] for u in client.get("/api/v1/units/?q=truong thi").json()["items"]] == [
        tree.ward_a.code
    ]
    cells = client.get("/api/v1/units/?kind=cell").json()
    assert cells["count"] == 3
    assert client.get("/api/v1/units/?kind=planet").status_code == 422
    bad = client.get("/api/v1/units/?as_of=30/02/2024")
    assert bad.status_code == 422 and "dd/mm/yyyy" in bad.json()["detail"]


def test_detail_reads_the_unit_on_a_date(tree, users):
    """Names follow the date; parent, ancestors and lineage only as far as the scope goes."""
    rename_unit(unit=tree.ward_a, name="Đảng bộ phường Hạc Thành", date=D(2025, 7, 1))
    client = api(users.authorised)
    old = client.get(f"/api/v1/units/{tree.ward_a.pk}?as_of=01/01/2024").json()
    assert old["name"] == "Đảng bộ phường Trường Thi"
    assert old["current_name"] == "Đảng bộ phường Hạc Thành"
    assert old["parent_id"] == tree.city.pk
    assert [a["id"] for a in old["ancestors"]] == [tree.city.pk]  # the province is out of scope
    assert [n["name"] for n in old["names"]] == [
        "Đảng bộ phường Trường Thi",
        "Đảng bộ phường Hạc Thành",
    ]
    city = client.get(f"/api/v1/units/{tree.city.pk}").json()
    assert city["parent_id"] is None  # the province exists but is not the caller's to see


def test_lineage_in_the_detail(tree, users):
    new = merge_units(
        sources=[tree.ward_a, tree.ward_b],
        new_unit=NewUnit(code="HT", name="Đảng bộ phường Hạc Thành", kind=UnitKind.GRASSROOTS_ORG),
        parent=tree.city,
        date=D(2025, 7, 1),
    )
    client = api(users.authorised)
    body = client.get(f"/api/v1/units/{tree.ward_a.pk}").json()
    assert body["valid_to"] == "2025-06-30" and body["as_of"] == "2025-06-30"
    assert [e["unit"]["id"] for e in body["became"]] == [new.pk]
    came = client.get(f"/api/v1/units/{new.pk}").json()["came_from"]
    assert {e["unit"]["id"] for e in came} == {tree.ward_a.pk, tree.ward_b.pk}


def test_children_and_subtree_follow_the_reform(tree, users):
    """As of 2024 the province holds the city; as of 2026 the wards directly."""
    _reform(tree)
    client = api(make_user("leader", tree.province))
    before = client.get(f"/api/v1/units/{tree.province.pk}/children?as_of=01/01/2024").json()
    after = client.get(f"/api/v1/units/{tree.province.pk}/children?as_of=01/01/2026").json()
    assert {u["code"] for u in before["items"]} == {tree.city.code, tree.other.code}
    assert {u["code"] for u in after["items"]} == {
        tree.ward_a.code,
        tree.ward_b.code,
        tree.other.code,
    }
    subtree = client.get(
        f"/api/v1/units/{tree.province.pk}/subtree?as_of=01/01/2026&page_size=500"
    ).json()
    assert tree.city.code not in {u["code"] for u in subtree["items"]}
    assert subtree["count"] == 8  # province, 2 wards, 3 cells, the town and its cell


def test_out_of_scope_is_404_everywhere(tree, users):
    client = api(users.outsider)
    for path in ("", "/children", "/subtree"):
        assert client.get(f"/api/v1/units/{tree.ward_a.pk}{path}").status_code == 404
        assert client.get(f"/api/v1/units/999999{path}").status_code == 404


def test_openapi_documents_the_endpoints(db):
    schema = Client().get("/api/openapi.json").json()
    for path in (
        "/api/v1/units/",
        "/api/v1/units/{unit_id}",
        "/api/v1/units/{unit_id}/children",
        "/api/v1/units/{unit_id}/subtree",
        "/api/v1/people/",
        "/api/v1/people/{person_id}",
        "/api/v1/directives/",
        "/api/v1/directives/{directive_id}",
    ):
        assert path in schema["paths"], path
    unit_out = schema["components"]["schemas"]["UnitOut"]["properties"]
    assert "description" in unit_out["name"] and "description" in unit_out["valid_to"]
