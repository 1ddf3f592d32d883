"""A command killed with SIGKILL in the middle of its transaction leaves nothing; killed after
its commit it leaves everything; the database stays sound and the command can run again.
(Shown on a synthetic long write; part 2 points the same harness at the real imports and
report generation.)"""

from __future__ import annotations

import pytest

from tests.security.killing import after_rows, when_line_matches

ROWS = 80
pytestmark = pytest.mark.slow


def _complete_state(scratch_db) -> dict[str, int]:
    before = scratch_db.snapshot()
    result = scratch_db.run(["selftest_long_write", f"--rows={ROWS}", "--delay=0"])
    assert result.returncode == 0 and "committed" in result.text, result.text
    complete = scratch_db.snapshot()
    assert complete["units_unit"] == ROWS + 1 and complete != before
    return complete


def test_killed_mid_transaction_leaves_nothing(scratch_db, tmp_path):
    before = scratch_db.snapshot()
    result = scratch_db.run_and_kill(
        ["selftest_long_write", f"--rows={ROWS}", "--delay=0.005"], kill_when=after_rows(ROWS // 2)
    )
    assert result.killed and result.returncode == -9, result.text
    assert "committed" not in result.text
    scratch_db.check_integrity()
    assert scratch_db.assert_nothing_or_everything(before, complete={}) == "nothing"
    assert scratch_db.count("units_unit") == 0
    assert scratch_db.count("units_unitancestry") == 0
    assert scratch_db.count("auditlog_logentry") == 0
    # No stale lock or half-written journal: the same command now runs to the end.
    complete = _complete_state(scratch_db)
    assert scratch_db.assert_nothing_or_everything(before, complete) == "everything"


def test_killed_after_the_commit_leaves_everything(scratch_db):
    before = scratch_db.snapshot()
    result = scratch_db.run_and_kill(
        ["selftest_long_write", f"--rows={ROWS}", "--delay=0"],
        kill_when=when_line_matches(r"^committed"),
    )
    assert result.killed
    scratch_db.check_integrity()
    assert scratch_db.count("units_unit") == ROWS + 1
    assert scratch_db.count("auditlog_logentry") >= ROWS + 1
    assert scratch_db.snapshot() != before


def test_the_harness_catches_a_partial_write(scratch_db):
    """The assertion itself fails on a state between 'before' and 'complete'."""
    before = {"units_unit": 0}
    complete = {"units_unit": 10}
    scratch_db.snapshot = lambda: {"units_unit": 4}  # type: ignore[method-assign]
    with pytest.raises(AssertionError, match="partial write"):
        scratch_db.assert_nothing_or_everything(before, complete)


def test_the_self_test_refuses_a_database_with_data(scratch_db):
    scratch_db.run(["selftest_long_write", "--rows=1", "--delay=0"])
    result = scratch_db.run(["selftest_long_write", "--rows=1", "--delay=0"])
    assert result.returncode != 0 and "refused" in result.text
