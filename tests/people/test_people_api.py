"""The people API: list and search in Vietnamese order, filtered to a subtree on a date, and
detail with memberships and posts in scope; 404 out of scope."""

from __future__ import annotations

import datetime as dt

from giamsat.audit.models import AccessEvent
from giamsat.people.models import Post
from giamsat.people.services import transfer_membership
from tests.factories import make_member, make_user
from tests.units.test_units_api import api

D = dt.date


def test_search_and_subtree_filter(tree, users, members):
    make_member(tree.cell_b1, full_name="Ngô Minh Đức")
    client = api(users.authorised)
    found = client.get("/api/v1/people/?q=duc").json()
    assert [p["full_name"] for p in found["items"]] == ["Ngô Minh Đức"]
    assert found["items"][0]["cell"]["id"] == tree.cell_b1.pk
    ward_a = client.get(f"/api/v1/people/?unit={tree.ward_a.pk}&as_of=01/01/2024").json()
    assert ward_a["count"] == 4
    assert client.get("/api/v1/people/?status=alien").status_code == 422


def test_out_of_scope_unit_filter_and_person_are_404(tree, users, members):
    client = api(users.outsider)
    person = members[tree.cell_a1.code][0]
    assert client.get(f"/api/v1/people/?unit={tree.ward_a.pk}").status_code == 404
    assert client.get(f"/api/v1/people/{person.pk}").status_code == 404
    assert client.get("/api/v1/people/999999").status_code == 404


def test_detail_lists_history_in_scope_and_logs_the_read(tree, users, members):
    person = members[tree.cell_a1.code][0]
    Post.objects.create(
        person=person,
        unit=tree.cell_a1,
        title="Bí thư chi bộ",
        is_head=True,
        valid_from=D(2020, 1, 1),
    )
    transfer_membership(person=person, to_unit=tree.cell_o1, date=D(2024, 1, 1), acting_user=None)
    body = api(users.authorised).get(f"/api/v1/people/{person.pk}").json()
    assert [m["unit"]["id"] for m in body["memberships"]] == [tree.cell_a1.pk]
    assert body["posts"][0]["is_head"] is True
    assert body["cell"] is None  # today's cell is in the other town, out of scope
    assert "identity_number" not in body
    assert AccessEvent.objects.filter(object_id=str(person.pk), reason="API").exists()
    other = api(users.outsider).get(f"/api/v1/people/{person.pk}").json()
    assert [m["unit"]["id"] for m in other["memberships"]] == [tree.cell_o1.pk]
    assert other["cell"]["id"] == tree.cell_o1.pk


def test_roles_without_people_get_an_empty_list(tree, members):
    officer = make_user("petition_officer", tree.city)
    body = api(officer).get("/api/v1/people/").json()
    assert body["count"] == 0 and body["items"] == []
