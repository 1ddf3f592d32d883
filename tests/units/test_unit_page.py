"""The unit page shows, on a date: ancestors, sub-units, committee organs, members (a cell) or
a link to the people list (bigger units), posts current and past with the head flagged, the
names history, reorganisations with their decisions, and lineage."""

from __future__ import annotations

import datetime as dt

from giamsat.directives.models import Directive
from giamsat.people.models import Post
from giamsat.units.models import UnitKind
from giamsat.units.services import Decision, NewUnit, merge_units, rename_unit
from tests.conftest import client_for
from tests.factories import make_member, make_user

D = dt.date


def test_a_cell_lists_its_members_and_posts(tree, users, members):
    """Members in Vietnamese order; the secretary's post is current and flagged head."""
    secretary = members[tree.cell_a1.code][0]
    Post.objects.create(
        person=secretary,
        unit=tree.cell_a1,
        title="Bí thư chi bộ",
        is_head=True,
        valid_from=D(2020, 1, 1),
    )
    Post.objects.create(
        person=members[tree.cell_a1.code][1],
        unit=tree.cell_a1,
        title="Phó Bí thư chi bộ",
        valid_from=D(2016, 1, 1),
        valid_to=D(2019, 12, 31),
        ended_by="chuyển công tác",
    )
    page = client_for(users.authorised).get(f"/units/{tree.cell_a1.pk}/?as_of=01/01/2024")
    assert page.status_code == 200
    listed = [m.person for m in page.context["members"]]
    assert set(listed) == set(members[tree.cell_a1.code])
    assert [p.title for p in page.context["posts_current"]] == ["Bí thư chi bộ"]
    assert [p.title for p in page.context["posts_past"]] == ["Phó Bí thư chi bộ"]
    html = page.content.decode()
    assert "chuyển công tác" in html
    assert [a.pk for a in page.context["ancestors"]] == [tree.city.pk, tree.ward_a.pk]


def test_a_bigger_unit_links_to_the_people_list_of_its_subtree(tree, users, members):
    """The city shows its member total and a link to people filtered to its subtree."""
    page = client_for(users.authorised).get(f"/units/{tree.city.pk}/?as_of=01/01/2024")
    assert page.context["members"] is None
    assert page.context["member_total"] == 6
    html = page.content.decode()
    assert f"/people/?unit={tree.city.pk}&amp;as_of=01/01/2024" in html
    # Vietnamese order: Điện Biên before Trường Thi
    assert [n.unit for n in page.context["organisations"]] == [tree.ward_b, tree.ward_a]
    assert page.context["organs"] == [tree.city_inspection]


def test_ancestors_outside_the_scope_are_not_shown(tree, users):
    """A city role sees the city in the breadcrumb but not the province or the centre."""
    page = client_for(users.authorised).get(f"/units/{tree.ward_a.pk}/")
    assert [a.pk for a in page.context["ancestors"]] == [tree.city.pk]
    assert "Đảng bộ tỉnh Thanh Hóa" not in page.content.decode()


def test_names_reorganisations_decisions_and_lineage(tree, users, frozen_today):
    """A rename and a merge show in the history with their decision and what became what."""
    decision_doc = Directive.objects.create(
        doc_type="QĐ",
        number=341,
        issuer_code="TW",
        issued_on=D(2025, 7, 23),
        title="Quyết định về sắp xếp",
        issuing_unit=tree.central,
    )
    rename_unit(unit=tree.ward_b, name="Đảng bộ phường Điện Biên mới", date=D(2024, 1, 1))
    merged = merge_units(
        sources=[tree.ward_a, tree.ward_b],
        new_unit=NewUnit(code="HT", name="Đảng bộ phường Hạc Thành", kind=UnitKind.GRASSROOTS_ORG),
        parent=tree.city,
        date=D(2025, 7, 1),
        decision=Decision(symbol="341-QĐ/TW", date=D(2025, 7, 23)),
    )
    client = client_for(users.authorised)
    old = client.get(f"/units/{tree.ward_b.pk}/")
    assert [n.name for n in old.context["names"]] == [
        "Đảng bộ phường Điện Biên",
        "Đảng bộ phường Điện Biên mới",
    ]
    assert [e.successor for e in old.context["became"]] == [merged]
    html = old.content.decode()
    assert decision_doc.get_absolute_url() in html and "341-QĐ/TW" in html
    assert "30/06/2025" in html  # the page of an ended unit reads its last day
    assert old.context["as_of"] == D(2025, 6, 30)
    new = client.get(f"/units/{merged.pk}/")
    assert {e.predecessor for e in new.context["came_from"]} == {tree.ward_a, tree.ward_b}
    # the name the page shows follows the date
    assert client.get(f"/units/{tree.ward_b.pk}/?as_of=01/01/2020").context["name_on"] == (
        "Đảng bộ phường Điện Biên"
    )


def test_the_manage_buttons_show_only_for_managers(tree, users):
    """Organisation staff see the reorganisation buttons; the inspection role does not."""
    manager = make_user("organisation", tree.city)
    assert "unit-actions" in client_for(manager).get(f"/units/{tree.ward_a.pk}/").content.decode()
    html = client_for(users.authorised).get(f"/units/{tree.ward_a.pk}/").content.decode()
    assert "unit-actions" not in html


def test_out_of_scope_unit_page_is_404(tree, users):
    """The outsider's request for a city ward answers 404, like a unit that does not exist."""
    client = client_for(users.outsider)
    assert client.get(f"/units/{tree.ward_a.pk}/").status_code == 404
    assert client.get("/units/999999/").status_code == 404


def test_the_unit_page_uses_a_bounded_number_of_queries(
    tree, users, members, django_assert_max_num_queries
):
    """However many members, posts or sub-units, the page stays within a fixed budget."""
    client = client_for(users.admin)
    client.get("/units/")
    for cell in (tree.cell_a1, tree.cell_a2):
        for _ in range(20):
            person = make_member(cell)
            Post.objects.create(person=person, unit=cell, title="Ủy viên", valid_from=D(2020, 1, 1))
    with django_assert_max_num_queries(25):
        page = client.get(f"/units/{tree.cell_a1.pk}/")
    assert len(page.context["members"]) == 22
    with django_assert_max_num_queries(25):
        client.get(f"/units/{tree.ward_a.pk}/")
