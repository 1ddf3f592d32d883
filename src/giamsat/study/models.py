"""Study sessions (hội nghị học tập, quán triệt), their lists of participants and attendance.

A ``StudySession`` is organised by a unit on a date and covers one or more directives. Its
**list** (danh sách) is made of ``Attendance`` rows, one per person: the members of the cells
in the session's scope on the session's date (from ``Membership``), the invited non-members
(cadres, civil servants: ``Person.category``/``affiliation``), and anyone added later. Each row
starts *pending* and is marked present, excused (with a reason) or absent.

A **make-up session** (học bù, ``makeup_of``) lists the people of the original session who did
not attend; attending it sets ``made_up_on`` on their row of the original session, so they
count as having studied the original session's directives.

Figures never scan attendance rows (see docs/study.md):
* every write recounts the touched sessions into ``SessionTally`` rows (one per session and
  participant unit) in the same transaction, so attendances (lượt) over any subtree and period
  are a sum over tallies;
* distinct persons read only the partial covering index ``attendance_studied_idx`` (unit,
  session_date, person, studied_on) of the rows of regular sessions.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from giamsat.core.models import TimeStampedModel


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")
    BOTH = "both", _("in person and online")


class ScopeKind(models.TextChoices):
    # Members of every cell in the organising unit's subtree on the session's date.
    SUBTREE = "subtree", _("all cells of the organising unit")
    # Members of the cells chosen for the session.
    CELLS = "cells", _("chosen cells")
    # Nobody is derived from memberships: the list is made by hand (invitations).
    LIST = "list", _("named people only")


class StudySession(TimeStampedModel):
    """A study session. Counters are derived (``services.recount``), never edited by hand."""

    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="study_sessions",
        verbose_name=_("organising unit"),
    )
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    end_date = models.DateField(_("last day"), null=True, blank=True)
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices, default=Mode.IN_PERSON)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    directives = models.ManyToManyField(
        "directives.Directive", related_name="study_sessions", verbose_name=_("directives")
    )
    scope_kind = models.CharField(
        _("participants"), max_length=10, choices=ScopeKind.choices, default=ScopeKind.SUBTREE
    )
    cells = models.ManyToManyField(
        "units.Unit", blank=True, related_name="+", verbose_name=_("cells")
    )
    invite_affiliated = models.BooleanField(
        _("invite the cadres and civil servants of the units in scope"), default=False
    )
    makeup_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="makeups",
        verbose_name=_("make-up session for"),
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Derived counters over the session's list (kept by services.recount in the same
    # transaction as every attendance change).
    listed = models.PositiveIntegerField(_("on the list"), default=0, editable=False)
    present = models.PositiveIntegerField(_("present"), default=0, editable=False)
    excused = models.PositiveIntegerField(_("excused"), default=0, editable=False)
    absent = models.PositiveIntegerField(_("absent"), default=0, editable=False)
    pending = models.PositiveIntegerField(_("not recorded"), default=0, editable=False)
    non_members_listed = models.PositiveIntegerField(default=0, editable=False)
    non_members_present = models.PositiveIntegerField(default=0, editable=False)
    made_up = models.PositiveIntegerField(_("made up"), default=0, editable=False)

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")
        indexes = [
            # sessions of a unit's subtree in a period: join on unit, range on date
            models.Index(fields=["unit", "date"], name="studysession_unit_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("date")),
                name="studysession_dates",
            ),
            models.CheckConstraint(
                condition=~Q(makeup_of=models.F("pk")), name="studysession_not_own_makeup"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("study:detail", args=[self.pk])

    @property
    def is_makeup(self) -> bool:
        return self.makeup_of_id is not None

    @property
    def last_day(self):
        return self.end_date or self.date

    @property
    def studied(self) -> int:
        return self.present + self.made_up if not self.is_makeup else self.present

    def covers_day(self, day) -> bool:
        return self.date <= day <= self.last_day

    def participation_rate(self):
        """Share of the list who studied (present here, or at a make-up), in percent."""
        from giamsat.indicators.registry import rate

        return rate(self.studied, self.listed)

    @property
    def bar(self) -> int:
        """The participation rate rounded down to tens (for the gs-bar-N width classes)."""
        return int(self.participation_rate() // 10) * 10


class ConnectionPoint(models.Model):
    """A connected point (điểm cầu) of an online or mixed session."""

    session = models.ForeignKey(StudySession, on_delete=models.CASCADE, related_name="points")
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("connected point")
        verbose_name_plural = _("connected points")

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    PENDING = "pending", _("not recorded")
    PRESENT = "present", _("present")
    EXCUSED = "excused", _("excused absence")
    ABSENT = "absent", _("absent")


class Source(models.TextChoices):
    MEMBERSHIP = "membership", _("member of a cell in scope")
    INVITED = "invited", _("invited")
    ADDED = "added", _("added to the list")
    MAKEUP = "makeup", _("did not attend the original session")


class Attendance(models.Model):
    """One person on one session's list, and whether they attended."""

    session = models.ForeignKey(StudySession, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="study_attendances"
    )
    # The person's unit on the session's date: their cell (members), their affiliation
    # (non-members), else the organising unit. Figures per unit are read through it, so a
    # member who moved cell counts where they were on each session's date.
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    # Copies of the session's date and kind, so figures need no join to the session.
    session_date = models.DateField()
    is_makeup = models.BooleanField(default=False)
    is_member = models.BooleanField(_("party member"), default=True)
    source = models.CharField(_("on the list as"), max_length=12, choices=Source.choices)
    status = models.CharField(
        _("attendance"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    attended_on = models.DateField(_("attended on"), null=True, blank=True)
    point = models.ForeignKey(
        ConnectionPoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Regular sessions only: the make-up session the person attended instead, and when.
    made_up_in = models.ForeignKey(
        StudySession, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    made_up_on = models.DateField(_("made up on"), null=True, blank=True)
    # The day the person studied this session's directives: attended_on, else made_up_on.
    studied_on = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="attendance_unique"),
            models.CheckConstraint(
                condition=~Q(status="excused") | ~Q(reason=""), name="attendance_excused_reason"
            ),
        ]
        indexes = [
            # distinct persons expected / studied over a subtree and period (regular sessions):
            # an index-only read, never the rows (docs/study.md)
            models.Index(
                fields=["unit", "session_date", "person", "studied_on"],
                condition=Q(is_makeup=False),
                name="attendance_studied_idx",
            ),
            # a person's study history on their page
            models.Index(fields=["person", "session_date"], name="attendance_person_idx"),
            # the session page: its list by status
            models.Index(fields=["session", "status"], name="attendance_session_idx"),
            # a figure's drill-down of a large subtree (ordered by date, session, name): read in
            # this order and sorted only within a session, not the province's million rows
            # (docs/performance.md)
            models.Index(fields=["session_date", "session"], name="attendance_date_session_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.session_id}: {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("study:detail", args=[self.session_id]) + f"#a{self.pk}"

    @property
    def studied(self) -> bool:
        return self.studied_on is not None


class SessionTally(models.Model):
    """Counters of one session's list for one participant unit (derived, see recount).

    "A province-wide figure reads one row per session": a cell's own meeting has one tally;
    a city conference with connected points has one per participating cell.
    """

    session = models.ForeignKey(StudySession, on_delete=models.CASCADE, related_name="tallies")
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    session_date = models.DateField()
    is_makeup = models.BooleanField(default=False)
    listed = models.PositiveIntegerField(default=0)
    present = models.PositiveIntegerField(default=0)
    excused = models.PositiveIntegerField(default=0)
    absent = models.PositiveIntegerField(default=0)
    pending = models.PositiveIntegerField(default=0)
    non_members_listed = models.PositiveIntegerField(default=0)
    non_members_present = models.PositiveIntegerField(default=0)
    made_up = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "unit"], name="sessiontally_unique")
        ]
        indexes = [
            # sums over a subtree and period: join on unit, range on date
            models.Index(fields=["unit", "session_date"], name="sessiontally_unit_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.unit_id}: {self.present}/{self.listed}"


class ImportStatus(models.TextChoices):
    DONE = "done", _("imported")
    FAILED = "failed", _("refused")


class AttendanceImport(models.Model):
    """A spreadsheet of attendance imported (or refused) for a session: who, when, what."""

    session = models.ForeignKey(StudySession, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=8, choices=ImportStatus.choices)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    changed = models.PositiveIntegerField(_("rows written"), default=0)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("attendance import")

    def __str__(self) -> str:
        return f"{self.file_name} → {self.session_id} ({self.status})"
