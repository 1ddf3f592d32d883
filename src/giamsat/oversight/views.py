"""Pages: figures and drill-downs, cases (with their steps, findings and conclusion),
programmes, regular supervision and catalogues. Criticism, commitments and the subject page
are in ``followup_views``.

Every view starts from an access helper: records outside the user's scope answer 404; a user
who may see a record but not change it gets 403 on a write.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import (
    get_in_scope_or_404,
    has_capability,
    is_unrestricted,
    role_units,
    scope_q,
    unit_in_scope,
)
from giamsat.audit.models import AccessKind
from giamsat.audit.services import record_access
from giamsat.core.dates import today
from giamsat.core.demo import REPORT_END, REPORT_START
from giamsat.core.models import Attachment, ConcurrentEditError
from giamsat.directives.scoping import directives_in_scope
from giamsat.indicators.reading import records_paginator
from giamsat.indicators.registry import IndicatorQuery, get_indicator, indicators
from giamsat.oversight import forms as f
from giamsat.oversight import services
from giamsat.oversight.access import activities_for, cases_for, programmes_for
from giamsat.oversight.models import (
    STEP_ORDER,
    STEP_PHASE,
    Case,
    CaseKind,
    CaseStatus,
    CaseSubject,
    Catalogue,
    CatalogueItem,
    CatalogueKind,
    Phase,
    Programme,
    ProgrammeItem,
)
from giamsat.people.models import Person
from giamsat.units.models import Unit

# --- shared helpers -------------------------------------------------------------------------


def units_for(user, capability: Cap) -> QuerySet[Unit]:
    """Units the user may choose for ``capability`` (ended ones included, for history)."""
    return Unit.objects.filter(scope_q(user, capability)).order_by("name_sort", "pk")


def people_for(user):
    return Person.objects.visible_to(user)


def require_manage(user, unit: Unit, capability: Cap = Cap.MANAGE_OVERSIGHT) -> None:
    if not unit_in_scope(user, unit, capability):
        raise PermissionDenied


def default_unit(user, capability: Cap) -> Unit | None:
    if is_unrestricted(user):
        return Unit.objects.roots().order_by("pk").first()
    units = role_units(user, capability)
    return units[0] if units else None


def default_period() -> tuple[dt.date, dt.date]:
    from django.conf import settings

    if settings.DEMO_MODE:
        return REPORT_START, REPORT_END
    now = today()
    return dt.date(now.year, 1, 1), now


def figure_query(
    request: HttpRequest, capability: Cap
) -> tuple[f.FigureQueryForm, IndicatorQuery | None]:
    """The unit and period of the figures, from GET (defaults: first role unit, report period)."""
    units = units_for(request.user, capability)
    start, end = default_period()
    unit = default_unit(request.user, capability)
    data = {
        "unit": request.GET.get("unit") or (unit.pk if unit else ""),
        "start": request.GET.get("start") or start.isoformat(),
        "end": request.GET.get("end") or end.isoformat(),
    }
    form = f.FigureQueryForm(data, units=units)
    if not form.is_valid():
        return form, None
    cd = form.cleaned_data
    return form, IndicatorQuery(cd["unit"], cd["start"], cd["end"])


def figure_cards(query: IndicatorQuery, domain: str, codes: list[str] | None = None) -> list[dict]:
    cards = []
    for indicator in indicators(domain):
        if codes is not None and indicator.code not in codes:
            continue
        cards.append({"indicator": indicator, "value": indicator.compute(query).value})
    return cards


HOME_CODES = [
    "oversight.thematic_supervision.collectives",
    "oversight.thematic_supervision.individuals",
    "oversight.inspections",
    "oversight.party_inspections",
    "oversight.state_inspections",
    "oversight.inspections.violation_signs",
    "oversight.inspections.task_performance",
    "oversight.inspections.finance",
    "oversight.inspections.compliance",
    "oversight.regular_supervision.activities",
    "oversight.criticism.collectives",
    "oversight.criticism.heads",
    "oversight.commitments",
    "oversight.commitment_items.open",
    "oversight.commitment_items.overdue",
    "oversight.commitment_items.closed",
]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, Cap.VIEW_OVERSIGHT):
        raise Http404
    form, query = figure_query(request, Cap.VIEW_OVERSIGHT)
    cards = figure_cards(query, "oversight", HOME_CODES) if query else []
    open_cases = (
        cases_for(request.user)
        .filter(status=CaseStatus.OPEN)
        .select_related("conducting_unit")
        .order_by("-decided_on")[:8]
    )
    return render(
        request,
        "oversight/home.html",
        {
            "form": form,
            "query": query,
            "cards": cards,
            "open_cases": open_cases,
            "can_manage": has_capability(request.user, Cap.MANAGE_OVERSIGHT),
        },
    )


@login_required
def figure(request: HttpRequest, code: str) -> HttpResponse:
    """The records behind one figure (rõ người, rõ việc): the same query as the value."""
    try:
        indicator = get_indicator(code)
    except KeyError:
        raise Http404 from None
    if indicator.domain not in ("oversight", "discipline"):
        raise Http404
    form, query = figure_query(request, indicator.capability)
    if query is None or not unit_in_scope(request.user, query.unit, indicator.capability):
        raise Http404
    records = indicator.records(query)
    value = indicator.compute(query)
    page = records_paginator(indicator, records, value, 100).get_page(request.GET.get("page"))
    rows = [(record, [c.get(record) for c in indicator.columns]) for record in page]
    if indicator.domain == "discipline":
        record_access(
            actor=request.user,
            kind=AccessKind.READ,
            unit=query.unit,
            request=request,
            reason=f"figure {code}",
            label=f"{code} {query.start:%d/%m/%Y}–{query.end:%d/%m/%Y}",
        )
    return render(
        request,
        "oversight/figure.html",
        {
            "indicator": indicator,
            "value": value,
            "query": query,
            "form": form,
            "page": page,
            "rows": rows,
            "columns": indicator.columns,
        },
    )


def _error(request: HttpRequest, exc: Exception) -> None:
    if isinstance(exc, ConcurrentEditError):
        messages.error(
            request,
            _(
                "Someone else changed this record after you opened it. Nothing was saved; your "
                "input is kept below — check the current values and save again."
            ),
        )
    else:
        messages.error(request, str(exc))


# --- cases -----------------------------------------------------------------------------------


def _case_for(request: HttpRequest, pk: int) -> Case:
    return get_in_scope_or_404(
        Case.objects.select_related("conducting_unit", "programme_item__programme"),
        request.user,
        Cap.VIEW_OVERSIGHT,
        "conducting_unit",
        pk=pk,
    )


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    cases = cases_for(request.user).select_related("conducting_unit")
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    text = request.GET.get("q", "").strip()[:100]
    year = request.GET.get("year", "")
    if kind in CaseKind.values:
        cases = cases.filter(kind=kind)
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    if year.isdigit():
        cases = cases.filter(decided_on__year=int(year))
    if text:
        cases = cases.filter(Q(title__icontains=text) | Q(decision_symbol__icontains=text))
    # The subjects are counted for the rows of the page only (a correlated subquery), not by
    # grouping every case in scope before the page is cut (165,000 cases nationally).
    subjects = (
        CaseSubject.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    cases = cases.annotate(n_subjects=Coalesce(Subquery(subjects), 0)).order_by(
        "-decided_on", "-pk"
    )
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "oversight/case_list.html",
        {
            "page": page,
            "kinds": CaseKind.choices,
            "statuses": CaseStatus.choices,
            "filters": {"kind": kind, "status": status, "q": text, "year": year},
            "can_manage": has_capability(request.user, Cap.MANAGE_OVERSIGHT),
        },
    )


def _case_form(request: HttpRequest, data=None) -> f.CaseForm:
    user = request.user
    initial = {}
    if request.GET.get("programme_item"):
        item = (
            ProgrammeItem.objects.filter(
                pk=request.GET["programme_item"],
                programme__in=programmes_for(user, Cap.MANAGE_OVERSIGHT),
            )
            .select_related("programme")
            .first()
        )
        if item is not None:
            initial = {
                "kind": item.kind,
                "conducting_unit": item.programme.conducting_unit_id,
                "title": item.content[:300],
                "subject_unit": item.subject_unit_id,
            }
    if request.GET.get("kind") in CaseKind.values:
        initial["kind"] = request.GET["kind"]
    return f.CaseForm(
        data,
        initial=initial,
        units=units_for(user, Cap.MANAGE_OVERSIGHT),
        people=people_for(user),
        directives=directives_in_scope(user),
    )


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, Cap.MANAGE_OVERSIGHT):
        raise Http404
    form = _case_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        require_manage(request.user, cd["conducting_unit"])
        subjects = []
        if cd["subject_unit"]:
            subjects.append(services.SubjectSpec(unit=cd["subject_unit"]))
        if cd["subject_person"]:
            subjects.append(services.SubjectSpec(person=cd["subject_person"]))
        item = None
        if request.GET.get("programme_item"):
            item = ProgrammeItem.objects.filter(
                pk=request.GET["programme_item"], programme__conducting_unit=cd["conducting_unit"]
            ).first()
        try:
            case = services.open_case(
                kind=cd["kind"],
                conducting_unit=cd["conducting_unit"],
                title=cd["title"],
                content=cd["content"],
                decided_on=cd["decided_on"],
                decision_symbol=cd["decision_symbol"],
                state_body=cd["state_body"],
                period_from=cd["period_from"],
                period_to=cd["period_to"],
                subjects=subjects,
                directives=cd["directives"],
                programme_item=item,
                acting_user=request.user,
            )
        except services.OversightError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("The case was opened with its decision."))
            return redirect(case)
    return render(request, "oversight/case_form.html", {"form": form})


def _catalogue_items_for(case: Case):
    day = case.decided_on
    catalogues = Catalogue.objects.valid_on(day).filter(
        kind__in=[CatalogueKind.MANIFESTATION, CatalogueKind.PROHIBITION]
    )
    if case.period_from:
        catalogues = catalogues | Catalogue.objects.valid_on(case.period_from).filter(
            kind__in=[CatalogueKind.MANIFESTATION, CatalogueKind.PROHIBITION]
        )
    return (
        CatalogueItem.objects.filter(catalogue__in=catalogues)
        .select_related("catalogue")
        .order_by("catalogue__kind", "catalogue__valid_from", "group", "number")
    )


def _render_case(request: HttpRequest, case: Case, status: int = 200, **forms) -> HttpResponse:
    user = request.user
    can_manage = services.can_manage(user, case.conducting_unit)
    steps = list(case.steps.select_related("recorded_by").order_by("date", "pk"))
    step_files = {
        a.object_id: a
        for a in Attachment.objects.filter(
            content_type__model="casestep", object_id__in=[s.pk for s in steps]
        )
    }
    done_kinds = {s.kind for s in steps}
    phases = []
    for phase in Phase:
        kinds = [k for k in STEP_ORDER if STEP_PHASE[k] == phase]
        phases.append(
            {
                "phase": phase,
                "steps": [(k, k in done_kinds) for k in kinds],
                "done": all(k in done_kinds for k in kinds),
            }
        )
    subjects = case.subjects.select_related("unit", "person")
    defaults = {
        "edit_form": f.CaseEditForm(
            initial={
                "version": case.version,
                "title": case.title,
                "content": case.content,
                "decision_symbol": case.decision_symbol,
                "period_from": case.period_from,
                "period_to": case.period_to,
            }
        ),
        "subject_form": f.SubjectForm(
            units=units_for(user, Cap.VIEW_UNITS), people=people_for(user)
        ),
        "team_form": f.TeamForm(people=people_for(user)),
        "step_form": f.StepForm(initial={"date": today()}),
        "finding_form": f.FindingForm(subjects=subjects, items=_catalogue_items_for(case)),
        "conclude_form": f.ConcludeForm(initial={"version": case.version, "concluded_on": today()}),
        "cancel_form": f.CancelForm(initial={"version": case.version}),
    }
    defaults.update(forms)
    from giamsat.oversight.models import Commitment

    context = {
        "case": case,
        "can_manage": can_manage,
        "phases": phases,
        "phase": case.phase(),
        "steps": [(s, step_files.get(s.pk)) for s in steps],
        "subjects": subjects,
        "team": case.team.select_related("person"),
        "directives": case.directives.all(),
        "findings": case.findings.select_related(
            "catalogue_item__catalogue", "subject__unit", "subject__person"
        ),
        "commitments": Commitment.objects.filter(
            origin_type__model="case", origin_id=case.pk
        ).prefetch_related("items"),
        "criticisms": case.criticisms.select_related("subject_unit", "subject_person"),
        "discipline_cases": case.discipline_cases.select_related("person", "organisation")
        if has_capability(user, Cap.VIEW_DISCIPLINE)
        else [],
        "can_discipline": has_capability(user, Cap.MANAGE_DISCIPLINE),
        "reinspections": case.reinspections.all(),
        **defaults,
    }
    return render(request, "oversight/case_detail.html", context, status=status)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_case(request, _case_for(request, pk))


def _case_action(request: HttpRequest, pk: int) -> Case:
    case = _case_for(request, pk)
    require_manage(request.user, case.conducting_unit)
    return case


@login_required
@require_POST
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_action(request, pk)
    form = f.CaseEditForm(request.POST)
    if form.is_valid():
        cd = form.cleaned_data
        try:
            services.update_case(
                case=case,
                expected_version=cd["version"],
                title=cd["title"],
                content=cd["content"],
                decision_symbol=cd["decision_symbol"],
                period_from=cd["period_from"],
                period_to=cd["period_to"],
                acting_user=request.user,
            )
        except (services.OversightError, ConcurrentEditError) as exc:
            _error(request, exc)
            case.refresh_from_db()
            return _render_case(request, case, status=409, edit_form=form)
        messages.success(request, _("Saved."))
        return redirect(case)
    return _render_case(request, case, status=400, edit_form=form)


@login_required
@require_POST
def case_subject_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_action(request, pk)
    form = f.SubjectForm(
        request.POST, units=units_for(request.user, Cap.VIEW_UNITS), people=people_for(request.user)
    )
    if form.is_valid():
        cd = form.cleaned_data
        try:
            services.add_subject(
                case=case,
                unit=cd["unit"],
                person=cd["person"],
                name=cd["name"],
                position=cd["position"],
                acting_user=request.user,
            )
        except services.OversightError as exc:
            _error(request, exc)
            return _render_case(request, case, status=400, subject_form=form)
        messages.success(request, _("Subject added."))
        return redirect(case)
    return _render_case(request, case, status=400, subject_form=form)


@login_required
@require_POST
def case_team_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_action(request, pk)
    form = f.TeamForm(request.POST, people=people_for(request.user))
    if form.is_valid():
        cd = form.cleaned_data
        try:
            services.add_team_member(
                case=case,
                role=cd["role"],
                person=cd["person"],
                name=cd["name"],
                agency=cd["agency"],
                acting_user=request.user,
            )
        except services.OversightError as exc:
            _error(request, exc)
            return _render_case(request, case, status=400, team_form=form)
        messages.success(request, _("Team member added."))
        return redirect(case)
    return _render_case(request, case, status=400, team_form=form)


@login_required
@require_POST
def case_step_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_action(request, pk)
    form = f.StepForm(request.POST, request.FILES)
    if form.is_valid():
        cd = form.cleaned_data
        try:
            services.record_step(
                case=case,
                kind=cd["kind"],
                date=cd["date"],
                document_symbol=cd["document_symbol"],
                note=cd["note"],
                upload=cd["upload"],
                acting_user=request.user,
            )
        except services.OversightError as exc:
            _error(request, exc)
            return _render_case(request, case, status=400, step_form=form)
        messages.success(request, _("Step recorded."))
        return redirect(case)
    return _render_case(request, case, status=400, step_form=form)


@login_required
@require_POST
def case_finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_action(request, pk)
    form = f.FindingForm(
        request.POST, subjects=case.subjects.all(), items=_catalogue_items_for(case)
    )
    if form.is_valid():
        cd = form.cleaned_data
        try:
            services.add_finding(
                case=case,
                kind=cd["kind"],
                subject=cd["subject"],
                catalogue_item=cd["catalogue_item"],
                text=cd["text"],
                acting_user=request.user,
            )
        except services.OversightError as exc:
            _error(request, exc)
            return _render_case(request, case, status=400, finding_form=form)
        messages.success(request, _("Finding added."))
        return redirect(case)
    return _render_case(request, case, status=400, finding_form=form)


@login_required
@require_POST
def case_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_action(request, pk)
    form = f.ConcludeForm(request.POST)
    if form.is_valid():
        cd = form.cleaned_data
        try:
            services.conclude_case(
                case=case,
                expected_version=cd["version"],
                concluded_on=cd["concluded_on"],
                conclusion_symbol=cd["conclusion_symbol"],
                strengths=cd["strengths"],
                shortcomings=cd["shortcomings"],
                violations=cd["violations"],
                recommendations=cd["recommendations"],
                acting_user=request.user,
            )
        except (services.OversightError, ConcurrentEditError) as exc:
            _error(request, exc)
            case.refresh_from_db()
            return _render_case(request, case, status=409, conclude_form=form)
        messages.success(request, _("The case is concluded."))
        return redirect(case)
    return _render_case(request, case, status=400, conclude_form=form)


@login_required
@require_POST
def case_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_action(request, pk)
    form = f.CancelForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_case(
                case=case,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except (services.OversightError, ConcurrentEditError) as exc:
            _error(request, exc)
            case.refresh_from_db()
            return _render_case(request, case, status=409, cancel_form=form)
        messages.success(request, _("The case is cancelled."))
        return redirect(case)
    return _render_case(request, case, status=400, cancel_form=form)


# --- programmes ------------------------------------------------------------------------------


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = (
        programmes_for(request.user)
        .select_related("conducting_unit")
        .annotate(n_items=Count("items"))
        .order_by("-year", "conducting_unit__name_sort")
    )
    form = None
    if has_capability(request.user, Cap.MANAGE_OVERSIGHT):
        form = f.ProgrammeForm(
            request.POST or None,
            initial={"year": today().year},
            units=units_for(request.user, Cap.MANAGE_OVERSIGHT),
        )
        if request.method == "POST" and form.is_valid():
            cd = form.cleaned_data
            require_manage(request.user, cd["conducting_unit"])
            try:
                programme = services.create_programme(acting_user=request.user, **cd)
            except services.OversightError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("Programme created."))
                return redirect(programme)
    page = Paginator(programmes, 50).get_page(request.GET.get("page"))
    return render(request, "oversight/programme_list.html", {"page": page, "form": form})


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_in_scope_or_404(
        Programme.objects.select_related("conducting_unit"),
        request.user,
        Cap.VIEW_OVERSIGHT,
        "conducting_unit",
        pk=pk,
    )
    can_manage = services.can_manage(request.user, programme.conducting_unit)
    form = None
    if can_manage:
        form = f.ProgrammeItemForm(
            request.POST or None,
            initial={"ad_hoc": bool(programme.adopted_on and today() > programme.adopted_on)},
            units=units_for(request.user, Cap.VIEW_UNITS),
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.add_programme_item(
                    programme=programme, acting_user=request.user, **form.cleaned_data
                )
            except services.OversightError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("Item added."))
                return redirect(programme)
    elif request.method == "POST":
        raise PermissionDenied
    items = list(
        programme.items.select_related("subject_unit", "subject_person").prefetch_related(
            Prefetch("cases", queryset=Case.objects.only("pk", "status", "title", "programme_item"))
        )
    )
    rows = [(item, item.progress()) for item in items]
    progress: dict[str, int] = {}
    for _item, state in rows:
        progress[state] = progress.get(state, 0) + 1
    return render(
        request,
        "oversight/programme_detail.html",
        {
            "programme": programme,
            "rows": rows,
            "progress": progress,
            "ad_hoc": sum(1 for i in items if i.ad_hoc),
            "total": len(items),
            "form": form,
            "can_manage": can_manage,
        },
    )


# --- regular supervision ---------------------------------------------------------------------


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    activities = activities_for(request.user).select_related(
        "conducting_unit", "subject_unit", "subject_person"
    )
    form = None
    if has_capability(request.user, Cap.MANAGE_OVERSIGHT):
        form = f.ActivityForm(
            request.POST or None,
            initial={"date": today()},
            units=units_for(request.user, Cap.MANAGE_OVERSIGHT),
        )
        if request.method == "POST" and form.is_valid():
            cd = form.cleaned_data
            require_manage(request.user, cd["conducting_unit"])
            try:
                services.record_supervision_activity(acting_user=request.user, **cd)
            except services.OversightError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("Supervision recorded."))
                return redirect("oversight:activities")
    page = Paginator(activities, 50).get_page(request.GET.get("page"))
    return render(request, "oversight/activity_list.html", {"page": page, "form": form})


# --- catalogues ------------------------------------------------------------------------------


@login_required
def catalogue_list(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, Cap.VIEW_OVERSIGHT):
        raise Http404
    catalogues = Catalogue.objects.annotate(
        n_items=Count("items"),
        n_open=Count("items", filter=~Q(items__status="confirmed")),
    ).order_by("kind", "valid_from")
    return render(request, "oversight/catalogue_list.html", {"catalogues": catalogues})


@login_required
def catalogue_detail(request: HttpRequest, code: str) -> HttpResponse:
    if not has_capability(request.user, Cap.VIEW_OVERSIGHT):
        raise Http404
    catalogue = Catalogue.objects.filter(code=code).first()
    if catalogue is None:
        raise Http404
    only_open = request.GET.get("open") == "1"
    items = catalogue.items.all()
    if only_open:
        items = items.exclude(status="confirmed")
    return render(
        request,
        "oversight/catalogue_detail.html",
        {
            "catalogue": catalogue,
            "items": items,
            "only_open": only_open,
            "can_edit": has_capability(request.user, Cap.ADMIN),
        },
    )


@login_required
def catalogue_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Administrators complete an item from the official text (with its source)."""
    if not has_capability(request.user, Cap.ADMIN):
        raise Http404
    item = CatalogueItem.objects.select_related("catalogue").filter(pk=pk).first()
    if item is None:
        raise Http404
    form = f.CatalogueItemForm(
        request.POST or None,
        initial={
            "label": item.label,
            "text": item.text,
            "status": item.status,
            "source": item.source,
            "topic": item.topic,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.complete_catalogue_item(
                item=item, acting_user=request.user, **form.cleaned_data
            )
        except services.OversightError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("The catalogue item is saved."))
            return redirect(item.catalogue)
    return render(request, "oversight/catalogue_item_form.html", {"item": item, "form": form})
