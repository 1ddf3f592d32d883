"""Imports of spreadsheets: a staged batch, what each row will do, members missing from a roster,
and saved column mappings.

An ``ImportBatch`` moves through these states::

    needs_mapping ──(columns mapped)──┐
    (upload) ──────────────────────> processing ──> ready ──(confirm)──> applying ──> applied
                                          │           │  └──(discard)──> discarded
                                          └─> failed  └──(data changed since the preview)──> ready

Nothing is written to units or people before confirmation: the batch keeps the uploaded file,
its SHA-256 and the preview (one ``ImportRow`` per row that is created, updated or rejected,
plus counts). Confirmation reads the file again, re-plans against the database, checks that the
plan still has the digest the user saw, and writes everything in one transaction.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    UNITS = "units", _("party organisations")
    MEMBERS = "members", _("party members")
    POSTS = "posts", _("posts")
    EVENTS = "events", _("reorganisation events")


class BatchStatus(models.TextChoices):
    NEEDS_MAPPING = "needs_mapping", _("columns to map")
    PROCESSING = "processing", _("checking the file")
    READY = "ready", _("preview ready")
    APPLYING = "applying", _("importing")
    APPLIED = "applied", _("imported")
    FAILED = "failed", _("could not be read")
    DISCARDED = "discarded", _("discarded")


class RowAction(models.TextChoices):
    CREATE = "create", _("to create")
    UPDATE = "update", _("to update")
    UNCHANGED = "unchanged", _("unchanged")
    REJECT = "reject", _("rejected")


# A batch still "processing" or "applying" after this long was interrupted (server restart).
STALE_AFTER = dt.timedelta(minutes=30)


class ColumnMapping(models.Model):
    """How the columns of a file that does not follow the template map to template fields,
    saved under a name (e.g. "CSDL đảng viên 3.0 export") to be reused for the same source."""

    kind = models.CharField(_("data"), max_length=16, choices=ImportKind.choices)
    name = models.CharField(_("name"), max_length=100)
    # template field -> header text in the source file (matched ignoring case and diacritics)
    columns = models.JSONField(_("columns"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="columnmapping_kind_name")
        ]

    def __str__(self) -> str:
        return self.name


class ImportBatch(models.Model):
    """One uploaded file, its preview and, once confirmed, what it did (see module docstring)."""

    kind = models.CharField(_("data"), max_length=16, choices=ImportKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.PROCESSING
    )
    # The organisation the file covers: rows must fall inside the importer's scope, and a
    # roster's missing members are looked for in this organisation's subtree.
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    as_of = models.DateField(_("data as of"))
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(max_length=64)
    file_type = models.CharField(max_length=8, blank=True)
    encoding = models.CharField(max_length=20, blank=True)
    mapping = models.ForeignKey(
        ColumnMapping,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("column mapping"),
    )
    headers = models.JSONField(default=list)
    header_row = models.PositiveIntegerField(default=1)
    # template field -> 0-based column index in the file
    columns = models.JSONField(default=dict)
    skip_rejected = models.BooleanField(_("skip rejected rows"), default=False)

    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    missing_count = models.PositiveIntegerField(_("missing from the file"), default=0)
    # File-level notices shown above the preview (encoding read, ignored columns, ...).
    notices = models.JSONField(default=list)
    error = models.TextField(_("error"), blank=True)
    plan_digest = models.CharField(max_length=64, blank=True)
    preview_seconds = models.FloatField(null=True, blank=True)
    apply_seconds = models.FloatField(null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [
            # the import list: batches of units in scope, newest first
            models.Index(fields=["unit", "-created_at"], name="importbatch_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("imports:detail", args=[self.pk])

    def get_additional_data(self) -> dict:
        """Summary attached to the audit entry of the import (django-auditlog)."""
        return {
            "kind": self.kind,
            "file": self.original_name,
            "sha256": self.sha256,
            "unit": self.unit_id,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "created": self.created_count,
            "updated": self.updated_count,
            "unchanged": self.unchanged_count,
            "rejected_skipped": self.rejected_count if self.skip_rejected else 0,
            "missing": self.missing_count,
        }

    @property
    def is_busy(self) -> bool:
        return self.status in (BatchStatus.PROCESSING, BatchStatus.APPLYING) and not self.is_stale

    @property
    def is_stale(self) -> bool:
        return (
            self.status in (BatchStatus.PROCESSING, BatchStatus.APPLYING)
            and self.updated_at is not None
            and timezone.now() - self.updated_at > STALE_AFTER
        )

    @property
    def can_apply(self) -> bool:
        # A roster with members missing is confirmed even when no row changes, so that what
        # happened to them can be recorded.
        work = self.created_count + self.updated_count + self.missing_count
        return self.status == BatchStatus.READY and work > 0

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def progress_class(self) -> str:
        return f"gs-bar-{(self.progress_percent // 10) * 10}"


class ImportRow(models.Model):
    """What one row of the file does (or why it cannot): unchanged rows are only counted."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField(_("row"))
    action = models.CharField(_("result"), max_length=10, choices=RowAction.choices)
    label = models.CharField(_("record concerned"), max_length=255, blank=True)
    key = models.CharField(_("key"), max_length=80, blank=True)
    # [[field, old value, new value], ...] as shown to the user
    changes = models.JSONField(default=list)
    # [[field, message], ...]: errors reject the row, warnings do not
    errors = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["row_number", "pk"]
        verbose_name = _("import row")
        indexes = [
            # the preview lists rows of one result in file order
            models.Index(fields=["batch", "action", "row_number"], name="importrow_batch_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row_number} {self.action}"


class MissingResolution(models.TextChoices):
    TRANSFERRED_OUT = "transferred_out", _("transferred out")
    DECEASED = "deceased", _("deceased")
    LEFT = "left", _("left the Party")
    STILL_MEMBER = "still_member", _("still a member here (left out of the file)")


class MissingMember(models.Model):
    """A member of the roster's organisation who is not in the new file: listed for the user to
    say what happened; never deleted."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="missing")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(
        "people.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolution = models.CharField(
        _("what happened"), max_length=20, choices=MissingResolution.choices, blank=True
    )
    resolved_on = models.DateField(_("date it happened"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["unit_id", "person__name_sort", "pk"]
        verbose_name = _("member missing from a roster")
        constraints = [
            models.UniqueConstraint(fields=["batch", "person"], name="missingmember_unique")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.person_id}"
