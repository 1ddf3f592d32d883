"""Inspection and supervision (kiểm tra, giám sát), criticism and remedial commitments.

- ``Catalogue`` / ``CatalogueItem``: dated, cited reference lists (the 27 manifestations of NQ
  04-NQ/TW, the 19 prohibitions of QĐ 37-QĐ/TW, the violation groups of QĐ 69-QĐ/TW and their
  predecessors and reported successors), loaded from ``oversight/data/*.csv``; items the
  research could not read verbatim are present with their topic and flagged for completion.
- ``Programme`` / ``ProgrammeItem``: the annual KTGS programme of a committee, its standing
  committee, its inspection commission or a cell, and its planned (or ad hoc) items.
- ``Case``: one inspection, thematic supervision or state inspection, with its subjects, team,
  directives in scope, the steps of its three phases, findings and conclusion.
- ``SupervisionActivity``: a dated act of regular supervision (giám sát thường xuyên).
- ``Criticism``: a body's criticism (phê bình) of a collective and/or its head.
- ``Commitment`` / ``CommitmentItem`` / ``FollowUp``: the remedial commitment written after a
  criticism, a conclusion or an annual review, its items with deadlines, and the follow-up
  supervision entries. Its origin is generic (content type + id) so any app can create one.

Every record is scoped by the unit that owns it (the conducting body, the criticising body, the
supervising body of a commitment): ``giamsat.accounts.scoping`` with the paths named in
``SCOPE_PATHS``.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from giamsat.core.dates import today
from giamsat.core.models import TimeStampedModel, VersionedModel

# --- catalogues -------------------------------------------------------------------------------


class CatalogueKind(models.TextChoices):
    MANIFESTATION = "manifestation", _("manifestations of degradation")
    PROHIBITION = "prohibition", _("things party members must not do")
    VIOLATION_GROUP_MEMBER = "violation_group_member", _("violation groups (members)")
    VIOLATION_GROUP_ORGANISATION = (
        "violation_group_organisation",
        _("violation groups (organisations)"),
    )


class CatalogueQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> CatalogueQuerySet:
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


class Catalogue(TimeStampedModel):
    """A dated, cited reference list (one generation of one regulation)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=CatalogueKind.choices)
    title = models.CharField(_("title"), max_length=300)
    source_document = models.CharField(_("source document"), max_length=300)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # The document itself is reported only by unofficial sources (e.g. QĐ 207-QĐ/TW, 2026).
    unconfirmed = models.BooleanField(_("unconfirmed"), default=False)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("where it was read"), max_length=500, blank=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "valid_from", "code"]
        verbose_name = _("catalogue")
        verbose_name_plural = _("catalogues")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("oversight:catalogue", args=[self.code])


class ItemStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("read verbatim")
    PARTIAL = "partial", _("partly read")
    UNCONFIRMED = "unconfirmed", _("unconfirmed, to be completed")


