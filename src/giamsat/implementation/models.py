"""Implementation of directives across units, and key tasks and bottlenecks.

A committee puts a directive into implementation (``Assignment``) with its requirements
(``Requirement``: issue an implementing document, organise study, report, each by a due date)
for a set of units read on the tree of the assignment date. Every assigned unit gets one
``Implementation`` record (responsible person, notes, reminders) and one ``Fulfilment`` per
requirement (done on which date, with which document, evidence files). The status of a
fulfilment (done / late / missing / not due) is never stored: it follows from the dates and the
day it is judged on (``rules.requirement_status``); ``FulfilmentQuerySet.with_status`` computes
the same thing in SQL so that roll-ups are single grouped queries.

Implementing documents are ``directives.Directive`` rows whose ``implements`` points at the
document they implement, so the cascade NQ → tỉnh ủy KH → thành ủy KH → phường KH is
navigable both ways in the directive registry.

``KeyTask`` holds key tasks and bottlenecks (nhiệm vụ trọng tâm, điểm nghẽn) of a unit with
dated progress entries (``KeyTaskUpdate``). Its state machine: open → done | dropped (closing
sets ``closed_on``); "overdue" is derived (open past the deadline, ``rules.task_state``).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from giamsat.core.models import TimeStampedModel, VersionedModel
from giamsat.implementation.rules import ItemStatus, TaskState, requirement_status, task_state


class RequirementKind(models.TextChoices):
    ISSUE_DOCUMENT = "issue_document", _("issue an implementing document")
    ORGANISE_STUDY = "organise_study", _("organise study")
    REPORT = "report", _("report on implementation")
    OTHER = "other", _("other task")


class ScopeKind(models.TextChoices):
    SUBTREE = "subtree", _("every organisation down to grassroots level")
    CHOSEN = "chosen", _("chosen organisations")


class Status(models.TextChoices):
    """Labels of ``rules.ItemStatus`` (same values)."""

    DONE = ItemStatus.DONE.value, _("done on time")
    LATE = ItemStatus.LATE.value, _("done late")
    MISSING = ItemStatus.MISSING.value, _("missing (overdue)")
    NOT_DUE = ItemStatus.NOT_DUE.value, _("not yet due")


class Assignment(TimeStampedModel):
    """A directive put into implementation by a committee for a set of units."""

    directive = models.ForeignKey(
        "directives.Directive",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("directive"),
    )
    issuing_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="issued_assignments",
        verbose_name=_("assigned by"),
    )
    # The assigning committee's own implementing document (its plan), if any: the documents
    # of the assigned units implement this one.
    plan = models.ForeignKey(
        "directives.Directive",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_assignments",
        verbose_name=_("implementing plan"),
    )
    assigned_on = models.DateField(_("assigned on"))
    scope_kind = models.CharField(
        _("assigned to"), max_length=10, choices=ScopeKind.choices, default=ScopeKind.SUBTREE
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-assigned_on", "-pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [
            # assignments issued by a unit (unit pages, "assigned by me")
            models.Index(fields=["issuing_unit", "assigned_on"], name="assignment_issuer_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.directive.symbol} · {self.issuing_unit.name}"

    def get_absolute_url(self) -> str:
        return reverse("implementation:assignment", args=[self.pk])

    @property
    def guiding_document(self):
        """The document the assigned units' documents implement: the plan, else the directive."""
        return self.plan or self.directive


