"""The audit trail over the API: the same scope and filters as the page, read-only, logged."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from giamsat.accounts.api_auth import issue_token
from giamsat.audit.context import acting_as
from giamsat.audit.models import AccessEvent, AccessKind
from giamsat.audit.services import record_access
from giamsat.units.services import rename_unit


def _get(user, path, **params):
    _token, clear = issue_token(user=user, name="t")
    return Client().get(f"/api/v1/audit/{path}", params, HTTP_AUTHORIZATION=f"Bearer {clear}")


def test_access_events_are_scoped_and_filtered(tree, users):
    inside = record_access(actor=users.read_only, kind=AccessKind.READ, obj=tree.cell_a2)
    record_access(actor=users.outsider, kind=AccessKind.READ, obj=tree.cell_o1)
    body = _get(users.authorised, "access-events", kind="read").json()
    ids = [item["id"] for item in body["items"]]
    assert inside.pk in ids
    assert all(item["unit_id"] != tree.cell_o1.pk for item in body["items"])
    body = _get(users.authorised, "access-events", record=f"units.Unit:{tree.cell_a2.pk}").json()
    assert [item["id"] for item in body["items"]] == [inside.pk]
    assert body["items"][0]["actor_name"] == "leader_city"
    assert body["items"][0]["unit_id"] == tree.cell_a2.pk
    assert _get(users.authorised, "access-events", person="nobody").json()["count"] == 0


def test_changes_carry_old_and_new_values(tree, users):
    with acting_as(users.admin):
        rename_unit(unit=tree.cell_a2, name="Chi bộ 2 mới", date=dt.date(2025, 7, 1))
    body = _get(users.authorised, "changes", record="Chi bộ 2").json()
    unit_changes = [i for i in body["items"] if i["object_type"] == "units.unit"]
    assert unit_changes[0]["changes"]["name"] == ["Chi bộ khu phố 2", "Chi bộ 2 mới"]
    assert unit_changes[0]["actor_username"] == "sysadmin"
    assert unit_changes[0]["action"] == "update"


def test_without_the_capability_the_lists_are_empty(tree, users):
    record_access(actor=users.read_only, kind=AccessKind.READ, obj=tree.cell_a2)
    assert _get(users.read_only, "access-events").json()["count"] == 0


def test_anonymous_callers_are_refused(db):
    assert Client().get("/api/v1/audit/access-events").status_code == 401
    assert Client().get("/api/v1/audit/changes").status_code == 401


def test_each_call_is_recorded(tree, users):
    _get(users.authorised, "changes", person="x")
    event = AccessEvent.objects.filter(actor=users.authorised).latest("pk")
    assert event.object_label == "audit trail: changes (API)"
    assert event.reason == "person=x"


def test_hostile_filters_do_not_break_the_api(tree, users):
    for params in (
        {"person": "a\x00b"},
        {"record": "x" * 199},
        {"limit": 10**12},
        {"offset": 10**30},
        {"date_from": "2025-02-31"},
    ):
        response = _get(users.authorised, "access-events", **params)
        assert response.status_code in (200, 422), (params, response.status_code)
