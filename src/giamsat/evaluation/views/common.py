"""Access helpers shared by the evaluation pages and the API.

Evaluation records are seen by those who manage the evaluation of a unit (``MANAGE_EVALUATION``)
and by those who decide levels there (``DECIDE_EVALUATION``), over their units' subtrees.
A campaign is visible when its organiser is in scope or when one of its subjects is (a cell
secretary works on the city's campaign for the cell only). Out of scope answers 404.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import has_capability, is_unrestricted, role_units, scope_q
from giamsat.core.dates import today
from giamsat.core.models import ConcurrentEditError
from giamsat.evaluation.models import Campaign, Evaluation, ReviewSession
from giamsat.units.models import Unit

VIEW_CAPS = (Cap.MANAGE_EVALUATION, Cap.DECIDE_EVALUATION)


def can_view(user) -> bool:
    return any(has_capability(user, c) for c in VIEW_CAPS)


def require_view(user) -> None:
    if not can_view(user):
        raise Http404


def evaluation_q(user, path: str = "unit") -> Q:
    """Q: the unit at ``path`` is in the user's scope for managing or deciding evaluations."""
    if is_unrestricted(user):
        return Q()
    return scope_q(user, Cap.MANAGE_EVALUATION, path) | scope_q(user, Cap.DECIDE_EVALUATION, path)


def evaluations_for(user) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(evaluation_q(user))


def campaigns_for(user) -> QuerySet[Campaign]:
    if is_unrestricted(user):
        return Campaign.objects.all()
    subjects = evaluations_for(user).values("campaign_id")
    return Campaign.objects.filter(Q(evaluation_q(user, "organiser")) | Q(pk__in=subjects))


def sessions_for(user) -> QuerySet[ReviewSession]:
    return ReviewSession.objects.filter(evaluation_q(user))


def units_for(user, capability: Cap = Cap.MANAGE_EVALUATION) -> QuerySet[Unit]:
    """Units the user may choose (ended ones included, for history)."""
    return Unit.objects.filter(scope_q(user, capability)).order_by("name_sort", "pk")


def viewable_units(user) -> QuerySet[Unit]:
    return Unit.objects.filter(evaluation_q(user, "pk")).organisations().order_by("name_sort", "pk")


def default_unit(user) -> Unit | None:
    if is_unrestricted(user):
        return Unit.objects.roots().order_by("pk").first()
    for capability in VIEW_CAPS:
        units = role_units(user, capability)
        if units:
            return units[0]
    return None


def default_year() -> int:
    from django.conf import settings

    if settings.DEMO_MODE:
        return 2021  # the demo's generated year (the last full year before 30/09/2022)
    now = today()
    return now.year if now.month == 12 else now.year - 1


def show_error(request: HttpRequest, exc: Exception) -> None:
    if isinstance(exc, ConcurrentEditError):
        messages.error(
            request,
            _(
                "Someone else changed this record after you opened it. Nothing was saved; check "
                "the current values and save again."
            ),
        )
    else:
        messages.error(request, str(exc))


def day_or_today(value: dt.date | None) -> dt.date:
    return value or today()
