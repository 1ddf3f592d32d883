"""Tree browser (as of any date) and unit pages."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import get_in_scope_or_404, role_units, scope_q, unit_in_scope
from giamsat.core.dates import parse_date, today
from giamsat.units.models import Unit


def _as_of(request: HttpRequest) -> dt.date:
    raw = request.GET.get("as_of", "")
    if raw:
        try:
            return parse_date(raw)
        except ValueError:
            pass
    return today()


def _get_unit_for_user(request: HttpRequest, pk: int) -> Unit:
    return get_in_scope_or_404(Unit.objects.all(), request.user, Cap.VIEW_UNITS, "pk", pk=pk)


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    """The tree as of a date, starting at the top-most units the user may see."""
    as_of = _as_of(request)
    visible = Unit.objects.filter(scope_q(request.user, Cap.VIEW_UNITS))
    if request.user.is_superuser:
        tops = list(Unit.objects.roots(as_of).order_vi())
    else:
        tops = [u for u in role_units(request.user, Cap.VIEW_UNITS) if u.is_valid_on(as_of)]
    tops = [u for u in tops if visible.filter(pk=u.pk).exists()]
    return render(request, "units/tree.html", {"as_of": as_of, "tops": tops})


@login_required
def children(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx partial: the children of a unit as of a date."""
    unit = _get_unit_for_user(request, pk)
    as_of = _as_of(request)
    kids = (
        Unit.objects.children_of(unit, as_of)
        .filter(scope_q(request.user, Cap.VIEW_UNITS))
        .order_by("kind", "name_sort")
    )
    return render(request, "units/_children.html", {"unit": unit, "children": kids, "as_of": as_of})


# Members listed on a unit page (a cell rarely has more; the people list searches the rest).
MEMBERS_SHOWN = 300


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    from giamsat.people.models import Membership

    unit = _get_unit_for_user(request, pk)
    as_of = _as_of(request) if "as_of" in request.GET else unit.reference_date()
    members = Membership.objects.none()
    if unit_in_scope(request.user, unit, Cap.VIEW_PEOPLE):
        members = (
            Membership.objects.valid_on(as_of)
            .filter(unit=unit)
            .select_related("person")
            .order_by("person__name_sort", "person_id")
        )
    context = {
        "unit": unit,
        "as_of": as_of,
        "ancestors": unit.ancestors_on(as_of),
        "children": Unit.objects.children_of(unit, as_of)
        .filter(scope_q(request.user, Cap.VIEW_UNITS))
        .order_by("kind", "name_sort"),
        "members": members[:MEMBERS_SHOWN],
        "member_count": members.count(),
    }
    return render(request, "units/detail.html", context)
