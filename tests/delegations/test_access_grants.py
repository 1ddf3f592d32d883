"""Members linked to a user see the target units during the working period, through a
delegation_member role assignment at each target (accounts.scoping stays the one access
function); the grants follow the targets, the members and the period."""

import datetime as dt

import time_machine

from giamsat.accounts.models import RoleAssignment
from giamsat.accounts.roles import Cap, Role
from giamsat.accounts.scoping import clear_role_cache, unit_in_scope
from giamsat.delegations import services
from giamsat.delegations.models import Delegation
from tests.conftest import client_for
from tests.factories import make_user


def test_a_linked_member_gets_a_role_at_each_target_for_the_period(delegation, d_users, tree):
    grants = RoleAssignment.objects.filter(user=d_users.member)
    assert {(g.unit, g.role) for g in grants} == {
        (tree.city, Role.DELEGATION_MEMBER),
        (tree.ward_a, Role.DELEGATION_MEMBER),
    }
    assert {(g.valid_from, g.valid_to) for g in grants} == {
        (dt.date(2022, 9, 1), dt.date(2022, 10, 31))
    }


@time_machine.travel(dt.datetime(2022, 9, 30, 9, 0), tick=False)
def test_during_the_period_the_member_sees_the_targets_and_not_others(delegation, d_users, tree):
    clear_role_cache(d_users.member)
    assert unit_in_scope(d_users.member, tree.city, Cap.VIEW_REPORTS)
    assert unit_in_scope(d_users.member, tree.cell_b1, Cap.VIEW_REPORTS)
    assert not unit_in_scope(d_users.member, tree.other, Cap.VIEW_REPORTS)


@time_machine.travel(dt.datetime(2022, 11, 15, 9, 0), tick=False)
def test_after_the_period_the_access_ends(delegation, d_users, tree):
    clear_role_cache(d_users.member)
    assert not unit_in_scope(d_users.member, tree.city, Cap.VIEW_REPORTS)
    # but the member still finds the delegation itself
    assert Delegation.objects.visible_to(d_users.member).filter(pk=delegation.pk).exists()


def test_grants_follow_targets_members_and_dates(delegation, d_users, tree):
    services.add_target(delegation=delegation, unit=tree.ward_b, acting_user=d_users.central_office)
    assert RoleAssignment.objects.filter(user=d_users.member, unit=tree.ward_b).exists()
    target = delegation.targets.get(unit=tree.ward_a)
    services.remove_target(target=target, acting_user=d_users.central_office)
    assert not RoleAssignment.objects.filter(user=d_users.member, unit=tree.ward_a).exists()
    services.update_delegation(
        delegation=delegation, acting_user=d_users.central_office, work_end=dt.date(2022, 12, 31)
    )
    assert set(
        RoleAssignment.objects.filter(user=d_users.member).values_list("valid_to", flat=True)
    ) == {dt.date(2022, 12, 31)}
    member = delegation.members.get(user=d_users.member)
    services.remove_member(member=member, acting_user=d_users.central_office)
    assert not RoleAssignment.objects.filter(user=d_users.member).exists()


@time_machine.travel(dt.datetime(2022, 9, 30, 9, 0), tick=False)
def test_who_sees_the_delegation(delegation, d_users):
    def sees(user):
        return client_for(user).get(f"/delegations/{delegation.pk}/").status_code == 200

    assert sees(d_users.central_office)  # the deciding body
    assert sees(d_users.member)  # a member
    assert sees(d_users.host_office)  # a target's staff
    assert not sees(d_users.ward_office)  # ward B is not a target
    assert not sees(d_users.outsider)


@time_machine.travel(dt.datetime(2022, 9, 30, 9, 0), tick=False)
def test_a_target_sees_only_the_parts_about_itself(delegation, d_users, tree):
    services.make_request(
        delegation=delegation,
        unit=tree.city,
        kind="add_figures",
        text="Bổ sung số liệu thực tế.",
        deadline=dt.date(2022, 10, 10),
        acting_user=d_users.member,
    )
    services.make_request(
        delegation=delegation,
        unit=tree.ward_a,
        kind="name_people",
        text="Chỉ rõ người, rõ việc.",
        deadline=dt.date(2022, 10, 10),
        acting_user=d_users.member,
    )
    ward_a_office = client_for(make_user(Role.COMMITTEE_OFFICE, tree.ward_a, username="w_a"))
    page = ward_a_office.get(f"/delegations/{delegation.pk}/")
    assert [r.unit for r, _late, _ok in page.context["requests"]] == [tree.ward_a]
    assert not page.context["sees_all"]
    page = client_for(d_users.host_office).get(f"/delegations/{delegation.pk}/")
    assert len(page.context["requests"]) == 2  # the city's scope includes its ward
