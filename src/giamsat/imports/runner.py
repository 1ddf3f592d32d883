"""Running a preview or an import: during the request for small files, in a background thread
of the web process for large ones, with progress kept in the cache for the page to poll.

A thread that dies with its process (a server restart) leaves the batch "processing" or
"applying"; the transaction of an import was then never committed, so nothing was written, and
the page offers to start again once the batch is stale (``ImportBatch.is_stale``).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connection

from giamsat.imports.models import ImportBatch
from giamsat.imports.services import ImportRefusedError, apply_batch, preview_batch

log = logging.getLogger(__name__)


def progress_key(batch_id: int) -> str:
    return f"giamsat:import-progress:{batch_id}"


class CacheProgress:
    """Progress callback that writes (phase, done, total) to the cache at most twice a second."""

    def __init__(self, batch_id: int) -> None:
        self.key = progress_key(batch_id)
        self.last = 0.0

    def __call__(self, phase: str, done: int, total: int | None = None) -> None:
        now = time.monotonic()
        if now - self.last < 0.5 and not (total and done >= total):
            return
        self.last = now
        cache.set(self.key, {"phase": phase, "done": done, "total": total}, 3600)


def progress_of(batch_id: int) -> dict[str, Any] | None:
    """(phase, done, total) of a running batch, with the ``gs-bar-N`` class of its bar."""
    found = cache.get(progress_key(batch_id))
    if found and found.get("total"):
        tenth = min(10, int(10 * found["done"] / found["total"]))
        found["cls"] = f"gs-bar-{tenth * 10}"
    return found


def in_background(batch: ImportBatch) -> bool:
    return batch.size > int(getattr(settings, "GIAMSAT_IMPORT_INLINE_MAX_BYTES", 2 * 1024 * 1024))


def _thread(target: Any, *args: Any) -> None:
    def run() -> None:
        close_old_connections()
        try:
            target(*args)
        except ImportRefusedError:
            pass  # the message is stored on the batch
        except Exception:
            log.exception("import %s failed in the background", args[0])
        finally:
            connection.close()

    threading.Thread(target=run, daemon=True, name=f"giamsat-import-{args[0]}").start()


def _preview(batch_id: int) -> None:
    batch = ImportBatch.objects.get(pk=batch_id)
    preview_batch(batch=batch, progress=CacheProgress(batch_id))


def _apply(batch_id: int, user: Any, skip_rejected: bool) -> None:
    batch = ImportBatch.objects.get(pk=batch_id)
    apply_batch(
        batch=batch, acting_user=user, skip_rejected=skip_rejected, progress=CacheProgress(batch_id)
    )


def start_preview(batch: ImportBatch) -> None:
    if in_background(batch):
        _thread(_preview, batch.pk)
    else:
        _preview(batch.pk)


def start_apply(batch: ImportBatch, user: Any, *, skip_rejected: bool) -> None:
    """Start the import; inline it raises ImportRefusedError with the reason."""
    if in_background(batch):
        _thread(_apply, batch.pk, user, skip_rejected)
    else:
        _apply(batch.pk, user, skip_rejected)
