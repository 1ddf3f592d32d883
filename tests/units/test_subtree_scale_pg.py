"""On PostgreSQL, over a generated tree of 60,000 units with history, the subtree of a unit
as of a date is one query served by the ``ancestry_down_idx`` index.

Skipped on SQLite (the plan check is PostgreSQL's); it runs in the PostgreSQL leg of
``make test`` and fails there if the query count or the plan regress.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import connection

from giamsat.units.models import Unit, UnitAncestry

from .scale_tree import EVE, REFORM, generate

pytestmark = [pytest.mark.pg_only, pytest.mark.slow]


@pytest.fixture
def big_tree(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: runs in the PostgreSQL leg (make test-pg)")
    started = time.monotonic()
    tree = generate()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE units_unit")
        cursor.execute("ANALYZE units_unitancestry")
    print(  # noqa: T201 - the figure is the point of this test
        f"\ngenerated {tree.units} units, {tree.closure_rows} closure rows "
        f"in {time.monotonic() - started:.1f}s"
    )
    return tree


def test_subtree_as_of_a_date_is_one_indexed_query(big_tree, django_assert_num_queries):
    """60,000+ units; before and after the reform the subtree of a province and of a district
    and of the whole tree is one query each, planned on ancestry_down_idx."""
    assert big_tree.units >= 60_000
    assert Unit.objects.count() == big_tree.units
    assert UnitAncestry.objects.count() == big_tree.closure_rows > big_tree.units * 3
    cases = [
        ("province", big_tree.province, EVE, 1 + 40 + 40 * 44),
        ("province", big_tree.province, REFORM, 1 + 20 + 40 * 44),
        ("district", big_tree.district, dt.date(2020, 1, 1), 1 + 44),
        ("district", big_tree.district, REFORM, 0),  # it ended on the eve of the reform
        ("root", big_tree.root, REFORM, big_tree.units - 20 * 34),
    ]
    for label, unit, day, expected in cases:
        queryset = Unit.objects.subtree_of(unit, day).values_list("pk", flat=True)
        started = time.perf_counter()
        with django_assert_num_queries(1):
            ids = list(queryset)
        elapsed = (time.perf_counter() - started) * 1000
        assert len(ids) == expected, (label, day)
        plan = queryset.explain()
        assert "ancestry_down_idx" in plan, plan
        print(  # noqa: T201
            f"\nsubtree of a {label} on {day:%d/%m/%Y}: {len(ids)} units, {elapsed:.1f} ms\n"
            + queryset.explain(analyze=True)
        )
