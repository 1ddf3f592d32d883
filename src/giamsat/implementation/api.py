"""API of directive implementation (mounted at /api/v1/implementation), scoped like the pages.

Read: assignments, implementation records, items (one requirement at one unit, with its status
on a day), roll-ups, key tasks. Write, for systems that integrate with giamsat: put a directive
into implementation, mark an item done with its document, add a key-task progress entry.
Anything outside the caller's scope answers 404; a write without the manage capability, 403;
bad input, 422 with the reason in Vietnamese.
"""

import datetime as dt
from collections.abc import Callable
from contextlib import contextmanager
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from giamsat.accounts.scoping import get_in_scope_or_404, scope_q
from giamsat.core.dates import today
from giamsat.core.models import ConcurrentEditError
from giamsat.core.pagination import BoundedPageNumberPagination
from giamsat.directives.models import Directive
from giamsat.directives.scoping import directives_in_scope
from giamsat.implementation import queries, services
from giamsat.implementation.models import (
    Assignment,
    Fulfilment,
    Implementation,
    KeyTask,
)
from giamsat.implementation.queries import ItemFilter, judge_day
from giamsat.implementation.rules import days_overdue
from giamsat.implementation.scoping import (
    VIEW,
    assignments_visible_to,
    implementations_visible_to,
    key_tasks_visible_to,
)
from giamsat.units.models import Unit, subtree_q

router = Router(tags=["implementation"])

# Record ids: positive and within a 32-bit signed integer, so nonsense ids are a clean 422.
Id = Annotated[int, Field(ge=1, le=2_147_483_647)]

StatusName = Literal["done", "late", "missing", "not_due"]
KindName = Literal["issue_document", "organise_study", "report", "other"]


# --- schemas ------------------------------------------------------------------------------
class UnitRef(Schema):
    id: int
    name: str
    code: str


class DirectiveRef(Schema):
    id: int
    symbol: str
    issued_on: dt.date
    title: str


class RequirementOut(Schema):
    id: int
    kind: KindName
    label: str = Field(description="Free text; empty means the kind's name.")
    due_on: dt.date


class AssignmentOut(Schema):
    id: int
    directive: DirectiveRef
    issuing_unit: UnitRef
    plan: DirectiveRef | None
    assigned_on: dt.date
    scope_kind: Literal["subtree", "chosen"]
    requirements: list[RequirementOut]


class PersonRef(Schema):
    id: int
    full_name: str


class ItemOut(Schema):
    id: int
    record_id: int = Field(description="The implementation record (unit × assignment).")
    unit: UnitRef
    directive_symbol: str
    requirement: RequirementOut
    status: StatusName = Field(description="On the judging day: done, late, missing, not_due.")
    days_overdue: int
    done_on: dt.date | None
    document: DirectiveRef | None
    version: int = Field(description="Send it back when marking done, to detect conflicts.")


class RecordOut(Schema):
    id: int
    assignment_id: int
    directive_symbol: str
    unit: UnitRef
    responsible: PersonRef | None
    responsible_title: str
    note: str
    items: list[ItemOut]


class DocumentIn(Schema):
    symbol: str = Field(description='Number and symbol, e.g. "05-KH/ĐU".')
    issued_on: dt.date
    title: str


class DoneIn(Schema):
    done_on: dt.date | None = Field(None, description="Defaults to the document's date.")
    document_id: Id | None = Field(None, description="A document already in the registry.")
    document: DocumentIn | None = Field(None, description="Or a new document to register.")
    note: str = ""
    version: Id | None = None


class RequirementIn(Schema):
    kind: KindName
    due_on: dt.date
    label: str = ""


class AssignmentIn(Schema):
    directive_id: Id
    issuing_unit_id: Id
    assigned_on: dt.date
    plan_id: Id | None = None
    unit_ids: list[Id] | None = Field(
        None, description="Chosen organisations; omit for every organisation down to grassroots."
    )
    requirements: list[RequirementIn]
    note: str = ""


class CountsOut(Schema):
    done: int
    late: int
    missing: int
    not_due: int
    due: int
    completed: int
    completed_rate: float
    done_rate: float
    late_rate: float
    missing_rate: float


class ChildCounts(Schema):
    unit: UnitRef
    counts: CountsOut


class LevelCounts(Schema):
    level: int
    label: str
    counts: CountsOut


class RollupOut(Schema):
    unit: UnitRef
    judged_on: dt.date
    tree_date: dt.date
    total: CountsOut
    children: list[ChildCounts]
    levels: list[LevelCounts]


class TaskUpdateOut(Schema):
    date: dt.date
    text: str
    status_after: str


