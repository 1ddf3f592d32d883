"""The petitions dashboard and list, the export, and intake by staff."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import has_capability, scope_q
from giamsat.audit.models import AccessKind
from giamsat.audit.services import record_access
from giamsat.core.dates import today
from giamsat.core.deadlines import STATE_LABELS, DeadlineState, configured_thresholds
from giamsat.core.excel import write_xlsx
from giamsat.petitions import access, forms, services
from giamsat.petitions.models import (
    AlertStatus,
    Petition,
    Status,
)
from giamsat.units.models import Unit, UnitKind

PAGE_SIZE = 50


# --- lists ------------------------------------------------------------------------------------


def deadline_q(state: str, day: dt.date) -> Q:
    """Q over Petition for a deadline state on ``day`` (same thresholds as ``state_of``)."""
    limits = configured_thresholds()
    soon = day + dt.timedelta(days=limits.due_soon_days)
    long_ago = day - dt.timedelta(days=limits.long_overdue_days)
    running = Q(due_on__isnull=False, concluded_on__isnull=True)
    return {
        DeadlineState.ON_TRACK: running & Q(due_on__gt=soon),
        DeadlineState.DUE_SOON: running & Q(due_on__gte=day, due_on__lte=soon),
        DeadlineState.OVERDUE: running & Q(due_on__lt=day, due_on__gte=long_ago),
        DeadlineState.LONG_OVERDUE: running & Q(due_on__lt=long_ago),
        DeadlineState.DONE: Q(concluded_on__isnull=False, concluded_on__lte=F("due_on")),
        DeadlineState.DONE_LATE: Q(concluded_on__isnull=False, concluded_on__gt=F("due_on")),
    }[DeadlineState(state)]


def filtered(request: HttpRequest) -> tuple[QuerySet[Petition], forms.ListFilterForm]:
    form = forms.ListFilterForm(request.GET or None)
    items = access.petitions_for(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            items = items.search(data["q"])
        if data["status"] == "open":
            items = items.open()
        elif data["status"]:
            items = items.filter(status=data["status"])
        if data["petition_class"]:
            items = items.filter(petition_class=data["petition_class"])
        if data["channel"]:
            items = items.filter(channel=data["channel"])
        if data["deadline"]:
            items = items.filter(deadline_q(data["deadline"], today()))
        if data["group"]:
            items = items.filter(is_group=True)
    return items.select_related("unit", "received_by"), form


def _row(petition: Petition, day: dt.date) -> tuple[Petition, str, str]:
    state = petition.deadline_state(day)
    return (petition, str(state or ""), str(STATE_LABELS[state]) if state else "")


@login_required
def petition_list(request: HttpRequest) -> HttpResponse:
    """The committee's dashboard: hot-spot alerts, deadline counts, and the list."""
    if not has_capability(request.user, Cap.VIEW_PETITIONS):
        raise Http404
    items, form = filtered(request)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    day = today()
    visible = access.petitions_for(request.user)
    counts = {
        "open": visible.open().count(),
        "due_soon": visible.filter(
            deadline_q(DeadlineState.DUE_SOON, day), status=Status.IN_HANDLING
        ).count(),
        "overdue": visible.filter(
            deadline_q(DeadlineState.OVERDUE, day) | deadline_q(DeadlineState.LONG_OVERDUE, day),
            status=Status.IN_HANDLING,
        ).count(),
        "to_process": visible.filter(status=Status.RECEIVED).count(),
    }
    alerts = (
        access.alerts_for(request.user)
        .filter(status__in=[AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED])
        .select_related("unit")[:20]
    )
    rows = [_row(p, day) for p in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": rows,
        "form": form,
        "counts": counts,
        "alerts": alerts,
        "state_labels": STATE_LABELS,
        "querystring": query.urlencode(),
        "can_handle": has_capability(request.user, Cap.HANDLE_PETITIONS),
        "can_decide": has_capability(request.user, Cap.APPROVE_IDENTITY_GRANTS),
        "can_audit": has_capability(request.user, Cap.VIEW_AUDIT),
    }
    return render(request, "petitions/list.html", context)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The filtered list as XLSX (formula-safe): no identity, no letter text."""
    if not has_capability(request.user, Cap.VIEW_PETITIONS):
        raise Http404
    items, _form = filtered(request)
    day = today()
    headers = [
        _("Reference"),
        _("Received on"),
        _("Received by"),
        _("Channel"),
        _("Class"),
        _("Party or state matter"),
        _("Status"),
        _("Held by"),
        _("Due on"),
        _("Deadline"),
        _("Concluded on"),
        _("Group petition"),
        _("Number of signers"),
        _("Topic"),
        _("Summary"),
    ]

    def rows():
        for p in items.iterator(chunk_size=500):
            state = p.deadline_state(day)
            yield [
                p.code,
                p.received_on,
                p.received_by.name,
                p.get_channel_display(),
                p.get_petition_class_display(),
                p.get_matter_display(),
                p.get_status_display(),
                p.unit.name,
                p.due_on,
                str(STATE_LABELS[state]) if state else "",
                p.concluded_on,
                _("yes") if p.is_group else "",
                p.signer_count,
                p.get_topic_display() if p.topic else "",
                p.summary,
            ]

    data = write_xlsx([(_("Petitions"), headers, rows())])
    record_access(actor=request.user, kind=AccessKind.EXPORT, request=request, label="petitions")
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="don-thu-{day:%Y%m%d}.xlsx"'
    return response


# --- intake -----------------------------------------------------------------------------------


def _handling_units(user) -> QuerySet[Unit]:
    return (
        Unit.objects.valid_on(today())
        .filter(scope_q(user, Cap.HANDLE_PETITIONS))
        .exclude(kind__in=[UnitKind.CELL])
        .order_by("kind", "name_sort")
    )


@login_required
@sensitive_post_parameters()
@sensitive_variables()
@never_cache
def intake(request: HttpRequest) -> HttpResponse:
    """Record a letter received by phone, post, in person or transferred by another body."""
    if not has_capability(request.user, Cap.HANDLE_PETITIONS):
        raise Http404
    units = _handling_units(request.user)
    if request.method == "POST":
        form = forms.IntakeForm(request.POST, request.FILES, units=units)
        if form.is_valid():
            data = form.cleaned_data
            spec = services.NewPetition(
                unit=data["unit"],
                channel=data["channel"],
                content=data["content"],
                received_on=data["received_on"],
                declared_class=data["declared_class"],
                subject_text=data["subject_text"],
                place=data["place"],
                topic=data["topic"],
                summary=data["summary"],
                signer_count=data["signer_count"],
                representative_count=data["representative_count"],
                sender_body=data["sender_body"],
                sender_reference=data["sender_reference"],
                identity=form.identity(),
            )
            try:
                petition, code = services.record_intake(
                    spec=spec, acting_user=request.user, files=data["files"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                from giamsat.petitions.receipts import format_code

                return render(
                    request,
                    "petitions/intake_done.html",
                    {"petition": petition, "code": format_code(code)},
                )
    else:
        form = forms.IntakeForm(
            units=units, initial={"received_on": today(), "unit": units.first()}
        )
    return render(request, "petitions/intake.html", {"form": form})
