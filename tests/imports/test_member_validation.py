"""Every rule a roster row is checked against: each bad value rejects its row with the column
and the reason; good rows in the same file are unaffected."""

from __future__ import annotations

import pytest

from giamsat.imports.models import RowAction
from tests.imports.conftest import counts, error_fields, member, row_of


def check(stage, tree, **fields):
    """A file with one good row and one row with ``fields``; the preview of the second row."""
    good = member(tree.cell_a1, name="Lê Văn Tốt", card="38009999")
    bad = member(tree.cell_a1, name="Phạm Thị Thử", card="38000002")
    bad.update(fields)
    batch = stage("members", [good, bad])
    assert row_of(batch, 2).action == RowAction.CREATE
    return batch, row_of(batch, 3)


@pytest.mark.parametrize(
    ("fields", "column", "words"),
    [
        ({"full_name": None}, "full_name", "missing"),
        ({"birth_date": None}, "birth_date", "missing"),
        ({"birth_date": "31/02/1980"}, "birth_date", "not a date"),
        ({"birth_date": "1980"}, "birth_date", "Only a year"),
        ({"birth_date": "12/03/2099"}, "birth_date", "future"),
        ({"birth_date": "12/03/1850"}, "birth_date", "before 1900"),
        ({"gender": "X"}, "gender", "not recognised"),
        ({"party_card_number": "12"}, "party_card_number", "not a party card number"),
        ({"identity_number": "03818501234"}, "identity_number", "11 digits"),
        ({"identity_number": "0381850123A"}, "identity_number", "digits only"),
        (
            {"joined_on": "01/01/1980", "birth_date": "01/01/1985"},
            "joined_on",
            "not after the birth",
        ),
        ({"official_on": "01/01/2009"}, "official_on", "before the admission"),
        ({"status": "Dự bị"}, "official_on", "probationary member has no full-member date"),
        ({"status": None}, "status", "missing"),
        ({"status": "Đã chết"}, "status", "not recognised"),
        ({"cell_code": None}, "cell_code", "missing"),
        ({"cell_code": "NO SUCH"}, "cell_code", "not a valid code"),
        ({"cell_code": "NOSUCH"}, "cell_code", "no cell with code NOSUCH"),
        ({"membership_kind": "Vãng lai"}, "membership_kind", "not recognised"),
        ({"membership_from": "01/01/2001"}, "membership_from", "only exists from"),
    ],
)
def test_a_bad_value_rejects_the_row_with_its_column_and_reason(
    stage, tree, english, fields, column, words
):
    batch, row = check(stage, tree, **fields)
    assert row.action == RowAction.REJECT
    messages = dict(row.errors)
    assert column in messages, row.errors
    assert words.lower() in messages[column].lower()
    assert counts(batch) == (1, 0, 0, 1)


def test_a_cell_outside_the_organisation_the_file_covers_is_rejected(stage, tree, english):
    _batch, row = check(stage, tree, cell_code=tree.cell_o1.code)
    assert "cell_code" in dict(row.errors)


def test_a_unit_that_is_not_a_cell_is_rejected(stage, tree, english):
    _batch, row = check(stage, tree, cell_code=tree.ward_a.code)
    assert "not a cell" in dict(row.errors)["cell_code"]


@pytest.mark.parametrize(
    ("fields", "column", "words"),
    [
        ({"joined_on": "01/01/2000", "birth_date": "01/01/1985"}, "joined_on", "age of 18"),
        ({"official_on": "19/10/2010"}, "official_on", "less than 12 months"),
        (
            {"status": "Dự bị", "official_on": None, "joined_on": "01/01/2020"},
            "status",
            "more than 12 months",
        ),
    ],
)
def test_unusual_dates_warn_without_rejecting(stage, tree, english, fields, column, words):
    _batch, row = check(stage, tree, **fields)
    assert row.action == RowAction.CREATE
    assert words in dict(row.warnings)[column]


def test_an_identity_number_that_lost_its_leading_zero_in_excel_is_restored(stage, tree, english):
    _batch, row = check(stage, tree, identity_number=38185012345)
    assert row.action == RowAction.CREATE
    assert "038185012345" in dict(row.warnings)["identity_number"]
    assert row.key == "38000002"


@pytest.mark.parametrize(
    ("second", "column"),
    [
        ({"name": "Hoàng Văn Khác", "card": "38000001"}, "party_card_number"),
        (
            {"name": "Hoàng Văn Khác", "card": "38000005", "identity_number": "038185000001"},
            "identity_number",
        ),
        ({"name": "Nguyen Thi Lan", "card": None}, "full_name"),
    ],
)
def test_repeats_inside_the_file_are_rejected_naming_the_first_row(
    stage, tree, english, second, column
):
    first = member(tree.cell_a1, identity_number="038185000001")
    name = second.pop("name")
    card = second.pop("card")
    batch = stage("members", [first, member(tree.cell_a2, name=name, card=card, **second)])
    assert column in error_fields(batch, 3)
    assert "row 2" in dict(row_of(batch, 3).errors)[column]
    assert row_of(batch, 2).action == RowAction.CREATE


def test_namesakes_with_their_own_card_numbers_are_two_people(stage, tree):
    batch = stage(
        "members",
        [member(tree.cell_a1, card="38000001"), member(tree.cell_a2, card="38000002")],
    )
    assert counts(batch) == (2, 0, 0, 0)


def test_dates_in_iso_form_and_excel_date_cells_are_accepted(stage, tree):
    import datetime as dt

    batch = stage(
        "members",
        [
            member(tree.cell_a1, birth_date="1985-03-12", joined_on=dt.date(2010, 5, 19)),
            member(tree.cell_a1, name="Lê Văn B", card="38000003", birth_date="2/3/1985"),
        ],
    )
    assert counts(batch) == (2, 0, 0, 0)


def test_reasons_are_given_in_vietnamese(stage, tree):
    _batch, row = check(stage, tree, birth_date="1980")
    assert "Chỉ có năm" in dict(row.errors)["birth_date"]
