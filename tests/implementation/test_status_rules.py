"""The status of a requirement, of a unit and of a key task follows from plain dates."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from giamsat.implementation.rules import (
    ItemStatus,
    TaskState,
    days_overdue,
    requirement_status,
    task_state,
    worst_status,
)

D = dt.date
DUE = D(2022, 3, 15)
dates = st.dates(min_value=D(2016, 1, 1), max_value=D(2026, 12, 31))


class TestRequirementStatus:
    def test_done_on_the_due_date_is_on_time(self):
        assert requirement_status(due_on=DUE, done_on=DUE, on=D(2022, 10, 1)) == ItemStatus.DONE

    def test_done_the_day_after_is_late(self):
        late = D(2022, 3, 16)
        assert requirement_status(due_on=DUE, done_on=late, on=D(2022, 10, 1)) == ItemStatus.LATE

    def test_not_done_on_the_due_date_is_not_yet_due(self):
        assert requirement_status(due_on=DUE, done_on=None, on=DUE) == ItemStatus.NOT_DUE

    def test_not_done_the_day_after_the_due_date_is_missing(self):
        assert requirement_status(due_on=DUE, done_on=None, on=D(2022, 3, 16)) == ItemStatus.MISSING

    def test_something_done_after_the_judging_day_was_not_done_then(self):
        """A 2022 report sees a plan issued in 2023 as missing."""
        assert (
            requirement_status(due_on=DUE, done_on=D(2023, 1, 5), on=D(2022, 9, 30))
            == ItemStatus.MISSING
        )

    def test_done_early_before_the_due_date_counts_as_done(self):
        assert requirement_status(due_on=DUE, done_on=D(2022, 1, 2), on=D(2022, 2, 1)) == (
            ItemStatus.DONE
        )

    @given(due=dates, done=st.one_of(st.none(), dates), on=dates)
    def test_statuses_partition_the_cases(self, due, done, on):
        status = requirement_status(due_on=due, done_on=done, on=on)
        done_by_then = done is not None and done <= on
        assert (status in (ItemStatus.DONE, ItemStatus.LATE)) == done_by_then
        assert (status == ItemStatus.LATE) == (done_by_then and done > due)
        assert (status == ItemStatus.MISSING) == (not done_by_then and on > due)

    @given(due=dates, done=st.one_of(st.none(), dates), on=dates, later=st.integers(0, 4000))
    def test_a_done_item_never_becomes_missing_later(self, due, done, on, later):
        before = requirement_status(due_on=due, done_on=done, on=on)
        after = requirement_status(due_on=due, done_on=done, on=on + dt.timedelta(days=later))
        if before in (ItemStatus.DONE, ItemStatus.LATE):
            assert after == before


class TestDaysOverdue:
    def test_late_counts_until_done(self):
        assert days_overdue(due_on=DUE, done_on=D(2022, 3, 25), on=D(2022, 10, 1)) == 10

    def test_missing_counts_until_the_judging_day(self):
        assert days_overdue(due_on=DUE, done_on=None, on=D(2022, 3, 20)) == 5

    def test_on_time_and_not_due_are_zero(self):
        assert days_overdue(due_on=DUE, done_on=DUE, on=D(2022, 10, 1)) == 0
        assert days_overdue(due_on=DUE, done_on=None, on=D(2022, 3, 1)) == 0


def test_a_units_status_is_its_worst_requirement():
    assert worst_status([ItemStatus.DONE, ItemStatus.LATE]) == ItemStatus.LATE
    assert worst_status([ItemStatus.NOT_DUE, ItemStatus.MISSING, ItemStatus.DONE]) == (
        ItemStatus.MISSING
    )
    assert worst_status([ItemStatus.DONE, ItemStatus.NOT_DUE]) == ItemStatus.NOT_DUE
    assert worst_status([]) is None


class TestTaskState:
    def test_open_before_and_overdue_after_the_deadline(self):
        deadline = D(2022, 6, 30)
        assert task_state(deadline=deadline, closed_on=None, dropped=False, on=deadline) == (
            TaskState.OPEN
        )
        assert (
            task_state(deadline=deadline, closed_on=None, dropped=False, on=D(2022, 7, 1))
            == TaskState.OVERDUE
        )

    def test_closed_after_the_deadline_is_done_late(self):
        state = task_state(
            deadline=D(2022, 6, 30), closed_on=D(2022, 7, 5), dropped=False, on=D(2022, 10, 1)
        )
        assert state == TaskState.DONE_LATE

    def test_a_task_closed_later_was_still_open_on_an_earlier_day(self):
        state = task_state(deadline=None, closed_on=D(2022, 7, 5), dropped=False, on=D(2022, 7, 4))
        assert state == TaskState.OPEN

    def test_dropped_is_not_done(self):
        state = task_state(
            deadline=D(2022, 6, 30), closed_on=D(2022, 5, 1), dropped=True, on=D(2022, 10, 1)
        )
        assert state == TaskState.DROPPED
