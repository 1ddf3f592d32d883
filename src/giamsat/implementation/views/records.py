"""Implementation records and fulfilments: responsible person, reminders, marking done."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giamsat.core.dates import today
from giamsat.core.files import attachments_of
from giamsat.core.models import ConcurrentEditError
from giamsat.directives.models import Directive
from giamsat.directives.scoping import directives_in_scope
from giamsat.implementation import queries, services
from giamsat.implementation.forms import FulfilmentForm, ReminderForm, ReopenForm, ResponsibleForm
from giamsat.implementation.models import Fulfilment, Status
from giamsat.implementation.rules import days_overdue
from giamsat.implementation.scoping import can_manage_unit
from giamsat.implementation.views.common import (
    fulfilment_for,
    people_of,
    record_for,
    require_manage,
    safe_next,
)


# --- records and fulfilments --------------------------------------------------------------
@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = record_for(request, pk)
    on = record.unit.reference_date(today())  # an ended unit is judged on its last day
    fulfilments = list(
        record.fulfilments.with_status(on)
        .select_related("requirement", "document", "recorded_by")
        .order_by("requirement__order", "requirement__pk")
    )
    for item in fulfilments:
        item.files = list(attachments_of(item))
        item.overdue_days = days_overdue(
            due_on=item.requirement.due_on, done_on=item.done_on, on=on
        )
    can_manage = can_manage_unit(request.user, record.unit)
    responsible_form = ResponsibleForm(
        initial={
            "person": record.responsible_id,
            "title": record.responsible_title,
            "note": record.note,
        },
        people=people_of(record.unit),
    )
    reminder_form = ReminderForm(
        initial={"sent_on": today(), "requirement": request.GET.get("requirement", "")},
        requirements=[i.requirement for i in fulfilments],
    )
    # The chain NQ → tỉnh ủy KH → thành ủy KH → this unit's document, as far as visible.
    end = next((i.document for i in fulfilments if i.document_id), None)
    end = end or record.assignment.guiding_document
    chain = [*reversed(end.cascade_up()), end]
    visible = set(
        directives_in_scope(request.user)
        .filter(pk__in=[d.pk for d in chain])
        .values_list("pk", flat=True)
    )
    context = {
        "record": record,
        "unit": record.unit,
        "cascade": [d for d in chain if d.pk in visible],
        "fulfilments": fulfilments,
        "reminders": record.reminders.select_related("requirement", "created_by"),
        "can_manage": can_manage,
        "responsible_form": responsible_form,
        "reminder_form": reminder_form,
        "status_css": queries.STATUS_CSS,
        "next": request.GET.get("next", ""),
    }
    return render(request, "implementation/record_detail.html", context)


@login_required
@require_POST
def record_responsible(request: HttpRequest, pk: int) -> HttpResponse:
    record = record_for(request, pk)
    require_manage(request, record.unit)
    form = ResponsibleForm(request.POST, people=people_of(record.unit))
    if form.is_valid():
        services.set_responsible(
            implementation=record,
            acting_user=request.user,
            person=form.cleaned_data["person"],
            title=form.cleaned_data["title"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("The responsible person was saved."))
    else:
        messages.error(request, _("The responsible person was not saved: check the fields."))
    return redirect(record.get_absolute_url())


@login_required
def record_remind(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a reminder (đôn đốc) to a late or missing unit."""
    record = record_for(request, pk)
    require_manage(request, record.unit)
    requirements = list(record.assignment.requirements.all())
    form = ReminderForm(
        request.POST if request.method == "POST" else None,
        initial={"sent_on": today(), "requirement": request.GET.get("requirement", "")},
        requirements=requirements,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        requirement = next((r for r in requirements if r.pk == data.get("requirement")), None)
        try:
            services.record_reminder(
                implementation=record,
                acting_user=request.user,
                sent_on=data["sent_on"],
                method=data["method"],
                note=data["note"],
                requirement=requirement,
                document_symbol=data.get("document_symbol", ""),
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, _("The reminder to %(unit)s was recorded.") % {"unit": record.unit}
            )
            return redirect(safe_next(request, record.get_absolute_url()))
    context = {"record": record, "form": form, "next": safe_next(request, "")}
    return render(request, "implementation/remind.html", context)


def _documents_for(fulfilment: Fulfilment):
    return Directive.objects.filter(issuing_unit=fulfilment.implementation.unit).order_by(
        "-issued_on", "symbol"
    )


@login_required
def fulfilment(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a requirement done at a unit (or reopen it), with document and evidence files."""
    item = fulfilment_for(request, pk)
    unit = item.implementation.unit
    can_manage = can_manage_unit(request.user, unit)
    on = unit.reference_date(today())
    form = FulfilmentForm(
        initial={
            "version": item.version,
            "done_on": item.done_on,
            "document": item.document_id,
            "note": item.note,
        },
        documents=_documents_for(item),
    )
    reopen = ReopenForm(initial={"version": item.version})
    if request.method == "POST":
        require_manage(request, unit)
        if "reopen" in request.POST:
            reopen = ReopenForm(request.POST)
            if reopen.is_valid():
                try:
                    services.reopen_fulfilment(
                        fulfilment=item,
                        acting_user=request.user,
                        reason=reopen.cleaned_data["reason"],
                        expected_version=reopen.cleaned_data["version"],
                    )
                except ConcurrentEditError:
                    messages.error(request, _("Someone changed this record meanwhile: reload it."))
                except ValidationError as exc:
                    reopen.add_error(None, exc.messages[0])
                else:
                    messages.success(request, _("The requirement was reopened."))
                    return redirect(safe_next(request, item.get_absolute_url()))
        else:
            form = FulfilmentForm(request.POST, request.FILES, documents=_documents_for(item))
            if form.is_valid():
                data = form.cleaned_data
                new_doc = None
                if data.get("doc_symbol"):
                    new_doc = services.DocumentSpec(
                        data["doc_symbol"], data["doc_date"], data["doc_title"]
                    )
                try:
                    services.record_fulfilment(
                        fulfilment=item,
                        acting_user=request.user,
                        done_on=data.get("done_on"),
                        document=data.get("document"),
                        new_document=new_doc,
                        note=data.get("note", ""),
                        files=data.get("files") or [],
                        expected_version=data["version"],
                    )
                except ConcurrentEditError:
                    form.add_error(
                        None,
                        _(
                            "Someone changed this record after you opened it; nothing was saved. "
                            "Reload the page to see the current state."
                        ),
                    )
                except ValidationError as exc:
                    for message in exc.messages:
                        form.add_error(None, message)
                else:
                    messages.success(
                        request,
                        _("%(requirement)s: recorded as done at %(unit)s.")
                        % {"requirement": item.requirement.title, "unit": unit},
                    )
                    return redirect(safe_next(request, item.implementation.get_absolute_url()))
    status = item.status_on(on)
    context = {
        "item": item,
        "record": item.implementation,
        "unit": unit,
        "status": status,
        "status_label": Status(status.value).label,
        "status_css": queries.STATUS_CSS[status],
        "overdue_days": days_overdue(due_on=item.requirement.due_on, done_on=item.done_on, on=on),
        "files": attachments_of(item),
        "form": form,
        "reopen": reopen,
        "can_manage": can_manage,
        "next": safe_next(request, ""),
    }
    return render(request, "implementation/fulfilment.html", context)