class KeyTaskOut(Schema):
    id: int
    unit: UnitRef
    kind: Literal["key_task", "bottleneck"]
    title: str
    description: str
    owner: PersonRef | None
    owner_title: str
    opened_on: dt.date
    deadline: dt.date | None
    closed_on: dt.date | None
    status: Literal["open", "done", "dropped"]
    state: Literal["open", "overdue", "done", "done_late", "dropped"]
    directive_id: int | None
    version: int


class KeyTaskDetailOut(KeyTaskOut):
    updates: list[TaskUpdateOut]


class ProgressIn(Schema):
    date: dt.date
    text: str
    status: Literal["", "open", "done", "dropped"] = ""
    version: Id | None = None


# --- helpers ------------------------------------------------------------------------------
@contextmanager
def _writes():
    """Turn service refusals into API answers (403, 409, 422)."""
    try:
        yield
    except PermissionDenied:
        raise HttpError(403, "Bạn không có quyền thực hiện thao tác này.") from None
    except ConcurrentEditError:
        raise HttpError(409, "Bản ghi đã được người khác sửa; hãy tải lại.") from None
    except ValidationError as exc:
        raise HttpError(422, " ".join(str(m) for m in exc.messages)) from None


def _unit(ref: Unit) -> dict:
    return {"id": ref.pk, "name": ref.name, "code": ref.code}


def _doc(doc: Directive | None) -> dict | None:
    if doc is None:
        return None
    return {"id": doc.pk, "symbol": doc.symbol, "issued_on": doc.issued_on, "title": doc.title}


def _requirement(req) -> dict:
    return {"id": req.pk, "kind": req.kind, "label": req.label, "due_on": req.due_on}


def _item(item: Fulfilment, on: dt.date) -> dict:
    record = item.implementation
    return {
        "id": item.pk,
        "record_id": record.pk,
        "unit": _unit(record.unit),
        "directive_symbol": record.assignment.directive.symbol,
        "requirement": _requirement(item.requirement),
        "status": item.status if hasattr(item, "status") else item.status_on(on).value,
        "days_overdue": days_overdue(due_on=item.requirement.due_on, done_on=item.done_on, on=on),
        "done_on": item.done_on,
        "document": _doc(item.document),
        "version": item.version,
    }


def _assignment(a: Assignment) -> dict:
    return {
        "id": a.pk,
        "directive": _doc(a.directive),
        "issuing_unit": _unit(a.issuing_unit),
        "plan": _doc(a.plan),
        "assigned_on": a.assigned_on,
        "scope_kind": a.scope_kind,
        "requirements": [_requirement(r) for r in a.requirements.all()],
    }


def _person(person) -> dict | None:
    return {"id": person.pk, "full_name": person.full_name} if person else None


def _record(record: Implementation, on: dt.date) -> dict:
    return {
        "id": record.pk,
        "assignment_id": record.assignment_id,
        "directive_symbol": record.assignment.directive.symbol,
        "unit": _unit(record.unit),
        "responsible": _person(record.responsible),
        "responsible_title": record.responsible_title,
        "note": record.note,
        "items": [_item(i, on) for i in record.fulfilments.all()],
    }


def _task(task: KeyTask, on: dt.date) -> dict:
    return {
        "id": task.pk,
        "unit": _unit(task.unit),
        "kind": task.kind,
        "title": task.title,
        "description": task.description,
        "owner": _person(task.owner),
        "owner_title": task.owner_title,
        "opened_on": task.opened_on,
        "deadline": task.deadline,
        "closed_on": task.closed_on,
        "status": task.status,
        "state": task.state_on(on).value,
        "directive_id": task.directive_id,
        "version": task.version,
    }


def _counts(c: queries.Counts) -> dict:
    return c.as_dict()


def _scoped_unit(request, unit_id: int) -> Unit:
    return get_in_scope_or_404(Unit.objects.all(), request.user, VIEW, "pk", pk=unit_id)


def _lazy(rows, convert: Callable):
    """Convert only the rows of the requested page (pagination slices the QuerySet first)."""

    class Page:
        def __init__(self, qs) -> None:
            self.qs = qs

        def __len__(self) -> int:
            return self.qs.count()

        def count(self) -> int:
            return self.qs.count()

        def __getitem__(self, key):
            return [convert(row) for row in self.qs[key]]

    return Page(rows)


