"""A user imports only into organisations in their scope; rows aimed elsewhere are rejected
without revealing what lies outside."""

from __future__ import annotations

import pytest

from giamsat.accounts.roles import Role
from giamsat.imports.models import RowAction
from giamsat.imports.services import ImportRefusedError, stage_import
from tests.factories import make_member, make_user
from tests.imports.conftest import TODAY, file_bytes, member, row_of, upload


def test_a_file_for_an_organisation_outside_the_scope_is_refused(tree, clerk):
    with pytest.raises(ImportRefusedError):
        stage_import(
            kind="members",
            upload=upload(file_bytes("members", [member(tree.cell_o1)])),
            unit=tree.other,
            as_of=TODAY,
            acting_user=clerk,
        )


def test_a_user_without_the_import_capability_may_not_import(tree):
    inspector = make_user(Role.INSPECTION, tree.city, username="ubkt")
    with pytest.raises(ImportRefusedError):
        stage_import(
            kind="members",
            upload=upload(file_bytes("members", [member(tree.cell_a1)])),
            unit=tree.city,
            as_of=TODAY,
            acting_user=inspector,
        )


def test_rows_for_cells_of_other_organisations_are_rejected_like_unknown_cells(
    tree, stage, english
):
    batch = stage(
        "members", [member(tree.cell_o1), member(tree.cell_a1, card="38000002", name="B")]
    )
    message = dict(row_of(batch, 2).errors)["cell_code"]
    assert tree.cell_o1.code in message
    assert tree.cell_o1.name not in message
    assert row_of(batch, 3).action == RowAction.CREATE


def test_a_member_registered_in_another_organisation_cannot_be_pulled_in(tree, stage, english):
    make_member(tree.cell_o1, full_name="Nguyễn Thị Lan", party_card_number="38000001")
    batch = stage("members", [member(tree.cell_a1)])
    message = dict(row_of(batch, 2).errors)["cell_code"]
    assert "outside yours" in message
    assert tree.cell_o1.name not in message


def test_a_member_with_no_current_cell_can_be_taken_in(tree, stage, clerk):
    import datetime as dt

    from giamsat.people.models import Membership

    person = make_member(tree.cell_o1, full_name="Nguyễn Thị Lan", party_card_number="38000001")
    Membership.objects.filter(person=person).update(valid_to=dt.date(2026, 1, 31))
    batch = stage("members", [member(tree.cell_a1, membership_from="01/03/2026")])
    row = row_of(batch, 2)
    assert row.action == RowAction.UPDATE
    assert ["cell_code", "", tree.cell_a1.code] in row.changes


def test_the_administrator_may_import_anywhere(tree, stage, users):
    batch = stage("members", [member(tree.cell_o1)], user=users.admin, unit=tree.province)
    assert batch.created_count == 1
