"""A working delegation sent by the central committee to the city and one of its wards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from giamsat.accounts.roles import Role
from giamsat.delegations import services
from giamsat.delegations.models import MemberRole
from tests.factories import make_user


@dataclass
class DelegationUsers:
    central_office: object  # committee office at the centre: manages delegations
    member: object  # a plain user who is a member of the delegation
    host_office: object  # the city's committee office: answers requests
    ward_office: object  # a ward's office: sees only its own part
    outsider: object


@pytest.fixture
def d_users(tree) -> DelegationUsers:
    return DelegationUsers(
        central_office=make_user(Role.COMMITTEE_OFFICE, tree.central, username="office_central"),
        member=make_user(None, None, username="delegation_member"),
        host_office=make_user(Role.COMMITTEE_OFFICE, tree.city, username="office_host"),
        ward_office=make_user(Role.COMMITTEE_OFFICE, tree.ward_b, username="office_ward_b"),
        outsider=make_user(Role.COMMITTEE_OFFICE, tree.other, username="office_outsider"),
    )


@pytest.fixture
def delegation(tree, d_users):
    d = services.create_delegation(
        name="Đoàn công tác của Ban Bí thư Trung ương Đảng",
        deciding_body=tree.central,
        decision_symbol="Số 85 -QĐ/TƯ",
        decision_date=dt.date(2022, 8, 15),
        review_start=dt.date(2019, 1, 1),
        review_end=dt.date(2022, 9, 30),
        work_start=dt.date(2022, 9, 1),
        work_end=dt.date(2022, 10, 31),
        targets=[tree.city, tree.ward_a],
        acting_user=d_users.central_office,
    )
    services.add_member(
        delegation=d,
        role=MemberRole.DEPUTY_HEAD,
        full_name="Nguyễn Lam",
        post_title="Phó Trưởng Ban Dân vận Trung ương",
        agency="Ban Dân vận Trung ương",
        acting_user=d_users.central_office,
    )
    services.add_member(
        delegation=d,
        role=MemberRole.MEMBER,
        full_name="Trần Văn Thành Viên",
        agency="Văn phòng Trung ương Đảng",
        user=d_users.member,
        acting_user=d_users.central_office,
    )
    return d
