"""The audit page of the inspection commission: who saw what, who changed what, in its units."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import has_capability
from giamsat.audit.export import EXPORT_LIMIT, export_access, export_changes
from giamsat.audit.forms import ACTION_LABELS, AuditFilterForm
from giamsat.audit.models import AccessKind
from giamsat.audit.queries import (
    access_events_for,
    changes_for,
    filter_access,
    filter_changes,
    units_of_changes,
)
from giamsat.audit.services import record_access
from giamsat.audit.units import primary_unit_id

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_audit(request: HttpRequest) -> None:
    # Like every out-of-scope page: 404, the section's existence is not confirmed.
    if not has_capability(request.user, Cap.VIEW_AUDIT):
        raise Http404


def _log_view(request: HttpRequest, what: str, summary: str, kind=AccessKind.READ) -> None:
    record_access(
        actor=request.user,
        kind=kind,
        label=what,
        unit=primary_unit_id(request.user),
        reason=summary,
        request=request,
    )


def _page(request: HttpRequest, *, changes: bool) -> HttpResponse:
    _require_audit(request)
    form = AuditFilterForm(request.GET or None, changes=changes)
    audit_filter = form.to_filter()
    if changes:
        rows = filter_changes(changes_for(request.user), audit_filter, request.user)
    else:
        rows = filter_access(access_events_for(request.user), audit_filter, request.user)
    if form.is_bound and not form.is_valid():
        rows = rows.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    entries = list(page.object_list)
    if changes:
        units = units_of_changes(entries)
        for entry in entries:
            ct = entry.content_type
            entry.record_ref = f"{ct.app_label}.{ct.model}:{entry.object_pk}"
            entry.unit_name = units[entry.pk].name if entry.pk in units else ""
            entry.action_label = ACTION_LABELS.get(entry.action, entry.action)
    else:
        for event in entries:
            event.record_ref = f"{event.object_type}:{event.object_id}"
    _log_view(
        request,
        "audit trail: changes" if changes else "audit trail: access",
        audit_filter.describe(),
    )
    context = {
        "form": form,
        "page": page,
        "entries": entries,
        "changes": changes,
        "export_limit": EXPORT_LIMIT,
    }
    return render(request, "audit/home.html", context)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Who saw what: reads, exports, identity reveals, refusals, logins."""
    return _page(request, changes=False)


@login_required
def changes(request: HttpRequest) -> HttpResponse:
    """Who changed what: every create, change and delete with old and new values."""
    return _page(request, changes=True)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The filtered trail as an XLSX file (one row per event, or per changed field)."""
    _require_audit(request)
    is_changes = request.GET.get("view") == "changes"
    form = AuditFilterForm(request.GET or None, changes=is_changes)
    back = reverse("audit:changes" if is_changes else "audit:home")
    query = request.GET.copy()
    query.pop("view", None)
    if query:
        back += "?" + query.urlencode()
    if form.is_bound and not form.is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(back)
    audit_filter = form.to_filter()
    if is_changes:
        rows = filter_changes(changes_for(request.user), audit_filter, request.user)
    else:
        rows = filter_access(access_events_for(request.user), audit_filter, request.user)
    total = rows.count()
    if total > EXPORT_LIMIT:
        messages.error(
            request,
            _(
                "%(count)s rows match: an export holds at most %(limit)s. Narrow the dates or "
                "choose a person, record or organisation, then export again."
            )
            % {
                "count": f"{total:,}".replace(",", "."),
                "limit": f"{EXPORT_LIMIT:,}".replace(",", "."),
            },
        )
        return redirect(back)
    data = export_changes(rows) if is_changes else export_access(rows)
    _log_view(
        request,
        "audit trail: changes (XLSX)" if is_changes else "audit trail: access (XLSX)",
        f"{total} rows; {audit_filter.describe()}",
        kind=AccessKind.EXPORT,
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"nhat-ky-{'thay-doi' if is_changes else 'truy-cap'}-{stamp}.xlsx"
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
