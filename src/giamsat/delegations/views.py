"""Working delegation pages: list, establish, the delegation's page with its members, targets,
schedule, requests, conclusions and summary; a session's page with its news brief."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import has_capability
from giamsat.core.dates import today
from giamsat.delegations import permissions, services
from giamsat.delegations.forms import (
    AnswerForm,
    ConclusionForm,
    DelegationForm,
    MemberForm,
    NewsForm,
    RequestForm,
    SessionForm,
    SummaryForm,
    TargetForm,
)
from giamsat.delegations.models import (
    Delegation,
    DelegationMember,
    DelegationTarget,
    NewsItem,
    RequestStatus,
    UnitRequest,
    WorkingSession,
)
from giamsat.reports.models import Report

PAGE_SIZE = 50


def _get_delegation(request: HttpRequest, pk: int) -> Delegation:
    delegation = (
        Delegation.objects.visible_to(request.user)
        .select_related("deciding_body", "decision")
        .filter(pk=pk)
        .first()
    )
    if delegation is None:
        raise Http404
    return delegation


def _get_session(request: HttpRequest, delegation: Delegation, pk: int) -> WorkingSession:
    session = delegation.sessions.select_related("unit").filter(pk=pk).first()
    if session is None or session.unit_id not in permissions.visible_target_unit_ids(
        request.user, delegation
    ):
        raise Http404
    return session


def _errors(form) -> str:
    return "; ".join(
        f"{form.fields[f].label}: {' '.join(e)}" if f in form.fields else " ".join(e)
        for f, e in form.errors.items()
    )


@login_required
def delegation_list(request: HttpRequest) -> HttpResponse:
    delegations = Delegation.objects.visible_to(request.user).select_related("deciding_body")
    page = Paginator(delegations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "delegations/list.html",
        {"page": page, "can_create": has_capability(request.user, Cap.MANAGE_DELEGATIONS)},
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, Cap.MANAGE_DELEGATIONS):
        raise Http404
    form = DelegationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            delegation = services.create_delegation(acting_user=request.user, **form.cleaned_data)
        except services.DelegationError as exc:
            form.add_error(None, str(exc))
        except PermissionDenied:
            form.add_error("deciding_body", _("You do not manage delegations of this body."))
        else:
            messages.success(request, _("The working delegation was established."))
            return redirect(delegation)
    return render(request, "delegations/form.html", {"form": form, "delegation": None})


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = _get_delegation(request, pk)
    if not permissions.can_manage(request.user, delegation):
        raise PermissionDenied
    initial = {
        f: getattr(delegation, f)
        for f in (
            "name",
            "number",
            "deciding_body",
            "decision_symbol",
            "decision_date",
            "purpose",
            "review_start",
            "review_end",
            "work_start",
            "work_end",
        )
    }
    initial["directives"] = list(delegation.directives.all())
    form = DelegationForm(
        request.POST or None, user=request.user, with_targets=False, initial=initial
    )
    form.fields["deciding_body"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("deciding_body", None)
        try:
            services.update_delegation(delegation=delegation, acting_user=request.user, **data)
        except services.DelegationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The delegation was saved."))
            return redirect(delegation)
    return render(request, "delegations/form.html", {"form": form, "delegation": delegation})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = _get_delegation(request, pk)
    user = request.user
    unit_ids = permissions.visible_target_unit_ids(user, delegation)
    can_manage = permissions.can_manage(user, delegation)
    can_work = permissions.can_work(user, delegation)
    targets = [t for t in delegation.targets.select_related("unit") if t.unit_id in unit_ids]
    reports = {
        r.unit_id: r
        for r in Report.objects.visible_to(user)
        .filter(delegation=delegation, unit_id__in=unit_ids)
        .order_by("pk")
    }
    requests = (
        delegation.requests.filter(unit_id__in=unit_ids)
        .select_related("unit", "session")
        .order_by("deadline", "pk")
    )
    day = today()
    context = {
        "delegation": delegation,
        "members": delegation.members.select_related("person", "user"),
        "targets": [(t, reports.get(t.unit_id)) for t in targets],
        "directives": delegation.directives.order_by("issued_on"),
        "sessions": delegation.sessions.filter(unit_id__in=unit_ids).select_related("unit"),
        "requests": [
            (r, r.status == RequestStatus.OPEN and r.deadline < day, _can_answer(user, r))
            for r in requests
        ],
        "conclusions": delegation.conclusions.filter(unit_id__in=unit_ids).select_related("unit"),
        "recommendation_count": delegation.recommendations.count(),
        "can_manage": can_manage,
        "can_work": can_work,
        "sees_all": permissions.sees_all_targets(user, delegation),
        "member_form": MemberForm(prefix="m"),
        "target_form": TargetForm(prefix="t", user=user),
        "summary_form": SummaryForm(
            initial={
                "summary": delegation.summary,
                "submitted_on": delegation.summary_submitted_on,
            }
        ),
        "answer_form": AnswerForm(initial={"answered_on": day}),
    }
    return render(request, "delegations/detail.html", context)


def _can_answer(user, request_obj: UnitRequest) -> bool:
    return request_obj.status == RequestStatus.OPEN and permissions.can_answer_request(
        user, request_obj
    )


@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = _get_delegation(request, pk)
    form = MemberForm(request.POST, prefix="m")
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(delegation)
    data = form.cleaned_data
    services.add_member(
        delegation=delegation,
        role=data["role"],
        full_name=data["full_name"],
        post_title=data["post_title"],
        agency=data["agency"],
        user=data["username"],
        acting_user=request.user,
    )
    messages.success(request, _("The member was added."))
    return redirect(delegation)


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    delegation = _get_delegation(request, pk)
    member = DelegationMember.objects.filter(delegation=delegation, pk=member_pk).first()
    if member is None:
        raise Http404
    services.remove_member(member=member, acting_user=request.user)
    messages.success(request, _("The member was removed and their access withdrawn."))
    return redirect(delegation)


@login_required
@require_POST
def target_add(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = _get_delegation(request, pk)
    form = TargetForm(request.POST, prefix="t", user=request.user)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(delegation)
    services.add_target(
        delegation=delegation, unit=form.cleaned_data["unit"], acting_user=request.user
    )
    messages.success(request, _("The unit was added to the targets."))
    return redirect(delegation)


@login_required
@require_POST
def target_remove(request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
    delegation = _get_delegation(request, pk)
    target = DelegationTarget.objects.filter(delegation=delegation, pk=target_pk).first()
    if target is None:
        raise Http404
    try:
        services.remove_target(target=target, acting_user=request.user)
    except services.DelegationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The unit was removed from the targets."))
    return redirect(delegation)


@login_required
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = _get_delegation(request, pk)
    if not permissions.can_work(request.user, delegation):
        raise PermissionDenied
    form = SessionForm(
        request.POST or None,
        delegation=delegation,
        initial={"date": min(max(today(), delegation.work_start), delegation.work_end)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.schedule_session(
                delegation=delegation,
                unit=data["unit"],
                date=data["date"],
                place=data["place"],
                content=data["content"],
                members=list(data["members"]),
                hosts=[services.HostParticipant(n, p) for n, p in data["hosts"]],
                acting_user=request.user,
            )
        except services.DelegationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The working session was scheduled."))
            return redirect(session)
    return render(
        request, "delegations/session_form.html", {"form": form, "delegation": delegation}
    )


@login_required
def session(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    delegation = _get_delegation(request, pk)
    item = _get_session(request, delegation, session_pk)
    can_work = permissions.can_work(request.user, delegation)
    if request.method == "POST":
        if not can_work:
            raise PermissionDenied
        services.record_minutes(
            session=item,
            minutes=request.POST.get("minutes", ""),
            content=request.POST.get("content"),
            acting_user=request.user,
        )
        messages.success(request, _("The notes of the session were saved."))
        return redirect(item)
    context = {
        "delegation": delegation,
        "session": item,
        "participants": item.participants.select_related("member"),
        "requests": item.requests.all(),
        "recommendations": item.recommendations.select_related("unit"),
        "news": item.news.all(),
        "conclusion": delegation.conclusions.filter(unit=item.unit).first(),
        "can_work": can_work,
    }
    return render(request, "delegations/session.html", context)


@login_required
def request_create(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = _get_delegation(request, pk)
    if not permissions.can_work(request.user, delegation):
        raise PermissionDenied
    initial = {}
    if request.GET.get("session", "").isdigit():
        found = delegation.sessions.filter(pk=request.GET["session"]).first()
        if found:
            initial = {"session": found, "unit": found.unit_id}
    form = RequestForm(request.POST or None, delegation=delegation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.make_request(
                delegation=delegation, acting_user=request.user, **form.cleaned_data
            )
        except services.DelegationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The request was sent to the unit."))
            return redirect(delegation)
    return render(
        request,
        "delegations/simple_form.html",
        {"form": form, "delegation": delegation, "title": _("Request to a unit")},
    )


@login_required
@require_POST
def request_answer(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    delegation = _get_delegation(request, pk)
    item = delegation.requests.filter(pk=request_pk).select_related("unit").first()
    if item is None or item.unit_id not in permissions.visible_target_unit_ids(
        request.user, delegation
    ):
        raise Http404
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(delegation)
    try:
        services.answer_request(
            request=item,
            answer=form.cleaned_data["answer"],
            answered_on=form.cleaned_data["answered_on"],
            acting_user=request.user,
        )
    except services.DelegationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The answer was sent to the delegation."))
    return redirect(delegation)


@login_required
def conclusion(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = _get_delegation(request, pk)
    if not permissions.can_work(request.user, delegation):
        raise PermissionDenied
    initial = {"concluded_on": today()}
    if request.GET.get("unit", "").isdigit():
        existing = delegation.conclusions.filter(unit_id=request.GET["unit"]).first()
        initial["unit"] = int(request.GET["unit"])
        if existing:
            initial.update(
                strengths=existing.strengths,
                limitations=existing.limitations,
                requests=existing.requests,
                concluded_on=existing.concluded_on,
            )
    form = ConclusionForm(request.POST or None, delegation=delegation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_conclusion(
                delegation=delegation, acting_user=request.user, **form.cleaned_data
            )
        except services.DelegationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The conclusion was recorded."))
            return redirect(delegation)
    return render(
        request,
        "delegations/simple_form.html",
        {"form": form, "delegation": delegation, "title": _("Conclusion about a unit")},
    )


@login_required
@require_POST
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = _get_delegation(request, pk)
    form = SummaryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(delegation)
    try:
        services.write_summary(
            delegation=delegation,
            summary=form.cleaned_data["summary"],
            submitted_on=form.cleaned_data["submitted_on"],
            acting_user=request.user,
        )
    except services.DelegationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The summary was saved."))
    return redirect(delegation)


@login_required
@require_POST
def news_create(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    delegation = _get_delegation(request, pk)
    item = _get_session(request, delegation, session_pk)
    news = services.draft_news_item(session=item, acting_user=request.user)
    messages.success(request, _("A draft news item was written from the session's records."))
    return redirect("delegations:news", pk=delegation.pk, news_pk=news.pk)


@login_required
def news(request: HttpRequest, pk: int, news_pk: int) -> HttpResponse:
    delegation = _get_delegation(request, pk)
    item = (
        NewsItem.objects.filter(pk=news_pk, session__delegation=delegation)
        .select_related("session__unit")
        .first()
    )
    if item is None:
        raise Http404
    _get_session(request, delegation, item.session_id)
    can_work = permissions.can_work(request.user, delegation)
    form = NewsForm(
        request.POST or None, initial={"title": item.title, "lead": item.lead, "body": item.body}
    )
    if request.method == "POST":
        if not can_work:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.update_news_item(item=item, acting_user=request.user, **form.cleaned_data)
            except services.DelegationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The news item was saved."))
                return redirect("delegations:news", pk=delegation.pk, news_pk=item.pk)
    context = {"delegation": delegation, "item": item, "form": form, "can_work": can_work}
    return render(request, "delegations/news.html", context)
