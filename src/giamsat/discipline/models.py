"""Party discipline (kỷ luật đảng): cases, violations, ballots, decisions, complaints.

- ``AuthorityRule``: the configurable, dated authority matrix (defaults from QĐ 30/22/296 in
  ``discipline/data/authority_matrix.csv``; post-2025 and unread values flagged unconfirmed).
- ``DisciplineCase``: one subject (a member or a party organisation) and its violations, from
  opening to a decision (or to "no discipline": time-barred, not warranted, withdrawn).
- ``Violation``: coded on a violation-group catalogue item, with start and end dates and
  whether it repeats an earlier one (which restarts the limitation period).
- ``Deferral``: a period in which the case may not be considered (pregnancy, maternity leave,
  a child under 12 months, serious illness, incapacity).
- ``Ballot``: the secret-ballot tally of a body, deciding or proposing.
- ``DisciplineDecision``: the decision (number and symbol, date, form, deciding body) and its
  effect; a complaint may replace it by a new one or annul it.
- ``DisciplineAppeal``: a complaint against a decision (khiếu nại kỷ luật), its level, deadlines
  from ``core.deadlines`` and outcome; ``Rehabilitation`` after a wrongful decision (QĐ 117).

Every record is scoped by the subject's unit (``DisciplineCase.unit``): the member's cell on the
day the case was opened, or the organisation itself. These are sensitive records: pages and
API reads call ``record_access``.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from giamsat.core.models import TimeStampedModel, VersionedModel
from giamsat.discipline.rules import (
    AuthorityRow,
    BodyKind,
    DeferralReason,
    Form,
    Scope,
    SubjectKind,
)


class FormChoice(models.TextChoices):
    # English UI shows the official Vietnamese word too (glossary: keep the Vietnamese words).
    KHIEN_TRACH = Form.KHIEN_TRACH.value, _("reprimand (khiển trách)")
    CANH_CAO = Form.CANH_CAO.value, _("warning (cảnh cáo)")
    CACH_CHUC = Form.CACH_CHUC.value, _("removal from post (cách chức)")
    KHAI_TRU = Form.KHAI_TRU.value, _("expulsion (khai trừ)")
    GIAI_TAN = Form.GIAI_TAN.value, _("dissolution (giải tán)")


class SubjectKindChoice(models.TextChoices):
    MEMBER = SubjectKind.MEMBER.value, _("full member")
    PROBATIONARY_MEMBER = SubjectKind.PROBATIONARY_MEMBER.value, _("probationary member")
    ORGANISATION = SubjectKind.ORGANISATION.value, _("party organisation")


class ScopeChoice(models.TextChoices):
    MEMBER_GENERAL = (
        Scope.MEMBER_GENERAL.value,
        _("member: ethics, lifestyle, party activity, member duties"),
    )
    MEMBER_HIGHER_TASK = (
        Scope.MEMBER_HIGHER_TASK.value,
        _("committee member or cadre managed higher up: task assigned by a higher level"),
    )
    ORGANISATION = Scope.ORGANISATION.value, _("party organisation")


class BodyKindChoice(models.TextChoices):
    CELL = BodyKind.CELL.value, _("the member's cell")
    GRASSROOTS_COMMITTEE = BodyKind.GRASSROOTS_COMMITTEE.value, _("grassroots party committee")
    UPPER_STANDING_COMMITTEE = (
        BodyKind.UPPER_STANDING_COMMITTEE.value,
        _("standing committee of the upper-grassroots committee"),
    )
    UPPER_INSPECTION_COMMISSION = (
        BodyKind.UPPER_INSPECTION_COMMISSION.value,
        _("inspection commission of the upper-grassroots committee"),
    )
    PARENT_COMMITTEE = BodyKind.PARENT_COMMITTEE.value, _("the committee directly above")
    PARENT_STANDING_COMMITTEE = (
        BodyKind.PARENT_STANDING_COMMITTEE.value,
        _("standing committee of the committee directly above"),
    )
    COMPETENT_HIGHER = BodyKind.COMPETENT_HIGHER.value, _("competent higher body (chosen)")


class DeferralReasonChoice(models.TextChoices):
    PREGNANCY = DeferralReason.PREGNANCY.value, _("pregnant")
    MATERNITY_LEAVE = DeferralReason.MATERNITY_LEAVE.value, _("on maternity leave")
    CHILD_UNDER_12_MONTHS = (
        DeferralReason.CHILD_UNDER_12_MONTHS.value,
        _("raising a child under 12 months"),
    )
    SERIOUS_ILLNESS = (
        DeferralReason.SERIOUS_ILLNESS.value,
        _("seriously ill in hospital (hospital confirmation)"),
    )
    INCAPACITY = DeferralReason.INCAPACITY.value, _("lacking the capacity to act")


class AuthorityRule(TimeStampedModel):
    """One dated row of the authority matrix; administrators complete and correct it."""

    subject_kind = models.CharField(_("subject"), max_length=24, choices=SubjectKindChoice.choices)
    scope = models.CharField(_("case"), max_length=24, choices=ScopeChoice.choices)
    form = models.CharField(_("form"), max_length=12, choices=FormChoice.choices)
    proposing_body = models.CharField(
        _("proposed by"), max_length=32, choices=BodyKindChoice.choices, blank=True
    )
    deciding_body = models.CharField(_("decided by"), max_length=32, choices=BodyKindChoice.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    unconfirmed = models.BooleanField(_("unconfirmed"), default=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["subject_kind", "scope", "form", "-valid_from"]
        verbose_name = _("authority rule")
        verbose_name_plural = _("authority matrix")

    def __str__(self) -> str:
        return f"{self.get_subject_kind_display()} · {self.get_form_display()} → {self.get_deciding_body_display()}"

    def as_row(self) -> AuthorityRow:
        return AuthorityRow(
            subject_kind=SubjectKind(self.subject_kind),
            scope=Scope(self.scope),
            form=Form(self.form),
            deciding_body=BodyKind(self.deciding_body),
            proposing_body=BodyKind(self.proposing_body) if self.proposing_body else None,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            source=self.source,
            unconfirmed=self.unconfirmed,
        )


class CaseStatus(models.TextChoices):
    OPEN = "open", _("being considered")
    DEFERRED = "deferred", _("deferred")
    PROPOSED = "proposed", _("proposed to the competent body")
    DECIDED = "decided", _("decided")
    NO_DISCIPLINE = "no_discipline", _("no discipline")
    ANNULLED = "annulled", _("decision annulled")


class NoDisciplineReason(models.TextChoices):
    NOT_WARRANTED = "not_warranted", _("the ballot did not reach any form")
    TIME_BARRED = "time_barred", _("the limitation period has expired")
    WITHDRAWN = "withdrawn", _("withdrawn")


class DisciplineCaseQuerySet(models.QuerySet):
    def disciplined(self) -> DisciplineCaseQuerySet:
        """Cases whose decision stands (decided, not annulled)."""
        return self.filter(status=CaseStatus.DECIDED, decided_on__isnull=False)


class DisciplineCase(VersionedModel, TimeStampedModel):
    """Discipline of one member or one party organisation.

    State machine: ``open`` → (``deferred`` ↔ ``open``) → ballot → ``proposed`` (the body
    voted a proposal to a higher body) → ``decided`` (a decision is recorded; a complaint may
    change it, or annul it → ``annulled``) or ``no_discipline`` (no form reached, time-barred,
    withdrawn). ``decided_on`` and ``current_form`` mirror the decision in force, so figures and
    the evaluation app can query them directly.
    """

    subject_kind = models.CharField(_("subject"), max_length=24, choices=SubjectKindChoice.choices)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="discipline_cases",
        verbose_name=_("member"),
    )
    organisation = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="discipline_cases_as_subject",
        verbose_name=_("party organisation"),
    )
    # The subject's unit, for scoping: the member's cell when the case opened, or the
    # organisation itself.
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="discipline_cases",
        verbose_name=_("unit"),
    )
    post = models.ForeignKey(
        "people.Post",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("post held (for removal from post)"),
    )
    scope = models.CharField(
        _("case"), max_length=24, choices=ScopeChoice.choices, default=Scope.MEMBER_GENERAL
    )
    opened_on = models.DateField(_("opened on"))
    summary = models.TextField(_("summary"))
    origin_case = models.ForeignKey(
        "oversight.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="discipline_cases",
        verbose_name=_("from the inspection"),
    )
    origin_note = models.CharField(_("origin"), max_length=300, blank=True)
    # Exempt from limitation (QĐ 69 Điều 4: chính trị nội bộ; quốc phòng, an ninh, đối ngoại
    # xâm hại lợi ích quốc gia; văn bằng, chứng chỉ không hợp pháp).
    exempt_from_limitation = models.BooleanField(_("exempt from limitation"), default=False)
    exemption_reason = models.CharField(_("reason for the exemption"), max_length=300, blank=True)
    authority_rule = models.ForeignKey(
        AuthorityRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposing_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposing body"),
    )
    deciding_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="discipline_decided",
        verbose_name=_("deciding body"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    no_discipline_reason = models.CharField(
        _("reason for no discipline"), max_length=16, choices=NoDisciplineReason.choices, blank=True
    )
    proposed_form = models.CharField(
        _("form proposed"), max_length=12, choices=FormChoice.choices, blank=True
    )
    current_form = models.CharField(
        _("form in force"), max_length=12, choices=FormChoice.choices, blank=True
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = DisciplineCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("discipline case")
        verbose_name_plural = _("discipline cases")
        indexes = [
            # figures: disciplined in a period, by subject kind and form
            models.Index(
                fields=["status", "subject_kind", "decided_on"], name="discipline_decided_idx"
            ),
            models.Index(fields=["person", "opened_on"], name="discipline_person_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(subject_kind="organisation") & Q(organisation__isnull=False))
                | (~Q(subject_kind="organisation") & Q(person__isnull=False)),
                name="discipline_case_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.opened_on:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("discipline:case", args=[self.pk])

    @property
    def subject(self):
        return self.organisation if self.subject_kind == SubjectKind.ORGANISATION else self.person

    @property
    def has_post(self) -> bool:
        return self.post_id is not None

    @property
    def current_decision(self) -> DisciplineDecision | None:
        return self.decisions.filter(status=DecisionStatus.IN_FORCE).first()


class Violation(TimeStampedModel):
    case = models.ForeignKey(DisciplineCase, on_delete=models.CASCADE, related_name="violations")
    group = models.ForeignKey(
        "oversight.CatalogueItem",
        on_delete=models.PROTECT,
        related_name="discipline_violations",
        verbose_name=_("violation group"),
    )
    provisions = models.ManyToManyField(
        "oversight.CatalogueItem",
        blank=True,
        related_name="discipline_provisions",
        verbose_name=_("manifestations and prohibitions concerned"),
    )
    description = models.TextField(_("what happened"))
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    is_repeat = models.BooleanField(_("repeats an earlier violation"), default=False)

    class Meta:
        ordering = ["started_on", "pk"]
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="violation_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def last_day(self) -> dt.date:
        """The day the limitation period runs from (the end of a long-running violation)."""
        return self.ended_on or self.started_on


class Deferral(TimeStampedModel):
    case = models.ForeignKey(DisciplineCase, on_delete=models.CASCADE, related_name="deferrals")
    reason = models.CharField(_("reason"), max_length=24, choices=DeferralReasonChoice.choices)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["valid_from", "pk"]
        verbose_name = _("deferral")
        verbose_name_plural = _("deferrals")

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.valid_from:%d/%m/%Y}"

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class BallotPurpose(models.TextChoices):
    DECIDE = "decide", _("to decide")
    PROPOSE = "propose", _("to propose to the competent body")


class Ballot(TimeStampedModel):
    """The secret-ballot count of a body (one ballot listing all forms)."""

    case = models.ForeignKey(DisciplineCase, on_delete=models.CASCADE, related_name="ballots")
    body = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("voting body")
    )
    held_on = models.DateField(_("held on"))
    purpose = models.CharField(_("purpose"), max_length=8, choices=BallotPurpose.choices)
    total_members = models.PositiveSmallIntegerField(_("members of the body"))
    present = models.PositiveSmallIntegerField(_("present"))
    votes_khien_trach = models.PositiveSmallIntegerField(_("votes for reprimand"), default=0)
    votes_canh_cao = models.PositiveSmallIntegerField(_("votes for warning"), default=0)
    votes_cach_chuc = models.PositiveSmallIntegerField(_("votes for removal from post"), default=0)
    votes_khai_tru = models.PositiveSmallIntegerField(_("votes for expulsion"), default=0)
    votes_giai_tan = models.PositiveSmallIntegerField(_("votes for dissolution"), default=0)
    votes_none = models.PositiveSmallIntegerField(_("votes for no discipline"), default=0)
    result_form = models.CharField(
        _("result"), max_length=12, choices=FormChoice.choices, blank=True
    )
    # "Vote the form first, then compare with the limitation" (HD 02 of Ban Bí thư, 2021).
    limitation_expiry = models.DateField(_("limitation expires on"), null=True, blank=True)
    time_barred = models.BooleanField(_("time-barred"), default=False)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.CheckConstraint(
                condition=Q(present__lte=models.F("total_members")), name="ballot_present"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.held_on:%d/%m/%Y}"

    def votes(self) -> dict[Form, int]:
        return {
            Form.KHIEN_TRACH: self.votes_khien_trach,
            Form.CANH_CAO: self.votes_canh_cao,
            Form.CACH_CHUC: self.votes_cach_chuc,
            Form.KHAI_TRU: self.votes_khai_tru,
            Form.GIAI_TAN: self.votes_giai_tan,
        }


class DecisionStatus(models.TextChoices):
    IN_FORCE = "in_force", _("in force")
    CHANGED = "changed", _("changed on complaint")
    ANNULLED = "annulled", _("annulled")


class DisciplineDecision(TimeStampedModel):
    """A disciplinary decision; the number and symbol are parsed with directives.symbols."""

    case = models.ForeignKey(DisciplineCase, on_delete=models.CASCADE, related_name="decisions")
    form = models.CharField(_("form"), max_length=12, choices=FormChoice.choices)
    deciding_unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("deciding body")
    )
    symbol = models.CharField(_("number and symbol"), max_length=60, blank=True)
    symbol_as_written = models.CharField(_("as written"), max_length=60, blank=True)
    decided_on = models.DateField(_("decided on"))
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    received_on = models.DateField(_("received by the subject on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.IN_FORCE
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    effect_note = models.CharField(_("effect"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["decided_on", "pk"]
        verbose_name = _("disciplinary decision")
        verbose_name_plural = _("disciplinary decisions")

    def __str__(self) -> str:
        symbol = self.symbol or self.symbol_as_written
        return f"{symbol} {self.get_form_display()} ({self.decided_on:%d/%m/%Y})".strip()


class AppealLevel(models.TextChoices):
    FIRST = "first", _("first level (body directly above)")
    HIGHER = "higher", _("higher level")
    FINAL = "final", _("final level")


class AppealOutcome(models.TextChoices):
    PENDING = "pending", _("being resolved")
    INADMISSIBLE = "inadmissible", _("not accepted")
    UPHELD = "upheld", _("decision upheld")
    CHANGED = "changed", _("form changed")
    ANNULLED = "annulled", _("decision annulled")


class DisciplineAppeal(TimeStampedModel):
    """A complaint against a disciplinary decision (Điều lệ Đảng Điều 39; QĐ 22 Điều 22)."""

    decision = models.ForeignKey(
        DisciplineDecision, on_delete=models.CASCADE, related_name="appeals"
    )
    filed_on = models.DateField(_("filed on"))
    received_on = models.DateField(_("received by the resolving body on"))
    resolving_unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("resolving body")
    )
    level = models.CharField(_("level"), max_length=8, choices=AppealLevel.choices)
    central = models.BooleanField(_("resolved at the central level"), default=False)
    grounds = models.TextField(_("grounds"))
    filing_due = models.DateField(_("last day to file"))
    filed_in_time = models.BooleanField(_("filed in time"), default=True)
    resolution_due = models.DateField(_("to be resolved by"))
    deadline_explanation = models.TextField(_("how the deadlines were computed"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=14, choices=AppealOutcome.choices, default=AppealOutcome.PENDING
    )
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    new_form = models.CharField(
        _("new form"), max_length=12, choices=FormChoice.choices, blank=True
    )
    resolution_note = models.TextField(_("answer"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["filed_on", "pk"]
        verbose_name = _("complaint against a decision")
        verbose_name_plural = _("complaints against decisions")

    def __str__(self) -> str:
        return f"{self.decision} ← {self.filed_on:%d/%m/%Y}"

    def is_overdue(self, on: dt.date) -> bool:
        return self.outcome == AppealOutcome.PENDING and on > self.resolution_due


class Rehabilitation(TimeStampedModel):
    """Apology and restoration of rights after a wrongful decision (QĐ 117-QĐ/TW, 18/8/2023)."""

    decision = models.OneToOneField(
        DisciplineDecision, on_delete=models.CASCADE, related_name="rehabilitation"
    )
    by_unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    decided_on = models.DateField(_("decided on"))
    apology_on = models.DateField(_("apology made on"), null=True, blank=True)
    apology_form = models.CharField(_("how the apology was made"), max_length=300, blank=True)
    rights_restored = models.TextField(_("rights and interests restored"))
    document_symbol = models.CharField(_("document number and symbol"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("rehabilitation")
        verbose_name_plural = _("rehabilitations")

    def __str__(self) -> str:
        return f"{self.decision} ({self.decided_on:%d/%m/%Y})"