class CatalogueItem(TimeStampedModel):
    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=20)
    group = models.CharField(_("group"), max_length=10, blank=True)
    number = models.PositiveSmallIntegerField(_("order"))
    label = models.CharField(_("short label"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.UNCONFIRMED
    )
    # A topic shared across generations of a catalogue (e.g. "ethics_lifestyle" in QĐ 102 and
    # QĐ 69), so figures can group violations judged under different regulations.
    topic = models.SlugField(_("topic"), max_length=40, blank=True)
    source = models.CharField(_("where it was read"), max_length=500, blank=True)
    completed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["catalogue", "group", "number"]
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="catalogue_item_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.label}"

    @property
    def needs_completion(self) -> bool:
        return self.status != ItemStatus.CONFIRMED


# --- programmes --------------------------------------------------------------------------------


class CaseKind(models.TextChoices):
    """Kinds as counted in real reports (rules.md §2.1, §2.2)."""

    VIOLATION_SIGNS = "violation_signs", _("inspection on signs of violation")
    TASK_PERFORMANCE = (
        "task_performance",
        _("inspection of inspection, supervision and discipline tasks"),
    )
    FINANCE = "finance", _("financial inspection")
    COMPLIANCE = "compliance", _("compliance inspection (committee or cell)")
    THEMATIC_SUPERVISION = "thematic_supervision", _("thematic supervision")
    STATE_INSPECTION = "state_inspection", _("state inspection")


PARTY_INSPECTION_KINDS = (
    CaseKind.VIOLATION_SIGNS,
    CaseKind.TASK_PERFORMANCE,
    CaseKind.FINANCE,
    CaseKind.COMPLIANCE,
)
# What the report's "cuộc kiểm tra, thanh tra" counts: party inspections and state inspections.
INSPECTION_KINDS = (*PARTY_INSPECTION_KINDS, CaseKind.STATE_INSPECTION)


class Programme(TimeStampedModel):
    """The annual inspection and supervision programme of a body."""

    conducting_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="oversight_programmes",
        verbose_name=_("conducting body"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    document_symbol = models.CharField(_("number and symbol"), max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-year", "conducting_unit__name_sort"]
        verbose_name = _("inspection and supervision programme")
        verbose_name_plural = _("inspection and supervision programmes")
        constraints = [
            models.UniqueConstraint(fields=["conducting_unit", "year"], name="programme_unit_year"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("oversight:programme", args=[self.pk])


class ItemProgress(models.TextChoices):
    DONE = "done", _("done")
    IN_PROGRESS = "in_progress", _("in progress")
    NOT_STARTED = "not_started", _("not started")


class ProgrammeItem(TimeStampedModel):
    """A planned item (subject, content, period); ``ad_hoc`` when added during the year."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=30, choices=CaseKind.choices)
    subject_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subject (collective)"),
    )
    subject_person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subject (individual)"),
    )
    subject_text = models.CharField(_("subjects as written"), max_length=300, blank=True)
    content = models.TextField(_("content"))
    planned_start = models.DateField(_("planned from"))
    planned_end = models.DateField(_("planned to"))
    ad_hoc = models.BooleanField(_("added during the year"), default=False)

    class Meta:
        ordering = ["planned_start", "pk"]
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")),
                name="programme_item_period",
            ),
        ]

    def __str__(self) -> str:
        return self.content[:80]

    def progress(self) -> ItemProgress:
        """Done when a case of this item is concluded; in progress when one is open."""
        statuses = {c.status for c in self.cases.all()}
        if CaseStatus.CONCLUDED in statuses:
            return ItemProgress.DONE
        if CaseStatus.OPEN in statuses:
            return ItemProgress.IN_PROGRESS
        return ItemProgress.NOT_STARTED


# --- cases -------------------------------------------------------------------------------------


class CaseStatus(models.TextChoices):
    OPEN = "open", _("open")
    CONCLUDED = "concluded", _("concluded")
    CANCELLED = "cancelled", _("cancelled")


class Phase(models.TextChoices):
    PREPARATION = "preparation", _("preparation")
    EXECUTION = "execution", _("execution")
    CONCLUSION = "conclusion", _("closing")


class StepKind(models.TextChoices):
    """Steps of the three phases (rules.md §2.3), in order."""

    DECISION = "decision", _("decision and team")
    PLAN = "plan", _("plan")
    EXPLANATORY_REPORT = "explanatory_report", _("explanatory report of the subject")
    VERIFICATION = "verification", _("verification")
    DRAFT_RESULT = "draft_result", _("draft result report")
    CONCLUSION = "conclusion", _("conclusion")
    CONCLUSION_NOTICE = "conclusion_notice", _("notice of conclusion")


STEP_PHASE = {
    StepKind.DECISION: Phase.PREPARATION,
    StepKind.PLAN: Phase.PREPARATION,
    StepKind.EXPLANATORY_REPORT: Phase.EXECUTION,
    StepKind.VERIFICATION: Phase.EXECUTION,
    StepKind.DRAFT_RESULT: Phase.EXECUTION,
    StepKind.CONCLUSION: Phase.CONCLUSION,
    StepKind.CONCLUSION_NOTICE: Phase.CONCLUSION,
}
STEP_ORDER = list(StepKind)


class Case(VersionedModel, TimeStampedModel):
    """An inspection, a thematic supervision or a state inspection.

    State machine: ``open`` (preparation → execution → conclusion, following the steps
    recorded) → ``concluded`` (conclusion recorded; read-only except follow-up) or
    ``cancelled`` (with a reason). Edited by several people: saved with ``save_versioned``.
    """

    kind = models.CharField(_("kind"), max_length=30, choices=CaseKind.choices)
    # The conducting party body (a committee, its standing committee or inspection commission,
    # a cell). For a state inspection: the party organisation whose area it covers and which
    # records it; the inspecting state body is ``state_body``.
    conducting_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="oversight_cases",
        verbose_name=_("conducting body"),
    )
    state_body = models.CharField(_("inspecting state body"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=300)
    content = models.TextField(_("content"), blank=True)
    programme_item = models.ForeignKey(
        ProgrammeItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("programme item"),
    )
    reinspection_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reinspections",
        verbose_name=_("re-inspection of"),
    )
    decided_on = models.DateField(_("decided on"))
    decision_symbol = models.CharField(_("decision number and symbol"), max_length=60, blank=True)
    period_from = models.DateField(_("period inspected from"), null=True, blank=True)
    period_to = models.DateField(_("period inspected to"), null=True, blank=True)
    directives = models.ManyToManyField(
        "directives.Directive", blank=True, related_name="oversight_cases"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    # Conclusion (kết luận)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    conclusion_symbol = models.CharField(
        _("conclusion number and symbol"), max_length=60, blank=True
    )
    strengths = models.TextField(_("strengths"), blank=True)
    shortcomings = models.TextField(_("shortcomings"), blank=True)
    violations = models.TextField(_("violations"), blank=True)
    recommendations = models.TextField(_("requests and recommendations"), blank=True)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("inspection or supervision")
        verbose_name_plural = _("inspections and supervisions")
        indexes = [
            # figures: cases of a kind decided in a period (joined to the closure on the unit)
            models.Index(fields=["kind", "decided_on"], name="case_kind_date_idx"),
            models.Index(fields=["conducting_unit", "decided_on"], name="case_unit_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="state_inspection") | ~Q(state_body=""),
                name="case_state_body_required",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("oversight:case", args=[self.pk])

    @property
    def is_supervision(self) -> bool:
        return self.kind == CaseKind.THEMATIC_SUPERVISION

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    def phase(self) -> Phase:
        """The phase of the latest step recorded (preparation before any)."""
        kinds = {s.kind for s in self.steps.all()}
        for kind in reversed(STEP_ORDER):
            if kind in kinds:
                return STEP_PHASE[kind]
        return Phase.PREPARATION


class CaseSubject(models.Model):
    """A subject of a case: a collective (unit), an individual (person), or — for a state
    inspection — an agency outside the party tree named in ``name``; exactly one of them."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subjects")
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="oversight_subject_of",
        verbose_name=_("collective"),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="oversight_subject_of",
        verbose_name=_("individual"),
    )
    name = models.CharField(_("agency (outside the party tree)"), max_length=200, blank=True)
    position = models.CharField(_("post at the time"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(person__isnull=True) & Q(name=""))
                | (Q(unit__isnull=True) & Q(person__isnull=False) & Q(name=""))
                | (Q(unit__isnull=True) & Q(person__isnull=True) & ~Q(name="")),
                name="case_subject_exactly_one",
            ),
            models.UniqueConstraint(fields=["case", "unit"], name="case_subject_unit"),
            models.UniqueConstraint(fields=["case", "person"], name="case_subject_person"),
        ]
        indexes = [
            models.Index(fields=["person"], name="case_subject_person_idx"),
        ]

    def __str__(self) -> str:
        return str(self.unit or self.person or self.name)

    def get_absolute_url(self) -> str:
        return self.case.get_absolute_url()

    @property
    def is_collective(self) -> bool:
        return self.unit_id is not None


class TeamRole(models.TextChoices):
    HEAD = "head", _("head of the team")
    DEPUTY_HEAD = "deputy_head", _("deputy head")
    MEMBER = "member", _("member")
    SECRETARY = "secretary", _("secretary of the team")


class TeamMember(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=TeamRole.choices)
    agency = models.CharField(_("agency"), max_length=200, blank=True)

    class Meta:
        ordering = ["case", "role", "pk"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(name=""), name="team_member_named"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.name} ({self.get_role_display()})"

    @property
    def display_name(self) -> str:
        return str(self.person) if self.person_id else self.name


class CaseStep(TimeStampedModel):
    """A dated step of a phase with its document (number and symbol) and attachments."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=24, choices=StepKind.choices)
    date = models.DateField(_("date"))
    document_symbol = models.CharField(_("document number and symbol"), max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"

    @property
    def phase(self) -> Phase:
        return STEP_PHASE[StepKind(self.kind)]


class FindingKind(models.TextChoices):
    STRENGTH = "strength", _("strength")
    SHORTCOMING = "shortcoming", _("shortcoming")
    VIOLATION = "violation", _("violation")


class Finding(TimeStampedModel):
    """A finding of a case, coded on a catalogue item where it fits."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="findings")
    subject = models.ForeignKey(
        CaseSubject,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("subject"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=FindingKind.choices)
    catalogue_item = models.ForeignKey(
        CatalogueItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("catalogue code"),
    )
    text = models.TextField(_("finding"))
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "kind", "pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.text[:80]


# --- regular supervision -----------------------------------------------------------------------


class SupervisionMethod(models.TextChoices):
    """QĐ 86-QĐ/TW (2017), dongnai.dcs.vn: direct or indirect regular supervision."""

    DIRECT = "direct", _("direct (attending meetings, hearing reports, dialogue)")
    INDIRECT = "indirect", _("indirect (reports, documents, media, letters)")


class SupervisionActivity(TimeStampedModel):
    """A dated act of regular supervision (giám sát thường xuyên)."""

    conducting_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="supervision_activities",
        verbose_name=_("conducting body"),
    )
    date = models.DateField(_("date"))
    method = models.CharField(_("method"), max_length=10, choices=SupervisionMethod.choices)
    subject_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subject (collective)"),
    )
    subject_person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subject (individual)"),
    )
    content = models.TextField(_("content"))
    observations = models.TextField(_("observations"), blank=True)
    reminder_needed = models.BooleanField(_("reminder or correction needed"), default=False)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("regular supervision")
        verbose_name_plural = _("regular supervision")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.content[:60]}"


