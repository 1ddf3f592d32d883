"""Shared model primitives: validity intervals and optimistic locking."""

from __future__ import annotations

import datetime as dt

from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from giamsat.core.dates import today


class ConcurrentEditError(Exception):
    """Raised when a record changed since the user loaded it (optimistic locking)."""

    def __init__(self, obj: models.Model, expected: int, actual: int | None) -> None:
        self.obj = obj
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"{obj._meta.label} #{obj.pk} was changed by someone else "
            f"(you edited version {expected}, it is now {actual})"
        )


class ValidityQuerySet(models.QuerySet):
    """Rows with an inclusive ``valid_from``..``valid_to`` interval (NULL end = still valid)."""

    def valid_on(self, day: dt.date | None = None) -> ValidityQuerySet:
        day = day or today()
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)

    def overlapping(self, start: dt.date, end: dt.date | None) -> ValidityQuerySet:
        q = Q(valid_to__isnull=True) | Q(valid_to__gte=start)
        if end is not None:
            q &= Q(valid_from__lte=end)
        return self.filter(q)


class ValidityMixin(models.Model):
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        abstract = True

    def is_valid_on(self, day: dt.date | None = None) -> bool:
        day = day or today()
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    """Optimistic locking: every save through ``save_versioned`` bumps ``version``.

    A form carries the version it was loaded with; if the row moved on meanwhile the save is
    refused with ``ConcurrentEditError`` and nothing is written.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save_versioned(
        self, *, expected_version: int, update_fields: list[str] | None = None
    ) -> None:
        """Save if the row is still at ``expected_version``; raise ConcurrentEditError otherwise."""
        if self.pk is None:
            self.version = 1
            self.save()
            return
        cls = type(self)
        with transaction.atomic():
            # The conditional UPDATE both checks the version and locks the row until commit.
            bumped = cls._base_manager.filter(pk=self.pk, version=expected_version).update(
                version=expected_version + 1
            )
            if bumped != 1:
                actual = (
                    cls._base_manager.filter(pk=self.pk).values_list("version", flat=True).first()
                )
                raise ConcurrentEditError(self, expected_version, actual)
            self.version = expected_version + 1
            fields = None if update_fields is None else [*update_fields, "version"]
            self.save(update_fields=fields)


class CalendarAdjustment(models.Model):
    """An administrator's correction to the working calendar of the deadline engine: an extra
    day off (a compensatory day the Government announced late) or a make-up working day."""

    day = models.DateField(_("day"), unique=True)
    is_working_day = models.BooleanField(_("working day"), default=False)
    reason = models.CharField(_("reason"), max_length=200)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("calendar adjustment")
        verbose_name_plural = _("calendar adjustments")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.reason}"


class DeadlineSetting(models.Model):
    """An administrator's override of a deadline rule's length from a date (for values the
    research marks UNCONFIRMED, or a new regulation not yet in the code)."""

    code = models.CharField(_("rule code"), max_length=80)
    days = models.PositiveIntegerField(_("days"))
    count = models.CharField(
        _("counted in"),
        max_length=10,
        choices=[("calendar", _("calendar days")), ("working", _("working days"))],
    )
    valid_from = models.DateField(_("valid from"))
    source = models.CharField(_("source"), max_length=300)
    unconfirmed = models.BooleanField(_("unconfirmed"), default=True)

    class Meta:
        ordering = ["code", "-valid_from"]
        verbose_name = _("deadline setting")
        verbose_name_plural = _("deadline settings")

    def __str__(self) -> str:
        return f"{self.code}: {self.days} {self.count} from {self.valid_from:%d/%m/%Y}"


class Attachment(TimeStampedModel):
    """A file attached to any record (evidence, documents). Stored under MEDIA_ROOT, outside
    static files, and served only by ``core.files.download`` after the owner's access check."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_owner_idx")]

    def __str__(self) -> str:
        return self.original_name


class LinkKind(models.TextChoices):
    GAVE_RISE_TO = "gave_rise_to", _("gave rise to")
    INFORMATION_FOR = "information_for", _("passed as information to")
    FOLLOWS_UP = "follows_up", _("follows up")
    RELATED = "related", _("related to")


class RecordLink(models.Model):
    """A typed link between records of different apps (e.g. a petition that gave rise to an
    inspection, an unhandled letter passed as information to a supervision), so that no app
    needs a foreign key into an app built after it."""

    source_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    source_id = models.PositiveBigIntegerField()
    target_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField()
    kind = models.CharField(_("kind"), max_length=20, choices=LinkKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("link between records")
        indexes = [
            models.Index(fields=["source_type", "source_id"], name="recordlink_source_idx"),
            models.Index(fields=["target_type", "target_id"], name="recordlink_target_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "target_type", "target_id", "kind"],
                name="recordlink_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_type_id}:{self.source_id} {self.kind} {self.target_type_id}:{self.target_id}"