class Requirement(models.Model):
    """What every assigned unit must do, by when."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="requirements"
    )
    kind = models.CharField(_("requirement"), max_length=20, choices=RequirementKind.choices)
    label = models.CharField(_("description"), max_length=300, blank=True)
    due_on = models.DateField(_("due on"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["assignment", "order", "pk"]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")

    def __str__(self) -> str:
        return self.label or str(self.get_kind_display())

    @property
    def title(self) -> str:
        return capfirst(self.label or str(self.get_kind_display()))


class Implementation(TimeStampedModel):
    """One assigned unit's record of implementing an assignment."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="implementations"
    )
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="implementations",
        verbose_name=_("party organisation"),
    )
    responsible = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    responsible_title = models.CharField(_("responsible person's post"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("implementation record")
        verbose_name_plural = _("implementation records")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "unit"], name="implementation_unique")
        ]
        indexes = [
            # records of a subtree: join on unit from the closure table
            models.Index(fields=["unit", "assignment"], name="implementation_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} · {self.assignment.directive.symbol}"

    def get_absolute_url(self) -> str:
        return reverse("implementation:record", args=[self.pk])


class FulfilmentQuerySet(models.QuerySet):
    def with_status(self, on: dt.date) -> FulfilmentQuerySet:
        """Annotate ``status`` (the SQL twin of ``rules.requirement_status``), ``due_on`` and
        ``judged_on`` (the day the status is judged on)."""
        done_by_then = Q(done_on__isnull=False, done_on__lte=on)
        return self.annotate(
            judged_on=Value(on, output_field=models.DateField()),
            due_on=F("requirement__due_on"),
            status=Case(
                When(done_by_then & Q(done_on__lte=F("requirement__due_on")), then=Value("done")),
                When(done_by_then, then=Value("late")),
                When(requirement__due_on__lt=on, then=Value("missing")),
                default=Value("not_due"),
                output_field=models.CharField(),
            ),
        )


class Fulfilment(VersionedModel, TimeStampedModel):
    """Whether (and when, with which document) one unit fulfilled one requirement."""

    implementation = models.ForeignKey(
        Implementation, on_delete=models.CASCADE, related_name="fulfilments"
    )
    requirement = models.ForeignKey(
        Requirement, on_delete=models.CASCADE, related_name="fulfilments"
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    document = models.ForeignKey(
        "directives.Directive",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fulfilments",
        verbose_name=_("document"),
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = FulfilmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("requirement fulfilment")
        verbose_name_plural = _("requirement fulfilments")
        constraints = [
            models.UniqueConstraint(
                fields=["implementation", "requirement"], name="fulfilment_unique"
            )
        ]
        indexes = [
            # documents issued in a period (indicator implementation.documents_issued)
            models.Index(fields=["done_on"], name="fulfilment_done_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.implementation_id}/{self.requirement_id}"

    def get_absolute_url(self) -> str:
        return reverse("implementation:fulfilment", args=[self.pk])

    def status_on(self, on: dt.date) -> ItemStatus:
        return requirement_status(due_on=self.requirement.due_on, done_on=self.done_on, on=on)


class ReminderMethod(models.TextChoices):
    DOCUMENT = "document", _("official letter")
    PHONE = "phone", _("phone call")
    MEETING = "meeting", _("at a meeting")
    MESSAGE = "message", _("message")


class Reminder(TimeStampedModel):
    """An urging (đôn đốc) sent to a unit that is late or missing."""

    implementation = models.ForeignKey(
        Implementation, on_delete=models.CASCADE, related_name="reminders"
    )
    requirement = models.ForeignKey(
        Requirement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("requirement"),
    )
    sent_on = models.DateField(_("date"))
    method = models.CharField(_("how"), max_length=10, choices=ReminderMethod.choices)
    document_symbol = models.CharField(_("letter number and symbol"), max_length=40, blank=True)
    note = models.TextField(_("content"))
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self) -> str:
        return f"{self.sent_on:%d/%m/%Y} {self.get_method_display()}"


class TaskKind(models.TextChoices):
    KEY_TASK = "key_task", _("key task")
    BOTTLENECK = "bottleneck", _("bottleneck")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


class TaskStateLabel(models.TextChoices):
    """Labels of ``rules.TaskState`` (same values)."""

    OPEN = TaskState.OPEN.value, _("in progress")
    OVERDUE = TaskState.OVERDUE.value, _("overdue")
    DONE = TaskState.DONE.value, _("done")
    DONE_LATE = TaskState.DONE_LATE.value, _("done late")
    DROPPED = TaskState.DROPPED.value, _("dropped")


class KeyTaskQuerySet(models.QuerySet):
    def open_on(self, on: dt.date) -> KeyTaskQuerySet:
        """Opened on or before ``on`` and not closed by then."""
        return self.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on), opened_on__lte=on)

    def with_state(self, on: dt.date) -> KeyTaskQuerySet:
        """Annotate ``state`` (the SQL twin of ``rules.task_state``)."""
        closed = Q(closed_on__isnull=False, closed_on__lte=on)
        return self.annotate(
            state=Case(
                When(closed & Q(status=TaskStatus.DROPPED), then=Value("dropped")),
                When(
                    closed & Q(deadline__isnull=False, closed_on__gt=F("deadline")),
                    then=Value("done_late"),
                ),
                When(closed, then=Value("done")),
                When(deadline__isnull=False, deadline__lt=on, then=Value("overdue")),
                default=Value("open"),
                output_field=models.CharField(),
            )
        )


class KeyTask(VersionedModel, TimeStampedModel):
    """A key task or a bottleneck a unit's committee follows until it is done or dropped."""

    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="key_tasks",
        verbose_name=_("party organisation"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=TaskKind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person in charge"),
    )
    owner_title = models.CharField(_("in charge (post or body)"), max_length=200, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    directive = models.ForeignKey(
        "directives.Directive",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="key_tasks",
        verbose_name=_("related directive"),
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = KeyTaskQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("key task or bottleneck")
        verbose_name_plural = _("key tasks and bottlenecks")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | (~Q(status="open") & Q(closed_on__isnull=False)),
                name="keytask_closed_consistent",
            )
        ]
        indexes = [models.Index(fields=["unit", "kind", "opened_on"], name="keytask_unit_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("implementation:key_task", args=[self.pk])

    def state_on(self, on: dt.date) -> TaskState:
        return task_state(
            deadline=self.deadline,
            closed_on=self.closed_on,
            dropped=self.status == TaskStatus.DROPPED,
            on=on,
        )


class KeyTaskUpdate(TimeStampedModel):
    """A dated progress entry of a key task (what was done, what is blocking)."""

    task = models.ForeignKey(KeyTask, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    status_after = models.CharField(
        _("status after this entry"), max_length=10, choices=TaskStatus.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}"
