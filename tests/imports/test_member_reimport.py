"""Re-importing a newer roster keeps giamsat in step: changed fields are updated, moves between
cells become dated memberships (history kept), and members missing from the file are listed
for the user to say what happened — nobody is deleted."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.imports.models import BatchStatus, MissingResolution
from giamsat.imports.services import ImportRefusedError, apply_batch, resolve_missing_members
from giamsat.people.models import Membership, MemberStatus, Person, Post
from tests.imports.conftest import TODAY, counts, member, row_of

FIRST = dt.date(2025, 1, 1)


@pytest.fixture
def roster(tree, stage, clerk):
    """Four members imported into ward A's two cells as of 01/01/2025."""
    rows = [
        member(tree.cell_a1, name="Nguyễn Văn An", card="38000001"),
        member(tree.cell_a1, name="Trần Thị Bình", card="38000002"),
        member(tree.cell_a2, name="Lê Văn Cường", card="38000003"),
        member(
            tree.cell_a2,
            name="Phạm Thị Dung",
            card="38000004",
            status="Dự bị",
            official_on=None,
            joined_on="01/06/2024",
        ),
    ]
    batch = stage("members", rows, unit=tree.ward_a, as_of=FIRST)
    assert counts(batch) == (4, 0, 0, 0)
    apply_batch(batch=batch, acting_user=clerk)
    return rows


def test_a_newer_roster_updates_moves_and_lists_the_missing(tree, stage, clerk, roster):
    an, binh, cuong, dung = roster
    binh = dict(binh, cell_code=tree.cell_a2.code)  # moved to cell 2
    dung = dict(dung, status="Chính thức", official_on="01/06/2025")  # recognised as full member
    batch = stage("members", [an, binh, dung], unit=tree.ward_a)  # Cường is missing
    assert counts(batch) == (0, 2, 1, 0)
    assert batch.missing_count == 1
    assert row_of(batch, 3).changes == [["cell_code", tree.cell_a1.code, tree.cell_a2.code]]
    assert sorted(c[0] for c in row_of(batch, 4).changes) == ["official_on", "status"]

    apply_batch(batch=batch, acting_user=clerk)

    person = Person.objects.get(party_card_number="38000002")
    history = list(
        person.memberships.order_by("valid_from").values_list("unit_id", "valid_from", "valid_to")
    )
    # The old membership ends the day before the date of the data; the new one starts on it.
    assert history == [
        # admitted in 2010, before the cell was recorded (2015): activity counted from 2015
        (tree.cell_a1.pk, dt.date(2015, 1, 1), TODAY - dt.timedelta(days=1)),
        (tree.cell_a2.pk, TODAY, None),
    ]
    dung_now = Person.objects.get(party_card_number="38000004")
    assert dung_now.status == MemberStatus.FULL
    assert dung_now.official_on == dt.date(2025, 6, 1)
    # The missing member is untouched until the user says what happened.
    cuong = Person.objects.get(party_card_number="38000003")
    assert cuong.memberships.valid_on(TODAY).get().unit == tree.cell_a2
    assert batch.missing.get().person == cuong


def test_a_move_starts_on_the_date_given_in_the_file(tree, stage, clerk, roster):
    moved = dict(roster[0], cell_code=tree.cell_a2.code, membership_from="01/09/2026")
    apply_batch(batch=stage("members", [moved], unit=tree.cell_a1.parent_on()), acting_user=clerk)
    person = Person.objects.get(party_card_number="38000001")
    assert list(person.memberships.order_by("valid_from").values_list("valid_to", flat=True)) == [
        dt.date(2026, 8, 31),
        None,
    ]


def test_a_move_dated_before_the_current_cell_is_rejected(tree, stage, english, roster):
    moved = dict(roster[0], cell_code=tree.cell_a2.code, membership_from="01/01/2015")
    batch = stage("members", [moved], unit=tree.ward_a)
    assert "must start after" in dict(row_of(batch, 2).errors)["membership_from"]


