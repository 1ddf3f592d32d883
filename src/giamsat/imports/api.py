"""Read access to imports: batches, their status and counts, what each row did, and the
members missing from an imported roster. Writing (upload, confirm) is done on the pages or with
the ``giamsat import`` command, where the preview is shown before anything is written."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import has_capability, scope
from giamsat.imports.models import ImportBatch, ImportRow, MissingMember

router = Router(tags=["imports"])


class BatchOut(Schema):
    id: int
    kind: str
    status: str
    unit_id: int
    unit_code: str = Field(alias="unit.code")
    as_of: dt.date
    file_name: str = Field(alias="original_name")
    sha256: str
    total_rows: int
    created: int = Field(alias="created_count")
    updated: int = Field(alias="updated_count")
    unchanged: int = Field(alias="unchanged_count")
    rejected: int = Field(alias="rejected_count")
    missing: int = Field(alias="missing_count")
    skip_rejected: bool
    error: str
    uploaded_by: str = Field(alias="created_by.username")
    uploaded_at: dt.datetime = Field(alias="created_at")
    applied_by: str | None = None
    applied_at: dt.datetime | None

    @staticmethod
    def resolve_applied_by(obj: ImportBatch) -> str | None:
        return obj.applied_by.username if obj.applied_by else None


class RowOut(Schema):
    row: int = Field(alias="row_number")
    action: str
    record: str = Field(alias="label")
    key: str
    changes: list[list[str]]
    errors: list[list[str]]
    warnings: list[list[str]]
    person_id: int | None
    unit_id: int | None


class MissingOut(Schema):
    person_id: int
    person: str
    unit_id: int
    resolution: str
    resolved_on: dt.date | None

    @staticmethod
    def resolve_person(obj: MissingMember) -> str:
        return str(obj.person)


def _batches(request: HttpRequest):
    if not has_capability(request.user, Cap.IMPORT_DATA):
        return ImportBatch.objects.none()
    return scope(ImportBatch.objects.all(), request.user, Cap.IMPORT_DATA, "unit").select_related(
        "unit", "created_by", "applied_by"
    )


def _batch(request: HttpRequest, batch_id: int) -> ImportBatch:
    batch = _batches(request).filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    return batch


@router.get("/batches", response=list[BatchOut])
@paginate(LimitOffsetPagination)
def list_batches(request: HttpRequest, kind: str | None = None, status: str | None = None):
    """Imports of the organisations in the caller's scope, newest first."""
    batches = _batches(request)
    if kind:
        batches = batches.filter(kind=kind)
    if status:
        batches = batches.filter(status=status)
    return batches.order_by("-created_at", "-pk")


@router.get("/batches/{batch_id}", response=BatchOut)
def get_batch(request: HttpRequest, batch_id: int):
    """One import: status (``ready`` = preview waiting for confirmation, ``applied`` = done)."""
    return _batch(request, batch_id)


@router.get("/batches/{batch_id}/rows", response=list[RowOut])
@paginate(LimitOffsetPagination)
def list_rows(request: HttpRequest, batch_id: int, action: str | None = None):
    """Rows that are (or were) created, updated or rejected, with reasons and old → new values.
    Unchanged rows are only counted."""
    rows = ImportRow.objects.filter(batch=_batch(request, batch_id)).order_by("row_number", "pk")
    if action:
        rows = rows.filter(action=action)
    return rows


@router.get("/batches/{batch_id}/missing", response=list[MissingOut])
@paginate(LimitOffsetPagination)
def list_missing(request: HttpRequest, batch_id: int):
    """Members of the roster's organisation who were not in the file, and what was recorded."""
    items = (
        MissingMember.objects.filter(batch=_batch(request, batch_id))
        .select_related("person")
        .order_by("unit_id", "person__name_sort", "pk")
    )
    return items
