"""Good practices and recommendations: lists, records, answers; the synthesis page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import get_in_scope_or_404, has_capability
from giamsat.core.dates import today
from giamsat.core.files import attachments_of, save_attachment
from giamsat.core.text import search_key
from giamsat.reports import permissions, services
from giamsat.reports.forms import AnswerForm, GoodPracticeForm, RecommendationForm
from giamsat.reports.models import (
    GoodPractice,
    Recommendation,
    RecommendationStatus,
    Report,
)
from giamsat.reports.views.common import PAGE_SIZE


@login_required
def practice_list(request: HttpRequest) -> HttpResponse:
    practices = GoodPractice.objects.visible_to(request.user).select_related("unit")
    text = request.GET.get("q", "").strip()[:100]
    if text:
        practices = practices.filter(
            Q(unit__name_search__contains=search_key(text)) | Q(title__icontains=text)
        )
    page = Paginator(practices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/practices.html",
        {"page": page, "q": text, "can_create": has_capability(request.user, Cap.MANAGE_REPORTS)},
    )


@login_required
def practice_create(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, Cap.MANAGE_REPORTS):
        raise Http404
    initial = {"period_start": today()}
    if request.GET.get("unit", "").isdigit():
        initial["unit"] = int(request.GET["unit"])
    form = GoodPracticeForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            practice = services.record_good_practice(acting_user=request.user, **data)
        except services.ReportError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The good practice was recorded."))
            return redirect(practice)
    return render(request, "reports/practice_form.html", {"form": form})


@login_required
def practice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    practice = get_in_scope_or_404(
        GoodPractice.objects.select_related("unit"), request.user, Cap.VIEW_REPORTS, pk=pk
    )
    can_attach = permissions.can_record_good_practice(request.user, practice.unit)
    if request.method == "POST":
        if not can_attach:
            raise PermissionDenied
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a file to attach."))
        else:
            from django.core.exceptions import ValidationError

            try:
                save_attachment(
                    owner=practice,
                    upload=upload,
                    acting_user=request.user,
                    description=request.POST.get("description", ""),
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The evidence file was attached."))
        return redirect(practice)
    context = {
        "practice": practice,
        "attachments": attachments_of(practice),
        "can_attach": can_attach,
    }
    return render(request, "reports/practice.html", context)


@login_required
def recommendation_list(request: HttpRequest) -> HttpResponse:
    items = Recommendation.objects.visible_to(request.user).select_related(
        "unit", "addressee_unit", "delegation"
    )
    status = request.GET.get("status", "")
    if status in RecommendationStatus.values:
        items = items.filter(status=status)
    if request.GET.get("delegation", "").isdigit():
        items = items.filter(delegation_id=int(request.GET["delegation"]))
    text = request.GET.get("q", "").strip()[:100]
    if text:
        items = items.filter(text_search__contains=search_key(text))
    page = Paginator(items.order_by("due_on", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    day = today()
    rows = [(r, r.deadline_state(day)) for r in page]
    context = {
        "page": page,
        "rows": rows,
        "q": text,
        "status": status,
        "statuses": RecommendationStatus.choices,
        "can_create": has_capability(request.user, Cap.MANAGE_REPORTS),
    }
    return render(request, "reports/recommendations.html", context)


@login_required
def recommendation_create(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, Cap.MANAGE_REPORTS):
        raise Http404
    report = None
    session = None
    initial = {"made_on": today()}
    if request.GET.get("report", "").isdigit():
        report = Report.objects.visible_to(request.user).filter(pk=request.GET["report"]).first()
        if report is None:
            raise Http404
        initial["unit"] = report.unit_id
    if request.GET.get("session", "").isdigit():
        from giamsat.delegations.models import Delegation, WorkingSession

        visible = Delegation.objects.visible_to(request.user)
        session = WorkingSession.objects.filter(
            pk=request.GET["session"], delegation__in=visible
        ).first()
        if session is None:
            raise Http404
        initial["unit"] = session.unit_id
        initial["made_on"] = session.date
    form = RecommendationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recommendation = services.record_recommendation(
                acting_user=request.user, report=report, session=session, **data
            )
        except services.ReportError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The recommendation was recorded."))
            if report is not None:
                return redirect(report)
            return redirect(recommendation)
    context = {"form": form, "report": report, "session": session}
    return render(request, "reports/recommendation_form.html", context)


@login_required
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = (
        Recommendation.objects.visible_to(request.user)
        .select_related("unit", "addressee_unit", "report", "session", "delegation")
        .filter(pk=pk)
        .first()
    )
    if recommendation is None:
        raise Http404
    can_answer = permissions.can_answer(request.user, recommendation)
    form = AnswerForm(
        request.POST or None,
        initial={
            "status": recommendation.status
            if recommendation.is_answered
            else RecommendationStatus.ACCEPTED,
            "response": recommendation.response,
            "responded_on": recommendation.responded_on or today(),
        },
    )
    if request.method == "POST":
        if not can_answer:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.answer_recommendation(
                    recommendation=recommendation,
                    status=form.cleaned_data["status"],
                    response=form.cleaned_data["response"],
                    responded_on=form.cleaned_data["responded_on"],
                    acting_user=request.user,
                )
            except services.ReportError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The answer was recorded."))
                return redirect(recommendation)
    context = {
        "recommendation": recommendation,
        "state": recommendation.deadline_state(),
        "form": form,
        "can_answer": can_answer,
    }
    return render(request, "reports/recommendation.html", context)
