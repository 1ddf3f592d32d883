"""XLSX exports of the audit trail (every cell neutralised by ``core.excel.write_xlsx``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from auditlog.models import LogEntry
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from giamsat.audit.models import AccessEvent, AccessKind, ChangeUnit
from giamsat.core.excel import write_xlsx
from giamsat.units.models import Unit

EXPORT_LIMIT = 100_000
CHUNK = 2000


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value).replace(tzinfo=None)


def export_access(events: QuerySet[AccessEvent]) -> bytes:
    kinds = dict(AccessKind.choices)
    headers = [
        _("Time"),
        _("Person"),
        _("Username"),
        _("Kind"),
        _("Record type"),
        _("Record id"),
        _("Record"),
        _("Party organisation"),
        _("Reason"),
        _("IP address"),
        _("Address in giamsat"),
    ]

    def rows() -> Iterator[list]:
        for event in events.iterator(chunk_size=CHUNK):
            actor = event.actor
            yield [
                _local(event.at),
                str(actor) if actor else event.actor_name,
                actor.username if actor else event.actor_name,
                str(kinds.get(event.kind, event.kind)),
                event.object_type,
                event.object_id,
                event.object_label,
                event.unit.name if event.unit else "",
                event.reason,
                event.ip_address or "",
                event.path,
            ]

    data = write_xlsx([(_("Who saw what"), headers, rows())])
    assert data is not None
    return data


def export_changes(entries: QuerySet[LogEntry]) -> bytes:
    from giamsat.audit.forms import ACTION_LABELS

    actions = ACTION_LABELS
    headers = [
        _("Time"),
        _("Person"),
        _("Username"),
        _("Action"),
        _("Record type"),
        _("Record id"),
        _("Record"),
        _("Field"),
        _("Old value"),
        _("New value"),
        _("Party organisation"),
        _("IP address"),
    ]

    def rows() -> Iterator[list]:
        batch: list[LogEntry] = []
        for entry in entries.iterator(chunk_size=CHUNK):
            batch.append(entry)
            if len(batch) == CHUNK:
                yield from _change_rows(batch, actions)
                batch = []
        yield from _change_rows(batch, actions)

    data = write_xlsx([(_("Who changed what"), headers, rows())])
    assert data is not None
    return data


def _change_rows(batch: list[LogEntry], actions: dict) -> Iterator[list]:
    if not batch:
        return
    unit_ids = dict(
        ChangeUnit.objects.filter(log_entry__in=[e.pk for e in batch]).values_list(
            "log_entry_id", "unit_id"
        )
    )
    names = dict(Unit.objects.filter(pk__in=set(unit_ids.values())).values_list("pk", "name"))
    for entry in batch:
        actor = entry.actor
        common = [
            _local(entry.timestamp),
            str(actor) if actor else "",
            actor.username if actor else "",
            str(actions.get(entry.action, entry.action)),
            f"{entry.content_type.app_label}.{entry.content_type.model}",
            entry.object_pk,
            entry.object_repr,
        ]
        tail = [names.get(unit_ids.get(entry.pk), ""), entry.remote_addr or ""]
        changes = entry.changes_display_dict or {}
        if not changes:
            yield [*common, "", "", "", *tail]
        for field, values in changes.items():
            old, new = [*values, None, None][:2] if isinstance(values, list) else (values, None)
            yield [*common, str(field), _cell(old), _cell(new), *tail]


def _cell(value) -> str:
    if value is None:
        return ""
    return str(value)
