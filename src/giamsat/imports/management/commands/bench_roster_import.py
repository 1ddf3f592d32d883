"""``giamsat bench_roster_import --rows 200000``: how fast a large roster is previewed and
imported, and how much memory it takes.

Builds a tree (one province, wards, cells of about 40 members) and a roster file with
generated, fictional members; then measures: the preview of the new roster (every row to
create), the import, and the preview of the same roster again (every row unchanged, which is
the lookup-heavy case). Everything runs in a transaction rolled back at the end, so the
database is left as it was (unless --keep). Peak memory is the process's maximum resident set.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from giamsat.accounts.models import User
from giamsat.core.excel import write_xlsx
from giamsat.imports.columns import MEMBERS
from giamsat.imports.services import apply_batch, preview_batch, stage_import
from giamsat.units.models import UnitKind
from giamsat.units.services import NewUnit, establish_unit, establish_units

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Quang", "Hữu", "Ngọc", "Thanh", "Thu", "Hồng"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Hà", "Lan", "Linh", "Mai", "Nam", "Yến"]
DAY = dt.date(2015, 1, 1)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class RollbackError(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark the preview and import of a large member roster (prints rows/s, memory)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=200_000)
        parser.add_argument("--per-cell", type=int, default=40)
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--skip-apply", action="store_true", help="preview only")
        parser.add_argument("--keep", action="store_true", help="keep the generated data")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        self.results: list[tuple[str, int, float, float]] = []
        try:
            with transaction.atomic():
                self._run(options)
                if not options["keep"]:
                    raise RollbackError
        except RollbackError:
            self.stdout.write("(generated data rolled back)")
        self.stdout.write("")
        self.stdout.write(
            f"database: {connection.vendor}; file: {options['format']}; rows: {options['rows']}"
        )
        self.stdout.write(
            f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
            f"on {os.cpu_count()} CPUs (wall time suffers when the machine is shared)"
        )
        self.stdout.write(
            f"{'step':<32}{'rows':>8}{'wall s':>9}{'rows/s':>9}{'CPU s':>8}{'rows/CPU s':>12}"
        )
        for step, rows, wall, used in self.results:
            self.stdout.write(
                f"{step:<32}{rows:>8}{wall:>9.1f}{rows / max(wall, 1e-6):>9.0f}"
                f"{used:>8.1f}{rows / max(used, 1e-6):>12.0f}"
            )
        self.stdout.write(f"peak memory (max RSS of the process): {peak_mb():.0f} MB")

    def _timed(self, step: str, rows: int, action):
        started, cpu = time.perf_counter(), time.process_time()
        result = action()
        wall, used = time.perf_counter() - started, time.process_time() - cpu
        self.results.append((step, rows, wall, used))
        self.stdout.write(f"{step}: {wall:.1f} s ({used:.1f} s CPU), peak {peak_mb():.0f} MB")
        sys.stdout.flush()
        return result

    def _run(self, options):
        rows, per_cell, fmt = options["rows"], options["per_cell"], options["format"]
        rng = random.Random(options["seed"])
        user = User.objects.create(
            username=f"bench-{time.time_ns()}", is_superuser=True, is_staff=True
        )
        cells_needed = max(1, (rows + per_cell - 1) // per_cell)
        wards_needed = max(1, cells_needed // 40)

        def tree():
            root = establish_unit(
                spec=NewUnit(
                    code="BENCH", name="Đảng bộ tỉnh (benchmark)", kind=UnitKind.UNDER_CENTRE
                ),
                parent=None,
                date=DAY,
            )
            wards = establish_units(
                items=[
                    (
                        NewUnit(
                            code=f"BW{w:04d}",
                            name=f"Đảng bộ phường {w}",
                            kind=UnitKind.GRASSROOTS_ORG,
                        ),
                        root,
                        DAY,
                    )
                    for w in range(wards_needed)
                ]
            )
            establish_units(
                items=[
                    (
                        NewUnit(code=f"BC{c:06d}", name=f"Chi bộ {c}", kind=UnitKind.CELL),
                        wards[c % len(wards)],
                        DAY,
                    )
                    for c in range(cells_needed)
                ]
            )
            return root

        root = self._timed(f"tree ({cells_needed} cells)", cells_needed, tree)
        header = [c.header() for c in MEMBERS.columns]

        def line(i: int) -> list:
            birth = dt.date(rng.randint(1950, 2000), rng.randint(1, 12), rng.randint(1, 28))
            joined = dt.date(
                min(birth.year + rng.randint(19, 40), 2020), rng.randint(1, 12), rng.randint(1, 28)
            )
            full = rng.random() > 0.03
            return [
                f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                birth.strftime("%d/%m/%Y"),
                rng.choice(["Nam", "Nữ"]),
                str(40_000_000 + i),
                f"0{38_000_000_000 + i}",
                joined.strftime("%d/%m/%Y"),
                joined.replace(year=joined.year + 1).strftime("%d/%m/%Y") if full else None,
                "Chính thức" if full else "Dự bị",
                f"BC{i // per_cell:06d}",
                None,
                "Chính thức",
                None,
            ]

        folder = Path(tempfile.mkdtemp(prefix="giamsat-bench-"))
        path = folder / f"roster.{fmt}"

        def generate():
            data = [line(i) for i in range(rows)]
            if fmt == "xlsx":
                path.write_bytes(write_xlsx([("Đảng viên", header, data)]))
            else:
                buffer = io.StringIO()
                writer = csv.writer(buffer)
                writer.writerow(header)
                writer.writerows([["" if v is None else v for v in r] for r in data])
                path.write_text(buffer.getvalue(), encoding="utf-8")

        self._timed("generate file", rows, generate)
        self.stdout.write(f"file: {path} ({path.stat().st_size / 1024 / 1024:.1f} MB)")
        as_of = dt.date(2026, 11, 20)

        def stage_and_preview():
            with path.open("rb") as handle:
                batch = stage_import(
                    kind="members",
                    upload=File(handle, name=path.name),
                    unit=root,
                    as_of=as_of,
                    acting_user=user,
                )
            return preview_batch(batch=batch)

        batch = self._timed("preview (all new)", rows, stage_and_preview)
        self.stdout.write(f"  created {batch.created_count}, rejected {batch.rejected_count}")
        if options["skip_apply"]:
            return
        self._timed(
            "import (one transaction)", rows, lambda: apply_batch(batch=batch, acting_user=user)
        )
        again = self._timed("preview again (all unchanged)", rows, stage_and_preview)
        self.stdout.write(
            f"  unchanged {again.unchanged_count}, updated {again.updated_count}, rejected {again.rejected_count}"
        )
        batch.file.delete(save=False)
        again.file.delete(save=False)
