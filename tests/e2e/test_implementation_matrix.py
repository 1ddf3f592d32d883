"""In the browser, a committee office opens the city's matrix, marks a ward's plan as issued,
and sees the completion rate change; the dashboard draws its charts."""

from __future__ import annotations

import datetime as dt

from giamsat.accounts.roles import Role
from giamsat.core.dates import today
from giamsat.implementation import services
from giamsat.implementation.models import Fulfilment
from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD, make_user
from tests.implementation.factories import make_directive


def _setup(tree):
    office = make_user(Role.COMMITTEE_OFFICE, tree.city, username="vanphong_e2e")
    now = today()
    directive = make_directive(
        tree.central, number=21, doc_type="KL", issued_on=now - dt.timedelta(days=200)
    )
    assignment = services.put_into_implementation(
        directive=directive,
        issuing_unit=tree.city,
        assigned_on=now - dt.timedelta(days=150),
        requirements=[
            services.RequirementSpec("issue_document", now - dt.timedelta(days=120)),
            services.RequirementSpec("organise_study", now - dt.timedelta(days=60)),
        ],
        acting_user=office,
    )
    done = Fulfilment.objects.get(
        implementation__assignment=assignment,
        implementation__unit=tree.ward_a,
        requirement__kind="issue_document",
    )
    services.record_fulfilment(
        fulfilment=done,
        acting_user=office,
        new_document=services.DocumentSpec(
            "03-KH/ĐU", now - dt.timedelta(days=125), "Kế hoạch thực hiện Kết luận 21"
        ),
    )
    return office


def test_marking_a_requirement_done_in_the_matrix_changes_the_rate(page, tree):
    _setup(tree)
    login(page, "vanphong_e2e", PASSWORD)
    page.goto(f"{page.base_url}/implementation/units/{tree.city.pk}/matrix/")
    rate = page.locator("#completed-rate")
    assert rate.inner_text().strip() == "25,0 %"  # 1 of 4 due requirements
    screenshot(page, "implementation-matrix-before")

    row = page.locator("tr", has_text="Đảng bộ phường Điện Biên")
    row.locator("a", has_text="chưa thực hiện (quá hạn)").first.click()
    page.wait_for_selector("#fulfil-form")
    assert "quá hạn" in page.inner_text("#item-status")
    issued = today() - dt.timedelta(days=110)
    page.fill("#id_doc_symbol", "07-KH/ĐU")
    page.fill("#id_doc_date", issued.strftime("%d/%m/%Y"))
    page.fill("#id_doc_title", "Kế hoạch thực hiện Kết luận 21-KL/TW")
    page.click("#fulfil-submit")

    page.wait_for_selector("#completed-rate")
    assert "/matrix/" in page.url
    assert page.locator("#completed-rate").inner_text().strip() == "50,0 %"
    assert "đã ghi nhận Đảng bộ phường Điện Biên hoàn thành" in page.inner_text(".gs-messages")
    row = page.locator("tr", has_text="Đảng bộ phường Điện Biên")
    assert "07-KH/ĐU" in row.inner_text()
    assert "chậm" in row.inner_text()  # issued ten days after the due date
    screenshot(page, "implementation-matrix-after")

    page.goto(f"{page.base_url}/implementation/units/{tree.city.pk}/")
    page.wait_for_selector("canvas[data-chart-ready]")
    assert page.locator("#total-rate").inner_text().strip() == "50,0 %"
    assert page.evaluate("typeof window.Chart") == "function"
    screenshot(page, "implementation-dashboard")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/implementation/units/{tree.city.pk}/matrix/")
    screenshot(page, "implementation-matrix-phone")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 400  # the table scrolls inside its box, the page does not
