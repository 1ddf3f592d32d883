"""The SIGKILL harness: run a management command in its own process against a scratch database
(a file-based SQLite database, or a fresh PostgreSQL database in the PostgreSQL leg), kill it
with SIGKILL at a chosen moment, and compare the database with its state before the run and
after a complete run. "Nothing or everything": a killed command leaves either the state before
it or the state of a complete run — never something in between.

Usage (tests/security/test_sigkill_real.py points it at the roster import and report
generation)::

    def test_import_is_all_or_nothing(scratch_db):
        scratch_db.load_fixture(...)                 # or run a setup command
        before = scratch_db.snapshot()
        result = scratch_db.run_and_kill(["import_attendance", path], kill_when=after_rows(500))
        assert result.killed
        scratch_db.assert_nothing_or_everything(before, complete=...)
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

Snapshot = dict[str, int]


def _plain(value: object) -> object:
    """The same text for a value read through sqlite3 or psycopg."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | float):
        return str(decimal.Decimal(str(value)).normalize())
    if isinstance(value, memoryview):
        return bytes(value)
    return value


@dataclass
class KillResult:
    killed: bool
    returncode: int | None
    output: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.output)


def when_line_matches(pattern: str) -> Callable[[str], bool]:
    regex = re.compile(pattern)
    return lambda line: bool(regex.search(line))


def after_rows(rows: int, marker: str = r"progress (\d+)") -> Callable[[str], bool]:
    """Kill once the command reports ``progress N`` with N >= rows."""
    regex = re.compile(marker)

    def check(line: str) -> bool:
        match = regex.search(line)
        return bool(match and int(match.group(1)) >= rows)

    return check


def run_and_kill(
    args: list[str],
    *,
    env: dict[str, str],
    kill_when: Callable[[str], bool] | None,
    timeout: float = 300,
    module: str = "giamsat.cli",
    on_kill: Callable[[], None] | None = None,
) -> KillResult:
    """Run ``giamsat ARGS``; SIGKILL it as soon as an output line satisfies ``kill_when``.

    ``module`` runs another entry point (``tests.security.faulty_cli`` adds progress lines and
    pause points); ``on_kill`` runs just before the kill (to look at the database from outside
    while the command's transaction is still open)."""
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", module, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    watchdog = threading.Timer(timeout, process.kill)
    watchdog.start()
    output: list[str] = []
    killed = False
    try:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if kill_when is not None and kill_when(line):
                if on_kill is not None:
                    on_kill()
                os.kill(process.pid, signal.SIGKILL)
                killed = True
                break
        process.wait(timeout)
    finally:
        watchdog.cancel()
        if process.stdout is not None:
            process.stdout.close()
    return KillResult(killed, process.returncode, output)


