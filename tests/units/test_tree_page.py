"""The tree browser shows the tree as of a chosen date, with member counts per node from one
grouped query, lazily loaded children (htmx) and ended units marked."""

from __future__ import annotations

import datetime as dt

from giamsat.units.services import dissolve_unit, move_unit
from tests.conftest import client_for
from tests.factories import make_member, make_unit, make_user

D = dt.date
REFORM = D(2025, 7, 1)


def _reform(tree):
    for ward in (tree.ward_a, tree.ward_b):
        move_unit(unit=ward, parent=tree.province, date=REFORM)
    dissolve_unit(unit=tree.city, date=REFORM)


def test_the_tree_starts_at_the_users_highest_units(tree, users):
    """A role at the city sees the city as its top; the admin sees the central committee."""
    page = client_for(users.authorised).get("/units/?as_of=01/01/2024")
    assert page.status_code == 200
    tops = [n.unit for n in page.context["nodes"]]
    assert tops == [tree.city]
    admin_tops = [n.unit for n in client_for(users.admin).get("/units/").context["nodes"]]
    assert admin_tops == [tree.central]


def test_the_date_picker_accepts_both_forms_and_reports_nonsense(tree, users):
    """dd/mm/yyyy and the browser's yyyy-mm-dd both work; a bad date says how to write it."""
    client = client_for(users.authorised)
    assert client.get("/units/?as_of=01/01/2024").context["as_of"] == D(2024, 1, 1)
    assert client.get("/units/?as_of=2024-01-01").context["as_of"] == D(2024, 1, 1)
    page = client.get("/units/?as_of=31/02/2024")
    assert page.status_code == 200
    assert "31/02/2024" in page.context["as_of_error"]
    assert "dd/mm/yyyy" in page.content.decode()


def test_after_the_reform_the_wards_sit_under_the_province(tree, users, members, frozen_today):
    """As of 2024 the city holds the wards; today the city is gone and the wards are direct."""
    _reform(tree)
    client = client_for(make_user("leader", tree.province))
    children_2024 = client.get(f"/units/{tree.province.pk}/children/?as_of=01/01/2024")
    names_2024 = [n.unit.name for n in children_2024.context["nodes"]]
    assert "Đảng bộ thành phố Thanh Hóa" in names_2024
    assert "Đảng bộ phường Trường Thi" not in names_2024
    children_now = client.get(f"/units/{tree.province.pk}/children/")
    names_now = [n.unit.name for n in children_now.context["nodes"]]
    assert "Đảng bộ thành phố Thanh Hóa" not in names_now
    assert {"Đảng bộ phường Trường Thi", "Đảng bộ phường Điện Biên"} <= set(names_now)


def test_ended_units_are_marked_with_their_last_day(tree, users):
    """In the 2024 tree the city (ended 30/06/2025) carries a badge with its last day."""
    _reform(tree)
    client = client_for(make_user("leader", tree.province))
    html = client.get(f"/units/{tree.province.pk}/children/?as_of=01/01/2024").content.decode()
    assert "gs-node-ended" in html
    assert "30/06/2025" in html


def test_member_counts_cover_the_subtree_on_the_date(tree, users, members):
    """Each node counts the members of its whole subtree on the date."""
    make_member(tree.cell_a1, valid_from=D(2025, 1, 1))
    client = client_for(users.authorised)
    page = client.get(f"/units/{tree.city.pk}/children/?as_of=01/01/2024")
    counts = {n.unit.pk: n.members for n in page.context["nodes"]}
    assert counts[tree.ward_a.pk] == 4
    assert counts[tree.ward_b.pk] == 2
    page = client.get(f"/units/{tree.city.pk}/children/?as_of=01/01/2026")
    assert {n.unit.pk: n.members for n in page.context["nodes"]}[tree.ward_a.pk] == 5
    top = client.get("/units/?as_of=01/01/2024").context["nodes"][0]
    assert top.members == 6 and top.children == 3  # two wards and the inspection commission


def test_members_are_not_counted_for_roles_without_people(tree, members):
    """A petition officer sees the tree but no member counts."""
    officer = make_user("petition_officer", tree.city)
    node = client_for(officer).get("/units/").context["nodes"][0]
    assert node.unit == tree.city and node.members is None


def test_children_load_lazily_with_htmx(tree, users):
    """Nodes with sub-units carry an htmx request for their children, leaves do not."""
    html = client_for(users.authorised).get(f"/units/{tree.city.pk}/children/").content.decode()
    assert f'hx-get="/units/{tree.ward_a.pk}/children/?as_of=' in html
    assert "toggle from:closest details once" in html
    assert f"/units/{tree.city_inspection.pk}/children/" not in html  # a leaf


def test_children_of_an_out_of_scope_unit_are_404(tree, users):
    """The outsider cannot list the city's children."""
    assert client_for(users.outsider).get(f"/units/{tree.city.pk}/children/").status_code == 404


def test_tree_pages_use_a_bounded_number_of_queries(
    tree, users, members, django_assert_max_num_queries
):
    """Counts come from grouped queries: more units do not mean more queries."""
    client = client_for(users.admin)
    client.get("/units/")  # warm up session and caches
    with django_assert_max_num_queries(12):
        client.get(f"/units/{tree.city.pk}/children/?as_of=01/01/2024")
    for i in range(15):
        cell = make_unit(f"Chi bộ thêm {i}", parent=tree.ward_b)
        make_member(cell)
    with django_assert_max_num_queries(12):
        page = client.get(f"/units/{tree.ward_b.pk}/children/?as_of=01/01/2024")
    assert len(page.context["nodes"]) == 16
    with django_assert_max_num_queries(12):
        client.get("/units/?as_of=01/01/2024")


def test_a_role_at_an_ended_organisation_sees_its_last_day(tree, users, frozen_today):
    """After the city ends, the city's roles open the tree on 30/06/2025 with a note; they
    can still ask for today."""
    _reform(tree)
    client = client_for(users.authorised)
    page = client.get("/units/")
    assert page.context["as_of"] == D(2025, 6, 30)
    assert [n.unit for n in page.context["nodes"]] == [tree.city]
    assert 'id="role-ended"' in page.content.decode()
    today_page = client.get("/units/?as_of=02/03/2026")
    assert today_page.context["as_of"] == D(2026, 3, 2)
    assert "role-ended" not in today_page.content.decode()
    # a role at a living organisation opens today
    assert client_for(users.outsider).get("/units/").context["as_of"] == D(2026, 3, 2)
