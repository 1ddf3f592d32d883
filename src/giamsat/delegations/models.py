"""Working delegations (đoàn công tác, đoàn kiểm tra) sent by a party body to units.

A ``Delegation`` is established by a deciding body's decision (symbol and date), reviews a
period and a set of directives at its target units, and is made of a head, deputy heads and
members (persons from their agencies, optionally linked to a giamsat ``User``). Its work is a
schedule of ``WorkingSession``s (date, unit, participants on both sides), ``UnitRequest``s to the
units ("bổ sung số liệu thực tế", "chỉ rõ người, rõ việc") with deadlines and answers, one
``UnitConclusion`` per unit (strengths, limitations, requests) and a summary to the body that
sent it. A ``NewsItem`` is the draft news brief of a working session.

Access: members linked to a user receive a ``delegation_member`` role at each target unit for
the delegation's working period (``DelegationAccessGrant``, written by
``delegations.services.sync_member_access``), so ``accounts.scoping`` stays the one access
function; see ``docs/reports.md``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from giamsat.core.models import TimeStampedModel


class MemberRole(models.TextChoices):
    HEAD = "head", _("head of delegation")
    DEPUTY_HEAD = "deputy_head", _("deputy head of delegation")
    MEMBER = "member", _("member")
    SECRETARY = "secretary", _("secretary of the delegation")


# Roles that may change the delegation's composition and summary.
LEADING_ROLES = (MemberRole.HEAD, MemberRole.DEPUTY_HEAD, MemberRole.SECRETARY)


class DelegationQuerySet(models.QuerySet):
    def visible_to(self, user) -> DelegationQuerySet:
        """Delegations whose deciding body or one of whose target units is in scope, or of
        which the user is a member."""
        from giamsat.accounts.roles import Cap
        from giamsat.accounts.scoping import is_unrestricted, scope_q

        if is_unrestricted(user):
            return self
        if user is None or not user.is_authenticated:
            return self.none()
        targets = DelegationTarget.objects.filter(scope_q(user, Cap.VIEW_REPORTS, "unit"))
        members = DelegationMember.objects.filter(user=user)
        return self.filter(
            scope_q(user, Cap.VIEW_REPORTS, "deciding_body")
            | scope_q(user, Cap.MANAGE_DELEGATIONS, "deciding_body")
            | Q(pk__in=targets.values("delegation_id"))
            | Q(pk__in=members.values("delegation_id"))
        )


class Delegation(TimeStampedModel):
    number = models.CharField(_("delegation number"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=300)
    deciding_body = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="delegations_sent",
        verbose_name=_("deciding body"),
    )
    # Normalised with directives.symbols (e.g. "75-QĐ/TW"); the registered document if known.
    decision_symbol = models.CharField(_("decision (number and symbol)"), max_length=40)
    decision_date = models.DateField(_("decision date"))
    decision = models.ForeignKey(
        "directives.Directive",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered decision"),
    )
    purpose = models.TextField(_("purpose and content"), blank=True)
    review_start = models.DateField(_("period under review from"))
    review_end = models.DateField(_("period under review to"))
    work_start = models.DateField(_("works from"))
    work_end = models.DateField(_("works until"))
    directives = models.ManyToManyField(
        "directives.Directive", blank=True, related_name="delegations", verbose_name=_("directives")
    )
    summary = models.TextField(_("summary to the deciding body"), blank=True)
    summary_submitted_on = models.DateField(_("summary submitted on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = DelegationQuerySet.as_manager()

    class Meta:
        ordering = ["-work_start", "name"]
        verbose_name = _("working delegation")
        verbose_name_plural = _("working delegations")
        constraints = [
            models.CheckConstraint(
                condition=Q(review_end__gte=models.F("review_start")),
                name="delegation_review_interval",
            ),
            models.CheckConstraint(
                condition=Q(work_end__gte=models.F("work_start")), name="delegation_work_interval"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("delegations:detail", args=[self.pk])

    @property
    def head(self) -> DelegationMember | None:
        return self.members.filter(role=MemberRole.HEAD).first()


class DelegationTarget(models.Model):
    """A unit the delegation works with."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("target unit")
        constraints = [
            models.UniqueConstraint(fields=["delegation", "unit"], name="delegation_target_unique")
        ]

    def __str__(self) -> str:
        return str(self.unit)


