"""Who sees and who changes implementation records: the unit's scope, as everywhere.

Reading needs ``Cap.VIEW_INDICATORS`` over the record's unit (the capability of the menu entry);
writing needs ``Cap.MANAGE_IMPLEMENTATION``. An assignment is visible to the issuer's scope and
to every user who sees one of its assigned units (a ward sees the city's assignment to it, but
only its own record).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import is_unrestricted, scope_q, unit_in_scope
from giamsat.implementation.models import Assignment, Fulfilment, Implementation, KeyTask

VIEW = Cap.VIEW_INDICATORS
MANAGE = Cap.MANAGE_IMPLEMENTATION


def implementations_visible_to(user, capability: Cap = VIEW) -> QuerySet[Implementation]:
    return Implementation.objects.filter(scope_q(user, capability, "unit"))


def fulfilments_visible_to(user, capability: Cap = VIEW) -> QuerySet[Fulfilment]:
    return Fulfilment.objects.filter(scope_q(user, capability, "implementation__unit"))


def key_tasks_visible_to(user, capability: Cap = VIEW) -> QuerySet[KeyTask]:
    return KeyTask.objects.filter(scope_q(user, capability, "unit"))


def assignments_visible_to(user, capability: Cap = VIEW) -> QuerySet[Assignment]:
    if is_unrestricted(user):
        return Assignment.objects.all()
    assigned_in_scope = Implementation.objects.filter(
        scope_q(user, capability, "unit"), assignment=OuterRef("pk")
    )
    return Assignment.objects.filter(
        Q(scope_q(user, capability, "issuing_unit")) | Q(Exists(assigned_in_scope))
    )


def can_manage_unit(user, unit) -> bool:
    return unit_in_scope(user, unit, MANAGE)


def can_view_record(user, obj) -> bool:
    """Whether ``user`` may read an implementation record, fulfilment or key task."""
    if isinstance(obj, Fulfilment):
        return fulfilments_visible_to(user).filter(pk=obj.pk).exists()
    if isinstance(obj, Implementation):
        return implementations_visible_to(user).filter(pk=obj.pk).exists()
    if isinstance(obj, KeyTask):
        return key_tasks_visible_to(user).filter(pk=obj.pk).exists()
    return False
