"""Establishing a unit: it exists from its date under its parent, the event carries the
deciding document, and impossible requests are refused with the reason."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.directives.models import Directive
from giamsat.units.models import OrganKind, ReorgEvent, ReorgKind, Unit, UnitKind
from giamsat.units.services import Decision, NewUnit, ReorgError, establish_unit
from tests.factories import make_user

DAY = dt.date(2024, 5, 1)


def test_a_new_cell_exists_from_its_date_under_its_parent(tree):
    """The cell is in the ward's subtree from its first day, not the day before."""
    cell = establish_unit(
        spec=NewUnit(code="CB-NEW", name="Chi bộ khu phố 9", kind=UnitKind.CELL),
        parent=tree.ward_a,
        date=DAY,
    )
    assert cell.valid_from == DAY and cell.valid_to is None
    assert Unit.objects.subtree_of(tree.city, DAY).filter(pk=cell.pk).exists()
    assert (
        not Unit.objects.subtree_of(tree.city, DAY - dt.timedelta(days=1))
        .filter(pk=cell.pk)
        .exists()
    )
    assert cell.parent_on(DAY) == tree.ward_a
    assert [a.pk for a in cell.ancestors_on(DAY)] == [
        tree.central.pk,
        tree.province.pk,
        tree.city.pk,
        tree.ward_a.pk,
    ]
    assert cell.name_on(DAY) == "Chi bộ khu phố 9"


def test_the_event_records_the_decision_and_the_acting_user(tree):
    """The decision symbol is written canonically and linked to the registered document."""
    plan = Directive.objects.create(
        doc_type="QĐ",
        number=1127,
        issuer_code="TU",
        issued_on=dt.date(2024, 4, 20),
        title="Quyết định thành lập chi bộ",
        issuing_unit=tree.province,
    )
    officer = make_user("organisation", tree.city)
    cell = establish_unit(
        spec=NewUnit(code="CB-QD", name="Chi bộ mới", kind=UnitKind.CELL),
        parent=tree.ward_a,
        date=DAY,
        decision=Decision(symbol="Số 1127 - QĐ/TU", date=dt.date(2024, 4, 20)),
        acting_user=officer,
    )
    event = ReorgEvent.objects.get(units=cell)
    assert event.kind == ReorgKind.ESTABLISH
    assert event.decision_symbol == "1127-QĐ/TU"
    assert event.decision == plan
    assert event.recorded_by == officer


def test_an_unreadable_decision_symbol_is_kept_as_written(tree):
    """Free text (e.g. an oral decision) is stored as given, without a linked document."""
    cell = establish_unit(
        spec=NewUnit(code="CB-X", name="Chi bộ X", kind=UnitKind.CELL),
        parent=tree.ward_a,
        date=DAY,
        decision=Decision(symbol="Biên bản hội nghị ngày 20/4"),
    )
    event = ReorgEvent.objects.get(units=cell)
    assert event.decision_symbol == "Biên bản hội nghị ngày 20/4"
    assert event.decision is None


def test_an_organ_is_attached_to_its_committee(tree):
    """A committee organ is created under its committee with its organ kind."""
    organ = establish_unit(
        spec=NewUnit(
            code="W-VP",
            name="Văn phòng Đảng ủy",
            kind=UnitKind.ORGAN,
            organ_kind=OrganKind.OFFICE,
        ),
        parent=tree.ward_a,
        date=DAY,
    )
    assert organ.is_organ and organ.level is None
    assert Unit.objects.children_of(tree.ward_a, DAY).organs().filter(pk=organ.pk).exists()


@pytest.mark.parametrize(
    ("spec", "parent_attr", "date", "message"),
    [
        (NewUnit(code="T00001", name="X", kind=UnitKind.CELL), "ward_a", DAY, "already used"),
        (NewUnit(code="N1", name=" ", kind=UnitKind.CELL), "ward_a", DAY, "name"),
        (NewUnit(code=" ", name="X", kind=UnitKind.CELL), "ward_a", DAY, "code"),
        (NewUnit(code="N2", name="X", kind="nonsense"), "ward_a", DAY, "Unknown kind"),
        (NewUnit(code="N3", name="X", kind=UnitKind.ORGAN), "ward_a", DAY, "organ kind"),
        (
            NewUnit(code="N4", name="X", kind=UnitKind.CELL, organ_kind=OrganKind.OFFICE),
            "ward_a",
            DAY,
            "Only a committee organ",
        ),
        (
            NewUnit(code="N5", name="X", kind=UnitKind.ORGAN, organ_kind=OrganKind.OFFICE),
            None,
            DAY,
            "must belong",
        ),
        (
            NewUnit(code="N6", name="X", kind=UnitKind.CELL),
            "ward_a",
            dt.date(2010, 1, 1),
            "does not exist",
        ),
        (
            NewUnit(code="N7", name="X", kind=UnitKind.CELL),
            "city_inspection",
            DAY,
            "cannot hold units",
        ),
    ],
)
def test_impossible_establishments_are_refused(tree, spec, parent_attr, date, message):
    """Each refusal names its reason; nothing is written."""
    from django.utils import translation

    if spec.code == "T00001":  # a code the tree fixture already used
        spec = NewUnit(code=tree.central.code, name="X", kind=UnitKind.CELL)
    before = (Unit.objects.count(), ReorgEvent.objects.count())
    parent = getattr(tree, parent_attr) if parent_attr else None
    with translation.override("en"), pytest.raises(ReorgError) as info:
        establish_unit(spec=spec, parent=parent, date=date)
    assert message in str(info.value)
    assert (Unit.objects.count(), ReorgEvent.objects.count()) == before