# --- assignments --------------------------------------------------------------------------
@router.get("/assignments", response=list[AssignmentOut], summary="Assignments visible to you")
@paginate(BoundedPageNumberPagination)
def list_assignments(request, unit: Id | None = None, directive: Id | None = None):
    """Assignments issued in your scope or reaching an organisation in it (newest first).
    ``unit``: only those issued by this organisation."""
    qs = assignments_visible_to(request.user).select_related("directive", "issuing_unit", "plan")
    if unit is not None:
        qs = qs.filter(issuing_unit=_scoped_unit(request, unit))
    if directive is not None:
        qs = qs.filter(directive=directive)
    qs = qs.prefetch_related("requirements").order_by("-assigned_on", "-pk")
    return _lazy(qs, _assignment)


@router.get("/assignments/{assignment_id}", response=AssignmentOut, summary="One assignment")
def get_assignment(request, assignment_id: Id):
    assignment = (
        assignments_visible_to(request.user)
        .select_related("directive", "issuing_unit", "plan")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise Http404
    return _assignment(assignment)


@router.post(
    "/assignments",
    response={201: AssignmentOut},
    summary="Put a directive into implementation",
)
def create_assignment(request, payload: AssignmentIn):
    """Assign a directive to the organisations under a committee (all of them down to
    grassroots level, or ``unit_ids``), with its requirements and due dates."""
    user = request.user
    directive = get_object_or_404(directives_in_scope(user), pk=payload.directive_id)
    issuer = _scoped_unit(request, payload.issuing_unit_id)
    plan = None
    if payload.plan_id is not None:
        plan = get_object_or_404(directives_in_scope(user), pk=payload.plan_id)
    scope: str | list[Unit] = "subtree"
    if payload.unit_ids is not None:
        scope = list(Unit.objects.filter(scope_q(user, VIEW), pk__in=payload.unit_ids))
        if len(scope) != len(set(payload.unit_ids)):
            raise Http404
    with _writes():
        assignment = services.put_into_implementation(
            directive=directive,
            issuing_unit=issuer,
            assigned_on=payload.assigned_on,
            plan=plan,
            scope=scope,
            requirements=[
                services.RequirementSpec(r.kind, r.due_on, r.label) for r in payload.requirements
            ],
            note=payload.note,
            acting_user=user,
        )
    return Status(201, _assignment(assignment))


# --- records and items --------------------------------------------------------------------
def _item_queryset(on: dt.date):
    return Fulfilment.objects.with_status(on).select_related(
        "implementation__unit",
        "implementation__assignment__directive",
        "requirement",
        "document",
    )


@router.get("/records", response=list[RecordOut], summary="Implementation records")
@paginate(BoundedPageNumberPagination)
def list_records(
    request,
    unit: Id | None = None,
    assignment: Id | None = None,
    directive: Id | None = None,
):
    """One record per assigned organisation and assignment, with its items (status today).
    ``unit``: records of organisations in this organisation's subtree."""
    on = today()
    qs = implementations_visible_to(request.user)
    if unit is not None:
        scoped = _scoped_unit(request, unit)
        qs = qs.filter(subtree_q("unit", scoped, scoped.reference_date(on)))
    if assignment is not None:
        qs = qs.filter(assignment=assignment)
    if directive is not None:
        qs = qs.filter(assignment__directive=directive)
    qs = (
        qs.select_related("unit", "assignment__directive", "responsible")
        .prefetch_related(
            Prefetch("fulfilments", queryset=_item_queryset(on).order_by("requirement__order"))
        )
        .order_by("-assignment__assigned_on", "unit__name_sort", "pk")
    )
    return _lazy(qs, lambda r: _record(r, on))


@router.get("/records/{record_id}", response=RecordOut, summary="One implementation record")
def get_record(request, record_id: Id):
    on = today()
    record = (
        implementations_visible_to(request.user)
        .select_related("unit", "assignment__directive", "responsible")
        .prefetch_related(
            Prefetch("fulfilments", queryset=_item_queryset(on).order_by("requirement__order"))
        )
        .filter(pk=record_id)
        .first()
    )
    if record is None:
        raise Http404
    return _record(record, on)


@router.get("/items", response=list[ItemOut], summary="Requirements at units, with status")
@paginate(BoundedPageNumberPagination)
def list_items(
    request,
    unit: Id,
    directive: Id | None = None,
    assignment: Id | None = None,
    status: StatusName | None = None,
    kind: KindName | None = None,
    due_from: dt.date | None = None,
    due_to: dt.date | None = None,
):
    """Items of the organisations in ``unit``'s subtree: due in [due_from, due_to], judged on
    ``due_to`` (or today, if earlier); the same QuerySet as the implementation figures."""
    scoped = _scoped_unit(request, unit)
    on = scoped.reference_date(judge_day(due_to))
    f = ItemFilter(
        directive_ids=frozenset({directive}) if directive else frozenset(),
        assignment_id=assignment,
        statuses=frozenset({status}) if status else frozenset(),
        kinds=frozenset({kind}) if kind else frozenset(),
        due_from=due_from,
        due_to=due_to,
    )
    qs = queries.with_display(queries.items(scoped, as_of=on, on=on, f=f)).order_by(
        "requirement__due_on", "implementation__unit__name_sort", "pk"
    )
    return _lazy(qs, lambda i: _item(i, on))


@router.post("/items/{item_id}/done", response=ItemOut, summary="Mark a requirement done")
def mark_done(request, item_id: Id, payload: DoneIn):
    """Record that the organisation fulfilled the requirement: the date, and for "issue an
    implementing document" the document (registered here if new, implementing the
    assignment's plan). Send ``version`` to refuse the change if someone changed it since."""
    on = today()
    item = (
        _item_queryset(on)
        .filter(scope_q(request.user, VIEW, "implementation__unit"), pk=item_id)
        .first()
    )
    if item is None:
        raise Http404
    document = None
    if payload.document_id is not None:
        document = get_object_or_404(directives_in_scope(request.user), pk=payload.document_id)
    new_document = None
    if payload.document is not None:
        d = payload.document
        new_document = services.DocumentSpec(d.symbol, d.issued_on, d.title)
    with _writes():
        services.record_fulfilment(
            fulfilment=item,
            acting_user=request.user,
            done_on=payload.done_on,
            document=document,
            new_document=new_document,
            note=payload.note,
            expected_version=payload.version,
        )
    fresh = _item_queryset(on).get(pk=item.pk)
    return _item(fresh, on)


@router.get("/rollup", response=RollupOut, summary="Roll-up of a unit's subtree")
def rollup(
    request,
    unit: Id,
    directive: Id | None = None,
    due_from: dt.date | None = None,
    due_to: dt.date | None = None,
):
    """Items by status for the subtree, for each child organisation and for each level."""
    scoped = _scoped_unit(request, unit)
    on = scoped.reference_date(judge_day(due_to))
    f = ItemFilter(
        directive_ids=frozenset({directive}) if directive else frozenset(),
        due_from=due_from,
        due_to=due_to,
    )
    base = queries.items(scoped, as_of=on, on=on, f=f)
    children = list(Unit.objects.children_of(scoped, on).organisations().order_vi())
    by_child = queries.counts_by_child(base, children, on)
    return {
        "unit": _unit(scoped),
        "judged_on": on,
        "tree_date": on,
        "total": _counts(queries.counts(base)),
        "children": [
            {"unit": _unit(c), "counts": _counts(by_child[c.pk])}
            for c in children
            if by_child[c.pk].total
        ],
        "levels": [
            {"level": int(level), "label": str(level.label), "counts": _counts(c)}
            for level, c in queries.counts_by_level(base)
        ],
    }


# --- key tasks ----------------------------------------------------------------------------
@router.get("/key-tasks", response=list[KeyTaskOut], summary="Key tasks and bottlenecks")
@paginate(BoundedPageNumberPagination)
def list_key_tasks(
    request,
    unit: Id | None = None,
    kind: Literal["key_task", "bottleneck"] | None = None,
):
    """Key tasks and bottlenecks in your scope (``unit``: of this organisation's subtree)."""
    on = today()
    qs = key_tasks_visible_to(request.user).select_related("unit", "owner")
    if unit is not None:
        scoped = _scoped_unit(request, unit)
        qs = qs.filter(subtree_q("unit", scoped, scoped.reference_date(on)))
    if kind is not None:
        qs = qs.filter(kind=kind)
    return _lazy(qs.order_by("deadline", "pk"), lambda t: _task(t, on))


@router.get("/key-tasks/{task_id}", response=KeyTaskDetailOut, summary="One key task")
def get_key_task(request, task_id: Id):
    task = (
        key_tasks_visible_to(request.user)
        .select_related("unit", "owner")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise Http404
    data = _task(task, today())
    data["updates"] = [
        {"date": u.date, "text": u.text, "status_after": u.status_after} for u in task.updates.all()
    ]
    return data


@router.post(
    "/key-tasks/{task_id}/progress", response=KeyTaskDetailOut, summary="Add a progress entry"
)
def add_progress(request, task_id: Id, payload: ProgressIn):
    """A dated progress entry; ``status`` done or dropped closes the task, open reopens it."""
    task = key_tasks_visible_to(request.user).select_related("unit").filter(pk=task_id).first()
    if task is None:
        raise Http404
    with _writes():
        services.add_task_progress(
            task=task,
            acting_user=request.user,
            date=payload.date,
            text=payload.text,
            status=payload.status,
            expected_version=payload.version,
        )
    return get_key_task(request, task_id)
