"""``giamsat bench`` runs at the tiny scale and prints one table of timings with the naive
baseline measured in the same run and the ratio between them; the JSON under the results
folder carries the same rows. Only the structure is checked, never a timing."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from giamsat.scale import database
from giamsat.scale.bench import CODES
from tests.scale.conftest import SEED

KEYS = {"name", "scale", "backend", "p50_ms", "p95_ms", "baseline_p50_ms", "ratio", "peak_mb"}
LEVELS = ("national by province", "province by commune", "commune by grassroots")


def _bench(tmp_path, monkeypatch, *parts: str, **options) -> tuple[str, list[dict]]:
    # The test database is the one to measure (no re-run on var/bench/tiny.sqlite3).
    monkeypatch.setenv(database.MARK, "1")
    out = StringIO()
    call_command(
        "bench", scale="tiny", seed=options.pop("seed", SEED), only=",".join(parts), runs=2,
        baseline_runs=1,
        out=str(tmp_path), stdout=out, **options,
    )  # fmt: skip
    (result,) = tmp_path.glob("tiny-*.json")
    return out.getvalue(), json.loads(result.read_text())


def test_breakdowns_pages_and_report_print_ratios(tiny, tmp_path, monkeypatch):
    """Every figure at every level is timed against the naive per-unit loop, which gives the
    same values; the pages answer 200 through the full stack; the DOCX report is written."""
    text, rows = _bench(tmp_path, monkeypatch, "breakdowns", "pages", "report")
    assert "Using the tiny (seed 7) data set" in text
    assert "naive / real" in text and "median" in text
    assert "DIFFER" not in text and "HTTP" not in text
    for row in rows:
        assert set(row) >= KEYS, row["name"]
        assert row["scale"] == "tiny"
        assert row["p50_ms"] > 0 and row["p95_ms"] >= row["p50_ms"]
    by_name = {row["name"]: row for row in rows}
    for level in LEVELS:
        for code in CODES:
            row = by_name[f"breakdown {level}: {code}"]
            assert row["extra"]["same_values"] is True
            ratio = row["baseline_p50_ms"] / row["p50_ms"]
            assert row["ratio"] == pytest.approx(ratio, rel=0.05, abs=0.1)
            assert row["peak_mb"] >= 0 and row["baseline_peak_mb"] >= 0
            assert row["name"] in text
    pages = [row for row in rows if row["name"].startswith("page: ")]
    assert len(pages) >= 10
    assert all(row["extra"]["url"].startswith("/") for row in pages)
    drill = by_name["page: drill-down first page (attendances of a province)"]
    assert drill["baseline_p50_ms"] > 0 and drill["ratio"] > 0
    (report,) = [row for row in rows if row["name"].startswith("DOCX report")]
    assert report["extra"]["bytes"] > 1000


def test_attendance_import_reports_rows_per_second(tiny, tmp_path, monkeypatch):
    """The import runs on a scratch database in a child process and reports rows/s."""
    text, rows = _bench(tmp_path, monkeypatch, "import", import_rows=200)
    (row,) = rows
    assert row["name"] == "attendance import (200 rows, xlsx, with validation)"
    assert row["extra"]["rows_per_second"] > 0
    assert row["peak_mb"] > 0
    assert "rows/s" in text


def test_an_unknown_part_is_refused(tiny, tmp_path, monkeypatch):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="unknown part"):
        _bench(tmp_path, monkeypatch, "everything")


def test_another_data_set_is_not_overwritten(tiny, tmp_path, monkeypatch):
    """A database holding other data is left alone unless --regenerate is given."""
    from django.core.management.base import CommandError

    monkeypatch.setenv(database.MARK, "")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///unused")  # chosen explicitly: no re-run
    with pytest.raises(CommandError, match="--regenerate"):
        call_command("bench", scale="tiny", seed=99, only="report", stdout=StringIO())


def test_without_a_chosen_database_it_runs_again_on_its_own_file(monkeypatch):
    """No DATABASE_URL: the command runs itself again, with the same options, on the scale's
    own SQLite file — never on the database of the demo."""
    calls = []
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv(database.MARK, raising=False)
    monkeypatch.setattr(
        database.subprocess, "call", lambda argv, env: calls.append((argv, env)) or 0
    )
    call_command("bench", scale="tiny", seed=5, only="report", regenerate=True, stdout=StringIO())
    ((argv, env),) = calls
    assert argv[1:] == [
        "-m", "giamsat.cli", "bench", "--scale", "tiny", "--seed", "5", "--only", "report",
        "--regenerate",
    ]  # fmt: skip
    assert env["DATABASE_URL"].endswith("/bench/tiny.sqlite3")
    assert env[database.MARK] == "1"
