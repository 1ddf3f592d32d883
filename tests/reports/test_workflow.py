"""A report goes draft → submitted → (returned → submitted) → accepted → signed, each step by
whoever the rules allow: the unit drafts and submits, the level above returns or accepts,
the unit's leader signs. Anything else is refused."""

import pytest
from django.core.exceptions import PermissionDenied

from giamsat.reports import services
from giamsat.reports.models import ReportAction, ReportStatus
from tests.reports.conftest import END, START, advance, make_report


@pytest.fixture
def report(tree, template, report_users):
    return make_report(tree.city, template, user=report_users.office)


def test_the_full_workflow_records_every_step(report, report_users):
    advance(report, "submit", "return", users=report_users, comment="Bổ sung số liệu thực tế")
    assert report.status == ReportStatus.RETURNED
    advance(report, "submit", "accept", "sign", users=report_users)
    assert report.status == ReportStatus.SIGNED
    actions = list(report.events.values_list("action", "from_status", "to_status"))
    assert actions == [
        (ReportAction.GENERATE, "", "draft"),
        (ReportAction.SUBMIT, "draft", "submitted"),
        (ReportAction.RETURN, "submitted", "returned"),
        (ReportAction.SUBMIT, "returned", "submitted"),
        (ReportAction.ACCEPT, "submitted", "accepted"),
        (ReportAction.SIGN, "accepted", "signed"),
    ]
    returned = report.events.get(action=ReportAction.RETURN)
    assert returned.comment == "Bổ sung số liệu thực tế"
    assert returned.actor == report_users.province_leader


def test_returning_needs_a_comment(report, report_users):
    advance(report, "submit", users=report_users)
    with pytest.raises(services.ReportError):
        services.return_report(
            report=report,
            expected_version=report.version,
            acting_user=report_users.province_leader,
            comment="  ",
        )


def test_the_unit_cannot_review_its_own_report(report, report_users):
    """REVIEW_REPORTS at the city itself does not let the city accept the city's report."""
    advance(report, "submit", users=report_users)
    with pytest.raises(PermissionDenied):
        services.accept_report(
            report=report, expected_version=report.version, acting_user=report_users.city_leader
        )


def test_only_the_unit_side_submits(report, report_users):
    with pytest.raises(PermissionDenied):
        services.submit_report(
            report=report,
            expected_version=report.version,
            acting_user=report_users.province_leader,
        )


def test_an_outsider_can_do_nothing(report, report_users):
    for step in (services.submit_report,):
        with pytest.raises(PermissionDenied):
            step(report=report, expected_version=report.version, acting_user=report_users.outsider)
    with pytest.raises(PermissionDenied):
        services.update_report(
            report=report,
            expected_version=report.version,
            acting_user=report_users.outsider,
            subject="x",
        )


@pytest.mark.parametrize(
    ("steps", "action"),
    [
        ((), "accept"),
        ((), "sign"),
        (("submit",), "sign"),
        (("submit", "accept"), "submit"),
        (("submit", "accept", "sign"), "return"),
    ],
)
def test_steps_out_of_order_are_refused(report, report_users, steps, action):
    advance(report, *steps, users=report_users)
    call = getattr(services, f"{action}_report")
    kwargs = {"report": report, "expected_version": report.version, "acting_user": None}
    if action == "return":
        kwargs["comment"] = "x"
    with pytest.raises(services.ReportError):
        call(**kwargs)


def test_only_drafts_and_returned_reports_can_be_edited(report, report_users):
    services.update_report(
        report=report,
        expected_version=report.version,
        acting_user=report_users.office,
        sections=[("I.", "Văn bản mới {test.joined}")],
    )
    assert report.sections.get().text == "Văn bản mới {test.joined}"
    advance(report, "submit", users=report_users)
    with pytest.raises(services.ReportError):
        services.update_report(
            report=report,
            expected_version=report.version,
            acting_user=report_users.office,
            subject="x",
        )


def test_signing_needs_a_signer(report, report_users):
    advance(report, "submit", "accept", users=report_users)
    with pytest.raises(services.ReportError):
        services.sign_report(
            report=report,
            expected_version=report.version,
            acting_user=report_users.city_leader,
            signer_name=" ",
        )


def test_all_children_first_waits_for_every_ward(tree, template, report_users):
    city = make_report(tree.city, template, user=report_users.office, require_children_first=True)
    with pytest.raises(services.ReportError) as error:
        services.submit_report(
            report=city, expected_version=city.version, acting_user=report_users.office
        )
    assert "Đảng bộ phường Trường Thi" in str(error.value)
    for ward in (tree.ward_a, tree.ward_b):
        r = make_report(ward, template, user=report_users.office)
        services.submit_report(report=r, expected_version=r.version, acting_user=None)
        services.accept_report(
            report=r, expected_version=r.version, acting_user=report_users.city_leader
        )
    city.refresh_from_db()
    services.submit_report(
        report=city, expected_version=city.version, acting_user=report_users.office
    )
    assert city.status == ReportStatus.SUBMITTED


def test_a_report_needs_a_period_in_order(tree, template):
    with pytest.raises(services.ReportError):
        services.generate_report(
            unit=tree.city, start=END, end=START, template=template, acting_user=None
        )


def test_the_header_follows_the_unit(report):
    assert report.superior_body == "ĐẢNG BỘ TỈNH THANH HÓA"
    assert report.issuing_body == "THÀNH ỦY THANH HÓA"
    assert report.issuer_code == "TU"
    assert report.symbol == "…-BC/TU"
