"""The benchmarks: figures by child unit at three levels, a drill-down page, the dashboard and
unit pages through Django's full stack, an attendance import and a provincial DOCX report —
each timed (p50/p95 over repeated runs after one warm-up) and, where a naive implementation
exists, against it in the same run, with the peak of Python memory of one run (tracemalloc).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import connection, reset_queries
from django.test import Client

from giamsat.indicators.registry import REGISTRY, IndicatorQuery
from giamsat.scale import naive
from giamsat.scale.models import Dataset
from giamsat.scale.shapes import DATA_UNTIL
from giamsat.units.models import Unit

START = dt.date(2023, 1, 1)
END = DATA_UNTIL
# The figures the issue names: study rate, supervision counts, discipline counts, overdue
# petitions (two study rates: per-session places from tallies, distinct persons).
CODES = (
    "study.attendance_rate",
    "study.participation_rate",
    "oversight.thematic_supervision.cases",
    "discipline.members",
    "petitions.overdue",
)


@dataclass
class Row:
    name: str
    scale: str
    backend: str
    p50_ms: float | None
    p95_ms: float | None
    baseline_p50_ms: float | None
    ratio: float | None
    peak_mb: float | None
    runs: int = 0
    baseline_runs: int = 0
    baseline_peak_mb: float | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def timed(fn: Callable[[], object], runs: int) -> tuple[list[float], object]:
    """Milliseconds of ``runs`` calls after one warm-up call (whose result is returned)."""
    result = fn()
    times = []
    for _ in range(runs):
        reset_queries()
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def peak_mb(fn: Callable[[], object]) -> float:
    """Peak of Python allocations during one call (tracemalloc), in MB."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


