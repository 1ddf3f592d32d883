"""Discipline pages: the list, a case with every step (violations, deferral, ballot, decision,
complaints, rehabilitation), the authority matrix and a person's disciplinary history.

Discipline records are sensitive: every page that shows one records the read
(``audit.services.record_access``). Out of scope answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import get_in_scope_or_404, has_capability, scope
from giamsat.audit.models import AccessKind
from giamsat.audit.services import record_access
from giamsat.core.dates import today
from giamsat.core.models import ConcurrentEditError
from giamsat.discipline import forms as df
from giamsat.discipline import services
from giamsat.discipline.models import (
    AppealOutcome,
    AuthorityRule,
    CaseStatus,
    DecisionStatus,
    DisciplineAppeal,
    DisciplineCase,
    FormChoice,
)
from giamsat.discipline.rules import (
    DeferralReason,
    Form,
    SubjectKind,
    allowed_forms,
    child_deferral_end,
    final_complaint_level,
)
from giamsat.oversight.access import cases_for
from giamsat.oversight.models import CatalogueItem, CatalogueKind
from giamsat.oversight.views import people_for, units_for
from giamsat.people.models import Membership, MemberStatus, Person, Post

FINAL_LEVEL_LABELS = {
    "central_inspection": gettext_lazy("Central Inspection Commission"),
    "secretariat": gettext_lazy("Secretariat"),
    "central_committee": gettext_lazy("Central Committee"),
}

# --- access ----------------------------------------------------------------------------------


def cases_visible(user, capability: Cap = Cap.VIEW_DISCIPLINE):
    return scope(DisciplineCase.objects.all(), user, capability, "unit")


def _case_for(request: HttpRequest, pk: int) -> DisciplineCase:
    case = get_in_scope_or_404(
        DisciplineCase.objects.select_related(
            "person",
            "organisation",
            "unit",
            "post",
            "deciding_unit",
            "proposing_unit",
            "origin_case",
        ),
        request.user,
        Cap.VIEW_DISCIPLINE,
        "unit",
        pk=pk,
    )
    return case


def _require_manage(request: HttpRequest, case: DisciplineCase) -> None:
    if not services.can_manage(request.user, case.unit):
        raise PermissionDenied


def _error(request: HttpRequest, exc: Exception) -> None:
    if isinstance(exc, ConcurrentEditError):
        messages.error(
            request,
            _(
                "Someone else changed this case after you opened it. Nothing was saved; your "
                "input is kept below — check the case and save again."
            ),
        )
    else:
        messages.error(request, str(exc))


# --- list and creation -------------------------------------------------------------------------


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, Cap.VIEW_DISCIPLINE):
        raise Http404
    cases = cases_visible(request.user).select_related("person", "organisation", "unit")
    status = request.GET.get("status", "")
    form = request.GET.get("form", "")
    text = request.GET.get("q", "").strip()[:100]
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    if form in FormChoice.values:
        cases = cases.filter(current_form=form)
    if text:
        from giamsat.core.text import search_key

        key = search_key(text)
        cases = cases.filter(
            Q(person__name_search__contains=key)
            | Q(organisation__name_search__contains=key)
            | Q(person__party_card_number=text)
        )
    page = Paginator(cases.order_by("-opened_on", "-pk"), 50).get_page(request.GET.get("page"))
    record_access(
        actor=request.user,
        kind=AccessKind.READ,
        request=request,
        reason="discipline list",
        label=f"discipline cases page {page.number}",
    )
    return render(
        request,
        "discipline/case_list.html",
        {
            "page": page,
            "statuses": CaseStatus.choices,
            "forms": FormChoice.choices,
            "filters": {"status": status, "form": form, "q": text},
            "can_manage": has_capability(request.user, Cap.MANAGE_DISCIPLINE),
        },
    )


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, Cap.MANAGE_DISCIPLINE):
        raise Http404
    user = request.user
    people = people_for(user).members()
    origin_case = None
    if request.GET.get("case", "").isdigit():
        origin_case = cases_for(user).filter(pk=int(request.GET["case"])).first()
        if origin_case is None:
            raise Http404
    initial: dict = {"opened_on": today(), "summary": ""}
    person = None
    if request.GET.get("person", "").isdigit():
        person = people.filter(pk=int(request.GET["person"])).first()
        if person is None:
            raise Http404
        initial["person"] = person.party_card_number or person.pk
    if request.GET.get("organisation", "").isdigit():
        initial["organisation"] = int(request.GET["organisation"])
        initial["scope"] = "organisation"
    if origin_case is not None:
        initial["origin_note"] = str(origin_case)[:300]
        initial["summary"] = origin_case.violations or origin_case.shortcomings
    posts = Post.objects.none()
    if person is not None:
        posts = Post.objects.filter(person=person).select_related("unit")
    elif request.POST.get("person"):
        posts = Post.objects.filter(
            Q(person__party_card_number=request.POST["person"].strip())
        ).select_related("unit")
    form = df.CaseNewForm(
        request.POST or None,
        initial=initial,
        people=people,
        units=units_for(user, Cap.VIEW_UNITS),
        posts=posts,
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            case = services.open_discipline_case(
                person=cd["person"],
                organisation=cd["organisation"],
                scope=cd["scope"] if cd["person"] else None,
                post=cd["post"],
                opened_on=cd["opened_on"],
                summary=cd["summary"],
                origin_case=origin_case,
                origin_note=cd["origin_note"],
                exempt_from_limitation=cd["exempt_from_limitation"],
                exemption_reason=cd["exemption_reason"],
                acting_user=user,
            )
        except services.DisciplineError as exc:
            _error(request, exc)
        else:
            if not services.can_manage(user, case.unit):
                raise PermissionDenied
            messages.success(request, _("The discipline case is opened. Record the violations."))
            return redirect(case)
    return render(
        request,
        "discipline/case_form.html",
        {"form": form, "origin_case": origin_case, "person": person},
    )


# --- the case page ---------------------------------------------------------------------------


def _groups_for(case: DisciplineCase):
    kind = (
        CatalogueKind.VIOLATION_GROUP_ORGANISATION
        if case.subject_kind == SubjectKind.ORGANISATION
        else CatalogueKind.VIOLATION_GROUP_MEMBER
    )
    return (
        CatalogueItem.objects.filter(catalogue__kind=kind)
        .select_related("catalogue")
        .order_by("-catalogue__valid_from", "number")
    )


def _provisions():
    return (
        CatalogueItem.objects.filter(
            catalogue__kind__in=[CatalogueKind.MANIFESTATION, CatalogueKind.PROHIBITION]
        )
        .select_related("catalogue")
        .order_by("catalogue__valid_from", "group", "number")
    )


def _render_case(
    request: HttpRequest, case: DisciplineCase, status: int = 200, **bound
) -> HttpResponse:
    user = request.user
    day = today()
    forms_allowed = allowed_forms(case.subject_kind, case.has_post)
    violations = list(
        case.violations.select_related("group__catalogue").prefetch_related("provisions")
    )
    # Judge authority and limitation on the day of the latest ballot, or the day the case
    # was opened (not today: a case recorded after the facts keeps its own dates).
    reference_day = (
        case.ballots.order_by("-held_on").values_list("held_on", flat=True).first()
        or case.opened_on
    )
    authorities = []
    for form in forms_allowed:
        authority = services.authority_for(case, form, reference_day)
        check = services.check_limitation(case, form, reference_day) if violations else None
        authorities.append(
            {
                "form": FormChoice(form.value).label,
                "authority": authority,
                "check": check,
            }
        )
    latest_decide = case.ballots.filter(purpose="decide").order_by("-held_on", "-pk").first()
    authority_default = services.authority_for(
        case,
        Form(
            case.proposed_form or (latest_decide.result_form if latest_decide else forms_allowed[0])
        ),
        reference_day,
    )
    ballot_body = (
        authority_default.proposing_unit
        if authority_default.proposing_unit and case.status == CaseStatus.OPEN
        else authority_default.deciding_unit
    )
    members_of_body = (
        Membership.objects.valid_on(reference_day)
        .filter(unit=ballot_body, person__status=MemberStatus.FULL)
        .count()
        if ballot_body is not None and ballot_body.is_cell
        else None
    )
    units = units_for(user, Cap.VIEW_UNITS)
    decisions = list(case.decisions.select_related("deciding_unit").order_by("decided_on", "pk"))
    appeals = list(
        DisciplineAppeal.objects.filter(decision__case=case)
        .select_related("decision", "resolving_unit")
        .order_by("filed_on", "pk")
    )
    current = next((d for d in decisions if d.status == DecisionStatus.IN_FORCE), None)
    pending_appeal = next((a for a in appeals if a.outcome == AppealOutcome.PENDING), None)
    wrongful = next(
        (
            d
            for d in decisions
            if d.status != DecisionStatus.IN_FORCE and not hasattr(d, "rehabilitation")
        ),
        None,
    )
    defaults = {
        "violation_form": df.ViolationForm(groups=_groups_for(case), provisions=_provisions()),
        "deferral_form": df.DeferralForm(initial={"valid_from": day}),
        "ballot_form": df.BallotForm(
            initial={
                "version": case.version,
                "held_on": day,
                "purpose": "propose"
                if authority_default.proposing_unit and case.status == CaseStatus.OPEN
                else "decide",
                "body": ballot_body,
                "total_members": members_of_body,
                "present": members_of_body,
            },
            units=units,
            forms_allowed=forms_allowed,
        ),
        "decision_form": df.DecisionForm(
            initial={
                "version": case.version,
                "form": latest_decide.result_form if latest_decide else "",
                "deciding_unit": latest_decide.body_id if latest_decide else None,
                "decided_on": day,
            },
            units=units,
            forms_allowed=forms_allowed,
        ),
        "appeal_form": df.AppealForm(initial={"filed_on": day, "received_on": day}, units=units),
        "resolve_form": df.ResolveForm(initial={"resolved_on": day}),
        "rehabilitation_form": df.RehabilitationForm(initial={"decided_on": day}, units=units),
        "close_form": df.CloseForm(initial={"version": case.version}),
        "end_deferral_form": df.EndDeferralForm(initial={"on": day}),
    }
    defaults.update(bound)
    record_access(
        actor=user,
        kind=AccessKind.READ,
        obj=case,
        unit=case.unit,
        request=request,
        reason="discipline case page",
    )
    context = {
        "case": case,
        "can_manage": services.can_manage(user, case.unit),
        "forms_allowed": [FormChoice(f.value).label for f in forms_allowed],
        "authorities": authorities,
        "reference_day": reference_day,
        "violations": violations,
        "deferrals": case.deferrals.all(),
        "ballots": case.ballots.select_related("body"),
        "decisions": decisions,
        "current": current,
        "final_level": FINAL_LEVEL_LABELS[final_complaint_level(current.form)] if current else None,
        "appeals": appeals,
        "pending_appeal": pending_appeal,
        "wrongful": wrongful,
        "active": case.status in (CaseStatus.OPEN, CaseStatus.PROPOSED, CaseStatus.DEFERRED),
        **defaults,
    }
    return render(request, "discipline/case_detail.html", context, status=status)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_case(request, _case_for(request, pk))


def _action(request: HttpRequest, pk: int) -> DisciplineCase:
    case = _case_for(request, pk)
    _require_manage(request, case)
    return case


@login_required
@require_POST
def violation_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _action(request, pk)
    form = df.ViolationForm(request.POST, groups=_groups_for(case), provisions=_provisions())
    if form.is_valid():
        try:
            services.add_violation(case=case, acting_user=request.user, **form.cleaned_data)
        except services.DisciplineError as exc:
            _error(request, exc)
            return _render_case(request, case, 400, violation_form=form)
        messages.success(request, _("Violation recorded."))
        return redirect(case)
    return _render_case(request, case, 400, violation_form=form)


@login_required
@require_POST
def deferral_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _action(request, pk)
    form = df.DeferralForm(request.POST)
    if form.is_valid():
        cd = form.cleaned_data
        until = cd["valid_to"]
        if cd["reason"] == DeferralReason.CHILD_UNDER_12_MONTHS and cd["child_birth"]:
            until = child_deferral_end(cd["child_birth"])
        try:
            services.record_deferral(
                case=case,
                reason=cd["reason"],
                valid_from=cd["valid_from"],
                valid_to=until,
                note=cd["note"],
                acting_user=request.user,
            )
        except services.DisciplineError as exc:
            _error(request, exc)
            return _render_case(request, case, 400, deferral_form=form)
        messages.success(request, _("Deferral recorded: the case cannot be voted meanwhile."))
        return redirect(case)
    return _render_case(request, case, 400, deferral_form=form)


@login_required
@require_POST
def deferral_end(request: HttpRequest, pk: int, deferral_pk: int) -> HttpResponse:
    case = _action(request, pk)
    deferral = case.deferrals.filter(pk=deferral_pk).first()
    if deferral is None:
        raise Http404
    form = df.EndDeferralForm(request.POST)
    if form.is_valid():
        try:
            services.end_deferral(
                deferral=deferral, on=form.cleaned_data["on"], acting_user=request.user
            )
        except services.DisciplineError as exc:
            _error(request, exc)
            return _render_case(request, case, 400, end_deferral_form=form)
        messages.success(request, _("The deferral has ended."))
        return redirect(case)
    return _render_case(request, case, 400, end_deferral_form=form)


@login_required
@require_POST
def ballot_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _action(request, pk)
    form = df.BallotForm(
        request.POST,
        units=units_for(request.user, Cap.VIEW_UNITS),
        forms_allowed=allowed_forms(case.subject_kind, case.has_post),
    )
    if form.is_valid():
        cd = form.cleaned_data
        try:
            ballot = services.record_ballot(
                case=case,
                expected_version=cd["version"],
                body=cd["body"],
                held_on=cd["held_on"],
                purpose=cd["purpose"],
                total_members=cd["total_members"],
                present=cd["present"],
                votes=form.votes(),
                votes_none=cd["votes_none"],
                acting_user=request.user,
            )
        except (services.DisciplineError, ConcurrentEditError) as exc:
            _error(request, exc)
            case.refresh_from_db()
            return _render_case(request, case, 400, ballot_form=form)
        if ballot.time_barred:
            messages.warning(
                request,
                _("The form voted is time-barred (limitation expired on %(day)s): no discipline.")
                % {
                    "day": ballot.limitation_expiry.strftime("%d/%m/%Y")
                    if ballot.limitation_expiry
                    else ""
                },
            )
        elif ballot.result_form:
            messages.success(
                request,
                _("Ballot recorded: %(form)s reached its threshold.")
                % {"form": ballot.get_result_form_display()},
            )
        else:
            messages.warning(request, _("Ballot recorded: no form reached its threshold."))
        return redirect(case)
    return _render_case(request, case, 400, ballot_form=form)


@login_required
@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _action(request, pk)
    form = df.DecisionForm(
        request.POST,
        units=units_for(request.user, Cap.VIEW_UNITS),
        forms_allowed=allowed_forms(case.subject_kind, case.has_post),
    )
    if form.is_valid():
        cd = form.cleaned_data
        try:
            decision = services.record_decision(
                case=case,
                expected_version=cd["version"],
                form=cd["form"],
                deciding_unit=cd["deciding_unit"],
                decided_on=cd["decided_on"],
                symbol=cd["symbol"],
                announced_on=cd["announced_on"],
                received_on=cd["received_on"],
                acting_user=request.user,
            )
        except (services.DisciplineError, ConcurrentEditError) as exc:
            _error(request, exc)
            case.refresh_from_db()
            return _render_case(request, case, 400, decision_form=form)
        messages.success(request, _("Decision %(d)s recorded.") % {"d": decision})
        if decision.effect_note:
            messages.info(request, decision.effect_note)
        return redirect(case)
    return _render_case(request, case, 400, decision_form=form)


@login_required
@require_POST
def appeal_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _action(request, pk)
    decision = case.decisions.filter(status=DecisionStatus.IN_FORCE).first()
    if decision is None:
        raise Http404
    form = df.AppealForm(request.POST, units=units_for(request.user, Cap.VIEW_UNITS))
    if form.is_valid():
        try:
            appeal = services.file_appeal(
                decision=decision, acting_user=request.user, **form.cleaned_data
            )
        except services.DisciplineError as exc:
            _error(request, exc)
            return _render_case(request, case, 400, appeal_form=form)
        if appeal.filed_in_time:
            messages.success(
                request,
                _("Complaint registered; to be answered by %(day)s.")
                % {"day": appeal.resolution_due.strftime("%d/%m/%Y")},
            )
        else:
            messages.warning(
                request,
                _("Complaint registered as not accepted: the last day to file was %(day)s.")
                % {"day": appeal.filing_due.strftime("%d/%m/%Y")},
            )
        return redirect(case)
    return _render_case(request, case, 400, appeal_form=form)


@login_required
@require_POST
def appeal_resolve(request: HttpRequest, pk: int, appeal_pk: int) -> HttpResponse:
    case = _action(request, pk)
    appeal = DisciplineAppeal.objects.filter(pk=appeal_pk, decision__case=case).first()
    if appeal is None:
        raise Http404
    form = df.ResolveForm(request.POST)
    if form.is_valid():
        cd = form.cleaned_data
        try:
            services.resolve_appeal(
                appeal=appeal,
                outcome=cd["outcome"],
                resolved_on=cd["resolved_on"],
                note=cd["note"],
                new_form=cd["new_form"] or None,
                new_symbol=cd["new_symbol"],
                acting_user=request.user,
            )
        except services.DisciplineError as exc:
            _error(request, exc)
            return _render_case(request, case, 400, resolve_form=form)
        messages.success(request, _("The complaint is answered."))
        return redirect(case)
    return _render_case(request, case, 400, resolve_form=form)


@login_required
@require_POST
def rehabilitation_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _action(request, pk)
    decision = (
        case.decisions.exclude(status=DecisionStatus.IN_FORCE)
        .filter(rehabilitation__isnull=True)
        .first()
    )
    if decision is None:
        raise Http404
    form = df.RehabilitationForm(request.POST, units=units_for(request.user, Cap.VIEW_UNITS))
    if form.is_valid():
        try:
            services.record_rehabilitation(
                decision=decision, acting_user=request.user, **form.cleaned_data
            )
        except services.DisciplineError as exc:
            _error(request, exc)
            return _render_case(request, case, 400, rehabilitation_form=form)
        messages.success(request, _("Rehabilitation recorded."))
        return redirect(case)
    return _render_case(request, case, 400, rehabilitation_form=form)


@login_required
@require_POST
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _action(request, pk)
    form = df.CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_without_discipline(
                case=case,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except (services.DisciplineError, ConcurrentEditError) as exc:
            _error(request, exc)
            case.refresh_from_db()
            return _render_case(request, case, 400, close_form=form)
        messages.success(request, _("The case is closed without discipline."))
        return redirect(case)
    return _render_case(request, case, 400, close_form=form)


# --- authority matrix, person history --------------------------------------------------------


@login_required
def authority_matrix(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, Cap.VIEW_DISCIPLINE):
        raise Http404
    rules = AuthorityRule.objects.order_by("-valid_from", "subject_kind", "scope", "form")
    return render(
        request,
        "discipline/authority.html",
        {"rules": rules, "can_edit": has_capability(request.user, Cap.ADMIN)},
    )


def history_for(user, person: Person):
    """The person's discipline cases that ``user`` may see (None without the capability)."""
    if not has_capability(user, Cap.VIEW_DISCIPLINE):
        return None
    return (
        cases_visible(user)
        .filter(person=person)
        .select_related("unit", "deciding_unit")
        .prefetch_related("decisions", "violations__group")
        .order_by("-opened_on")
    )


@login_required
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = Person.objects.visible_to(request.user).filter(pk=pk).first()
    cases = history_for(request.user, person) if person else None
    if person is None or cases is None:
        raise Http404
    record_access(
        actor=request.user,
        kind=AccessKind.READ,
        obj=person,
        request=request,
        reason="disciplinary history",
    )
    return render(
        request,
        "discipline/person_history.html",
        {"person": person, "section": {"cases": list(cases), "person": person}},
    )


def person_section(request: HttpRequest, person: Person) -> dict | None:
    """The disciplinary history on the person page (people.sections), read-logged."""
    cases = history_for(request.user, person)
    if cases is None:
        return None
    cases = list(cases)
    record_access(
        actor=request.user,
        kind=AccessKind.READ,
        obj=person,
        request=request,
        reason="disciplinary history on the person page",
    )
    return {"cases": cases, "person": person}
