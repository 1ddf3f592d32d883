"""In a real browser: the pages run under the strict CSP without a single violation, the audit
page works for the inspection commission (also on a phone), and a locked-out user sees the
Vietnamese lockout page."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings

from giamsat.accounts.roles import Role
from giamsat.audit.context import acting_as
from giamsat.audit.models import AccessKind
from giamsat.audit.services import record_access
from giamsat.units.services import rename_unit
from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD, add_totp_device, make_user

WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


def _watch(page) -> list[str]:
    messages: list[str] = []
    page.add_init_script(WATCH_CSP)
    page.on(
        "console",
        lambda msg: messages.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return messages


def _violations(page) -> list[str]:
    return page.evaluate("window.__csp || []")


def test_pages_run_without_csp_violations_and_the_audit_page_works(page, tree, members):
    console = _watch(page)
    officer = make_user(Role.INSPECTION, tree.city, username="ubkt_e2e", first_name="Trần Thị Kiểm")
    device = add_totp_device(officer)
    leader = make_user(Role.LEADER, tree.city, username="lanhdao_e2e")
    person = members[tree.cell_a1.code][0]
    record_access(actor=leader, kind=AccessKind.READ, obj=person, reason="xem hồ sơ đảng viên")
    with acting_as(officer):
        rename_unit(unit=tree.ward_a, name="Đảng bộ phường Hạc Thành", date=dt.date(2025, 7, 1))

    login(page, "ubkt_e2e", PASSWORD, totp_device=device)
    page.wait_for_selector("h1")
    seen = []
    for path in ("/", "/accounts/me/", "/audit/", "/audit/changes/", "/units/"):
        page.goto(page.base_url + path)
        page.wait_for_load_state("networkidle")
        seen.extend(f"{path}: {v}" for v in _violations(page))
    assert seen == [] and console == [], seen + console

    page.goto(page.base_url + "/audit/")
    assert "Nhật ký truy cập và thay đổi" in page.inner_text("h1")
    assert str(person) in page.inner_text("#audit-table")
    page.fill("#id_person", "lanhdao")
    page.click("#audit-filters button[type=submit]")
    page.wait_for_selector("#audit-count")
    assert "lanhdao_e2e" in page.inner_text("#audit-table")
    screenshot(page, "security-audit-access")

    page.goto(page.base_url + "/audit/changes/")
    table = page.inner_text("#audit-table")
    assert "Đảng bộ phường Trường Thi" in table and "Đảng bộ phường Hạc Thành" in table
    screenshot(page, "security-audit-changes")

    with page.expect_download() as download:
        page.click("#audit-export")
    assert download.value.suggested_filename.startswith("nhat-ky-thay-doi-")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + "/audit/")
    screenshot(page, "security-audit-phone")
    assert _violations(page) == []


def test_a_locked_out_user_sees_the_vietnamese_page(page, tree):
    make_user(Role.COMMITTEE_OFFICE, tree.city, username="office_e2e")
    with override_settings(AXES_ENABLED=True):
        for _ in range(5):
            page.goto(page.base_url + "/accounts/login/")
            page.fill("#id_username", "office_e2e")
            page.fill("#id_password", "wrong password")
            page.click("#login-submit")
        page.goto(page.base_url + "/accounts/login/")
        page.fill("#id_username", "office_e2e")
        page.fill("#id_password", PASSWORD)
        page.click("#login-submit")
        page.wait_for_selector("#locked-out")
        text = page.inner_text("#locked-out")
    assert "Tạm khóa đăng nhập" in text and "30 phút" in text
    screenshot(page, "security-lockout")
