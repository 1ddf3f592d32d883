"""Petitions and denunciations (đơn thư): intake, classification, routing, deadlines, sealed
identities of petitioners, and hot-spot alerts.

A ``Petition`` moves through these states (``Status``)::

    received ──classify──▶ not_handled (inadmissible, with the reasons; may still be passed
       │                                as information to a supervision)
       ├──split (several contents)──▶ split (each content is a new petition)
       ├──transfer to a unit in giamsat──▶ awaiting_receipt ──receipt──▶ received (there)
       ├──transfer to a body outside giamsat──▶ transferred_out
       └──accept (competent)──▶ in_handling ──conclude──▶ concluded ──answer──▶ answered
    (withdrawn from any open state)

``unit`` is the body that holds the petition now (the competent body once routed);
``received_by`` is the body that first received it. The petitioner's identity lives in a
``SealedIdentity`` (encrypted at rest); nothing else on a petition identifies the petitioner.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from giamsat.core.deadlines import DeadlineState, Explanation, state_of
from giamsat.core.models import TimeStampedModel, VersionedModel


class PetitionClass(models.TextChoices):
    """Thông tư 05/2021/TT-TTCP Điều 6: classified by content, not by the letter's title."""

    UNCLASSIFIED = "unclassified", _("not yet classified")
    COMPLAINT = "complaint", _("complaint")
    DENUNCIATION = "denunciation", _("denunciation")
    PROPOSAL = "proposal", _("proposal or report")
    MIXED = "mixed", _("letter with several contents")


class Matter(models.TextChoices):
    UNDETERMINED = "undetermined", _("not yet determined")
    PARTY = "party", _("party matter")
    STATE = "state", _("state matter")


class Channel(models.TextChoices):
    HOTLINE_WEB = "hotline_web", _("hotline (online form)")
    HOTLINE_PHONE = "hotline_phone", _("hotline (telephone)")
    POST = "post", _("by post")
    IN_PERSON = "in_person", _("in person")
    TRANSFERRED = "transferred", _("transferred by another body")
    ELECTRONIC = "electronic", _("electronic exchange")


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    AWAITING_RECEIPT = "awaiting_receipt", _("transferred, awaiting receipt")
    IN_HANDLING = "in_handling", _("being handled")
    CONCLUDED = "concluded", _("concluded")
    ANSWERED = "answered", _("answered")
    NOT_HANDLED = "not_handled", _("not handled")
    TRANSFERRED_OUT = "transferred_out", _("transferred to another body")
    WITHDRAWN = "withdrawn", _("withdrawn")
    SPLIT = "split", _("split into separate contents")


OPEN_STATUSES = (Status.RECEIVED, Status.AWAITING_RECEIPT, Status.IN_HANDLING)
CLOSED_STATUSES = (
    Status.CONCLUDED,
    Status.ANSWERED,
    Status.NOT_HANDLED,
    Status.TRANSFERRED_OUT,
    Status.WITHDRAWN,
    Status.SPLIT,
)


class NotHandledReason(models.TextChoices):
    """Why a letter is not handled (không đủ điều kiện xử lý).

    QĐ 22-QĐ/TW Điều 20 (baosoctrang.org.vn) and QĐ 30-QĐ/TW tiết 5.1.1 (dangcongsan.vn), see
    rules.md §2.4; complaints: QĐ 296-QĐ/TW Điều 23 as quoted in rules-gaps.md §3.2.
    """

    ANONYMOUS = "anonymous", _("anonymous or unnamed")
    IMPERSONATED = "impersonated", _("written under another person's name")
    NO_ADDRESS = "no_address", _("no clear address")
    NOT_CONCRETE = "not_concrete", _("content not concrete, nothing to verify")
    NO_DENUNCIATION = "no_denunciation", _("no denunciation of a party organisation or member")
    COPY = "copy", _("not signed by the writer in person (a copy)")
    SEVERAL_SIGNERS = "several_signers", _("signed by two or more people")
    REPEATED = "repeated", _("repeated without new evidence")
    NO_CAPACITY = "no_capacity", _("writer without legal capacity")
    OUT_OF_TIME = "out_of_time", _("filed out of time")
    ALREADY_DECIDED = "already_decided", _("already decided at the highest level")
    OTHER = "other", _("other reason")


