"""The permission matrix: every role (plus a user with no role and an anonymous visitor) ×
in-scope / out-of-scope / conflict-of-interest record × every URL and every API operation.

A leak is any of:
- an anonymous visitor gets a page or an answer that is not public (anything but a redirect
  to the login page, 401, 403, 404 or 405);
- an out-of-scope record, or a petition the user is conflicted on, answers differently from a
  record that does not exist (out of scope → 404, never revealed), for GET and for POST;
- a role without the capability of a kind of record (discipline, petitions, inspection and
  supervision, reports) gets anything but the "does not exist" answer for an in-scope record;
- any successful answer (pages, API JSON, xlsx/docx exports) shows an out-of-scope record, a
  record the user is conflicted on, a record of a capability the role lacks, or a sealed
  petitioner identity — in the lists too, also when a list is asked for the out-of-scope unit
  (``?unit=``).
A server error (500) is counted as a leak too (a crash is no answer).

The number of cases is printed at the end of the run ("giamsat figures").
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client

from giamsat.accounts.roles import Role, capabilities_of
from giamsat.indicators.registry import REGISTRY
from tests.conftest import client_for
from tests.security.matrix_cases import (
    Const,
    Target,
    api_targets,
    page_targets,
    resolver_api_routes,
)
from tests.security.matrix_world import (
    ALWAYS_SECRET,
    COI,
    KIND_CAPABILITY,
    OUT,
    World,
    build_world,
    cap_marker,
)

PRINCIPALS = [role.value for role in Role] + ["none", "anonymous"]
MARKED_CAPS = sorted(set(KIND_CAPABILITY.values()))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """One fixture world per module (and xdist worker), rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        yield built
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def targets() -> list[Target]:
    pages, _skipped, _ = page_targets()
    apis, _ = api_targets()
    return pages + apis


def _const(value: str) -> str:
    if not value.startswith("@"):
        return value
    domain = value[1:]
    codes = sorted(code for code, ind in REGISTRY.items() if ind.domain == domain)
    return codes[0] if codes else sorted(REGISTRY)[0]


def _value(world: World, kind: object, scope: str) -> str | None:
    if isinstance(kind, Const):
        return _const(kind.value)
    objects = world.objects[kind]
    if scope == "none":
        return str(world.pk(kind, "none"))
    if objects.get(scope) is not None:
        return str(world.pk(kind, scope))
    if scope != "in" and objects.get("in") is not None:
        return str(world.pk(kind, "in"))  # this parameter has no such variant
    return None


def _url(world: World, target: Target, scope: str) -> str | None:
    """The target's path for ``scope`` ("in", "out", "coi", "none"); None if not buildable."""
    if scope in ("out", "coi") and not any(
        world.objects[k].get(scope) is not None for k in target.object_kinds
    ):
        return None  # no such variant of any of its records (reference data, own records)
    path = target.route
    for param, kind in target.params.items():
        value = _value(world, kind, scope)
        if value is None:
            return None
        path = path.replace("{" + param + "}", value)
    query = []
    for param, kind in target.query.items():
        value = _value(world, kind, scope)
        if value is None:
            return None
        query.append(f"{param}={value}")
    return path + ("?" + "&".join(query) if query else "")


def _text(response) -> str:
    body = response.content if not response.streaming else b"".join(response.streaming_content)
    if body[:2] == b"PK":  # xlsx, docx: read the XML inside
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                return "".join(
                    archive.read(n).decode("utf-8", "replace")
                    for n in archive.namelist()
                    if n.endswith(".xml")
                )
        except zipfile.BadZipFile:
            pass
    return body.decode("utf-8", "replace")


@dataclass
class Run:
    principal: str
    world: World
    client: Client
    cases: int = 0
    leaks: list[str] | None = None

    def __post_init__(self) -> None:
        self.leaks = []
        caps = capabilities_of(self.principal) if self.principal in Role.values else frozenset()
        self.caps = caps
        self.forbidden = [OUT, *ALWAYS_SECRET]
        if self.principal != "anonymous":
            self.forbidden.append(COI)
        self.forbidden += [cap_marker(c) for c in MARKED_CAPS if c not in caps]
        self._reference: dict[tuple[str, str], int] = {}

    def request(self, target: Target, method: str, path: str, query: str = ""):
        url = path + (("&" if "?" in path else "?") + query if query else "")
        if method == "GET":
            return self.client.get(url)
        if target.is_api:
            return self.client.generic(method, url, b"{}", content_type="application/json")
        return self.client.post(url, {})

    def reference(self, target: Target, method: str) -> int:
        """The answer for records that do not exist."""
        key = (target.name, method)
        if key not in self._reference:
            path = _url(self.world, target, "none")
            self._reference[key] = self.request(target, method, path).status_code
        return self._reference[key]

    def leak(self, target: Target, method: str, scope: str, why: str) -> None:
        self.leaks.append(f"{self.principal} {method} {target.name} [{scope}]: {why}")

    def check(self, target: Target, method: str, scope: str, query: str = "") -> None:
        path = _url(self.world, target, scope)
        if path is None:
            return
        self.cases += 1
        response = self.request(target, method, path, query)
        status = response.status_code
        if status >= 500:
            self.leak(target, method, scope, f"server error {status} at {path}")
            return
        if self.principal == "anonymous" and not target.public:
            location = response.get("Location", "")
            if 200 <= status < 300 or (300 <= status < 400 and "login" not in location):
                self.leak(target, method, scope, f"anonymous got {status} {location}")
            return
        hidden_kind = scope in ("out", "coi") or (
            scope == "in"
            and any(KIND_CAPABILITY.get(k) not in (None, *self.caps) for k in target.object_kinds)
        )
        if hidden_kind and status != 404 and status != self.reference(target, method):
            self.leak(
                target,
                method,
                scope,
                f"{status} (a record that does not exist: {self.reference(target, method)})",
            )
            return
        if 200 <= status < 300:
            text = _text(response)
            shown = [m for m in self.forbidden if m in text]
            if shown:
                self.leak(target, method, scope, f"{status} shows {shown} at {path}?{query}")


