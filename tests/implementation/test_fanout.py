"""Putting a directive into implementation assigns it to the right units of the tree of the
assignment date, with one record per unit and one fulfilment per requirement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from giamsat.accounts.roles import Role
from giamsat.implementation import services
from giamsat.implementation.models import Fulfilment, Implementation, ScopeKind
from giamsat.people.models import Post
from giamsat.units.models import UnitKind
from giamsat.units.services import dissolve_unit, move_unit
from tests.factories import make_unit, make_user
from tests.implementation.factories import assign, make_directive, three_requirements

D = dt.date


def assigned_units(assignment) -> set[int]:
    return set(assignment.implementations.values_list("unit_id", flat=True))


@pytest.mark.usefixtures("frozen")
class TestSubtreeFanOut:
    def test_city_assigns_its_grassroots_organisations_not_cells_organs_or_itself(
        self, tree, office, directive
    ):
        assignment = assign(directive=directive, unit=tree.city, user=office)
        assert assigned_units(assignment) == {tree.ward_a.pk, tree.ward_b.pk}
        assert assignment.scope_kind == ScopeKind.SUBTREE

    def test_province_assigns_every_level_down_to_grassroots(
        self, tree, province_office, directive
    ):
        assignment = assign(directive=directive, unit=tree.province, user=province_office)
        assert assigned_units(assignment) == {
            tree.city.pk,
            tree.ward_a.pk,
            tree.ward_b.pk,
            tree.other.pk,
            tree.cell_o1.pk,  # a grassroots cell (chi bộ cơ sở) is a grassroots organisation
        }

    def test_one_fulfilment_per_unit_and_requirement(self, tree, office, directive):
        assignment = assign(directive=directive, unit=tree.city, user=office)
        assert assignment.requirements.count() == 3
        assert Fulfilment.objects.filter(implementation__assignment=assignment).count() == 6
        assert not Fulfilment.objects.filter(done_on__isnull=False).exists()

    def test_the_tree_of_the_assignment_date_is_used(self, tree, office, directive):
        """A ward founded after the assignment date is not assigned; one that moved away before
        it is not either; a ward that ends later keeps its record."""
        late_ward = make_unit(
            "Đảng bộ phường Mới", UnitKind.GRASSROOTS_ORG, tree.city, valid_from=D(2022, 1, 1)
        )
        move_unit(unit=tree.ward_b, parent=tree.other, date=D(2021, 6, 1))
        assignment = assign(
            directive=directive, unit=tree.city, user=office, assigned_on=D(2021, 12, 10)
        )
        assert assigned_units(assignment) == {tree.ward_a.pk}
        assert late_ward.pk not in assigned_units(assignment)

    def test_a_unit_that_ends_later_keeps_its_record(self, tree, office, directive):
        assignment = assign(directive=directive, unit=tree.city, user=office)
        for cell in (tree.cell_b1,):
            move_unit(unit=cell, parent=tree.ward_a, date=D(2022, 7, 1))
        dissolve_unit(unit=tree.ward_b, date=D(2022, 7, 1))
        tree.ward_b.refresh_from_db()
        record = Implementation.objects.get(assignment=assignment, unit=tree.ward_b)
        assert record.unit.valid_to == D(2022, 6, 30)
        assert record.unit.reference_date() == D(2022, 6, 30)

    def test_the_head_of_each_unit_is_the_responsible_person(
        self, tree, office, directive, members
    ):
        head = members[tree.cell_a1.code][0]
        Post.objects.create(
            person=head,
            unit=tree.ward_a,
            kind="secretary",
            title="Bí thư Đảng ủy phường Trường Thi",
            is_head=True,
            valid_from=D(2020, 1, 1),
        )
        assignment = assign(directive=directive, unit=tree.city, user=office)
        record = assignment.implementations.get(unit=tree.ward_a)
        assert record.responsible == head
        assert record.responsible_title == "Bí thư Đảng ủy phường Trường Thi"
        assert assignment.implementations.get(unit=tree.ward_b).responsible is None

    def test_the_plan_is_linked_to_the_directive_in_the_registry(self, tree, office, directive):
        plan = make_directive(tree.city, number=41, issuer_code="TU", issued_on=D(2021, 12, 10))
        assignment = assign(directive=directive, unit=tree.city, user=office, plan=plan)
        plan.refresh_from_db()
        assert plan.implements == directive
        assert assignment.guiding_document == plan
        assert list(directive.implementing_documents.all()) == [plan]

    def test_a_new_plan_is_registered_with_the_assignment(self, tree, office, directive):
        assignment = services.put_into_implementation(
            directive=directive,
            issuing_unit=tree.city,
            requirements=three_requirements(),
            acting_user=office,
            assigned_on=D(2021, 12, 10),
            new_plan=services.DocumentSpec("41 - KH/TU", D(2021, 12, 10), "Kế hoạch thực hiện"),
        )
        assert assignment.plan.symbol == "41-KH/TU"
        assert assignment.plan.issuing_unit == tree.city
        assert assignment.plan.implements == directive


@pytest.mark.usefixtures("frozen")
class TestChosenFanOut:
    def test_only_the_chosen_units_are_assigned(self, tree, province_office, directive):
        assignment = assign(
            directive=directive,
            unit=tree.province,
            user=province_office,
            scope=[tree.city, tree.other],
        )
        assert assigned_units(assignment) == {tree.city.pk, tree.other.pk}
        assert assignment.scope_kind == ScopeKind.CHOSEN

    def test_a_unit_outside_the_issuers_subtree_is_refused(self, tree, office, directive):
        with pytest.raises(services.ImplementationError, match="Không thể giao cho"):
            assign(directive=directive, unit=tree.city, user=office, scope=[tree.other])
        assert not Implementation.objects.exists()

    def test_organs_and_cells_cannot_be_chosen(self, tree, office, directive):
        for unit in (tree.city_inspection, tree.cell_a1):
            with pytest.raises(services.ImplementationError):
                assign(directive=directive, unit=tree.city, user=office, scope=[unit])


@pytest.mark.usefixtures("frozen")
class TestRefusals:
    def test_a_user_without_the_manage_capability_is_refused(self, tree, users, directive):
        with pytest.raises(PermissionDenied):
            assign(directive=directive, unit=tree.city, user=users.read_only)

    def test_an_office_cannot_assign_for_another_committee(self, tree, other_office, directive):
        with pytest.raises(PermissionDenied):
            assign(directive=directive, unit=tree.city, user=other_office)

    def test_a_due_date_before_the_assignment_date_is_refused(self, tree, office, directive):
        with pytest.raises(services.ImplementationError, match="Yêu cầu thứ 2"):
            assign(
                directive=directive,
                unit=tree.city,
                user=office,
                requirements=three_requirements(study=D(2021, 12, 1)),
            )
        assert not Implementation.objects.exists()

    def test_an_assignment_before_the_directive_or_in_the_future_is_refused(
        self, tree, office, directive
    ):
        with pytest.raises(services.ImplementationError):
            assign(directive=directive, unit=tree.city, user=office, assigned_on=D(2021, 1, 1))
        with pytest.raises(services.ImplementationError):
            assign(directive=directive, unit=tree.city, user=office, assigned_on=D(2022, 10, 2))

    def test_no_requirement_is_refused(self, tree, office, directive):
        with pytest.raises(services.ImplementationError):
            services.put_into_implementation(
                directive=directive,
                issuing_unit=tree.city,
                requirements=[],
                acting_user=office,
                assigned_on=D(2021, 12, 10),
            )

    def test_a_ward_has_nothing_to_assign(self, tree, directive):
        ward_office = make_user(Role.COMMITTEE_OFFICE, tree.ward_a)
        with pytest.raises(services.ImplementationError, match="không có tổ chức đảng nào"):
            assign(directive=directive, unit=tree.ward_a, user=ward_office)