class Bench:
    def __init__(self, dataset: Dataset, runs: int, baseline_runs: int, out=print) -> None:
        self.dataset = dataset
        self.scale = dataset.scale
        self.backend = connection.vendor
        self.runs = runs
        self.baseline_runs = baseline_runs
        self.rows: list[Row] = []
        self.out = out
        marks = dataset.landmarks
        self.central = Unit.objects.get(pk=marks["central"])
        self.province = Unit.objects.get(pk=marks["province"])
        self.commune = Unit.objects.get(pk=marks["commune"])

    def add(self, row: Row) -> None:
        self.rows.append(row)
        ratio = f"{row.ratio:,.1f}×" if row.ratio else "—"
        self.out(
            f"  {row.name}: p50 {_ms(row.p50_ms)}, p95 {_ms(row.p95_ms)}, naive "
            f"{_ms(row.baseline_p50_ms)}, {ratio}, peak {row.peak_mb or 0:.2f} MB {row.note}"
        )

    # --- figures by child unit ------------------------------------------------------------

    def breakdowns(self) -> None:
        levels = (
            ("national by province", self.central),
            ("province by commune", self.province),
            ("commune by grassroots", self.commune),
        )
        for level, unit in levels:
            query = IndicatorQuery(unit, START, END)
            for code in CODES:
                indicator = REGISTRY[code]

                def fast(indicator=indicator, query=query, unit=unit):
                    kids = list(Unit.objects.children_of(unit, query.as_of).organisations())
                    return indicator.breakdown(query, kids)

                def slow(code=code, unit=unit, query=query):
                    return naive.breakdown(code, unit, START, END, query.as_of)

                times, values = timed(fast, self.runs)
                base_times, base_values = timed(slow, self.baseline_runs)
                same = _same(values, base_values)
                p50, b50 = statistics.median(times), statistics.median(base_times)
                self.add(
                    Row(
                        f"breakdown {level}: {code}",
                        self.scale,
                        self.backend,
                        round(p50, 2),
                        round(percentile(times, 0.95), 2),
                        round(b50, 2),
                        _ratio(b50, p50),
                        round(peak_mb(fast), 2),
                        self.runs,
                        self.baseline_runs,
                        round(peak_mb(slow), 2),
                        "" if same else "VALUES DIFFER FROM THE NAIVE COUNT",
                        {"children": len(values), "same_values": same},
                    )
                )

    # --- pages through the full stack -----------------------------------------------------

    def client(self) -> Client:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from giamsat.accounts.models import User

        user = User.objects.get(pk=self.dataset.landmarks["admin"])
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
        return client

    def pages(self) -> None:
        client = self.client()
        period = f"from={START:%d/%m/%Y}&to={END:%d/%m/%Y}"
        province, commune = self.province.pk, self.commune.pk
        pages = (
            ("page: dashboard of a province (all figures)", f"/figures/?unit={province}&{period}"),
            ("page: dashboard of a commune (all figures)", f"/figures/?unit={commune}&{period}"),
            (
                "page: breakdown by commune (study rate)",
                f"/figures/study.attendance_rate/by-unit/?unit={province}&{period}",
            ),
            (
                "page: drill-down first page (attendances of a province)",
                f"/figures/study.attendances/records/?unit={province}&{period}",
            ),
            (
                "page: drill-down first page (overdue petitions of a province)",
                f"/figures/petitions.overdue/records/?unit={province}&{period}",
            ),
            ("page: unit page of a province", f"/units/{province}/"),
            ("page: tree browser", "/units/"),
            ("page: people list of a province", f"/people/?unit={province}"),
            ("page: study sessions list", f"/study/?unit={province}"),
            ("page: cases list", "/oversight/cases/"),
            ("page: petitions list", "/petitions/"),
        )
        for name, url in pages:

            def get(url=url):
                response = client.get(url, secure=True)
                if response.status_code != 200:
                    raise RuntimeError(f"{url}: HTTP {response.status_code}")
                return response

            try:
                times, _ = timed(get, self.runs)
            except RuntimeError as problem:
                self.add(Row(name, self.scale, self.backend, None, None, None, None, None,
                             note=str(problem)))  # fmt: skip
                continue
            baseline = None
            note = ""
            if "breakdown by commune (study rate)" in name:
                day = IndicatorQuery(self.province, START, END).as_of
                base, _ = timed(
                    lambda day=day: naive.breakdown(
                        "study.attendance_rate", self.province, START, END, day
                    ),
                    self.baseline_runs,
                )
                baseline = statistics.median(base)
                note = "(naive: the query part only)"
            if "drill-down first page (attendances" in name:
                day = IndicatorQuery(self.province, START, END).as_of
                base, _ = timed(
                    lambda day=day: naive.drilldown_page(self.province, START, END, day),
                    self.baseline_runs,
                )
                baseline = statistics.median(base)
                note = "(naive: the query part only)"
            p50 = statistics.median(times)
            self.add(
                Row(
                    name,
                    self.scale,
                    self.backend,
                    round(p50, 2),
                    round(percentile(times, 0.95), 2),
                    round(baseline, 2) if baseline else None,
                    _ratio(baseline, p50),
                    round(peak_mb(get), 2),
                    self.runs,
                    self.baseline_runs if baseline else 0,
                    note=note,
                    extra={"url": url},
                )
            )

    # --- DOCX report ----------------------------------------------------------------------

    def report(self) -> None:
        from django.core.management import call_command

        with tempfile.TemporaryDirectory(prefix="giamsat-bench-") as tmp:
            out = Path(tmp) / "report.docx"

            def docx():
                call_command(
                    "report",
                    unit=str(self.province.pk),
                    start=f"{dt.date(2025, 1, 1):%d/%m/%Y}",
                    end=f"{dt.date(2025, 12, 31):%d/%m/%Y}",
                    out=str(out),
                    stdout=io.StringIO(),
                    stderr=io.StringIO(),
                )

            runs = max(1, min(self.runs, 5))
            times, _ = timed(docx, runs)
            self.add(
                Row(
                    "DOCX report of a province (year 2025)",
                    self.scale,
                    self.backend,
                    round(statistics.median(times), 1),
                    round(percentile(times, 0.95), 1),
                    None,
                    None,
                    round(peak_mb(docx), 2),
                    runs,
                    extra={"bytes": out.stat().st_size},
                )
            )

    # --- attendance import (the study app's benchmark, on a scratch database) --------------

    def attendance_import(self, rows: int) -> None:
        scratch = ScratchDatabase()
        try:
            result = import_bench(scratch.url, rows)
        finally:
            scratch.drop()
        self.add(
            Row(
                f"attendance import ({rows:,} rows, xlsx, with validation)",
                self.scale,
                self.backend,
                round(result["seconds"] * 1000, 1),
                None,
                None,
                None,
                round(result["peak_mb"], 1),
                1,
                note=f"{result['rows_per_second']:,.0f} rows/s (peak = RSS of the import process)",
                extra={**result, "rows_per_second": round(result["rows_per_second"])},
            )
        )