# --- criticism ---------------------------------------------------------------------------------


class Criticism(TimeStampedModel):
    """A body criticises (phê bình) a collective and/or its head, on a date, for a reason."""

    by_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="criticisms_made",
        verbose_name=_("criticising body"),
    )
    date = models.DateField(_("date"))
    subject_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="criticisms_received",
        verbose_name=_("collective criticised"),
    )
    subject_person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="criticisms_received",
        verbose_name=_("head or individual criticised"),
    )
    subject_position = models.CharField(_("post at the time"), max_length=200, blank=True)
    reason = models.TextField(_("reason"))
    document_symbol = models.CharField(_("document number and symbol"), max_length=60, blank=True)
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="criticisms",
        verbose_name=_("from the case"),
    )
    directives = models.ManyToManyField(
        "directives.Directive", blank=True, related_name="criticisms"
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("criticism")
        verbose_name_plural = _("criticisms")
        constraints = [
            models.CheckConstraint(
                condition=Q(subject_unit__isnull=False) | Q(subject_person__isnull=False),
                name="criticism_has_subject",
            ),
        ]

    def __str__(self) -> str:
        who = " – ".join(str(x) for x in (self.subject_unit, self.subject_person) if x)
        return f"{self.date:%d/%m/%Y} {who}"

    def get_absolute_url(self) -> str:
        return reverse("oversight:criticism", args=[self.pk])


# --- commitments -------------------------------------------------------------------------------


class CommitmentOrigin(models.TextChoices):
    CRITICISM = "criticism", _("after a criticism")
    CONCLUSION = "conclusion", _("after an inspection or supervision conclusion")
    ANNUAL_REVIEW = "annual_review", _("after the annual review")
    OTHER = "other", _("other")


class Commitment(TimeStampedModel):
    """A remedial commitment (bản cam kết) of a collective or a person.

    ``supervising_unit`` follows it up (the body that criticised or concluded) and owns it for
    scoping. The origin is generic: any record (a criticism, a case, an evaluation) through
    ``origin_type``/``origin_id``, with a readable ``origin_label``.
    """

    subject_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("collective"),
    )
    subject_person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("individual"),
    )
    supervising_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="commitments_supervised",
        verbose_name=_("supervising body"),
    )
    origin_kind = models.CharField(_("origin"), max_length=16, choices=CommitmentOrigin.choices)
    origin_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    origin_id = models.PositiveBigIntegerField(null=True, blank=True)
    origin_label = models.CharField(_("origin record"), max_length=300, blank=True)
    signed_on = models.DateField(_("signed on"))
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("remedial commitment")
        verbose_name_plural = _("remedial commitments")
        constraints = [
            models.CheckConstraint(
                condition=Q(subject_unit__isnull=False) | Q(subject_person__isnull=False),
                name="commitment_has_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["origin_type", "origin_id"], name="commitment_origin_idx"),
        ]

    def __str__(self) -> str:
        who = " – ".join(str(x) for x in (self.subject_unit, self.subject_person) if x)
        return f"{who} ({self.signed_on:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("oversight:commitment", args=[self.pk])

    def origin(self) -> models.Model | None:
        if self.origin_type_id is None or self.origin_id is None:
            return None
        model = self.origin_type.model_class()
        if model is None:
            return None
        return model._default_manager.filter(pk=self.origin_id).first()


class CommitmentItemStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")
    WITHDRAWN = "withdrawn", _("withdrawn")


class CommitmentItemQuerySet(models.QuerySet):
    def open_on(self, day: dt.date) -> CommitmentItemQuerySet:
        """Items not yet closed (or withdrawn) on ``day``: closed later, or never."""
        return self.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))

    def overdue_on(self, day: dt.date) -> CommitmentItemQuerySet:
        return self.open_on(day).filter(due_on__lt=day)

    def closed_by(self, day: dt.date) -> CommitmentItemQuerySet:
        return self.filter(status=CommitmentItemStatus.CLOSED, closed_on__lte=day)


