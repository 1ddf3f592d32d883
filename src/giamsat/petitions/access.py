"""Who sees which petition: scope (the usual rule) minus conflicts of interest.

Scope: a petition is visible to a user holding the capability over the unit that holds it
(``unit``) or over the unit that first received it (``received_by``), so a body keeps sight of
the letters it forwarded.

Conflict of interest (issue 5, item 6; rules-gaps.md §3.5 "không để người bị tố cáo chủ trì
giải quyết việc tố cáo mình"). A user is conflicted on a petition, whatever their role —
including a superuser — when:

1. the user is a person concerned (``User.person`` among ``subject_people``); or
2. the user *belongs* to a unit concerned: the unit concerned is the unit, or an ancestor of a
   unit, where the user
   - holds a role (a ``RoleAssignment`` valid today), or
   - (through ``User.person``) has a membership or a post valid today or ended within
     ``GIAMSAT_CONFLICT_LOOKBACK_DAYS`` (default 5 years).
   "Belongs" includes the subtree: a denunciation of a ward's party organisation concerns every
   member of its cells and the staff of its organs (its UBKT is inside its subtree), because a
   đảng bộ is all of its sub-organisations. Ancestry is read over all time, so a unit that was
   once under the denounced unit still counts.

A conflicted user gets 404 on the petition everywhere (pages, lists, search, API, exports,
alerts) and is never offered it as handler, grantee or custodian.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import active_roles, is_unrestricted, scope_q
from giamsat.core.dates import today
from giamsat.people.models import Membership, Post
from giamsat.petitions.models import HotSpotAlert, Petition
from giamsat.units.models import UnitAncestry

_CACHE_ATTR = "_giamsat_petition_conflict"


def own_unit_ids(user, on: dt.date | None = None) -> set[int]:
    """Units the user belongs to (roles, and memberships/posts of ``user.person``)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    day = on or today()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None and cached[0] == day:
        return cached[1]
    ids = {r.unit_id for r in active_roles(user, day)}
    if user.person_id:
        since = day - dt.timedelta(days=settings.GIAMSAT_CONFLICT_LOOKBACK_DAYS)
        recent = Q(valid_to__isnull=True) | Q(valid_to__gte=since)
        for model in (Membership, Post):
            ids.update(
                model.objects.filter(
                    recent, person_id=user.person_id, valid_from__lte=day
                ).values_list("unit_id", flat=True)
            )
    setattr(user, _CACHE_ATTR, (day, ids))
    return ids


def conflicted_unit_ids(user) -> QuerySet:
    """Units whose petitions the user may not see: every ancestor (or self) of an own unit."""
    return UnitAncestry.objects.filter(descendant_id__in=own_unit_ids(user)).values("ancestor_id")


def conflict_q(user) -> Q:
    """Q over Petition: the petitions ``user`` is conflicted on."""
    through_units = Petition.subject_units.through
    q = Q(
        pk__in=through_units.objects.filter(unit_id__in=conflicted_unit_ids(user)).values(
            "petition_id"
        )
    )
    if getattr(user, "person_id", None):
        through_people = Petition.subject_people.through
        q |= Q(pk__in=through_people.objects.filter(person_id=user.person_id).values("petition_id"))
    return q


def is_conflicted(user, petition: Petition) -> bool:
    return Petition.objects.filter(conflict_q(user), pk=petition.pk).exists()


def petitions_for(user, capability: Cap | str = Cap.VIEW_PETITIONS) -> QuerySet[Petition]:
    """Petitions ``user`` may see with ``capability``: in scope and not conflicted."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Petition.objects.none()
    if is_unrestricted(user):
        visible = Petition.objects.all()
    elif Cap(capability) == Cap.HANDLE_PETITIONS:
        # Acting on a petition needs the capability over the unit that holds it.
        visible = Petition.objects.filter(scope_q(user, capability, "unit"))
    else:
        visible = Petition.objects.filter(
            scope_q(user, capability, "unit") | scope_q(user, capability, "received_by")
        )
    return visible.exclude(conflict_q(user))


def get_petition_or_404(user, pk: int, capability: Cap | str = Cap.VIEW_PETITIONS) -> Petition:
    petition = (
        petitions_for(user, capability)
        .filter(pk=pk)
        .select_related("unit", "received_by", "handler", "parent")
        .first()
    )
    if petition is None:
        raise Http404
    return petition


def can_handle(user, petition: Petition) -> bool:
    return petitions_for(user, Cap.HANDLE_PETITIONS).filter(pk=petition.pk).exists()


def alerts_for(user) -> QuerySet[HotSpotAlert]:
    """Hot-spot alerts for committees in scope, minus those about the user's own units/person."""
    if user is None or not getattr(user, "is_authenticated", False):
        return HotSpotAlert.objects.none()
    alerts = HotSpotAlert.objects.filter(scope_q(user, Cap.VIEW_PETITIONS, "unit"))
    alerts = alerts.exclude(subject_unit_id__in=conflicted_unit_ids(user))
    if getattr(user, "person_id", None):
        alerts = alerts.exclude(subject_person_id=user.person_id)
    # An alert that gathers any petition the user is conflicted on is hidden as a whole.
    hidden = Petition.objects.filter(conflict_q(user)).values("pk")
    return alerts.exclude(petitions__in=hidden).distinct()