def _ratio(naive_ms: float | None, real_ms: float | None) -> float | None:
    """naive / real to three significant figures (a slow page is 0.0412×, never 0.0×)."""
    if not naive_ms or not real_ms:
        return None
    return float(f"{naive_ms / real_ms:.3g}")


def _same(fast: dict, slow: dict) -> bool:
    if set(fast) != set(slow):
        return False
    for key, value in fast.items():
        other = slow[key]
        if isinstance(other, tuple):
            if (value.numerator, value.denominator) != other:
                return False
        elif value.value != other:
            return False
    return True


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.1f} ms" if value < 10_000 else f"{value / 1000:,.1f} s"


class ScratchDatabase:
    """An empty database next to the benchmark's: a temporary SQLite file, or a new
    PostgreSQL database on the same server (dropped afterwards)."""

    def __init__(self) -> None:
        self.tmp = tempfile.mkdtemp(prefix="giamsat-import-")
        if connection.vendor == "postgresql":
            self.name = f"{connection.settings_dict['NAME']}_import"
            # A connection of its own in autocommit (CREATE DATABASE refuses to run inside a
            # transaction, and the caller may be in one): the one Django's test runner uses.
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
                cursor.execute(f'CREATE DATABASE "{self.name}"')
            base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
            self.url = f"{base}/{self.name}"
        else:
            self.name = ""
            self.url = f"sqlite:///{Path(self.tmp) / 'import.sqlite3'}"

    def drop(self) -> None:
        if self.name:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}"')


def import_bench(url: str, rows: int) -> dict:
    """Run the study app's import benchmark steps (setup, import) on ``url``."""
    tmp = tempfile.mkdtemp(prefix="giamsat-import-")
    env = {**os.environ, "DATABASE_URL": url, "GIAMSAT_DATA_DIR": tmp, "DEBUG": "true"}
    env.pop("GIAMSAT_SCALE_DB", None)
    giamsat = [sys.executable, "-m", "giamsat.cli"]
    subprocess.run([*giamsat, "migrate", "--noinput", "-v0"], env=env, check=True)  # noqa: S603
    path = Path(tmp) / "attendance.xlsx"

    def child(*extra) -> dict:
        done = subprocess.run(  # noqa: S603 - the study app's command, our arguments
            [*giamsat, "bench_attendance_import", "--file", str(path), *extra],
            env=env,
            check=False,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-3000:])
        return json.loads(done.stdout.strip().splitlines()[-1])

    setup = child("--step", "setup", "--rows", str(rows), "--format", "xlsx")
    return child("--step", "import", "--session", str(setup["session"]))


def results_path(name: str, out: str | None = None) -> Path:
    """``bench/results/<name>-<time>.json`` (or under ``out``), its folder created."""
    import giamsat

    folder = Path(giamsat.__file__).resolve().parents[2] / "bench" / "results"
    if not folder.parent.is_dir():
        folder = Path.cwd() / "bench" / "results"
    if out:
        folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")  # noqa: DTZ005 - a file name
    return folder / f"{name}-{stamp}.json"


def machine() -> dict:
    """What the figures were measured on: the load of the machine, its CPUs, the time."""
    return {
        "load_average": os.getloadavg(),
        "cpus": os.cpu_count(),
        "when": dt.datetime.now().isoformat(timespec="seconds"),  # noqa: DTZ005
    }


def write_results(rows: list[Row], scale: str, backend: str, out: str | None = None) -> Path:
    path = results_path(f"{scale}-{backend}", out)
    meta = machine()
    path.write_text(
        json.dumps([{**asdict(r), "machine": meta} for r in rows], ensure_ascii=False, indent=1)
    )
    return path
