"""Nothing is written before confirmation; confirmation writes everything in one transaction or
nothing; rejected rows block unless skipped; the plan confirmed is the plan previewed."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from giamsat.imports.models import BatchStatus, ImportBatch
from giamsat.imports.services import ImportRefusedError, apply_batch, claim_batch
from giamsat.people.models import Membership, Person
from tests.factories import make_member
from tests.imports.conftest import counts, member


def rows(tree, n=6):
    return [
        member(
            tree.cell_a1 if i % 2 else tree.cell_a2, name=f"Đảng Viên Số {i}", card=f"3800{i:04d}"
        )
        for i in range(n)
    ]


def state():
    return (Person.objects.count(), Membership.objects.count())


def test_the_preview_writes_no_person_and_no_membership(tree, stage):
    before = state()
    batch = stage("members", rows(tree))
    assert batch.status == BatchStatus.READY
    assert counts(batch) == (6, 0, 0, 0)
    assert state() == before


def test_confirmation_writes_all_rows_and_one_audit_entry(tree, stage, clerk):
    batch = stage("members", rows(tree))
    apply_batch(batch=batch, acting_user=clerk)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED
    assert (batch.applied_by, batch.applied_at is not None) == (clerk, True)
    assert state() == (6, 6)
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ImportBatch), object_id=batch.pk
    )
    assert entries.count() == 1
    entry = entries.get()
    assert entry.actor == clerk
    assert entry.additional_data["created"] == 6
    assert entry.additional_data["sha256"] == batch.sha256


def test_a_failure_in_the_middle_leaves_the_database_as_it_was(tree, stage, clerk, monkeypatch):
    make_member(tree.cell_a1, party_card_number="38009999")
    batch = stage("members", rows(tree))
    before = state()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    # People are written first; the memberships then fail.
    monkeypatch.setattr(Membership.objects, "bulk_create", broken)
    with pytest.raises(ImportRefusedError, match="disk full"):
        apply_batch(batch=batch, acting_user=clerk)
    assert state() == before
    batch.refresh_from_db()
    assert batch.status == BatchStatus.READY
    assert "disk full" in batch.error
    monkeypatch.undo()
    apply_batch(batch=batch, acting_user=clerk)
    assert state() == (before[0] + 6, before[1] + 6)


def test_rejected_rows_block_the_import_unless_skipped(tree, stage, clerk):
    data = [
        *rows(tree, 3),
        member(tree.cell_a1, name="Sai Ngày", card="38007777", birth_date="hôm qua"),
    ]
    batch = stage("members", data)
    assert counts(batch) == (3, 0, 0, 1)
    with pytest.raises(ImportRefusedError):
        apply_batch(batch=batch, acting_user=clerk)
    assert state() == (0, 0)
    apply_batch(batch=batch, acting_user=clerk, skip_rejected=True)
    assert state() == (3, 3)
    assert not Person.objects.filter(party_card_number="38007777").exists()


def test_a_second_confirmation_is_refused(tree, stage, clerk):
    batch = stage("members", rows(tree, 2))
    claim_batch(batch=batch)
    with pytest.raises(ImportRefusedError):
        claim_batch(batch=batch)
    apply_batch(batch=batch, acting_user=clerk)
    with pytest.raises(ImportRefusedError):
        apply_batch(batch=batch, acting_user=clerk)
    assert state() == (2, 2)


def test_when_the_data_changed_since_the_preview_nothing_is_written_and_the_preview_is_redone(
    tree, stage, clerk
):
    batch = stage("members", rows(tree, 4))
    # Someone registers one of the file's members meanwhile.
    make_member(tree.cell_a1, full_name="Đảng Viên Số 1", party_card_number="38000001")
    with pytest.raises(ImportRefusedError, match="thay đổi"):
        apply_batch(batch=batch, acting_user=clerk)
    assert state() == (1, 1)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.READY
    assert batch.created_count == 3
    apply_batch(batch=batch, acting_user=clerk)
    assert state() == (4, 4)


def test_a_stored_file_that_changed_is_refused(tree, stage, clerk):
    batch = stage("members", rows(tree, 2))
    with batch.file.open("ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(ImportRefusedError, match="thay đổi"):
        apply_batch(batch=batch, acting_user=clerk)
    assert state() == (0, 0)


def test_a_discarded_import_cannot_be_confirmed(tree, stage, clerk):
    from giamsat.imports.services import discard_batch

    batch = stage("members", rows(tree, 2))
    discard_batch(batch=batch, acting_user=clerk)
    assert batch.status == BatchStatus.DISCARDED
    assert batch.rows.count() == 0
    with pytest.raises(ImportRefusedError):
        apply_batch(batch=batch, acting_user=clerk)


def test_a_colleague_of_the_same_organisation_may_confirm(tree, stage):
    from giamsat.accounts.roles import Role
    from tests.factories import make_user

    colleague = make_user(Role.ORGANISATION, tree.city, username="tochuc_colleague")
    batch = stage("members", rows(tree, 2))
    apply_batch(batch=batch, acting_user=colleague)
    batch.refresh_from_db()
    assert batch.applied_by == colleague
    assert state() == (2, 2)
