"""Fixtures of the tree tests: today frozen after the 2025 reform."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def frozen_today():
    """Every tree test runs on 02/03/2026 (after the reform of 01/07/2025)."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        yield TODAY
