"""Pages of directive implementation: dashboard, matrix, overdue list, figures, records, tasks.

Every page starts from one access helper (a unit, record or task in the user's scope, else
404) and reads through ``queries`` (one grouped query per roll-up, whatever the tree size).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Max, OuterRef, Prefetch, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giamsat.accounts.scoping import (
    get_in_scope_or_404,
    has_capability,
    is_unrestricted,
    role_units,
    scope_q,
)
from giamsat.core.dates import parse_date, today
from giamsat.core.excel import write_xlsx
from giamsat.core.files import attachments_of
from giamsat.core.models import ConcurrentEditError
from giamsat.directives.models import Directive
from giamsat.directives.scoping import directives_in_scope
from giamsat.implementation import queries, services
from giamsat.implementation.forms import (
    AssignmentForm,
    FilterForm,
    FulfilmentForm,
    KeyTaskForm,
    ProgressForm,
    ReminderForm,
    ReopenForm,
    ResponsibleForm,
    TaskFilterForm,
)
from giamsat.implementation.models import (
    Fulfilment,
    Implementation,
    KeyTask,
    KeyTaskUpdate,
    Reminder,
    RequirementKind,
    Status,
    TaskKind,
)
from giamsat.implementation.queries import ItemFilter, judge_day
from giamsat.implementation.rules import ISSUER_KINDS, ItemStatus, days_overdue
from giamsat.implementation.scoping import (
    MANAGE,
    VIEW,
    assignments_visible_to,
    can_manage_unit,
    implementations_visible_to,
    key_tasks_visible_to,
)
from giamsat.indicators.registry import IndicatorQuery, get_indicator
from giamsat.people.models import Person
from giamsat.units.models import Unit, subtree_q

PAGE_SIZE = 50
MATRIX_PAGE_SIZE = 100
PERIOD_MIN = dt.date(1990, 1, 1)
PERIOD_MAX = dt.date(2099, 12, 31)
CHART_COLOURS = {
    ItemStatus.DONE: "#1a7f37",
    ItemStatus.LATE: "#d4a72c",
    ItemStatus.MISSING: "#cf222e",
    ItemStatus.NOT_DUE: "#afb8c1",
}


# --- access helpers -----------------------------------------------------------------------
def _unit_for(request: HttpRequest, pk: int) -> Unit:
    return get_in_scope_or_404(Unit.objects.all(), request.user, VIEW, "pk", pk=pk)


def _record_for(request: HttpRequest, pk: int) -> Implementation:
    record = (
        implementations_visible_to(request.user)
        .select_related(
            "unit",
            "assignment__directive",
            "assignment__plan",
            "assignment__issuing_unit",
            "responsible",
        )
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise Http404
    return record


def _fulfilment_for(request: HttpRequest, pk: int) -> Fulfilment:
    fulfilment = (
        Fulfilment.objects.filter(scope_q(request.user, VIEW, "implementation__unit"), pk=pk)
        .select_related(
            "implementation__unit",
            "implementation__assignment__directive",
            "implementation__assignment__plan",
            "implementation__assignment__issuing_unit",
            "implementation__responsible",
            "requirement",
            "document",
        )
        .first()
    )
    if fulfilment is None:
        raise Http404
    return fulfilment


def _task_for(request: HttpRequest, pk: int) -> KeyTask:
    task = (
        key_tasks_visible_to(request.user)
        .select_related("unit", "owner", "directive")
        .filter(pk=pk)
        .first()
    )
    if task is None:
        raise Http404
    return task


def _require_manage(request: HttpRequest, unit: Unit) -> None:
    """Read access was checked (404 otherwise); changing needs the manage capability."""
    if not can_manage_unit(request.user, unit):
        raise PermissionDenied


def _directives_with_assignments(user):
    return Directive.objects.filter(
        pk__in=assignments_visible_to(user).values("directive_id")
    ).order_by("issued_on", "symbol")


# --- request state shared by unit pages ---------------------------------------------------
@dataclass
class UnitView:
    """A unit page's parsed filters: period of due dates, judging day, tree day, filters."""

    unit: Unit
    form: FilterForm
    start: dt.date | None
    end: dt.date | None
    on: dt.date
    as_of: dt.date
    f: ItemFilter

    @property
    def query(self) -> IndicatorQuery:
        """The same question as an indicator query (figures == these pages' lists)."""
        return IndicatorQuery(
            self.unit,
            self.start or PERIOD_MIN,
            self.end or PERIOD_MAX,
            self.f.directive_ids,
            tree_date=self.on,
        )

    @property
    def querystring(self) -> str:
        """The period and directive of this page, for links to figures and other units."""
        params: dict[str, str] = {}
        if self.f.directive_ids:
            params["directive"] = str(min(self.f.directive_ids))
        if self.start:
            params["date_from"] = f"{self.start:%d/%m/%Y}"
        if self.end:
            params["date_to"] = f"{self.end:%d/%m/%Y}"
        return urlencode(params)

    def base_filter(self, **changes) -> ItemFilter:
        values = {
            "directive_ids": self.f.directive_ids,
            "assignment_id": self.f.assignment_id,
            "kinds": self.f.kinds,
            "levels": self.f.levels,
            "statuses": self.f.statuses,
            "due_from": self.start,
            "due_to": self.end,
        }
        values.update(changes)
        return ItemFilter(**values)

    def items(self, **changes):
        return queries.items(self.unit, as_of=self.as_of, on=self.on, f=self.base_filter(**changes))


