"""People forms for users holding Cap.MANAGE_PEOPLE: create and edit a person, transfer party
activity with a date, add and end a post; everyone else gets 404."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.people.models import Person, Post
from tests.conftest import client_for
from tests.factories import make_user

D = dt.date


@pytest.fixture
def manager(tree):
    return make_user("organisation", tree.city, username="btc_tp")


def test_create_a_member_from_a_cell_page(tree, manager):
    """The cell is preselected from the link on the cell page; the person lands in it."""
    client = client_for(manager)
    form = client.get(f"/people/new/?cell={tree.cell_a1.pk}")
    assert form.context["form"].initial["cell"] == tree.cell_a1.pk
    response = client.post(
        "/people/new/",
        {
            "full_name": "Hoàng Thị Mới",
            "birth_date": "12/03/1990",
            "gender": "female",
            "category": "member",
            "status": "full",
            "joined_on": "19/05/2015",
            "cell": tree.cell_a1.pk,
        },
    )
    person = Person.objects.get(full_name="Hoàng Thị Mới")
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
    assert person.birth_date == D(1990, 3, 12)
    assert person.membership_on(D(2020, 1, 1)).unit == tree.cell_a1


def test_a_refusal_is_shown_on_the_form(tree, manager):
    """Joining before birth: the form explains in Vietnamese; nothing is saved."""
    response = client_for(manager).post(
        "/people/new/",
        {
            "full_name": "Sai Ngày",
            "birth_date": "01/01/2000",
            "category": "member",
            "status": "full",
            "joined_on": "01/01/1999",
        },
    )
    assert response.status_code == 200
    assert "Ngày vào Đảng trước ngày sinh" in response.content.decode()
    assert not Person.objects.filter(full_name="Sai Ngày").exists()


def test_edit_details(tree, manager, members):
    """The edit form starts from the current values and saves the change."""
    person = members[tree.cell_a1.code][0]
    client = client_for(manager)
    form = client.get(f"/people/{person.pk}/edit/")
    assert form.context["form"].initial["full_name"] == person.full_name
    data = {
        "full_name": "Nguyễn Văn Đổi Tên",
        "category": "member",
        "status": "full",
        "party_card_number": person.party_card_number,
        "joined_on": "19/05/2005",
    }
    assert client.post(f"/people/{person.pk}/edit/", data).status_code == 302
    person.refresh_from_db()
    assert person.full_name == "Nguyễn Văn Đổi Tên" and person.given_name == "Tên"


def test_transfer_with_a_date(tree, manager, members):
    """The member moves to cell B1 from the chosen date."""
    person = members[tree.cell_a1.code][0]
    response = client_for(manager).post(
        f"/people/{person.pk}/transfer/",
        {"to_unit": tree.cell_b1.pk, "date": "2024-03-01", "kind": "regular", "note": "GGT số 12"},
    )
    assert response.status_code == 302
    assert person.membership_on(D(2024, 3, 1)).unit == tree.cell_b1
    assert person.membership_on(D(2024, 2, 29)).unit == tree.cell_a1


def test_add_and_end_a_post(tree, manager, members):
    """A post is recorded, then ended with a reason; the person page offers the end link."""
    person = members[tree.cell_a1.code][0]
    client = client_for(manager)
    response = client.post(
        f"/people/{person.pk}/posts/new/",
        {
            "unit": tree.cell_a1.pk,
            "kind": "secretary",
            "title": "Bí thư chi bộ",
            "is_head": "on",
            "date": "01/01/2020",
        },
    )
    assert response.status_code == 302
    post = Post.objects.get(person=person)
    assert post.is_head
    assert f"/people/posts/{post.pk}/end/" in client.get(person.get_absolute_url()).content.decode()
    response = client.post(
        f"/people/posts/{post.pk}/end/", {"last_day": "31/12/2024", "reason": "nghỉ hưu"}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.valid_to == D(2024, 12, 31) and post.ended_by == "nghỉ hưu"


def test_choices_stay_in_the_managers_scope(tree, manager, members):
    """A cell of the other town is not a valid choice for the city manager."""
    person = members[tree.cell_a1.code][0]
    response = client_for(manager).post(
        f"/people/{person.pk}/transfer/",
        {"to_unit": tree.cell_o1.pk, "date": "01/03/2024", "kind": "regular"},
    )
    assert response.status_code == 200
    assert "to_unit" in response.context["form"].errors


def test_without_the_capability_everything_is_404(tree, users, members):
    """The inspection role sees people but cannot change them; the outsider cannot reach them."""
    person = members[tree.cell_a1.code][0]
    post = Post.objects.create(
        person=person, unit=tree.cell_a1, title="Ủy viên", valid_from=D(2020, 1, 1)
    )
    for user in (users.authorised, users.outsider):
        client = client_for(user)
        for url in (
            "/people/new/",
            f"/people/{person.pk}/edit/",
            f"/people/{person.pk}/transfer/",
            f"/people/{person.pk}/posts/new/",
            f"/people/posts/{post.pk}/end/",
        ):
            assert client.get(url).status_code == 404, (user.username, url)
    outside_manager = make_user("organisation", tree.other)
    assert client_for(outside_manager).get(f"/people/{person.pk}/edit/").status_code == 404
