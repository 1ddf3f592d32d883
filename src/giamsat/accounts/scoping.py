"""The one scoping function behind every page, list, search, export and API call.

A role held at unit U grants its capabilities over U's subtree, read on U's reference date
(today, or U's last day if U has ended), plus every unit that ended while inside U's subtree
(so the archive of a merged or dissolved unit stays with the organisation it ended under).
Out-of-scope objects answer 404 (``get_in_scope_or_404``): existence is never revealed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from giamsat.accounts.models import RoleAssignment
from giamsat.accounts.roles import Cap, capabilities_of, role_requires_2fa
from giamsat.core.dates import today
from giamsat.units.models import Unit, UnitAncestry

_CACHE_ATTR = "_giamsat_role_cache"


def active_roles(user, on: dt.date | None = None) -> list[RoleAssignment]:
    """Role assignments of ``user`` valid on ``on`` (cached on the user object per day)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    day = on or today()
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None or cache[0] != day:
        roles = list(RoleAssignment.objects.valid_on(day).filter(user=user).select_related("unit"))
        cache = (day, roles)
        setattr(user, _CACHE_ATTR, cache)
    return cache[1]


def clear_role_cache(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_unrestricted(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


def role_units(user, capability: Cap | str) -> list[Unit]:
    """Units at which ``user`` holds a role granting ``capability``."""
    return [r.unit for r in active_roles(user) if Cap(capability) in capabilities_of(r.role)]


def has_capability(user, capability: Cap | str) -> bool:
    """Whether ``user`` holds ``capability`` anywhere (used to show or hide menu entries)."""
    return is_unrestricted(user) or bool(role_units(user, capability))


def requires_2fa(user) -> bool:
    if is_unrestricted(user):
        return True
    return any(role_requires_2fa(r.role) for r in active_roles(user))


def _unit_ids_q(units: Iterable[Unit]) -> Q | None:
    """Q over UnitAncestry rows that put a descendant inside one of ``units``' scope."""
    q: Q | None = None
    for unit in units:
        ref = unit.reference_date()
        part = Q(ancestor_id=unit.pk) & (
            Q(valid_from__lte=ref, valid_to__gte=ref) | Q(ended_here=True, valid_to__lt=ref)
        )
        q = part if q is None else q | part
    return q


def scope_q(user, capability: Cap | str, path: str = "pk") -> Q:
    """A Q for any model: the Unit reached through ``path`` is in ``user``'s scope.

    ``path`` is "pk" for Unit itself or the name of a ForeignKey to Unit ("unit",
    "session__unit", ...). A user without the capability gets a Q that matches nothing.
    """
    if is_unrestricted(user):
        return Q()
    rows_q = _unit_ids_q(role_units(user, capability))
    if rows_q is None:
        return Q(pk__in=[])
    ids = UnitAncestry.objects.filter(rows_q).values("descendant_id")
    return Q(**{f"{path}__in": ids})


def visible_units(user, capability: Cap | str = Cap.VIEW_UNITS) -> QuerySet[Unit]:
    return Unit.objects.filter(scope_q(user, capability)).distinct()


def scope(queryset: QuerySet, user, capability: Cap | str, path: str = "unit") -> QuerySet:
    """Filter ``queryset`` to rows whose unit (through ``path``) is in ``user``'s scope."""
    return queryset.filter(scope_q(user, capability, path))


def unit_in_scope(user, unit: Unit | int, capability: Cap | str = Cap.VIEW_UNITS) -> bool:
    unit_id = unit.pk if isinstance(unit, Unit) else unit
    return Unit.objects.filter(scope_q(user, capability), pk=unit_id).exists()


def get_in_scope_or_404(
    queryset: QuerySet, user, capability: Cap | str, path: str = "unit", **lookup
) -> Model:
    """Fetch one object if it exists *and* is in scope; 404 in both other cases."""
    obj = scope(queryset, user, capability, path).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj
