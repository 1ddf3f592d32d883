"""One demo login per role (password printed by ``giamsat demo``)."""

from __future__ import annotations

import datetime as dt

from giamsat.accounts.models import RoleAssignment, User
from giamsat.accounts.roles import Role
from giamsat.core.demo import DEMO_PASSWORD, DemoContext

# (username, display name, role, unit code, agency)
DEMO_USERS = [
    ("admin", "Quản trị hệ thống", Role.SYSTEM_ADMIN, "TW", "giamsat"),
    ("ubkt.tw", "Cán bộ UBKT Trung ương", Role.INSPECTION, "TW", "Cơ quan UBKT Trung ương"),
    (
        "doan.tw",
        "Thành viên đoàn kiểm tra",
        Role.DELEGATION_MEMBER,
        "TH",
        "Văn phòng Trung ương Đảng",
    ),
    ("lanhdao.tinh", "Lãnh đạo Tỉnh ủy", Role.LEADER, "TH", "Tỉnh ủy Thanh Hóa"),
    (
        "vanphong.tinh",
        "Chuyên viên Văn phòng Tỉnh ủy",
        Role.COMMITTEE_OFFICE,
        "TH",
        "Văn phòng Tỉnh ủy",
    ),
    ("ubkt.tinh", "Cán bộ UBKT Tỉnh ủy", Role.INSPECTION, "TH", "Cơ quan UBKT Tỉnh ủy"),
    ("lanhdao.tp", "Lãnh đạo Thành ủy", Role.LEADER, "TP", "Thành ủy Thanh Hóa"),
    (
        "vanphong.tp",
        "Chuyên viên Văn phòng Thành ủy",
        Role.COMMITTEE_OFFICE,
        "TP",
        "Văn phòng Thành ủy",
    ),
    ("ubkt.tp", "Cán bộ UBKT Thành ủy", Role.INSPECTION, "TP", "Cơ quan UBKT Thành ủy"),
    (
        "bantochuc.tp",
        "Chuyên viên Ban Tổ chức Thành ủy",
        Role.ORGANISATION,
        "TP",
        "Ban Tổ chức Thành ủy",
    ),
    ("donthu.tp", "Cán bộ tiếp nhận đơn thư", Role.PETITION_OFFICER, "TP", "Cơ quan UBKT Thành ủy"),
    ("baomat.tp", "Người giữ bí mật danh tính", Role.CUSTODIAN, "TP", "Cơ quan UBKT Thành ủy"),
    (
        "bithu.chibo",
        "Bí thư chi bộ (demo)",
        Role.CELL_SECRETARY,
        "TP-TRUONGTHI-CB01",
        "Chi bộ khu phố 1",
    ),
]


def load(ctx: DemoContext) -> None:
    for username, name, role, unit_code, agency in DEMO_USERS:
        user = User(
            username=username,
            first_name=name,
            agency=agency,
            is_staff=role == Role.SYSTEM_ADMIN,
            is_superuser=role == Role.SYSTEM_ADMIN,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        unit = ctx.units[unit_code]
        RoleAssignment.objects.create(
            user=user, role=role, unit=unit, valid_from=dt.date(2015, 1, 1)
        )
        ctx.users.append((username, str(Role(role).label), unit.name))
        ctx.data.setdefault("users", {})[username] = user
