"""A role at a unit grants its subtree; everything else is 404."""

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import visible_units
from tests.conftest import client_for


def test_role_grants_exactly_the_subtree(tree, users):
    visible = set(visible_units(users.authorised, Cap.VIEW_UNITS).values_list("pk", flat=True))
    expected = {
        tree.city.pk,
        tree.city_inspection.pk,
        tree.ward_a.pk,
        tree.cell_a1.pk,
        tree.cell_a2.pk,
        tree.ward_b.pk,
        tree.cell_b1.pk,
    }
    assert visible == expected


def test_out_of_scope_unit_page_is_404(tree, users):
    client = client_for(users.authorised)
    assert client.get(tree.ward_a.get_absolute_url()).status_code == 200
    assert client.get(tree.cell_o1.get_absolute_url()).status_code == 404