class CommitmentItem(TimeStampedModel):
    """One thing to correct, with a deadline. Closing it needs evidence and a justification."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="items")
    text = models.TextField(_("what will be corrected"))
    due_on = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CommitmentItemStatus.choices,
        default=CommitmentItemStatus.OPEN,
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    justification = models.TextField(_("justification for closing"), blank=True)
    closed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CommitmentItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("commitment item")
        verbose_name_plural = _("commitment items")
        indexes = [models.Index(fields=["status", "due_on"], name="commitment_item_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_on__isnull=False) & ~Q(justification="")),
                name="commitment_item_closed_justified",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("oversight:commitment", args=[self.commitment_id])

    def is_overdue(self, on: dt.date | None = None) -> bool:
        day = on or today()
        return self.status == CommitmentItemStatus.OPEN and self.due_on < day


class FollowUpKind(models.TextChoices):
    SUPERVISION = "supervision", _("follow-up supervision")
    VERIFICATION = "verification", _("verification of the correction")
    REINSPECTION = "reinspection", _("re-inspection")


class FollowUpAssessment(models.TextChoices):
    ON_TRACK = "on_track", _("correcting as committed")
    INSUFFICIENT = "insufficient", _("not enough progress")
    CORRECTED = "corrected", _("corrected")


class FollowUp(TimeStampedModel):
    """A follow-up supervision entry (giám sát sau kiểm điểm) on a commitment."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="follow_ups")
    item = models.ForeignKey(
        CommitmentItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("item"),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=14, choices=FollowUpKind.choices)
    by_unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    assessment = models.CharField(
        _("assessment"), max_length=14, choices=FollowUpAssessment.choices
    )
    note = models.TextField(_("note"), blank=True)
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("re-inspection case"),
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"


# Scoping paths (giamsat.accounts.scoping) of each record type.
SCOPE_PATHS = {
    Programme: "conducting_unit",
    Case: "conducting_unit",
    SupervisionActivity: "conducting_unit",
    Criticism: "by_unit",
    Commitment: "supervising_unit",
}
