"""The only writers of implementation records: fan-out, fulfilment, reminders, key tasks.

Every function is keyword-only, atomic, takes the acting user and checks that the user holds
``Cap.MANAGE_IMPLEMENTATION`` over the unit concerned (views and the API check scope first and
answer 404; this check is the last line). Changes are logged by django-auditlog.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from giamsat.accounts.models import User
from giamsat.core.dates import today
from giamsat.core.files import save_attachment
from giamsat.directives.models import Directive
from giamsat.directives.symbols import SymbolError, parse_symbol
from giamsat.implementation.models import (
    Assignment,
    Fulfilment,
    Implementation,
    KeyTask,
    KeyTaskUpdate,
    Reminder,
    ReminderMethod,
    Requirement,
    RequirementKind,
    ScopeKind,
    TaskKind,
    TaskStatus,
)
from giamsat.implementation.rules import FANOUT_KINDS
from giamsat.implementation.scoping import can_manage_unit
from giamsat.people.models import Person, Post
from giamsat.units.models import Unit


class ImplementationError(ValidationError):
    """Bad input for an implementation action; the message says which field and why."""


def _fmt(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def _text(value: str, limit: int | None = None) -> str:
    """Trimmed text without NUL characters (PostgreSQL refuses them), cut to ``limit``."""
    cleaned = value.replace("\x00", "").strip()
    return cleaned[:limit] if limit else cleaned


def _require_manage(user: User, unit: Unit) -> None:
    if not can_manage_unit(user, unit):
        raise PermissionDenied


@dataclass(frozen=True)
class RequirementSpec:
    kind: str
    due_on: dt.date
    label: str = ""


@dataclass(frozen=True)
class DocumentSpec:
    """A document to register in the directive registry ("12-KH/ĐU", its date and title)."""

    symbol: str
    issued_on: dt.date
    title: str


def fanout_units(issuing_unit: Unit, on: dt.date) -> list[Unit]:
    """Party organisations under ``issuing_unit`` down to grassroots level, on ``on``."""
    return list(
        Unit.objects.subtree_of(issuing_unit, on)
        .valid_on(on)
        .filter(kind__in=FANOUT_KINDS)
        .exclude(pk=issuing_unit.pk)
        .order_by("name_sort", "pk")
    )


def _check_chosen(issuing_unit: Unit, units: Sequence[Unit], on: dt.date) -> list[Unit]:
    allowed = {u.pk: u for u in fanout_units(issuing_unit, on)}
    chosen: list[Unit] = []
    for unit in units:
        if unit.pk not in allowed:
            raise ImplementationError(
                _(
                    "%(unit)s cannot be assigned: on %(date)s it is not a party organisation "
                    "under %(issuer)s down to grassroots level."
                )
                % {"unit": unit, "date": _fmt(on), "issuer": issuing_unit}
            )
        if unit.pk not in {c.pk for c in chosen}:
            chosen.append(allowed[unit.pk])
    return chosen


def _heads_on(units: Iterable[Unit], day: dt.date) -> dict[int, Post]:
    """The head (is_head post) of each unit on ``day``, in one query."""
    posts = (
        Post.objects.valid_on(day)
        .filter(unit__in=list(units), is_head=True)
        .select_related("person")
        .order_by("unit_id", "valid_from")
    )
    heads: dict[int, Post] = {}
    for post in posts:
        heads.setdefault(post.unit_id, post)
    return heads


@transaction.atomic
def put_into_implementation(
    *,
    directive: Directive,
    issuing_unit: Unit,
    requirements: Sequence[RequirementSpec],
    acting_user: User,
    scope: str | Sequence[Unit] = ScopeKind.SUBTREE,
    assigned_on: dt.date | None = None,
    plan: Directive | None = None,
    new_plan: DocumentSpec | None = None,
    note: str = "",
) -> Assignment:
    """Assign ``directive`` to units under ``issuing_unit`` with its requirements.

    ``scope`` is ``ScopeKind.SUBTREE`` (every party organisation down to grassroots level under
    the issuer) or a list of such units. The tree is read on the assignment date; every
    assigned unit gets an implementation record with one fulfilment per requirement, its head
    on that date as the responsible person. ``plan`` (or ``new_plan``, registered here) is the
    committee's own implementing document, linked to ``directive`` in the registry.
    """
    _require_manage(acting_user, issuing_unit)
    day = assigned_on or today()
    if day > today():
        raise ImplementationError(
            _("The assignment date %(date)s is in the future.") % {"date": _fmt(day)}
        )
    if day < directive.issued_on:
        raise ImplementationError(
            _("The assignment date %(date)s is before the directive was issued (%(issued)s).")
            % {"date": _fmt(day), "issued": _fmt(directive.issued_on)}
        )
    if not issuing_unit.is_valid_on(day):
        raise ImplementationError(
            _("%(unit)s does not exist on %(date)s.") % {"unit": issuing_unit, "date": _fmt(day)}
        )
    if not requirements:
        raise ImplementationError(_("Add at least one requirement with its due date."))
    for number, spec in enumerate(requirements, start=1):
        if spec.kind not in RequirementKind.values:
            raise ImplementationError(
                _("Requirement %(n)d: unknown kind '%(kind)s'.") % {"n": number, "kind": spec.kind}
            )
        if spec.due_on < day:
            raise ImplementationError(
                _("Requirement %(n)d: the due date %(due)s is before the assignment date %(date)s.")
                % {"n": number, "due": _fmt(spec.due_on), "date": _fmt(day)}
            )
    if isinstance(scope, str):
        if scope != ScopeKind.SUBTREE:
            raise ImplementationError(_("Unknown scope '%(scope)s'.") % {"scope": scope})
        units = fanout_units(issuing_unit, day)
        scope_kind = ScopeKind.SUBTREE
    else:
        units = _check_chosen(issuing_unit, scope, day)
        scope_kind = ScopeKind.CHOSEN
    if not units:
        raise ImplementationError(
            _("No party organisation to assign under %(unit)s on %(date)s.")
            % {"unit": issuing_unit, "date": _fmt(day)}
        )
    if new_plan is not None:
        if plan is not None:
            raise ImplementationError(_("Choose a registered plan or enter a new one, not both."))
        plan = _register_document(new_plan, unit=issuing_unit, implements=directive)
    if plan is not None:
        if plan.issuing_unit_id not in (None, issuing_unit.pk):
            raise ImplementationError(
                _("The plan %(plan)s was not issued by %(unit)s.")
                % {"plan": plan.symbol, "unit": issuing_unit}
            )
        if plan.pk == directive.pk:
            raise ImplementationError(_("The plan must be the committee's own document."))
        if plan.implements_id is None:
            plan.implements = directive
            plan.save(update_fields=["implements", "updated_at"])

    assignment = Assignment.objects.create(
        directive=directive,
        issuing_unit=issuing_unit,
        plan=plan,
        assigned_on=day,
        scope_kind=scope_kind,
        note=_text(note),
        created_by=acting_user,
    )
    reqs = Requirement.objects.bulk_create(
        [
            Requirement(
                assignment=assignment,
                kind=spec.kind,
                label=_text(spec.label, 300),
                due_on=spec.due_on,
                order=i,
            )
            for i, spec in enumerate(requirements)
        ]
    )
    heads = _heads_on(units, day)
    records = Implementation.objects.bulk_create(
        [
            Implementation(
                assignment=assignment,
                unit=unit,
                responsible=heads[unit.pk].person if unit.pk in heads else None,
                responsible_title=heads[unit.pk].title[:200] if unit.pk in heads else "",
            )
            for unit in units
        ]
    )
    Fulfilment.objects.bulk_create(
        [Fulfilment(implementation=rec, requirement=req) for rec in records for req in reqs]
    )
    return assignment


def _register_document(spec: DocumentSpec, *, unit: Unit, implements: Directive) -> Directive:
    try:
        symbol = parse_symbol(spec.symbol)
    except SymbolError:
        raise ImplementationError(
            _("Document number and symbol: '%(text)s' cannot be read; write it like 05-KH/ĐU.")
            % {"text": spec.symbol}
        ) from None
    if not _text(spec.title):
        raise ImplementationError(_("Document title: enter the title of the document."))
    if spec.issued_on > today():
        raise ImplementationError(
            _("Document date: %(date)s is in the future.") % {"date": _fmt(spec.issued_on)}
        )
    existing = Directive.objects.filter(
        doc_type=symbol.type_code,
        number=symbol.number,
        issuer_code=symbol.issuer_code,
        issued_on=spec.issued_on,
        issuing_unit=unit,
    ).first()
    if existing is not None:
        if existing.implements_id is None:
            existing.implements = implements
            existing.save(update_fields=["implements", "updated_at"])
        return existing
    return Directive.objects.create(
        doc_type=symbol.type_code,
        number=symbol.number,
        issuer_code=symbol.issuer_code,
        issued_on=spec.issued_on,
        title=_text(spec.title, 600),
        issuing_unit=unit,
        implements=implements,
    )


@transaction.atomic
def record_fulfilment(
    *,
    fulfilment: Fulfilment,
    acting_user: User,
    done_on: dt.date | None = None,
    document: Directive | None = None,
    new_document: DocumentSpec | None = None,
    note: str = "",
    files: Sequence[UploadedFile] = (),
    expected_version: int | None = None,
) -> Fulfilment:
    """Mark a requirement done at a unit, with its document and evidence files.

    "Issue an implementing document" needs the document: an existing one from the registry or
    a new one, registered as implementing the assignment's plan (else its directive). Its date
    is the date done unless another is given.
    """
    implementation = fulfilment.implementation
    unit = implementation.unit
    _require_manage(acting_user, unit)
    assignment = implementation.assignment
    requirement = fulfilment.requirement
    if new_document is not None:
        document = _register_document(
            new_document, unit=unit, implements=assignment.guiding_document
        )
    if document is not None and done_on is None:
        done_on = document.issued_on
    if done_on is None:
        raise ImplementationError(_("Date done: enter the date the requirement was done."))
    if done_on > today():
        raise ImplementationError(
            _("Date done: %(date)s is in the future.") % {"date": _fmt(done_on)}
        )
    if done_on < assignment.directive.issued_on:
        raise ImplementationError(
            _("Date done: %(date)s is before the directive was issued (%(issued)s).")
            % {"date": _fmt(done_on), "issued": _fmt(assignment.directive.issued_on)}
        )
    if requirement.kind == RequirementKind.ISSUE_DOCUMENT and document is None:
        raise ImplementationError(
            _("Document: an implementing document is required for this requirement.")
        )
    fulfilment.done_on = done_on
    fulfilment.document = document
    fulfilment.note = _text(note)
    fulfilment.recorded_by = acting_user
    fields = ["done_on", "document", "note", "recorded_by", "updated_at"]
    if expected_version is None:
        expected_version = fulfilment.version
    fulfilment.save_versioned(expected_version=expected_version, update_fields=fields)
    for upload in files:
        save_attachment(owner=fulfilment, upload=upload, acting_user=acting_user)
    return fulfilment


@transaction.atomic
def reopen_fulfilment(
    *, fulfilment: Fulfilment, acting_user: User, reason: str, expected_version: int | None = None
) -> Fulfilment:
    """Undo a fulfilment recorded by mistake; the reason is kept in the note and the audit log."""
    _require_manage(acting_user, fulfilment.implementation.unit)
    if not _text(reason):
        raise ImplementationError(_("Reason: say why the requirement is reopened."))
    fulfilment.done_on = None
    fulfilment.document = None
    fulfilment.note = _("Reopened on %(date)s: %(reason)s") % {
        "date": _fmt(today()),
        "reason": _text(reason),
    }
    fulfilment.recorded_by = acting_user
    fulfilment.save_versioned(
        expected_version=fulfilment.version if expected_version is None else expected_version,
        update_fields=["done_on", "document", "note", "recorded_by", "updated_at"],
    )
    return fulfilment


@transaction.atomic
def set_responsible(
    *,
    implementation: Implementation,
    acting_user: User,
    person: Person | None,
    title: str = "",
    note: str | None = None,
) -> Implementation:
    """Name the person responsible for a unit's implementation record."""
    _require_manage(acting_user, implementation.unit)
    implementation.responsible = person
    implementation.responsible_title = _text(title, 200)
    fields = ["responsible", "responsible_title", "updated_at"]
    if note is not None:
        implementation.note = _text(note)
        fields.append("note")
    implementation.save(update_fields=fields)
    return implementation


@transaction.atomic
def record_reminder(
    *,
    implementation: Implementation,
    acting_user: User,
    sent_on: dt.date,
    method: str,
    note: str,
    requirement: Requirement | None = None,
    document_symbol: str = "",
) -> Reminder:
    """Record an urging (đôn đốc) sent to a unit about its implementation."""
    _require_manage(acting_user, implementation.unit)
    if method not in ReminderMethod.values:
        raise ImplementationError(_("How: choose how the unit was reminded."))
    if not _text(note):
        raise ImplementationError(_("Content: write what the unit was asked to do."))
    if sent_on > today():
        raise ImplementationError(_("Date: %(date)s is in the future.") % {"date": _fmt(sent_on)})
    if requirement is not None and requirement.assignment_id != implementation.assignment_id:
        raise ImplementationError(_("Requirement: it belongs to another assignment."))
    symbol = _text(document_symbol)
    if symbol:
        try:
            symbol = str(parse_symbol(symbol))
        except SymbolError:
            raise ImplementationError(
                _("Letter number and symbol: '%(text)s' cannot be read; write it like 120-CV/TU.")
                % {"text": document_symbol}
            ) from None
    return Reminder.objects.create(
        implementation=implementation,
        requirement=requirement,
        sent_on=sent_on,
        method=method,
        note=_text(note),
        document_symbol=symbol,
        created_by=acting_user,
    )


