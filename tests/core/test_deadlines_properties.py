"""Properties of the deadline engine that must hold for any start date and length (hypothesis).

- more days never give an earlier due date (strictly later for working days);
- a deadline with at least one day never falls on a day off;
- adding n working days and counting the working days back gives n;
- suspensions, extensions and a later competent receipt never bring a due date forward;
- the explanation accounts for every calendar day between the start and the due date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from giamsat.core.deadlines import (
    DayCount,
    SkipKind,
    WorkCalendar,
    add_working_days,
    count_working_days,
    due_date,
    rule_on,
)

CAL = WorkCalendar(adjustments={})
starts = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2027, 12, 31))
lengths = st.integers(min_value=0, max_value=200)
counts = st.sampled_from([DayCount.CALENDAR, DayCount.WORKING])
BASE = rule_on("state_denunciation", dt.date(2023, 1, 1))


def _rule(days: int, count: DayCount):
    return replace(BASE, days=days, count=count, variants=(), extension_limits=())


@settings(max_examples=150, deadline=None)
@given(start=starts, days=lengths, count=counts)
def test_more_days_never_give_an_earlier_due_date(start, days, count):
    shorter = due_date(_rule(days, count), start, calendar=CAL).due
    longer = due_date(_rule(days + 1, count), start, calendar=CAL).due
    if count == DayCount.WORKING:
        assert longer > shorter
    else:
        assert longer >= shorter


@settings(max_examples=150, deadline=None)
@given(start=starts, days=st.integers(min_value=1, max_value=200), count=counts)
def test_a_deadline_never_falls_on_a_day_off(start, days, count):
    due = due_date(_rule(days, count), start, calendar=CAL).due
    assert CAL.is_working_day(due)
    assert due > start


@settings(max_examples=150, deadline=None)
@given(start=starts, days=lengths)
def test_counting_back_gives_the_days_added(start, days):
    end = add_working_days(start, days, calendar=CAL)
    assert count_working_days(start, end, calendar=CAL) == days


@settings(max_examples=100, deadline=None)
@given(
    start=starts,
    days=st.integers(min_value=1, max_value=120),
    count=counts,
    offset=st.integers(min_value=-30, max_value=150),
    length=st.integers(min_value=0, max_value=40),
)
def test_a_suspension_never_brings_the_due_date_forward(start, days, count, offset, length):
    s_from = start + dt.timedelta(days=offset)
    s_to = s_from + dt.timedelta(days=length)
    plain = due_date(_rule(days, count), start, calendar=CAL)
    paused = due_date(_rule(days, count), start, suspensions=[(s_from, s_to)], calendar=CAL)
    assert paused.due >= plain.due
    # Every suspended day lies inside the interval and after the start.
    for day in paused.explanation.suspended_days:
        assert s_from <= day.day <= s_to and day.day > start


@settings(max_examples=100, deadline=None)
@given(start=starts, delay=st.integers(min_value=0, max_value=60), count=counts)
def test_a_later_competent_receipt_never_brings_the_due_date_forward(start, delay, count):
    received = start + dt.timedelta(days=delay)
    first = due_date(_rule(30, count), start, calendar=CAL)
    moved = due_date(_rule(30, count), start, received_by_competent_on=received, calendar=CAL)
    assert moved.due >= first.due
    assert moved.explanation.counting_from == received + dt.timedelta(days=1)


@settings(max_examples=100, deadline=None)
@given(start=starts, extra=st.lists(st.integers(min_value=1, max_value=30), max_size=2))
def test_extensions_never_bring_the_due_date_forward(start, extra):
    plain = due_date("state_denunciation", start, calendar=CAL, especially_complex=True)
    extended = due_date(
        "state_denunciation", start, extensions=extra, calendar=CAL, especially_complex=True
    )
    assert extended.due >= plain.due
    assert extended.explanation.days == 30 + sum(extra)


@settings(max_examples=150, deadline=None)
@given(start=starts, days=lengths, count=counts)
def test_the_explanation_accounts_for_every_day(start, days, count):
    """Days from the first counted day to the due date = days counted + days skipped."""
    ex = due_date(_rule(days, count), start, calendar=CAL).explanation
    if days == 0:
        assert ex.due == start
        return
    span = (ex.due - ex.counting_from).days + 1
    assert span == ex.days + len(ex.skipped)
    if count == DayCount.WORKING:
        assert ex.moved_from is None
    # Skipped days are distinct, sorted and inside the span.
    days_skipped = [s.day for s in ex.skipped]
    assert days_skipped == sorted(set(days_skipped))
    assert all(ex.counting_from <= d <= ex.due for d in days_skipped)
    # A weekend skip is really a Saturday or Sunday.
    assert all(s.day.weekday() >= 5 for s in ex.skipped if s.kind == SkipKind.WEEKEND)
