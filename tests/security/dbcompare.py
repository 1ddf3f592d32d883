"""Compare whole databases: per table, the row count and a checksum of the content."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import ipaddress
import json
from typing import Any

# Rows the backup and restore commands add to the audit trail after copying (not in the copy).
COMMAND_EVENT_KINDS = {"backup", "restore"}


def _canonical(value: Any) -> str:
    if isinstance(value, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return repr(str(value))  # psycopg's inet objects, as Django's connection returns them
    if isinstance(value, memoryview):
        value = bytes(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, (dt.datetime, dt.date, dt.time, decimal.Decimal)):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    return repr(value)


def table_names(cursor, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
    return sorted(row[0] for row in cursor.fetchall())


def fingerprint(cursor, vendor: str) -> dict[str, tuple[int, str]]:
    """{table: (rows, sha256 of the sorted canonical rows)} for every table of the database."""
    result = {}
    for table in table_names(cursor, vendor):
        cursor.execute(f'SELECT * FROM "{table}"')
        columns = [c[0] for c in cursor.description]
        rows = cursor.fetchall()
        if table == "audit_accessevent":
            kind = columns.index("kind")
            rows = [row for row in rows if row[kind] not in COMMAND_EVENT_KINDS]
        canonical = sorted("\x1f".join(_canonical(v) for v in row) for row in rows)
        digest = hashlib.sha256("\x1e".join(canonical).encode()).hexdigest()
        result[table] = (len(rows), digest)
    return result


def differences(before: dict, after: dict) -> list[str]:
    tables = sorted(set(before) | set(after))
    return [
        f"{t}: {before.get(t)} != {after.get(t)}" for t in tables if before.get(t) != after.get(t)
    ]
