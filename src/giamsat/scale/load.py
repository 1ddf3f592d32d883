"""The load test: simulated users opening unit dashboards, lists and figure drill-downs on a
real gunicorn server on loopback, driven by Locust (``scale/locustfile.py``).

``plan`` prepares, in the bench database, one load-test user per simulated user (committee
leaders and inspection staff spread over the province, its communes and its grassroots
organisations), logs each in by writing a session to the session store (as Django's test
client ``force_login`` does: hashing 200 passwords would dominate a short run on two cores),
and lists each user's pages. ``summarise`` reads Locust's CSV statistics back.
"""

from __future__ import annotations

import csv
import json
import os
import socket
from pathlib import Path

from giamsat.scale.bench import END, START, machine, results_path

# The fixed mix: (kind, weight). Each simulated user opens a page of one kind at a time, the
# kind drawn with these weights, then waits (think time) before the next.
MIX = (("dashboard", 1), ("list", 2), ("drill-down", 2))
KINDS = tuple(kind for kind, _ in MIX)
USERNAME = "load-{:04d}"
PERIOD = f"from={START:%d/%m/%Y}&to={END:%d/%m/%Y}"
# Drill-downs of figures every role below may read, and those of petition staff.
DRILLDOWNS = ("study.attendances", "discipline.members", "oversight.thematic_supervision.cases")
PETITION_DRILLDOWNS = ("petitions.overdue",)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _units(dataset) -> list[tuple[str, int]]:
    """(level, unit id) for the users: the province, its communes, their grassroots orgs."""
    from giamsat.units.models import Unit

    province = Unit.objects.get(pk=dataset.landmarks["province"])
    communes = list(Unit.objects.children_of(province, END).organisations().order_by("pk"))
    grassroots = list(
        Unit.objects.filter(
            pk__in=[
                u.pk for c in communes for u in Unit.objects.children_of(c, END).organisations()
            ]
        ).order_by("pk")
    )
    return (
        [("province", province.pk)]
        + [("commune", c.pk) for c in communes]
        + [("grassroots", g.pk) for g in grassroots]
    )


def pages_for(unit_id: int, petitions: bool) -> dict[str, list[str]]:
    codes = DRILLDOWNS + (PETITION_DRILLDOWNS if petitions else ())
    lists = [f"/people/?unit={unit_id}", f"/study/?unit={unit_id}", "/oversight/cases/"]
    if petitions:
        lists.append("/petitions/")
    return {
        "dashboard": [f"/figures/?unit={unit_id}&{PERIOD}"],
        "list": lists,
        "drill-down": [f"/figures/{code}/records/?unit={unit_id}&{PERIOD}" for code in codes],
    }


def plan(dataset, users: int) -> list[dict]:
    """Create (or reuse) ``users`` load-test users with roles and a fresh session each; return
    one entry per user: session key and pages by kind. Every fourth user is inspection
    commission staff (who may also read petitions), the others committee leaders; one in ten
    sits at the province, three in ten at a commune, the rest at a grassroots organisation."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from giamsat.accounts.models import RoleAssignment, User
    from giamsat.accounts.roles import Role
    from giamsat.scale.shapes import UNITS_FROM

    places = _units(dataset)
    by_level = {
        level: [u for lv, u in places if lv == level]
        for level in ("province", "commune", "grassroots")
    }
    by_level = {level: ids for level, ids in by_level.items() if ids}
    entries = []
    for i in range(users):
        slot = i % 10
        level = "province" if slot == 0 else "commune" if slot <= 3 else "grassroots"
        if level not in by_level:
            level = "province"
        ids = by_level[level]
        unit_id = ids[(i // 10) % len(ids)]
        role = Role.INSPECTION if i % 4 == 0 else Role.LEADER
        user, created = User.objects.get_or_create(username=USERNAME.format(i + 1))
        if not created:
            RoleAssignment.objects.filter(user=user).delete()
        RoleAssignment.objects.create(user=user, role=role, unit_id=unit_id, valid_from=UNITS_FROM)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        entries.append(
            {
                "username": user.username,
                "role": str(role),
                "level": level,
                "unit": unit_id,
                "session": session.session_key,
                "pages": pages_for(unit_id, petitions=role == Role.INSPECTION),
            }
        )
    return entries


def server_env(database_url: str) -> dict[str, str]:
    """The gunicorn server's environment: production settings (DEBUG off) on loopback, plain
    HTTP cookies, two-factor enforcement off for this run, the bench database, and the keys of
    this process (the sessions written by ``plan`` are signed with its SECRET_KEY; the data
    set's sealed identities and receipt codes were made with its keys)."""
    from django.conf import settings

    from giamsat.petitions.sealing import _keys

    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,
        "GIAMSAT_RECEIPT_KEY": settings.GIAMSAT_RECEIPT_KEY,
        "GIAMSAT_SEAL_KEYS": ",".join(k.decode() for k in _keys()),
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "GIAMSAT_REQUIRE_2FA": "false",
        "GIAMSAT_STATIC_MANIFEST": "false",
    }


