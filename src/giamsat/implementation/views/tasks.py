"""Key tasks and bottlenecks: list with roll-up, create, edit, progress entries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from giamsat.accounts.scoping import has_capability, scope_q
from giamsat.core.dates import today
from giamsat.core.files import attachments_of
from giamsat.core.models import ConcurrentEditError
from giamsat.directives.scoping import directives_in_scope
from giamsat.implementation import queries, services
from giamsat.implementation.forms import KeyTaskForm, ProgressForm, TaskFilterForm
from giamsat.implementation.models import KeyTaskUpdate, TaskKind
from giamsat.implementation.scoping import MANAGE, can_manage_unit
from giamsat.implementation.views.common import (
    PAGE_SIZE,
    child_units,
    people_of,
    require_manage,
    task_for,
    unit_for,
)
from giamsat.people.models import Person
from giamsat.units.models import Unit


# --- key tasks and bottlenecks ------------------------------------------------------------
@login_required
def key_tasks(request: HttpRequest, pk: int) -> HttpResponse:
    """Key tasks and bottlenecks of a unit's subtree with a roll-up by child unit."""
    unit = unit_for(request, pk)
    form = TaskFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    on = unit.reference_date(min(data.get("on") or today(), today()))
    as_of = on
    base = queries.tasks(unit, as_of=as_of, on=on)
    total = queries.task_counts(base)
    children = child_units(unit, as_of)
    by_child = queries.task_counts_by_child(base, children, as_of)
    listed = base
    if data.get("kind"):
        listed = listed.filter(kind=data["kind"])
    if data.get("state"):
        listed = listed.filter(state=data["state"])
    last = KeyTaskUpdate.objects.filter(task=OuterRef("pk")).order_by("-date", "-pk")
    listed = (
        listed.select_related("unit", "owner", "directive")
        .annotate(
            last_date=Subquery(last.values("date")[:1]), last_text=Subquery(last.values("text")[:1])
        )
        .order_by("kind", "deadline", "pk")
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "form": form,
        "total": total,
        "child_rows": [(c, by_child[c.pk]) for c in children if by_child[c.pk].total],
        "page": page,
        "state_css": queries.TASK_STATE_CSS,
        "can_manage": can_manage_unit(request.user, unit),
        "kinds": TaskKind,
        "on": on,
    }
    return render(request, "implementation/key_tasks.html", context)


def _task_form(request: HttpRequest, data=None, *, unit: Unit | None = None, initial=None):
    user = request.user
    units = Unit.objects.filter(scope_q(user, MANAGE)).organisations().order_by("kind", "name_sort")
    people = people_of(unit) if unit is not None else Person.objects.none()
    return KeyTaskForm(
        data,
        units=units,
        people=people,
        directives=directives_in_scope(user).order_by("-issued_on"),
        initial=initial,
    )


@login_required
def key_task_new(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, MANAGE):
        raise PermissionDenied
    raw_unit = request.POST.get("unit") or request.GET.get("unit") or ""
    unit = None
    if raw_unit.isdigit():
        unit = Unit.objects.filter(scope_q(request.user, MANAGE), pk=int(raw_unit)).first()
    form = _task_form(
        request,
        request.POST if request.method == "POST" else None,
        unit=unit,
        initial={"unit": unit, "opened_on": today(), "kind": request.GET.get("kind", "key_task")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.create_key_task(
                unit=data["unit"],
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                owner=data["owner"],
                owner_title=data["owner_title"],
                opened_on=data["opened_on"],
                deadline=data["deadline"],
                directive=data["directive"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Saved."))
            return redirect(task.get_absolute_url())
    return render(request, "implementation/key_task_form.html", {"form": form, "task": None})


@login_required
def key_task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = task_for(request, pk)
    can_manage = can_manage_unit(request.user, task.unit)
    form = ProgressForm(initial={"version": task.version, "date": today()})
    if request.method == "POST":
        require_manage(request, task.unit)
        form = ProgressForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_task_progress(
                    task=task,
                    acting_user=request.user,
                    date=data["date"],
                    text=data["text"],
                    status=data["status"],
                    expected_version=data["version"],
                )
            except ConcurrentEditError:
                form.add_error(
                    None, _("Someone changed this task after you opened it: reload the page.")
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("The progress entry was added."))
                return redirect(task.get_absolute_url())
    state = task.state_on(today())
    context = {
        "task": task,
        "unit": task.unit,
        "state": state,
        "state_css": queries.TASK_STATE_CSS[state],
        "state_label": queries.TASK_STATE_LABELS[state.value],
        "updates": task.updates.select_related("recorded_by"),
        "form": form,
        "can_manage": can_manage,
        "files": attachments_of(task),
    }
    return render(request, "implementation/key_task_detail.html", context)


@login_required
def key_task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = task_for(request, pk)
    require_manage(request, task.unit)
    initial = {
        "version": task.version,
        "unit": task.unit,
        "kind": task.kind,
        "title": task.title,
        "description": task.description,
        "owner": task.owner,
        "owner_title": task.owner_title,
        "opened_on": task.opened_on,
        "deadline": task.deadline,
        "directive": task.directive,
    }
    form = _task_form(
        request, request.POST if request.method == "POST" else None, unit=task.unit, initial=initial
    )
    form.fields["unit"].disabled = True
    form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_key_task(
                task=task,
                acting_user=request.user,
                expected_version=data.get("version") or 0,
                title=data["title"],
                description=data["description"],
                owner=data["owner"],
                owner_title=data["owner_title"],
                deadline=data["deadline"],
                opened_on=data["opened_on"],
                directive=data["directive"],
            )
        except ConcurrentEditError:
            form.add_error(
                None,
                _(
                    "Someone changed this task after you opened it; nothing was saved. Reload the page."
                ),
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Saved."))
            return redirect(task.get_absolute_url())
    return render(request, "implementation/key_task_form.html", {"form": form, "task": task})
