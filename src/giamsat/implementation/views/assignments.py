"""Assignments: list, detail, and putting a directive into implementation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from giamsat.accounts.scoping import has_capability, scope_q
from giamsat.core.dates import parse_date, today
from giamsat.directives.models import Directive
from giamsat.directives.scoping import directives_in_scope
from giamsat.implementation import queries, services
from giamsat.implementation.forms import AssignmentForm
from giamsat.implementation.models import Fulfilment, RequirementKind
from giamsat.implementation.rules import ISSUER_KINDS
from giamsat.implementation.scoping import (
    MANAGE,
    VIEW,
    assignments_visible_to,
    implementations_visible_to,
)
from giamsat.implementation.views.common import PAGE_SIZE, child_units
from giamsat.units.models import Unit


# --- assignments --------------------------------------------------------------------------
@login_required
def assignment_list(request: HttpRequest) -> HttpResponse:
    items = assignments_visible_to(request.user).select_related("directive", "issuing_unit", "plan")
    page = Paginator(items.order_by("-assigned_on", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "implementation/assignment_list.html",
        {"page": page, "can_manage": has_capability(request.user, MANAGE)},
    )


@login_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = (
        assignments_visible_to(request.user)
        .select_related("directive", "issuing_unit", "plan", "created_by")
        .filter(pk=pk)
        .first()
    )
    if assignment is None:
        raise Http404
    issuer = assignment.issuing_unit
    on = today()
    visible = Fulfilment.objects.with_status(on).filter(
        scope_q(request.user, VIEW, "implementation__unit"), implementation__assignment=assignment
    )
    requirements = list(assignment.requirements.all())
    per_req: dict[int, queries.Counts] = {r.pk: queries.Counts() for r in requirements}
    for row in visible.order_by().values("requirement", "status").annotate(n=Count("pk")):
        per_req[row["requirement"]].add(row["status"], row["n"])
    as_of = assignment.assigned_on
    sees_issuer = Unit.objects.filter(scope_q(request.user, VIEW), pk=issuer.pk).exists()
    children = child_units(issuer, as_of) if sees_issuer else []
    by_child = queries.counts_by_child(visible, children, as_of)
    records = (
        implementations_visible_to(request.user)
        .filter(assignment=assignment)
        .select_related("unit")
        .order_by("unit__name_sort")
    )
    context = {
        "assignment": assignment,
        "requirements": [(r, per_req[r.pk]) for r in requirements],
        "total": queries.counts(visible),
        "child_rows": [(c, by_child[c.pk]) for c in children if by_child[c.pk].total],
        "by_level": queries.counts_by_level(visible),
        "records": records[:200],
        "record_count": records.count(),
        "sees_issuer": sees_issuer,
        "cascade_down": directives_in_scope(request.user)
        .filter(implements=assignment.guiding_document)
        .select_related("issuing_unit")
        .order_by("issued_on")[:200],
    }
    return render(request, "implementation/assignment_detail.html", context)


def _assignment_form(request: HttpRequest, data=None) -> AssignmentForm:
    user = request.user
    # Committees that have ended stay available: an assignment may be recorded afterwards,
    # on a date when they existed (the service checks the date).
    issuers = Unit.objects.filter(scope_q(user, MANAGE), kind__in=ISSUER_KINDS).order_by(
        "kind", "name_sort"
    )
    directives = directives_in_scope(user).order_by("-issued_on", "symbol")
    issuer_id = (data or request.GET).get("issuing_unit", "")
    candidates = Unit.objects.none()
    plans = Directive.objects.none()
    if issuer_id.isdigit():
        issuer = issuers.filter(pk=int(issuer_id)).first()
        if issuer is not None:
            raw_day = (data or {}).get("assigned_on", "")
            try:
                day = parse_date(raw_day) if raw_day else today()
            except ValueError:
                day = today()
            candidates = Unit.objects.filter(
                pk__in=[u.pk for u in services.fanout_units(issuer, day)]
            ).order_vi()
            plans = Directive.objects.filter(issuing_unit=issuer).order_by("-issued_on")
    form = AssignmentForm(
        data,
        directives=directives,
        issuers=issuers,
        plans=plans,
        candidates=candidates,
        initial={"assigned_on": today(), "issuing_unit": issuer_id or None},
    )
    return form


def _requirement_specs(data) -> list[services.RequirementSpec]:
    specs = []
    if data.get("issue_document_due"):
        specs.append(
            services.RequirementSpec(RequirementKind.ISSUE_DOCUMENT, data["issue_document_due"])
        )
    if data.get("organise_study_due"):
        specs.append(
            services.RequirementSpec(
                RequirementKind.ORGANISE_STUDY,
                data["organise_study_due"],
                data.get("organise_study_label", ""),
            )
        )
    if data.get("report_due"):
        specs.append(services.RequirementSpec(RequirementKind.REPORT, data["report_due"]))
    if data.get("other_due"):
        specs.append(
            services.RequirementSpec(RequirementKind.OTHER, data["other_due"], data["other_label"])
        )
    return specs


@login_required
def assignment_new(request: HttpRequest) -> HttpResponse:
    """Put a directive into implementation (fan-out to the units in scope)."""
    if not has_capability(request.user, MANAGE):
        raise PermissionDenied
    form = _assignment_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_plan = None
        if data.get("plan_symbol"):
            new_plan = services.DocumentSpec(
                data["plan_symbol"], data["plan_date"], data["plan_title"]
            )
        try:
            assignment = services.put_into_implementation(
                directive=data["directive"],
                issuing_unit=data["issuing_unit"],
                plan=data.get("plan"),
                new_plan=new_plan,
                assigned_on=data["assigned_on"],
                scope=list(data["units"]) if data["scope_kind"] == "chosen" else "subtree",
                requirements=_requirement_specs(data),
                note=data.get("note", ""),
                acting_user=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            count = assignment.implementations.count()
            messages.success(
                request,
                _("%(directive)s was assigned to %(count)d organisations.")
                % {"directive": assignment.directive.symbol, "count": count},
            )
            return redirect(assignment.get_absolute_url())
    return render(request, "implementation/assignment_form.html", {"form": form})


@login_required
def assignment_candidates(request: HttpRequest) -> HttpResponse:
    """htmx partial: the organisations the chosen committee can assign (checkboxes)."""
    form = _assignment_form(request, request.GET)
    return render(request, "implementation/_candidates.html", {"form": form})
