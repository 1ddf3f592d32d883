"""Load the default authority matrix (QĐ 30 / QĐ 22 / QĐ 296) from
``discipline/data/authority_matrix.csv``; unread and post-2025 values are flagged unconfirmed
for an administrator to correct."""

import csv
import datetime as dt
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data"


def load(apps, schema_editor):
    AuthorityRule = apps.get_model("discipline", "AuthorityRule")
    with (DATA / "authority_matrix.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            AuthorityRule.objects.create(
                subject_kind=row["subject_kind"],
                scope=row["scope"],
                form=row["form"],
                proposing_body=row["proposing_body"],
                deciding_body=row["deciding_body"],
                valid_from=dt.date.fromisoformat(row["valid_from"]),
                valid_to=dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
                source=row["source"],
                unconfirmed=row["unconfirmed"] == "1",
                note=row["note"],
            )


class Migration(migrations.Migration):
    dependencies = [("discipline", "0002_relations")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
