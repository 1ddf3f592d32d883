"""The real things killed with SIGKILL: a roster import of 8,000 members (``giamsat import
members``) and a report generation (``giamsat report --save``). Killed in the middle of the
write, or after the last row is written but before the commit, the database holds exactly what
it held before the command's transaction (row counts of every table, and checksums of the
people tables); the same command then runs to the end and writes everything."""

from __future__ import annotations

import pytest

from tests.security.kill_world import ADMIN, roster_csv
from tests.security.killing import when_line_matches

ROWS = 8_000
FAULTY = "tests.security.faulty_cli"
PEOPLE_TABLES = ["people_person", "people_membership"]
pytestmark = pytest.mark.slow


def _world(scratch_db) -> None:
    result = scratch_db.run(["shell", "-c", "from tests.security.kill_world import setup; setup()"])
    assert result.returncode == 0 and "world ready" in result.text, result.text


def _import_args(path) -> list[str]:
    where = ["--unit", "KWARD", "--as-of", "20/11/2026", "--user", ADMIN]
    return ["import", "members", str(path), *where]


class Outside:
    """What another connection sees just before the kill (the committed state)."""

    def __init__(self, scratch_db) -> None:
        self.db = scratch_db
        self.snapshot: dict[str, int] = {}
        self.sums: dict[str, str] = {}

    def __call__(self) -> None:
        self.snapshot = self.db.snapshot()
        self.sums = self.db.checksums(PEOPLE_TABLES)


def _assert_import_left_nothing(scratch_db, result, outside, before_sums) -> None:
    assert result.killed and result.returncode == -9, result.text
    assert "Imported" not in result.text and "Đã nhập" not in result.text
    scratch_db.check_integrity()
    # Nothing of the transaction survived: every table as it was seen from outside just
    # before the kill, the people tables row for row as before the command.
    assert scratch_db.snapshot() == outside.snapshot
    assert scratch_db.checksums(PEOPLE_TABLES) == before_sums == outside.sums
    assert scratch_db.count("people_person") == 0


def _complete_run(scratch_db, path, before: dict[str, int]) -> None:
    result = scratch_db.run(_import_args(path), timeout=600)
    assert result.returncode == 0, result.text
    assert scratch_db.count("people_person") == before["people_person"] + ROWS
    assert scratch_db.count("people_membership") == before["people_membership"] + ROWS


@pytest.mark.parametrize(
    ("kill_when", "env"),
    [
        # After the first chunk of 5,000 people is written (the transaction is open).
        pytest.param(
            when_line_matches(r"^paused at write-chunk"),
            {"GIAMSAT_PAUSE_AT": "write-chunk"},
            id="mid-write",
        ),
        # After all 8,000 people and memberships are written, before the commit.
        pytest.param(
            when_line_matches(r"^paused at write-end"),
            {"GIAMSAT_PAUSE_AT": "write-end"},
            id="before-commit",
        ),
    ],
)
def test_a_killed_roster_import_leaves_nothing(scratch_db, tmp_path, kill_when, env):
    _world(scratch_db)
    path = tmp_path / "roster.csv"
    path.write_bytes(roster_csv(ROWS))
    before = scratch_db.snapshot()
    before_sums = scratch_db.checksums(PEOPLE_TABLES)
    outside = Outside(scratch_db)
    result = scratch_db.run_and_kill(
        _import_args(path), kill_when=kill_when, module=FAULTY, on_kill=outside, timeout=600, **env
    )
    _assert_import_left_nothing(scratch_db, result, outside, before_sums)
    # No stale lock, no half-written journal: the same import now runs to its end.
    _complete_run(scratch_db, path, before)


def test_a_killed_report_generation_leaves_nothing(scratch_db, tmp_path):
    _world(scratch_db)
    out = tmp_path / "bao-cao.docx"
    args = ["report", "--unit", "KCITY", "--from", "01/01/2019", "--to", "30/09/2022"]
    args += ["--out", str(out), "--save"]
    before = scratch_db.snapshot()
    outside = Outside(scratch_db)
    result = scratch_db.run_and_kill(
        args,
        kill_when=when_line_matches(r"^paused at report-event"),
        module=FAULTY,
        on_kill=outside,
        GIAMSAT_PAUSE_AT="report-event",
    )
    assert result.killed and result.returncode == -9, result.text
    scratch_db.check_integrity()
    assert scratch_db.snapshot() == outside.snapshot == before
    assert scratch_db.count("reports_report") == 0
    assert not out.exists()  # no document of a report that does not exist
    # Run to the end: one report with its sections and its history, and the document.
    complete = scratch_db.run(args)
    assert complete.returncode == 0, complete.text
    assert scratch_db.count("reports_report") == 1
    assert scratch_db.count("reports_reportsection") >= 1
    assert scratch_db.count("reports_reportevent") == 1
    assert out.stat().st_size > 0
    assert scratch_db.assert_nothing_or_everything(before, scratch_db.snapshot()) == "everything"
