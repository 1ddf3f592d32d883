"""Annual review, evaluation and quality classification (kiểm điểm, đánh giá, xếp loại chất lượng).

- ``Campaign``: the review of one period (a year; a quarter or a term where QĐ 366 allows it)
  organised by one party organisation over its subtree, with the rule set in force on the
  period's last day, the plan and the deadlines (HD 43-HD/BTCTW mục 4).
- ``Evaluation``: one subject of a campaign — a collective (a cell, a party committee, a
  standing committee) or an individual member — and its three steps (QĐ 366 Điều 12 khoản 1;
  QĐ 124 Điều 11): self-assessment on the 100-point frame, the advisory body's proposal (with
  the ``Opinion`` rows it used), the competent level's decision. The caps the records put on
  the level are kept as they stood at the last step (``caps``, ``cap_level``); a step above a
  cap, or a decision that breaks the quota, carries its reason.
- ``ReviewSession`` / ``ReviewPoint``: the review session (kiểm điểm) of a collective and the
  self-criticism and criticism points raised for each subject; points lead to remedial
  commitments stored by the oversight app (``oversight.Commitment``, origin = the evaluation).
- ``QuotaSetting``: an administrator's value of the "xuất sắc" quota for a rule set;
  ``OutstandingDecision``: the competent level's decision raising it for an outstanding
  organisation (up to 25 %, QĐ 366 Điều 11 khoản 1.5).

Evaluations are scoped by ``unit`` (the collective itself, or the member's cell).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from giamsat.core.models import TimeStampedModel, VersionedModel
from giamsat.evaluation import rules
from giamsat.evaluation.rules import (
    LEVEL_LABELS,
    Category,
    CollectiveKind,
    Level,
    PeriodKind,
    SubjectKind,
)


class LevelChoice(models.TextChoices):
    HOAN_THANH_XUAT_SAC = Level.HOAN_THANH_XUAT_SAC.value, LEVEL_LABELS[Level.HOAN_THANH_XUAT_SAC]
    HOAN_THANH_TOT = Level.HOAN_THANH_TOT.value, LEVEL_LABELS[Level.HOAN_THANH_TOT]
    HOAN_THANH = Level.HOAN_THANH.value, LEVEL_LABELS[Level.HOAN_THANH]
    KHONG_HOAN_THANH = Level.KHONG_HOAN_THANH.value, LEVEL_LABELS[Level.KHONG_HOAN_THANH]


class PeriodKindChoice(models.TextChoices):
    ANNUAL = PeriodKind.ANNUAL.value, _("annual")
    QUARTER = PeriodKind.QUARTER.value, _("quarterly")
    TERM = PeriodKind.TERM.value, _("for the term")


class SubjectKindChoice(models.TextChoices):
    COLLECTIVE = SubjectKind.COLLECTIVE.value, _("collective")
    INDIVIDUAL = SubjectKind.INDIVIDUAL.value, _("individual")


class CollectiveKindChoice(models.TextChoices):
    STANDING_COMMITTEE = CollectiveKind.STANDING_COMMITTEE.value, _("standing committee")
    COMMITTEE = CollectiveKind.COMMITTEE.value, _("party committee")
    CELL = CollectiveKind.CELL.value, _("cell")


class CategoryChoice(models.TextChoices):
    LEADER = Category.LEADER.value, _("holds a leadership or management post")
    STAFF = Category.STAFF.value, _("works in the political system, no leadership post")
    OUTSIDE = Category.OUTSIDE.value, _("does not work in the political system")


RULE_SET_CHOICES = [(r.code, r.title) for r in rules.RULE_SETS]


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Campaign(VersionedModel, TimeStampedModel):
    """The review of one period by one organisation over its subtree.

    State machine: ``open`` (subjects go through their three steps) → ``closed`` (no more
    changes; reopened by the organiser only).
    """

    organiser = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="evaluation_campaigns",
        verbose_name=_("organised by"),
    )
    title = models.CharField(pgettext_lazy("rating", "title"), max_length=300)
    period_kind = models.CharField(
        _("period"), max_length=10, choices=PeriodKindChoice.choices, default=PeriodKind.ANNUAL
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    rule_set = models.CharField(_("rule set"), max_length=20, choices=RULE_SET_CHOICES)
    plan_symbol = models.CharField(_("plan number and symbol"), max_length=60, blank=True)
    plan_issued_on = models.DateField(_("plan issued on"), null=True, blank=True)
    sessions_due = models.DateField(_("review sessions to finish by"))
    # HD 43 mục 4.1: units that do not sum up their year at year end finish by 15/01.
    special_units = models.BooleanField(_("units with a special calendar"), default=False)
    status = models.CharField(
        _("status"), max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-period_end", "organiser__name_sort", "pk"]
        verbose_name = _("review campaign")
        verbose_name_plural = _("review campaigns")
        constraints = [
            models.UniqueConstraint(
                fields=["organiser", "period_kind", "period_start", "period_end"],
                name="campaign_unique_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="campaign_period"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evaluation:campaign", args=[self.pk])

    @property
    def rules(self) -> rules.RuleSet:
        return rules.rule_set(self.rule_set)

    @property
    def is_open(self) -> bool:
        return self.status == CampaignStatus.OPEN

    def deadlines(self) -> rules.Deadlines:
        return rules.annual_deadlines(self.period_end.year, rules=self.rules)


class EvaluationStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the self-assessment")
    SELF_ASSESSED = "self_assessed", _("self-assessed")
    PROPOSED = "proposed", _("proposed by the advisory body")
    DECIDED = "decided", _("decided")


class EvaluationQuerySet(models.QuerySet):
    def collectives(self) -> EvaluationQuerySet:
        return self.filter(subject_kind=SubjectKind.COLLECTIVE)

    def individuals(self) -> EvaluationQuerySet:
        return self.filter(subject_kind=SubjectKind.INDIVIDUAL)

    def decided(self) -> EvaluationQuerySet:
        return self.filter(status=EvaluationStatus.DECIDED)

    def annual(self) -> EvaluationQuerySet:
        return self.filter(campaign__period_kind=PeriodKind.ANNUAL)


_SCORE = {"max_digits": 4, "decimal_places": 1, "null": True, "blank": True}


class Evaluation(VersionedModel, TimeStampedModel):
    """One subject of a campaign and its three steps.

    State machine: ``pending`` → ``self_assessed`` (score and level recorded; may be
    corrected) → ``proposed`` (the advisory body's level, with the opinions it used) →
    ``decided`` (the competent level's decision). A step may be redone while the next one is
    not recorded; a decision may be changed by the competent level (with a reason).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="evaluations")
    subject_kind = models.CharField(_("subject"), max_length=12, choices=SubjectKindChoice.choices)
    # The collective itself, or the member's cell (for scoping).
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("unit")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name=_("member"),
    )
    collective_kind = models.CharField(
        _("kind of collective"), max_length=20, choices=CollectiveKindChoice.choices, blank=True
    )
    category = models.CharField(
        _("category"), max_length=10, choices=CategoryChoice.choices, blank=True
    )
    deciding_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("competent level"),
    )
    advisory_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("advisory body"),
    )
    # The group the "xuất sắc" quota is counted in: the member's grassroots organisation, or
    # the organisation whose subordinate collectives are rated together.
    quota_group = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quota_evaluations",
        verbose_name=_("quota group"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EvaluationStatus.choices, default="pending"
    )
    # Step 1: self-assessment on the 100-point frame (QĐ 366 Điều 10).
    score_general = models.DecimalField(
        _("general criteria (30 points)"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(rules.GENERAL_MAX)],
        **_SCORE,
    )
    score_tasks = models.DecimalField(
        _("task results (70 points)"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(rules.TASKS_MAX)],
        **_SCORE,
    )
    score = models.DecimalField(_("total score"), **_SCORE)
    tasks_total = models.PositiveSmallIntegerField(_("tasks of the period"), default=0)
    tasks_completed = models.PositiveSmallIntegerField(_("tasks completed"), default=0)
    tasks_on_time = models.PositiveSmallIntegerField(_("completed on time"), default=0)
    tasks_exceeding = models.PositiveSmallIntegerField(_("beyond requirements"), default=0)
    shortcomings_before = models.PositiveSmallIntegerField(
        _("shortcomings found at the previous review"), default=0
    )
    shortcomings_remedied = models.PositiveSmallIntegerField(_("of which remedied"), default=0)
    self_level = models.CharField(
        _("self-assessed level"), max_length=20, choices=LevelChoice.choices, blank=True
    )
    self_note = models.TextField(_("self-assessment"), blank=True)
    self_assessed_on = models.DateField(_("self-assessed on"), null=True, blank=True)
    self_assessed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Step 2: the advisory body's verification and proposal.
    proposed_level = models.CharField(
        _("proposed level"), max_length=20, choices=LevelChoice.choices, blank=True
    )
    proposal_note = models.TextField(_("verification and proposal"), blank=True)
    proposal_reason = models.TextField(_("reason for proposing above the cap"), blank=True)
    proposed_on = models.DateField(_("proposed on"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Step 3: the competent level's decision.
    decided_level = models.CharField(
        _("decided level"), max_length=20, choices=LevelChoice.choices, blank=True
    )
    decision_symbol = models.CharField(_("decision number and symbol"), max_length=60, blank=True)
    decision_reason = models.TextField(_("reason for deciding against a rule"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The caps from records as they stood at the last step (rules.RatingCap as JSON).
    cap_level = models.CharField(
        _("highest level the records allow"), max_length=20, choices=LevelChoice.choices, blank=True
    )
    caps = models.JSONField(_("caps from records"), default=list, blank=True)
    caps_as_of = models.DateField(_("records read up to"), null=True, blank=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "subject_kind", "unit__name_sort", "person__name_sort", "pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit"],
                condition=Q(person__isnull=True),
                name="evaluation_collective_once",
            ),
            models.UniqueConstraint(
                fields=["campaign", "person"],
                condition=Q(person__isnull=False),
                name="evaluation_person_once",
            ),
            models.CheckConstraint(
                condition=(Q(subject_kind="individual") & Q(person__isnull=False))
                | (Q(subject_kind="collective") & Q(person__isnull=True)),
                name="evaluation_subject",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(score__isnull=False),
                name="evaluation_scored_after_self_assessment",
            ),
            models.CheckConstraint(
                condition=~Q(status="decided") | ~Q(decided_level=""),
                name="evaluation_decided_level",
            ),
        ]
        indexes = [
            # the campaign pages and quota tables: subjects of a campaign by step and level
            models.Index(fields=["campaign", "status"], name="evaluation_campaign_status"),
            # figures: decided levels under a unit in a period (joined to the closure on unit)
            models.Index(fields=["decided_level", "status"], name="evaluation_level_idx"),
            models.Index(fields=["quota_group", "campaign"], name="evaluation_quota_idx"),
        ]

    def __str__(self) -> str:
        return str(self.subject)

    def get_absolute_url(self) -> str:
        return reverse("evaluation:evaluation", args=[self.pk])

    @property
    def is_collective(self) -> bool:
        return self.subject_kind == SubjectKind.COLLECTIVE

    @property
    def subject(self):
        return self.unit if self.is_collective else self.person

    @property
    def level(self) -> str:
        """The latest level: decided, else proposed, else self-assessed ("" before step 1)."""
        return self.decided_level or self.proposed_level or self.self_level

    def get_level_display(self) -> str:
        return rules.level_label(self.level) if self.level else ""

    @property
    def tasks(self) -> rules.Tasks:
        return rules.Tasks(
            total=self.tasks_total,
            completed=self.tasks_completed,
            on_time=self.tasks_on_time,
            exceeding=self.tasks_exceeding,
            shortcomings_before=self.shortcomings_before,
            shortcomings_remedied=self.shortcomings_remedied,
        )

    def form_name(self) -> str:
        """The review form of this subject under the campaign's rule set (Mẫu 01, 2A/2B/2C)."""
        rule_set = self.campaign.rules
        if self.is_collective:
            return rule_set.collective_form
        return rule_set.individual_forms.get(Category(self.category or Category.OUTSIDE), "")

    def rating_caps(self) -> list[rules.RatingCap]:
        """The stored caps as rule objects (for explanations)."""
        return [cap_from_json(c) for c in self.caps]


def cap_to_json(cap: rules.RatingCap) -> dict:
    return {
        "kind": cap.kind.value,
        "max_level": cap.max_level.value,
        "source": cap.source,
        "exception": str(cap.exception),
        "unconfirmed": cap.unconfirmed,
        "records": [
            {"kind": r.kind, "id": r.id, "label": r.label, "date": r.date.isoformat()}
            for r in cap.records
        ],
    }


def cap_from_json(data: dict) -> rules.RatingCap:
    return rules.RatingCap(
        kind=rules.CapKind(data["kind"]),
        max_level=Level(data["max_level"]),
        source=data["source"],
        exception=data.get("exception", ""),
        unconfirmed=bool(data.get("unconfirmed")),
        records=tuple(
            rules.RecordRef(r["kind"], r["id"], r["label"], dt.date.fromisoformat(r["date"]))
            for r in data.get("records", [])
        ),
    )


class Opinion(TimeStampedModel):
    """An opinion the advisory body used for its proposal (a body, what it said, when)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="opinions")
    source = models.CharField(pgettext_lazy("rating", "from"), max_length=200)
    text = models.TextField(_("opinion"))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["evaluation", "pk"]
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")

    def __str__(self) -> str:
        return f"{self.source}: {self.text[:60]}"


class ReviewSession(TimeStampedModel):
    """The review session (kiểm điểm) a collective holds for itself and its members."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sessions")
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="review_sessions",
        verbose_name=_("collective holding the session"),
    )
    held_on = models.DateField(pgettext_lazy("rating", "held on"))
    chaired_by = models.CharField(_("chaired by"), max_length=200, blank=True)
    present = models.PositiveSmallIntegerField(_("present"), null=True, blank=True)
    expected = models.PositiveSmallIntegerField(_("expected"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "pk"]
        verbose_name = _("review session")
        verbose_name_plural = _("review sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(present__isnull=True)
                | Q(expected__isnull=True)
                | Q(present__lte=models.F("expected")),
                name="review_session_present",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.held_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:session", args=[self.pk])


class PointKind(models.TextChoices):
    SELF_CRITICISM = "self_criticism", _("self-criticism")
    CRITICISM = "criticism", _("criticism")


class ReviewPoint(TimeStampedModel):
    """A point raised about one subject in a review session (tự phê bình, phê bình)."""

    session = models.ForeignKey(ReviewSession, on_delete=models.CASCADE, related_name="points")
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="points", verbose_name=_("subject")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PointKind.choices)
    text = models.TextField(_("point raised"))
    raised_by = models.CharField(_("raised by"), max_length=200, blank=True)
    catalogue_item = models.ForeignKey(
        "oversight.CatalogueItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_points",
        verbose_name=_("manifestation or prohibition concerned"),
    )
    commitment = models.ForeignKey(
        "oversight.Commitment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_points",
        verbose_name=_("commitment"),
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["session", "evaluation", "pk"]
        verbose_name = _("review point")
        verbose_name_plural = _("review points")

    def __str__(self) -> str:
        return self.text[:80]


class QuotaSetting(TimeStampedModel):
    """An administrator's value of the "xuất sắc" quota for a rule set (default from rules.py)."""

    rule_set = models.CharField(_("rule set"), max_length=20, choices=RULE_SET_CHOICES, unique=True)
    share_pct = models.DecimalField(
        _("share of those rated good (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    source = models.CharField(_("source"), max_length=300)
    unconfirmed = models.BooleanField(_("unconfirmed"), default=True)
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["rule_set"]
        verbose_name = _("quota setting")
        verbose_name_plural = _("quota settings")

    def __str__(self) -> str:
        return f"{self.rule_set}: {self.share_pct} %"


class OutstandingDecision(TimeStampedModel):
    """The competent level raises the quota of an outstanding organisation (QĐ 366: ≤ 25 %)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="outstanding_decisions"
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    share_pct = models.DecimalField(
        _("share of those rated good (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    decision_symbol = models.CharField(_("decision number and symbol"), max_length=60)
    decided_on = models.DateField(_("decided on"))
    reason = models.TextField(_("achievements"))
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["campaign", "unit"]
        verbose_name = _("decision for an outstanding organisation")
        verbose_name_plural = _("decisions for outstanding organisations")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="outstanding_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.share_pct} % ({self.decision_symbol})"


# Scoping paths (giamsat.accounts.scoping) of each record type.
SCOPE_PATHS = {
    Evaluation: "unit",
    ReviewSession: "unit",
    Opinion: "evaluation__unit",
    ReviewPoint: "evaluation__unit",
}
