"""Pages of review campaigns: the list, a new campaign, a campaign (timeline, progress,
collectives, quota, contradictions), one unit of a campaign with its batch steps."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import has_capability, is_unrestricted, unit_in_scope
from giamsat.core.dates import today
from giamsat.core.text import search_key
from giamsat.evaluation import facts, rules, services
from giamsat.evaluation import forms as f
from giamsat.evaluation.models import (
    Campaign,
    Evaluation,
    EvaluationStatus,
)
from giamsat.evaluation.rules import SubjectKind
from giamsat.evaluation.views.common import (
    campaigns_for,
    evaluation_q,
    evaluations_for,
    require_view,
    sessions_for,
    show_error,
    units_for,
)
from giamsat.units.models import Unit, UnitLink

PAGE = 100


def _campaign_for(request: HttpRequest, pk: int) -> Campaign:
    require_view(request.user)
    campaign = (
        campaigns_for(request.user).select_related("organiser", "created_by").filter(pk=pk).first()
    )
    if campaign is None:
        raise Http404
    return campaign


@login_required
def home(request: HttpRequest) -> HttpResponse:
    require_view(request.user)
    campaigns = (
        campaigns_for(request.user)
        .select_related("organiser")
        .annotate(subjects=Count("evaluations", distinct=True))
        .order_by("-period_end", "organiser__name_sort", "pk")
    )
    page = Paginator(campaigns, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/home.html",
        {
            "page": page,
            "can_organise": has_capability(request.user, Cap.MANAGE_EVALUATION),
        },
    )


@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    require_view(request.user)
    if not has_capability(request.user, Cap.MANAGE_EVALUATION):
        raise PermissionDenied
    units = units_for(request.user).organisations().filter(kind__in=services.REVIEWED_KINDS)
    form = f.CampaignForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            campaign = services.create_campaign(
                organiser=d["organiser"],
                year=d["year"],
                period_kind=d["period_kind"],
                quarter=d["quarter"],
                term_start=d["term_start"],
                term_end=d["term_end"],
                title=d["title"],
                plan_symbol=d["plan_symbol"],
                plan_issued_on=d["plan_issued_on"],
                special_units=d["special_units"],
                note=d["note"],
                acting_user=request.user,
            )
        except services.EvaluationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Campaign opened with %(n)s subjects.") % {"n": campaign.evaluations.count()},
            )
            return redirect(campaign)
    return render(request, "evaluation/campaign_form.html", {"form": form})


def deadline_rows(campaign: Campaign, undecided: int) -> list[dict]:
    """The timeline of a campaign with the state of each deadline on today's date."""
    d = campaign.deadlines()
    now = today()
    rows = [
        {
            "label": _("Plan (usually issued in November)"),
            "due": d.plan_by,
            "done": campaign.plan_issued_on is not None,
            "note": campaign.plan_symbol,
        },
        {
            "label": _("Review sessions and ratings finished before"),
            "due": campaign.sessions_due,
            "done": undecided == 0,
            "note": "",
        },
    ]
    if campaign.period_kind == rules.PeriodKind.ANNUAL:
        if d.special_by and not campaign.special_units:
            rows.append(
                {
                    "label": _("Units with a special calendar finish before"),
                    "due": d.special_by,
                    "done": undecided == 0,
                    "note": "",
                }
            )
        if d.files_by:
            rows.append(
                {
                    "label": _("Files sent to the Central Organisation Commission before (Mẫu 04)"),
                    "due": d.files_by,
                    "done": False,
                    "note": "",
                }
            )
        if d.report_by:
            rows.append(
                {
                    "label": _("Central Organisation Commission reports to the Politburo before"),
                    "due": d.report_by,
                    "done": False,
                    "note": "",
                }
            )
    for row in rows:
        row["overdue"] = not row["done"] and now > row["due"]
    return rows


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign_for(request, pk)
    subjects = evaluations_for(request.user).filter(campaign=campaign)
    progress = Counter()
    levels = Counter()
    for row in subjects.values("subject_kind", "status", "decided_level").annotate(n=Count("pk")):
        progress[(row["subject_kind"], row["status"])] += row["n"]
        if row["decided_level"]:
            levels[(row["subject_kind"], row["decided_level"])] += row["n"]
    undecided = sum(n for (k, s), n in progress.items() if s != EvaluationStatus.DECIDED)
    statuses = list(EvaluationStatus)
    progress_rows = [
        {
            "kind": label,
            "cells": [progress[(kind, s)] for s in statuses],
            "levels": [levels[(kind, level)] for level in rules.LEVELS_BEST_FIRST],
            "total": sum(progress[(kind, s)] for s in statuses),
        }
        for kind, label in (
            (SubjectKind.COLLECTIVE, _("Collectives")),
            (SubjectKind.INDIVIDUAL, _("Members")),
        )
    ]

    collectives = subjects.filter(subject_kind=SubjectKind.COLLECTIVE).select_related(
        "unit", "deciding_unit"
    )
    status = request.GET.get("status", "")
    if status in EvaluationStatus.values:
        collectives = collectives.filter(status=status)
    collectives = collectives.order_by("unit__name_sort", "pk")
    collective_page = Paginator(collectives, PAGE).get_page(request.GET.get("page"))

    query = request.GET.get("q", "").strip()
    found = []
    if query:
        found = list(
            subjects.filter(subject_kind=SubjectKind.INDIVIDUAL)
            .filter(person__name_search__contains=search_key(query))
            .select_related("person", "unit")
            .order_by("person__name_sort", "pk")[:50]
        )

    quota = _quota_table(request, campaign)
    contradictions = facts.contradiction_ids(subjects)
    contradicting = list(
        subjects.filter(pk__in=list(contradictions)).select_related("unit", "person")[:50]
    )
    for evaluation in contradicting:
        evaluation.cap_now = contradictions[evaluation.pk]
    sessions = sessions_for(request.user).filter(campaign=campaign).select_related("unit")[:50]
    can_manage = unit_in_scope(request.user, campaign.organiser, Cap.MANAGE_EVALUATION)
    return render(
        request,
        "evaluation/campaign_detail.html",
        {
            "campaign": campaign,
            "rule_set": campaign.rules,
            "deadlines": deadline_rows(campaign, undecided),
            "statuses": statuses,
            "progress_rows": progress_rows,
            "level_names": [rules.level_label(level) for level in rules.LEVELS_BEST_FIRST],
            "collective_page": collective_page,
            "status": status,
            "status_choices": EvaluationStatus.choices,
            "query": query,
            "found": found,
            "quota": quota,
            "contradicting": contradicting,
            "sessions": sessions,
            "can_manage": can_manage,
            "outstanding_form": _outstanding_form(request, campaign),
        },
    )


