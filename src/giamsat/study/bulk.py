"""Fast inserts of many attendance rows (session lists, imports, the demo, the benchmark).

Django's ``bulk_create`` builds a model instance and compiles every value of every row in
Python, which costs more than the database itself for 100,000 rows. Lists are plain tuples of
a few columns, so they are inserted with the cursor's ``executemany`` (portable across SQLite
and PostgreSQL, values adapted by the backend's own ``connection.ops``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connection
from django.utils import timezone

from giamsat.study.models import Attendance, Status

# Columns written by insert_rows, in order; every other column takes its default below.
COLUMNS = (
    "session_id",
    "person_id",
    "unit_id",
    "session_date",
    "is_makeup",
    "is_member",
    "source",
    "status",
    "reason",
    "attended_on",
    "point_id",
    "made_up_in_id",
    "made_up_on",
    "studied_on",
    "recorded_at",
    "recorded_by_id",
)


def row(
    *,
    session_id: int,
    person_id: int,
    unit_id: int,
    session_date: dt.date,
    is_makeup: bool,
    is_member: bool,
    source: str,
    status: str = Status.PENDING,
    reason: str = "",
    attended_on: dt.date | None = None,
    point_id: int | None = None,
    made_up_in_id: int | None = None,
    made_up_on: dt.date | None = None,
    studied_on: dt.date | None = None,
    recorded_at: dt.datetime | None = None,
    recorded_by_id: int | None = None,
) -> tuple:
    """One attendance row, in COLUMNS order (values not yet adapted)."""
    return (
        session_id,
        person_id,
        unit_id,
        session_date,
        is_makeup,
        is_member,
        str(source),
        str(status),
        reason,
        attended_on,
        point_id,
        made_up_in_id,
        made_up_on,
        studied_on,
        recorded_at,
        recorded_by_id,
    )


_DATE_COLUMNS = tuple(
    i
    for i, c in enumerate(COLUMNS)
    if c in ("session_date", "attended_on", "made_up_on", "studied_on")
)
_DATETIME_COLUMN = COLUMNS.index("recorded_at")


def insert_rows(rows: Iterable[Sequence], batch_size: int = 5000) -> int:
    """Insert attendance rows (tuples from ``row``); returns how many."""
    ops = connection.ops
    table = connection.ops.quote_name(Attendance._meta.db_table)
    columns = ", ".join(ops.quote_name(c) for c in COLUMNS)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"  # noqa: S608 - fixed names
    dates: dict[dt.date, object] = {}  # adapted values of the (few) distinct dates and times

    def adapt(values: Sequence) -> list:
        out = list(values)
        for i in _DATE_COLUMNS:
            day = out[i]
            if day is not None:
                if day not in dates:
                    dates[day] = ops.adapt_datefield_value(day)
                out[i] = dates[day]
        moment = out[_DATETIME_COLUMN]
        if moment is not None:
            if moment not in dates:
                dates[moment] = ops.adapt_datetimefield_value(moment)
            out[_DATETIME_COLUMN] = dates[moment]
        return out

    total = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while batch := [adapt(r) for r in islice(iterator, batch_size)]:
            cursor.executemany(sql, batch)
            total += len(batch)
    return total


def now() -> dt.datetime:
    return timezone.now()
