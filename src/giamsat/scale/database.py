"""Which database the generator and the benchmarks use, and how to start it afresh.

Without ``DATABASE_URL`` both commands work on their own SQLite file per scale
(``var/bench/<scale>.sqlite3`` under the data directory), never on the demo's database: the
command re-runs itself with that ``DATABASE_URL`` set. With ``DATABASE_URL`` (PostgreSQL) they
use that database, which should be one made for them (``pg_virtualenv`` or a scratch database).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection

MARK = "GIAMSAT_SCALE_DB"


def bench_sqlite_path(scale: str) -> Path:
    return Path(settings.DATA_DIR) / "bench" / f"{scale}.sqlite3"


def command_argv(name: str, options: dict, names: list[str]) -> list[str]:
    """The command line that runs command ``name`` again with these ``options`` (the ones in
    ``names``: flags for booleans, skipped when None or False)."""
    argv = [name]
    for option in names:
        value = options.get(option)
        if value is None or value is False:
            continue
        flag = "--" + option.replace("_", "-")
        argv += [flag] if value is True else [flag, str(value)]
    return argv


def rerun_on_own_database(scale: str, argv: list[str]) -> int | None:
    """If no database was chosen, run this command again on the scale's SQLite file and return
    its exit code; ``None`` when the current database is the one to use."""
    if os.environ.get("DATABASE_URL") or os.environ.get(MARK):
        return None
    path = bench_sqlite_path(scale)
    path.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", MARK: "1"}
    return subprocess.call([sys.executable, "-m", "giamsat.cli", *argv], env=env)  # noqa: S603 - this command again


def is_own_file(scale: str) -> bool:
    """Is the current database the scale's own SQLite file (which may be emptied at will)?"""
    if connection.vendor != "sqlite":
        return False
    return (
        Path(str(connection.settings_dict["NAME"])).resolve() == bench_sqlite_path(scale).resolve()
    )


def describe() -> str:
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite {settings_dict['NAME']}"
    return f"PostgreSQL {settings_dict.get('HOST') or 'local'}:{settings_dict.get('PORT') or ''}/{settings_dict['NAME']}"


def reset_database() -> None:
    """Empty the database completely (every table), then migrate."""
    if connection.vendor == "sqlite":
        name = connection.settings_dict["NAME"]
        connection.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    else:  # pragma: no cover - the project supports these two
        raise RuntimeError(f"unsupported database {connection.vendor}")
    migrate()


def migrate() -> None:
    call_command("migrate", interactive=False, verbosity=0)
