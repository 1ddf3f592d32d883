"""The audit trail over the API (read-only, scoped exactly like the audit page).

Each call is itself recorded in the access log.
"""

import datetime as dt
from typing import Any

from auditlog.models import LogEntry
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from giamsat.audit.models import AccessKind
from giamsat.audit.queries import (
    AuditFilter,
    access_events_for,
    changes_for,
    clean_text,
    filter_access,
    filter_changes,
)
from giamsat.audit.services import record_access
from giamsat.audit.units import primary_unit_id

router = Router(tags=["audit"])


class Filters(Schema):
    person: str | None = Field(None, max_length=150, description="name or username, partial")
    record: str | None = Field(
        None, max_length=200, description="record name (partial) or type:id, e.g. people.Person:12"
    )
    unit: str | None = Field(
        None, max_length=200, description="party organisation name; includes units below it"
    )
    kind: str | None = Field(
        None,
        max_length=20,
        description="access: read, export, reveal_identity, refused, login, login_failed, "
        "logout; changes: create, update, delete",
    )
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def to_filter(self) -> AuditFilter:
        return AuditFilter(
            person=clean_text(self.person),
            record=clean_text(self.record),
            unit=clean_text(self.unit),
            kind=clean_text(self.kind),
            date_from=self.date_from,
            date_to=self.date_to,
        )


class AccessEventOut(Schema):
    id: int
    at: dt.datetime
    actor_id: int | None
    actor_name: str
    kind: str
    object_type: str
    object_id: str
    object_label: str
    unit_id: int | None
    reason: str
    ip_address: str | None


class ChangeOut(Schema):
    id: int
    timestamp: dt.datetime
    actor_id: int | None
    actor_username: str | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict[str, Any]
    remote_addr: str | None

    @staticmethod
    def resolve_actor_username(obj: LogEntry) -> str | None:
        return obj.actor.username if obj.actor else None

    @staticmethod
    def resolve_action(obj: LogEntry) -> str:
        return {0: "create", 1: "update", 2: "delete", 3: "access"}.get(obj.action, str(obj.action))

    @staticmethod
    def resolve_object_type(obj: LogEntry) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    @staticmethod
    def resolve_object_id(obj: LogEntry) -> str:
        return obj.object_pk

    @staticmethod
    def resolve_changes(obj: LogEntry) -> dict[str, Any]:
        changes = obj.changes_dict
        return changes if isinstance(changes, dict) else {}


def _log(request: HttpRequest, what: str, audit_filter: AuditFilter) -> None:
    record_access(
        actor=request.user,
        kind=AccessKind.READ,
        label=what,
        unit=primary_unit_id(request.user),
        reason=audit_filter.describe(),
        request=request,
    )


@router.get("/access-events", response=list[AccessEventOut], summary="Who saw what")
@paginate
def access_events(request: HttpRequest, filters: Query[Filters]):
    """Reads, exports, identity reveals, refusals, logins and logouts in the caller's units."""
    audit_filter = filters.to_filter()
    _log(request, "audit trail: access (API)", audit_filter)
    rows = filter_access(access_events_for(request.user), audit_filter, request.user)
    return rows.order_by("-at", "-pk")


@router.get("/changes", response=list[ChangeOut], summary="Who changed what")
@paginate
def changes(request: HttpRequest, filters: Query[Filters]):
    """Every create, change and delete (old and new values) in the caller's units."""
    audit_filter = filters.to_filter()
    _log(request, "audit trail: changes (API)", audit_filter)
    rows = filter_changes(changes_for(request.user), audit_filter, request.user)
    return rows.order_by("-timestamp", "-pk")
