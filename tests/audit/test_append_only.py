"""The audit trail is append-only: the application refuses to change or delete its rows (both
databases); on PostgreSQL the database itself refuses UPDATE and DELETE (triggers)."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, transaction

from giamsat.audit.context import acting_as
from giamsat.audit.models import AccessEvent, AccessKind, AppendOnlyError, ChangeUnit
from giamsat.audit.services import record_access
from giamsat.units.services import rename_unit

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database triggers exist on PostgreSQL only"
)


@pytest.fixture
def trail(tree, users):
    """One access event, one change log entry and its unit."""
    import datetime as dt

    event = record_access(actor=users.authorised, kind=AccessKind.READ, obj=tree.ward_a)
    with acting_as(users.authorised):
        rename_unit(unit=tree.ward_a, name="Tên mới", date=dt.date(2024, 1, 1))
    entry = LogEntry.objects.filter(object_pk=str(tree.ward_a.pk)).latest("pk")
    return event, entry, ChangeUnit.objects.get(log_entry=entry)


def test_access_events_refuse_change_and_delete(trail):
    event, _entry, _unit = trail
    event.reason = "covering my tracks"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.bulk_update([event], ["reason"])
    assert AccessEvent.objects.get(pk=event.pk).reason == ""


def test_change_units_refuse_change_and_delete(trail):
    _event, _entry, unit = trail
    with pytest.raises(AppendOnlyError):
        unit.save()
    with pytest.raises(AppendOnlyError):
        ChangeUnit.objects.filter(pk=unit.pk).delete()
    with pytest.raises(AppendOnlyError):
        ChangeUnit.objects.filter(pk=unit.pk).update(unit_id=1)


def test_change_log_entries_refuse_change_and_delete(trail):
    _event, entry, _unit = trail
    entry.changes_text = "nothing happened"
    with pytest.raises(AppendOnlyError):
        entry.save()
    # Deletes run in Django's own atomic block: a savepoint keeps the test's transaction usable.
    with pytest.raises(AppendOnlyError), transaction.atomic():
        entry.delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()
    assert LogEntry.objects.get(pk=entry.pk).changes_text == ""


@pytest.mark.pg_only
@on_postgresql
@pytest.mark.parametrize("table", ["audit_accessevent", "auditlog_logentry", "audit_changeunit"])
def test_postgresql_refuses_update_and_delete_in_the_database(trail, table):
    """Even raw SQL (a compromised application, a careless console) cannot rewrite history."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        before = cursor.fetchone()[0]
    assert before >= 1
    column = "log_entry_id" if table == "audit_changeunit" else "id"
    for statement in (
        f"UPDATE {table} SET {column} = {column}",
        f"DELETE FROM {table}",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        assert cursor.fetchone()[0] == before


@pytest.mark.pg_only
@on_postgresql
def test_postgresql_still_accepts_new_audit_rows(trail, users):
    record_access(actor=users.authorised, kind=AccessKind.EXPORT, label="after the triggers")
    assert AccessEvent.objects.filter(kind=AccessKind.EXPORT).count() == 1
