"""The default authority matrix (``discipline/data/authority_matrix.csv``).

Loaded by the data migration (with its historical model) and, when the table is empty, by the
demo loader and tests (``giamsat demo --reset`` and transactional tests flush the rows the
migration created). Rows are only created when the table is empty: an administrator's changes
are never overwritten.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def load_authority_matrix(rule_model) -> int:
    if rule_model.objects.exists():
        return 0
    rows = []
    with (DATA / "authority_matrix.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            rows.append(
                rule_model(
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
            )
    rule_model.objects.bulk_create(rows)
    return len(rows)


def ensure_authority_matrix() -> int:
    from giamsat.discipline.models import AuthorityRule

    return load_authority_matrix(AuthorityRule)