@dataclass
class ScratchDatabase:
    """A migrated database of its own, reachable from subprocesses through DATABASE_URL."""

    vendor: str
    url: str
    data_dir: Path
    _connect: Callable[[], object]

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.url,
            "GIAMSAT_TESTING": "true",
            "DJANGO_SETTINGS_MODULE": "giamsat.settings",
            "GIAMSAT_DATA_DIR": str(self.data_dir),
            "PYTHONUNBUFFERED": "1",
        }

    def run(
        self, args: list[str], timeout: float = 300, module: str = "giamsat.cli", **env: str
    ) -> KillResult:
        """Run a command to its end (to set up data, or to get the complete state)."""
        return run_and_kill(
            args, env={**self.env, **env}, kill_when=None, timeout=timeout, module=module
        )

    def run_and_kill(
        self,
        args: list[str],
        kill_when: Callable[[str], bool],
        timeout: float = 300,
        module: str = "giamsat.cli",
        on_kill: Callable[[], None] | None = None,
        **env: str,
    ) -> KillResult:
        return run_and_kill(
            args,
            env={**self.env, **env},
            kill_when=kill_when,
            timeout=timeout,
            module=module,
            on_kill=on_kill,
        )

    def query(self, sql: str) -> list[tuple]:
        conn = self._connect()
        try:
            cursor = conn.cursor()
            cursor.execute(sql)
            return list(cursor.fetchall())
        finally:
            conn.close()

    def tables(self) -> list[str]:
        if self.vendor == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        else:
            sql = (
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema='public' AND table_type='BASE TABLE'"
            )
        return sorted(row[0] for row in self.query(sql))

    def count(self, table: str) -> int:
        return self.query(f'SELECT COUNT(*) FROM "{table}"')[0][0]

    def snapshot(self) -> Snapshot:
        """Row counts of every table."""
        return {table: self.count(table) for table in self.tables()}

    def checksum(self, table: str) -> str:
        """A digest of every row of ``table`` (in primary-key order): equal digests, equal rows."""
        rows = self.query(f'SELECT * FROM "{table}" ORDER BY 1')
        digest = hashlib.sha256()
        for row in rows:
            digest.update(repr(tuple(_plain(v) for v in row)).encode())
        return digest.hexdigest()

    def checksums(self, tables: list[str]) -> dict[str, str]:
        return {table: self.checksum(table) for table in tables}

    def check_integrity(self) -> None:
        if self.vendor == "sqlite":
            assert self.query("PRAGMA integrity_check") == [("ok",)]
        else:
            assert self.query("SELECT 1") == [(1,)]

    def assert_nothing_or_everything(self, before: Snapshot, complete: Snapshot) -> str:
        """The state is the one before the run or the one after a complete run; say which."""
        after = self.snapshot()
        if after == before:
            return "nothing"
        changed = {
            t: (before.get(t), after.get(t), complete.get(t))
            for t in after
            if after.get(t) != complete.get(t)
        }
        assert after == complete, f"partial write (table: before, now, complete): {changed}"
        return "everything"


@pytest.fixture(scope="session")
def _scratch_template(tmp_path_factory) -> Iterator[tuple[str, object]]:
    """One migrated template per test session (per xdist worker), copied for each test."""
    root = tmp_path_factory.mktemp("scratch")
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[1]
    vendor = "sqlite" if vendor == "sqlite3" else vendor
    if vendor == "sqlite":
        template = root / "template.sqlite3"
        url = f"sqlite:///{template}"
    else:
        name = f"giamsat_tpl_{uuid.uuid4().hex[:10]}"
        _pg_admin(f'CREATE DATABASE "{name}"')
        template = name
        url = _pg_url(name)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "GIAMSAT_TESTING": "true",
        "DJANGO_SETTINGS_MODULE": "giamsat.settings",
        "GIAMSAT_DATA_DIR": str(root / "data"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "giamsat.cli", "migrate", "-v0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    yield vendor, template
    if vendor != "sqlite":
        _pg_admin(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')


def _pg_params(name: str) -> dict:
    db = settings.DATABASES["default"]
    return {
        "dbname": name,
        "user": db["USER"],
        "password": db["PASSWORD"],
        "host": db["HOST"],
        "port": db["PORT"],
    }


def _pg_url(name: str) -> str:
    p = _pg_params(name)
    return f"postgres://{p['user']}:{p['password']}@{p['host']}:{p['port']}/{name}"


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(**_pg_params("postgres"), autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture
def scratch_db(_scratch_template, tmp_path) -> Iterator[ScratchDatabase]:
    vendor, template = _scratch_template
    if vendor == "sqlite":
        path = tmp_path / "scratch.sqlite3"
        shutil.copy(template, path)
        yield ScratchDatabase(
            vendor, f"sqlite:///{path}", tmp_path / "data", lambda: sqlite3.connect(path)
        )
        return
    import psycopg

    name = f"giamsat_kill_{uuid.uuid4().hex[:10]}"
    _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield ScratchDatabase(
            vendor, _pg_url(name), tmp_path / "data", lambda: psycopg.connect(**_pg_params(name))
        )
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
