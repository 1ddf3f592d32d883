"""How planned values are shown in the preview: dates dd/mm/yyyy, coded values by their label."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from giamsat.core.dates import format_date
from giamsat.people.models import Gender, MembershipKind, MemberStatus, PostKind
from giamsat.units.models import OrganKind, ReorgKind, UnitKind

CODED: dict[str, type[models.TextChoices]] = {
    "status": MemberStatus,
    "gender": Gender,
    "membership_kind": MembershipKind,
    "kind": UnitKind,
    "new_kind": UnitKind,
    "organ_kind": OrganKind,
    "post": PostKind,
    "event": ReorgKind,
}


def display_value(field: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    choices = CODED.get(field)
    if choices is not None:
        try:
            return str(choices(value).label)
        except ValueError:
            pass
    return str(value)
