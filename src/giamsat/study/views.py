"""Study pages: sessions with their figures, a session's list and attendance, spreadsheets."""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import has_capability, scope_q
from giamsat.core.dates import today
from giamsat.core.excel import write_xlsx
from giamsat.core.text import search_key
from giamsat.directives.scoping import directives_in_scope
from giamsat.indicators.registry import get_indicator
from giamsat.indicators.selection import selection_from
from giamsat.people.models import Person
from giamsat.study import services, spreadsheets
from giamsat.study.forms import ImportForm, MakeupForm, MarkForm, SessionForm
from giamsat.study.models import Attendance, Status, StudySession
from giamsat.study.scoping import (
    can_manage,
    manageable_sessions,
    organiser_visible,
    visible_rows,
    visible_sessions,
)
from giamsat.units.models import Unit, subtree_q

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIGURES = (
    "study.sessions",
    "study.attendances",
    "study.persons_studied",
    "study.participation_rate",
)


def _get_session_for_user(request: HttpRequest, pk: int) -> StudySession:
    session = visible_sessions(request.user).filter(pk=pk).select_related("unit").first()
    if session is None:
        raise Http404
    return session


def _get_managed_session(request: HttpRequest, pk: int) -> StudySession:
    session = manageable_sessions(request.user).filter(pk=pk).select_related("unit").first()
    if session is None:
        raise Http404
    return session


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- sessions list with figures -----------------------------------------------------------


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    selection = selection_from(request)
    if selection.unit is None:
        raise Http404
    text = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    sessions = (
        visible_sessions(request.user)
        .filter(subtree_q("unit", selection.unit, selection.query().as_of))
        .filter(date__gte=selection.start, date__lte=selection.end)
        .select_related("unit", "makeup_of")
        .order_by("-date", "-pk")
    )
    if selection.directive_ids:
        sessions = sessions.filter(directives__in=selection.directive_ids).distinct()
    if text:
        sessions = sessions.filter(
            Q(title__icontains=text) | Q(unit__name_search__contains=search_key(text))
        )
    if kind == "regular":
        sessions = sessions.filter(makeup_of__isnull=True)
    elif kind == "makeup":
        sessions = sessions.filter(makeup_of__isnull=False)
    page = Paginator(sessions, 25).get_page(request.GET.get("page"))
    query = selection.query()
    ancestor_ids = [u.pk for u in selection.unit.ancestors_on(query.as_of)]
    visible_ids = set(
        Unit.objects.filter(
            scope_q(request.user, Cap.VIEW_INDICATORS), pk__in=ancestor_ids
        ).values_list("pk", flat=True)
    )
    figures = [
        {"indicator": (ind := get_indicator(code)), "value": ind.compute(query)} for code in FIGURES
    ]
    context = {
        "page": page,
        "selection": selection,
        "params": selection.params(),
        "q": text,
        "kind": kind,
        "figures": figures,
        "directives": directives_in_scope(request.user)
        .filter(study_sessions__isnull=False)
        .distinct()[:200],
        "can_create": has_capability(request.user, Cap.MANAGE_STUDY),
        "children": [
            {"unit": u, "params": selection.params(unit=u)}
            for u in Unit.objects.children_of(selection.unit, query.as_of)
            .organisations()
            .filter(scope_q(request.user, Cap.VIEW_INDICATORS))
            .order_vi()
        ],
        "ancestors": [
            {"unit": u, "params": selection.params(unit=u)}
            for u in selection.unit.ancestors_on(query.as_of)
            if u.pk in visible_ids
        ],
    }
    return render(request, "study/list.html", context)


