"""Hostile input never breaks the deadline engine: any rule code, any start date Django accepts
(years 1–9999), any flags, extensions (negative, zero, huge), suspensions (inverted,
overlapping) and competent-receipt dates give a ``Deadline`` or a ``DeadlineError``
with a reason — never another exception (a crash would be a server error on a petition or a
discipline page). (The engine's properties on well-formed input are in
tests/core/test_deadlines_properties.py.)"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamsat.core.deadlines import (
    KNOWN_FLAGS,
    Deadline,
    DeadlineError,
    WorkCalendar,
    add_working_days,
    count_working_days,
    due_date,
    rule_codes,
)

CAL = WorkCalendar(adjustments={})
any_day = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
near_edges = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(1, 3, 1)),
    st.dates(min_value=dt.date(9999, 10, 1), max_value=dt.date(9999, 12, 31)),
)
days = st.one_of(any_day, near_edges, st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31)))
flags = st.dictionaries(st.sampled_from(sorted(KNOWN_FLAGS | {"bogus"})), st.booleans(), max_size=3)
extensions = st.one_of(
    st.integers(min_value=-3, max_value=5),
    st.lists(st.integers(min_value=-5, max_value=400), max_size=4),
)
# Suspensions within a few decades (a suspension of thousands of years is walked day by day:
# slow, see docs/security.md, but not a crash).
recent = st.dates(dt.date(2010, 1, 1), dt.date(2040, 12, 31))
suspensions = st.lists(st.tuples(recent, recent), max_size=3)


@pytest.fixture(autouse=True)
def _no_database_calendar(monkeypatch):
    """The engine reads calendar adjustments and overrides from the database; the fuzz runs
    on the built-in calendar and rules."""
    import giamsat.core.deadlines as engine

    monkeypatch.setattr(engine, "_adjustments", dict)
    monkeypatch.setattr(engine, "_setting_on", lambda code, day: None)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    code=st.sampled_from(rule_codes()),
    start=days,
    flags=flags,
    extensions=extensions,
    suspensions=suspensions,
    competent=st.one_of(st.none(), days),
)
def test_due_date_gives_a_deadline_or_a_reason(
    code, start, flags, extensions, suspensions, competent
):
    try:
        result = due_date(
            code,
            start,
            extensions=extensions,
            suspensions=suspensions,
            received_by_competent_on=competent,
            calendar=CAL,
            **flags,
        )
    except DeadlineError as error:
        assert str(error)
        return
    assert isinstance(result, Deadline)
    assert result.due >= (competent or start)


@settings(max_examples=100, deadline=None)
@given(start=days, n=st.integers(min_value=-10, max_value=300))
def test_working_days_give_a_date_or_a_reason(start, n):
    try:
        due = add_working_days(start, n, calendar=CAL)
    except DeadlineError as error:
        assert str(error)
        return
    assert due >= start
    assert count_working_days(start, due, calendar=CAL) == n
