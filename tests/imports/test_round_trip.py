"""Export → import changes nothing, for every template."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from giamsat.imports.exports import export_workbook
from giamsat.imports.models import ImportKind
from giamsat.people.models import Membership, MembershipKind, Post, PostKind
from giamsat.units.models import Unit, UnitKind
from giamsat.units.services import Decision, NewUnit, merge_units, rename_unit
from tests.factories import make_member, make_unit
from tests.imports.conftest import TODAY, counts


@pytest.fixture
def history(tree, members):
    """Renames, a merge, posts, a temporary membership and awkward values."""
    rename_unit(unit=tree.cell_a1, name="Chi bộ khu phố 1 (mới)", date=dt.date(2020, 1, 1))
    cell_b2 = make_unit("Chi bộ khu phố 4", UnitKind.CELL, tree.ward_b, code="CB-B2")
    merge_units(
        sources=[tree.cell_b1, cell_b2],
        new_unit=NewUnit(code="CB-HOP", name="Chi bộ Hợp nhất", kind=UnitKind.CELL),
        parent=tree.ward_b,
        date=dt.date(2025, 7, 1),
        decision=Decision(symbol="12-QĐ/ĐU", date=dt.date(2025, 6, 20)),
    )
    lan = members[tree.cell_a1.code][0]
    Post.objects.create(
        person=lan,
        unit=tree.cell_a1,
        kind=PostKind.SECRETARY,
        title="=Bí thư",
        is_head=True,
        valid_from=dt.date(2016, 1, 1),
        valid_to=dt.date(2020, 12, 31),
    )
    Post.objects.create(
        person=lan,
        unit=tree.ward_a,
        kind=PostKind.COMMITTEE_MEMBER,
        title="Đảng ủy viên",
        valid_from=dt.date(2021, 1, 1),
    )
    Membership.objects.create(
        person=lan, unit=tree.cell_a2, kind=MembershipKind.TEMPORARY, valid_from=dt.date(2024, 1, 1)
    )
    make_member(
        tree.cell_a2,
        full_name="Trần Thị Không Số",
        party_card_number=None,
        identity_number="038185000123",
        gender="",
        joined_on=None,
        official_on=None,
        status="probationary",
    )


@pytest.mark.parametrize("kind", ImportKind.values)
def test_export_then_import_changes_nothing(tree, stage, clerk, history, kind):
    data, exported = export_workbook(kind, user=clerk, unit=tree.city, as_of=TODAY)
    assert exported > 0
    with CaptureQueriesContext(connection) as queries:
        batch = stage(kind, [], data=data, name="export.xlsx")
    assert batch.status == "ready", batch.error
    assert counts(batch) == (0, 0, exported, 0), list(
        batch.rows.values_list("row_number", "errors", "changes")
    )
    assert batch.missing_count == 0
    written = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")
    ]
    assert all("imports_" in sql or "SAVEPOINT" in sql for sql in written), written


def test_the_export_covers_only_the_users_organisations(tree, clerk, members, history):
    from io import BytesIO

    from giamsat.core.excel import read_sheet

    data, _count = export_workbook("members", user=clerk, unit=tree.province, as_of=TODAY)
    cells = {row[8] for _n, row in read_sheet(BytesIO(data), "x.xlsx").rows}
    assert tree.cell_o1.code not in cells
    assert tree.cell_a1.code in cells
    units, _n = export_workbook("units", user=clerk, unit=tree.city, as_of=TODAY)
    codes = {row[0] for _n, row in read_sheet(BytesIO(units), "x.xlsx").rows}
    assert tree.other.code not in codes
    assert {tree.city.code, tree.cell_b1.code, "CB-HOP"} <= codes
    assert Unit.objects.get(code="CB-HOP")
