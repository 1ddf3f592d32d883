"""Locust scenario of ``giamsat loadtest`` (run by the command, not imported by Django).

Reads the plan written by the command (``GIAMSAT_LOAD_PLAN``: the mix of page kinds and one
entry per simulated user with its session key and its pages by kind) and the think time (``GIAMSAT_LOAD_WAIT``:
"min-max" seconds). Each simulated user takes the next entry, sends its session cookie, and
repeatedly opens a page of a kind drawn from the fixed mix (unit dashboard, list, figure
drill-down), then waits. Anything but HTTP 200 (a redirect to the login page included) is a
failure. Requests are named by kind, so Locust's statistics are per kind. It imports nothing
from Django (Locust loads it in its own process).
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import HttpUser, between, task

with open(os.environ["GIAMSAT_LOAD_PLAN"], encoding="utf-8") as _handle:
    _plan = json.load(_handle)
PLAN = _plan["users"]
MIX = _plan["mix"]
_low, _high = (float(x) for x in os.environ.get("GIAMSAT_LOAD_WAIT", "1-5").split("-"))
_next_entry = itertools.count()
_kinds = [kind for kind, _ in MIX]
_weights = [weight for _, weight in MIX]


class Officer(HttpUser):
    wait_time = between(_low, _high)

    def on_start(self) -> None:
        self.entry = PLAN[next(_next_entry) % len(PLAN)]
        self.client.cookies.set("sessionid", self.entry["session"])
        self.random = random.Random(self.entry["username"])

    @task
    def open_page(self) -> None:
        kind = self.random.choices(_kinds, _weights)[0]
        url = self.random.choice(self.entry["pages"][kind])
        with self.client.get(
            url, name=kind, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                location = response.headers.get("Location", "")
                response.failure(f"HTTP {response.status_code} {url} {location}".strip())
