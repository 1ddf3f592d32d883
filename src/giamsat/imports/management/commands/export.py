"""``giamsat export units|members|posts|events FILE --unit CODE``: the records in the import
template (``--template`` writes the blank template instead)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from giamsat.audit.models import AccessKind
from giamsat.audit.services import record_access
from giamsat.core.dates import parse_date, today
from giamsat.imports.exports import export_workbook, template_workbook
from giamsat.imports.management.commands._console import acting_user, target_unit
from giamsat.imports.models import ImportKind


class Command(BaseCommand):
    help = "Export units, members, posts or reorganisation events in the import template."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file")
        parser.add_argument("--template", action="store_true", help="the blank template")
        parser.add_argument("--unit", help="code of the organisation to export")
        parser.add_argument("--as-of", help="dd/mm/yyyy (default today)")
        parser.add_argument("--user", help="username of the person exporting")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if options["template"]:
            path.write_bytes(template_workbook(options["kind"]))
            self.stdout.write(_("Template written to %(path)s.") % {"path": path})
            return
        user = acting_user(options["user"])
        unit = target_unit(options["unit"], user)
        try:
            as_of = parse_date(options["as_of"]) if options["as_of"] else today()
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        data, count = export_workbook(options["kind"], user=user, unit=unit, as_of=as_of)
        path.write_bytes(data)
        record_access(
            actor=user,
            kind=AccessKind.EXPORT,
            obj=unit,
            unit=unit,
            reason=f"export {options['kind']} as of {as_of:%d/%m/%Y}: {count} rows (command line)",
        )
        self.stdout.write(_("%(count)d rows written to %(path)s.") % {"count": count, "path": path})
