"""The demo scenario loader: each app contributes ``giamsat/<app>/demo.py`` with ``load(ctx)``.

The scenario replays the seed article (a central working delegation at Thành ủy Thanh Hóa,
30/09/2022) on generated records. Everything is deterministic (one seeded RNG), every person
is fictional (``Person.is_fictional``) except the two public roles named in the article.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.utils.module_loading import module_has_submodule

# Order matters: later steps use what earlier ones created.
DEMO_APPS = [
    "units",
    "people",
    "directives",
    "accounts",
    "implementation",
    "study",
    "oversight",
    "discipline",
    "petitions",
    "evaluation",
    "delegations",
    "reports",
]

DEMO_PASSWORD = "giamsat-demo-2022"
# The period the city reported on, and the day of the working session in the article.
REPORT_START = dt.date(2019, 1, 1)
REPORT_END = dt.date(2022, 9, 30)
SESSION_DAY = dt.date(2022, 9, 30)
# The 2025 reform: district level ends on 30/06/2025; new ward committees from 01/07/2025.
REFORM_DAY = dt.date(2025, 7, 1)


@dataclass
class DemoContext:
    seed: int = 2022
    rng: random.Random = field(init=False)
    units: dict[str, Any] = field(default_factory=dict)  # by code
    people: dict[str, Any] = field(default_factory=dict)  # named people by key
    users: list[tuple[str, str, str]] = field(default_factory=list)  # (username, role, unit)
    data: dict[str, Any] = field(default_factory=dict)  # anything a later step needs
    verbose: bool = True

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def log(self, message: str) -> None:
        if self.verbose:
            print(f"  {message}", flush=True)  # noqa: T201 - progress of a CLI command


def refresh_statistics() -> None:
    """PostgreSQL plans the next app's queries on statistics of tables just filled in bulk
    (inside one transaction autovacuum never sees them): without ANALYZE a join over 85,000
    fresh attendances or 14,000 memberships can take minutes instead of milliseconds."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def load_demo(ctx: DemoContext, apps: list[str] | None = None) -> DemoContext:
    """Load the demo steps of ``apps`` (default: all, in ``DEMO_APPS`` order)."""
    for app in apps or DEMO_APPS:
        package = import_module(f"giamsat.{app}")
        if not module_has_submodule(package, "demo"):
            continue
        started = time.monotonic()
        ctx.log(f"[{app}]")
        import_module(f"giamsat.{app}.demo").load(ctx)
        refresh_statistics()
        ctx.log(f"[{app}] done in {time.monotonic() - started:.1f}s")
    return ctx
