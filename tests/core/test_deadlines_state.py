"""A deadline is in time, due soon (≤ 7 days left), overdue, or long overdue (> 30 days past),
or done in time / late; the thresholds come from settings."""

from __future__ import annotations

import datetime as dt

import time_machine

from giamsat.core.dates import today
from giamsat.core.deadlines import DeadlineState, StateThresholds, state_of

D = dt.date
DUE = D(2024, 2, 15)


@time_machine.travel(dt.datetime(2024, 2, 1, 3, 0, tzinfo=dt.UTC), tick=False)
def test_states_on_the_way_to_the_due_date():
    assert state_of(DUE, today()) == DeadlineState.ON_TRACK  # 14 days left
    assert state_of(DUE, D(2024, 2, 8)) == DeadlineState.DUE_SOON  # 7 days left
    assert state_of(DUE, D(2024, 2, 7)) == DeadlineState.ON_TRACK  # 8 days left
    assert state_of(DUE, DUE) == DeadlineState.DUE_SOON
    assert state_of(DUE, D(2024, 2, 16)) == DeadlineState.OVERDUE
    assert state_of(DUE, D(2024, 3, 16)) == DeadlineState.OVERDUE  # exactly 30 days past
    assert state_of(DUE, D(2024, 3, 17)) == DeadlineState.LONG_OVERDUE


def test_done_in_time_or_late():
    assert state_of(DUE, D(2025, 1, 1), done_on=DUE) == DeadlineState.DONE
    assert state_of(DUE, D(2025, 1, 1), done_on=D(2024, 2, 16)) == DeadlineState.DONE_LATE


def test_thresholds_come_from_settings(settings):
    settings.GIAMSAT_DEADLINE_DUE_SOON_DAYS = 3
    settings.GIAMSAT_DEADLINE_LONG_OVERDUE_DAYS = 10
    assert state_of(DUE, D(2024, 2, 11)) == DeadlineState.ON_TRACK  # 4 days left
    assert state_of(DUE, D(2024, 2, 12)) == DeadlineState.DUE_SOON
    assert state_of(DUE, D(2024, 2, 26)) == DeadlineState.LONG_OVERDUE
    explicit = StateThresholds(due_soon_days=0, long_overdue_days=0)
    assert state_of(DUE, D(2024, 2, 14), thresholds=explicit) == DeadlineState.ON_TRACK
