"""Import pages: upload, map columns, preview, confirm, members missing from a roster;
templates and exports. Every page needs ``Cap.IMPORT_DATA``; batches of other units are 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl.utils import get_column_letter

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import get_in_scope_or_404, has_capability, scope
from giamsat.audit.models import AccessKind
from giamsat.audit.services import record_access
from giamsat.core.dates import parse_date, today
from giamsat.core.excel import SheetSpec, write_xlsx
from giamsat.imports import runner
from giamsat.imports.columns import TEMPLATES
from giamsat.imports.exports import export_filename, export_workbook, template_workbook
from giamsat.imports.forms import ConfirmForm, ExportForm, MappingForm, UploadForm
from giamsat.imports.models import (
    BatchStatus,
    ColumnMapping,
    ImportBatch,
    ImportKind,
    MissingResolution,
    RowAction,
)
from giamsat.imports.services import (
    ImportRefusedError,
    claim_batch,
    delete_mapping,
    discard_batch,
    ignored_headers,
    map_columns,
    max_upload_mb,
    open_sheet,
    pending_missing,
    resolve_missing_members,
    stage_import,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE = 50


def _require_import(request: HttpRequest) -> None:
    if not has_capability(request.user, Cap.IMPORT_DATA):
        raise Http404


def _get_batch_for_user(request: HttpRequest, pk: int) -> ImportBatch:
    _require_import(request)
    batch = get_in_scope_or_404(
        ImportBatch.objects.select_related("unit", "created_by", "applied_by", "mapping"),
        request.user,
        Cap.IMPORT_DATA,
        "unit",
        pk=pk,
    )
    assert isinstance(batch, ImportBatch)
    return batch


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def batches_for(user: Any) -> QuerySet[ImportBatch]:
    return scope(ImportBatch.objects.all(), user, Cap.IMPORT_DATA, "unit").exclude(
        status=BatchStatus.DISCARDED
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Imports of the user's organisations, a new import, templates and exports."""
    _require_import(request)
    form = UploadForm(user=request.user)
    if request.GET.get("kind") in ImportKind.values:
        form.fields["kind"].initial = request.GET["kind"]
    return _home(request, form)


def _home(request: HttpRequest, form: UploadForm, status: int = 200) -> HttpResponse:
    batches = batches_for(request.user).select_related("unit", "created_by")
    context = {
        "page": Paginator(batches, 25).get_page(request.GET.get("page")),
        "upload_form": form,
        "export_form": ExportForm(user=request.user),
        "kinds": ImportKind.choices,
        "max_mb": max_upload_mb(),
    }
    return render(request, "imports/home.html", context, status=status)


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """Stage the file; then map its columns, or check it (the preview)."""
    _require_import(request)
    form = UploadForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return _home(request, form, status=400)
    data = form.cleaned_data
    try:
        batch = stage_import(
            kind=data["kind"],
            upload=data["file"],
            unit=data["unit"],
            as_of=data["as_of"],
            acting_user=request.user,
            mapping=data.get("mapping"),
        )
    except ImportRefusedError as exc:
        form.add_error("file", str(exc))
        return _home(request, form, status=400)
    if batch.status == BatchStatus.NEEDS_MAPPING:
        messages.warning(
            request,
            _("Some required columns were not recognised: choose which column holds what."),
        )
        return redirect("imports:mapping", pk=batch.pk)
    runner.start_preview(batch)
    return redirect(batch)


@login_required
def mapping(request: HttpRequest, pk: int) -> HttpResponse:
    """Say which column of the file holds each template field (and save it for next time)."""
    batch = _get_batch_for_user(request, pk)
    template = TEMPLATES[ImportKind(batch.kind)]
    form = MappingForm(
        request.POST or None, template=template, headers=batch.headers, current=batch.columns
    )
    if request.method == "POST" and form.is_valid():
        try:
            map_columns(
                batch=batch,
                columns=form.chosen(),
                acting_user=request.user,
                save_as=form.cleaned_data["save_as"],
            )
        except ImportRefusedError as exc:
            form.add_error(None, str(exc))
        else:
            runner.start_preview(batch)
            return redirect(batch)
    return render(request, "imports/mapping.html", {"batch": batch, "form": form})


