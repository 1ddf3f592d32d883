"""In a real browser: log in, open the party tree as of 01/01/2024 and as of today, and see the
2025 reform (the city committee present in 2024 with Trường Thi under it; today absent, the new
ward committees directly under the province). Screenshots go to test-artifacts/."""

from __future__ import annotations

from importlib import import_module

import pytest

from giamsat.core.dates import today
from giamsat.core.demo import DEMO_PASSWORD, DemoContext
from tests.e2e.conftest import login, screenshot

PROVINCE = 'li[data-code="TH"]'
CITY = 'li[data-code="TP"]'


@pytest.fixture
def demo_tree(transactional_db):
    """The demo tree with its logins (people reduced to three per cell)."""
    ctx = DemoContext(verbose=False)
    ctx.data.update(members_per_cell=3, non_members_per_ward=2)
    for app in ("units", "people", "directives", "accounts"):
        import_module(f"giamsat.{app}.demo").load(ctx)
    return ctx


def _show(page, iso_date: str) -> None:
    page.fill("#as_of", iso_date)
    page.click("#as-of-submit")
    page.wait_for_selector(f"{PROVINCE} > details > ul")  # the province's children loaded


def test_the_tree_shows_the_reform(page, demo_tree):
    login(page, "lanhdao.tinh", DEMO_PASSWORD)
    page.goto(page.base_url + "/units/")

    # 01/01/2024: the city committee sits under the province, Trường Thi under the city.
    _show(page, "2024-01-01")
    assert "01/01/2024" in page.inner_text("#tree-date")
    province_children = page.locator(f"{PROVINCE} > details > ul > li")
    codes_2024 = province_children.evaluate_all("items => items.map(li => li.dataset.code)")
    assert "TP" in codes_2024
    assert "TH-HACTHANH" not in codes_2024
    city = page.locator(f"{CITY} > details")
    assert "30/06/2025" in city.locator("summary").inner_text()  # the city's last day
    city.locator("summary").click(position={"x": 4, "y": 10})  # open the node (not the link)
    page.wait_for_selector(f'{CITY} > details > ul > li[data-code="TP-TRUONGTHI"]')
    assert "Đảng bộ phường Trường Thi" in city.inner_text()
    screenshot(page, "foundation-tree-2024-01-01")

    # Today: no city committee; the new ward committees directly under the province.
    _show(page, today().isoformat())
    codes_now = page.locator(f"{PROVINCE} > details > ul > li").evaluate_all(
        "items => items.map(li => li.dataset.code)"
    )
    assert "TP" not in codes_now
    assert {"TH-HACTHANH", "TH-HAMRONG", "TH-DONGTIEN", "TH-NGUYETVIEN"} <= set(codes_now)
    assert "Đảng bộ thành phố Thanh Hóa" not in page.inner_text("#tree")
    assert "Đảng bộ phường Hạc Thành" in page.inner_text("#tree")
    screenshot(page, "foundation-tree-today")

    # The unit page of the city: its last day, its wards on its last day, what they became.
    page.goto(page.base_url + f"/units/{demo_tree.units['TP'].pk}/")
    assert "30/06/2025" in page.inner_text("#unit-ended")
    assert "Đảng bộ phường Trường Thi" in page.inner_text("#sub-units")
    screenshot(page, "foundation-unit-city")
    page.goto(page.base_url + f"/units/{demo_tree.units['TP-TRUONGTHI'].pk}/")
    assert "Đảng bộ phường Hạc Thành" in page.inner_text("#lineage")
    assert "341-QĐ/TW" in page.inner_text("#reorganisations")


def test_the_tree_works_on_a_phone(page, demo_tree):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "bithu.chibo", DEMO_PASSWORD)
    page.goto(page.base_url + "/units/")
    page.wait_for_selector("#tree li")
    assert "Chi bộ khu phố 1" in page.inner_text("#tree")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "foundation-tree-phone")
    page.click('#tree a:has-text("Chi bộ khu phố 1")')
    page.wait_for_selector("#people")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "foundation-cell-phone")
