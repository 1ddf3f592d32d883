"""Signal receivers of the audit trail (connected in ``AuditConfig.ready``).

- every login, logout and failed login becomes an ``AccessEvent`` (Django's auth signals, so
  the login page, the admin login and any future login path are all covered);
- django-auditlog's ``LogEntry`` refuses changes and deletes from the application;
- each new ``LogEntry`` gets its ``ChangeUnit`` (the unit the changed record concerns).
"""

from __future__ import annotations

from auditlog import get_logentry_model
from auditlog.signals import post_log
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import pre_delete, pre_save

from giamsat.audit.models import AccessKind, AppendOnlyError, ChangeUnit
from giamsat.audit.services import record_access
from giamsat.audit.units import unit_id_for

# Reasons are stored in English (the audit page translates the known ones).
REASON_WRONG_PASSWORD = "wrong username or password"
REASON_UNKNOWN_USER = "unknown username"
REASON_LOCKED_OUT = "locked out after repeated failures"
REASON_WRONG_CODE = "wrong two-step verification code"
REASON_SECOND_FACTOR = "two-step verification passed"


def on_logged_in(sender, request, user, **kwargs) -> None:
    record_access(actor=user, kind=AccessKind.LOGIN, obj=user, request=request)


def on_logged_out(sender, request, user, **kwargs) -> None:
    if user is not None and user.is_authenticated:
        record_access(actor=user, kind=AccessKind.LOGOUT, obj=user, request=request)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    model = get_user_model()
    typed = str(credentials.get(model.USERNAME_FIELD, "") or credentials.get("username", ""))
    account = model._default_manager.filter(**{model.USERNAME_FIELD: typed}).first()
    if getattr(request, "axes_locked_out", False):
        reason = REASON_LOCKED_OUT
    elif account is None:
        reason = REASON_UNKNOWN_USER
    else:
        reason = REASON_WRONG_PASSWORD
    record_access(
        actor=None,
        actor_name=typed[:150],
        kind=AccessKind.LOGIN_FAILED,
        obj=account,
        label=typed if account is None else "",
        reason=reason,
        request=request,
    )


def refuse_log_entry_change(sender, instance, **kwargs) -> None:
    if not instance._state.adding:
        raise AppendOnlyError("audit log entries cannot be changed")


def refuse_log_entry_delete(sender, instance, **kwargs) -> None:
    raise AppendOnlyError("audit log entries cannot be deleted")


def attach_unit(sender, instance, log_entry=None, **kwargs) -> None:
    if log_entry is None:
        return
    unit_id = unit_id_for(instance)
    if unit_id is not None:
        ChangeUnit.objects.create(log_entry=log_entry, unit_id=unit_id)


def connect() -> None:
    log_entry_model = get_logentry_model()
    user_logged_in.connect(on_logged_in, dispatch_uid="giamsat_audit_login")
    user_logged_out.connect(on_logged_out, dispatch_uid="giamsat_audit_logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="giamsat_audit_login_failed")
    pre_save.connect(
        refuse_log_entry_change, sender=log_entry_model, dispatch_uid="giamsat_logentry_save"
    )
    pre_delete.connect(
        refuse_log_entry_delete, sender=log_entry_model, dispatch_uid="giamsat_logentry_delete"
    )
    post_log.connect(attach_unit, dispatch_uid="giamsat_audit_change_unit")
