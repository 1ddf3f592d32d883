"""Unit pages: home, dashboard, matrix, late and missing list, figure drill-downs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from giamsat.accounts.scoping import has_capability, is_unrestricted, role_units, scope_q
from giamsat.core.dates import today
from giamsat.implementation import queries
from giamsat.implementation.models import (
    Fulfilment,
    Implementation,
    KeyTask,
    RequirementKind,
    Status,
    TaskKind,
)
from giamsat.implementation.rules import ItemStatus, days_overdue
from giamsat.implementation.scoping import MANAGE, VIEW, assignments_visible_to, can_manage_unit
from giamsat.implementation.views.common import (
    MATRIX_PAGE_SIZE,
    PAGE_SIZE,
    child_units,
    fmt_date,
    item_rows,
    period_chart,
    rate_chart,
    unit_view,
    visible_ancestors,
    xlsx_response,
)
from giamsat.indicators.reading import records_paginator
from giamsat.indicators.registry import get_indicator
from giamsat.units.models import Unit, subtree_q


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
    view = unit_view(request, pk)
    unit = view.unit
    base = view.items(statuses=frozenset())
    total = queries.counts(base)
    children = child_units(unit, view.as_of)
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
        "ancestors": visible_ancestors(request, unit, view.as_of),
        "total": total,
        "own": own,
        "child_rows": child_rows,
        "by_level": by_level,
        "by_period": by_period,
        "bucket": bucket,
        "tasks": task_totals,
        "cards": cards,
        "child_chart": rate_chart(
            [c.short_name or c.name for c, _ in child_rows], [v for _, v in child_rows]
        ),
        "period_chart": period_chart(
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
    view = unit_view(request, pk)
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
@login_required
def overdue(request: HttpRequest, pk: int) -> HttpResponse:
    """Late and missing units a committee office acts on: urge them, export the list."""
    view = unit_view(request, pk, default_status="overdue")
    # Missing first (what the office must chase), oldest due date first.
    items = queries.with_display(view.items()).order_by(
        F("done_on").asc(nulls_first=True),
        "requirement__due_on",
        "implementation__unit__name_sort",
        "pk",
    )
    if request.GET.get("format") == "xlsx":
        rows = item_rows(items, view.on)
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
                fmt_date(i.requirement.due_on),
                fmt_date(i.done_on),
                str(Status(i.status).label),
                days,
                i.implementation.responsible.full_name if i.implementation.responsible_id else "",
                i.implementation.responsible_title,
                info.get("n", 0),
                fmt_date(info.get("last")),
            ]
            for i, days, info in rows
        ]
        name = f"tre-han-{view.unit.code}-{view.on:%Y%m%d}.xlsx"
        return xlsx_response(name, _("Late and missing"), headers, data)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "view": view,
        "unit": view.unit,
        "page": page,
        "rows": item_rows(page.object_list, view.on),
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
    view = unit_view(request, pk)
    query = view.query
    records = indicator.records(query)
    value = indicator.compute(query)
    if request.GET.get("format") == "xlsx":
        headers = [str(c.label) for c in indicator.columns]
        data = ([c.get(r) for c in indicator.columns] for r in records.iterator(chunk_size=2000))
        return xlsx_response(f"{code}-{view.unit.code}.xlsx", str(indicator.label), headers, data)
    page = records_paginator(indicator, records, value, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = page.object_list
    if records.model is Fulfilment:
        rows = item_rows(rows, view.on)
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
