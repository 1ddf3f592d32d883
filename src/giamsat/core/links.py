"""Typed links between records of different apps (``RecordLink``)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from giamsat.core.models import LinkKind, RecordLink


def link_records(
    *,
    source: models.Model,
    target: models.Model,
    kind: LinkKind | str,
    acting_user=None,
    note: str = "",
) -> RecordLink:
    """Record that ``source`` ``kind`` ``target`` (idempotent)."""
    link, _created = RecordLink.objects.get_or_create(
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        kind=kind,
        defaults={"note": note[:300], "created_by": acting_user},
    )
    return link


def links_from(source: models.Model, kind: LinkKind | str | None = None) -> list[models.Model]:
    """The records ``source`` links to (optionally of one kind)."""
    rows = RecordLink.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    )
    if kind:
        rows = rows.filter(kind=kind)
    return [
        r.target_type.get_object_for_this_type(pk=r.target_id)
        for r in rows.select_related("target_type")
    ]


def links_to(target: models.Model, kind: LinkKind | str | None = None) -> list[models.Model]:
    """The records that link to ``target`` (optionally of one kind)."""
    rows = RecordLink.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    )
    if kind:
        rows = rows.filter(kind=kind)
    return [
        r.source_type.get_object_for_this_type(pk=r.source_id)
        for r in rows.select_related("source_type")
    ]