def _check_task_dates(opened_on: dt.date, deadline: dt.date | None) -> None:
    if opened_on > today():
        raise ImplementationError(
            _("Opened on: %(date)s is in the future.") % {"date": _fmt(opened_on)}
        )
    if deadline is not None and deadline < opened_on:
        raise ImplementationError(
            _("Deadline: %(deadline)s is before the opening date %(date)s.")
            % {"deadline": _fmt(deadline), "date": _fmt(opened_on)}
        )


@transaction.atomic
def create_key_task(
    *,
    unit: Unit,
    kind: str,
    title: str,
    acting_user: User,
    opened_on: dt.date | None = None,
    deadline: dt.date | None = None,
    description: str = "",
    owner: Person | None = None,
    owner_title: str = "",
    directive: Directive | None = None,
) -> KeyTask:
    """Open a key task or a bottleneck for ``unit``."""
    _require_manage(acting_user, unit)
    if kind not in TaskKind.values:
        raise ImplementationError(_("Kind: choose key task or bottleneck."))
    if not _text(title):
        raise ImplementationError(_("Title: enter what the task is."))
    day = opened_on or today()
    _check_task_dates(day, deadline)
    return KeyTask.objects.create(
        unit=unit,
        kind=kind,
        title=_text(title, 300),
        description=_text(description),
        owner=owner,
        owner_title=_text(owner_title, 200),
        deadline=deadline,
        opened_on=day,
        directive=directive,
        created_by=acting_user,
    )


