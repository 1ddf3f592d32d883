"""Reorganisation forms: users holding Cap.MANAGE_UNITS over a unit record establish, rename,
move, merge, split and dissolve through the services, in one transaction, with refusals
explained in Vietnamese on the form."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.people.models import Membership
from giamsat.units.models import Lineage, ReorgEvent, Unit
from tests.conftest import client_for
from tests.factories import make_user

D = dt.date


@pytest.fixture
def manager(tree):
    """Organisation commission staff at the province (may change the whole province tree)."""
    return make_user("organisation", tree.province, username="btc_tinh")


def _post(client, unit, kind, data):
    base = {
        "date": "01/07/2025",
        "decision_symbol": "Số 341 - QĐ/TW",
        "decision_date": "",
        "note": "",
    }
    return client.post(f"/units/{unit.pk}/reorganise/{kind}/", {**base, **data})


def test_establish_a_cell(tree, manager):
    """The new cell exists under the ward from the date; the page redirects to it."""
    response = _post(
        client_for(manager),
        tree.ward_a,
        "establish",
        {"code": "TT-CB9", "name": "Chi bộ khu phố 9", "kind": "cell", "organ_kind": ""},
    )
    cell = Unit.objects.get(code="TT-CB9")
    assert response.status_code == 302
    assert response["Location"] == f"/units/{cell.pk}/?as_of=01/07/2025"
    assert cell.parent_on(D(2025, 7, 1)) == tree.ward_a
    event = ReorgEvent.objects.get(kind="establish", units=cell)
    assert event.decision_symbol == "341-QĐ/TW" and event.recorded_by == manager


def test_rename(tree, manager):
    """The name changes from the date; the history keeps the old one."""
    _post(client_for(manager), tree.ward_a, "rename", {"name": "Đảng bộ phường Hạc Thành"})
    tree.ward_a.refresh_from_db()
    assert tree.ward_a.name_on(D(2025, 6, 30)) == "Đảng bộ phường Trường Thi"
    assert tree.ward_a.name_on(D(2025, 7, 1)) == "Đảng bộ phường Hạc Thành"


def test_move(tree, manager):
    """The ward moves under the province with its cells."""
    response = _post(client_for(manager), tree.ward_a, "move", {"parent": tree.province.pk})
    assert response.status_code == 302
    assert tree.ward_a.parent_on(D(2025, 7, 1)) == tree.province


def test_merge_into_a_new_unit(tree, manager, members):
    """Both wards end; the new ward sits under the province and holds their cells."""
    response = _post(
        client_for(manager),
        tree.ward_a,
        "merge",
        {
            "sources": [tree.ward_a.pk, tree.ward_b.pk],
            "mode": "new",
            "new_code": "HT",
            "new_name": "Đảng bộ phường Hạc Thành",
            "new_kind": "grassroots_org",
            "parent": tree.province.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    new = Unit.objects.get(code="HT")
    assert set(Lineage.objects.filter(successor=new).values_list("predecessor", flat=True)) == {
        tree.ward_a.pk,
        tree.ward_b.pk,
    }
    assert tree.cell_b1.parent_on(D(2025, 7, 1)) == new


def test_merge_into_an_existing_unit(tree, manager):
    """Ward B is absorbed by ward A."""
    _post(
        client_for(manager),
        tree.ward_b,
        "merge",
        {"sources": [tree.ward_b.pk], "mode": "existing", "into": tree.ward_a.pk},
    )
    tree.ward_b.refresh_from_db()
    assert tree.ward_b.valid_to == D(2025, 6, 30)
    assert tree.cell_b1.parent_on(D(2025, 7, 1)) == tree.ward_a


def test_split_with_a_mapping_of_sub_units(tree, manager, members):
    """Each current cell goes to the new ward chosen for it."""
    client = client_for(manager)
    form = client.get(f"/units/{tree.ward_a.pk}/reorganise/split/")
    assert f"child_{tree.cell_a1.pk}" in form.content.decode()
    response = _post(
        client,
        tree.ward_a,
        "split",
        {
            "new_units": "N | Đảng bộ phường Bắc\nS | Đảng bộ phường Nam",
            "new_kind": "grassroots_org",
            "members_to": 1,
            f"child_{tree.cell_a1.pk}": 1,
            f"child_{tree.cell_a2.pk}": 2,
        },
    )
    assert response.status_code == 302
    north, south = Unit.objects.get(code="N"), Unit.objects.get(code="S")
    assert tree.cell_a1.parent_on(D(2025, 7, 1)) == north
    assert tree.cell_a2.parent_on(D(2025, 7, 1)) == south


def test_dissolve_after_transfers(tree, manager):
    """A cell without members is dissolved after confirmation."""
    response = _post(client_for(manager), tree.cell_a2, "dissolve", {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"].endswith("?as_of=30/06/2025")
    tree.cell_a2.refresh_from_db()
    assert tree.cell_a2.valid_to == D(2025, 6, 30)


def test_a_refusal_is_shown_in_vietnamese_and_nothing_is_written(tree, manager, members):
    """Dissolving a cell with members: the form says so and the cell stays."""
    events = ReorgEvent.objects.count()
    response = _post(client_for(manager), tree.cell_a1, "dissolve", {"confirm": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "vẫn còn 2 đảng viên" in html
    tree.cell_a1.refresh_from_db()
    assert tree.cell_a1.valid_to is None
    assert ReorgEvent.objects.count() == events
    assert Membership.objects.filter(unit=tree.cell_a1, valid_to__isnull=True).count() == 2


def test_form_errors_name_the_field(tree, manager):
    """A missing date and a bad split list are reported on their fields."""
    response = client_for(manager).post(
        f"/units/{tree.ward_a.pk}/reorganise/split/",
        {"date": "", "new_units": "chỉ một dòng", "new_kind": "grassroots_org", "members_to": 1},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "date" in errors and "new_units" in errors
    assert "Dòng 1" in errors["new_units"][0]


def test_choices_are_limited_to_the_managers_scope(tree):
    """A city manager cannot move a ward under the other town: it is not offered."""
    city_manager = make_user("organisation", tree.city)
    response = _post(client_for(city_manager), tree.ward_a, "move", {"parent": tree.other.pk})
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert tree.ward_a.parent_on(D(2025, 7, 1)) == tree.city


def test_users_without_the_capability_get_404(tree, users):
    """The inspection role may see the ward but not change the tree: 404, not 403."""
    client = client_for(users.authorised)
    for kind in ("establish", "rename", "move", "merge", "split", "dissolve"):
        assert client.get(f"/units/{tree.ward_a.pk}/reorganise/{kind}/").status_code == 404
    manager = make_user("organisation", tree.city)
    assert (
        client_for(manager).get(f"/units/{tree.cell_o1.pk}/reorganise/rename/").status_code == 404
    )
    assert (
        client_for(manager).get(f"/units/{tree.ward_a.pk}/reorganise/nonsense/").status_code == 404
    )
