"""In the browser: the city's office generates and submits a report, the province returns it
with a comment, the office resubmits, the province accepts, the city's leader signs, and the
signed report downloads as a DOCX in the party format."""

import io
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from docx import Document

from giamsat.accounts.models import User
from giamsat.accounts.roles import Role
from giamsat.indicators.registry import REGISTRY, register
from giamsat.reports.models import Report
from giamsat.reports.services import record_good_practice, sync_builtin_templates
from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD, add_totp_device, make_member, make_user
from tests.reports.conftest import IN_PERIOD, TEST_INDICATORS


@pytest.fixture
def test_indicators():
    for indicator in TEST_INDICATORS:
        register(indicator)
    yield
    for indicator in TEST_INDICATORS:
        REGISTRY.pop(indicator.code, None)


def _as(browser, live_server, username):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    page.base_url = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    # leaders' roles require the second factor; every login here answers it if asked
    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user).first() or add_totp_device(user)
    login(page, username, PASSWORD, totp_device=device)
    return context, page


def test_submit_return_resubmit_accept_sign_download(
    browser, live_server, transactional_db, tree, test_indicators
):
    sync_builtin_templates()
    make_user(Role.COMMITTEE_OFFICE, tree.city, username="vp_tp")
    make_user(Role.LEADER, tree.province, username="ld_tinh")
    make_user(Role.LEADER, tree.city, username="ld_tp")
    make_member(tree.cell_a1, valid_from=IN_PERIOD, full_name="Trần Thị Ánh")

    office_ctx, office = _as(browser, live_server, "vp_tp")
    office.goto(live_server.url + "/reports/new/")
    office.select_option("#id_unit", str(tree.city.pk))
    office.fill("#id_period_start", "2019-01-01")
    office.fill("#id_period_end", "2022-09-30")
    office.click("#generate-report")
    office.wait_for_selector("#report-document")
    report = Report.objects.get(unit=tree.city)
    # every figure of the template is registered: each is a link to its records
    assert "gs-fig-missing" not in office.content()
    assert office.locator("a.gs-fig").count() >= 8
    screenshot(office, "reports-1-draft")
    office.click("#submit-report")
    office.wait_for_selector(".alert-success")
    report.refresh_from_db()
    assert report.status == "submitted"

    province_ctx, province = _as(browser, live_server, "ld_tinh")
    province.goto(live_server.url + f"/reports/{report.pk}/")
    province.fill("#return-comment", "Bổ sung số liệu thực tế; chỉ rõ người, rõ việc.")
    province.click("#return-report")
    province.wait_for_selector(".alert-success")
    screenshot(province, "reports-2-returned")
    report.refresh_from_db()
    assert report.status == "returned"

    office.goto(live_server.url + f"/reports/{report.pk}/")
    assert "Bổ sung số liệu thực tế; chỉ rõ người, rõ việc." in office.inner_text("#report-history")
    office.click("#edit-report")
    office.fill("#id_h-place", "Thanh Hóa")
    office.click("#save-report")
    office.wait_for_selector("#report-document")
    office.fill("#submit-comment", "Đã bổ sung.")
    office.click("#submit-report")
    office.wait_for_selector(".alert-success")

    province.goto(live_server.url + f"/reports/{report.pk}/")
    province.click("#accept-report")
    province.wait_for_selector(".alert-success")
    report.refresh_from_db()
    assert report.status == "accepted"

    city_ctx, city = _as(browser, live_server, "ld_tp")
    city.goto(live_server.url + f"/reports/{report.pk}/")
    city.fill("#id_number", "125")
    city.fill("#id_document_date", "2022-09-30")
    city.fill("#id_signer_name", "Lê Anh Xuân")
    city.click("#sign-report")
    city.wait_for_selector(".alert-success")
    report.refresh_from_db()
    assert report.status == "signed" and len(report.frozen_hash) == 64
    assert report.frozen_hash in city.content()
    screenshot(city, "reports-3-signed")

    with city.expect_download() as info:
        city.click("#download-docx")
    download = info.value
    data = Path(download.path()).read_bytes()
    document = Document(io.BytesIO(data))
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in cells
    assert "Số 125-BC/TU" in cells
    assert "Thanh Hóa, ngày 30 tháng 9 năm 2022" in cells
    body = " ".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in body

    # a record written after the signature: the frozen report keeps its figure, the
    # comparison shows the difference
    record_good_practice(
        unit=tree.ward_a,
        title="Sổ theo dõi học tập nghị quyết",
        description="Ghi nhận sau khi ký.",
        period_start=IN_PERIOD,
        acting_user=None,
    )
    city.click("#compare-report")
    city.wait_for_selector("#compare-table")
    assert city.locator("#compare-table tr.gs-changed").count() == 1
    assert "reports.good_practices" in city.inner_text("#compare-table tr.gs-changed")
    screenshot(city, "reports-4-compare")
    for ctx in (office_ctx, province_ctx, city_ctx):
        ctx.close()
