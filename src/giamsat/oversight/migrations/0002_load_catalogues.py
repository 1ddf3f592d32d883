"""Load the catalogues (27 manifestations, 19 prohibitions, violation groups) from the data
files ``oversight/data/catalogues.csv`` and ``catalogue_items.csv``, each row with its source.
Items the research could not read verbatim are loaded with their topic and flagged."""

import csv
import datetime as dt
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data"


def _date(text):
    return dt.date.fromisoformat(text) if text else None


def load(apps, schema_editor):
    Catalogue = apps.get_model("oversight", "Catalogue")
    CatalogueItem = apps.get_model("oversight", "CatalogueItem")
    catalogues = {}
    with (DATA / "catalogues.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            catalogues[row["code"]], _ = Catalogue.objects.update_or_create(
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
    with (DATA / "catalogue_items.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            CatalogueItem.objects.update_or_create(
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


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