def _quota_table(request: HttpRequest, campaign: Campaign) -> list[dict]:
    """The quota rows of the groups the user may see (three queries + one for names)."""
    visible = (
        None
        if is_unrestricted(request.user)
        else set(Unit.objects.filter(evaluation_q(request.user, "pk")).values_list("pk", flat=True))
    )
    rows = []
    data = facts.quota_rows(campaign)
    names = Unit.objects.in_bulk([r.group_id for r in data])
    for row in data:
        if visible is not None and row.group_id not in visible:
            continue
        rows.append(
            {
                "group": names.get(row.group_id),
                "kind": row.subject_kind,
                "check": row.check,
                "outstanding": row.outstanding,
                "counts": [row.counts.get(level.value, 0) for level in rules.LEVELS_BEST_FIRST],
            }
        )
    rows.sort(key=lambda r: (r["check"].ok, r["kind"] != SubjectKind.INDIVIDUAL, str(r["group"])))
    return rows


def _outstanding_form(request: HttpRequest, campaign: Campaign) -> f.OutstandingForm | None:
    if campaign.rules.quota.outstanding_max_pct is None or not campaign.is_open:
        return None
    if not has_capability(request.user, Cap.DECIDE_EVALUATION):
        return None
    groups = campaign.evaluations.values("quota_group_id")
    units = units_for(request.user, Cap.DECIDE_EVALUATION).filter(pk__in=groups)
    return f.OutstandingForm(units=units, prefix="outstanding")


