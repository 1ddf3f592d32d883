"""The catalogues' data files (``oversight/data/catalogues.csv``, ``catalogue_items.csv``).

``load_catalogues`` creates what is missing and never overwrites a row, so an administrator's
completions survive a re-run. It takes the model classes as arguments so that the data
migration can pass its historical models; ``ensure_catalogues`` is for the demo loader and
tests (a database flushed by ``giamsat demo --reset`` or a transactional test loses the rows
the migration created).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def load_catalogues(catalogue_model, item_model) -> int:
    """Create the catalogues and items missing from the database; return how many items."""
    catalogues = {}
    with (DATA / "catalogues.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            catalogues[row["code"]], _created = catalogue_model.objects.get_or_create(
                code=row["code"],
                defaults={
                    "kind": row["kind"],
                    "title": row["title"],
                    "source_document": row["source_document"],
                    "valid_from": _date(row["valid_from"]),
                    "valid_to": _date(row["valid_to"]),
                    "unconfirmed": row["unconfirmed"] == "1",
                    "note": row["note"],
                    "source": row["source"],
                },
            )
    created = 0
    with (DATA / "catalogue_items.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            _item, was_created = item_model.objects.get_or_create(
                catalogue=catalogues[row["catalogue"]],
                code=row["code"],
                defaults={
                    "group": row["group"],
                    "number": int(row["number"]),
                    "label": row["label"],
                    "text": row["text"],
                    "status": row["status"],
                    "topic": row["topic"],
                    "source": row["source"],
                },
            )
            created += was_created
    return created


def ensure_catalogues() -> int:
    from giamsat.oversight.models import Catalogue, CatalogueItem

    if CatalogueItem.objects.exists():
        return 0
    return load_catalogues(Catalogue, CatalogueItem)
