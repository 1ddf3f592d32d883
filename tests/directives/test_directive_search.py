"""Directives are found by their symbol written in any accepted spelling, by an alias (the
seed's "03 -KL/TƯ" finds Kế hoạch 03-KH/TW), and by words typed without diacritics."""

from __future__ import annotations

import pytest
from django.db import connection

from giamsat.directives.models import Directive
from tests.conftest import client_for


@pytest.mark.parametrize(
    "query",
    ["03-KH/TW", "Số 03-KH/TW", "3-kh/tw", "03 - KH / TW", "03–KH/TW", "Kế hoạch số 03-KH/TW"],
)
def test_any_accepted_spelling_finds_the_plan(docs, query):
    assert list(Directive.objects.search(query)) == [docs["kh03"]], connection.vendor


@pytest.mark.parametrize("query", ["03 -KL/TƯ", "03-KL/TW", "Kế hoạch số 03 -KL/TƯ", "kl/tư"])
def test_the_malformed_seed_symbol_finds_the_plan_through_its_alias(docs, query):
    """The article's '03 -KL/TƯ' is recorded as an alias of 03-KH/TW, so it finds it."""
    assert docs["kh03"] in Directive.objects.search(query)
    assert docs["kl21"] not in Directive.objects.search(query)


def test_qdi_and_qd_are_both_accepted(docs):
    """'08-QDi/TW' typed without Đ finds Quy định 08-QĐi/TW."""
    assert list(Directive.objects.search("08-QDi/TW")) == [docs["qd08"]]
    assert list(Directive.objects.search("08-qđi/tw")) == [docs["qd08"]]


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("chinh don dang", {"nq04", "kl21"}),
        ("CHỈNH ĐỐN", {"nq04", "kl21"}),
        ("neu guong", {"qd08"}),
        ("kiem tra, giam sat", {"qd22", "qd296"}),
        ("truong thi", {"ward_plan"}),
    ],
)
def test_words_without_diacritics(docs, query, keys):
    """Words match the title whatever the diacritics (đ = d), on both databases."""
    found = set(Directive.objects.search(query))
    assert found == {docs[k] for k in keys}, (query, connection.vendor)


def test_a_partial_symbol_matches_as_text(docs):
    """'21-KL' is no full symbol; it still finds the conclusion and what cites it."""
    found = set(Directive.objects.search("21-KL"))
    assert docs["kl21"] in found


def test_the_list_page_searches_in_scope(tree, users, docs):
    """Through the page: the alias works and sibling documents stay hidden."""
    client = client_for(users.authorised)
    page = client.get("/directives/?q=03 -KL/TƯ")
    assert [d.symbol for d in page.context["page"]] == ["03-KH/TW"]
    page = client.get("/directives/?q=ke hoach")
    symbols = {d.symbol for d in page.context["page"]}
    assert {"03-KH/TW", "45-KH/TU", "12-KH/ĐU"} <= symbols
    assert "07-KH/TU" not in symbols