@login_required
@require_POST
def outstanding_add(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign_for(request, pk)
    form = _outstanding_form(request, campaign)
    if form is None:
        raise PermissionDenied
    form = f.OutstandingForm(request.POST, units=form.fields["unit"].queryset, prefix="outstanding")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.record_outstanding_decision(
                campaign=campaign,
                unit=d["unit"],
                share_pct=d["share_pct"],
                decision_symbol=d["decision_symbol"],
                decided_on=d["decided_on"],
                reason=d["reason"],
                acting_user=request.user,
            )
            messages.success(
                request,
                _("Decision recorded; the quota of %(unit)s is now %(share)s %%.")
                % {"unit": d["unit"], "share": services.pct_text(d["share_pct"])},
            )
        except services.EvaluationError as exc:
            show_error(request, exc)
    else:
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(
                    request,
                    f"{form.fields[field].label if field in form.fields else ''}: {error}".lstrip(
                        ": "
                    ),
                )
    return redirect(reverse("evaluation:campaign", args=[campaign.pk]) + "#quota")


@login_required
@require_POST
def campaign_status(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign_for(request, pk)
    if not unit_in_scope(request.user, campaign.organiser, Cap.MANAGE_EVALUATION):
        raise PermissionDenied
    try:
        version = int(request.POST.get("version", "0"))
        if request.POST.get("action") == "close":
            services.close_campaign(
                campaign=campaign, expected_version=version, acting_user=request.user
            )
            messages.success(request, _("The campaign is closed."))
        else:
            services.reopen_campaign(
                campaign=campaign, expected_version=version, acting_user=request.user
            )
            messages.success(request, _("The campaign is open again."))
    except (services.EvaluationError, services.ConcurrentEditError, ValueError) as exc:
        show_error(request, exc)
    return redirect(campaign)


# --- one unit of a campaign ---------------------------------------------------------------------


def _unit_subjects(request: HttpRequest, campaign: Campaign, unit: Unit):
    subjects = evaluations_for(request.user).filter(campaign=campaign)
    day = facts.reference_day(campaign)
    children = UnitLink.objects.valid_on(day).filter(parent=unit).values("unit_id")
    own = (
        subjects.filter(subject_kind=SubjectKind.COLLECTIVE, unit=unit)
        .select_related("unit", "deciding_unit")
        .first()
    )
    lower = (
        subjects.filter(subject_kind=SubjectKind.COLLECTIVE, unit_id__in=children)
        .select_related("unit", "deciding_unit")
        .order_by("unit__name_sort", "pk")
    )
    members = (
        subjects.filter(subject_kind=SubjectKind.INDIVIDUAL, unit=unit)
        .select_related("person", "unit", "deciding_unit")
        .order_by("person__name_sort", "pk")
    )
    return own, lower, members


@login_required
def campaign_unit(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    campaign = _campaign_for(request, pk)
    unit = Unit.objects.filter(evaluation_q(request.user, "pk"), pk=unit_pk).first()
    if unit is None:
        raise Http404
    own, lower, members = _unit_subjects(request, campaign, unit)
    members = list(members)
    lower = list(lower)
    can_self = campaign.is_open and unit_in_scope(request.user, unit, Cap.MANAGE_EVALUATION)
    everyone = [*([own] if own else []), *lower, *members]
    pending_self = [
        e for e in members if e.status in (EvaluationStatus.PENDING, EvaluationStatus.SELF_ASSESSED)
    ]
    if own is not None and own.status in (EvaluationStatus.PENDING, EvaluationStatus.SELF_ASSESSED):
        pending_self.insert(0, own)
    return render(
        request,
        "evaluation/campaign_unit.html",
        {
            "campaign": campaign,
            "unit": unit,
            "own": own,
            "lower": lower,
            "members": members,
            "can_self": can_self,
            "grid": pending_self if can_self else [],
            "to_propose": sum(1 for e in everyone if e.status == EvaluationStatus.SELF_ASSESSED),
            "to_decide": sum(1 for e in everyone if e.status == EvaluationStatus.PROPOSED),
            "propose_form": f.BatchProposeForm(prefix="propose", initial={"proposed_on": today()}),
            "decide_form": f.BatchDecideForm(prefix="decide", initial={"decided_on": today()}),
            "can_propose": campaign.is_open and has_capability(request.user, Cap.MANAGE_EVALUATION),
            "can_decide": campaign.is_open and has_capability(request.user, Cap.DECIDE_EVALUATION),
        },
    )


@login_required
@require_POST
def campaign_unit_batch(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """The batch steps of one unit: self-assessment grid, propose all, decide all."""
    campaign = _campaign_for(request, pk)
    unit = Unit.objects.filter(evaluation_q(request.user, "pk"), pk=unit_pk).first()
    if unit is None:
        raise Http404
    own, lower, members = _unit_subjects(request, campaign, unit)
    everyone = [*([own] if own else []), *lower, *members]
    action = request.POST.get("action")
    back = redirect(reverse("evaluation:campaign_unit", args=[campaign.pk, unit.pk]))
    try:
        if action == "self":
            done = _grid(request, everyone)
            messages.success(request, _("%(n)s self-assessments recorded.") % {"n": done})
        elif action == "propose":
            form = f.BatchProposeForm(request.POST, prefix="propose")
            if not form.is_valid():
                messages.error(
                    request, " ".join(str(e) for errors in form.errors.values() for e in errors)
                )
                return back
            d = form.cleaned_data
            opinions = (
                [services.OpinionSpec(d["source"], d["opinion"], d["proposed_on"])]
                if d["source"].strip()
                else []
            )
            result = services.propose_batch(
                evaluations=[e for e in everyone if e.status == EvaluationStatus.SELF_ASSESSED],
                proposed_on=d["proposed_on"],
                opinions=opinions,
                acting_user=request.user,
            )
            _report(request, result, _("%(n)s levels proposed."))
        elif action == "decide":
            form = f.BatchDecideForm(request.POST, prefix="decide")
            if not form.is_valid():
                messages.error(
                    request, " ".join(str(e) for errors in form.errors.values() for e in errors)
                )
                return back
            d = form.cleaned_data
            result = services.decide_batch(
                evaluations=[e for e in everyone if e.status == EvaluationStatus.PROPOSED],
                decided_on=d["decided_on"],
                decision_symbol=d["decision_symbol"],
                acting_user=request.user,
            )
            _report(request, result, _("%(n)s levels decided."))
        else:
            raise Http404
    except services.EvaluationError as exc:
        show_error(request, exc)
    return back


def _report(request: HttpRequest, result: services.BatchResult, done_message: str) -> None:
    messages.success(request, done_message % {"n": result.done})
    for evaluation, reason in result.skipped[:10]:
        messages.warning(
            request,
            _("Skipped %(subject)s: %(reason)s")
            % {"subject": evaluation.subject, "reason": reason},
        )
    if len(result.skipped) > 10:
        messages.warning(request, _("%(n)s more skipped.") % {"n": len(result.skipped) - 10})


def _grid(request: HttpRequest, everyone: list[Evaluation]) -> int:
    """The self-assessment grid: two scores per row; empty rows are left as they are."""
    on = request.POST.get("assessed_on") or today().isoformat()
    try:
        assessed_on = dt.date.fromisoformat(on)
    except ValueError:
        raise services.EvaluationError(_("The self-assessment date is not a date.")) from None
    specs = []
    by_pk = {e.pk: e for e in everyone}
    for pk, evaluation in by_pk.items():
        general = request.POST.get(f"g_{pk}", "").strip().replace(",", ".")
        tasks = request.POST.get(f"t_{pk}", "").strip().replace(",", ".")
        if not general and not tasks:
            continue
        if not general or not tasks:
            raise services.EvaluationError(
                _("%(subject)s: enter both scores (general criteria and task results).")
                % {"subject": evaluation.subject}
            )
        try:
            specs.append(services.SelfAssessmentSpec(evaluation, Decimal(general), Decimal(tasks)))
        except ArithmeticError:
            raise services.EvaluationError(
                _("%(subject)s: the scores must be numbers.") % {"subject": evaluation.subject}
            ) from None
    if not specs:
        raise services.EvaluationError(_("Enter at least one pair of scores."))
    return services.record_self_assessments(
        specs=specs, assessed_on=assessed_on, acting_user=request.user
    )
