"""Optimistic locking (``VersionedModel.save_versioned``): a save based on an old version is
refused with ConcurrentEditError, nothing is overwritten and nothing the user typed is lost; on
PostgreSQL, concurrent writers in threads never lose an update."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import translation

from giamsat.core.models import ConcurrentEditError
from tests.security.versioned import Dossier, DossierForm, create_table, drop_table

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent threads need a server database"
)


@pytest.fixture
def table(transactional_db):
    create_table()
    yield
    drop_table()


@pytest.fixture
def dossier(table):
    obj = Dossier(title="Vụ việc A", notes="")
    obj.save_versioned(expected_version=1)
    return obj


def test_a_new_record_starts_at_version_one(table):
    obj = Dossier(title="Mới")
    obj.save_versioned(expected_version=99)
    assert Dossier.objects.get(pk=obj.pk).version == 1


def test_each_save_moves_the_version_on(dossier):
    dossier.notes = "thêm"
    dossier.save_versioned(expected_version=1)
    assert dossier.version == 2
    assert Dossier.objects.get(pk=dossier.pk).version == 2


def test_a_save_from_an_old_version_is_refused_and_nothing_is_lost(dossier):
    alice = Dossier.objects.get(pk=dossier.pk)
    bob = Dossier.objects.get(pk=dossier.pk)
    alice.notes = "Alice's finding"
    alice.save_versioned(expected_version=1)
    bob.notes = "Bob's finding"
    with pytest.raises(ConcurrentEditError) as error:
        bob.save_versioned(expected_version=1)
    assert (error.value.expected, error.value.actual) == (1, 2)
    saved = Dossier.objects.get(pk=dossier.pk)
    assert (saved.notes, saved.version) == ("Alice's finding", 2)
    assert bob.notes == "Bob's finding"  # still in Bob's hands
    bob.save_versioned(expected_version=2)  # after reviewing, Bob saves on top
    saved = Dossier.objects.get(pk=dossier.pk)
    assert (saved.notes, saved.version) == ("Bob's finding", 3)


def test_update_fields_write_only_those_fields(dossier):
    other = Dossier.objects.get(pk=dossier.pk)
    other.title = "changed elsewhere"
    dossier.notes = "only notes"
    dossier.save_versioned(expected_version=1, update_fields=["notes"])
    saved = Dossier.objects.get(pk=dossier.pk)
    assert (saved.title, saved.notes, saved.version) == ("Vụ việc A", "only notes", 2)


def test_a_deleted_record_is_a_conflict_too(dossier):
    stale = Dossier.objects.get(pk=dossier.pk)
    Dossier.objects.filter(pk=dossier.pk).delete()
    with pytest.raises(ConcurrentEditError) as error:
        stale.save_versioned(expected_version=1)
    assert error.value.actual is None
    assert not Dossier.objects.exists()


def test_a_refused_save_leaves_the_surrounding_transaction_usable(dossier):
    stale = Dossier.objects.get(pk=dossier.pk)
    Dossier.objects.get(pk=dossier.pk).save_versioned(expected_version=1)
    with transaction.atomic():
        with pytest.raises(ConcurrentEditError):
            stale.save_versioned(expected_version=1)
        Dossier(title="written after the conflict").save_versioned(expected_version=1)
    assert Dossier.objects.count() == 2


def _post(form_data: dict, instance: Dossier) -> DossierForm:
    form = DossierForm(form_data, instance=instance)
    assert form.is_valid(), form.errors
    return form


def test_the_form_carries_the_version_and_saves(dossier):
    form = DossierForm(instance=dossier)
    assert form["version"].value() == 1
    saved = _post(
        {"title": "A", "notes": "n", "status": "open", "version": "1"}, dossier
    ).try_save()
    assert saved is not None and saved.version == 2


def test_the_form_shows_the_conflict_in_vietnamese_and_keeps_the_input(dossier):
    alice = _post(
        {"title": "Vụ việc A", "notes": "Alice", "status": "closed", "version": "1"},
        Dossier.objects.get(pk=dossier.pk),
    )
    bob = _post(
        {"title": "Vụ việc A", "notes": "Bob", "status": "open", "version": "1"},
        Dossier.objects.get(pk=dossier.pk),
    )
    assert alice.try_save() is not None
    with translation.override("vi"):
        assert bob.try_save() is None
        html = render_to_string("includes/version_conflict.html", {"form": bob})
    assert "Người khác đã lưu hồ sơ này" in html and "CHƯA được lưu" in html
    assert {d.label: (d.saved, d.yours) for d in bob.differences} == {
        "Notes": ("Alice", "Bob"),
        "Status": ("closed", "open"),
    }
    assert bob["notes"].value() == "Bob"  # the input is still there
    assert bob["version"].value() == "2"  # a second, informed submit goes through
    again = _post(dict(bob.data.items()), Dossier.objects.get(pk=dossier.pk))
    assert again.try_save() is not None
    assert Dossier.objects.get(pk=dossier.pk).notes == "Bob"


def test_the_form_requires_the_version_of_an_existing_record(dossier):
    form = DossierForm({"title": "A", "notes": "", "status": "open"}, instance=dossier)
    assert not form.is_valid()
    assert "version" in form.errors


@pytest.mark.pg_only
@on_postgresql
def test_concurrent_writers_of_one_version_exactly_one_wins(dossier):
    writers = 8
    barrier = threading.Barrier(writers)
    outcomes: list[str] = []
    lock = threading.Lock()

    def write(n: int) -> None:
        try:
            mine = Dossier.objects.get(pk=dossier.pk)
            mine.title = f"writer {n}"
            barrier.wait()
            try:
                mine.save_versioned(expected_version=1)
                result = f"won {n}"
            except ConcurrentEditError:
                result = "refused"
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    winners = [o for o in outcomes if o.startswith("won")]
    assert len(outcomes) == writers and len(winners) == 1
    saved = Dossier.objects.get(pk=dossier.pk)
    assert saved.version == 2
    assert saved.title == f"writer {winners[0].split()[1]}"


@pytest.mark.pg_only
@on_postgresql
def test_concurrent_increments_with_retry_lose_nothing(dossier):
    workers, each = 4, 10
    conflicts = []

    def work() -> None:
        try:
            done = 0
            while done < each:
                mine = Dossier.objects.get(pk=dossier.pk)
                mine.counter += 1
                try:
                    mine.save_versioned(expected_version=mine.version)
                    done += 1
                except ConcurrentEditError:
                    conflicts.append(1)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    saved = Dossier.objects.get(pk=dossier.pk)
    assert saved.counter == workers * each
    assert saved.version == 1 + workers * each
