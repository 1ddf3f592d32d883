"""The unit page lists the unit's members on the day shown (to those who may see people), so
that members brought in by an import can be seen in the tree."""

from django.urls import reverse

from tests.conftest import client_for


def test_a_cell_page_lists_its_members(tree, members, users, django_assert_max_num_queries):
    client = client_for(users.read_only)
    url = reverse("units:detail", args=[tree.cell_a1.pk])
    with django_assert_max_num_queries(25):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    for person in members[tree.cell_a1.code]:
        assert person.full_name in html
    for person in members[tree.cell_a2.code]:
        assert person.full_name not in html


def test_members_are_not_listed_without_the_right_to_see_people(tree, members):
    from giamsat.accounts.roles import Role
    from tests.factories import make_user

    custodian = make_user(Role.CUSTODIAN, tree.city, username="custodian_city")
    response = client_for(custodian).get(reverse("units:detail", args=[tree.cell_a1.pk]))
    assert response.status_code == 200
    for person in members[tree.cell_a1.code]:
        assert person.full_name not in response.content.decode()