@login_required
def export_rates(request: HttpRequest) -> HttpResponse:
    """The study figures of a unit and of each of its child units, as a spreadsheet."""
    selection = selection_from(request)
    if selection.unit is None:
        raise Http404
    from giamsat.indicators.registry import indicators, shared_reads

    query = selection.query()
    children = list(
        Unit.objects.children_of(selection.unit, query.as_of)
        .organisations()
        .filter(scope_q(request.user, Cap.VIEW_INDICATORS))
        .order_vi()
    )
    study = indicators("study")
    with shared_reads():
        totals = {ind.code: ind.compute(query) for ind in study}
        by_child = {ind.code: ind.breakdown(query, children) for ind in study}
    headers = [_("Party organisation"), *[str(ind.label) for ind in study]]

    def cells(values: dict) -> list:
        return [float(values[i.code].value) if i.is_rate else values[i.code].value for i in study]

    rows = [[selection.unit.name, *cells(totals)]]
    for child in children:
        rows.append([child.name, *cells({code: v[child.pk] for code, v in by_child.items()})])
    period = f"{selection.start:%d/%m/%Y} – {selection.end:%d/%m/%Y}"
    info = [[_("Unit"), selection.unit.name], [_("Period"), period]]
    data = (
        write_xlsx([(_("Study figures"), headers, rows), (_("Selection"), ["", ""], info)]) or b""
    )
    return _xlsx(
        data, f"hoc-tap-{selection.unit.code}-{selection.start:%Y%m%d}-{selection.end:%Y%m%d}.xlsx"
    )


# --- create, edit, delete -----------------------------------------------------------------


def _manage_units(user):
    return Unit.objects.filter(scope_q(user, Cap.MANAGE_STUDY)).organisations().order_vi()


@login_required
def session_create(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, Cap.MANAGE_STUDY):
        raise Http404
    units = _manage_units(request.user)
    directives = directives_in_scope(request.user)
    initial = {"date": today()}
    if request.GET.get("unit", "").isdigit():
        initial["unit"] = units.filter(pk=int(request.GET["unit"])).first()
    form = SessionForm(request.POST or None, units=units, directives=directives, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.create_session(
                acting_user=request.user,
                unit=data["unit"],
                title=data["title"],
                date=data["date"],
                end_date=data["end_date"],
                directives=data["directives"],
                mode=data["mode"],
                venue=data["venue"],
                points=form.point_names(),
                scope_kind=data["scope_kind"],
                cells=data["cells"],
                invite_affiliated=data["invite_affiliated"],
                note=data["note"],
            )
        except services.StudyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Session created with %(n)d people on its list.") % {"n": session.listed},
            )
            return redirect(session)
    return render(request, "study/form.html", {"form": form, "creating": True})


@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_managed_session(request, pk)
    form = SessionForm(
        request.POST or None,
        directives=directives_in_scope(request.user),
        editing=True,
        initial=SessionForm.initial_for(session),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_session(
                acting_user=request.user,
                session=session,
                title=data["title"],
                date=data["date"],
                end_date=data["end_date"],
                directives=data["directives"],
                mode=data["mode"],
                venue=data["venue"],
                points=form.point_names(),
                note=data["note"],
            )
        except services.StudyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Session saved."))
            return redirect(session)
    return render(request, "study/form.html", {"form": form, "session": session})


@login_required
def makeup_create(request: HttpRequest, pk: int) -> HttpResponse:
    original = _get_managed_session(request, pk)
    if original.is_makeup:
        raise Http404
    initial = {"title": _("Make-up: %(title)s") % {"title": original.title}, "date": today()}
    form = MakeupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.create_session(
                acting_user=request.user,
                unit=original.unit,
                title=data["title"],
                date=data["date"],
                mode=data["mode"],
                venue=data["venue"],
                directives=[],
                makeup_of=original,
            )
        except services.StudyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Make-up session created for the %(n)d people who did not attend.")
                % {"n": session.listed},
            )
            return redirect(session)
    return render(request, "study/makeup_form.html", {"form": form, "original": original})


@login_required
@require_POST
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_managed_session(request, pk)
    try:
        services.delete_session(acting_user=request.user, session=session)
    except services.StudyError as exc:
        messages.error(request, str(exc))
        return redirect(session)
    messages.success(request, _("Session deleted."))
    return redirect("study:list")


# --- a session and its list ---------------------------------------------------------------


