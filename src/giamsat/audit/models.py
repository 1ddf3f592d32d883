"""Reads of sensitive records, with who, when, why. Changes are logged by django-auditlog.

Both stores are append-only from the application: ``AccessEvent`` refuses updates and deletes,
and on PostgreSQL a trigger refuses them in the database too (migration 0002).
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


class AppendOnlyError(Exception):
    pass


class AccessEvent(models.Model):
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

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("access events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("access events cannot be deleted")
