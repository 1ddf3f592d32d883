"""Fixtures of the report tests: test-only indicators (registered for one test and removed
after it), users at each level, a template, and report helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db.models import Q

from giamsat.accounts.roles import Cap, Role
from giamsat.indicators.registry import REGISTRY, Column, Indicator, IndicatorQuery, register
from giamsat.people.models import Membership
from giamsat.reports import services
from giamsat.reports.models import ReportTemplate
from tests.factories import make_member, make_user

START = dt.date(2019, 1, 1)
END = dt.date(2022, 9, 30)
IN_PERIOD = dt.date(2020, 5, 1)


def _joined(query: IndicatorQuery):
    """Memberships that started in the period under the unit (test-only figure)."""
    return Membership.objects.filter(
        query.in_subtree("unit"), query.in_period("valid_from")
    ).select_related("person", "unit")


def _all_members(query: IndicatorQuery):
    return Membership.objects.filter(
        query.in_subtree("unit"),
        Q(valid_to__isnull=True) | Q(valid_to__gte=query.end),
        valid_from__lte=query.end,
    )


def _broken(query: IndicatorQuery):
    raise RuntimeError("this test indicator always fails")


TEST_INDICATORS = [
    Indicator(
        code="test.joined",
        label="đảng viên mới chuyển đến",
        definition="memberships that started in the period",
        unit_of_measure="người",
        domain="test",
        capability=Cap.VIEW_PEOPLE,
        records=_joined,
        columns=(
            Column("Họ và tên", lambda m: m.person.full_name),
            Column("Chi bộ", lambda m: m.unit.name),
        ),
    ),
    Indicator(
        code="test.joined_rate",
        label="tỷ lệ mới chuyển đến",
        definition="joined / all members at the end",
        unit_of_measure="%",
        domain="test",
        capability=Cap.VIEW_PEOPLE,
        records=_joined,
        denominator=_all_members,
    ),
    Indicator(
        code="test.discipline_like",
        label="hồ sơ nhạy cảm",
        definition="same records, needs the discipline capability",
        unit_of_measure="người",
        domain="test",
        capability=Cap.VIEW_DISCIPLINE,
        records=_joined,
    ),
    Indicator(
        code="test.broken",
        label="chỉ số lỗi",
        definition="always fails",
        unit_of_measure="",
        domain="test",
        capability=Cap.VIEW_REPORTS,
        records=_broken,
    ),
]


@pytest.fixture
def test_indicators():
    """Register the test-only indicators for one test; remove them afterwards."""
    for indicator in TEST_INDICATORS:
        register(indicator)
    yield {i.code: i for i in TEST_INDICATORS}
    for indicator in TEST_INDICATORS:
        REGISTRY.pop(indicator.code, None)


@dataclass
class ReportUsers:
    office: object  # committee office at the city: drafts and submits
    city_leader: object  # leader at the city: signs the city's report, reviews its wards
    province_leader: object  # leader at the province: reviews the city's report
    outsider: object  # committee office at another city
    city_inspector: object  # inspection commission at the city (sees discipline)


@pytest.fixture
def report_users(tree) -> ReportUsers:
    return ReportUsers(
        office=make_user(Role.COMMITTEE_OFFICE, tree.city, username="office_city"),
        city_leader=make_user(Role.LEADER, tree.city, username="r_leader_city"),
        province_leader=make_user(Role.LEADER, tree.province, username="leader_province"),
        outsider=make_user(Role.COMMITTEE_OFFICE, tree.other, username="office_other"),
        city_inspector=make_user(Role.INSPECTION, tree.city, username="inspector_city"),
    )


@pytest.fixture
def template(db) -> ReportTemplate:
    return ReportTemplate.objects.create(
        code="test-template",
        name="Mẫu thử",
        subject="Kết quả thực hiện {report.directives}",
        sections=[
            {
                "heading": "I. KẾT QUẢ",
                "text": (
                    "Từ {report.from} đến {report.to} có {test.joined} đảng viên mới chuyển đến, "
                    "đạt {test.joined_rate}.\n"
                    "Số liệu chưa có: {absent.inspections} cuộc thanh tra."
                ),
            },
            {"heading": "II. KIẾN NGHỊ", "text": "{report.recommendations}"},
        ],
        appendices=["figures_by_child", "discipline", "good_practices", "recommendations"],
        figure_codes=["test.joined", "absent.inspections"],
    )


@pytest.fixture
def joined(tree, members):
    """Three memberships that started in the period: two in ward A, one in ward B."""
    return [
        make_member(tree.cell_a1, valid_from=IN_PERIOD, full_name="Trần Thị Ánh"),
        make_member(tree.cell_a2, valid_from=IN_PERIOD, full_name="Lê Văn Đức"),
        make_member(tree.cell_b1, valid_from=IN_PERIOD, full_name="Phạm Ngọc Ấn"),
    ]


def make_report(unit, template, *, user=None, source="generated", **kwargs):
    return services.generate_report(
        unit=unit,
        start=kwargs.pop("start", START),
        end=kwargs.pop("end", END),
        template=template,
        source=source,
        acting_user=user,
        **kwargs,
    )


def advance(report, *steps, users: ReportUsers, comment: str = "ok"):
    """Take workflow steps with the users who are allowed to take them."""
    actors = {
        "submit": users.office,
        "return": users.province_leader,
        "accept": users.province_leader,
        "sign": users.city_leader,
    }
    for step in steps:
        report.refresh_from_db()
        kwargs = {"report": report, "expected_version": report.version, "acting_user": actors[step]}
        if step == "sign":
            services.sign_report(**kwargs, signer_name="Nguyễn Văn Ký", number=12)
        elif step == "return":
            services.return_report(**kwargs, comment=comment)
        else:
            getattr(services, f"{step}_report")(**kwargs)
    report.refresh_from_db()
    return report
