"""The admin stays read-mostly for the tree (no adding or deleting units, no editing history)
and searches like the pages (symbols in any spelling, names without diacritics)."""

from __future__ import annotations

from tests.conftest import client_for
from tests.factories import make_member


def _admin_client(users):
    users.admin.is_staff = True
    users.admin.is_superuser = True
    users.admin.save()
    return client_for(users.admin)


def test_units_cannot_be_added_or_deleted_in_the_admin(tree, users):
    client = _admin_client(users)
    assert client.get("/admin/units/unit/").status_code == 200
    assert client.get("/admin/units/unit/add/").status_code == 403
    assert client.get(f"/admin/units/unit/{tree.ward_a.pk}/delete/").status_code == 403
    page = client.get(f"/admin/units/unit/{tree.ward_a.pk}/change/")
    assert page.status_code == 200
    assert 'name="name"' not in page.content.decode()  # the name changes by a dated rename


def test_admin_search_ignores_diacritics(tree, users):
    make_member(tree.cell_a1, full_name="Ngô Minh Đức")
    client = _admin_client(users)
    assert "Ngô Minh Đức" in client.get("/admin/people/person/?q=duc").content.decode()