@transaction.atomic
def update_key_task(
    *,
    task: KeyTask,
    acting_user: User,
    expected_version: int,
    title: str,
    description: str,
    owner: Person | None,
    owner_title: str,
    deadline: dt.date | None,
    opened_on: dt.date,
    directive: Directive | None,
) -> KeyTask:
    """Change a task's description, owner or deadline (refused if someone changed it since)."""
    _require_manage(acting_user, task.unit)
    if not _text(title):
        raise ImplementationError(_("Title: enter what the task is."))
    _check_task_dates(opened_on, deadline)
    task.title = _text(title, 300)
    task.description = _text(description)
    task.owner = owner
    task.owner_title = _text(owner_title, 200)
    task.deadline = deadline
    task.opened_on = opened_on
    task.directive = directive
    task.save_versioned(
        expected_version=expected_version,
        update_fields=[
            "title",
            "description",
            "owner",
            "owner_title",
            "deadline",
            "opened_on",
            "directive",
            "updated_at",
        ],
    )
    return task


@transaction.atomic
def add_task_progress(
    *,
    task: KeyTask,
    acting_user: User,
    date: dt.date,
    text: str,
    status: str = "",
    expected_version: int | None = None,
) -> KeyTaskUpdate:
    """Add a dated progress entry; ``status`` done/dropped closes the task, open reopens it."""
    _require_manage(acting_user, task.unit)
    if not _text(text):
        raise ImplementationError(_("Progress: write what was done or what is blocking."))
    if date > today():
        raise ImplementationError(_("Date: %(date)s is in the future.") % {"date": _fmt(date)})
    if date < task.opened_on:
        raise ImplementationError(
            _("Date: %(date)s is before the task was opened (%(opened)s).")
            % {"date": _fmt(date), "opened": _fmt(task.opened_on)}
        )
    if status and status not in TaskStatus.values:
        raise ImplementationError(_("Status: unknown status '%(status)s'.") % {"status": status})
    if status and status != task.status:
        task.status = status
        task.closed_on = None if status == TaskStatus.OPEN else date
        task.save_versioned(
            expected_version=task.version if expected_version is None else expected_version,
            update_fields=["status", "closed_on", "updated_at"],
        )
    return KeyTaskUpdate.objects.create(
        task=task, date=date, text=_text(text), status_after=status, recorded_by=acting_user
    )
