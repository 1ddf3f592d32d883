"""A citizen sends a denunciation on the hotline from a phone and gets a receipt code; staff
classify it, accept it as the competent body, conclude and answer; the citizen later reads
the status and the answer with the code."""

from __future__ import annotations

import re

from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD, add_totp_device, make_user

PHONE = {"width": 390, "height": 844}


def test_citizen_to_staff_to_citizen(browser, live_server, transactional_db, tree, settings):
    settings.GIAMSAT_HOTLINE_UNITS = [tree.city.code]
    citizen = browser.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True)
    page = citizen.new_page()
    page.set_default_timeout(15000)
    base = live_server.url

    # 1. The citizen writes from a phone.
    page.goto(base + "/hotline/")
    assert "Gửi đơn khiếu nại, tố cáo" in page.inner_text("h1")
    page.check("#id_declared_class_0")
    page.fill(
        "#id_content",
        "Ngày 12/02, cán bộ địa chính phường Trường Thi yêu cầu tôi nộp 5 triệu đồng "
        "ngoài quy định để được nhận giấy chứng nhận quyền sử dụng đất.",
    )
    page.fill("#id_subject_text", "Cán bộ địa chính phường Trường Thi")
    page.fill("#id_place", "phường Trường Thi")
    page.select_option("#id_topic", "corruption")
    page.fill("#id_full_name", "Lê Thị Người Gửi")
    page.fill("#id_phone", "0987654321")
    page.check("#id_confirm")
    screenshot(page, "petitions-1-hotline-form-phone")
    page.click("#hotline-submit")
    page.wait_for_selector("#receipt-code")
    code = page.inner_text("#receipt-code").strip()
    assert re.fullmatch(r"(\d{4} ){4}\d{4}", code)
    assert code.replace(" ", "") not in page.url
    screenshot(page, "petitions-2-hotline-receipt-phone")

    # 2. Staff of the city's inspection commission handle it.
    officer = make_user("inspection", tree.city, username="ubkt_e2e", first_name="Cán bộ UBKT")
    device = add_totp_device(officer)
    staff = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    spage = staff.new_page()
    spage.set_default_timeout(15000)
    spage.base_url = base
    login(spage, "ubkt_e2e", PASSWORD, totp_device=device)
    spage.goto(base + "/petitions/")
    assert "Lê Thị Người Gửi" not in spage.content()
    screenshot(spage, "petitions-3-staff-list")
    spage.click("#petition-table tbody a")
    spage.wait_for_selector("#action-classify")
    assert "Lê Thị Người Gửi" not in spage.content()
    spage.select_option("#classify-petition_class", "denunciation")
    spage.select_option("#classify-matter", "party")
    spage.fill("#classify-summary", "Tố cáo cán bộ địa chính đòi tiền ngoài quy định")
    spage.check("#classify-admissible_0")
    spage.fill("#subject-q", "Trường Thi")
    spage.wait_for_selector("#subject-results input[name=subject_units]")
    spage.locator("#subject-results input[name=subject_units]").first.check()
    spage.click("#submit-classify")
    spage.wait_for_selector(".alert-success")
    spage.click("#action-accept summary")
    spage.click("#submit-accept")
    spage.wait_for_selector("#deadline-explanation")
    assert "Điều 147" in spage.inner_text("#deadline-explanation")
    screenshot(spage, "petitions-4-staff-accepted-with-deadline")
    spage.click("#action-conclude summary")
    spage.select_option("#conclude-outcome", "partly_founded")
    spage.fill("#conclude-conclusion", "Tố cáo đúng một phần; yêu cầu cán bộ kiểm điểm, hoàn trả.")
    spage.click("#submit-conclude")
    spage.wait_for_selector(".alert-success")
    spage.click("#action-answer summary")
    spage.fill(
        "#answer-text",
        "Ủy ban Kiểm tra Thành ủy đã xem xét đơn của ông/bà: nội dung tố cáo đúng một phần; "
        "cán bộ đã bị kiểm điểm và phải hoàn trả số tiền đã thu.",
    )
    spage.click("#submit-answer")
    spage.wait_for_selector(".alert-success")
    assert "đã trả lời" in spage.inner_text("#petition-status")
    screenshot(spage, "petitions-5-staff-answered")

    # 3. The citizen comes back with the code.
    page.goto(base + "/hotline/status/")
    page.fill("#id_code", code)
    page.click("#lookup-submit")
    page.wait_for_selector("#public-answer")
    assert "nội dung tố cáo đúng một phần" in page.inner_text("#public-answer")
    assert "Đã trả lời." in page.inner_text("#public-status")
    screenshot(page, "petitions-6-hotline-status-answer-phone")
    citizen.close()
    staff.close()
