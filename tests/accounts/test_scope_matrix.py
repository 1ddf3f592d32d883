"""Acceptance: for every demo role × every unit × every page, list, detail and API endpoint of
the foundation apps, what a user sees is exactly the role's subtree, and anything else is 404.

The expected scope is computed here independently of the closure table: by walking the parent
links (``UnitLink``) in plain Python. The demo scenario (units, people, directives, logins, the
2025 reform) is loaded once per test worker, reduced to one cell per organisation and three
members per cell so that some 20,000 requests fit in about a minute; each role is one test so
that parallel workers share the work. The number of cases checked is printed and written to
``test-artifacts/scope-matrix/<role>.txt``.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

import pytest
import time_machine
from django.db import transaction
from django.test import Client

from giamsat.accounts.demo import DEMO_USERS
from giamsat.accounts.models import RoleAssignment, User
from giamsat.accounts.roles import Cap, capabilities_of
from giamsat.core.demo import DemoContext
from giamsat.directives.models import Directive
from giamsat.people.models import Membership, Person, Post
from giamsat.units.models import Unit, UnitKind, UnitLink

TODAY = dt.date(2026, 3, 2)
FAR = dt.date(9999, 12, 31)
ARTIFACTS = Path(os.environ.get("GIAMSAT_ARTIFACTS", "test-artifacts"))

# The marker makes pytest-django create the test database; each test then runs in a savepoint
# inside the module's transaction that holds the demo.
pytestmark = pytest.mark.django_db


@dataclass
class World:
    """The demo as plain Python data, and the independent scope computations."""

    life: dict[int, tuple[dt.date, dt.date]]
    kind: dict[int, str]
    links: list[tuple[int, int, dt.date, dt.date]]
    people: dict[int, set[int]] = field(default_factory=dict)  # person -> units touched
    person_of_unit: dict[int, int] = field(default_factory=dict)  # a sample person per unit
    directive_units: dict[int, int | None] = field(default_factory=dict)

    def alive(self, unit: int, day: dt.date) -> bool:
        start, end = self.life[unit]
        return start <= day <= end

    def children_on(self, unit: int, day: dt.date) -> set[int]:
        return {
            child
            for child, parent, start, end in self.links
            if parent == unit and start <= day <= end and self.alive(child, day)
        }

    def parent_on(self, unit: int, day: dt.date) -> int | None:
        for child, parent, start, end in self.links:
            if child == unit and start <= day <= end and self.alive(parent, day):
                return parent
        return None

    def subtree_on(self, unit: int, day: dt.date) -> set[int]:
        if not self.alive(unit, day):
            return set()
        found, frontier = {unit}, [unit]
        while frontier:
            for child in self.children_on(frontier.pop(), day):
                if child not in found:
                    found.add(child)
                    frontier.append(child)
        return found

    def chain_on(self, unit: int, day: dt.date) -> list[int]:
        chain, current = [unit], self.parent_on(unit, day)
        while current is not None and current not in chain:
            chain.append(current)
            current = self.parent_on(current, day)
        return chain

    def reference_date(self, unit: int) -> dt.date:
        start, end = self.life[unit]
        return min(max(TODAY, start), end)

    def scope(self, role_unit: int) -> set[int]:
        """The subtree on the role unit's reference date, plus units that ended inside it."""
        ref = self.reference_date(role_unit)
        visible = self.subtree_on(role_unit, ref)
        for unit, (_start, end) in self.life.items():
            if end < ref and role_unit in self.chain_on(unit, end):
                visible.add(unit)
        return visible

    def ancestors_ever(self, unit: int) -> set[int]:
        found, frontier = {unit}, [unit]
        while frontier:
            current = frontier.pop()
            for child, parent, _s, _e in self.links:
                if child == current and parent not in found:
                    found.add(parent)
                    frontier.append(parent)
        return found


@dataclass
class Expected:
    units: set[int]
    people_units: set[int]
    manage_units: set[int]
    people: set[int]
    directives: set[int]


