"""Writers of the access log."""

from __future__ import annotations

from typing import Any

from django.db import models

from giamsat.audit.models import AccessEvent, AccessKind


def _client_ip(request: Any) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record_access(
    *,
    actor: Any,
    kind: AccessKind | str,
    obj: models.Model | None = None,
    unit: Any = None,
    reason: str = "",
    request: Any = None,
    label: str = "",
) -> AccessEvent:
    """Record that ``actor`` read (or was refused, or exported) a sensitive record."""
    return AccessEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=getattr(actor, "username", "") or "",
        kind=kind,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=(label or (str(obj) if obj is not None else ""))[:255],
        unit=unit,
        reason=reason[:500],
        ip_address=_client_ip(request),
        path=(request.get_full_path()[:300] if request is not None else ""),
    )
