"""Helpers shared by the implementation pages: access, parsed filters, charts, exports."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse

from giamsat.accounts.scoping import get_in_scope_or_404, scope_q
from giamsat.core.excel import write_xlsx
from giamsat.directives.models import Directive
from giamsat.implementation import queries
from giamsat.implementation.forms import FilterForm
from giamsat.implementation.models import Fulfilment, Implementation, KeyTask, Reminder, Status
from giamsat.implementation.queries import ItemFilter, judge_day
from giamsat.implementation.rules import ItemStatus, days_overdue
from giamsat.implementation.scoping import (
    VIEW,
    assignments_visible_to,
    can_manage_unit,
    implementations_visible_to,
    key_tasks_visible_to,
)
from giamsat.indicators.registry import IndicatorQuery
from giamsat.people.models import Person
from giamsat.units.models import Unit

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
def unit_for(request: HttpRequest, pk: int) -> Unit:
    return get_in_scope_or_404(Unit.objects.all(), request.user, VIEW, "pk", pk=pk)


def record_for(request: HttpRequest, pk: int) -> Implementation:
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


def fulfilment_for(request: HttpRequest, pk: int) -> Fulfilment:
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


def task_for(request: HttpRequest, pk: int) -> KeyTask:
    task = (
        key_tasks_visible_to(request.user)
        .select_related("unit", "owner", "directive")
        .filter(pk=pk)
        .first()
    )
    if task is None:
        raise Http404
    return task


def require_manage(request: HttpRequest, unit: Unit) -> None:
    """Read access was checked (404 otherwise); changing needs the manage capability."""
    if not can_manage_unit(request.user, unit):
        raise PermissionDenied


def directives_with_assignments(user):
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


def statuses_of(value: str) -> frozenset[str]:
    if value == "overdue":
        return frozenset({ItemStatus.LATE.value, ItemStatus.MISSING.value})
    return frozenset({value}) if value else frozenset()


def unit_view(request: HttpRequest, pk: int, *, default_status: str = "") -> UnitView:
    unit = unit_for(request, pk)
    params = request.GET.copy()
    if default_status and "status" not in params:
        params["status"] = default_status
    form = FilterForm(params, directives=directives_with_assignments(request.user))
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
        statuses=statuses_of(data.get("status", "")),
        due_from=start,
        due_to=end,
    )
    return UnitView(unit, form, start, end, on, on, f)


def visible_ancestors(request: HttpRequest, unit: Unit, as_of: dt.date) -> list[Unit]:
    ancestors = unit.ancestors_on(as_of)
    visible = set(
        Unit.objects.filter(
            scope_q(request.user, VIEW), pk__in=[a.pk for a in ancestors]
        ).values_list("pk", flat=True)
    )
    return [a for a in ancestors if a.pk in visible]


def child_units(unit: Unit, as_of: dt.date) -> list[Unit]:
    return list(Unit.objects.children_of(unit, as_of).organisations().order_vi())


def rate_chart(labels: list[str], rows: list[queries.Counts]) -> str:
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


def period_chart(labels: list[str], rows: list[queries.Counts], rate_label: str) -> str:
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


def reminder_info(items: list[Fulfilment]) -> dict[int, dict]:
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


def item_rows(items, on: dt.date) -> list[tuple[Fulfilment, int, dict]]:
    items = list(items)
    info = reminder_info(items)
    return [
        (
            i,
            days_overdue(due_on=i.requirement.due_on, done_on=i.done_on, on=on),
            info.get(i.pk, {}),
        )
        for i in items
    ]


def xlsx_response(filename: str, title: str, headers, rows) -> HttpResponse:
    data = write_xlsx([(title, headers, rows)])
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def fmt_date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def people_of(unit: Unit):
    return Person.objects.filter(posts__unit=unit).distinct().order_vi()


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else default