def _load_world() -> World:
    life = {
        pk: (start, end or FAR)
        for pk, start, end in Unit.objects.values_list("pk", "valid_from", "valid_to")
    }
    world = World(
        life=life,
        kind=dict(Unit.objects.values_list("pk", "kind")),
        links=[
            (u, p, s, e or FAR)
            for u, p, s, e in UnitLink.objects.values_list(
                "unit_id", "parent_id", "valid_from", "valid_to"
            )
        ],
    )
    touched: dict[int, set[int]] = defaultdict(set)
    for person, unit in Membership.objects.values_list("person_id", "unit_id"):
        touched[person].add(unit)
        world.person_of_unit.setdefault(unit, person)
    for person, unit in Post.objects.values_list("person_id", "unit_id"):
        touched[person].add(unit)
        world.person_of_unit.setdefault(unit, person)
    for person, unit in Person.objects.filter(affiliation__isnull=False).values_list(
        "pk", "affiliation_id"
    ):
        touched[person].add(unit)
        world.person_of_unit.setdefault(unit, person)
    for person in Person.objects.values_list("pk", flat=True):
        world.people[person] = touched.get(person, set())
    world.directive_units = dict(Directive.objects.values_list("pk", "issuing_unit_id"))
    return world


def _expected(world: World, user: User) -> Expected:
    everything = set(world.life)
    if user.is_superuser:
        return Expected(
            everything, everything, everything, set(world.people), set(world.directive_units)
        )
    roles = list(RoleAssignment.objects.filter(user=user))

    def scope_for(cap: Cap) -> set[int]:
        units: set[int] = set()
        for role in roles:
            if cap in capabilities_of(role.role):
                units |= world.scope(role.unit_id)
        return units

    people_units = scope_for(Cap.VIEW_PEOPLE)
    people = {p for p, units in world.people.items() if units & people_units}
    directives: set[int] = set()
    directive_roles = [r for r in roles if Cap.VIEW_DIRECTIVES in capabilities_of(r.role)]
    if directive_roles:
        above: set[int] = set()
        for role in directive_roles:
            above |= world.ancestors_ever(role.unit_id)
        organs_above = {
            child
            for child, parent, _s, _e in world.links
            if parent in above and world.kind[child] == UnitKind.ORGAN
        }
        in_scope = scope_for(Cap.VIEW_DIRECTIVES)
        directives = {
            d
            for d, unit in world.directive_units.items()
            if unit is None or unit in above or unit in organs_above or unit in in_scope
        }
    return Expected(
        scope_for(Cap.VIEW_UNITS),
        people_units,
        scope_for(Cap.MANAGE_UNITS),
        people,
        directives,
    )


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo of the foundation apps, loaded once (rolled back at the end of the module)."""
    traveller = time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    traveller.start()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            started = time.monotonic()
            ctx = DemoContext(verbose=False)
            # The reduced scenario: same organisations, roles and reform; fewer cells and people.
            ctx.data.update(cells_per_unit=1, members_per_cell=3, non_members_per_ward=2)
            for app in ("units", "people", "directives", "accounts"):
                import_module(f"giamsat.{app}.demo").load(ctx)
            world = _load_world()
            print(  # noqa: T201
                f"\ndemo loaded in {time.monotonic() - started:.1f}s: {len(world.life)} units, "
                f"{len(world.people)} people, {len(world.directive_units)} directives"
            )
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            traveller.stop()


class Matrix:
    """Counts cases and collects failures (all are reported at once)."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.cases = 0
        self.failures: list[str] = []

    def get(self, url: str, allowed: bool):
        """Request ``url``: 200 when allowed, 404 otherwise. Returns the response if 200."""
        self.cases += 1
        response = self.client.get(url)
        expected = 200 if allowed else 404
        if response.status_code != expected:
            self.failures.append(f"{url}: {response.status_code}, expected {expected}")
        return response if response.status_code == 200 else None

    def same(self, what: str, got: set, expected: set) -> None:
        self.cases += 1
        if got != expected:
            self.failures.append(
                f"{what}: {len(got - expected)} extra {sorted(got - expected)[:5]}, "
                f"{len(expected - got)} missing {sorted(expected - got)[:5]}"
            )

    def api_ids(self, url: str, allowed: bool = True) -> set[int] | None:
        """All ids of a paginated API list (pages of 500), or None when refused."""
        sep = "&" if "?" in url else "?"
        response = self.get(f"{url}{sep}page_size=500", allowed)
        if response is None:
            return None
        body = response.json()
        ids = {item["id"] for item in body["items"]}
        page = 1
        while page * 500 < body["count"]:
            page += 1
            body = self.client.get(f"{url}{sep}page_size=500&page={page}").json()
            ids |= {item["id"] for item in body["items"]}
        return ids