def _rows_page(request: HttpRequest, session: StudySession, whole: bool):
    rows = visible_rows(request.user, session, whole=whole).select_related(
        "person", "unit", "point", "made_up_in"
    )
    text = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    if text:
        rows = rows.filter(person__name_search__contains=search_key(text))
    if status in Status.values:
        rows = rows.filter(status=status)
    rows = rows.order_by("unit__name_sort", "person__name_sort", "pk")
    return Paginator(rows, 100).get_page(request.GET.get("page")), text, status


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session_for_user(request, pk)
    whole = organiser_visible(request.user, session)
    page, text, status = _rows_page(request, session, whole)
    context = {
        "session": session,
        "whole": whole,
        "page": page,
        "q": text,
        "status": status,
        "statuses": Status.choices,
        "can_manage": whole and can_manage(request.user, session),
        "directives": session.directives.all(),
        "points": session.points.all(),
        "makeups": session.makeups.order_by("date") if not session.is_makeup else [],
        "imports": session.imports.select_related("created_by")[:5],
        "held": session.date <= today(),
    }
    return render(request, "study/detail.html", context)


@login_required
@require_POST
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    """Record one person's attendance (htmx: answers the row and the session's counters)."""
    session = _get_managed_session(request, pk)
    form = MarkForm(request.POST)
    row = None
    error = ""
    if form.is_valid():
        row = Attendance.objects.filter(
            session=session, person_id=form.cleaned_data["person"]
        ).first()
        if row is None:
            raise Http404
        try:
            services.record_attendance(
                acting_user=request.user,
                session=session,
                marks=[
                    services.Mark(
                        person_id=row.person_id,
                        status=Status(form.cleaned_data["status"]),
                        reason=form.cleaned_data["reason"],
                        attended_on=form.cleaned_data["attended_on"],
                    )
                ],
                allow_additions=False,
                source="page",
            )
        except services.StudyError as exc:
            error = " ".join(e.message for e in exc.errors)
    else:
        error = " ".join(str(e) for errs in form.errors.values() for e in errs)
        person = form.cleaned_data.get("person") if hasattr(form, "cleaned_data") else None
        row = Attendance.objects.filter(session=session, person_id=person).first()
        if row is None:
            raise Http404
    session.refresh_from_db()
    row = Attendance.objects.select_related("person", "unit", "point", "made_up_in").get(pk=row.pk)
    if error:
        # Show what was submitted, so that only the missing piece needs adding.
        submitted = request.POST.get("status", "")
        row.status = submitted if submitted in Status.values else row.status
        row.reason = request.POST.get("reason", "")[:300]
    context = {
        "session": session,
        "a": row,
        "error": error,
        "can_manage": True,
        "statuses": Status.choices,
    }
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(session)
    return render(request, "study/_mark_response.html", context)


