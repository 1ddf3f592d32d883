"""Shared fixtures: a small party tree, people, users with roles, logged-in clients."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.test import Client

from giamsat.accounts.roles import Role
from giamsat.units.models import OrganKind, Unit, UnitKind
from tests.factories import make_member, make_unit, make_user

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class Tree:
    """central ⊃ province ⊃ {city ⊃ {ward_a ⊃ {cell_a1, cell_a2}, ward_b ⊃ {cell_b1}}, other ⊃ {cell_o1}}"""

    central: Unit
    central_inspection: Unit
    province: Unit
    city: Unit
    city_inspection: Unit
    ward_a: Unit
    cell_a1: Unit
    cell_a2: Unit
    ward_b: Unit
    cell_b1: Unit
    other: Unit
    cell_o1: Unit


@pytest.fixture
def tree(db) -> Tree:
    central = make_unit("Ban Chấp hành Trung ương", UnitKind.CENTRAL_COMMITTEE, issuer_code="TW")
    central_inspection = make_unit(
        "Ủy ban Kiểm tra Trung ương",
        UnitKind.ORGAN,
        central,
        organ_kind=OrganKind.INSPECTION_COMMISSION,
        issuer_code="UBKTTW",
    )
    province = make_unit("Đảng bộ tỉnh Thanh Hóa", UnitKind.UNDER_CENTRE, central, issuer_code="TU")
    city = make_unit(
        "Đảng bộ thành phố Thanh Hóa", UnitKind.UPPER_GRASSROOTS, province, issuer_code="TU"
    )
    city_inspection = make_unit(
        "Ủy ban Kiểm tra Thành ủy", UnitKind.ORGAN, city, organ_kind=OrganKind.INSPECTION_COMMISSION
    )
    ward_a = make_unit("Đảng bộ phường Trường Thi", UnitKind.GRASSROOTS_ORG, city, issuer_code="ĐU")
    cell_a1 = make_unit("Chi bộ khu phố 1", UnitKind.CELL, ward_a)
    cell_a2 = make_unit("Chi bộ khu phố 2", UnitKind.CELL, ward_a)
    ward_b = make_unit("Đảng bộ phường Điện Biên", UnitKind.GRASSROOTS_ORG, city, issuer_code="ĐU")
    cell_b1 = make_unit("Chi bộ khu phố 3", UnitKind.CELL, ward_b)
    other = make_unit("Đảng bộ thị xã Sầm Sơn", UnitKind.UPPER_GRASSROOTS, province)
    cell_o1 = make_unit("Chi bộ Sầm Sơn 1", UnitKind.GRASSROOTS_CELL, other)
    return Tree(
        central,
        central_inspection,
        province,
        city,
        city_inspection,
        ward_a,
        cell_a1,
        cell_a2,
        ward_b,
        cell_b1,
        other,
        cell_o1,
    )


@pytest.fixture
def members(tree):
    """Two members per cell."""
    return {
        cell.code: [make_member(cell), make_member(cell)]
        for cell in (tree.cell_a1, tree.cell_a2, tree.cell_b1, tree.cell_o1)
    }


@dataclass
class Users:
    """authorised (inspection at the city), read-only (leader at the city), outsider (other)."""

    authorised: object
    read_only: object
    outsider: object
    admin: object


@pytest.fixture
def users(tree) -> Users:
    return Users(
        authorised=make_user(Role.INSPECTION, tree.city, username="ubkt_city"),
        read_only=make_user(Role.LEADER, tree.city, username="leader_city"),
        outsider=make_user(Role.INSPECTION, tree.other, username="ubkt_other"),
        admin=make_user(Role.SYSTEM_ADMIN, tree.central, username="sysadmin"),
    )


def client_for(user) -> Client:
    """A test client logged in as ``user`` with the second factor already verified."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def client_as():
    return client_for


def pytest_terminal_summary(terminalreporter):
    """Print the figures tests record for CI logs (also under xdist, where print is lost):
    ``record_property("giamsat_count", (label, n))`` adds n to label's total;
    ``record_property("giamsat_summary", text)`` prints the text."""
    totals: dict[str, int] = {}
    lines: list[str] = []
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "call":
                continue
            for name, value in getattr(report, "user_properties", ()):
                if name == "giamsat_count":
                    label, count = value
                    totals[label] = totals.get(label, 0) + int(count)
                elif name == "giamsat_summary":
                    lines.append(str(value))
    if totals or lines:
        terminalreporter.section("giamsat figures")
        for label, count in sorted(totals.items()):
            terminalreporter.write_line(f"{label}: {count}")
        for line in lines:
            terminalreporter.write_line(line)
