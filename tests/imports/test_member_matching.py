"""A person already in giamsat is recognised under another spelling: by party card number, by
identity number, or by name and birth date without diacritics; conflicts are rejected."""

from __future__ import annotations

import datetime as dt

from giamsat.imports.models import RowAction
from giamsat.imports.services import apply_batch
from giamsat.people.models import Person
from tests.factories import make_member
from tests.imports.conftest import counts, member, row_of

BIRTH = dt.date(1985, 3, 12)


def existing(tree, **fields):
    defaults = {
        "full_name": "Nguyễn Thị Lan",
        "birth_date": BIRTH,
        "party_card_number": "38000001",
        "gender": "female",
        "joined_on": dt.date(2010, 5, 19),
        "official_on": dt.date(2011, 5, 19),
    }
    defaults.update(fields)
    return make_member(tree.cell_a1, **defaults)


def test_a_name_without_diacritics_and_no_number_finds_the_person(stage, tree, english):
    person = existing(tree, party_card_number=None, identity_number=None)
    batch = stage("members", [member(tree.cell_a1, name="NGUYEN THI LAN", card=None)])
    row = row_of(batch, 2)
    assert counts(batch) == (0, 0, 1, 0)
    assert row.person_id == person.pk
    warnings = dict(row.warnings)["full_name"]
    assert "Recognised by name and birth date" in warnings or "spelling" in warnings


def test_a_card_number_finds_the_person_whatever_the_spelling_and_keeps_the_accented_name(
    stage, tree, english, clerk
):
    person = existing(tree)
    batch = stage(
        "members", [member(tree.cell_a1, name="Nguyen Thi Lan", identity_number="038185012345")]
    )
    row = row_of(batch, 2)
    assert row.action == RowAction.UPDATE
    assert [c[0] for c in row.changes] == ["identity_number"]
    assert "Nguyễn Thị Lan" in dict(row.warnings)["full_name"]
    apply_batch(batch=batch, acting_user=clerk)
    person.refresh_from_db()
    assert person.full_name == "Nguyễn Thị Lan"
    assert person.identity_number == "038185012345"


def test_a_corrected_spelling_with_diacritics_updates_the_name(stage, tree, clerk):
    person = existing(tree, full_name="Nguyễn Thi Lan")
    batch = stage("members", [member(tree.cell_a1, name="Nguyễn Thị Lan")])
    assert row_of(batch, 2).changes == [["full_name", "Nguyễn Thi Lan", "Nguyễn Thị Lan"]]
    apply_batch(batch=batch, acting_user=clerk)
    person.refresh_from_db()
    assert person.full_name == "Nguyễn Thị Lan"
    assert person.name_search == "nguyen thi lan"


def test_an_identity_number_finds_a_person_registered_without_a_card(stage, tree):
    person = existing(tree, party_card_number=None, identity_number="038185012345")
    batch = stage(
        "members", [member(tree.cell_a1, name="Nguyễn T. Lan", identity_number="038185012345")]
    )
    row = row_of(batch, 2)
    assert row.person_id == person.pk
    assert ["party_card_number", "", "38000001"] in row.changes


def test_card_of_one_person_and_identity_of_another_is_rejected(stage, tree, english):
    existing(tree)
    existing(
        tree,
        full_name="Trần Văn Bình",
        party_card_number="38000002",
        identity_number="038185099999",
    )
    batch = stage("members", [member(tree.cell_a1, identity_number="038185099999")])
    row = row_of(batch, 2)
    assert row.action == RowAction.REJECT
    assert "Trần Văn Bình" in dict(row.errors)["identity_number"]


def test_an_identity_number_whose_person_has_another_card_is_rejected(stage, tree, english):
    existing(tree, identity_number="038185012345")
    batch = stage(
        "members", [member(tree.cell_a1, card="38000777", identity_number="038185012345")]
    )
    assert "38000001" in dict(row_of(batch, 2).errors)["party_card_number"]


def test_two_registered_people_with_the_same_name_and_birth_date_need_a_number(
    stage, tree, english
):
    existing(tree, party_card_number=None)
    existing(tree, party_card_number=None, identity_number="038185000002")
    batch = stage("members", [member(tree.cell_a1, name="Nguyen Thi Lan", card=None)])
    row = row_of(batch, 2)
    assert row.action == RowAction.REJECT
    assert "2 people" in dict(row.errors)["full_name"]


def test_a_namesake_with_another_card_is_a_new_person_with_a_warning(stage, tree, english, clerk):
    existing(tree)
    batch = stage("members", [member(tree.cell_a2, card="38000555")])
    row = row_of(batch, 2)
    assert row.action == RowAction.CREATE
    assert "different person" in dict(row.warnings)["full_name"]
    apply_batch(batch=batch, acting_user=clerk)
    assert Person.objects.filter(name_search="nguyen thi lan").count() == 2


def test_the_same_person_twice_in_a_file_under_two_keys_is_rejected(stage, tree, english):
    existing(tree, identity_number="038185012345")
    batch = stage(
        "members",
        [
            member(tree.cell_a1),
            member(tree.cell_a1, name="Nguyen Thi Lan", card=None, identity_number="038185012345"),
        ],
    )
    assert "same person as row 2" in dict(row_of(batch, 3).errors)["full_name"]


def test_someone_outside_the_importers_organisations_is_not_named(stage, tree, english):
    existing(tree, full_name="Người Ngoài", party_card_number="38000002")
    make_member(
        tree.cell_o1,
        full_name="Người Tỉnh Khác",
        party_card_number="38000003",
        identity_number="038185099999",
    )
    batch = stage(
        "members", [member(tree.cell_a1, card="38000002", identity_number="038185099999")]
    )
    message = dict(row_of(batch, 2).errors)["identity_number"]
    assert "Người Tỉnh Khác" not in message
    assert "another person registered" in message
