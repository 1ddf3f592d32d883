"""Imports: stage an upload, preview it, apply it in one transaction, resolve missing members,
and save column mappings. The only writers of import records (and, through the planners and
the units services, of the units and people an import brings in)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import IO, Any, Protocol

from auditlog.models import LogEntry
from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import unit_in_scope
from giamsat.core.dates import format_date
from giamsat.core.excel import Sheet, SpreadsheetError, check_upload, match_headers, read_sheet
from giamsat.core.files import sanitise_name
from giamsat.core.text import search_key
from giamsat.imports.columns import TEMPLATES, Template
from giamsat.imports.display import display_value
from giamsat.imports.models import (
    BatchStatus,
    ColumnMapping,
    ImportBatch,
    ImportKind,
    ImportRow,
    MissingMember,
    MissingResolution,
    RowAction,
)
from giamsat.imports.planning.base import Context, PlanResult, Progress
from giamsat.people.models import Membership, MemberStatus, Post
from giamsat.units.models import Unit

ONE_DAY = dt.timedelta(days=1)
log = logging.getLogger(__name__)


class ImportRefusedError(ValueError):
    """The import cannot go on; the message says why and what to do (shown to the user)."""


class PlanChangedError(Exception):
    """The database changed between preview and confirmation: the plan is not the one seen."""


class Planner(Protocol):
    def plan(self, sheet: Sheet) -> PlanResult: ...

    def apply(self, result: PlanResult) -> None: ...


def planner_for(ctx: Context, *, commit: bool = False) -> Planner:
    """The planner of the context's kind. Organisation and event planners run the units
    services themselves; with ``commit=False`` they do it inside a transaction rolled back."""
    from giamsat.imports.planning.events import EventsPlanner
    from giamsat.imports.planning.members import MembersPlanner
    from giamsat.imports.planning.posts import PostsPlanner
    from giamsat.imports.planning.units import UnitsPlanner

    if ctx.kind == ImportKind.MEMBERS:
        return MembersPlanner(ctx)
    if ctx.kind == ImportKind.POSTS:
        return PostsPlanner(ctx)
    if ctx.kind == ImportKind.UNITS:
        return UnitsPlanner(ctx, commit=commit)
    return EventsPlanner(ctx, commit=commit)


# --- columns ----------------------------------------------------------------------------------


def resolve_columns(
    template: Template, headers: list[str], mapping: Mapping[str, str] | None = None
) -> tuple[dict[str, int], list[str]]:
    """Template field → column index, from a saved mapping first, then by header text; and the
    required fields that no column provides."""
    found: dict[str, int] = {}
    if mapping:
        keys = [search_key(h) for h in headers]
        for name, header in mapping.items():
            key = search_key(header or "")
            if key and key in keys:
                found[name] = keys.index(key)
    for name, index in match_headers(headers, template.expected()).items():
        if name not in found and index not in found.values():
            found[name] = index
    missing = [c.name for c in template.required if c.name not in found]
    return found, missing


def ignored_headers(batch: ImportBatch) -> list[str]:
    """Headers of the file that no template field reads (informational columns excepted)."""
    template = TEMPLATES[ImportKind(batch.kind)]
    informational = {c.name: c.spellings() for c in template.columns if c.informational}
    shown = set(match_headers(batch.headers, informational).values())
    used = set(batch.columns.values()) | shown
    return [h for i, h in enumerate(batch.headers) if h and i not in used]


# --- staging ----------------------------------------------------------------------------------


@contextmanager
def open_sheet(batch: ImportBatch) -> Iterator[Sheet]:
    """The batch's stored file as a sheet (kept open while its rows are read)."""
    with batch.file.open("rb") as stream:
        yield read_sheet(stream, batch.original_name, header_row=batch.header_row)


def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for block in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(block)
    stream.seek(0)
    return digest.hexdigest()


def max_upload_mb() -> int:
    return int(getattr(settings, "GIAMSAT_IMPORT_MAX_MB", 50))