def _percentile(histogram: dict[float, int], p: float) -> float | None:
    """Nearest-rank percentile of a {response time ms: count} histogram."""
    total = sum(histogram.values())
    if not total:
        return None
    rank, seen = max(1, round(total * p + 0.4999)), 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return max(histogram)


def _entry(kind: str, stats: list[dict], seconds: float) -> dict:
    histogram: dict[float, int] = {}
    for entry in stats:
        for value, count in entry["response_times"].items():
            histogram[float(value)] = histogram.get(float(value), 0) + count
    requests = sum(e["num_requests"] for e in stats)
    highest = round(max((e["max_response_time"] or 0 for e in stats), default=0), 1)
    # The histogram rounds (e.g. 308 ms is kept as 310): a percentile never exceeds the max.
    p50, p95 = (_percentile(histogram, p) for p in (0.50, 0.95))
    return {
        "kind": kind,
        "requests": requests,
        "failures": sum(e["num_failures"] for e in stats),
        "p50_ms": None if p50 is None else min(p50, highest),
        "p95_ms": None if p95 is None else min(p95, highest),
        "max_ms": highest,
        "mean_ms": round(sum(e["total_response_time"] for e in stats) / requests, 1)
        if requests
        else None,
        "rps": round(requests / seconds, 2) if seconds > 0 else None,
    }


def summarise(prefix: Path) -> dict:
    """Per kind and in all: requests, failures, p50/p95 (from Locust's histogram of response
    times, which keeps 2–3 significant digits), max, mean (ms) and requests/s over the run,
    from Locust's ``<prefix>.json``; the failures from ``<prefix>_failures.csv``."""
    with open(f"{prefix}.json", encoding="utf-8") as handle:
        stats = json.load(handle)
    started = min((e["start_time"] for e in stats), default=0)
    ended = max((e["last_request_timestamp"] or 0 for e in stats), default=0)
    seconds = max(ended - started, 0)
    order = {kind: i for i, kind in enumerate(KINDS)}
    stats.sort(key=lambda e: order.get(e["name"], len(order)))
    kinds = [_entry(e["name"], [e], seconds) for e in stats]
    failures = []
    failures_path = Path(f"{prefix}_failures.csv")
    if failures_path.exists():
        with open(failures_path, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                failures.append(
                    {"kind": row["Name"], "error": row["Error"], "count": int(row["Occurrences"])}
                )
    return {
        "kinds": kinds,
        "total": _entry("all", stats, seconds),
        "seconds": round(seconds, 1),
        "failures": failures,
    }


def write_result(result: dict, scale: str, backend: str, out: str | None = None) -> Path:
    path = results_path(f"load-{scale}-{backend}", out)
    result = {**result, "machine": machine()}
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    return path
