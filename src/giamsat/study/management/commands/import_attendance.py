"""``giamsat import_attendance --session ID FILE``: import an attendance sheet, with progress.

The same import as the page (all or nothing, errors by row and column); exits with status 1
and prints every error when the file is refused. ``--user`` names the account the import is
recorded under (its scope limits who can be added to the list); without it the command acts
as an operator and may add anyone.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from giamsat.study import spreadsheets
from giamsat.study.models import StudySession


class Command(BaseCommand):
    help = "Import attendance for a study session from an .xlsx or .csv file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--session", type=int, required=True, help="study session id")
        parser.add_argument("--user", help="username the import is recorded under")

    def handle(self, *args, **options):
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        session = StudySession.objects.filter(pk=options["session"]).first()
        if session is None:
            raise CommandError(f"no study session has the id {options['session']}")
        user = None
        if options["user"]:
            from giamsat.accounts.models import User

            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {options['user']}")
        console = Console(file=self.stdout)
        console.print(f"{session} — {session.unit}")
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,}"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=False) as progress:
            tasks: dict[str, int] = {}
            labels = {"read": "đọc và kiểm tra", "write": "ghi", "done": "xong"}

            def report(phase: str, done: int, total: int | None) -> None:
                if phase not in tasks:
                    tasks[phase] = progress.add_task(labels.get(phase, phase), total=total)
                progress.update(tasks[phase], completed=done, total=total)

            with path.open("rb") as stream:
                result = spreadsheets.import_attendance(
                    acting_user=user,
                    session=session,
                    stream=stream,
                    file_name=path.name,
                    progress=report,
                )
        if not result.ok:
            for error in result.errors:
                where = f"dòng {error.row}" if error.row else "tệp"
                column = f", cột '{error.column}'" if error.column else ""
                self.stderr.write(f"{where}{column}: {error.message}")
            raise CommandError(f"file refused: {result.error_count} error(s); nothing was written")
        session.refresh_from_db()
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.rows:,} rows in {result.seconds:.1f} s: {result.changed:,} recorded, "
                f"{result.added:,} added to the list, {result.skipped:,} empty; participation "
                f"{session.participation_rate()} %"
            )
        )
