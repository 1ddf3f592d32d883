"""The directives API: search by symbol (aliases included) or words, filters, detail with the
cascade both ways; 404 out of scope."""

from __future__ import annotations

from tests.units.test_units_api import api


def test_search_by_the_seed_spelling(tree, users, docs):
    client = api(users.authorised)
    body = client.get("/api/v1/directives/", {"q": "03 -KL/TƯ"}).json()
    assert [d["symbol"] for d in body["items"]] == ["03-KH/TW"]
    assert body["items"][0]["label"] == "Kế hoạch 03-KH/TW"
    words = client.get("/api/v1/directives/", {"q": "neu guong"}).json()
    assert [d["symbol"] for d in words["items"]] == ["08-QĐi/TW"]


def test_filters(tree, users, docs):
    client = api(users.authorised)
    body = client.get("/api/v1/directives/", {"doc_type": "KH", "year": 2022}).json()
    assert {d["symbol"] for d in body["items"]} == {"45-KH/TU", "12-KH/ĐU"}
    assert client.get("/api/v1/directives/", {"status": "replaced"}).json()["count"] == 1


def test_detail_with_cascade_and_aliases(tree, users, docs):
    body = api(users.authorised).get(f"/api/v1/directives/{docs['kh03'].pk}").json()
    assert [d["symbol"] for d in body["cascade_up"]] == ["21-KL/TW"]
    assert [(c["depth"], c["directive"]["symbol"]) for c in body["cascade_down"]] == [
        (1, "45-KH/TU"),
        (2, "12-KH/ĐU"),
    ]
    assert body["aliases"] == [
        {"text": "03 -KL/TƯ", "symbol": "03-KL/TW", "note": "bài báo 30/09/2022"}
    ]
    assert body["implements_id"] == docs["kl21"].pk


def test_out_of_scope_is_404_and_links_are_hidden(tree, users, docs):
    client = api(users.authorised)
    assert client.get(f"/api/v1/directives/{docs['other_plan'].pk}").status_code == 404
    listed = client.get("/api/v1/directives/", {"page_size": 500}).json()
    assert docs["other_plan"].symbol not in {d["symbol"] for d in listed["items"]}
