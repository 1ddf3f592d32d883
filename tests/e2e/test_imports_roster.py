"""A clerk uploads a roster with two bad rows, reads the reasons in the preview, fixes the file,
uploads it again, confirms, and finds the members on the cell's page."""

from __future__ import annotations

from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD, make_user
from tests.imports.conftest import file_bytes, member


def roster(tree, *, fixed: bool) -> bytes:
    rows = [
        member(tree.cell_a1, name="Nguyễn Thị Lan", card="38000001"),
        member(
            tree.cell_a1,
            name="Trần Văn Bình",
            card="38000002",
            birth_date="12/03/1985" if fixed else "31/02/1985",
        ),
        member(tree.cell_a2, name="Lê Thị Cúc", card="38000003"),
        member(
            tree.cell_a2,
            name="Phạm Văn Dũng",
            card="38000004",
            cell_code=tree.cell_a2.code if fixed else "CB-KHONG-CO",
        ),
        member(
            tree.cell_a1,
            name="Hoàng Thị Én",
            card="38000005",
            status="Dự bị",
            official_on=None,
            joined_on="01/06/2026",
        ),
    ]
    return file_bytes("members", rows)


def upload(page, tree, path) -> None:
    page.goto(page.base_url + "/import/")
    page.select_option("#id_kind", "members")
    page.select_option("#id_unit", str(tree.ward_a.pk))
    page.fill("#id_as_of", "20/11/2026")
    page.set_input_files("#id_file", str(path))
    page.click("#upload-submit")
    page.wait_for_selector("#summary")


def test_roster_with_two_bad_rows_then_fixed_then_imported(page, tree, tmp_path):
    make_user("organisation", tree.city, username="tochuc_e2e")
    login(page, "tochuc_e2e", PASSWORD)
    page.goto(page.base_url + "/import/")
    screenshot(page, "imports-home")
    bad = tmp_path / "danh-sach-dang-vien.xlsx"
    bad.write_bytes(roster(tree, fixed=False))
    upload(page, tree, bad)

    assert page.inner_text("#count-reject") == "2"
    assert page.inner_text("#count-create") == "3"
    rows = page.inner_text("#rows")
    assert "Trần Văn Bình" in rows
    assert "không phải là ngày" in rows  # 31/02/1985 is not a date
    assert "Ngày sinh (cột B)" in rows
    assert "CB-KHONG-CO" in rows
    assert page.locator("#confirm-submit").is_visible()
    screenshot(page, "imports-preview-two-bad-rows")

    fixed = tmp_path / "danh-sach-dang-vien-da-sua.xlsx"
    fixed.write_bytes(roster(tree, fixed=True))
    upload(page, tree, fixed)
    assert page.inner_text("#count-reject") == "0"
    assert page.inner_text("#count-create") == "5"
    screenshot(page, "imports-preview-fixed")

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#confirm-submit")
    page.wait_for_selector("#applied")
    assert "5" in page.inner_text("#count-create")
    screenshot(page, "imports-applied")

    page.goto(page.base_url + f"/units/{tree.cell_a1.pk}/")
    members = page.inner_text("#people")
    for name in ("Nguyễn Thị Lan", "Trần Văn Bình", "Hoàng Thị Én"):
        assert name in members
    assert "Lê Thị Cúc" not in members
    screenshot(page, "imports-members-in-the-cell")

    page.goto(page.base_url + "/units/")
    page.click(f"text={tree.ward_a.name}")
    page.wait_for_url(f"**/units/{tree.ward_a.pk}/**")
    page.click(f"text={tree.cell_a2.name}")
    assert "Phạm Văn Dũng" in page.inner_text("#people")


def test_the_preview_reads_on_a_phone(page, tree, tmp_path):
    make_user("organisation", tree.city, username="tochuc_phone")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "tochuc_phone", PASSWORD)
    bad = tmp_path / "roster.xlsx"
    bad.write_bytes(roster(tree, fixed=False))
    upload(page, tree, bad)
    assert page.inner_text("#count-reject") == "2"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400
    screenshot(page, "imports-preview-phone")
