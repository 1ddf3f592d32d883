"""``establish_units`` creates many units with one closure rebuild, like ``establish_unit``."""

import datetime as dt

import pytest

from giamsat.units.models import ReorgEvent, Unit, UnitKind
from giamsat.units.services import NewUnit, ReorgError, establish_unit, establish_units

DAY = dt.date(2020, 1, 1)


def test_units_created_in_order_sit_in_the_tree(db):
    root = establish_unit(
        spec=NewUnit(code="R", name="Đảng bộ R", kind=UnitKind.UPPER_GRASSROOTS),
        parent=None,
        date=DAY,
    )
    ward = NewUnit(code="W", name="Đảng bộ phường W", kind=UnitKind.GRASSROOTS_ORG)
    created = establish_units(items=[(ward, root, DAY)])
    cells = establish_units(
        items=[
            (NewUnit(code=f"C{i}", name=f"Chi bộ {i}", kind=UnitKind.CELL), created[0], DAY)
            for i in range(3)
        ]
    )
    assert [c.code for c in cells] == ["C0", "C1", "C2"]
    subtree = set(Unit.objects.subtree_of(root, DAY).values_list("code", flat=True))
    assert subtree == {"R", "W", "C0", "C1", "C2"}
    assert cells[0].ancestors_on(DAY) == [root, created[0]]
    assert ReorgEvent.objects.filter(kind="establish").count() == 5


def test_a_used_code_refuses_the_whole_batch(db):
    establish_units(items=[(NewUnit(code="A", name="A", kind=UnitKind.CELL), None, DAY)])
    with pytest.raises(ReorgError):
        establish_units(
            items=[
                (NewUnit(code="B", name="B", kind=UnitKind.CELL), None, DAY),
                (NewUnit(code="A", name="A again", kind=UnitKind.CELL), None, DAY),
            ]
        )
    assert not Unit.objects.filter(code="B").exists()
