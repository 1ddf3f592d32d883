"""Large files are checked and imported in a background thread while the page polls progress."""

from __future__ import annotations

import threading

import pytest
from django.test import override_settings
from django.urls import reverse

from giamsat.imports import runner
from giamsat.imports.models import BatchStatus, ImportBatch
from giamsat.people.models import Person
from tests.conftest import client_for
from tests.imports.conftest import file_bytes, member, upload


def join_workers() -> None:
    """Wait for the background threads (the test database does not bear concurrent writers)."""
    for thread in threading.enumerate():
        if thread.name.startswith("giamsat-import"):
            thread.join(timeout=60)


@pytest.mark.django_db(transaction=True)
def test_a_large_file_is_handled_in_the_background(tree, clerk):
    rows = [
        member(tree.cell_a1 if i % 2 else tree.cell_a2, name=f"Người Số {i}", card=f"380{i:05d}")
        for i in range(40)
    ]
    page = client_for(clerk)
    with override_settings(GIAMSAT_IMPORT_INLINE_MAX_BYTES=10):
        response = page.post(
            reverse("imports:upload"),
            {
                "kind": "members",
                "unit": tree.city.pk,
                "as_of": "20/11/2026",
                "file": upload(file_bytes("members", rows)),
            },
        )
        join_workers()
        batch = ImportBatch.objects.get()
        assert response.status_code == 302
        assert (batch.status, batch.created_count) == (BatchStatus.READY, 40)
        batch_id = batch.pk
        status = page.get(reverse("imports:status", args=[batch_id]))
        assert status["HX-Refresh"] == "true"
        page.post(reverse("imports:confirm", args=[batch_id]))
        join_workers()
        assert ImportBatch.objects.get(pk=batch_id).status == BatchStatus.APPLIED
    assert Person.objects.count() == 40
    assert not [t for t in threading.enumerate() if t.name.startswith("giamsat-import")]


def test_progress_is_kept_for_the_page(db):
    report = runner.CacheProgress(123456)
    report("check", 50, 200)
    progress = runner.progress_of(123456)
    assert (progress["done"], progress["total"], progress["cls"]) == (50, 200, "gs-bar-20")
