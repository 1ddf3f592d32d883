"""Which directives a user sees: documents issued in their scope or above it, and central ones."""

from __future__ import annotations

from django.db.models import Q

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import is_unrestricted, role_units, scope_q
from giamsat.directives.models import Directive
from giamsat.units.models import UnitAncestry


def directives_in_scope(user, capability: Cap | str = Cap.VIEW_DIRECTIVES):
    """Directives issued by a unit in scope, by an ancestor of a role unit, or by no unit.

    Documents from above apply to the units below them, so a cell secretary sees the
    Politburo's plan; documents of sibling organisations stay out of sight.
    """
    if is_unrestricted(user):
        return Directive.objects.all()
    units = role_units(user, capability)
    if not units:
        return Directive.objects.none()
    ancestor_ids = UnitAncestry.objects.filter(descendant__in=[u.pk for u in units]).values(
        "ancestor_id"
    )
    return Directive.objects.filter(
        Q(issuing_unit__isnull=True)
        | Q(issuing_unit__in=ancestor_ids)
        | scope_q(user, capability, "issuing_unit")
    )