class DelegationMember(models.Model):
    """A person in the delegation: a ``Person`` and/or a free-text name, with their agency."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegation_memberships",
        verbose_name=_("person"),
    )
    full_name = models.CharField(_("full name"), max_length=120)
    post_title = models.CharField(_("post"), max_length=300, blank=True)
    agency = models.CharField(_("agency"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegation_memberships",
        verbose_name=_("giamsat user"),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class DelegationAccessGrant(models.Model):
    """The role assignment that lets a member's user see one target unit during the delegation."""

    member = models.ForeignKey(
        DelegationMember, on_delete=models.CASCADE, related_name="access_grants"
    )
    target = models.ForeignKey(
        DelegationTarget, on_delete=models.CASCADE, related_name="access_grants"
    )
    role_assignment = models.OneToOneField(
        "accounts.RoleAssignment", on_delete=models.CASCADE, related_name="delegation_grant"
    )

    class Meta:
        verbose_name = _("access grant")
        constraints = [
            models.UniqueConstraint(fields=["member", "target"], name="delegation_grant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.target}"


class WorkingSession(TimeStampedModel):
    """A meeting of the delegation with a target unit (buổi làm việc)."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="sessions")
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    date = models.DateField(_("date of the session"))
    place = models.CharField(_("venue"), max_length=200, blank=True)
    content = models.TextField(_("content"), blank=True)
    minutes = models.TextField(_("notes of the session"), blank=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("working session")
        verbose_name_plural = _("working sessions")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} · {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("delegations:session", args=[self.delegation_id, self.pk])


class Side(models.TextChoices):
    DELEGATION = "delegation", _("delegation side")
    HOST = "host", _("host side")


class SessionParticipant(models.Model):
    session = models.ForeignKey(
        WorkingSession, on_delete=models.CASCADE, related_name="participants"
    )
    side = models.CharField(_("side"), max_length=12, choices=Side.choices)
    member = models.ForeignKey(
        DelegationMember, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    full_name = models.CharField(_("full name"), max_length=120)
    post_title = models.CharField(_("post"), max_length=300, blank=True)

    class Meta:
        ordering = ["side", "pk"]
        verbose_name = _("participant")

    def __str__(self) -> str:
        return self.full_name


class RequestKind(models.TextChoices):
    ADD_FIGURES = "add_figures", _("add real figures")
    NAME_MODELS = "name_models", _("name concrete models")
    NAME_PEOPLE = "name_people", _("name the person and the matter")
    APPENDIX = "appendix", _("attach a detailed appendix of comments and proposals")
    OTHER = "other", _("other request")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("awaiting answer")
    ANSWERED = "answered", _("answered")


class UnitRequest(TimeStampedModel):
    """What the delegation asks a unit to do, by a deadline, and the unit's answer."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="requests")
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    session = models.ForeignKey(
        WorkingSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("working session"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RequestKind.choices)
    text = models.TextField(_("request"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("request to a unit")
        verbose_name_plural = _("requests to units")
        indexes = [
            # open requests of a unit, by deadline (the host's to-do list)
            models.Index(fields=["unit", "status", "deadline"], name="unitrequest_todo_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.unit}"


class UnitConclusion(TimeStampedModel):
    """The delegation's conclusion about one unit."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="conclusions")
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    strengths = models.TextField(_("strengths"), blank=True)
    limitations = models.TextField(_("limitations"), blank=True)
    requests = models.TextField(_("requests"), blank=True)
    concluded_on = models.DateField(_("concluded on"))

    class Meta:
        ordering = ["concluded_on", "pk"]
        verbose_name = _("conclusion")
        constraints = [
            models.UniqueConstraint(
                fields=["delegation", "unit"], name="delegation_conclusion_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.delegation} · {self.unit}"


class NewsStatus(models.TextChoices):
    DRAFT = "draft", _("not yet approved")
    APPROVED = "approved", _("approved for publication")


class NewsItem(TimeStampedModel):
    """A draft news brief about a working session (tin bài), for the portal."""

    session = models.ForeignKey(WorkingSession, on_delete=models.CASCADE, related_name="news")
    title = models.CharField(_("headline"), max_length=300)
    lead = models.TextField(_("lead"))
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=10, choices=NewsStatus.choices, default=NewsStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("news item")
        verbose_name_plural = _("news items")

    def __str__(self) -> str:
        return self.title
