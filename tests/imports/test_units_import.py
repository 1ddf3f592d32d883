"""Organisations: created in any order under the right parents, renamed, moved or dissolved
through the units services; refusals of the services reject the row; previews write nothing."""

from __future__ import annotations

import datetime as dt

from giamsat.imports.models import RowAction
from giamsat.imports.services import apply_batch
from giamsat.people.models import Membership
from giamsat.units.models import Unit, UnitAncestry, UnitName
from tests.imports.conftest import TODAY, counts, row_of


def unit_row(code, name, kind="Chi bộ", parent=None, start="01/01/2020", end=None, organ=None):
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "parent_code": parent,
        "valid_from": start,
        "valid_to": end,
        "organ_kind": organ,
    }


def snapshot():
    return (Unit.objects.count(), UnitAncestry.objects.count(), UnitName.objects.count())


def test_a_new_subtree_is_created_parents_first_whatever_the_order(tree, stage, clerk):
    data = [
        unit_row("CB-NEW-1", "Chi bộ Mới 1", parent="DB-NEW"),
        unit_row("DB-NEW", "Đảng bộ phường Mới", kind="Đảng bộ cơ sở", parent=tree.city.code),
        unit_row(
            "UBKT-NEW",
            "Ủy ban Kiểm tra Đảng ủy phường Mới",
            kind="Cơ quan của cấp ủy",
            parent="DB-NEW",
            organ="Ủy ban kiểm tra",
        ),
    ]
    before = snapshot()
    batch = stage("units", data)
    assert counts(batch) == (3, 0, 0, 0)
    assert snapshot() == before  # the preview ran the services and rolled them back
    apply_batch(batch=batch, acting_user=clerk)
    ward = Unit.objects.get(code="DB-NEW")
    day = dt.date(2020, 6, 1)
    assert set(Unit.objects.subtree_of(ward, day).values_list("code", flat=True)) == {
        "DB-NEW",
        "CB-NEW-1",
        "UBKT-NEW",
    }
    assert ward.parent_on(day) == tree.city
    assert Unit.objects.get(code="UBKT-NEW").organ_kind == "inspection_commission"


def test_existing_units_are_renamed_moved_and_dissolved_from_the_date_of_the_data(
    tree, stage, clerk
):
    data = [
        unit_row(
            tree.cell_a1.code, "Chi bộ khu phố 1 mới", parent=tree.ward_a.code, start="01/01/2015"
        ),
        unit_row(tree.cell_a2.code, tree.cell_a2.name, parent=tree.ward_b.code, start="01/01/2015"),
        unit_row(
            tree.cell_b1.code,
            tree.cell_b1.name,
            parent=tree.ward_b.code,
            start="01/01/2015",
            end="31/10/2026",
        ),
    ]
    batch = stage("units", data)
    assert counts(batch) == (0, 3, 0, 0)
    assert row_of(batch, 2).changes == [["name", "Chi bộ khu phố 1", "Chi bộ khu phố 1 mới"]]
    assert row_of(batch, 3).changes == [["parent_code", tree.ward_a.code, tree.ward_b.code]]
    apply_batch(batch=batch, acting_user=clerk)
    a1 = Unit.objects.get(pk=tree.cell_a1.pk)
    assert a1.name == "Chi bộ khu phố 1 mới"
    assert a1.name_on(TODAY - dt.timedelta(days=1)) == "Chi bộ khu phố 1"
    assert Unit.objects.get(pk=tree.cell_a2.pk).parent_on(TODAY) == tree.ward_b
    assert (
        Unit.objects.get(pk=tree.cell_a2.pk).parent_on(TODAY - dt.timedelta(days=1)) == tree.ward_a
    )
    assert Unit.objects.get(pk=tree.cell_b1.pk).valid_to == dt.date(2026, 10, 31)


def test_a_dissolution_the_services_refuse_rejects_only_its_row(
    tree, stage, clerk, members, english
):
    data = [
        unit_row(
            tree.cell_a1.code,
            tree.cell_a1.name,
            parent=tree.ward_a.code,
            start="01/01/2015",
            end="31/10/2026",
        ),
        unit_row("CB-X", "Chi bộ X", parent=tree.ward_a.code),
    ]
    batch = stage("units", data)
    assert "still has 2 member(s)" in dict(row_of(batch, 2).errors)["code"]
    assert row_of(batch, 3).action == RowAction.CREATE
    apply_batch(batch=batch, acting_user=clerk, skip_rejected=True)
    assert Unit.objects.get(pk=tree.cell_a1.pk).valid_to is None
    assert Membership.objects.filter(unit=tree.cell_a1).valid_on(TODAY).count() == 2
    assert Unit.objects.filter(code="CB-X").exists()


def test_unit_rules(tree, stage, english):
    data = [
        unit_row(
            tree.cell_a1.code,
            tree.cell_a1.name,
            kind="Đảng bộ cơ sở",
            parent=tree.ward_a.code,
            start="01/01/2015",
        ),
        unit_row("CB-1", "Chi bộ 1", parent="NOWHERE"),
        unit_row("CB-2", "Chi bộ 2", parent=tree.other.code),
        unit_row("CB-3", "Chi bộ 3", parent="CB-4"),
        unit_row("CB-4", "Chi bộ 4", parent="CB-3"),
        unit_row("CB-5", "Chi bộ 5"),
        unit_row("CB-6", "Chi bộ 6", parent=tree.ward_a.code, start="01/01/2010"),
        unit_row("CB-7", "Chi bộ 7", parent=tree.ward_a.code, kind="Cơ quan của cấp ủy"),
        unit_row("CB-8", None, parent=tree.ward_a.code),
        unit_row("CB-8", "Chi bộ 8 lặp", parent=tree.ward_a.code),
        unit_row(tree.cell_o1.code, "Ngoài", parent=tree.ward_a.code, start="01/01/2015"),
        unit_row(tree.cell_a2.code, tree.cell_a2.name, parent=tree.ward_a.code, start="02/02/2016"),
    ]
    batch = stage("units", data)
    expected = {
        2: "kind",
        3: "parent_code",
        4: "parent_code",
        5: "parent_code",
        6: "parent_code",
        7: "parent_code",
        8: "valid_from",
        9: "organ_kind",
        10: "name",
        11: "code",
        12: "code",
        13: "valid_from",
    }
    for number, column in expected.items():
        row = row_of(batch, number)
        assert row.action == RowAction.REJECT, number
        assert column in dict(row.errors), (number, row.errors)
    assert batch.created_count == 0