def _statuses(value: str) -> frozenset[str]:
    if value == "overdue":
        return frozenset({ItemStatus.LATE.value, ItemStatus.MISSING.value})
    return frozenset({value}) if value else frozenset()


def _unit_view(request: HttpRequest, pk: int, *, default_status: str = "") -> UnitView:
    unit = _unit_for(request, pk)
    params = request.GET.copy()
    if default_status and "status" not in params:
        params["status"] = default_status
    form = FilterForm(params, directives=_directives_with_assignments(request.user))
    data = form.cleaned_data if form.is_valid() else {}
    start, end = data.get("date_from"), data.get("date_to")
    # An ended unit is judged and read on its last day at the latest.
    on = unit.reference_date(judge_day(end))
    assignment_id = request.GET.get("assignment", "")
    f = ItemFilter(
        directive_ids=frozenset({data["directive"]}) if data.get("directive") else frozenset(),
        assignment_id=int(assignment_id) if assignment_id.isdigit() else None,
        kinds=frozenset({data["kind"]}) if data.get("kind") else frozenset(),
        levels=frozenset({data["level"]}) if data.get("level") is not None else frozenset(),
        statuses=_statuses(data.get("status", "")),
        due_from=start,
        due_to=end,
    )
    return UnitView(unit, form, start, end, on, on, f)


def _visible_ancestors(request: HttpRequest, unit: Unit, as_of: dt.date) -> list[Unit]:
    ancestors = unit.ancestors_on(as_of)
    visible = set(
        Unit.objects.filter(
            scope_q(request.user, VIEW), pk__in=[a.pk for a in ancestors]
        ).values_list("pk", flat=True)
    )
    return [a for a in ancestors if a.pk in visible]


def _children(unit: Unit, as_of: dt.date) -> list[Unit]:
    return list(Unit.objects.children_of(unit, as_of).organisations().order_vi())


def _rate_chart(labels: list[str], rows: list[queries.Counts]) -> str:
    """Horizontal 100 % bars: shares of the due requirements done, late, missing."""
    datasets = [
        {
            "label": str(Status(status.value).label),
            "data": [float(getattr(c, f"{status.value}_rate")) for c in rows],
            "backgroundColor": CHART_COLOURS[status],
            "stack": "s",
        }
        for status in (ItemStatus.DONE, ItemStatus.LATE, ItemStatus.MISSING)
    ]
    options = {
        "indexAxis": "y",
        "scales": {"x": {"stacked": True, "max": 100}, "y": {"stacked": True}},
        "plugins": {"legend": {"position": "bottom"}},
    }
    return json.dumps(
        {"type": "bar", "data": {"labels": labels, "datasets": datasets}, "options": options}
    )


