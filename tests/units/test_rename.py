"""Renaming keeps the name history: each name holds for its own interval."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from giamsat.units.models import ReorgEvent, ReorgKind, UnitName
from giamsat.units.services import Decision, ReorgError, rename_unit

D = dt.date


def test_the_name_on_a_date_is_the_one_valid_that_day(tree):
    """Before the rename the old name, from the rename day the new one; both kept."""
    rename_unit(
        unit=tree.ward_a,
        name="Đảng bộ phường Hạc Thành",
        date=D(2025, 7, 1),
        decision=Decision(symbol="341-QĐ/TW"),
    )
    ward = type(tree.ward_a).objects.get(pk=tree.ward_a.pk)
    assert ward.name == "Đảng bộ phường Hạc Thành"
    assert ward.name_on(D(2025, 6, 30)) == "Đảng bộ phường Trường Thi"
    assert ward.name_on(D(2025, 7, 1)) == "Đảng bộ phường Hạc Thành"
    history = list(UnitName.objects.filter(unit=ward).values_list("name", "valid_from", "valid_to"))
    assert history == [
        ("Đảng bộ phường Trường Thi", D(2015, 1, 1), D(2025, 6, 30)),
        ("Đảng bộ phường Hạc Thành", D(2025, 7, 1), None),
    ]
    event = ReorgEvent.objects.get(kind=ReorgKind.RENAME)
    assert event.decision_symbol == "341-QĐ/TW"
    assert "hac thanh" in ward.name_search


def test_a_future_rename_keeps_todays_name_current(tree, frozen_today):
    """A rename decided for next year shows in the history but not yet in the current name."""
    rename_unit(unit=tree.ward_b, name="Đảng bộ phường Mới", date=D(2027, 1, 1))
    ward = type(tree.ward_b).objects.get(pk=tree.ward_b.pk)
    assert ward.name == "Đảng bộ phường Điện Biên"
    assert ward.name_on(D(2027, 1, 1)) == "Đảng bộ phường Mới"


def test_a_rename_recorded_late_is_inserted_between_names(tree):
    """History entered out of order: the inserted name ends where the next one starts."""
    rename_unit(unit=tree.ward_a, name="Tên ba", date=D(2024, 1, 1))
    rename_unit(unit=tree.ward_a, name="Tên hai", date=D(2020, 1, 1))
    ward = type(tree.ward_a).objects.get(pk=tree.ward_a.pk)
    assert ward.name_on(D(2019, 12, 31)) == "Đảng bộ phường Trường Thi"
    assert ward.name_on(D(2020, 1, 1)) == "Tên hai"
    assert ward.name_on(D(2023, 12, 31)) == "Tên hai"
    assert ward.name_on(D(2024, 1, 1)) == "Tên ba"
    assert ward.name == "Tên ba"


@pytest.mark.parametrize(
    ("name", "date", "message"),
    [
        ("  ", D(2024, 1, 1), "empty"),
        ("Đảng bộ phường Trường Thi", D(2024, 1, 1), "already carries"),
        ("Tên khác", D(2015, 1, 1), "must exist before"),
        ("Tên khác", D(2014, 1, 1), "must exist before"),
    ],
)
def test_impossible_renames_are_refused(tree, name, date, message):
    """Empty, unchanged, or before the unit existed: refused with the reason."""
    with translation.override("en"), pytest.raises(ReorgError) as info:
        rename_unit(unit=tree.ward_a, name=name, date=date)
    assert message in str(info.value)
    assert UnitName.objects.filter(unit=tree.ward_a).count() == 1


def test_two_renames_on_the_same_day_are_refused(tree):
    """The second one would make the first name's interval negative."""
    rename_unit(unit=tree.ward_a, name="Tên một", date=D(2024, 1, 1))
    with translation.override("en"), pytest.raises(ReorgError, match="already has a name"):
        rename_unit(unit=tree.ward_a, name="Tên hai", date=D(2024, 1, 1))
