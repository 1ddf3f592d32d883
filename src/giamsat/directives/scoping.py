"""Which directives a user sees: documents issued in their scope or above it, and central ones."""

from __future__ import annotations

from django.db.models import Q

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import is_unrestricted, role_units, scope_q
from giamsat.directives.models import Directive
from giamsat.units.models import UnitAncestry, UnitKind, UnitLink


def directives_in_scope(user, capability: Cap | str = Cap.VIEW_DIRECTIVES):
    """Directives issued by a unit in scope, by an ancestor of a role unit (at any time), by a
    committee organ of such an ancestor, or by no unit.

    Documents from above apply to the units below them, so a cell secretary sees the
    Politburo's plan (issued by an organ of the Central Committee); documents of sibling
    organisations stay out of sight.
    """
    if is_unrestricted(user):
        return Directive.objects.all()
    units = role_units(user, capability)
    if not units:
        return Directive.objects.none()
    ancestor_ids = UnitAncestry.objects.filter(descendant__in=[u.pk for u in units]).values(
        "ancestor_id"
    )
    organs_above = UnitLink.objects.filter(
        parent__in=ancestor_ids, unit__kind=UnitKind.ORGAN
    ).values("unit_id")
    return Directive.objects.filter(
        Q(issuing_unit__isnull=True)
        | Q(issuing_unit__in=ancestor_ids)
        | Q(issuing_unit__in=organs_above)
        | scope_q(user, capability, "issuing_unit")
    )
