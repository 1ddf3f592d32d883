"""The audit trail as the inspection commission reads it: scoped to its units, filtered.

Scoping: an access event or a change is visible when the unit it concerns (``AccessEvent.unit``,
``ChangeUnit.unit``) is in the viewer's ``Cap.VIEW_AUDIT`` scope; rows that concern no unit are
visible to unrestricted administrators only.

Hidden records: an app may hide some of its records from some users whatever their scope (the
petitions a user is conflicted on). It registers ``register_hidden_records(fn)`` where
``fn(user)`` yields ``(Model, queryset of pks)``; the audit trail then leaves out every change
and access event of those records — for administrators too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import is_unrestricted, scope_q
from giamsat.audit.models import AccessEvent, ChangeUnit
from giamsat.units.models import Unit, UnitAncestry

# "people.Person:12" names one record exactly.
RECORD_REF = re.compile(r"^(?P<type>[A-Za-z_][\w]*\.[A-Za-z_]\w*):(?P<id>[\w-]{1,64})$")
MAX_MATCHED_UNITS = 50

CHANGE_ACTIONS = {
    "create": LogEntry.Action.CREATE,
    "update": LogEntry.Action.UPDATE,
    "delete": LogEntry.Action.DELETE,
}


def clean_text(value: str | None, limit: int = 200) -> str:
    """Trimmed filter text without NUL characters (PostgreSQL refuses them)."""
    return (value or "").replace("\x00", "").strip()[:limit]


@dataclass(frozen=True)
class AuditFilter:
    person: str = ""
    record: str = ""
    unit: str = ""
    kind: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def describe(self) -> str:
        """A short English summary for the access log of the audit page itself."""
        parts = [
            f"{name}={value}"
            for name, value in (
                ("person", self.person),
                ("record", self.record),
                ("unit", self.unit),
                ("kind", self.kind),
                ("from", self.date_from.isoformat() if self.date_from else ""),
                ("to", self.date_to.isoformat() if self.date_to else ""),
            )
            if value
        ]
        return "; ".join(parts)


HiddenRecords = Callable[[Any], Iterable[tuple[type[Model], QuerySet]]]
_HIDDEN: list[HiddenRecords] = []


def register_hidden_records(fn: HiddenRecords) -> None:
    """Hide records from the audit trail of some users (see the module docstring)."""
    if fn not in _HIDDEN:
        _HIDDEN.append(fn)


def _hidden(user) -> list[tuple[type[Model], QuerySet]]:
    return [pair for fn in _HIDDEN for pair in fn(user)]


def access_events_for(user) -> QuerySet[AccessEvent]:
    events = AccessEvent.objects.filter(scope_q(user, Cap.VIEW_AUDIT, "unit"))
    for model, pks in _hidden(user):
        ids = [str(pk) for pk in pks]
        if ids:
            events = events.exclude(object_type=model._meta.label, object_id__in=ids)
    return events.select_related("unit", "actor")


def changes_for(user) -> QuerySet[LogEntry]:
    entries = LogEntry.objects.select_related("content_type", "actor")
    if not is_unrestricted(user):
        units = ChangeUnit.objects.filter(scope_q(user, Cap.VIEW_AUDIT, "unit"))
        entries = entries.filter(pk__in=units.values("log_entry_id"))
    for model, pks in _hidden(user):
        ids = [str(pk) for pk in pks]
        if ids:
            entries = entries.exclude(
                content_type=ContentType.objects.get_for_model(model), object_pk__in=ids
            )
    return entries


def _day_bounds(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _subtree_ids(user, text: str):
    """Ids of every unit that was ever under a unit in scope whose name matches ``text``."""
    matched = (
        Unit.objects.filter(scope_q(user, Cap.VIEW_AUDIT))
        .search(text)
        .values("pk")[:MAX_MATCHED_UNITS]
    )
    return UnitAncestry.objects.filter(ancestor__in=matched).values("descendant_id")


def filter_access(qs: QuerySet[AccessEvent], f: AuditFilter, user) -> QuerySet[AccessEvent]:
    if f.person:
        qs = qs.filter(
            Q(actor_name__icontains=f.person)
            | Q(actor__first_name__icontains=f.person)
            | Q(actor__last_name__icontains=f.person)
        )
    if f.record:
        ref = RECORD_REF.match(f.record)
        if ref:
            qs = qs.filter(object_type__iexact=ref["type"], object_id=ref["id"])
        else:
            qs = qs.filter(object_label__icontains=f.record)
    if f.unit:
        qs = qs.filter(unit__in=_subtree_ids(user, f.unit))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.date_from:
        qs = qs.filter(at__gte=_day_bounds(f.date_from))
    if f.date_to:
        qs = qs.filter(at__lt=_day_bounds(f.date_to + dt.timedelta(days=1)))
    return qs


def filter_changes(qs: QuerySet[LogEntry], f: AuditFilter, user) -> QuerySet[LogEntry]:
    if f.person:
        qs = qs.filter(
            Q(actor__username__icontains=f.person)
            | Q(actor__first_name__icontains=f.person)
            | Q(actor__last_name__icontains=f.person)
        )
    if f.record:
        ref = RECORD_REF.match(f.record)
        if ref:
            app_label, _dot, model = ref["type"].partition(".")
            qs = qs.filter(
                content_type__app_label=app_label,
                content_type__model=model.lower(),
                object_pk=ref["id"],
            )
        else:
            qs = qs.filter(object_repr__icontains=f.record)
    if f.unit:
        units = ChangeUnit.objects.filter(unit__in=_subtree_ids(user, f.unit))
        qs = qs.filter(pk__in=units.values("log_entry_id"))
    if f.kind:
        action = CHANGE_ACTIONS.get(f.kind)
        qs = qs.filter(action=action) if action is not None else qs.none()
    if f.date_from:
        qs = qs.filter(timestamp__gte=_day_bounds(f.date_from))
    if f.date_to:
        qs = qs.filter(timestamp__lt=_day_bounds(f.date_to + dt.timedelta(days=1)))
    return qs


def units_of_changes(entries: list[LogEntry]) -> dict[int, Unit]:
    """The unit of each change on a page (one query)."""
    rows = ChangeUnit.objects.filter(log_entry__in=[e.pk for e in entries]).values_list(
        "log_entry_id", "unit_id"
    )
    pairs = dict(rows)
    units = Unit.objects.in_bulk(set(pairs.values()))
    return {entry_id: units[unit_id] for entry_id, unit_id in pairs.items() if unit_id in units}
