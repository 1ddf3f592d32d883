"""``giamsat import units|members|posts|events FILE``: the same preview and import as the pages.

Exit codes: 0 imported (or, with --dry-run, no rejected row); 1 rejected rows (nothing
written); 2 the file or the arguments were refused; 3 the import failed (nothing written).
"""

# ruff: noqa: N999 - the command is called "import"

from __future__ import annotations

import sys
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from rich.console import Console

from giamsat.core.dates import parse_date, today
from giamsat.imports.management.commands._console import (
    Bar,
    acting_user,
    print_preview,
    target_unit,
)
from giamsat.imports.models import BatchStatus, ColumnMapping, ImportKind
from giamsat.imports.services import (
    ImportRefusedError,
    apply_batch,
    discard_batch,
    preview_batch,
    stage_import,
)


class Command(BaseCommand):
    help = "Import units, members, posts or reorganisation events from an XLSX or CSV file."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check and show; write nothing")
        parser.add_argument("--mapping", help="name of a saved column mapping")
        parser.add_argument("--skip-rejected", action="store_true", help="import the other rows")
        parser.add_argument("--unit", help="code of the organisation the file covers")
        parser.add_argument("--as-of", help="date of the data, dd/mm/yyyy (default today)")
        parser.add_argument("--user", help="username of the person importing")
        parser.add_argument("--show", type=int, default=50, help="rows listed per table")

    def handle(self, *args, **options):
        console = Console(file=self.stdout._out, highlight=False, soft_wrap=True)
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No file %(path)s.") % {"path": path})
        user = acting_user(options["user"])
        unit = target_unit(options["unit"], user)
        try:
            as_of = parse_date(options["as_of"]) if options["as_of"] else today()
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        kind = options["kind"]
        mapping = None
        if options["mapping"]:
            mapping = ColumnMapping.objects.filter(kind=kind, name=options["mapping"]).first()
            if mapping is None:
                raise CommandError(_("No saved mapping %(name)s.") % {"name": options["mapping"]})
        with path.open("rb") as handle:
            upload = File(handle, name=path.name)
            try:
                batch = stage_import(
                    kind=kind,
                    upload=upload,
                    unit=unit,
                    as_of=as_of,
                    acting_user=user,
                    mapping=mapping,
                )
            except ImportRefusedError as exc:
                console.print(f"[red]{exc}[/red]")
                sys.exit(2)
        if batch.status == BatchStatus.NEEDS_MAPPING:
            console.print(
                "[red]"
                + _("Required columns not found. Headers of the file: %(headers)s")
                % {"headers": ", ".join(h for h in batch.headers if h)}
                + "[/red]"
            )
            console.print(
                _(
                    "Map the columns once on the import page, save the mapping and use --mapping NAME."
                )
            )
            sys.exit(2)
        console.print(
            _("Organisation: %(unit)s · data as of %(date)s")
            % {"unit": unit, "date": f"{as_of:%d/%m/%Y}"}
        )
        with Bar(console) as bar:
            batch = preview_batch(batch=batch, progress=bar)
        if batch.status == BatchStatus.FAILED:
            console.print(f"[red]{batch.error}[/red]")
            sys.exit(2)
        print_preview(console, batch, options["show"])
        console.print(
            _("Preview in %(seconds).1f s (%(rate)d rows/s).")
            % {
                "seconds": batch.preview_seconds or 0,
                "rate": int(batch.total_rows / max(batch.preview_seconds or 0.001, 0.001)),
            }
        )
        if options["dry_run"]:
            discard_batch(batch=batch, acting_user=user)
            console.print(_("Dry run: nothing was written."))
            sys.exit(1 if batch.rejected_count else 0)
        if batch.rejected_count and not options["skip_rejected"]:
            console.print(
                "[red]"
                + _(
                    "%(count)d rows are rejected: nothing was written. Correct the file, or use --skip-rejected."
                )
                % {"count": batch.rejected_count}
                + "[/red]"
            )
            sys.exit(1)
        if not batch.can_apply:
            console.print(_("Nothing to import: the file matches the records."))
            discard_batch(batch=batch, acting_user=user)
            return
        try:
            with Bar(console) as bar:
                batch = apply_batch(
                    batch=batch,
                    acting_user=user,
                    skip_rejected=options["skip_rejected"],
                    progress=bar,
                )
        except ImportRefusedError as exc:
            console.print(f"[red]{exc}[/red]")
            sys.exit(3)
        console.print(
            "[green]"
            + _(
                "Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged (batch %(id)d)."
            )
            % {
                "created": batch.created_count,
                "updated": batch.updated_count,
                "unchanged": batch.unchanged_count,
                "id": batch.pk,
            }
            + "[/green]"
        )
        if batch.missing_count:
            console.print(
                _(
                    "%(count)d members are not in the file: record what happened to them on the import page."
                )
                % {"count": batch.missing_count}
            )
