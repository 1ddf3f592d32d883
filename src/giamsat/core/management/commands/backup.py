"""``giamsat backup [--output DIR] [--no-files]``: a consistent copy of all data.

SQLite: the online backup API (safe while the site runs). PostgreSQL: ``pg_dump`` in custom
format. The uploaded files are archived beside it; ``manifest.json`` lists checksums.
"""

from __future__ import annotations

import getpass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from giamsat.audit.models import AccessKind
from giamsat.audit.services import record_access
from giamsat.core.backup import BackupError, create_backup


def command_line_actor() -> str:
    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):
        return "(command line)"


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a new directory."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="directory to create the backup in (default: GIAMSAT_BACKUP_DIR)",
        )
        parser.add_argument("--no-files", action="store_true", help="database only")

    def handle(self, *args, output: Path | None, no_files: bool, **options):
        try:
            result = create_backup(
                output=output or Path(settings.GIAMSAT_BACKUP_DIR), include_files=not no_files
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        # Written after the copy: taking every record away is itself an audited event.
        record_access(
            actor=None,
            actor_name=command_line_actor(),
            kind=AccessKind.BACKUP,
            label=result.path.name,
            reason=f"{sum(result.manifest['row_counts'].values())} rows",
        )
        self.stdout.write(str(result.path))
