"""Fixtures of the people tests."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine


@pytest.fixture
def frozen_today():
    """Today is 02/03/2026 (after the reform of 01/07/2025)."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        yield dt.date(2026, 3, 2)
