"""The person page: memberships and posts in the viewer's scope, and the sections other apps
register in ``giamsat.people.sections``."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.audit.models import AccessEvent
from giamsat.people.models import Post
from giamsat.people.sections import PersonSection, register, registered, unregister
from giamsat.people.services import transfer_membership
from tests.conftest import client_for

D = dt.date


def test_history_is_shown_and_reads_are_logged(tree, users, members):
    """Memberships and posts appear; the read is written to the access log."""
    person = members[tree.cell_a1.code][0]
    Post.objects.create(
        person=person,
        unit=tree.cell_a1,
        title="Bí thư chi bộ",
        is_head=True,
        valid_from=D(2020, 1, 1),
    )
    page = client_for(users.authorised).get(f"/people/{person.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Bí thư chi bộ" in html and "Chi bộ khu phố 1" in html
    assert AccessEvent.objects.filter(object_id=str(person.pk), actor=users.authorised).exists()


def test_history_outside_the_scope_is_not_shown(tree, users, members, frozen_today):
    """After a transfer to the other town, the city role still sees the person (history) but
    not the new cell; the other town's role sees only the new cell."""
    person = members[tree.cell_a1.code][0]
    transfer_membership(person=person, to_unit=tree.cell_o1, date=D(2025, 1, 1), acting_user=None)
    city_view = client_for(users.authorised).get(f"/people/{person.pk}/")
    assert [m.unit for m in city_view.context["memberships"]] == [tree.cell_a1]
    other_view = client_for(users.outsider).get(f"/people/{person.pk}/")
    assert [m.unit for m in other_view.context["memberships"]] == [tree.cell_o1]


def test_out_of_scope_person_is_404(tree, users, members):
    """The outsider cannot open a city member."""
    person = members[tree.cell_a1.code][0]
    assert client_for(users.outsider).get(f"/people/{person.pk}/").status_code == 404


@pytest.fixture
def study_section():
    """A section as the study app would register it."""
    section = register(
        PersonSection(
            key="test-study",
            title="Lịch sử học tập",
            template="people/_section_list.html",
            context=lambda request, person: (
                {"rows": [{"text": "Hội nghị quán triệt Kết luận 21", "note": "3 buổi"}]}
                if person.given_name != "Ẩn"
                else None
            ),
            capability="manage_study",
            order=10,
        )
    )
    yield section
    unregister("test-study")


def test_registered_sections_render_for_users_with_the_capability(
    tree, users, members, study_section
):
    """The section shows with its data for a cell secretary (manage_study), not for the
    inspection role (no manage_study), and not when its context says there is nothing."""
    from tests.factories import make_user

    secretary = make_user("cell_secretary", tree.cell_a1)
    person = members[tree.cell_a1.code][0]
    assert study_section in registered()
    html = client_for(secretary).get(f"/people/{person.pk}/").content.decode()
    assert (
        'id="section-test-study"' in html
        and "3 buổi" in html
        and "Kết luận 21" in html
        and "Lịch sử học tập" in html
    )
    html = client_for(users.authorised).get(f"/people/{person.pk}/").content.decode()
    assert "section-test-study" not in html
    person.full_name = "Lê Văn Ẩn"
    person.save()
    html = client_for(secretary).get(f"/people/{person.pk}/").content.decode()
    assert "section-test-study" not in html


def test_the_person_page_is_bounded_in_queries(tree, users, members, django_assert_max_num_queries):
    """Many posts and memberships do not add queries."""
    person = members[tree.cell_a1.code][0]
    for year in range(2000, 2020):
        Post.objects.create(
            person=person,
            unit=tree.cell_a1,
            title=f"Chức vụ {year}",
            valid_from=D(year, 1, 1),
            valid_to=D(year, 12, 31),
        )
    client = client_for(users.authorised)
    client.get("/people/")
    # The page plus the sections other apps register (discipline, oversight, ...): a fixed
    # number of queries whatever the person's history.
    with django_assert_max_num_queries(24):
        page = client.get(f"/people/{person.pk}/")
    assert len(page.context["posts"]) == 20