def _caps(user: User) -> set[Cap]:
    if user.is_superuser:
        return set(Cap)
    return {c for r in RoleAssignment.objects.filter(user=user) for c in capabilities_of(r.role)}


@pytest.mark.parametrize("username", [u[0] for u in DEMO_USERS])
def test_each_role_sees_exactly_its_subtree(demo: World, username: str):
    world = demo
    user = User.objects.get(username=username)
    expected = _expected(world, user)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="matrix", confirmed=True)
    session["otp_device_id"] = device.persistent_id
    session.save()
    check = Matrix(client)
    started = time.monotonic()
    visible_today = {u for u in expected.units if world.alive(u, TODAY)}

    # Lists against the expectation: units today, people, directives, the tree's top.
    check.same("API units list", check.api_ids("/api/v1/units/") or set(), visible_today)
    check.same(
        "people in scope",
        set(Person.objects.visible_to(user).values_list("pk", flat=True)),
        expected.people,
    )
    people_api = check.api_ids("/api/v1/people/")
    check.same("API people list", people_api or set(), expected.people)
    people_page = check.get("/people/", Cap.VIEW_PEOPLE in _caps(user))
    if people_page is not None:
        check.same(
            "people page count",
            {people_page.context["page"].paginator.count},
            {len(expected.people)},
        )
    check.same(
        "API directives list", check.api_ids("/api/v1/directives/") or set(), expected.directives
    )
    tree_page = check.get("/units/", True)
    day = tree_page.context["as_of"]  # today, or the last day of an ended role organisation
    check.same(
        f"tree tops on {day}",
        {n.unit.pk for n in tree_page.context["nodes"]},
        {
            u
            for u in expected.units
            if world.alive(u, day) and world.parent_on(u, day) not in expected.units
        },
    )

    # Every unit × every unit endpoint: 200 with exactly the visible content, or 404.
    for unit in sorted(world.life):
        allowed = unit in expected.units
        ref = world.reference_date(unit)
        check.get(f"/units/{unit}/", allowed)
        check.get(f"/api/v1/units/{unit}", allowed)
        page = check.get(f"/units/{unit}/children/", allowed)
        if page is not None:
            check.same(
                f"children page of {unit}",
                {n.unit.pk for n in page.context["nodes"]},
                world.children_on(unit, TODAY) & expected.units,
            )
        ids = check.api_ids(f"/api/v1/units/{unit}/children", allowed)
        if ids is not None:
            check.same(
                f"API children of {unit}", ids, world.children_on(unit, ref) & expected.units
            )
        ids = check.api_ids(f"/api/v1/units/{unit}/subtree", allowed)
        if ids is not None:
            check.same(f"API subtree of {unit}", ids, world.subtree_on(unit, ref) & expected.units)
        people_allowed = unit in expected.people_units
        check.get(f"/people/?unit={unit}", people_allowed)
        check.get(f"/api/v1/people/?unit={unit}&page_size=1", people_allowed)
        check.get(f"/units/{unit}/reorganise/rename/", unit in expected.manage_units)
        person = world.person_of_unit.get(unit)
        if person is not None:
            check.get(f"/people/{person}/", person in expected.people)
            check.get(f"/api/v1/people/{person}", person in expected.people)

    # Every directive.
    for directive in sorted(world.directive_units):
        allowed = directive in expected.directives
        check.get(f"/directives/{directive}/", allowed)
        check.get(f"/api/v1/directives/{directive}", allowed)

    line = (
        f"{username}: {check.cases} cases, {len(expected.units)} units, "
        f"{len(expected.people)} people, {len(expected.directives)} directives visible "
        f"({time.monotonic() - started:.1f}s)"
    )
    print("\n" + line)  # noqa: T201
    (ARTIFACTS / "scope-matrix").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "scope-matrix" / f"{username}.txt").write_text(line + "\n", encoding="utf-8")
    assert not check.failures, "\n".join(check.failures[:40])
