"""``giamsat bench_attendance_import --rows 100000``: import a large attendance file end to end.

The parent process works on a scratch database (a temporary SQLite file, or the empty
database given by ``--database-url``, e.g. inside ``pg_virtualenv``) and runs two children:
``--step setup`` creates a unit with cells, N members, a session whose list holds them all,
and writes the session's template filled in (93 % present, 4 % excused with a reason, 3 %
absent); ``--step import`` imports that file through the same code as the page and prints
rows/s and the peak memory of that process. A third child imports a copy of the file with one
bad row in the middle and checks that nothing was written and that the row is reported.
Targets (issue 3): ≥ 10,000 rows/s on SQLite and PostgreSQL, peak memory < 500 MB.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

ROWS_PER_CELL = 2000
SESSION_DAY = dt.date(2022, 3, 15)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Benchmark: import a 100,000-row attendance spreadsheet end to end (rows/s, memory)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument(
            "--database-url",
            default="",
            help="an EMPTY database to use (default: a temporary SQLite file)",
        )
        parser.add_argument("--step", choices=["setup", "import", "bad-row"], help="(internal)")
        parser.add_argument("--file", help="(internal)")
        parser.add_argument("--session", type=int, help="(internal)")

    def handle(self, *args, **options):
        step = options["step"]
        if step == "setup":
            return self.setup(options["rows"], Path(options["file"]), options["format"])
        if step == "import":
            return self.run_import(options["session"], Path(options["file"]))
        if step == "bad-row":
            return self.run_bad_row(options["session"], Path(options["file"]))
        return self.orchestrate(options)

    # --- parent -----------------------------------------------------------------------------

    def orchestrate(self, options) -> None:
        with tempfile.TemporaryDirectory(prefix="giamsat-bench-") as tmp:
            url = options["database_url"] or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            env = {**os.environ, "DATABASE_URL": url, "GIAMSAT_DATA_DIR": tmp, "DEBUG": "true"}
            env.pop("GIAMSAT_TESTING", None)
            giamsat = [sys.executable, "-m", "giamsat.cli"]
            vendor = "postgresql" if url.startswith("postgres") else "sqlite"
            self.stdout.write(
                f"database: {vendor} (scratch), rows: {options['rows']:,}, {options['format']}"
            )
            started = time.monotonic()
            subprocess.run([*giamsat, "migrate", "--noinput", "-v0"], env=env, check=True)  # noqa: S603
            self.stdout.write(f"  migrate: {time.monotonic() - started:.1f} s")
            path = Path(tmp) / f"attendance.{options['format']}"

            def child(*extra) -> dict:
                done = subprocess.run(  # noqa: S603 - this very command, our arguments
                    [*giamsat, "bench_attendance_import", "--file", str(path), *extra],
                    env=env,
                    check=False,
                    capture_output=True,
                    text=True,
                )
                if done.returncode != 0:
                    raise CommandError(done.stderr[-3000:])
                return json.loads(done.stdout.strip().splitlines()[-1])

            setup = child(
                "--step", "setup", "--rows", str(options["rows"]), "--format", options["format"]
            )
            self.stdout.write(
                f"  setup: {setup['people']:,} members in {setup['cells']} cells; session list "
                f"made in {setup['list_seconds']:.1f} s; template written in "
                f"{setup['file_seconds']:.1f} s ({setup['file_mb']:.1f} MB)"
            )
            result = child("--step", "import", "--session", str(setup["session"]))
            self.stdout.write(
                self.style.SUCCESS(
                    f"import: {result['rows']:,} rows in {result['seconds']:.2f} s = "
                    f"{result['rows_per_second']:,.0f} rows/s; peak memory "
                    f"{result['peak_mb']:.0f} MB (process; {result['start_mb']:.0f} MB before); "
                    f"{result['cpu_seconds']:.2f} s of CPU in this process (load average "
                    f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
                )
            )
            self.stdout.write(
                f"  read+check {result['read_seconds']:.2f} s, write {result['write_seconds']:.2f} s; "
                f"present {result['present']:,}, excused {result['excused']:,}, absent {result['absent']:,}"
            )
            bad = child("--step", "bad-row", "--session", str(setup["session"]))
            verdict = "nothing written" if bad["unchanged"] else "ROWS WERE WRITTEN"
            self.stdout.write(
                f"one bad row at {bad['bad_row']:,}: refused in {bad['seconds']:.2f} s, {verdict}, "
                f"reported: {bad['reported']}"
            )
            ok = (
                result["rows_per_second"] >= 10_000 and result["peak_mb"] < 500 and bad["unchanged"]
            )
            self.stdout.write(
                (self.style.SUCCESS if ok else self.style.WARNING)(
                    "targets (≥ 10,000 rows/s, < 500 MB, all or nothing): "
                    + ("met" if ok else "NOT met")
                )
            )

    # --- children ----------------------------------------------------------------------------

    def setup(self, rows: int, path: Path, file_format: str) -> None:
        from django.db import transaction

        from giamsat.core.text import person_sort_key, search_key
        from giamsat.study import services, spreadsheets
        from giamsat.study.models import Status
        from giamsat.units.models import UnitKind
        from giamsat.units.services import NewUnit, establish_unit

        with transaction.atomic():
            root = establish_unit(
                spec=NewUnit(code="BENCH", name="Đảng bộ thử tải", kind=UnitKind.UPPER_GRASSROOTS),
                parent=None,
                date=dt.date(2015, 1, 1),
            )
            cells = [
                establish_unit(
                    spec=NewUnit(
                        code=f"BENCH-{i:04d}", name=f"Chi bộ thử tải {i}", kind=UnitKind.CELL
                    ),
                    parent=root,
                    date=dt.date(2015, 1, 1),
                )
                for i in range(1, max(1, rows // ROWS_PER_CELL) + 1)
            ]
            families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi"]
            middles = ["Văn", "Thị", "Minh", "Đức", "Ngọc", "Thanh"]

            def people():
                now = dt.datetime.now(dt.UTC)
                for n in range(rows):
                    name = f"{families[n % 8]} {middles[n // 8 % 6]} Người{n}"
                    family, middle, given = (
                        name.split(" ", 2)[0],
                        name.split(" ")[1],
                        name.split(" ")[-1],
                    )
                    yield (
                        name,
                        family,
                        middle,
                        given,
                        dt.date(1950 + n % 50, 1 + n % 12, 1 + n % 28),
                        "male",
                        f"B{n:09d}",
                        None,
                        "member",
                        "full",
                        None,
                        None,
                        None,
                        None,
                        True,
                        person_sort_key(name),
                        search_key(name),
                        now,
                        now,
                    )

            _insert(
                "people_person",
                [
                    "full_name",
                    "family_name",
                    "middle_name",
                    "given_name",
                    "birth_date",
                    "gender",
                    "party_card_number",
                    "identity_number",
                    "category",
                    "status",
                    "joined_on",
                    "official_on",
                    "left_on",
                    "affiliation_id",
                    "is_fictional",
                    "name_sort",
                    "name_search",
                    "created_at",
                    "updated_at",
                ],
                people(),
            )
            from giamsat.people.models import Person

            ids = list(
                Person.objects.filter(party_card_number__startswith="B")
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            now = dt.datetime.now(dt.UTC)
            _insert(
                "people_membership",
                [
                    "person_id",
                    "unit_id",
                    "kind",
                    "note",
                    "valid_from",
                    "valid_to",
                    "created_at",
                    "updated_at",
                ],
                (
                    (
                        pk,
                        cells[i % len(cells)].pk,
                        "regular",
                        "",
                        dt.date(2015, 1, 1),
                        None,
                        now,
                        now,
                    )
                    for i, pk in enumerate(ids)
                ),
            )
        started = time.monotonic()
        session = services.create_session(
            acting_user=None,
            unit=root,
            title="Hội nghị thử tải",
            date=SESSION_DAY,
            directives=[],
        )
        list_seconds = time.monotonic() - started
        started = time.monotonic()
        reasons = ["Ốm", "Công tác xa", "Việc gia đình"]

        def fill(n: int):
            if n % 100 < 93:
                return Status.PRESENT, ""
            if n % 100 < 97:
                return Status.EXCUSED, reasons[n % 3]
            return Status.ABSENT, ""

        if file_format == "xlsx":
            path.write_bytes(spreadsheets.template_xlsx(session, fill=fill))
        else:
            import csv

            with path.open("w", encoding="utf-8-sig", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(spreadsheets.template_headers(session))
                writer.writerows(spreadsheets.template_rows(session, fill=fill))
        print(  # noqa: T201 - the parent reads this line
            json.dumps(
                {
                    "session": session.pk,
                    "people": len(ids),
                    "cells": len(cells),
                    "list_seconds": list_seconds,
                    "file_seconds": time.monotonic() - started,
                    "file_mb": path.stat().st_size / 1e6,
                }
            )
        )

    def run_import(self, session_id: int, path: Path) -> None:
        from giamsat.study import spreadsheets
        from giamsat.study.models import StudySession

        session = StudySession.objects.get(pk=session_id)
        start_mb = _peak_mb()
        marks: dict[str, float] = {}

        def progress(phase: str, done: int, total: int | None) -> None:
            marks.setdefault(phase, time.monotonic())

        cpu_before = _cpu_seconds()
        started = time.monotonic()
        with path.open("rb") as stream:
            result = spreadsheets.import_attendance(
                acting_user=None,
                session=session,
                stream=stream,
                file_name=path.name,
                progress=progress,
            )
        seconds = time.monotonic() - started
        cpu = _cpu_seconds() - cpu_before
        if not result.ok:
            raise CommandError(f"import refused: {[e.as_dict() for e in result.errors[:5]]}")
        session.refresh_from_db()
        write_start = marks.get("write", started + seconds)
        print(  # noqa: T201 - the parent reads this line
            json.dumps(
                {
                    "rows": result.rows,
                    "seconds": seconds,
                    "rows_per_second": result.rows / seconds,
                    "cpu_seconds": cpu,
                    "read_seconds": write_start - started,
                    "write_seconds": started + seconds - write_start,
                    "peak_mb": _peak_mb(),
                    "start_mb": start_mb,
                    "present": session.present,
                    "excused": session.excused,
                    "absent": session.absent,
                }
            )
        )

    def run_bad_row(self, session_id: int, path: Path) -> None:
        from giamsat.study import spreadsheets
        from giamsat.study.models import Attendance, StudySession

        session = StudySession.objects.get(pk=session_id)
        # Reset the list, then spoil one row in the middle of a fresh copy of the file.
        Attendance.objects.filter(session=session).update(
            status="pending", reason="", attended_on=None, studied_on=None
        )
        before = list(Attendance.objects.filter(session=session).values_list("status").distinct())
        bad_path, bad_row = _spoil(path)
        started = time.monotonic()
        with bad_path.open("rb") as stream:
            result = spreadsheets.import_attendance(
                acting_user=None, session=session, stream=stream, file_name=bad_path.name
            )
        seconds = time.monotonic() - started
        after = list(Attendance.objects.filter(session=session).values_list("status").distinct())
        print(  # noqa: T201 - the parent reads this line
            json.dumps(
                {
                    "bad_row": bad_row,
                    "seconds": seconds,
                    "unchanged": before == after == [("pending",)] and not result.ok,
                    "reported": [e.as_dict() for e in result.errors[:3]],
                },
                ensure_ascii=False,
            )
        )


def _spoil(path: Path) -> tuple[Path, int]:
    """A copy of the file whose middle row has an unknown attendance word."""
    from giamsat.core.excel import read_sheet, write_xlsx

    with path.open("rb") as stream:
        sheet = read_sheet(stream, path.name)
        rows = [cells for _n, cells in sheet.rows]
    middle = len(rows) // 2
    status = sheet.headers.index("Tình trạng")
    rows[middle][status] = "Có mặt?"
    target = path.with_name("bad-" + path.name)
    if path.suffix == ".csv":
        import csv

        with target.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(sheet.headers)
            writer.writerows(rows)
    else:
        target.write_bytes(write_xlsx([("Điểm danh", sheet.headers, rows)]) or b"")
    return target, middle + 2  # 1-based, after the header row


def _insert(table: str, columns: list[str], rows) -> None:
    from itertools import islice

    from django.db import connection

    ops = connection.ops
    sql = (
        f"INSERT INTO {ops.quote_name(table)} ({', '.join(ops.quote_name(c) for c in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )

    def adapt(value):
        if isinstance(value, dt.datetime):
            return ops.adapt_datetimefield_value(value)
        if isinstance(value, dt.date):
            return ops.adapt_datefield_value(value)
        return value

    iterator = iter(rows)
    with connection.cursor() as cursor:
        while batch := [[adapt(v) for v in r] for r in islice(iterator, 5000)]:
            cursor.executemany(sql, batch)
