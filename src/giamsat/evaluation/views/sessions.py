"""Review sessions (kiểm điểm) and the self-criticism and criticism points raised in them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import unit_in_scope
from giamsat.core.dates import today
from giamsat.evaluation import facts, services
from giamsat.evaluation import forms as f
from giamsat.evaluation.models import ReviewSession
from giamsat.evaluation.views.campaigns import _campaign_for
from giamsat.evaluation.views.common import (
    evaluations_for,
    require_view,
    sessions_for,
    show_error,
    units_for,
)
from giamsat.oversight.models import CatalogueItem, CatalogueKind
from giamsat.people.models import Post
from giamsat.units.models import Unit


@login_required
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign_for(request, pk)
    day = facts.reference_day(campaign)
    units = (
        units_for(request.user)
        .filter(pk__in=Unit.objects.subtree_of(campaign.organiser, day).values("pk"))
        .organisations()
    )
    if not units.exists() or not campaign.is_open:
        raise PermissionDenied
    initial = {"held_on": today(), "unit": request.GET.get("unit")}
    form = f.SessionForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            session = services.record_review_session(
                campaign=campaign,
                unit=d["unit"],
                held_on=d["held_on"],
                chaired_by=d["chaired_by"],
                present=d["present"],
                expected=d["expected"],
                minutes=d["minutes"],
                acting_user=request.user,
            )
        except services.EvaluationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Session recorded: add the points raised."))
            return redirect(session)
    return render(request, "evaluation/session_form.html", {"form": form, "campaign": campaign})


def _session_for(request: HttpRequest, pk: int) -> ReviewSession:
    require_view(request.user)
    session = (
        sessions_for(request.user)
        .select_related("campaign", "campaign__organiser", "unit")
        .filter(pk=pk)
        .first()
    )
    if session is None:
        raise Http404
    return session


def _point_form(request: HttpRequest, session: ReviewSession, data=None) -> f.PointForm:
    day = facts.reference_day(session.campaign)
    in_unit = Unit.objects.subtree_of(session.unit, day).values("pk")
    holders = Post.objects.filter(unit=session.unit).values("person_id")
    subjects = (
        evaluations_for(request.user)
        .filter(campaign=session.campaign)
        .filter(unit_id__in=in_unit)
        .select_related("unit", "person")
        .order_by("subject_kind", "unit__name_sort", "person__name_sort")
    ) | evaluations_for(request.user).filter(
        campaign=session.campaign, person_id__in=holders
    ).select_related("unit", "person")
    items = (
        CatalogueItem.objects.filter(
            catalogue__kind__in=[CatalogueKind.MANIFESTATION, CatalogueKind.PROHIBITION]
        )
        .filter(catalogue__valid_from__lte=session.held_on)
        .select_related("catalogue")
        .order_by("catalogue__kind", "catalogue__code", "group", "number")
    )
    return f.PointForm(data, prefix="point", subjects=subjects.distinct(), items=items)


@login_required
def session_detail(request: HttpRequest, pk: int, form: f.PointForm | None = None) -> HttpResponse:
    session = _session_for(request, pk)
    can_add = session.campaign.is_open and unit_in_scope(
        request.user, session.unit, Cap.MANAGE_EVALUATION
    )
    points = (
        session.points.filter(evaluation__in=evaluations_for(request.user))
        .select_related("evaluation", "evaluation__person", "evaluation__unit", "catalogue_item")
        .order_by("evaluation__subject_kind", "evaluation__person__name_sort", "pk")
    )
    return render(
        request,
        "evaluation/session_detail.html",
        {
            "session": session,
            "points": points,
            "form": (form or _point_form(request, session)) if can_add else None,
        },
    )


@login_required
@require_POST
def point_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)
    if not unit_in_scope(request.user, session.unit, Cap.MANAGE_EVALUATION):
        raise PermissionDenied
    form = _point_form(request, session, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.record_review_point(
                session=session,
                evaluation=d["evaluation"],
                kind=d["kind"],
                text=d["text"],
                raised_by=d["raised_by"],
                catalogue_item=d["catalogue_item"],
                acting_user=request.user,
            )
        except services.EvaluationError as exc:
            show_error(request, exc)
            return session_detail(request, pk, form=form)
        messages.success(request, _("Point recorded."))
        return redirect(session)
    return session_detail(request, pk, form=form)
