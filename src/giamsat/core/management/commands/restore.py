"""``giamsat restore BACKUP_DIR --yes [--no-files]``: replace all data with a backup.

Stop the site first. Checksums, the database engine and the migrations are checked before
anything is touched; the current uploads are kept aside (``uploads.before-restore-*``).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from giamsat.audit.models import AccessKind
from giamsat.audit.services import record_access
from giamsat.core.backup import BackupError, check_compatible, read_manifest, restore_backup
from giamsat.core.management.commands.backup import command_line_actor


class Command(BaseCommand):
    help = "Replace the database and uploaded files with the content of a backup."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="a directory made by `giamsat backup`")
        parser.add_argument(
            "--yes", action="store_true", help="confirm: every current record is replaced"
        )
        parser.add_argument("--no-files", action="store_true", help="database only")

    def handle(self, *args, path: Path, yes: bool, no_files: bool, **options):
        try:
            manifest = read_manifest(path)
            check_compatible(manifest)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not yes:
            raise CommandError(
                f"This replaces every record with the backup of {manifest['created_at']}. "
                "Stop the site, then run again with --yes."
            )
        try:
            restore_backup(path=path, include_files=not no_files)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        record_access(
            actor=None,
            actor_name=command_line_actor(),
            kind=AccessKind.RESTORE,
            label=path.name,
            reason=f"backup of {manifest['created_at']}",
        )
        self.stdout.write(
            self.style.SUCCESS(f"Restored {path.name} (made {manifest['created_at']}).")
        )
        self.stdout.write("Run `giamsat migrate` if this giamsat is newer than the backup.")
