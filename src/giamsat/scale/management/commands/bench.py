"""``giamsat bench --scale tiny|city|province|national [--seed N]``: the benchmarks of
``giamsat.scale.bench`` on a generated data set, printed as one table with the naive baseline
measured in the same run and the ratio, and written as JSON under ``bench/results/``.

Without ``DATABASE_URL`` it works on ``var/bench/<scale>.sqlite3`` (generated first when it
does not hold this scale and seed); with it, on that database (PostgreSQL). Timings are never
asserted anywhere: they are figures to read, compared within one run.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from rich.console import Console
from rich.table import Table

from giamsat.scale import database
from giamsat.scale.shapes import SHAPES

PARTS = ("breakdowns", "pages", "report", "import")
# Repeated runs per scale: (timed runs of the real code, of the naive baseline, import rows).
DEFAULT_RUNS = {
    "tiny": (3, 1, 500),
    "city": (15, 3, 20_000),
    "province": (11, 2, 100_000),
    "national": (7, 1, 100_000),
}


def _times(ratio: float | None) -> str:
    if not ratio:
        return "—"
    return f"{ratio:,.1f}×" if ratio >= 0.1 else f"{ratio:.2g}×"


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.1f}" if value < 10_000 else f"{value:,.0f}"


def dataset_for(scale: str, seed: int, *, regenerate: bool, console: Console):
    """The data set to measure: the one already in the database when it is this scale and
    seed, else a fresh one (the database is emptied only when it is the bench's own file,
    an empty database, or ``--regenerate`` says so)."""
    from giamsat.scale.management.commands.generate import generate
    from giamsat.scale.models import Dataset
    from giamsat.units.models import Unit

    database.migrate()
    found = Dataset.objects.filter(scale=scale, seed=seed).order_by("-pk").first()
    if found is not None and not regenerate:
        console.print(f"Using the {found} data set in {database.describe()}")
        return found
    own_file = database.is_own_file(scale)
    if Unit.objects.exists() and not (regenerate or own_file):
        raise CommandError(
            f"{database.describe()} holds other data than the {scale} data set (seed {seed}); "
            "use --regenerate to empty it and generate that data set."
        )
    console.print(f"Generating the {scale} data set (seed {seed}) into {database.describe()}")
    started = time.monotonic()
    dataset = generate(scale, seed, reset=True, console=console)
    console.print(f"Generated in {time.monotonic() - started:.1f} s")
    return dataset


class Command(BaseCommand):
    help = (
        "Benchmarks at a scale: figures by child unit, pages, DOCX report, attendance import, "
        "each against the naive implementation in the same run (ratios, never asserted)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SHAPES), default="city")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--runs", type=int, help="timed runs of the real code")
        parser.add_argument("--baseline-runs", type=int, help="timed runs of the naive code")
        parser.add_argument("--import-rows", type=int, help="rows of the attendance import")
        parser.add_argument(
            "--only",
            default=",".join(PARTS),
            help=f"comma-separated parts to run (default: {','.join(PARTS)})",
        )
        parser.add_argument(
            "--out", help="folder of the JSON results (default: bench/results of the checkout)"
        )
        parser.add_argument(
            "--regenerate", action="store_true", help="empty the database and generate afresh"
        )

    def handle(self, *args, **options):
        scale = options["scale"]
        names = ["scale", "seed", "runs", "baseline_runs", "import_rows", "only", "out"]
        argv = database.command_argv("bench", options, [*names, "regenerate"])
        code = database.rerun_on_own_database(scale, argv)
        if code is not None:
            if code:
                raise CommandError(f"bench failed (exit {code})", returncode=code)
            return
        parts = [p.strip() for p in options["only"].split(",") if p.strip()]
        unknown = sorted(set(parts) - set(PARTS))
        if unknown:
            raise CommandError(f"unknown part(s) {', '.join(unknown)}; choose from {PARTS}")
        runs, baseline_runs, import_rows = DEFAULT_RUNS[scale]
        runs = options["runs"] or runs
        baseline_runs = options["baseline_runs"] or baseline_runs
        import_rows = options["import_rows"] or import_rows
        # The benchmarks may run under DEBUG=true (no production keys needed); Django would then
        # keep every query in memory, which would cost time and memory the real site does not
        # pay. The pages are requested through the test client (host "testserver").
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts):
            self.run(options, scale, parts, runs, baseline_runs, import_rows)

    def run(self, options, scale, parts, runs, baseline_runs, import_rows) -> None:
        from giamsat.scale.bench import Bench, write_results

        console = Console(file=self.stdout._out, highlight=False, width=160)
        dataset = dataset_for(scale, options["seed"], regenerate=options["regenerate"],
                              console=console)  # fmt: skip
        counts = dataset.counts
        console.print(
            f"{dataset}: {counts.get('units', 0):,} units, {counts.get('persons', 0):,} members, "
            f"{counts.get('attendance_rows', 0):,} attendances, {counts.get('cases', 0):,} cases, "
            f"{counts.get('petitions', 0):,} petitions; {runs} runs (naive: {baseline_runs})"
        )
        bench = Bench(dataset, runs, baseline_runs, out=lambda line: console.print(line))
        started = time.monotonic()
        if "breakdowns" in parts:
            bench.breakdowns()
        if "pages" in parts:
            # WhiteNoise warns on every request-handler setup when the folder is missing.
            Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
            bench.pages()
        if "report" in parts:
            bench.report()
        if "import" in parts:
            bench.attendance_import(import_rows)
        seconds = time.monotonic() - started

        table = Table(title=f"giamsat bench — {scale} scale, {bench.backend}, seed {dataset.seed}")
        for column in ("benchmark", "p50 ms", "p95 ms", "naive p50 ms", "naive / real", "peak MB"):
            table.add_column(column, justify="left" if column == "benchmark" else "right")
        for row in bench.rows:
            table.add_row(
                row.name + (f" [dim]{row.note}[/dim]" if row.note else ""),
                _ms(row.p50_ms),
                _ms(row.p95_ms),
                _ms(row.baseline_p50_ms),
                _times(row.ratio),
                f"{row.peak_mb:,.2f}" if row.peak_mb is not None else "—",
            )
        console.print(table)
        ratios = [row.ratio for row in bench.rows if row.ratio]
        if ratios:
            console.print(
                f"naive / real: median {_times(statistics.median(ratios))}, "
                f"min {_times(min(ratios))}, max {_times(max(ratios))} over {len(ratios)} benchmarks"
            )
        for row in bench.rows:
            if "rows_per_second" in row.extra:
                console.print(f"attendance import: {row.extra['rows_per_second']:,} rows/s")
        path = write_results(bench.rows, scale, bench.backend, options.get("out"))
        console.print(f"Measured in {seconds:.0f} s; results written to {path}")
        wrong = [row.name for row in bench.rows if "DIFFER" in row.note or "HTTP" in row.note]
        if wrong:
            raise CommandError(f"{len(wrong)} benchmark(s) gave wrong results: {wrong}")
