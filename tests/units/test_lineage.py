"""Lineage answers "what did unit X become" and "which units of 2022 make up unit Y today"
across chains of reorganisations."""

from __future__ import annotations

import datetime as dt

from giamsat.units.models import UnitKind
from giamsat.units.services import (
    NewUnit,
    merge_units,
    predecessors_on,
    rename_unit,
    split_unit,
    successors,
)
from tests.factories import make_unit

D = dt.date


def _ward(name, parent):
    return make_unit(f"Đảng bộ phường {name}", UnitKind.GRASSROOTS_ORG, parent)


def test_the_2025_reform_answers_both_questions(tree, frozen_today):
    """Three 2022 wards merge into Hạc Thành in 2025; a fourth joins it in 2026 (sáp nhập)."""
    lam_son = _ward("Lam Sơn", tree.city)
    ba_dinh = _ward("Ba Đình", tree.city)
    hac_thanh = merge_units(
        sources=[tree.ward_a, tree.ward_b, lam_son],
        new_unit=NewUnit(code="HT", name="Đảng bộ phường Hạc Thành", kind=UnitKind.GRASSROOTS_ORG),
        parent=tree.province,
        date=D(2025, 7, 1),
    )
    merge_units(sources=[ba_dinh], into=hac_thanh, date=D(2026, 1, 1))
    # What did Trường Thi become?
    assert successors(tree.ward_a) == [hac_thanh]
    assert successors(ba_dinh) == [hac_thanh]
    # Which units of 2022 make up Hạc Thành today?
    made_of = {u.pk for u in predecessors_on(hac_thanh, D(2022, 9, 30))}
    assert made_of == {tree.ward_a.pk, tree.ward_b.pk, lam_son.pk, ba_dinh.pk}
    # ... and of the second half of 2025, before Ba Đình joined: Hạc Thành itself and Ba Đình
    assert {u.pk for u in predecessors_on(hac_thanh, D(2025, 9, 1))} == {hac_thanh.pk, ba_dinh.pk}
    # a unit that still exists became nothing else
    assert successors(hac_thanh) == []
    assert predecessors_on(tree.other, D(2022, 1, 1)) == [tree.other]


def test_lineage_follows_a_merge_then_a_split(tree):
    """A and B merge (2023) into AB; AB splits (2025) into X and Y."""
    ab = merge_units(
        sources=[tree.ward_a, tree.ward_b],
        new_unit=NewUnit(code="AB", name="Đảng bộ phường AB", kind=UnitKind.GRASSROOTS_ORG),
        date=D(2023, 1, 1),
    )
    x, y = split_unit(
        source=ab,
        into=[
            NewUnit(code="X", name="Đảng bộ phường X", kind=UnitKind.GRASSROOTS_ORG),
            NewUnit(code="Y", name="Đảng bộ phường Y", kind=UnitKind.GRASSROOTS_ORG),
        ],
        date=D(2025, 1, 1),
    )
    assert {u.pk for u in successors(tree.ward_a)} == {x.pk, y.pk}
    assert successors(tree.ward_a, on=D(2024, 1, 1)) == [ab]
    assert {u.pk for u in predecessors_on(y, D(2022, 1, 1))} == {tree.ward_a.pk, tree.ward_b.pk}
    assert predecessors_on(y, D(2024, 1, 1)) == [ab]
    assert predecessors_on(y, D(2014, 1, 1)) == []


def test_a_rename_is_not_a_lineage_change(tree):
    """Renamed units stay the same unit: nothing to follow."""
    rename_unit(unit=tree.ward_a, name="Đảng bộ phường Mới", date=D(2024, 1, 1))
    assert successors(tree.ward_a) == []
    assert predecessors_on(tree.ward_a, D(2020, 1, 1)) == [tree.ward_a]