def handlers_for(petition: Petition, capability: Cap | str = Cap.HANDLE_PETITIONS) -> list:
    """Users who may act on ``petition`` with ``capability`` (scope and no conflict)."""
    from giamsat.accounts.models import RoleAssignment, User
    from giamsat.accounts.roles import ROLE_SPECS

    roles = [role for role, spec in ROLE_SPECS.items() if Cap(capability) in spec.capabilities]
    # A role covers its unit's subtree, so only roles at units that are (or were) above the
    # holding unit can cover the petition; each candidate is then checked like any request.
    above = UnitAncestry.objects.filter(descendant_id=petition.unit_id).values("ancestor_id")
    candidates = User.objects.filter(
        is_active=True,
        pk__in=RoleAssignment.objects.valid_on(today())
        .filter(role__in=roles, unit_id__in=above)
        .values("user_id"),
    ).order_by("first_name", "username")
    return [u for u in candidates if petitions_for(u, capability).filter(pk=petition.pk).exists()]


def nearest_handlers(petition: Petition) -> list:
    """Who should be reminded of a petition's deadline: its handler, else the users with a
    petition-handling role at the nearest unit at or above the holding unit."""
    from giamsat.accounts.models import RoleAssignment
    from giamsat.accounts.roles import ROLE_SPECS

    handler = petition.handler
    if handler is not None and handler.is_active and can_handle(handler, petition):
        return [handler]
    roles = [r for r, spec in ROLE_SPECS.items() if Cap.HANDLE_PETITIONS in spec.capabilities]
    ref = petition.unit.reference_date()
    ancestors = (
        UnitAncestry.objects.filter(
            descendant_id=petition.unit_id, valid_from__lte=ref, valid_to__gte=ref
        )
        .order_by("depth")
        .values_list("ancestor_id", flat=True)
    )
    for unit_id in ancestors:
        users = [
            ra.user
            for ra in RoleAssignment.objects.valid_on(today())
            .filter(unit_id=unit_id, role__in=roles, user__is_active=True)
            .select_related("user")
        ]
        users = [u for u in users if can_handle(u, petition)]
        if users:
            return users
    return []


def hidden_from_audit(user):
    """Records of the petitions ``user`` is conflicted on, left out of their audit trail
    (the trail would otherwise show that a denunciation names them, and who handles it)."""
    from django.contrib.contenttypes.models import ContentType

    from giamsat.core.models import Attachment
    from giamsat.petitions.models import (
        Extension,
        IdentityGrant,
        SealedIdentity,
        Suspension,
        Transfer,
    )

    if user is None or not getattr(user, "is_authenticated", False):
        return []
    conflicted = Petition.objects.filter(conflict_q(user)).values("pk")
    alerts = Q(petitions__in=conflicted) | Q(subject_unit_id__in=conflicted_unit_ids(user))
    if getattr(user, "person_id", None):
        alerts |= Q(subject_person_id=user.person_id)
    pairs = [
        (Petition, conflicted),
        (SealedIdentity, SealedIdentity.objects.filter(petitions__in=conflicted).values("pk")),
        (HotSpotAlert, HotSpotAlert.objects.filter(alerts).values("pk")),
    ]
    for model in (Transfer, Extension, Suspension, IdentityGrant):
        pairs.append((model, model.objects.filter(petition__in=conflicted).values("pk")))
    # Files attached to those petitions (their names can name the person denounced).
    attachments = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(Petition), object_id__in=conflicted
    )
    pairs.append((Attachment, attachments.values("pk")))
    return [(model, qs.values_list("pk", flat=True).distinct()) for model, qs in pairs]
