"""Figures of directive implementation, declared once for pages, reports, the CLI and the API.

Period semantics: requirements count in the period of their **due date**, judged on the period's
last day (or today, if earlier): "of what was due in 2019–09/2022, how much was done, late,
missing on 30/09/2022". Assignments count by their assignment date, documents by their date,
key tasks by whether they are open on the judging day. The tree is the query's (``as_of``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from giamsat.accounts.roles import Cap
from giamsat.implementation.models import (
    Implementation,
    KeyTask,
    RequirementKind,
    Status,
    TaskKind,
)
from giamsat.implementation.queries import (
    COMPLETED_STATUSES,
    DUE_STATUSES,
    ItemFilter,
    items,
    judge_day,
    with_display,
)
from giamsat.implementation.rules import ItemStatus, TaskState, days_overdue
from giamsat.indicators.registry import Column, Indicator, IndicatorQuery, register

DOMAIN = "implementation"


def _on(query: IndicatorQuery):
    """The judging day: the period's last day or today, and not after an ended unit's end."""
    return min(judge_day(query.end), query.as_of)


def _items(query: IndicatorQuery, statuses=(), kinds=()):
    f = ItemFilter(
        directive_ids=query.directive_ids,
        statuses=frozenset(str(s) for s in statuses),
        kinds=frozenset(str(k) for k in kinds),
        due_from=query.start,
        due_to=query.end,
    )
    return with_display(items(query.unit, as_of=query.as_of, on=_on(query), f=f)).order_by(
        "requirement__due_on", "implementation__unit__name_sort", "pk"
    )


def due_items(query: IndicatorQuery):
    return _items(query, DUE_STATUSES)


def completed_items(query: IndicatorQuery):
    return _items(query, COMPLETED_STATUSES)


def on_time_items(query: IndicatorQuery):
    return _items(query, (ItemStatus.DONE,))


def late_items(query: IndicatorQuery):
    return _items(query, (ItemStatus.LATE,))


def missing_items(query: IndicatorQuery):
    return _items(query, (ItemStatus.MISSING,))


def documents_issued(query: IndicatorQuery):
    """Implementing documents issued in the period (fulfilments of "issue a document")."""
    qs = with_display(
        items(
            query.unit,
            as_of=query.as_of,
            on=_on(query),
            f=ItemFilter(
                directive_ids=query.directive_ids,
                kinds=frozenset({RequirementKind.ISSUE_DOCUMENT.value}),
            ),
        )
    )
    return qs.filter(
        document__isnull=False, done_on__gte=query.start, done_on__lte=query.end
    ).order_by("done_on", "pk")


def units_assigned(query: IndicatorQuery):
    qs = Implementation.objects.filter(
        query.in_subtree("unit"), query.in_period("assignment__assigned_on")
    )
    if query.directive_ids:
        qs = qs.filter(assignment__directive__in=query.directive_ids)
    return qs.select_related(
        "unit", "assignment__directive", "assignment__issuing_unit", "responsible"
    ).order_by("assignment__assigned_on", "unit__name_sort", "pk")


def _tasks(query: IndicatorQuery, kinds, states):
    on = _on(query)
    qs = KeyTask.objects.with_state(on).filter(
        query.in_subtree("unit"),
        kind__in=[str(k) for k in kinds],
        opened_on__lte=on,
        state__in=[str(s) for s in states],
    )
    if query.directive_ids:
        qs = qs.filter(directive__in=query.directive_ids)
    return qs.select_related("unit", "owner", "directive").order_by("deadline", "pk")


def key_tasks_open(query: IndicatorQuery):
    return _tasks(query, [TaskKind.KEY_TASK], [TaskState.OPEN, TaskState.OVERDUE])


def bottlenecks_open(query: IndicatorQuery):
    return _tasks(query, [TaskKind.BOTTLENECK], [TaskState.OPEN, TaskState.OVERDUE])


def tasks_overdue(query: IndicatorQuery):
    return _tasks(query, [TaskKind.KEY_TASK, TaskKind.BOTTLENECK], [TaskState.OVERDUE])


def bottlenecks_resolved(query: IndicatorQuery):
    return _tasks(query, [TaskKind.BOTTLENECK], [TaskState.DONE, TaskState.DONE_LATE]).filter(
        closed_on__gte=query.start, closed_on__lte=query.end
    )


def _date(value):
    return value.strftime("%d/%m/%Y") if value else ""


ITEM_COLUMNS = (
    Column(_("Party organisation"), lambda f: f.implementation.unit.name),
    Column(_("Directive"), lambda f: f.implementation.assignment.directive.symbol),
    Column(_("Requirement"), lambda f: f.requirement.title),
    Column(_("Due on"), lambda f: _date(f.requirement.due_on)),
    Column(_("Done on"), lambda f: _date(f.done_on)),
    Column(_("Document"), lambda f: f.document.symbol if f.document_id else ""),
    Column(_("Status"), lambda f: str(Status(f.status).label)),
    Column(
        _("Days overdue"),
        lambda f: (
            days_overdue(due_on=f.requirement.due_on, done_on=f.done_on, on=f.judged_on) or ""
        ),
    ),
    Column(
        _("Responsible"),
        lambda f: f.implementation.responsible.full_name if f.implementation.responsible_id else "",
    ),
)
RECORD_COLUMNS = (
    Column(_("Party organisation"), lambda r: r.unit.name),
    Column(_("Directive"), lambda r: r.assignment.directive.symbol),
    Column(_("Assigned by"), lambda r: r.assignment.issuing_unit.name),
    Column(_("Assigned on"), lambda r: _date(r.assignment.assigned_on)),
    Column(_("Responsible"), lambda r: r.responsible.full_name if r.responsible_id else ""),
)
TASK_COLUMNS = (
    Column(_("Party organisation"), lambda t: t.unit.name),
    Column(_("Title"), lambda t: t.title),
    Column(_("In charge"), lambda t: t.owner.full_name if t.owner_id else t.owner_title),
    Column(_("Deadline"), lambda t: _date(t.deadline)),
    Column(_("Opened on"), lambda t: _date(t.opened_on)),
    Column(_("Closed on"), lambda t: _date(t.closed_on)),
)

ITEM_PATH = "implementation__unit"
UNIT_ITEMS = _("unit-requirements")

for indicator in (
    Indicator(
        code="implementation.units_assigned",
        label=_("Organisations assigned to implement directives"),
        definition=_(
            "Implementation records (one per assigned organisation and assignment) whose "
            "assignment date falls in the period."
        ),
        unit_of_measure=_("organisation-assignments"),
        domain=DOMAIN,
        capability=Cap.VIEW_INDICATORS,
        records=units_assigned,
        unit_path="unit",
        columns=RECORD_COLUMNS,
        order=10,
    ),
    Indicator(
        code="implementation.documents_issued",
        label=_("Implementing documents issued"),
        definition=_(
            'Documents recorded as fulfilling the requirement "issue an implementing document", '
            "dated in the period."
        ),
        unit_of_measure=_("documents"),
        domain=DOMAIN,
        capability=Cap.VIEW_INDICATORS,
        records=documents_issued,
        unit_path=ITEM_PATH,
        columns=ITEM_COLUMNS,
        order=20,
    ),
    Indicator(
        code="implementation.requirements_due",
        label=_("Requirements due"),
        definition=_(
            "Requirements (one per assigned organisation) due in the period and already due on "
            "its last day (or today)."
        ),
        unit_of_measure=UNIT_ITEMS,
        domain=DOMAIN,
        capability=Cap.VIEW_INDICATORS,
        records=due_items,
        unit_path=ITEM_PATH,
        columns=ITEM_COLUMNS,
        order=30,
    ),
    Indicator(
        code="implementation.done_rate",
        label=_("Completion rate of requirements"),
        definition=_(
            "Requirements done (on time or late) by the period's last day, as a share of the "
            "requirements due in the period."
        ),
        unit_of_measure="%",
        domain=DOMAIN,
        capability=Cap.VIEW_INDICATORS,
        records=completed_items,
        denominator=due_items,
        unit_path=ITEM_PATH,
        columns=ITEM_COLUMNS,
        order=40,
    ),
    Indicator(
        code="implementation.on_time_rate",
        label=_("On-time rate of requirements"),
        definition=_(
            "Requirements done on or before their due date, as a share of the requirements due "
            "in the period."
        ),
        unit_of_measure="%",
        domain=DOMAIN,
        capability=Cap.VIEW_INDICATORS,
        records=on_time_items,
        denominator=due_items,
        unit_path=ITEM_PATH,
        columns=ITEM_COLUMNS,
        order=45,
    ),
    Indicator(
        code="implementation.late_units",
        label=_("Requirements done late"),
        definition=_(
            "Requirements due in the period that an organisation fulfilled after the due date."
        ),
        unit_of_measure=UNIT_ITEMS,
        domain=DOMAIN,
        capability=Cap.VIEW_INDICATORS,
        records=late_items,
        unit_path=ITEM_PATH,
        columns=ITEM_COLUMNS,
        order=50,
    ),
    Indicator(
        code="implementation.missing_units",
        label=_("Requirements missing (overdue, not done)"),
        definition=_(
            "Requirements due in the period that an organisation had not fulfilled by the "
            "period's last day (or today)."
        ),
        unit_of_measure=UNIT_ITEMS,
        domain=DOMAIN,
        capability=Cap.VIEW_INDICATORS,
        records=missing_items,
        unit_path=ITEM_PATH,
        columns=ITEM_COLUMNS,
        order=60,
    ),
    Indicator(
        code="implementation.key_tasks_open",
        label=_("Key tasks in progress"),
        definition=_("Key tasks opened and not closed by the period's last day (or today)."),
        unit_of_measure=_("tasks"),
        domain=DOMAIN,
        capability=Cap.VIEW_INDICATORS,
        records=key_tasks_open,
        unit_path="unit",
        columns=TASK_COLUMNS,
        order=70,
    ),
    Indicator(
        code="implementation.bottlenecks_open",
        label=_("Bottlenecks not yet resolved"),
        definition=_("Bottlenecks opened and not closed by the period's last day (or today)."),
        unit_of_measure=_("bottlenecks"),
        domain=DOMAIN,
        capability=Cap.VIEW_INDICATORS,
        records=bottlenecks_open,
        unit_path="unit",
        columns=TASK_COLUMNS,
        order=80,
    ),
    Indicator(
        code="implementation.bottlenecks_resolved",
        label=_("Bottlenecks resolved"),
        definition=_("Bottlenecks closed as resolved in the period."),
        unit_of_measure=_("bottlenecks"),
        domain=DOMAIN,
        capability=Cap.VIEW_INDICATORS,
        records=bottlenecks_resolved,
        unit_path="unit",
        columns=TASK_COLUMNS,
        order=85,
    ),
    Indicator(
        code="implementation.tasks_overdue",
        label=_("Key tasks and bottlenecks past their deadline"),
        definition=_(
            "Key tasks and bottlenecks still open on the period's last day (or today) after "
            "their deadline."
        ),
        unit_of_measure=_("tasks"),
        domain=DOMAIN,
        capability=Cap.VIEW_INDICATORS,
        records=tasks_overdue,
        unit_path="unit",
        columns=TASK_COLUMNS,
        order=90,
    ),
):
    register(indicator)
