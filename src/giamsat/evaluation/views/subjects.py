"""The page of one subject (a collective or a member) and its three steps, its review points
and the commitments they led to; the evaluation section of the person page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import has_capability, unit_in_scope
from giamsat.audit.models import AccessKind
from giamsat.audit.services import record_access
from giamsat.core.dates import today
from giamsat.evaluation import facts, rules, services
from giamsat.evaluation import forms as f
from giamsat.evaluation.models import Evaluation
from giamsat.evaluation.views.common import can_view, evaluations_for, require_view, show_error
from giamsat.oversight.models import Commitment, Finding


def _evaluation_for(request: HttpRequest, pk: int) -> Evaluation:
    require_view(request.user)
    evaluation = (
        evaluations_for(request.user)
        .select_related(
            "campaign",
            "campaign__organiser",
            "unit",
            "person",
            "deciding_unit",
            "advisory_unit",
            "quota_group",
            "self_assessed_by",
            "proposed_by",
            "decided_by",
        )
        .filter(pk=pk)
        .first()
    )
    if evaluation is None:
        raise Http404
    return evaluation


def _may(request: HttpRequest, evaluation: Evaluation) -> dict[str, bool]:
    user = request.user
    open_ = evaluation.campaign.is_open
    status = evaluation.status
    manage_unit = unit_in_scope(user, evaluation.unit, Cap.MANAGE_EVALUATION)
    advisory = unit_in_scope(
        user, evaluation.deciding_unit or evaluation.unit, Cap.MANAGE_EVALUATION
    )
    decide = evaluation.deciding_unit is not None and unit_in_scope(
        user, evaluation.deciding_unit, Cap.DECIDE_EVALUATION
    )
    return {
        "self": open_ and manage_unit and status in ("pending", "self_assessed"),
        "propose": open_ and advisory and status in ("self_assessed", "proposed"),
        "decide": open_ and decide and status in ("proposed", "decided"),
        "points": open_ and manage_unit,
    }


def _record_links(request: HttpRequest, caps: list[rules.RatingCap]) -> dict[tuple[str, int], str]:
    """Links to the records behind the caps, for those who may open them."""
    links: dict[tuple[str, int], str] = {}
    case_ids = [r.id for c in caps for r in c.records if r.kind == "discipline"]
    finding_ids = [r.id for c in caps for r in c.records if r.kind == "finding"]
    if case_ids and has_capability(request.user, Cap.VIEW_DISCIPLINE):
        from giamsat.discipline.views import cases_visible

        for pk in cases_visible(request.user).filter(pk__in=case_ids).values_list("pk", flat=True):
            links[("discipline", pk)] = reverse("discipline:case", args=[pk])
    if finding_ids and has_capability(request.user, Cap.VIEW_OVERSIGHT):
        from giamsat.oversight.access import cases_for

        visible = set(cases_for(request.user).values_list("pk", flat=True))
        for pk, case_id in Finding.objects.filter(pk__in=finding_ids).values_list("pk", "case_id"):
            if case_id in visible:
                links[("finding", pk)] = reverse("oversight:case", args=[case_id])
    return links


def _commitments(evaluation: Evaluation):
    ct = ContentType.objects.get_for_model(Evaluation)
    return (
        Commitment.objects.filter(origin_type=ct, origin_id=evaluation.pk)
        .select_related("supervising_unit")
        .prefetch_related("items")
        .order_by("signed_on", "pk")
    )


@login_required
def evaluation_detail(request: HttpRequest, pk: int, forms: dict | None = None) -> HttpResponse:
    evaluation = _evaluation_for(request, pk)
    campaign = evaluation.campaign
    may = _may(request, evaluation)
    forms = forms or {}
    day = today()
    # The records as they stand today (live), and as stored at the last step.
    live_caps = facts.caps_by_evaluation(campaign, [evaluation]).get(evaluation.pk, ())
    stored_caps = evaluation.rating_caps()
    if any(r.kind == "discipline" for c in live_caps for r in c.records):
        record_access(
            actor=request.user,
            kind=AccessKind.READ,
            obj=evaluation,
            request=request,
            reason="discipline records shown as caps of an evaluation",
        )
    # What the system proposes: the self-assessed level lowered to the caps read today (the
    # same suggestion whether the page is shown fresh or again after a refused form).
    suggested = services.suggested_level(evaluation)
    limit = rules.cap_level(live_caps)
    if evaluation.self_level:
        suggested = rules.lower_of(evaluation.self_level, limit) if limit else evaluation.self_level
    if may["self"] and "self" not in forms:
        forms["self"] = f.SelfAssessmentForm(
            prefix="self",
            collective=evaluation.is_collective,
            initial={
                "score_general": evaluation.score_general,
                "score_tasks": evaluation.score_tasks,
                "tasks_total": evaluation.tasks_total,
                "tasks_completed": evaluation.tasks_completed,
                "tasks_on_time": evaluation.tasks_on_time,
                "tasks_exceeding": evaluation.tasks_exceeding,
                "shortcomings_before": evaluation.shortcomings_before,
                "shortcomings_remedied": evaluation.shortcomings_remedied,
                "category": evaluation.category,
                "assessed_on": evaluation.self_assessed_on or day,
                "note": evaluation.self_note,
            },
        )
    if may["propose"] and "proposal" not in forms:
        forms["proposal"] = f.ProposalForm(
            prefix="proposal",
            initial={
                "level": evaluation.proposed_level or suggested,
                "proposed_on": evaluation.proposed_on or day,
                "note": evaluation.proposal_note,
            },
        )
    order = facts.order_problems(campaign, [evaluation]).get(evaluation.pk, [])
    if may["decide"] and "decision" not in forms:
        forms["decision"] = f.DecisionForm(
            prefix="decision",
            initial={
                "level": evaluation.decided_level or evaluation.proposed_level,
                "decided_on": evaluation.decided_on or day,
                "decision_symbol": evaluation.decision_symbol,
            },
        )
    quota = None
    if evaluation.quota_group_id is not None:
        quota = next(
            (
                r
                for r in facts.quota_rows(campaign, group_ids=[evaluation.quota_group_id])
                if r.subject_kind == evaluation.subject_kind
            ),
            None,
        )
    points = list(
        evaluation.points.select_related("session", "catalogue_item", "commitment").order_by(
            "session__held_on", "pk"
        )
    )
    if may["points"] and points and "commitment" not in forms:
        forms["commitment"] = f.CommitmentForm(
            prefix="commitment",
            points=evaluation.points.filter(commitment__isnull=True),
            initial={"signed_on": day},
        )
    all_caps = [*live_caps, *stored_caps]
    return render(
        request,
        "evaluation/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "campaign": campaign,
            "rule_set": campaign.rules,
            "may": may,
            "forms": forms,
            "live_caps": live_caps,
            "stored_caps": stored_caps,
            # Caps are stored at the proposal and the decision; before that nothing "changed".
            "caps_changed": evaluation.caps_as_of is not None
            and [c.kind for c in live_caps] != [c.kind for c in stored_caps],
            "links": _record_links(request, all_caps),
            "suggested": suggested,
            "suggested_label": rules.level_label(suggested) if suggested else "",
            "order_problems": order,
            "quota": quota,
            "opinions": list(evaluation.opinions.all()),
            "points": points,
            "commitments": list(_commitments(evaluation)),
            "can_view_oversight": has_capability(request.user, Cap.VIEW_OVERSIGHT),
        },
    )


def _redirect(evaluation: Evaluation, anchor: str) -> HttpResponse:
    return redirect(reverse("evaluation:evaluation", args=[evaluation.pk]) + f"#{anchor}")


@login_required
@require_POST
def self_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation_for(request, pk)
    if not _may(request, evaluation)["self"]:
        raise PermissionDenied
    form = f.SelfAssessmentForm(request.POST, prefix="self", collective=evaluation.is_collective)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.record_self_assessment(
                evaluation=evaluation,
                expected_version=int(request.POST.get("version", "0")),
                score_general=d["score_general"],
                score_tasks=d["score_tasks"],
                tasks=form.tasks(),
                assessed_on=d["assessed_on"],
                note=d["note"],
                category=d.get("category"),
                acting_user=request.user,
            )
        except (services.EvaluationError, services.ConcurrentEditError) as exc:
            show_error(request, exc)
            return evaluation_detail(request, pk, forms={"self": form})
        messages.success(
            request,
            _("Self-assessment recorded: %(score)s points, %(level)s.")
            % {"score": evaluation.score, "level": evaluation.get_self_level_display()},
        )
        return _redirect(evaluation, "step-self")
    return evaluation_detail(request, pk, forms={"self": form})


@login_required
@require_POST
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation_for(request, pk)
    if not _may(request, evaluation)["propose"]:
        raise PermissionDenied
    form = f.ProposalForm(request.POST, prefix="proposal")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.propose(
                evaluation=evaluation,
                expected_version=int(request.POST.get("version", "0")),
                level=d["level"],
                proposed_on=d["proposed_on"],
                note=d["note"],
                reason=d["reason"],
                opinions=[
                    services.OpinionSpec(source, text, d["proposed_on"])
                    for source, text in form.opinions()
                ],
                acting_user=request.user,
            )
        except (services.EvaluationError, services.ConcurrentEditError) as exc:
            show_error(request, exc)
            return evaluation_detail(request, pk, forms={"proposal": form})
        messages.success(
            request,
            _("Proposal recorded: %(level)s.") % {"level": evaluation.get_proposed_level_display()},
        )
        return _redirect(evaluation, "step-proposal")
    return evaluation_detail(request, pk, forms={"proposal": form})


@login_required
@require_POST
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation_for(request, pk)
    if not _may(request, evaluation)["decide"]:
        raise PermissionDenied
    form = f.DecisionForm(request.POST, prefix="decision")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.decide(
                evaluation=evaluation,
                expected_version=int(request.POST.get("version", "0")),
                level=d["level"],
                decided_on=d["decided_on"],
                decision_symbol=d["decision_symbol"],
                reason=d["reason"],
                acting_user=request.user,
            )
        except (services.EvaluationError, services.ConcurrentEditError) as exc:
            show_error(request, exc)
            return evaluation_detail(request, pk, forms={"decision": form})
        messages.success(
            request,
            _("Decision recorded: %(level)s.") % {"level": evaluation.get_decided_level_display()},
        )
        return _redirect(evaluation, "step-decision")
    return evaluation_detail(request, pk, forms={"decision": form})


@login_required
@require_POST
def commitment(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation_for(request, pk)
    if not _may(request, evaluation)["points"]:
        raise PermissionDenied
    form = f.CommitmentForm(
        request.POST,
        prefix="commitment",
        points=evaluation.points.filter(commitment__isnull=True),
    )
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.commit_from_points(
                evaluation=evaluation,
                points=list(d["points"].select_related("session", "session__unit")),
                items=[services.ItemSpec(text, due) for text, due in form.items()],
                signed_on=d["signed_on"],
                summary=d["summary"],
                acting_user=request.user,
            )
        except services.EvaluationError as exc:
            show_error(request, exc)
            return evaluation_detail(request, pk, forms={"commitment": form})
        messages.success(request, _("Commitment recorded."))
        return _redirect(evaluation, "review")
    return evaluation_detail(request, pk, forms={"commitment": form})


def person_section(request: HttpRequest, person) -> dict | None:
    """The person's ratings on the person page (people.sections)."""
    if not can_view(request.user):
        return None
    rows = list(
        evaluations_for(request.user)
        .filter(person=person)
        .select_related("campaign", "unit")
        .order_by("-campaign__period_end", "pk")[:20]
    )
    if not rows:
        return None
    return {"person": person, "evaluations": rows}
