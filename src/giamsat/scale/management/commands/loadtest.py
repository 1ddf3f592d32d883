"""``giamsat loadtest --users 200 --duration 300 [--scale city] [--wait 1-5]``: simulated users
opening unit dashboards, lists and figure drill-downs against gunicorn on loopback (Locust),
printing p50/p95/max per page kind, requests/s and the error count, and writing JSON under
``bench/results/``.

It uses the bench data set of that scale (``var/bench/<scale>.sqlite3`` without
``DATABASE_URL``, generated first when absent, as ``giamsat bench`` does), creates the
load-test users and their sessions, starts gunicorn (2 workers, production settings, 2FA off
for this run) on a free port of 127.0.0.1, runs Locust headless, then stops the server.
Timings are figures to read, never asserted; the exit code is 1 when any request failed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from giamsat.scale import database, load
from giamsat.scale.shapes import SHAPES


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _wait_until_up(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError(f"gunicorn exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise CommandError(f"gunicorn did not answer {url} within {seconds:.0f} s")


class Command(BaseCommand):
    help = (
        "Load test: simulated users opening dashboards, lists and drill-downs on gunicorn on "
        "loopback (Locust); prints p50/p95/max per page kind, requests/s and errors."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SHAPES), default="city")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--users", type=int, default=200)
        parser.add_argument("--duration", type=int, default=300, help="seconds of load")
        parser.add_argument(
            "--spawn-rate", type=float, help="users started per second (default: users / 10)"
        )
        parser.add_argument(
            "--wait", default="1-5", help="think time between pages, min-max seconds (1-5)"
        )
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument(
            "--out", help="folder of the JSON result (default: bench/results of the checkout)"
        )

    def handle(self, *args, **options):
        names = ["scale", "seed", "users", "duration", "spawn_rate", "wait", "workers", "out"]
        argv = database.command_argv("loadtest", options, names)
        code = database.rerun_on_own_database(options["scale"], argv)
        if code is not None:
            if code:
                raise CommandError(f"loadtest failed (exit {code})", returncode=code)
            return
        try:
            low, high = (float(x) for x in options["wait"].split("-"))
        except ValueError:
            raise CommandError("--wait must be min-max in seconds, e.g. 1-5") from None
        if options["users"] < 1 or options["duration"] < 1 or not 0 <= low <= high:
            raise CommandError("--users and --duration must be positive, --wait min ≤ max")
        console = Console(file=self.stdout._out, highlight=False, width=120)
        self.run(options, console)

    def run(self, options, console: Console) -> None:
        from django.db import connection

        from giamsat.scale.management.commands.bench import dataset_for

        scale, users, duration = options["scale"], options["users"], options["duration"]
        dataset = dataset_for(scale, options["seed"], regenerate=False, console=console)
        entries = load.plan(dataset, users)
        backend = connection.vendor
        database_url = os.environ["DATABASE_URL"]
        connection.close()
        port = load.free_port()
        host = f"http://127.0.0.1:{port}"
        spawn_rate = options["spawn_rate"] or max(1.0, users / 10)
        console.print(
            f"{dataset}, {backend}: {users} users ({sum(e['role'] == 'inspection' for e in entries)}"
            f" inspection staff, the others leaders), {duration} s, think time {options['wait']} s,"
            f" {spawn_rate:g} users/s ramp-up, gunicorn {options['workers']} workers on {host}"
        )
        with tempfile.TemporaryDirectory(prefix="giamsat-load-") as tmp:
            plan_path = Path(tmp) / "plan.json"
            plan_path.write_text(json.dumps({"mix": load.MIX, "users": entries}))
            env = load.server_env(database_url)
            server = subprocess.Popen(  # noqa: S603 - our own server
                [
                    sys.executable, "-m", "gunicorn", "-b", f"127.0.0.1:{port}",
                    "-w", str(options["workers"]), "--log-level", "warning",
                    "giamsat.wsgi:application",
                ],
                env=env,
            )  # fmt: skip
            try:
                _wait_until_up(f"{host}/healthz", server)
                prefix = Path(tmp) / "stats"
                locust_env = {
                    **os.environ,
                    "GIAMSAT_LOAD_PLAN": str(plan_path),
                    "GIAMSAT_LOAD_WAIT": options["wait"],
                }
                started = time.monotonic()
                log_path = Path(tmp) / "locust.log"
                scenario = Path(load.__file__).with_name("locustfile.py")
                command = [
                    sys.executable, "-m", "locust", "-f", str(scenario), "--headless",
                    "--host", host, "-u", str(users), "-r", f"{spawn_rate:g}",
                    "-t", f"{duration}s", "--stop-timeout", "10",
                    "--csv", str(prefix), "--json-file", str(prefix), "--only-summary",
                    "--loglevel", "WARNING", "--exit-code-on-error", "0",
                ]  # fmt: skip
                with open(log_path, "w", encoding="utf-8") as log:
                    code = subprocess.call(  # noqa: S603 - locust on our scenario
                        command, env=locust_env, stdout=subprocess.DEVNULL, stderr=log
                    )
                seconds = time.monotonic() - started
                if code != 0 or not Path(f"{prefix}.json").exists():
                    self.stderr.write(log_path.read_text(encoding="utf-8")[-3000:])
                    raise CommandError(f"locust failed (exit {code})")
                summary = load.summarise(prefix)
            finally:
                server.terminate()
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()

        total = summary["total"] or {}
        errors = sum(kind["failures"] for kind in summary["kinds"])
        table = Table(
            title=f"giamsat loadtest — {scale} scale, {backend}, {users} users, {duration} s"
        )
        for column in ("page kind", "requests", "errors", "p50 ms", "p95 ms", "max ms", "req/s"):
            table.add_column(column, justify="left" if column == "page kind" else "right")
        for row in [*summary["kinds"], total]:
            if not row:
                continue
            table.add_row(
                row["kind"], f"{row['requests']:,}", f"{row['failures']:,}", _ms(row["p50_ms"]),
                _ms(row["p95_ms"]), _ms(row["max_ms"]), f"{row['rps'] or 0:,.1f}",
            )  # fmt: skip
        console.print(table)
        console.print(
            f"p95 {_ms(total.get('p95_ms'))} ms, {total.get('rps') or 0:,.1f} requests/s, "
            f"errors: {errors}"
        )
        for failure in summary["failures"][:10]:
            console.print(f"[red]{failure['count']} × {failure['kind']}: {failure['error']}[/red]")
        result = {
            "scale": scale,
            "backend": backend,
            "seed": dataset.seed,
            "users": users,
            "duration_s": duration,
            "measured_s": round(seconds, 1),
            "spawn_rate": spawn_rate,
            "wait_s": options["wait"],
            "workers": options["workers"],
            "mix": dict(load.MIX),
            "errors": errors,
            **summary,
        }
        path = load.write_result(result, scale, backend, options.get("out"))
        console.print(f"Results written to {path}")
        if errors:
            raise CommandError(f"{errors} request(s) failed")
