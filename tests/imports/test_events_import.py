"""Reorganisation events are applied in date order through the units services; events already
recorded are unchanged; refusals reject their row; the preview writes nothing."""

from __future__ import annotations

import datetime as dt

from giamsat.imports.models import RowAction
from giamsat.imports.services import apply_batch
from giamsat.people.models import Membership
from giamsat.units.models import Lineage, ReorgEvent, Unit
from tests.imports.conftest import counts, row_of

REFORM = dt.date(2025, 7, 1)


def event(kind, date="01/07/2025", **fields):
    return {"event": kind, "date": date, **fields}


def test_a_reform_is_applied_in_date_order_with_history(tree, stage, clerk, members):
    data = [
        # listed out of order: the merge needs the new ward committee established first
        event(
            "Sáp nhập",
            units=f"{tree.cell_a2.code}; {tree.cell_b1.code}",
            target_code="CB-MOI",
            decision_symbol="125-QĐ/TU",
        ),
        event(
            "Thành lập",
            date="15/06/2025",
            new_code="CB-MOI",
            new_name="Chi bộ khu phố Mới",
            new_kind="Chi bộ",
            parent_code=tree.ward_a.code,
        ),
        event("Đổi tên", units=tree.ward_a.code, new_name="Đảng bộ phường Hạc Thành"),
        event(
            "Chia tách",
            units=tree.cell_a1.code,
            new_code="CB-A1-1; CB-A1-2",
            new_name="Chi bộ 1A; Chi bộ 1B",
            new_kind="Chi bộ",
        ),
        event("Điều chuyển", units="CB-A1-2", parent_code=tree.ward_b.code, date="01/08/2025"),
        event("Giải thể", units="CB-A1-1", date="01/09/2025"),
    ]
    before = (Unit.objects.count(), ReorgEvent.objects.count())
    batch = stage("events", data)
    assert (Unit.objects.count(), ReorgEvent.objects.count()) == before
    assert [row_of(batch, n).action for n in range(2, 8)] == [
        RowAction.UPDATE,
        RowAction.CREATE,
        RowAction.UPDATE,
        RowAction.CREATE,
        RowAction.UPDATE,
        RowAction.REJECT,  # CB-A1-1 received the members of the split cell
    ]
    apply_batch(batch=batch, acting_user=clerk, skip_rejected=True)
    target = Unit.objects.get(code="CB-MOI")
    moved = set(
        Membership.objects.filter(unit=target).valid_on(REFORM).values_list("person_id", flat=True)
    )
    assert moved == {p.pk for p in members[tree.cell_a2.code] + members[tree.cell_b1.code]}
    assert Lineage.objects.filter(predecessor=tree.cell_a2, successor=target, date=REFORM).exists()
    assert ReorgEvent.objects.filter(kind="merge", decision_symbol="125-QĐ/TU").exists()
    assert Unit.objects.get(pk=tree.ward_a.pk).name_on(REFORM) == "Đảng bộ phường Hạc Thành"
    assert (
        Unit.objects.get(pk=tree.ward_a.pk).name_on(REFORM - dt.timedelta(days=1))
        == tree.ward_a.name
    )
    assert Unit.objects.get(code="CB-A1-2").parent_on(dt.date(2025, 8, 1)) == tree.ward_b

    again = stage("events", data)
    assert counts(again) == (0, 0, 5, 1)


def test_event_rows_are_checked(tree, stage, english):
    data = [
        event("Sáp nhập", units=tree.cell_a1.code),
        event(
            "Sáp nhập",
            units=tree.cell_a1.code,
            target_code=tree.cell_a2.code,
            new_code="X",
            new_name="X",
            new_kind="Chi bộ",
        ),
        event("Đổi tên", units=f"{tree.cell_a1.code};{tree.cell_a2.code}", new_name="Tên"),
        event("Chia tách", units=tree.cell_a1.code, new_code="ONLY", new_name="Một"),
        event(
            "Thành lập",
            new_code="CB-Z",
            new_name="Chi bộ Z",
            new_kind="Chi bộ",
            parent_code=tree.cell_o1.code,
        ),
        event("Giải thể", units=tree.ward_a.code),
        event("Bầu cử", units=tree.ward_a.code),
        event("Điều chuyển", units=tree.cell_a1.code, parent_code=tree.cell_a1.code),
    ]
    batch = stage("events", data)
    expected = {
        2: "target_code",
        3: "target_code",
        4: "new_name",
        5: "new_code",
        6: "parent_code",
        7: "units",
        8: "event",
        9: "units",
    }
    for number, column in expected.items():
        row = row_of(batch, number)
        assert row.action == RowAction.REJECT, (number, row.errors)
        assert column in dict(row.errors), (number, row.errors)
