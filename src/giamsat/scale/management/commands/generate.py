"""``giamsat generate --scale city|province|national --seed N [--reset] [--check]``: build a
synthetic data set in bulk (see ``giamsat.scale.generator``).

Without ``DATABASE_URL`` it writes ``var/bench/<scale>.sqlite3``; with it, into that database
(PostgreSQL uses COPY). The database must hold no units unless ``--reset`` empties it first.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from giamsat.scale import database
from giamsat.scale.shapes import SHAPES, get_shape


def progress_bar(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def generate(scale: str, seed: int, *, reset: bool, console: Console):
    from giamsat.scale.generator import Generator
    from giamsat.units.models import Unit

    if reset:
        database.reset_database()
    else:
        database.migrate()
        if Unit.objects.exists():
            raise CommandError(
                "This database already holds units; use --reset to empty it first "
                f"({database.describe()})."
            )
    with progress_bar(console) as progress:
        tasks: list = []

        def step(label: str, total: int):
            if tasks:
                progress.update(tasks[-1], completed=progress.tasks[-1].total)
            task = progress.add_task(label, total=max(total, 1))
            tasks.append(task)
            return lambda n: progress.advance(task, n)

        dataset = Generator(get_shape(scale), seed, step).run()
        if tasks:
            progress.update(tasks[-1], completed=progress.tasks[-1].total)
    return dataset


class Command(BaseCommand):
    help = "Generate a synthetic data set (city, province or national scale) in bulk."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SHAPES), default="city")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--reset", action="store_true", help="empty the database first (every table)"
        )
        parser.add_argument("--check", action="store_true", help="check the invariants afterwards")

    def handle(self, *args, **options):
        argv = database.command_argv("generate", options, ["scale", "seed", "reset", "check"])
        code = database.rerun_on_own_database(options["scale"], argv)
        if code is not None:
            if code:
                raise CommandError(f"generate failed (exit {code})", returncode=code)
            return
        console = Console(file=self.stdout._out, highlight=False)
        console.print(f"Generating the {options['scale']} data set into {database.describe()}")
        started = time.monotonic()
        dataset = generate(
            options["scale"], options["seed"], reset=options["reset"], console=console
        )
        table = Table(title=f"{dataset} in {time.monotonic() - started:.1f} s")
        table.add_column("records")
        table.add_column("rows", justify="right")
        for name, count in dataset.counts.items():
            table.add_row(name, f"{count:,}")
        console.print(table)
        if options["check"]:
            from giamsat.scale.checks import check_all

            problems = check_all()
            for problem in problems:
                console.print(f"[red]{problem}[/red]")
            if problems:
                raise CommandError(f"{len(problems)} invariant(s) broken")
            console.print("Invariants hold: closure, counters, figures = drill-downs.")