def test_missing_members_are_resolved_never_deleted(tree, stage, clerk, roster):
    batch = stage("members", [roster[0]], unit=tree.ward_a)
    assert batch.missing_count == 3
    apply_batch(batch=batch, acting_user=clerk)
    by_card = {m.person.party_card_number: m for m in batch.missing.select_related("person")}
    leaving = dt.date(2026, 10, 1)
    Post.objects.create(
        person=by_card["38000003"].person, unit=tree.cell_a2, title="Bí thư", valid_from=FIRST
    )
    done = resolve_missing_members(
        batch=batch,
        decisions={
            by_card["38000002"].pk: (MissingResolution.TRANSFERRED_OUT, leaving),
            by_card["38000003"].pk: (MissingResolution.DECEASED, leaving),
            by_card["38000004"].pk: (MissingResolution.LEFT, leaving),
        },
        acting_user=clerk,
    )
    assert done == 3
    assert Person.objects.count() == 4
    transferred = Person.objects.get(party_card_number="38000002")
    assert transferred.status == MemberStatus.FULL
    assert transferred.memberships.get().valid_to == dt.date(2026, 9, 30)
    dead = Person.objects.get(party_card_number="38000003")
    assert (dead.status, dead.left_on) == (MemberStatus.DECEASED, leaving)
    assert dead.memberships.get().valid_to == leaving
    assert dead.posts.get().valid_to == leaving
    left = Person.objects.get(party_card_number="38000004")
    assert left.status == MemberStatus.LEFT
    assert batch.missing.filter(resolution="").count() == 0


def test_missing_members_can_only_be_resolved_after_the_import(tree, stage, clerk, roster):
    batch = stage("members", [roster[0]], unit=tree.ward_a)
    item = batch.missing.first()
    with pytest.raises(ImportRefusedError):
        resolve_missing_members(
            batch=batch, decisions={item.pk: (MissingResolution.LEFT, TODAY)}, acting_user=clerk
        )


def test_a_member_still_here_is_only_marked(tree, stage, clerk, roster):
    batch = stage("members", [roster[0]], unit=tree.ward_a)
    apply_batch(batch=batch, acting_user=clerk)
    item = batch.missing.first()
    resolve_missing_members(
        batch=batch, decisions={item.pk: (MissingResolution.STILL_MEMBER, TODAY)}, acting_user=clerk
    )
    item.refresh_from_db()
    assert item.resolution == MissingResolution.STILL_MEMBER
    assert item.person.memberships.valid_on(TODAY).exists()


def test_a_deceased_member_in_a_new_file_is_rejected(tree, stage, clerk, english, roster):
    Person.objects.filter(party_card_number="38000001").update(status=MemberStatus.DECEASED)
    batch = stage("members", [roster[0]], unit=tree.ward_a)
    assert "deceased" in dict(row_of(batch, 2).errors)["full_name"]


def test_the_same_roster_again_changes_nothing(tree, stage, clerk, roster):
    batch = stage("members", roster, unit=tree.ward_a)
    assert counts(batch) == (0, 0, 4, 0)
    assert batch.missing_count == 0
    assert not batch.can_apply
    assert batch.status == BatchStatus.READY
    assert Membership.objects.count() == 4


def test_a_member_may_appear_twice_with_regular_and_temporary_activity(
    tree, stage, clerk, english, roster
):
    temporary = dict(
        roster[0],
        cell_code=tree.cell_a2.code,
        membership_kind="Tạm thời",
        full_name="Nguyen Van An",
    )
    batch = stage("members", [*roster, temporary], unit=tree.ward_a)
    assert counts(batch) == (0, 1, 4, 0)
    assert row_of(batch, 6).changes == [["cell_code", "", tree.cell_a2.code]]
    apply_batch(batch=batch, acting_user=clerk)
    an = Person.objects.get(party_card_number="38000001")
    kinds = sorted(an.memberships.valid_on(TODAY).values_list("kind", "unit_id"))
    assert kinds == [("regular", tree.cell_a1.pk), ("temporary", tree.cell_a2.pk)]
    assert an.full_name == "Nguyễn Văn An"


def test_a_new_member_twice_in_one_file_is_imported_once(tree, stage, english):
    first = member(tree.cell_a1, name="Mới Tinh", card="38000100")
    second = dict(first, cell_code=tree.cell_a2.code, membership_kind="Tạm thời")
    batch = stage("members", [first, second], unit=tree.ward_a)
    assert counts(batch) == (1, 0, 0, 1)
    assert "row 2" in dict(row_of(batch, 3).errors)["membership_kind"]
