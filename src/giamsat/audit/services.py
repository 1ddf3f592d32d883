"""Writers of the access log (the change log is written by django-auditlog)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from giamsat.audit.models import AccessEvent, AccessKind
from giamsat.audit.units import unit_id_for


def client_ip(request: HttpRequest | None) -> str | None:
    """The client address as the WSGI server saw it (behind a proxy: see BEHIND_TLS_PROXY)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record_access(
    *,
    actor: Any,
    kind: AccessKind | str,
    obj: models.Model | None = None,
    unit: models.Model | int | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
    label: str = "",
    actor_name: str = "",
) -> AccessEvent:
    """Record that ``actor`` read (or was refused, or exported) a sensitive record.

    ``unit`` defaults to the unit ``obj`` concerns (``audit.units``), which decides who may
    review the event. ``actor_name`` names an actor who is not (or not yet) a user, e.g. the
    username typed in a failed login.
    """
    unit_id: int | None = unit.pk if isinstance(unit, models.Model) else unit
    if unit_id is None:
        unit_id = unit_id_for(obj)
    authenticated = getattr(actor, "is_authenticated", False)
    return AccessEvent.objects.create(
        actor=actor if authenticated else None,
        actor_name=(actor_name or (getattr(actor, "username", "") if authenticated else ""))[:150],
        kind=kind,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=(label or (str(obj) if obj is not None else ""))[:255],
        unit_id=unit_id,
        reason=reason[:500],
        ip_address=client_ip(request),
        path=(request.get_full_path()[:300] if request is not None else ""),
    )
