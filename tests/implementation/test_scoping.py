"""Out of scope is 404 on every implementation page; reading does not allow writing."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.implementation import services
from giamsat.implementation.models import Fulfilment
from tests.conftest import client_for
from tests.implementation.factories import assign

D = dt.date


@pytest.fixture
def objects(tree, office, directive, frozen):
    assignment = assign(directive=directive, unit=tree.city, user=office)
    record = assignment.implementations.get(unit=tree.ward_a)
    item = Fulfilment.objects.filter(implementation=record).first()
    task = services.create_key_task(
        unit=tree.ward_a,
        kind="key_task",
        title="Nhiệm vụ",
        opened_on=D(2022, 1, 1),
        acting_user=office,
    )
    return assignment, record, item, task


def test_an_outsider_gets_404_everywhere(tree, other_office, objects):
    assignment, record, item, task = objects
    client = client_for(other_office)
    city = tree.city.pk
    for url in (
        f"/implementation/units/{city}/",
        f"/implementation/units/{city}/matrix/",
        f"/implementation/units/{city}/overdue/",
        f"/implementation/units/{city}/overdue/?format=xlsx",
        f"/implementation/units/{city}/figures/implementation.missing_units/",
        f"/implementation/units/{city}/key-tasks/",
        f"/implementation/assignments/{assignment.pk}/",
        f"/implementation/records/{record.pk}/",
        f"/implementation/records/{record.pk}/remind/",
        f"/implementation/items/{item.pk}/",
        f"/implementation/key-tasks/{task.pk}/",
        f"/implementation/key-tasks/{task.pk}/edit/",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(f"/implementation/items/{item.pk}/", {"done_on": "01/02/2022"}).status_code
        == 404
    )
    assert not client.get("/implementation/assignments/").context["page"].object_list


def test_a_reader_sees_but_cannot_change(tree, users, objects):
    _assignment, record, item, task = objects
    client = client_for(users.read_only)
    page = client.get(f"/implementation/items/{item.pk}/")
    assert page.status_code == 200
    assert 'id="fulfil-form"' not in page.content.decode()
    assert (
        client.post(f"/implementation/items/{item.pk}/", {"done_on": "01/02/2022"}).status_code
        == 403
    )
    assert client.get(f"/implementation/records/{record.pk}/remind/").status_code == 403
    assert client.post(task.get_absolute_url(), {"text": "x"}).status_code == 403
    item.refresh_from_db()
    assert item.done_on is None


def test_a_ward_sees_only_its_own_subtree(tree, objects):
    from giamsat.accounts.roles import Role
    from tests.factories import make_user

    _assignment, record, _item, _task = objects
    ward_user = make_user(Role.COMMITTEE_OFFICE, tree.ward_b)
    client = client_for(ward_user)
    assert client.get(f"/implementation/records/{record.pk}/").status_code == 404
    assert client.get(f"/implementation/units/{tree.city.pk}/").status_code == 404
    own = client.get(f"/implementation/units/{tree.ward_b.pk}/matrix/")
    assert [r.unit for r, _cells in own.context["rows"]] == [tree.ward_b]