@login_required
@require_POST
def mark_pending(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_managed_session(request, pk)
    try:
        n = services.mark_pending(acting_user=request.user, session=session)
    except services.StudyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(n)d people marked present.") % {"n": n})
    return redirect(session)


@login_required
@require_POST
def refresh_list(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_managed_session(request, pk)
    added, removed = services.refresh_list(acting_user=request.user, session=session)
    messages.success(
        request,
        _("List brought up to date: %(added)d added, %(removed)d removed.")
        % {"added": added, "removed": removed},
    )
    return redirect(session)


@login_required
def add_people(request: HttpRequest, pk: int) -> HttpResponse:
    """Search people in scope and put them on the list (invited cadres, civil servants)."""
    session = _get_managed_session(request, pk)
    if session.is_makeup:
        raise Http404
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("person") if v.isdigit()]
        allowed = list(
            Person.objects.visible_to(request.user).filter(pk__in=ids).values_list("pk", flat=True)
        )
        added = services.add_to_list(acting_user=request.user, session=session, person_ids=allowed)
        messages.success(request, _("%(n)d people added to the list.") % {"n": added})
        return redirect(session)
    text = request.GET.get("q", "").strip()[:100]
    found = []
    if text:
        on_list = Attendance.objects.filter(session=session).values("person_id")
        found = list(
            Person.objects.visible_to(request.user)
            .search(text)
            .exclude(pk__in=on_list)
            .select_related("affiliation")
            .order_vi()[:50]
        )
    return render(request, "study/add_people.html", {"session": session, "q": text, "found": found})


@login_required
@require_POST
def remove_person(request: HttpRequest, pk: int, person_id: int) -> HttpResponse:
    session = _get_managed_session(request, pk)
    try:
        services.remove_from_list(acting_user=request.user, session=session, person_id=person_id)
    except services.StudyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Removed from the list."))
    return redirect(session)


# --- spreadsheets -------------------------------------------------------------------------


@login_required
def template(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_managed_session(request, pk)
    return _xlsx(spreadsheets.template_xlsx(session), f"diem-danh-{session.pk}.xlsx")


@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session_for_user(request, pk)
    if not organiser_visible(request.user, session):
        raise Http404
    return _xlsx(spreadsheets.export_xlsx(session), f"hoc-tap-{session.pk}.xlsx")


def _upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "tmp" / "study-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _progress_key(token: str) -> str:
    return f"study-import:{token}"


@login_required
def import_form(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a sheet: the file is stored, then imported by a second request while the page
    polls the progress (no script of our own: htmx triggers and polls)."""
    session = _get_managed_session(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        max_bytes = settings.GIAMSAT_MAX_UPLOAD_MB * 1024 * 1024
        suffix = Path(upload.name).suffix.lower()
        if upload.size > max_bytes:
            form.add_error(
                "file",
                _("The file is larger than %(mb)d MB.") % {"mb": settings.GIAMSAT_MAX_UPLOAD_MB},
            )
        elif suffix not in (".xlsx", ".csv"):
            form.add_error("file", _("Only .xlsx and .csv files are accepted."))
        else:
            token = uuid.uuid4().hex
            target = _upload_dir() / f"{token}{suffix}"
            with target.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            cache.set(
                _progress_key(token),
                {
                    "user": request.user.pk,
                    "session": session.pk,
                    "name": upload.name[:200],
                    "percent": 0,
                    "phase": "queued",
                },
                3600,
            )
            context = {"session": session, "token": token, "file_name": upload.name}
            template_name = (
                "study/_import_running.html" if request.htmx else "study/import_running.html"
            )
            return render(request, template_name, context)
    return render(request, "study/import.html", {"session": session, "form": form})


def _job(request: HttpRequest, session: StudySession, token: str) -> dict:
    job = cache.get(_progress_key(token)) if token.isalnum() else None
    if not job or job.get("user") != request.user.pk or job.get("session") != session.pk:
        raise Http404
    return job


@login_required
@require_POST
def import_run(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    session = _get_managed_session(request, pk)
    job = _job(request, session, token)
    if job.get("phase") != "queued":
        raise Http404
    key = _progress_key(token)
    files = list(_upload_dir().glob(f"{token}.*"))
    if not files:
        raise Http404
    path = files[0]
    job["phase"] = "read"
    cache.set(key, job, 3600)

    def progress(phase: str, done: int, total: int | None) -> None:
        base, span = {"read": (0, 60), "write": (60, 38), "done": (100, 0)}.get(phase, (0, 0))
        percent = base + (int(span * done / total) if total else 0)
        cache.set(key, {**job, "phase": phase, "percent": min(percent, 100), "done": done}, 3600)

    try:
        with path.open("rb") as stream:
            result = spreadsheets.import_attendance(
                acting_user=request.user,
                session=session,
                stream=stream,
                file_name=job["name"],
                progress=progress,
            )
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
    cache.set(key, {**job, "phase": "finished", "percent": 100}, 600)
    session.refresh_from_db()
    return render(request, "study/_import_result.html", {"session": session, "result": result})


@login_required
def import_progress(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    session = _get_managed_session(request, pk)
    job = _job(request, session, token)
    percent = int(job.get("percent", 0))
    response = render(
        request,
        "study/_import_progress.html",
        {
            "session": session,
            "token": token,
            "job": job,
            "percent": percent,
            "bar": (percent // 10) * 10,
        },
    )
    if job.get("phase") == "finished":
        response.status_code = 286  # htmx: stop polling
    return response


# --- person page section -------------------------------------------------------------------


def person_history_context(request: HttpRequest, person) -> dict | None:
    """The person's study history, as far as the viewer may see it."""
    user = request.user
    if not has_capability(user, Cap.VIEW_INDICATORS):
        return None
    rows = (
        Attendance.objects.filter(person=person)
        .filter(scope_q(user, Cap.VIEW_INDICATORS, "unit"))
        .select_related("session", "unit", "made_up_in")
        .order_by("-session_date", "-pk")
    )
    rows = list(rows[:200])
    studied = sum(1 for a in rows if a.studied_on and not a.is_makeup)
    regular = sum(1 for a in rows if not a.is_makeup)
    return {"rows": rows, "studied": studied, "regular": regular, "list_url": reverse("study:list")}