@transaction.atomic
def stage_import(
    *,
    kind: str,
    upload: Any,
    unit: Unit,
    as_of: dt.date,
    acting_user: Any,
    mapping: ColumnMapping | None = None,
) -> ImportBatch:
    """Store an uploaded file as a batch and read its header; the preview comes next.

    Refused (nothing stored) when the user may not import into ``unit`` or the file is not a
    readable XLSX/CSV within the size limit.
    """
    if not unit_in_scope(acting_user, unit, Cap.IMPORT_DATA):
        raise ImportRefusedError(_("You may not import data into this organisation."))
    template = TEMPLATES[ImportKind(kind)]
    name = str(getattr(upload, "name", "") or "file")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    try:
        file_type = check_upload(name, getattr(upload, "size", None), head, max_mb=max_upload_mb())
        sheet = read_sheet(upload, name, header_row=None, expected=template.expected())
    except SpreadsheetError as exc:
        raise ImportRefusedError(str(exc)) from None
    headers = sheet.headers
    columns, missing = resolve_columns(template, headers, mapping.columns if mapping else None)
    batch = ImportBatch(
        kind=kind,
        unit=unit,
        as_of=as_of,
        original_name=sanitise_name(name),
        size=int(getattr(upload, "size", 0) or 0),
        sha256=_sha256(upload),
        file_type=file_type,
        encoding=sheet.encoding or "",
        mapping=mapping,
        headers=headers,
        header_row=sheet.header_row,
        columns=columns,
        notices=list(sheet.warnings),
        created_by=acting_user,
        status=BatchStatus.NEEDS_MAPPING if missing else BatchStatus.PROCESSING,
    )
    upload.seek(0)
    batch.file.save(batch.original_name, File(upload, name=batch.original_name), save=False)
    batch.save()
    return batch


@transaction.atomic
def map_columns(
    *,
    batch: ImportBatch,
    columns: Mapping[str, str],
    acting_user: Any,
    save_as: str = "",
) -> ImportBatch:
    """Use the user's choice of column (by header text) for each template field; optionally
    save it as a named mapping for the next file from the same source."""
    if batch.status not in (BatchStatus.NEEDS_MAPPING, BatchStatus.READY, BatchStatus.FAILED):
        raise ImportRefusedError(_("The columns of this import can no longer be changed."))
    template = TEMPLATES[ImportKind(batch.kind)]
    chosen = {k: v for k, v in columns.items() if v and k in {c.name for c in template.importable}}
    resolved, missing = resolve_columns(template, batch.headers, chosen)
    if missing:
        labels = ", ".join(str(template.column(name).label) for name in missing)
        raise ImportRefusedError(
            _("Choose a column for every required field: %(fields)s.") % {"fields": labels}
        )
    mapping = None
    if save_as.strip():
        mapping, _created = ColumnMapping.objects.update_or_create(
            kind=batch.kind,
            name=save_as.strip()[:100],
            defaults={"columns": chosen, "created_by": acting_user},
        )
    batch.columns = resolved
    batch.mapping = mapping or batch.mapping
    batch.status = BatchStatus.PROCESSING
    batch.error = ""
    batch.save()
    return batch


# --- preview ----------------------------------------------------------------------------------


def context_for(batch: ImportBatch, user: Any, progress: Progress | None = None) -> Context:
    return Context(
        kind=batch.kind,
        user=user,
        unit=batch.unit,
        as_of=batch.as_of,
        columns={k: int(v) for k, v in batch.columns.items()},
        progress=progress,
    )


# Rows to create are listed up to this number (a first roster of 200,000 members would
# otherwise store 200,000 preview rows); rejected, updated and warned rows are always listed.
LISTED_CREATES = 5000


def _stored_rows(batch: ImportBatch, result: PlanResult) -> Iterator[ImportRow]:
    creates = 0
    for o in result.outcomes:
        if o.action == RowAction.UNCHANGED and not o.warnings:
            continue
        if o.action == RowAction.CREATE and not o.warnings:
            creates += 1
            if creates > LISTED_CREATES:
                continue
        yield ImportRow(
            batch=batch,
            row_number=o.row,
            action=o.action,
            label=o.label[:255],
            key=o.key[:80],
            changes=[
                [c.field, display_value(c.field, c.old), display_value(c.field, c.new)]
                for c in o.changes or ()
            ],
            errors=[list(e) for e in o.errors or ()],
            warnings=[list(w) for w in o.warnings or ()],
            person_id=o.person_id,
            unit_id=o.unit_id,
        )


