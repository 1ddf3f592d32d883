"""Tree browser (as of any date), unit pages and the reorganisation forms."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import (
    get_in_scope_or_404,
    has_capability,
    is_unrestricted,
    role_units,
    scope_q,
    unit_in_scope,
)
from giamsat.core.dates import parse_date, today
from giamsat.units import services
from giamsat.units.forms import FORMS, SplitForm
from giamsat.units.models import (
    Lineage,
    ReorgEvent,
    ReorgEventUnit,
    Unit,
    UnitKind,
)
from giamsat.units.queries import member_counts, nodes, top_units, visible_children

MEMBERS_SHOWN = 300


def as_of_date(request: HttpRequest, default: dt.date | None = None) -> tuple[dt.date, str]:
    """The ``as_of`` date of the request (dd/mm/yyyy or yyyy-mm-dd) and an error, if any."""
    raw = request.GET.get("as_of", "").strip()
    if raw:
        try:
            return parse_date(raw), ""
        except ValueError:
            return default or today(), _(
                "'%(value)s' is not a date: write it as dd/mm/yyyy, e.g. 01/01/2024."
            ) % {"value": raw[:20]}
    return default or today(), ""


def _get_unit_for_user(request: HttpRequest, pk: int, capability=Cap.VIEW_UNITS) -> Unit:
    return get_in_scope_or_404(Unit.objects.all(), request.user, capability, "pk", pk=pk)


def _visible_ids(user, ids) -> set[int]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return set()
    return set(
        Unit.objects.filter(scope_q(user, Cap.VIEW_UNITS), pk__in=ids).values_list("pk", flat=True)
    )


def _default_day(user) -> tuple[dt.date | None, dt.date | None]:
    """When every organisation the user holds a role at has ended (the city committee after
    the 2025 reform), its tree is read on the last day of the latest one, not today."""
    if is_unrestricted(user):
        return None, None
    units = role_units(user, Cap.VIEW_UNITS)
    if units and all(u.valid_to is not None and u.valid_to < today() for u in units):
        last = max(u.valid_to for u in units if u.valid_to is not None)
        return last, last
    return None, None


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    """The tree as of a date, starting at the highest units the user may see."""
    default, ended_on = _default_day(request.user)
    if "as_of" in request.GET:
        ended_on = None
    as_of, error = as_of_date(request, default=default)
    tops = list(top_units(request.user, as_of))
    context = {
        "as_of": as_of,
        "as_of_error": error,
        "role_ended_on": ended_on,
        "today": today(),
        "nodes": nodes(request.user, tops, as_of),
        "show_members": has_capability(request.user, Cap.VIEW_PEOPLE),
    }
    return render(request, "units/tree.html", context)


@login_required
def children(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx partial: the sub-units of a unit as of a date, with their counts."""
    unit = _get_unit_for_user(request, pk)
    as_of, _error = as_of_date(request)
    kids = list(visible_children(request.user, unit, as_of))
    context = {
        "unit": unit,
        "nodes": nodes(request.user, kids, as_of),
        "as_of": as_of,
        "show_members": has_capability(request.user, Cap.VIEW_PEOPLE),
    }
    return render(request, "units/_children.html", context)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit on a date: where it sits, what is under it, its people, posts and history."""
    from giamsat.people.models import Membership, Post

    user = request.user
    unit = _get_unit_for_user(request, pk)
    as_of, error = as_of_date(request, default=unit.reference_date())
    kids = list(visible_children(user, unit, as_of))
    organisations = [k for k in kids if not k.is_organ]
    organs = [k for k in kids if k.is_organ]
    ancestors = unit.ancestors_on(as_of)

    events = list(
        ReorgEvent.objects.filter(event_units__unit=unit)
        .distinct()
        .select_related("decision")
        .prefetch_related(
            Prefetch("event_units", queryset=ReorgEventUnit.objects.select_related("unit"))
        )
        .order_by("-date", "-pk")
    )
    became = list(Lineage.objects.filter(predecessor=unit).select_related("successor"))
    came_from = list(Lineage.objects.filter(successor=unit).select_related("predecessor"))
    visible = _visible_ids(
        user,
        [a.pk for a in ancestors]
        + [eu.unit_id for e in events for eu in e.event_units.all()]
        + [edge.successor_id for edge in became]
        + [edge.predecessor_id for edge in came_from],
    )
    for event in events:
        event.others = [
            eu for eu in event.event_units.all() if eu.unit_id != unit.pk and eu.unit_id in visible
        ]
        event.own_role = next(
            (eu.get_role_display() for eu in event.event_units.all() if eu.unit_id == unit.pk), ""
        )

    people_visible = has_capability(user, Cap.VIEW_PEOPLE)
    members = None
    member_total = None
    posts_current: list = []
    posts_past: list = []
    if people_visible:
        counts = member_counts(user, [unit.pk], as_of) or {}
        member_total = counts.get(unit.pk, 0)
        if unit.kind in (UnitKind.CELL, UnitKind.GRASSROOTS_CELL):
            members = list(
                Membership.objects.valid_on(as_of)
                .filter(unit=unit)
                .filter(scope_q(user, Cap.VIEW_PEOPLE, "unit"))
                .select_related("person")
                .order_by("person__name_sort", "pk")[:MEMBERS_SHOWN]
            )
        organ_ids = [o.pk for o in organs]
        posts = (
            Post.objects.filter(Q(unit=unit) | Q(unit__in=organ_ids))
            .filter(scope_q(user, Cap.VIEW_PEOPLE, "unit"))
            .select_related("person", "unit")
            .order_by("-is_head", "-valid_from", "pk")
        )
        for post in posts:
            (posts_current if post.is_valid_on(as_of) else posts_past).append(post)

    context = {
        "unit": unit,
        "as_of": as_of,
        "as_of_error": error,
        "name_on": unit.name_on(as_of),
        "ancestors": [a for a in ancestors if a.pk in visible],
        "organisations": nodes(user, organisations, as_of),
        "organs": organs,
        "names": list(unit.names.all()),
        "events": events,
        "became": [e for e in became if e.successor_id in visible],
        "came_from": [e for e in came_from if e.predecessor_id in visible],
        "people_visible": people_visible,
        "members": members,
        "members_shown": MEMBERS_SHOWN,
        "member_total": member_total,
        "posts_current": posts_current,
        "posts_past": posts_past,
        "can_manage": unit_in_scope(user, unit, Cap.MANAGE_UNITS),
        "can_manage_people": people_visible and unit_in_scope(user, unit, Cap.MANAGE_PEOPLE),
    }
    return render(request, "units/detail.html", context)


REORG_TITLES = {
    "establish": gettext_lazy("Establish a sub-unit"),
    "rename": gettext_lazy("Rename"),
    "move": gettext_lazy("Move under another organisation"),
    "merge": gettext_lazy("Merge"),
    "split": gettext_lazy("Split"),
    "dissolve": gettext_lazy("Dissolve"),
}


def _apply(kind: str, form, unit: Unit, user) -> Unit:
    """Call the reorganisation service the form describes; return the unit to show next."""
    data = form.cleaned_data
    common = {"date": data["date"], "decision": form.decision(), "acting_user": user}
    if kind == "establish":
        return services.establish_unit(spec=form.spec(), parent=unit, **common)
    if kind == "rename":
        return services.rename_unit(unit=unit, name=data["name"], **common)
    if kind == "move":
        return services.move_unit(unit=unit, parent=data["parent"], **common)
    if kind == "merge":
        return services.merge_units(
            sources=list(data["sources"]),
            into=data["into"] if form.new_unit() is None else None,
            new_unit=form.new_unit(),
            parent=data.get("parent"),
            **common,
        )
    if kind == "split":
        parts = services.split_unit(
            source=unit,
            into=form.specs(),
            children_to=form.children_to(),
            members_to=data["members_to"] - 1,
            **common,
        )
        return parts[0]
    if kind == "dissolve":
        return services.dissolve_unit(unit=unit, **common)
    raise Http404


@login_required
def reorganise(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """One form per reorganisation kind, for users who may change this part of the tree."""
    if kind not in FORMS:
        raise Http404
    unit = _get_unit_for_user(request, pk, Cap.MANAGE_UNITS)
    form_class = FORMS[kind]
    kwargs: dict = {"user": request.user, "unit": unit}
    if form_class is SplitForm:
        kwargs["children"] = [
            c for c in Unit.objects.children_of(unit, unit.reference_date()) if not c.is_organ
        ]
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            result = _apply(kind, form, unit, request.user)
        except services.ReorgError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(change)s recorded from %(date)s.")
                % {"change": REORG_TITLES[kind], "date": f"{form.cleaned_data['date']:%d/%m/%Y}"},
            )
            day = form.cleaned_data["date"]
            if kind == "dissolve":
                day = day - dt.timedelta(days=1)
            return redirect(f"{reverse('units:detail', args=[result.pk])}?as_of={day:%d/%m/%Y}")
    context = {"unit": unit, "form": form, "kind": kind, "title": REORG_TITLES[kind]}
    return render(request, "units/reorganise.html", context)
