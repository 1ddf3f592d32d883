"""Reading single cells: dates in every accepted form, numbers typed as text, coded words."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from giamsat.imports import values
from giamsat.imports.columns import genders, statuses, unit_kinds


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_date_reads_back_in_each_accepted_form(day):
    for text in (
        day.strftime("%d/%m/%Y"),
        f"{day.day}/{day.month}/{day.year}",
        day.isoformat(),
        day.strftime("%d-%m-%Y"),
        day.strftime("%d.%m.%Y"),
    ):
        assert values.date(text) == day
    assert values.date(dt.datetime.combine(day, dt.time())) == day


@pytest.mark.parametrize("cell", [38012345, 38012345.0, " 38 012 345 ", "38.012.345"])
def test_card_numbers_typed_as_numbers_or_with_separators(cell):
    assert values.card_number(cell) == "38012345"


def test_identity_numbers_keep_their_zero_when_typed_as_text():
    assert values.identity_number("038185012345") == ("038185012345", None)
    number, warning = values.identity_number(38185012345)
    assert number == "038185012345"
    assert warning


@pytest.mark.parametrize(
    ("vocabulary", "word", "expected"),
    [
        (genders, "NỮ", "female"),
        (genders, "nu", "female"),
        (statuses, "Đảng viên dự bị", "probationary"),
        (statuses, "chinh thuc", "full"),
        (unit_kinds, "Chi bộ cơ sở", "grassroots_cell"),
        (unit_kinds, "Đảng bộ phường", "grassroots_org"),
    ],
)
def test_coded_words_are_read_in_any_spelling(vocabulary, word, expected):
    assert values.choice(word, vocabulary(), "") == expected


@pytest.mark.parametrize(
    ("word", "expected"), [("Có", True), ("x", True), ("Không", False), (None, None), (True, True)]
)
def test_yes_no(word, expected):
    assert values.yes_no(word) is expected


def test_codes_are_split_on_semicolons_and_checked():
    assert values.codes("A-1; B/2 ,C.3") == ["A-1", "B/2", "C.3"]
    with pytest.raises(values.CellError):
        values.codes("A 1")