def _column_label(batch: ImportBatch, field: str) -> str:
    template = TEMPLATES[ImportKind(batch.kind)]
    try:
        label = str(template.column(field).label)
    except StopIteration:
        return field
    index = batch.columns.get(field)
    if index is None:
        return label
    return _("%(label)s (column %(letter)s)") % {
        "label": label,
        "letter": get_column_letter(int(index) + 1),
    }


FILTERS = {
    "issues": None,
    RowAction.REJECT: RowAction.REJECT,
    RowAction.CREATE: RowAction.CREATE,
    RowAction.UPDATE: RowAction.UPDATE,
    "warnings": "warnings",
}


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview (or the result) of an import."""
    batch = _get_batch_for_user(request, pk)
    show = request.GET.get("show") or (RowAction.REJECT if batch.rejected_count else "issues")
    rows = batch.rows.all()
    if show == "warnings":
        rows = rows.exclude(warnings=[])
    elif show in (RowAction.REJECT, RowAction.CREATE, RowAction.UPDATE):
        rows = rows.filter(action=show)
    else:
        show = "issues"
        rows = rows.exclude(action=RowAction.UNCHANGED, warnings=[])
    page = Paginator(rows.order_by("row_number", "pk"), PAGE).get_page(request.GET.get("page"))
    done = batch.status == BatchStatus.APPLIED
    results = {
        RowAction.CREATE: _("created") if done else _("to create"),
        RowAction.UPDATE: _("updated") if done else _("to update"),
        RowAction.UNCHANGED: _("unchanged"),
        RowAction.REJECT: _("rejected, skipped") if done else _("rejected"),
    }
    for row in page:
        row.result_label = results[row.action]
        row.error_items = [(_column_label(batch, f), m) for f, m in row.errors]
        row.warning_items = [(_column_label(batch, f), m) for f, m in row.warnings]
        row.change_items = [(_column_label(batch, f), old, new) for f, old, new in row.changes]
    missing = pending_missing(batch)
    missing_page = Paginator(missing, 100).get_page(request.GET.get("mpage"))
    context = {
        "batch": batch,
        "page": page,
        "show": show,
        "filters": [
            ("issues", _("All to check"), None),
            (RowAction.REJECT, _("Rejected"), batch.rejected_count),
            (RowAction.CREATE, _("To create"), batch.created_count),
            (RowAction.UPDATE, _("To update"), batch.updated_count),
            ("warnings", _("Warnings"), None),
        ],
        "confirm_form": ConfirmForm(),
        "progress": runner.progress_of(batch.pk),
        "ignored": ignored_headers(batch),
        "missing_page": missing_page,
        "resolutions": MissingResolution.choices,
        "today": today(),
        "resolved_count": batch.missing.exclude(resolution="").count(),
    }
    return render(request, "imports/detail.html", context)


@login_required
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx partial: progress of a running preview or import; reloads the page when done."""
    batch = _get_batch_for_user(request, pk)
    response = render(
        request,
        "imports/_progress.html",
        {"batch": batch, "progress": runner.progress_of(batch.pk)},
    )
    if not batch.is_busy:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get_batch_for_user(request, pk)
    form = ConfirmForm(request.POST)
    skip = form.is_valid() and form.cleaned_data["skip_rejected"]
    try:
        batch = claim_batch(batch=batch, skip_rejected=skip)
        runner.start_apply(batch, request.user, skip_rejected=skip)
    except ImportRefusedError as exc:
        messages.error(request, str(exc))
        return redirect(batch)
    batch.refresh_from_db()
    if batch.status == BatchStatus.APPLIED:
        messages.success(
            request,
            _("Imported: %(created)d created, %(updated)d updated.")
            % {"created": batch.created_count, "updated": batch.updated_count},
        )
    return redirect(batch)


