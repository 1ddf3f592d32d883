"""Vietnamese lists sort by given name, then middle name, then family name, in Vietnamese
letter order (a ă â b c d đ e ê ...); search ignores diacritics (đ = d). These tests run on
SQLite and on PostgreSQL (the keys are stored, so no collation is involved)."""

from __future__ import annotations

from django.db import connection

from giamsat.people.models import Person
from giamsat.units.models import Unit
from tests.conftest import client_for
from tests.factories import make_member

NAMES = [
    "Nguyễn Văn Đức",
    "Trần Thị Dung",
    "Lê Văn An",
    "Phạm Thị Ánh",
    "Hoàng Văn Ấn",
    "Đỗ Thị Anh",
    "Bùi Văn Ân",
    "Ngô Minh Đức",
    "Vũ Thị Ăn",
    "Lý Văn Bình",
    "Mai Văn An",
]
# Given name first, letter by letter in Vietnamese order (a < ă < â, d < đ), tones only
# breaking ties (Anh < Ánh); then middle name, then family name.
EXPECTED = [
    "Lê Văn An",
    "Mai Văn An",
    "Đỗ Thị Anh",
    "Phạm Thị Ánh",
    "Vũ Thị Ăn",
    "Bùi Văn Ân",
    "Hoàng Văn Ấn",
    "Lý Văn Bình",
    "Trần Thị Dung",
    "Ngô Minh Đức",
    "Nguyễn Văn Đức",
]


def test_the_database_orders_people_the_vietnamese_way(db):
    """order_vi() gives the Vietnamese order on this database."""
    for name in NAMES:
        Person.objects.create(full_name=name)
    ordered = list(Person.objects.order_vi().values_list("full_name", flat=True))
    assert ordered == EXPECTED, connection.vendor


def test_the_people_list_shows_that_order(tree, users):
    """The list page (and the API) present people in the same order."""
    for name in NAMES:
        make_member(tree.cell_a1, full_name=name)
    page = client_for(users.authorised).get("/people/")
    assert [p.full_name for p in page.context["page"]] == EXPECTED
    api = client_for(users.authorised).get("/api/v1/people/")
    assert [p["full_name"] for p in api.json()["items"]] == EXPECTED


def test_search_without_diacritics_finds_d_with_stroke(tree, users):
    """'duc' finds both Đức; 'DUC', 'Đức' and 'đức' too; 'dung' finds Dung only."""
    for name in NAMES:
        make_member(tree.cell_a1, full_name=name)
    for query in ("duc", "DUC", "Đức", "đức"):
        found = set(Person.objects.search(query).values_list("full_name", flat=True))
        assert found == {"Nguyễn Văn Đức", "Ngô Minh Đức"}, (query, connection.vendor)
    assert set(Person.objects.search("dung").values_list("full_name", flat=True)) == {
        "Trần Thị Dung"
    }
    page = client_for(users.authorised).get("/people/?q=duc")
    assert {p.full_name for p in page.context["page"]} == {"Nguyễn Văn Đức", "Ngô Minh Đức"}


def test_search_by_card_number(tree, users):
    """Digits search the party card and identity numbers exactly."""
    person = make_member(tree.cell_a1, full_name="Trịnh Văn Số", party_card_number="38012345")
    assert list(Person.objects.search("38012345")) == [person]
    assert list(Person.objects.search("3801234")) == []


def test_unit_search_without_diacritics(tree):
    """'dang bo' finds every 'Đảng bộ'; 'thanh hoa' finds the province and the city."""
    found = set(Unit.objects.search("dang bo").values_list("name", flat=True))
    assert found == {
        "Đảng bộ tỉnh Thanh Hóa",
        "Đảng bộ thành phố Thanh Hóa",
        "Đảng bộ phường Trường Thi",
        "Đảng bộ phường Điện Biên",
        "Đảng bộ thị xã Sầm Sơn",
    }, connection.vendor
    assert set(Unit.objects.search("thanh hoa").values_list("code", flat=True)) == {
        tree.province.code,
        tree.city.code,
    }