class Topic(models.TextChoices):
    """What a petition is about, for hot-spot clusters and figures (giamsat's own list)."""

    UNSPECIFIED = "", _("not specified")
    LAND = "land", _("land, compensation, resettlement")
    CORRUPTION = "corruption", _("corruption, waste")
    ETHICS = "ethics", _("ethics and lifestyle of cadres")
    ABUSE = "abuse", _("abuse of power, harassment")
    ADMINISTRATION = "administration", _("administrative procedures")
    FINANCE = "finance", _("finance, budget, party dues")
    PERSONNEL = "personnel", _("personnel work")
    POLICY = "policy", _("policies and social welfare")
    CONSTRUCTION = "construction", _("construction, environment")
    OTHER = "other", _("other")


class Complexity(models.TextChoices):
    ORDINARY = "", _("ordinary")
    COMPLEX = "complex", _("complex")
    ESPECIALLY_COMPLEX = "especially_complex", _("especially complex")


class Outcome(models.TextChoices):
    UNSET = "", _("not concluded")
    FOUNDED = "founded", _("founded (correct)")
    PARTLY_FOUNDED = "partly_founded", _("partly founded")
    UNFOUNDED = "unfounded", _("unfounded (incorrect)")
    RESOLVED = "resolved", _("resolved / answered on the merits")


class SealedIdentity(models.Model):
    """The petitioner's identity and contact details, encrypted at rest (Fernet/MultiFernet).

    The only field is the ciphertext; it is decrypted only by
    ``giamsat.petitions.services.reveal_identity`` under an approved, unexpired grant, and
    every reveal is logged. ``__str__``/``__repr__`` never show the content.
    """

    ciphertext = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sealed identity")
        verbose_name_plural = _("sealed identities")

    def __str__(self) -> str:
        return f"SealedIdentity #{self.pk} (sealed)"

    def __repr__(self) -> str:
        return f"<SealedIdentity #{self.pk} (sealed)>"


class PetitionQuerySet(models.QuerySet):
    def open(self) -> PetitionQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def search(self, text: str) -> PetitionQuerySet:
        from giamsat.core.text import search_key

        raw = text.strip()
        key = search_key(raw)
        if not key:
            return self
        return self.filter(Q(text_search__contains=key) | Q(code__iexact=raw))


