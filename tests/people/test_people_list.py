"""The people list: visible people only, filtered to a unit's subtree on a date, by status,
paginated, in a bounded number of queries."""

from __future__ import annotations

import datetime as dt

from giamsat.people.models import MemberStatus, Person
from giamsat.units.services import move_unit
from tests.conftest import client_for
from tests.factories import make_member, make_user

D = dt.date


def _names(response):
    return {p.full_name for p in response.context["page"]}


def test_only_people_in_scope_are_listed(tree, users, members):
    """The city role sees the six members of the city's cells, not the other town's."""
    page = client_for(users.authorised).get("/people/")
    city_people = {
        p.full_name
        for cell in (tree.cell_a1, tree.cell_a2, tree.cell_b1)
        for p in members[cell.code]
    }
    assert _names(page) == city_people
    assert page.context["page"].paginator.count == 6


def test_the_unit_filter_reads_the_subtree_on_the_date(tree, users, members, frozen_today):
    """Ward A's members; after a move of cell A2, the filter on a later date follows it."""
    move_unit(unit=tree.cell_a2, parent=tree.ward_b, date=D(2025, 7, 1))
    client = client_for(users.authorised)
    ward_a_2024 = client.get(f"/people/?unit={tree.ward_a.pk}&as_of=01/01/2024")
    assert _names(ward_a_2024) == {
        p.full_name for p in members[tree.cell_a1.code] + members[tree.cell_a2.code]
    }
    ward_a_now = client.get(f"/people/?unit={tree.ward_a.pk}")
    assert _names(ward_a_now) == {p.full_name for p in members[tree.cell_a1.code]}
    assert "Trường Thi" in ward_a_now.content.decode()


def test_an_out_of_scope_unit_filter_is_404(tree, users):
    """Filtering on a unit outside one's scope answers 404 (existence is not revealed)."""
    client = client_for(users.authorised)
    assert client.get(f"/people/?unit={tree.cell_o1.pk}").status_code == 404
    assert client.get("/people/?unit=abc").status_code == 404
    assert client.get("/people/?unit=999999").status_code == 404


def test_status_filter_and_bad_dates(tree, users):
    """Probationary members only; a wrong date is reported, not fatal."""
    make_member(tree.cell_a1, full_name="Lê Thị Dự Bị", status=MemberStatus.PROBATIONARY)
    make_member(tree.cell_a1, full_name="Lê Văn Chính Thức")
    client = client_for(users.authorised)
    assert _names(client.get("/people/?status=probationary")) == {"Lê Thị Dự Bị"}
    page = client.get("/people/?as_of=32/13/2024")
    assert page.status_code == 200 and page.context["as_of_error"]


def test_roles_without_people_get_404(tree):
    """A petition officer may not see people: the list answers 404."""
    officer = make_user("petition_officer", tree.city)
    assert client_for(officer).get("/people/").status_code == 404


def test_the_list_is_paginated_and_bounded_in_queries(tree, users, django_assert_max_num_queries):
    """120 people: 50 per page, the filters kept in the page links, a fixed query budget."""
    for i in range(120):
        make_member(tree.cell_a1 if i % 2 else tree.cell_b1, full_name=f"Nguyễn Văn Số{i:03d}")
    client = client_for(users.authorised)
    client.get("/people/")
    with django_assert_max_num_queries(12):
        page = client.get(f"/people/?unit={tree.city.pk}&q=nguyen")
    assert page.context["page"].paginator.count == 120
    assert len(page.context["page"]) == 50
    html = page.content.decode()
    assert f"?unit={tree.city.pk}&amp;q=nguyen&amp;page=2" in html
    with django_assert_max_num_queries(12):
        page3 = client.get(f"/people/?unit={tree.city.pk}&q=nguyen&page=3")
    assert len(page3.context["page"]) == 20
    # every row shows its cell without a query per row
    assert all(p.cells_on_date for p in page3.context["page"])


def test_non_members_are_found_through_their_affiliation(tree, users):
    """A civil servant affiliated to ward A is visible to the city role."""
    person = Person.objects.create(
        full_name="Trần Thị Công Chức",
        status=MemberStatus.NON_MEMBER,
        category="civil_servant",
        affiliation=tree.ward_a,
    )
    assert person.full_name in _names(client_for(users.authorised).get("/people/"))
    assert person.full_name not in _names(client_for(users.outsider).get("/people/"))
