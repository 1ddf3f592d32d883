"""Reads behind the tree browser and the unit page, each a fixed number of queries whatever the
number of nodes (grouped queries over the closure, never a query per node)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import has_capability, scope_q
from giamsat.units.models import Unit, UnitKind, UnitLink


@dataclass
class Node:
    """A unit as shown in the tree on a date."""

    unit: Unit
    name: str  # the name the unit carried on the date
    members: int | None  # None: the user may not see people
    children: int  # visible sub-units on the date

    @property
    def ended(self) -> bool:
        return self.unit.valid_to is not None


def visible_units_on(user, day: dt.date) -> QuerySet[Unit]:
    """Units ``user`` may see that exist on ``day``."""
    return Unit.objects.filter(scope_q(user, Cap.VIEW_UNITS)).valid_on(day)


def tree_order(queryset: QuerySet[Unit]) -> QuerySet[Unit]:
    """Organisations first, then committee organs; Vietnamese alphabetical order within."""
    return (
        queryset.annotate(
            organ_last=Case(
                When(kind=UnitKind.ORGAN, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("organ_last", "name_sort", "pk")
        .prefetch_related("names")
    )


def top_units(user, day: dt.date) -> QuerySet[Unit]:
    """The highest units the user sees on ``day``: visible, with no visible parent that day."""
    visible = visible_units_on(user, day)
    under_visible = (
        UnitLink.objects.valid_on(day).filter(parent__in=visible.values("pk")).values("unit_id")
    )
    return tree_order(visible.exclude(pk__in=under_visible))


def visible_children(user, unit: Unit, day: dt.date) -> QuerySet[Unit]:
    return tree_order(Unit.objects.children_of(unit, day).filter(scope_q(user, Cap.VIEW_UNITS)))


def member_counts(user, unit_ids: list[int], day: dt.date) -> dict[int, int] | None:
    """Members (regular party activity) on ``day`` in the subtree of each unit: one query.

    Only members of cells the user may see count; ``None`` when the user may not see people.
    """
    from giamsat.people.models import Membership, MembershipKind

    if not has_capability(user, Cap.VIEW_PEOPLE):
        return None
    if not unit_ids:
        return {}
    rows = (
        Membership.objects.valid_on(day)
        .filter(kind=MembershipKind.REGULAR)
        .filter(scope_q(user, Cap.VIEW_PEOPLE, "unit"))
        .filter(
            unit__ancestry_up__ancestor__in=unit_ids,
            unit__ancestry_up__valid_from__lte=day,
            unit__ancestry_up__valid_to__gte=day,
        )
        .values("unit__ancestry_up__ancestor")
        .annotate(n=Count("pk"))
    )
    return {row["unit__ancestry_up__ancestor"]: row["n"] for row in rows}


def child_counts(user, unit_ids: list[int], day: dt.date) -> dict[int, int]:
    """Visible sub-units on ``day`` of each unit: one grouped query over the links."""
    if not unit_ids:
        return {}
    rows = (
        UnitLink.objects.valid_on(day)
        .filter(parent__in=unit_ids)
        .filter(unit__valid_from__lte=day)
        .filter(Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=day))
        .filter(scope_q(user, Cap.VIEW_UNITS, "unit"))
        .values("parent_id")
        .annotate(n=Count("pk"))
    )
    return {row["parent_id"]: row["n"] for row in rows}


def nodes(user, units: list[Unit], day: dt.date) -> list[Node]:
    """Units with their name, member and sub-unit counts on ``day`` (two queries for all of
    them; names come prefetched by ``tree_order``)."""
    ids = [u.pk for u in units]
    members = member_counts(user, ids, day)
    kids = child_counts(user, ids, day)
    return [
        Node(
            unit=u,
            name=u.name_on(day),
            members=None if members is None else members.get(u.pk, 0),
            children=kids.get(u.pk, 0),
        )
        for u in units
    ]