def preview_batch(
    *, batch: ImportBatch, progress: Progress | None = None, acting_user: Any = None
) -> ImportBatch:
    """Check every row against the database and store the preview; nothing else is written.

    Rows are judged within the scope of ``acting_user`` (default: who uploaded the file).
    """
    started = time.monotonic()
    ctx = context_for(batch, acting_user or batch.created_by, progress)
    try:
        with open_sheet(batch) as sheet:
            result = planner_for(ctx, commit=False).plan(sheet)
    except SpreadsheetError as exc:
        batch.status = BatchStatus.FAILED
        batch.error = str(exc)
        batch.save(update_fields=["status", "error", "updated_at"])
        return batch
    with transaction.atomic():
        batch.rows.all().delete()
        batch.missing.all().delete()
        ImportRow.objects.bulk_create(_stored_rows(batch, result), batch_size=2000)
        MissingMember.objects.bulk_create(
            (
                MissingMember(
                    batch=batch,
                    person_id=m.person_id,
                    unit_id=m.unit_id,
                    membership_id=m.membership_id,
                )
                for m in result.missing
            ),
            batch_size=2000,
        )
        counts = result.counts()
        batch.total_rows = batch.processed_rows = len(result.outcomes)
        batch.created_count = counts[RowAction.CREATE]
        batch.updated_count = counts[RowAction.UPDATE]
        batch.unchanged_count = counts[RowAction.UNCHANGED]
        batch.rejected_count = counts[RowAction.REJECT]
        batch.missing_count = len(result.missing)
        notices = [*batch.notices, *result.notices]
        if batch.created_count > LISTED_CREATES:
            notices.append(
                _(
                    "The preview lists the first %(listed)d rows to create; all %(count)d will be "
                    "created."
                )
                % {"listed": LISTED_CREATES, "count": batch.created_count}
            )
        batch.notices = list(dict.fromkeys(notices))[:20]
        batch.plan_digest = result.digest()
        batch.status = BatchStatus.READY
        batch.preview_seconds = round(time.monotonic() - started, 2)
        batch.save()
    return batch


# --- confirmation -----------------------------------------------------------------------------


def _file_digest(batch: ImportBatch) -> str:
    with batch.file.open("rb") as stream:
        return _sha256(stream)


def claim_batch(*, batch: ImportBatch, skip_rejected: bool = False) -> ImportBatch:
    """Check that the batch may be imported and mark it "importing" (a second confirmation,
    e.g. a double click, finds it taken). Raises ImportRefusedError with the reason otherwise."""
    batch.refresh_from_db()
    if batch.status != BatchStatus.READY:
        raise ImportRefusedError(_("This import is not waiting for confirmation."))
    if batch.rejected_count and not skip_rejected:
        raise ImportRefusedError(
            _(
                "%(count)d rows are rejected: correct the file and upload it again, or choose "
                "to skip the rejected rows."
            )
            % {"count": batch.rejected_count}
        )
    if not batch.can_apply:
        raise ImportRefusedError(
            _("There is nothing to import: every row is unchanged or rejected.")
        )
    if _file_digest(batch) != batch.sha256:
        raise ImportRefusedError(
            _("The stored file has changed since it was uploaded; upload it again.")
        )
    taken = ImportBatch.objects.filter(pk=batch.pk, status=BatchStatus.READY).update(
        status=BatchStatus.APPLYING, error="", updated_at=timezone.now()
    )
    if not taken:
        raise ImportRefusedError(_("This import is not waiting for confirmation."))
    batch.refresh_from_db()
    return batch


def apply_batch(
    *,
    batch: ImportBatch,
    acting_user: Any,
    skip_rejected: bool = False,
    progress: Progress | None = None,
) -> ImportBatch:
    """Write the previewed import in one transaction; refuse if anything differs from the preview.

    Rejected rows block the import unless ``skip_rejected``. The file must still have its
    checksum and the plan its digest; otherwise nothing is written (and the preview is redone
    when the database changed meanwhile). One audit entry summarises the import. A batch not yet
    claimed (``claim_batch``) is claimed first.
    """
    batch.refresh_from_db()
    if batch.status != BatchStatus.APPLYING:
        batch = claim_batch(batch=batch, skip_rejected=skip_rejected)
    started = time.monotonic()
    ctx = context_for(batch, acting_user, progress)
    try:
        with transaction.atomic():
            with open_sheet(batch) as sheet:
                planner = planner_for(ctx, commit=True)
                result = planner.plan(sheet)
            if result.digest() != batch.plan_digest:
                raise PlanChangedError
            planner.apply(result)
            batch.status = BatchStatus.APPLIED
            batch.skip_rejected = skip_rejected
            batch.applied_by = acting_user
            batch.applied_at = timezone.now()
            batch.apply_seconds = round(time.monotonic() - started, 2)
            batch.error = ""
            batch.save()
            LogEntry.objects.log_create(
                batch,
                force_log=True,
                action=LogEntry.Action.UPDATE,
                changes={"status": [BatchStatus.READY.value, BatchStatus.APPLIED.value]},
                actor=acting_user,
            )
    except PlanChangedError:
        ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.PROCESSING)
        batch.refresh_from_db()
        preview_batch(batch=batch, acting_user=acting_user)
        message = _(
            "The data changed since the preview was made (someone else edited it meanwhile). "
            "Nothing was imported; check the new preview and confirm again."
        )
        ImportBatch.objects.filter(pk=batch.pk).update(error=message)
        raise ImportRefusedError(message) from None
    except Exception as exc:
        message = _("Nothing was imported: %(error)s") % {"error": _error_text(exc)}
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.READY, error=message, updated_at=timezone.now()
        )
        batch.refresh_from_db()
        if not isinstance(exc, ImportRefusedError | SpreadsheetError):
            log.exception("import %s failed", batch.pk)
        raise ImportRefusedError(message) from exc
    return batch


