"""Bulk writing for the generator: ``COPY`` on PostgreSQL, ``executemany`` on SQLite.

Rows are plain tuples in the order of the columns named by the caller (model attribute names);
every other concrete field gets a constant: its default, ``now`` for auto timestamps, NULL when
nullable, "" for text. Nothing goes through model instances or ``save()``, so the generator
writes millions of rows a minute; the invariants the services would keep (closure, counters)
are computed by the generator itself and checked by ``giamsat.scale.checks``.

On PostgreSQL the largest tables are written with their secondary indexes and constraints
dropped (``unconstrained``) and rebuilt afterwards: building an index once is far cheaper than
maintaining it row by row, and a foreign key re-added is validated by one join instead of one
trigger call per row.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice

from django.core.management.color import no_style
from django.db import connection, models

Advance = Callable[[int], None]

SQLITE_CHUNK = 20_000


def now_for_db(now: dt.datetime):
    """The timestamp constant as the backend stores it (SQLite: naive UTC text)."""
    if connection.vendor == "sqlite":
        return now.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    return now


def _constant(model: type[models.Model], field: models.Field, now) -> object:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.has_default():
        value = field.get_default()
        if isinstance(field, models.JSONField):
            return json.dumps(value)
        return value
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField):
        return ""
    raise ValueError(f"{model.__name__}.{field.name} needs a value")


class Table:
    """One model's table: the columns the caller gives, then constants for the rest."""

    def __init__(
        self,
        model: type[models.Model],
        columns: Sequence[str],
        *,
        now,
        consts: dict[str, object] | None = None,
    ) -> None:
        self.model = model
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [c for c in [*columns, *(consts or {})] if c not in fields]
        if unknown:
            raise ValueError(f"{model.__name__} has no column {unknown}")
        consts = dict(consts or {})
        for attname, field in fields.items():
            if attname in columns or attname in consts or field.primary_key:
                continue
            consts[attname] = _constant(model, field, now)
        self.attnames = [*columns, *consts]
        self.constants = tuple(consts.values())
        self.db_columns = [fields[a].column for a in self.attnames]
        self.name = model._meta.db_table

    def write(self, rows: Iterable[tuple], advance: Advance | None = None) -> int:
        """Write ``rows`` (tuples for the given columns); returns the number written."""
        consts = self.constants
        qn = connection.ops.quote_name
        cols = ", ".join(qn(c) for c in self.db_columns)
        written = 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                sql = f"COPY {qn(self.name)} ({cols}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    write_row = copy.write_row
                    for row in rows:
                        write_row(row + consts)
                        written += 1
                        if advance is not None and written % 50_000 == 0:
                            advance(50_000)
                if advance is not None:
                    advance(written % 50_000)
                return written
            marks = ", ".join("?" * len(self.db_columns))
            sql = f"INSERT INTO {qn(self.name)} ({cols}) VALUES ({marks})"  # noqa: S608 - model names
            raw = cursor.cursor
            iterator = iter(rows)
            while chunk := [row + consts for row in islice(iterator, SQLITE_CHUNK)]:
                raw.executemany(sql, chunk)
                written += len(chunk)
                if advance is not None:
                    advance(len(chunk))
        return written


def write(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[tuple],
    *,
    now,
    consts: dict[str, object] | None = None,
    advance: Advance | None = None,
) -> int:
    return Table(model, columns, now=now, consts=consts).write(rows, advance)


def execute(sql: str, params: Sequence[object] | None = None) -> int:
    """Run one statement (``%%`` for a literal ``%`` when ``params`` are given)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def reset_sequences(models_: Sequence[type[models.Model]]) -> None:
    """After explicit ids: move each table's id sequence past its largest id (PostgreSQL)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@contextlib.contextmanager
def unconstrained(models_: Sequence[type[models.Model]]) -> Iterator[None]:
    """PostgreSQL: drop secondary indexes and constraints of these tables, rebuild on exit.

    Primary keys stay (other tables reference them). Foreign keys are re-added with their
    original definition, which validates every row in one join. Elsewhere: does nothing.
    """
    if connection.vendor != "postgresql":
        yield
        return
    saved: list[tuple[str, str, str, str]] = []  # (table, kind, name, definition)
    with connection.cursor() as cursor:
        # ORM writes earlier in the transaction leave deferred FK checks pending, which forbid
        # ALTER TABLE: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for model in models_:
            table = model._meta.db_table
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('f', 'u', 'c', 'x')",
                [table],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
                [table],
            )
            indexes = cursor.fetchall()
            qn = connection.ops.quote_name
            for name, definition, kind in constraints:
                cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
                saved.append((table, kind, name, definition))
            for name, definition in indexes:
                cursor.execute(f"DROP INDEX {qn(name)}")
                saved.append((table, "i", name, definition))
    yield
    order = {"i": 0, "u": 1, "x": 1, "c": 2, "f": 3}
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, kind, name, definition in sorted(saved, key=lambda s: order[s[1]]):
            if kind == "i":
                cursor.execute(definition)
            else:
                cursor.execute(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}")