@login_required
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get_batch_for_user(request, pk)
    try:
        discard_batch(batch=batch, acting_user=request.user)
    except ImportRefusedError as exc:
        messages.error(request, str(exc))
        return redirect(batch)
    messages.info(request, _("The import was discarded; nothing was written."))
    return redirect("imports:home")


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Check an interrupted (stale) or unreadable batch again."""
    batch = _get_batch_for_user(request, pk)
    if batch.status in (BatchStatus.FAILED, BatchStatus.READY) or batch.is_stale:
        ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.PROCESSING, error="")
        batch.refresh_from_db()
        runner.start_preview(batch)
    return redirect(batch)


@login_required
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """Record what happened to members missing from the roster."""
    batch = _get_batch_for_user(request, pk)
    decisions: dict[int, tuple[str, dt.date]] = {}
    problems = []
    valid = {value for value, _label in MissingResolution.choices}
    for key, value in request.POST.items():
        if not key.startswith("m-") or value not in valid:
            continue
        item_id = int(key[2:]) if key[2:].isdigit() else None
        if item_id is None:
            continue
        raw = request.POST.get(f"d-{item_id}", "").strip()
        try:
            day = parse_date(raw) if raw else batch.as_of
        except ValueError:
            problems.append(raw)
            continue
        decisions[item_id] = (value, day)
    if problems:
        messages.error(
            request,
            _("These dates are not valid (use dd/mm/yyyy): %(dates)s")
            % {"dates": ", ".join(problems[:5])},
        )
        return redirect(batch)
    try:
        done = resolve_missing_members(batch=batch, decisions=decisions, acting_user=request.user)
    except ImportRefusedError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Recorded for %(count)d members.") % {"count": done})
    return redirect(f"{batch.get_absolute_url()}#missing")


@login_required
def rejected_rows(request: HttpRequest, pk: int) -> HttpResponse:
    """The rejected rows as they are in the file, with a column giving the reasons."""
    batch = _get_batch_for_user(request, pk)
    reasons = {}
    for row in batch.rows.filter(action=RowAction.REJECT).order_by("row_number"):
        reasons[row.row_number] = "; ".join(
            f"{_column_label(batch, f)}: {m}" for f, m in row.errors
        )
    if not reasons or not batch.file:
        raise Http404

    def lines():
        with open_sheet(batch) as sheet:
            for number, cells in sheet.rows:
                if number in reasons:
                    yield [number, reasons[number], *cells]

    data = write_xlsx(
        [SheetSpec(str(_("Rejected rows")), [_("Row"), _("Reasons"), *batch.headers], lines())]
    )
    assert data is not None
    return _xlsx_response(data, f"rejected-{batch.pk}.xlsx")


@login_required
def template(request: HttpRequest, kind: str) -> HttpResponse:
    _require_import(request)
    if kind not in ImportKind.values:
        raise Http404
    return _xlsx_response(template_workbook(kind), f"giamsat-template-{kind}.xlsx")


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The records of an organisation in the user's scope, in the import template."""
    _require_import(request)
    form = ExportForm(request.GET, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose the data, an organisation and a date to export."))
        return redirect("imports:home")
    kind, unit, as_of = (
        form.cleaned_data["kind"],
        form.cleaned_data["unit"],
        form.cleaned_data["as_of"],
    )
    data, count = export_workbook(kind, user=request.user, unit=unit, as_of=as_of)
    record_access(
        actor=request.user,
        kind=AccessKind.EXPORT,
        obj=unit,
        unit=unit,
        request=request,
        reason=f"export {kind} as of {as_of:%d/%m/%Y}: {count} rows",
    )
    return _xlsx_response(data, export_filename(kind, unit, as_of))


@login_required
def mappings(request: HttpRequest) -> HttpResponse:
    """Saved column mappings; an administrator of imports may delete them."""
    _require_import(request)
    if request.method == "POST":
        item = ColumnMapping.objects.filter(pk=request.POST.get("delete")).first()
        if item is not None:
            try:
                delete_mapping(mapping=item, acting_user=request.user)
            except ImportRefusedError as exc:
                messages.error(request, str(exc))
            else:
                messages.info(request, _("Mapping “%(name)s” deleted.") % {"name": item.name})
        return redirect("imports:mappings")
    items = ColumnMapping.objects.select_related("created_by")
    return render(request, "imports/mappings.html", {"items": items})