class Petition(VersionedModel, TimeStampedModel):
    """A letter (đơn thư) received by a party body. See the module docstring for its states."""

    code = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    # HMAC-SHA256 of the receipt code under GIAMSAT_RECEIPT_KEY; the code itself is never stored.
    receipt_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    received_on = models.DateField(_("received on"))
    received_by = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="petitions_received",
        verbose_name=_("received by"),
    )
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="petitions",
        verbose_name=_("held by"),
    )
    # The body that forwarded the letter (letters transferred to us), as written on its slip.
    sender_body = models.CharField(_("forwarded by"), max_length=255, blank=True)
    sender_reference = models.CharField(_("forwarding slip"), max_length=100, blank=True)
    declared_class = models.CharField(
        _("kind stated by the sender"),
        max_length=20,
        choices=PetitionClass.choices,
        default=PetitionClass.UNCLASSIFIED,
    )
    petition_class = models.CharField(
        _("class"),
        max_length=20,
        choices=PetitionClass.choices,
        default=PetitionClass.UNCLASSIFIED,
    )
    matter = models.CharField(
        _("party or state matter"),
        max_length=20,
        choices=Matter.choices,
        default=Matter.UNDETERMINED,
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    content = models.TextField(_("content"))
    subject_text = models.CharField(_("person or unit concerned"), max_length=500, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    place_key = models.CharField(max_length=255, blank=True, editable=False, db_index=True)
    text_search = models.TextField(blank=True, editable=False)
    subject_people = models.ManyToManyField(
        "people.Person",
        blank=True,
        related_name="petitions_about",
        verbose_name=_("people concerned"),
    )
    subject_units = models.ManyToManyField(
        "units.Unit", blank=True, related_name="petitions_about", verbose_name=_("units concerned")
    )
    signer_count = models.PositiveIntegerField(_("number of signers"), default=1)
    representative_count = models.PositiveIntegerField(_("number of representatives"), default=0)
    is_group = models.BooleanField(_("group petition"), default=False, editable=False)
    is_anonymous = models.BooleanField(_("no name given"), default=False)
    identity = models.ForeignKey(
        SealedIdentity, on_delete=models.PROTECT, null=True, blank=True, related_name="petitions"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contents",
        verbose_name=_("split from"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    is_admissible = models.BooleanField(_("admissible"), null=True, blank=True)
    not_handled_reasons = models.JSONField(_("reasons not handled"), default=list, blank=True)
    not_handled_note = models.TextField(_("note on the reasons"), blank=True)
    classified_on = models.DateField(_("classified on"), null=True, blank=True)
    complexity = models.CharField(
        _("complexity"), max_length=20, choices=Complexity.choices, blank=True
    )
    remote_area = models.BooleanField(_("remote area"), default=False)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="petitions_handled",
        verbose_name=_("handler"),
    )
    competent_received_on = models.DateField(
        _("received by the competent body on"), null=True, blank=True
    )
    accepted_on = models.DateField(_("accepted for handling on"), null=True, blank=True)
    deadline_rule = models.CharField(_("time-limit rule"), max_length=60, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    deadline_explanation = models.JSONField(default=dict, blank=True, editable=False)
    process_due_on = models.DateField(_("to be processed by"), null=True, blank=True)
    process_explanation = models.JSONField(default=dict, blank=True, editable=False)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_text = models.TextField(_("answer to the petitioner"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        indexes = [
            # lists and figures: petitions held by a unit, newest first
            models.Index(fields=["unit", "received_on"], name="petition_unit_received_idx"),
            # figures "received": by the receiving unit and date
            models.Index(fields=["received_by", "received_on"], name="petition_recv_by_idx"),
            # deadline reminders and "overdue": open petitions by due date
            models.Index(fields=["status", "due_on"], name="petition_status_due_idx"),
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"

    def __repr__(self) -> str:
        return f"<Petition {self.code or self.pk}>"

    def get_absolute_url(self) -> str:
        return reverse("petitions:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def deadline_state(self, on: dt.date) -> DeadlineState | None:
        if self.due_on is None:
            return None
        return state_of(self.due_on, on, done_on=self.concluded_on)

    def explanation(self) -> Explanation | None:
        if not self.deadline_explanation:
            return None
        return Explanation.from_dict(self.deadline_explanation)

    def process_explanation_obj(self) -> Explanation | None:
        if not self.process_explanation:
            return None
        return Explanation.from_dict(self.process_explanation)

    def reason_labels(self) -> list[str]:
        labels = dict(NotHandledReason.choices)
        return [str(labels.get(code, code)) for code in self.not_handled_reasons]


class Transfer(models.Model):
    """A transfer slip (phiếu chuyển đơn): to a unit in giamsat or to a body outside it."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="transfers")
    from_unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    to_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to (in giamsat)"),
    )
    to_body = models.CharField(_("to (other body)"), max_length=255, blank=True)
    slip_number = models.CharField(_("slip number"), max_length=60, blank=True)
    slip_date = models.DateField(_("slip date"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    received_on = models.DateField(_("received there on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slip_date", "pk"]
        verbose_name = _("transfer slip")
        verbose_name_plural = _("transfer slips")

    def __str__(self) -> str:
        return f"{self.slip_number or '—'} {self.slip_date:%d/%m/%Y}"

    @property
    def destination(self) -> str:
        return str(self.to_unit) if self.to_unit_id else self.to_body


class Extension(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveIntegerField(_("days"))
    decided_on = models.DateField(_("decided on"))
    decision_ref = models.CharField(_("decision"), max_length=100, blank=True)
    reason = models.CharField(_("reason"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "pk"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")

    def __str__(self) -> str:
        return f"+{self.days} ({self.decided_on:%d/%m/%Y})"


class Suspension(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="suspensions")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="suspension_order")
        ]

    def __str__(self) -> str:
        return f"{self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"


class EventKind(models.TextChoices):
    RECEIVED = "received", _("received")
    SUPPLEMENTED = "supplemented", _("information added by the petitioner")
    CLASSIFIED = "classified", _("classified")
    NOT_HANDLED = "not_handled", _("not handled")
    SPLIT = "split", _("split into separate contents")
    TRANSFERRED = "transferred", _("transferred")
    TRANSFER_RECEIVED = "transfer_received", _("transfer received")
    ACCEPTED = "accepted", _("accepted for handling")
    ASSIGNED = "assigned", _("handler assigned")
    EXTENDED = "extended", _("time limit extended")
    SUSPENDED = "suspended", _("handling suspended")
    CONCLUDED = "concluded", _("concluded")
    ANSWERED = "answered", _("answer sent")
    WITHDRAWN = "withdrawn", _("withdrawn")
    LINKED = "linked", _("linked to a case")
    HOT_SPOT = "hot_spot", _("hot-spot alert")


class PetitionEvent(models.Model):
    """The history of a petition, in words a user (and, for public events, the petitioner)
    understands. Notes never hold identities."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    day = models.DateField(_("date"))
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Shown to the petitioner on the status page.
    public = models.BooleanField(default=False)

    class Meta:
        ordering = ["day", "at", "pk"]
        verbose_name = _("petition event")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.get_kind_display()}"


class FollowUp(models.Model):
    """Information the petitioner added later with the receipt code."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="follow_ups")
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("additional information"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("additional information")

    def __str__(self) -> str:
        return f"{self.petition} +{self.at:%d/%m/%Y}"


class GrantStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
    REVOKED = "revoked", _("revoked")


class IdentityGrant(models.Model):
    """Permission for one handler to see one petitioner's identity, approved by a custodian
    with a reason and an expiry. Every reveal under it is logged (``AccessEvent``)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="grants")
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identity_grants"
    )
    request_reason = models.CharField(_("why the identity is needed"), max_length=500)
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=12, choices=GrantStatus.choices, default=GrantStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = models.CharField(_("reason for the decision"), max_length=500, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("identity grant")
        verbose_name_plural = _("identity grants")

    def __str__(self) -> str:
        return f"grant #{self.pk} {self.status}"

    def is_active(self, now: dt.datetime) -> bool:
        return (
            self.status == GrantStatus.APPROVED
            and self.expires_at is not None
            and self.expires_at > now
        )


class AlertKind(models.TextChoices):
    UNIT = "unit", _("same unit")
    PERSON = "person", _("same person")
    PLACE = "place", _("same place")
    TOPIC = "topic", _("same topic")
    MANUAL = "manual", _("flagged by hand")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACKNOWLEDGED = "acknowledged", _("being followed")
    CLOSED = "closed", _("closed")


class HotSpotAlert(TimeStampedModel):
    """Petitions about the same unit, person, place or topic within a window, over a
    threshold (configurable): an early warning on the competent committee's dashboard.

    "Điểm nóng" itself has no formal criteria in the sources read (rules-gaps.md §7): it is a
    manual flag (``is_hot_spot``) the competent body sets with a reason.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=AlertKind.choices)
    key = models.CharField(max_length=255)
    label = models.CharField(_("about"), max_length=300)
    subject_unit = models.ForeignKey(
        "units.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject_person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="hot_spot_alerts",
        verbose_name=_("committee alerted"),
    )
    window_start = models.DateField(_("from"))
    window_end = models.DateField(_("to"))
    petition_count = models.PositiveIntegerField(_("petitions"))
    petitions = models.ManyToManyField(Petition, related_name="alerts")
    status = models.CharField(
        _("status"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    is_hot_spot = models.BooleanField(_("hot spot"), default=False)
    hot_spot_reason = models.CharField(_("why a hot spot"), max_length=500, blank=True)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    flagged_on = models.DateField(null=True, blank=True)
    closed_reason = models.CharField(_("why closed"), max_length=500, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-window_end", "-pk"]
        verbose_name = _("hot-spot alert")
        verbose_name_plural = _("hot-spot alerts")
        indexes = [models.Index(fields=["kind", "key", "status"], name="alert_key_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.display_label}"

    def get_absolute_url(self) -> str:
        return reverse("petitions:alert", args=[self.pk])

    @property
    def display_label(self) -> str:
        """What the alert is about, in the reader's language (topics are stored as codes)."""
        if self.kind == AlertKind.TOPIC and self.label in Topic.values:
            return str(Topic(self.label).label)
        return self.label


class ReminderLog(models.Model):
    """One reminder e-mail per deadline key, state and due date: makes the cron job idempotent."""

    key = models.CharField(max_length=200)
    state = models.CharField(max_length=20)
    due = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "state", "due"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.state} {self.due}"