def _run(principal: str, world: World, targets: list[Target]) -> Run:
    if principal == "anonymous":
        client = Client(raise_request_exception=False)
    else:
        client = client_for(world.users[principal])
        client.raise_request_exception = False
    run = Run(principal, world, client)
    out_unit = world.units["other"].pk
    for target in targets:
        scopes = ["in", "out", "coi"] if target.object_kinds else ["list"]
        for method in target.methods:
            for scope in scopes:
                if scope == "list":
                    if method == "GET" or principal == "anonymous":
                        run.check(target, method, "in")
                    if method == "GET" and principal != "anonymous":
                        # A list asked for the out-of-scope unit shows nothing of it.
                        run.check(target, method, "in", query=f"unit={out_unit}")
                    continue
                if scope == "coi" and not any(
                    "coi" in world.objects[k] for k in target.object_kinds
                ):
                    continue
                if method != "GET" and scope == "in":
                    # Writes to in-scope records are checked only where the role may not
                    # see the kind at all (the services' own tests cover the rest).
                    lacking = any(
                        KIND_CAPABILITY.get(k) not in (None, *run.caps) for k in target.object_kinds
                    )
                    if not lacking and principal != "anonymous":
                        continue
                run.check(target, method, scope)
    return run


@pytest.mark.slow
@pytest.mark.parametrize("principal", PRINCIPALS)
def test_no_role_sees_or_touches_what_it_may_not(principal, world, targets, db, record_property):
    """Each principal × every URL and API operation × in / out of scope / conflicted: 0 leaks."""
    run = _run(principal, world, targets)
    record_property("giamsat_count", ("permission matrix cases", run.cases))
    record_property("giamsat_count", ("permission matrix leaks", len(run.leaks)))
    record_property("giamsat_matrix", (run.cases, len(run.leaks)))
    assert run.cases > 100
    assert not run.leaks, "\n".join(run.leaks)


def test_every_url_and_operation_is_in_the_matrix():
    """A new URL whose parameters the matrix cannot fill fails here until it is mapped in
    matrix_cases.py (or allow-listed there with a reason)."""
    _pages, _skipped, unclassified_pages = page_targets()
    apis, unclassified_api = api_targets()
    assert not unclassified_pages + unclassified_api
    # The schema lists every API route the resolver serves.
    import re

    schema_routes = {re.sub(r"{\w+}", "{}", t.route) for t in apis}
    assert resolver_api_routes() - schema_routes <= {"/api/", "/api/docs", "/api/openapi.json"}


def test_the_world_has_every_kind_the_matrix_uses(world, db):
    kinds = {k for t in page_targets()[0] + api_targets()[0] for k in t.object_kinds}
    assert kinds <= set(world.objects), kinds - set(world.objects)
    for kind in kinds:
        assert world.objects[kind].get("in") is not None or kind == "api_token", kind


def test_a_leak_is_caught(world, targets, db):
    """The checker itself: a record answering 200 where 404 is due is reported, and so is a
    page showing an out-of-scope marker."""
    run = Run("cell_secretary", world, client_for(world.users["cell_secretary"]))
    target = next(t for t in targets if t.name == "people:detail")
    saved = world.objects["person"]["out"]
    try:
        # Point the "out" variant at the in-scope person: a 200 where 404 is due.
        world.objects["person"]["out"] = world.objects["person"]["in"]
        run.check(target, "GET", "out")
    finally:
        world.objects["person"]["out"] = saved
    assert len(run.leaks) == 1 and "people:detail [out]: 200" in run.leaks[0]
    run.forbidden.append("Trần Văn Trong")  # the in-scope person's name, as if it were secret
    run.check(target, "GET", "in")
    assert len(run.leaks) == 2 and "shows ['Trần Văn Trong']" in run.leaks[1]