def _error_text(exc: Exception) -> str:
    from django.db import IntegrityError

    if isinstance(exc, IntegrityError):
        return _(
            "a number in the file was registered by someone else meanwhile (%(detail)s); "
            "upload the file again"
        ) % {"detail": str(exc)[:200]}
    return str(exc)[:500] or exc.__class__.__name__


@transaction.atomic
def discard_batch(*, batch: ImportBatch, acting_user: Any) -> ImportBatch:
    """Drop an import that was not confirmed (its file and preview are deleted)."""
    if batch.status in (BatchStatus.APPLIED, BatchStatus.APPLYING) and not batch.is_stale:
        raise ImportRefusedError(_("An import that was carried out cannot be discarded."))
    batch.rows.all().delete()
    batch.missing.all().delete()
    if batch.file:
        batch.file.delete(save=False)
    batch.status = BatchStatus.DISCARDED
    batch.save()
    return batch


# --- members missing from a roster -----------------------------------------------------------


@transaction.atomic
def resolve_missing_members(
    *,
    batch: ImportBatch,
    decisions: Mapping[int, tuple[str, dt.date]],
    acting_user: Any,
) -> int:
    """Record what happened to members missing from an imported roster.

    Transferred out: party activity ends the day before the date. Left the Party: the same, and
    the status changes. Deceased: activity and posts end on the date of death. "Still a member"
    changes nothing. Nobody is deleted; each change is logged.
    """
    if batch.status != BatchStatus.APPLIED:
        raise ImportRefusedError(_("Confirm the import before recording missing members."))
    items = batch.missing.filter(pk__in=list(decisions), resolution="").select_related(
        "person", "membership"
    )
    done = 0
    now = timezone.now()
    for item in items:
        resolution, day = decisions[item.pk]
        resolution = MissingResolution(resolution)
        membership = item.membership
        if resolution != MissingResolution.STILL_MEMBER and membership is not None:
            last_day = day if resolution == MissingResolution.DECEASED else day - ONE_DAY
            if last_day < membership.valid_from or (
                membership.valid_to is not None and membership.valid_to < last_day
            ):
                raise ImportRefusedError(
                    _("%(person)s: the date %(date)s does not fit the party activity in the cell.")
                    % {"person": item.person, "date": format_date(day)}
                )
            membership.valid_to = last_day
            membership.note = str(resolution.label)[:255]
            membership.save(update_fields=["valid_to", "note", "updated_at"])
            person = item.person
            if resolution in (MissingResolution.DECEASED, MissingResolution.LEFT):
                person.status = (
                    MemberStatus.DECEASED
                    if resolution == MissingResolution.DECEASED
                    else MemberStatus.LEFT
                )
                person.left_on = day
                person.save(update_fields=["status", "left_on", "updated_at"])
                for other in (
                    Membership.objects.filter(person=person)
                    .valid_on(last_day)
                    .exclude(pk=membership.pk)
                ):
                    other.valid_to = last_day
                    other.save(update_fields=["valid_to", "updated_at"])
                for post in Post.objects.filter(person=person).valid_on(last_day):
                    post.valid_to = last_day
                    post.ended_by = str(resolution.label)
                    post.save(update_fields=["valid_to", "ended_by", "updated_at"])
        item.resolution = resolution
        item.resolved_on = day
        item.resolved_by = acting_user
        item.resolved_at = now
        item.save(update_fields=["resolution", "resolved_on", "resolved_by", "resolved_at"])
        done += 1
    return done


def pending_missing(batch: ImportBatch) -> Any:
    return batch.missing.filter(resolution="").select_related("person", "unit")


# --- mappings ---------------------------------------------------------------------------------


@transaction.atomic
def delete_mapping(*, mapping: ColumnMapping, acting_user: Any) -> None:
    """Delete a saved column mapping (imports that used it keep their columns). Only the person
    who saved it or an administrator may."""
    from giamsat.accounts.scoping import has_capability

    if mapping.created_by_id != acting_user.pk and not has_capability(acting_user, Cap.ADMIN):
        raise ImportRefusedError(_("Only the person who saved this mapping may delete it."))
    mapping.delete()
