"""Register models with django-auditlog with giamsat's defaults.

``giamsat.audit.registry.register(Model)`` is ``auditlog.register(Model)`` without the noise:
reverse relations (which auditlog lists on every create), sort/search keys recomputed from a
logged field, and row timestamps (the log entry has its own). Apps may use it in their
``AppConfig.ready()``; plain ``auditlog.register`` works too.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditlog.registry import auditlog
from django.db import models

DERIVED_FIELDS = {
    "created_at",
    "updated_at",
    "name_sort",
    "name_search",
    "title_search",
    "alias_search",
    "family_name",
    "middle_name",
    "given_name",
}


def noise_fields(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.get_fields()
        if (f.auto_created and not f.concrete) or f.name in DERIVED_FIELDS
    ]


def register(
    model: type[models.Model],
    *,
    exclude_fields: Iterable[str] = (),
    include_fields: Iterable[str] = (),
    **kwargs,
) -> None:
    auditlog.register(
        model,
        exclude_fields=[*noise_fields(model), *exclude_fields],
        include_fields=list(include_fields),
        **kwargs,
    )