def _period_chart(labels: list[str], rows: list[queries.Counts], rate_label: str) -> str:
    """Requirements by status per period (bars) and the completion rate (line, right axis)."""
    datasets: list[dict] = [
        {
            "type": "line",
            "label": rate_label,
            "data": [float(c.completed_rate) if c.due else None for c in rows],
            "borderColor": "#0969da",
            "backgroundColor": "#0969da",
            "yAxisID": "rate",
        }
    ]
    datasets += [
        {
            "label": str(Status(status.value).label),
            "data": [getattr(c, status.value) for c in rows],
            "backgroundColor": CHART_COLOURS[status],
            "stack": "s",
        }
        for status in (ItemStatus.DONE, ItemStatus.LATE, ItemStatus.MISSING, ItemStatus.NOT_DUE)
    ]
    options = {
        "scales": {
            "x": {"stacked": True},
            "y": {"stacked": True, "beginAtZero": True},
            "rate": {"position": "right", "min": 0, "max": 100, "grid": {"drawOnChartArea": False}},
        },
        "plugins": {"legend": {"position": "bottom"}},
    }
    return json.dumps(
        {"type": "bar", "data": {"labels": labels, "datasets": datasets}, "options": options}
    )


# --- home ---------------------------------------------------------------------------------
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's organisations (dashboards) and the assignments they can see."""
    user = request.user
    units = list({u.pk: u for u in role_units(user, VIEW)}.values())
    if not units and is_unrestricted(user):
        units = list(Unit.objects.roots().order_vi()[:5])
    assignments = list(
        assignments_visible_to(user)
        .select_related("directive", "issuing_unit", "plan")
        .order_by("-assigned_on", "-pk")[:30]
    )
    progress: dict[int, queries.Counts] = {a.pk: queries.Counts() for a in assignments}
    rows = (
        Fulfilment.objects.with_status(today())
        .filter(
            scope_q(user, VIEW, "implementation__unit"),
            implementation__assignment__in=[a.pk for a in assignments],
        )
        .order_by()
        .values("implementation__assignment", "status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        progress[row["implementation__assignment"]].add(row["status"], row["n"])
    context = {
        "units": units,
        "assignments": [(a, progress[a.pk]) for a in assignments],
        "can_manage": has_capability(user, MANAGE),
    }
    return render(request, "implementation/home.html", context)


# --- dashboard ----------------------------------------------------------------------------
@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """Figures of a unit's subtree with charts by child unit and over time."""
    view = _unit_view(request, pk)
    unit = view.unit
    base = view.items(statuses=frozenset())
    total = queries.counts(base)
    children = _children(unit, view.as_of)
    by_child = queries.counts_by_child(base, children, view.as_of)
    own = queries.Counts(
        **{
            s.value: getattr(total, s.value) - sum(getattr(c, s.value) for c in by_child.values())
            for s in ItemStatus
        }
    )
    by_level = queries.counts_by_level(base)
    bucket = "month" if request.GET.get("bucket") == "month" else "quarter"
    by_period = queries.counts_by_period(base, bucket)
    query = view.query
    task_qs = queries.tasks(unit, as_of=view.as_of, on=view.on)
    if view.f.directive_ids:
        task_qs = task_qs.filter(directive__in=view.f.directive_ids)
    task_totals = queries.task_counts(task_qs)
    assigned = get_indicator("implementation.units_assigned").compute(query).value
    documents = get_indicator("implementation.documents_issued").compute(query).value

    def open_of(kind: str) -> int:
        states = task_totals.by_kind.get(kind, {})
        return states.get("open", 0) + states.get("overdue", 0)

    cards = [
        ("implementation.units_assigned", _("Organisations assigned"), assigned, False, "", ""),
        (
            "implementation.requirements_due",
            _("Requirements due"),
            total.due,
            False,
            _("%(n)d more not yet due") % {"n": total.not_due},
            "",
        ),
        (
            "implementation.done_rate",
            _("Completion rate"),
            total.completed_rate,
            True,
            f"{total.completed}/{total.due}",
            "",
        ),
        (
            "implementation.on_time_rate",
            _("Done on time"),
            total.done_rate,
            True,
            f"{total.done}/{total.due}",
            "status-ok",
        ),
        ("implementation.late_units", _("Done late"), total.late, False, "", "status-warn"),
        (
            "implementation.missing_units",
            _("Missing (overdue)"),
            total.missing,
            False,
            "",
            "status-bad",
        ),
        ("implementation.documents_issued", _("Implementing documents"), documents, False, "", ""),
        (
            "implementation.key_tasks_open",
            _("Key tasks in progress"),
            open_of(TaskKind.KEY_TASK),
            False,
            "",
            "",
        ),
        (
            "implementation.bottlenecks_open",
            _("Bottlenecks not yet resolved"),
            open_of(TaskKind.BOTTLENECK),
            False,
            "",
            "",
        ),
    ]
    child_rows = [(c, by_child[c.pk]) for c in children if by_child[c.pk].total]
    context = {
        "view": view,
        "unit": unit,
        "ancestors": _visible_ancestors(request, unit, view.as_of),
        "total": total,
        "own": own,
        "child_rows": child_rows,
        "by_level": by_level,
        "by_period": by_period,
        "bucket": bucket,
        "tasks": task_totals,
        "cards": cards,
        "child_chart": _rate_chart(
            [c.short_name or c.name for c, _ in child_rows], [v for _, v in child_rows]
        ),
        "period_chart": _period_chart(
            [label for label, _ in by_period],
            [v for _, v in by_period],
            _("Completion rate (%)"),
        ),
        "chart_tall": len(child_rows) > 8,
        "can_manage": can_manage_unit(request.user, unit),
    }
    return render(request, "implementation/dashboard.html", context)


# --- matrix -------------------------------------------------------------------------------
@login_required
def matrix(request: HttpRequest, pk: int) -> HttpResponse:
    """Units × requirements: one row per implementation record, one column per kind."""
    view = _unit_view(request, pk)
    unit = view.unit
    records = Implementation.objects.filter(subtree_q("unit", unit, view.as_of))
    f = view.f
    if f.directive_ids:
        records = records.filter(assignment__directive__in=f.directive_ids)
    if f.assignment_id is not None:
        records = records.filter(assignment=f.assignment_id)
    if f.levels:
        records = records.filter(unit__kind__in=queries.kinds_of_levels(f.levels))
    if f.statuses or f.kinds or view.start or view.end:
        matching = view.items().values("implementation_id")
        records = records.filter(pk__in=matching)
    records = (
        records.select_related(
            "unit", "assignment__directive", "assignment__issuing_unit", "responsible"
        )
        .prefetch_related(
            Prefetch(
                "fulfilments",
                queryset=Fulfilment.objects.with_status(view.on)
                .select_related("requirement", "document")
                .order_by("requirement__order", "requirement__pk"),
            )
        )
        .order_by("-assignment__assigned_on", "assignment__pk", "unit__name_sort", "pk")
    )
    page = Paginator(records, MATRIX_PAGE_SIZE).get_page(request.GET.get("page"))
    kinds = [k for k in RequirementKind if not f.kinds or k.value in f.kinds]
    rows = []
    for record in page:
        cells: dict[str, list[Fulfilment]] = {k.value: [] for k in kinds}
        for item in record.fulfilments.all():
            if item.requirement.kind in cells:
                item.overdue_days = days_overdue(
                    due_on=item.requirement.due_on, done_on=item.done_on, on=view.on
                )
                cells[item.requirement.kind].append(item)
        rows.append((record, [cells[k.value] for k in kinds]))
    used = [i for i, k in enumerate(kinds) if any(cells[i] for _, cells in rows)] or list(
        range(len(kinds))
    )
    context = {
        "view": view,
        "unit": unit,
        "page": page,
        "kinds": [kinds[i] for i in used],
        "rows": [(record, [cells[i] for i in used]) for record, cells in rows],
        "summary": queries.counts(view.items()),
        "can_manage": can_manage_unit(request.user, unit),
        "status_css": queries.STATUS_CSS,
    }
    return render(request, "implementation/matrix.html", context)


# --- overdue list and figure drill-downs --------------------------------------------------
def _reminder_info(items: list[Fulfilment]) -> dict[int, dict]:
    """Reminders about each item (about its requirement or the whole record): one query."""
    rows = (
        Reminder.objects.filter(implementation__in={i.implementation_id for i in items})
        .order_by()
        .values("implementation", "requirement")
        .annotate(n=Count("pk"), last=Max("sent_on"))
    )
    by_record: dict[int, list[dict]] = {}
    for row in rows:
        by_record.setdefault(row["implementation"], []).append(row)
    info: dict[int, dict] = {}
    for item in items:
        about = [
            r
            for r in by_record.get(item.implementation_id, [])
            if r["requirement"] in (None, item.requirement_id)
        ]
        if about:
            info[item.pk] = {"n": sum(r["n"] for r in about), "last": max(r["last"] for r in about)}
    return info


def _item_rows(items, on: dt.date) -> list[tuple[Fulfilment, int, dict]]:
    items = list(items)
    info = _reminder_info(items)
    return [
        (
            i,
            days_overdue(due_on=i.requirement.due_on, done_on=i.done_on, on=on),
            info.get(i.pk, {}),
        )
        for i in items
    ]


def _xlsx_response(filename: str, title: str, headers, rows) -> HttpResponse:
    data = write_xlsx([(title, headers, rows)])
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _fmt(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


@login_required
def overdue(request: HttpRequest, pk: int) -> HttpResponse:
    """Late and missing units a committee office acts on: urge them, export the list."""
    view = _unit_view(request, pk, default_status="overdue")
    # Missing first (what the office must chase), oldest due date first.
    items = queries.with_display(view.items()).order_by(
        F("done_on").asc(nulls_first=True),
        "requirement__due_on",
        "implementation__unit__name_sort",
        "pk",
    )
    if request.GET.get("format") == "xlsx":
        rows = _item_rows(items, view.on)
        headers = [
            _("Party organisation"),
            _("Directive"),
            _("Assigned by"),
            _("Requirement"),
            _("Due on"),
            _("Done on"),
            _("Status"),
            _("Days overdue"),
            _("Responsible"),
            _("Post"),
            _("Reminders"),
            _("Last reminder"),
        ]
        data = [
            [
                i.implementation.unit.name,
                i.implementation.assignment.directive.symbol,
                i.implementation.assignment.issuing_unit.name,
                i.requirement.title,
                _fmt(i.requirement.due_on),
                _fmt(i.done_on),
                str(Status(i.status).label),
                days,
                i.implementation.responsible.full_name if i.implementation.responsible_id else "",
                i.implementation.responsible_title,
                info.get("n", 0),
                _fmt(info.get("last")),
            ]
            for i, days, info in rows
        ]
        name = f"tre-han-{view.unit.code}-{view.on:%Y%m%d}.xlsx"
        return _xlsx_response(name, _("Late and missing"), headers, data)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "view": view,
        "unit": view.unit,
        "page": page,
        "rows": _item_rows(page.object_list, view.on),
        "can_manage": can_manage_unit(request.user, view.unit),
        "status_css": queries.STATUS_CSS,
    }
    return render(request, "implementation/overdue.html", context)


FIGURE_TEMPLATES = {
    Fulfilment: "implementation/_items_table.html",
    Implementation: "implementation/_records_table.html",
    KeyTask: "implementation/_tasks_table.html",
}


@login_required
def figure(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The records behind one implementation figure: the indicator's own QuerySet."""
    if not code.startswith("implementation."):
        raise Http404
    try:
        indicator = get_indicator(code)
    except KeyError:
        raise Http404 from None
    view = _unit_view(request, pk)
    query = view.query
    records = indicator.records(query)
    value = indicator.compute(query)
    if request.GET.get("format") == "xlsx":
        headers = [str(c.label) for c in indicator.columns]
        data = ([c.get(r) for c in indicator.columns] for r in records.iterator(chunk_size=2000))
        return _xlsx_response(f"{code}-{view.unit.code}.xlsx", str(indicator.label), headers, data)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = page.object_list
    if records.model is Fulfilment:
        rows = _item_rows(rows, view.on)
    elif records.model is KeyTask:
        rows = [(t, t.state) for t in rows]
    context = {
        "view": view,
        "unit": view.unit,
        "indicator": indicator,
        "value": value,
        "page": page,
        "rows": rows,
        "table": FIGURE_TEMPLATES[records.model],
        "can_manage": can_manage_unit(request.user, view.unit),
        "status_css": queries.STATUS_CSS,
        "state_css": queries.TASK_STATE_CSS,
    }
    return render(request, "implementation/figure.html", context)


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
    children = _children(issuer, as_of) if sees_issuer else []
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


# --- records and fulfilments --------------------------------------------------------------
def _people_of(unit: Unit):
    return Person.objects.filter(posts__unit=unit).distinct().order_vi()


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record_for(request, pk)
    on = record.unit.reference_date(today())  # an ended unit is judged on its last day
    fulfilments = list(
        record.fulfilments.with_status(on)
        .select_related("requirement", "document", "recorded_by")
        .order_by("requirement__order", "requirement__pk")
    )
    for item in fulfilments:
        item.files = list(attachments_of(item))
        item.overdue_days = days_overdue(
            due_on=item.requirement.due_on, done_on=item.done_on, on=on
        )
    can_manage = can_manage_unit(request.user, record.unit)
    responsible_form = ResponsibleForm(
        initial={
            "person": record.responsible_id,
            "title": record.responsible_title,
            "note": record.note,
        },
        people=_people_of(record.unit),
    )
    reminder_form = ReminderForm(
        initial={"sent_on": today(), "requirement": request.GET.get("requirement", "")},
        requirements=[i.requirement for i in fulfilments],
    )
    # The chain NQ → tỉnh ủy KH → thành ủy KH → this unit's document, as far as visible.
    end = next((i.document for i in fulfilments if i.document_id), None)
    end = end or record.assignment.guiding_document
    chain = [*reversed(end.cascade_up()), end]
    visible = set(
        directives_in_scope(request.user)
        .filter(pk__in=[d.pk for d in chain])
        .values_list("pk", flat=True)
    )
    context = {
        "record": record,
        "unit": record.unit,
        "cascade": [d for d in chain if d.pk in visible],
        "fulfilments": fulfilments,
        "reminders": record.reminders.select_related("requirement", "created_by"),
        "can_manage": can_manage,
        "responsible_form": responsible_form,
        "reminder_form": reminder_form,
        "status_css": queries.STATUS_CSS,
        "next": request.GET.get("next", ""),
    }
    return render(request, "implementation/record_detail.html", context)


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else default


@login_required
@require_POST
def record_responsible(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record_for(request, pk)
    _require_manage(request, record.unit)
    form = ResponsibleForm(request.POST, people=_people_of(record.unit))
    if form.is_valid():
        services.set_responsible(
            implementation=record,
            acting_user=request.user,
            person=form.cleaned_data["person"],
            title=form.cleaned_data["title"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("The responsible person was saved."))
    else:
        messages.error(request, _("The responsible person was not saved: check the fields."))
    return redirect(record.get_absolute_url())


@login_required
def record_remind(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a reminder (đôn đốc) to a late or missing unit."""
    record = _record_for(request, pk)
    _require_manage(request, record.unit)
    requirements = list(record.assignment.requirements.all())
    form = ReminderForm(
        request.POST if request.method == "POST" else None,
        initial={"sent_on": today(), "requirement": request.GET.get("requirement", "")},
        requirements=requirements,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        requirement = next((r for r in requirements if r.pk == data.get("requirement")), None)
        try:
            services.record_reminder(
                implementation=record,
                acting_user=request.user,
                sent_on=data["sent_on"],
                method=data["method"],
                note=data["note"],
                requirement=requirement,
                document_symbol=data.get("document_symbol", ""),
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, _("The reminder to %(unit)s was recorded.") % {"unit": record.unit}
            )
            return redirect(_safe_next(request, record.get_absolute_url()))
    context = {"record": record, "form": form, "next": _safe_next(request, "")}
    return render(request, "implementation/remind.html", context)


def _documents_for(fulfilment: Fulfilment):
    return Directive.objects.filter(issuing_unit=fulfilment.implementation.unit).order_by(
        "-issued_on", "symbol"
    )


@login_required
def fulfilment(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a requirement done at a unit (or reopen it), with document and evidence files."""
    item = _fulfilment_for(request, pk)
    unit = item.implementation.unit
    can_manage = can_manage_unit(request.user, unit)
    on = unit.reference_date(today())
    form = FulfilmentForm(
        initial={
            "version": item.version,
            "done_on": item.done_on,
            "document": item.document_id,
            "note": item.note,
        },
        documents=_documents_for(item),
    )
    reopen = ReopenForm(initial={"version": item.version})
    if request.method == "POST":
        _require_manage(request, unit)
        if "reopen" in request.POST:
            reopen = ReopenForm(request.POST)
            if reopen.is_valid():
                try:
                    services.reopen_fulfilment(
                        fulfilment=item,
                        acting_user=request.user,
                        reason=reopen.cleaned_data["reason"],
                        expected_version=reopen.cleaned_data["version"],
                    )
                except ConcurrentEditError:
                    messages.error(request, _("Someone changed this record meanwhile: reload it."))
                except ValidationError as exc:
                    reopen.add_error(None, exc.messages[0])
                else:
                    messages.success(request, _("The requirement was reopened."))
                    return redirect(_safe_next(request, item.get_absolute_url()))
        else:
            form = FulfilmentForm(request.POST, request.FILES, documents=_documents_for(item))
            if form.is_valid():
                data = form.cleaned_data
                new_doc = None
                if data.get("doc_symbol"):
                    new_doc = services.DocumentSpec(
                        data["doc_symbol"], data["doc_date"], data["doc_title"]
                    )
                try:
                    services.record_fulfilment(
                        fulfilment=item,
                        acting_user=request.user,
                        done_on=data.get("done_on"),
                        document=data.get("document"),
                        new_document=new_doc,
                        note=data.get("note", ""),
                        files=data.get("files") or [],
                        expected_version=data["version"],
                    )
                except ConcurrentEditError:
                    form.add_error(
                        None,
                        _(
                            "Someone changed this record after you opened it; nothing was saved. "
                            "Reload the page to see the current state."
                        ),
                    )
                except ValidationError as exc:
                    for message in exc.messages:
                        form.add_error(None, message)
                else:
                    messages.success(
                        request,
                        _("%(requirement)s: recorded as done at %(unit)s.")
                        % {"requirement": item.requirement.title, "unit": unit},
                    )
                    return redirect(_safe_next(request, item.implementation.get_absolute_url()))
    status = item.status_on(on)
    context = {
        "item": item,
        "record": item.implementation,
        "unit": unit,
        "status": status,
        "status_label": Status(status.value).label,
        "status_css": queries.STATUS_CSS[status],
        "overdue_days": days_overdue(due_on=item.requirement.due_on, done_on=item.done_on, on=on),
        "files": attachments_of(item),
        "form": form,
        "reopen": reopen,
        "can_manage": can_manage,
        "next": _safe_next(request, ""),
    }
    return render(request, "implementation/fulfilment.html", context)


# --- key tasks and bottlenecks ------------------------------------------------------------
@login_required
def key_tasks(request: HttpRequest, pk: int) -> HttpResponse:
    """Key tasks and bottlenecks of a unit's subtree with a roll-up by child unit."""
    unit = _unit_for(request, pk)
    form = TaskFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    on = unit.reference_date(min(data.get("on") or today(), today()))
    as_of = on
    base = queries.tasks(unit, as_of=as_of, on=on)
    total = queries.task_counts(base)
    children = _children(unit, as_of)
    by_child = queries.task_counts_by_child(base, children, as_of)
    listed = base
    if data.get("kind"):
        listed = listed.filter(kind=data["kind"])
    if data.get("state"):
        listed = listed.filter(state=data["state"])
    last = KeyTaskUpdate.objects.filter(task=OuterRef("pk")).order_by("-date", "-pk")
    listed = (
        listed.select_related("unit", "owner", "directive")
        .annotate(
            last_date=Subquery(last.values("date")[:1]), last_text=Subquery(last.values("text")[:1])
        )
        .order_by("kind", "deadline", "pk")
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "form": form,
        "total": total,
        "child_rows": [(c, by_child[c.pk]) for c in children if by_child[c.pk].total],
        "page": page,
        "state_css": queries.TASK_STATE_CSS,
        "can_manage": can_manage_unit(request.user, unit),
        "kinds": TaskKind,
        "on": on,
    }
    return render(request, "implementation/key_tasks.html", context)


def _task_form(request: HttpRequest, data=None, *, unit: Unit | None = None, initial=None):
    user = request.user
    units = Unit.objects.filter(scope_q(user, MANAGE)).organisations().order_by("kind", "name_sort")
    people = _people_of(unit) if unit is not None else Person.objects.none()
    return KeyTaskForm(
        data,
        units=units,
        people=people,
        directives=directives_in_scope(user).order_by("-issued_on"),
        initial=initial,
    )


@login_required
def key_task_new(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, MANAGE):
        raise PermissionDenied
    raw_unit = request.POST.get("unit") or request.GET.get("unit") or ""
    unit = None
    if raw_unit.isdigit():
        unit = Unit.objects.filter(scope_q(request.user, MANAGE), pk=int(raw_unit)).first()
    form = _task_form(
        request,
        request.POST if request.method == "POST" else None,
        unit=unit,
        initial={"unit": unit, "opened_on": today(), "kind": request.GET.get("kind", "key_task")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.create_key_task(
                unit=data["unit"],
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                owner=data["owner"],
                owner_title=data["owner_title"],
                opened_on=data["opened_on"],
                deadline=data["deadline"],
                directive=data["directive"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Saved."))
            return redirect(task.get_absolute_url())
    return render(request, "implementation/key_task_form.html", {"form": form, "task": None})


@login_required
def key_task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_for(request, pk)
    can_manage = can_manage_unit(request.user, task.unit)
    form = ProgressForm(initial={"version": task.version, "date": today()})
    if request.method == "POST":
        _require_manage(request, task.unit)
        form = ProgressForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_task_progress(
                    task=task,
                    acting_user=request.user,
                    date=data["date"],
                    text=data["text"],
                    status=data["status"],
                    expected_version=data["version"],
                )
            except ConcurrentEditError:
                form.add_error(
                    None, _("Someone changed this task after you opened it: reload the page.")
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("The progress entry was added."))
                return redirect(task.get_absolute_url())
    state = task.state_on(today())
    context = {
        "task": task,
        "unit": task.unit,
        "state": state,
        "state_css": queries.TASK_STATE_CSS[state],
        "state_label": queries.TASK_STATE_LABELS[state.value],
        "updates": task.updates.select_related("recorded_by"),
        "form": form,
        "can_manage": can_manage,
        "files": attachments_of(task),
    }
    return render(request, "implementation/key_task_detail.html", context)


@login_required
def key_task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_for(request, pk)
    _require_manage(request, task.unit)
    initial = {
        "version": task.version,
        "unit": task.unit,
        "kind": task.kind,
        "title": task.title,
        "description": task.description,
        "owner": task.owner,
        "owner_title": task.owner_title,
        "opened_on": task.opened_on,
        "deadline": task.deadline,
        "directive": task.directive,
    }
    form = _task_form(
        request, request.POST if request.method == "POST" else None, unit=task.unit, initial=initial
    )
    form.fields["unit"].disabled = True
    form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_key_task(
                task=task,
                acting_user=request.user,
                expected_version=data.get("version") or 0,
                title=data["title"],
                description=data["description"],
                owner=data["owner"],
                owner_title=data["owner_title"],
                deadline=data["deadline"],
                opened_on=data["opened_on"],
                directive=data["directive"],
            )
        except ConcurrentEditError:
            form.add_error(
                None,
                _(
                    "Someone changed this task after you opened it; nothing was saved. Reload the page."
                ),
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Saved."))
            return redirect(task.get_absolute_url())
    return render(request, "implementation/key_task_form.html", {"form": form, "task": task})
