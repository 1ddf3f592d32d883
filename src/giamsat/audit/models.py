"""The audit trail: reads of sensitive records (``AccessEvent``) and, through django-auditlog's
``LogEntry``, every create, change and delete with actor, time, old and new values.

Both stores are append-only from the application: ``AccessEvent`` and ``ChangeUnit`` refuse
updates and deletes (instance and queryset), ``LogEntry`` refuses them through signals
(``audit.signals``), and on PostgreSQL a trigger refuses UPDATE and DELETE on all three tables in
the database itself (migrations 0003 and 0004).

Every row carries the unit it concerns (``AccessEvent.unit``, ``ChangeUnit.unit`` for a
``LogEntry``) so that the inspection commission sees the trail of its own subtree only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessKind(models.TextChoices):
    READ = "read", _("read")
    EXPORT = "export", _("export")
    REVEAL_IDENTITY = "reveal_identity", _("identity revealed")
    REFUSED = "refused", _("access refused")
    LOGIN = "login", _("login")
    LOGIN_FAILED = "login_failed", _("login failed")
    LOGOUT = "logout", _("logout")
    BACKUP = "backup", _("backup of all data")
    RESTORE = "restore", _("restore from a backup")


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a row of the audit trail."""


class AppendOnlyQuerySet(models.QuerySet):
    """Inserts and reads only: bulk updates and deletes are refused like instance ones."""

    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.label} rows cannot be changed")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.label} rows cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(f"{self.model._meta.label} rows cannot be changed")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.label} rows cannot be changed")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.label} rows cannot be deleted")


class AccessEvent(AppendOnlyModel):
    """Someone read, exported, revealed or was refused a sensitive record, or logged in/out."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AccessKind.choices)
    object_type = models.CharField(_("record type"), max_length=100, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    object_label = models.CharField(_("record"), max_length=255, blank=True)
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        indexes = [models.Index(fields=["object_type", "object_id"], name="access_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_name} {self.kind} {self.object_label}"


class ChangeUnit(AppendOnlyModel):
    """The unit a django-auditlog ``LogEntry`` concerns, resolved when the change was made.

    Kept beside the log entry (auditlog's table has no unit) so that the audit page can scope
    changes with one indexed join, including changes to records that were deleted since. The
    unit is a plain reference without a database constraint: a deleted unit keeps its trail.
    """

    log_entry = models.OneToOneField(
        "auditlog.LogEntry", on_delete=models.DO_NOTHING, primary_key=True, related_name="+"
    )
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("party organisation"),
    )

    class Meta:
        verbose_name = _("unit of a change")
        verbose_name_plural = _("units of changes")

    def __str__(self) -> str:
        return f"{self.log_entry_id} @ {self.unit_id}"
