"""Shared pieces of the import commands: finding the acting user and unit, a rich progress bar,
and printing a preview as tables."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from giamsat.accounts.models import User
from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import role_units
from giamsat.imports.models import ImportBatch, RowAction
from giamsat.units.models import Unit

PHASES = {
    "read": gettext_lazy("Reading the file"),
    "lookup": gettext_lazy("Looking up the records"),
    "check": gettext_lazy("Checking rows"),
    "write": gettext_lazy("Writing"),
}


def acting_user(username: str | None) -> User:
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("No active user %(name)s.") % {"name": username})
        return user
    admins = list(User.objects.filter(is_superuser=True, is_active=True)[:2])
    if len(admins) != 1:
        raise CommandError(_("Say who imports with --user USERNAME."))
    return admins[0]


def target_unit(code: str | None, user: User) -> Unit:
    if code:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(_("No organisation with code %(code)s.") % {"code": code})
        return unit
    units = role_units(user, Cap.IMPORT_DATA)
    if len(units) == 1:
        return units[0]
    if user.is_superuser:
        roots = list(Unit.objects.roots()[:2])
        if len(roots) == 1:
            return roots[0]
    raise CommandError(_("Say which organisation the file covers with --unit CODE."))


class Bar:
    """A rich progress bar fed by the planners' (phase, done, total) callbacks."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self.task = self.progress.add_task(str(PHASES["read"]), total=None)
        self.phase = "read"

    def __enter__(self) -> Bar:
        self.progress.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.progress.stop()

    def __call__(self, phase: str, done: int, total: int | None = None) -> None:
        if phase != self.phase:
            # The previous phase is over: show its bar full.
            finished = next(t for t in self.progress.tasks if t.id == self.task)
            self.progress.update(self.task, total=finished.completed, completed=finished.completed)
            self.phase = phase
            self.task = self.progress.add_task(str(PHASES.get(phase, phase)), total=total)
        self.progress.update(self.task, completed=done, total=total)


def print_preview(console: Console, batch: ImportBatch, show: int) -> None:
    summary = Table(title=_("Preview: %(file)s") % {"file": batch.original_name})
    for label in (
        _("to create"),
        _("to update"),
        _("unchanged"),
        _("rejected"),
        _("not in the file"),
    ):
        summary.add_column(label, justify="right")
    summary.add_row(
        str(batch.created_count),
        str(batch.updated_count),
        str(batch.unchanged_count),
        f"[red]{batch.rejected_count}[/red]" if batch.rejected_count else "0",
        str(batch.missing_count),
    )
    console.print(summary)
    for notice in batch.notices:
        console.print(f"[yellow]{notice}[/yellow]")
    rejected = list(batch.rows.filter(action=RowAction.REJECT).order_by("row_number")[:show])
    if rejected:
        table = Table(title=_("Rejected rows"), show_lines=False)
        table.add_column(_("Row"), justify="right")
        table.add_column(_("Record"))
        table.add_column(_("Column"))
        table.add_column(_("Reason"))
        for row in rejected:
            for field, message in row.errors:
                table.add_row(str(row.row_number), row.label, field, message)
        console.print(table)
        if batch.rejected_count > len(rejected):
            console.print(
                _("… and %(count)d more rejected rows.")
                % {"count": batch.rejected_count - len(rejected)}
            )
    changed = list(batch.rows.filter(action=RowAction.UPDATE).order_by("row_number")[:show])
    if changed:
        table = Table(title=_("Rows to update"))
        table.add_column(_("Row"), justify="right")
        table.add_column(_("Record"))
        table.add_column(_("Changes"))
        for row in changed:
            table.add_row(
                str(row.row_number),
                row.label,
                "; ".join(f"{f}: {old or '—'} → {new or '—'}" for f, old, new in row.changes),
            )
        console.print(table)
