"""Browser: open a supervision, add a finding, conclude, create a commitment, propose
discipline for the person supervised, record the ballot and the decision, and see the decision
on the person's page."""

from __future__ import annotations

from giamsat.discipline.authority_data import ensure_authority_matrix
from giamsat.oversight.catalogue_data import ensure_catalogues
from giamsat.oversight.models import CatalogueItem
from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD, add_totp_device, make_member, make_user


def test_from_supervision_to_a_decision_on_the_person_page(page, tree):
    ensure_catalogues()  # a transactional test database may have been flushed
    ensure_authority_matrix()
    member = make_member(tree.cell_a1, full_name="Trần Thị Phương", party_card_number="38001234")
    for _ in range(3):
        make_member(tree.cell_a1)
    user = make_user("inspection", tree.city, username="ubkt_e2e", first_name="Cán bộ UBKT")
    login(page, "ubkt_e2e", PASSWORD, totp_device=add_totp_device(user))
    base = page.base_url

    # 1. Open a thematic supervision of the member.
    page.goto(base + "/oversight/cases/new/?kind=thematic_supervision")
    page.select_option("#id_conducting_unit", str(tree.city_inspection.pk))
    page.fill("#id_title", "Giám sát chuyên đề việc thực hiện Quy định 08-QĐi/TW")
    page.fill("#id_decided_on", "2021-03-01")
    page.fill("#id_decision_symbol", "Số 12 - QĐ/UBKTTU")
    page.fill("#id_subject_person", "38001234")
    screenshot(page, "oversight-01-new-supervision")
    page.click("#case-submit")
    page.wait_for_selector('[data-testid="case-title"]')
    case_url = page.url
    assert "12-QĐ/UBKTTU" in page.content()

    # 2. Add a finding coded on the 27 manifestations.
    page.click("#finding-toggle")
    page.select_option("#id_finding-kind", "violation")
    item = CatalogueItem.objects.get(catalogue__code="nq04-27", code="B6")
    page.select_option("#id_finding-catalogue_item", str(item.pk))
    page.fill("#id_finding-text", "Chạy thành tích trong phong trào khu phố.")
    page.click("#finding-submit")
    page.wait_for_selector('[data-testid="finding"]')
    assert 'Mắc "bệnh thành tích"' in page.inner_text('[data-testid="finding"]')

    # 3. Conclude (the confirmation dialog is accepted).
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#conclude-toggle")
    page.fill("#id_conclude-concluded_on", "2021-04-15")
    page.fill("#id_conclude-violations", "Vi phạm về đạo đức, lối sống.")
    page.fill("#id_conclude-conclusion_symbol", "45-TB/UBKTTU")
    page.click("#conclude-submit")
    page.wait_for_selector('[data-testid="case-status"]')
    assert "Đã kết luận" in page.inner_text('[data-testid="case-status"]')
    screenshot(page, "oversight-02-concluded")

    # 4. Record a remedial commitment after the conclusion.
    page.click("#commitment-new")
    page.fill("#id_signed_on", "2021-04-25")
    page.fill("#id_item_1", "Kiểm điểm trước chi bộ")
    page.fill("#id_due_1", "2021-06-30")
    page.fill("#id_item_2", "Cam kết không tái phạm")
    page.fill("#id_due_2", "2021-12-31")
    page.click("#commitment-submit")
    page.wait_for_selector('[data-testid="commitment-item"]')
    assert page.locator('[data-testid="commitment-item"]').count() == 2
    screenshot(page, "oversight-03-commitment")

    # 5. Propose discipline from the case's subject.
    page.goto(case_url)
    page.click('[data-testid="propose-discipline"]')
    page.fill("#id_opened_on", "2021-05-03")
    page.fill("#id_summary", "Vi phạm đạo đức, lối sống (kết luận 45-TB/UBKTTU).")
    page.click("#discipline-submit")
    page.wait_for_selector('[data-testid="discipline-status"]')
    group = CatalogueItem.objects.get(catalogue__code="qd102-groups", topic="ethics_lifestyle")
    page.select_option("#id_violation-group", str(group.pk))
    page.fill("#id_violation-description", "Chạy thành tích, khai báo không trung thực.")
    page.fill("#id_violation-started_on", "2020-06-01")
    page.fill("#id_violation-ended_on", "2021-02-01")
    page.click("#violation-submit")
    page.wait_for_selector("#ballot-submit")

    # 6. Record the secret ballot of the cell (6 members, 4 for khiển trách).
    page.fill("#id_ballot-held_on", "2021-05-20")
    page.select_option("#id_ballot-purpose", "decide")
    page.select_option("#id_ballot-body", str(tree.cell_a1.pk))
    page.fill("#id_ballot-total_members", "6")
    page.fill("#id_ballot-present", "6")
    page.fill("#id_ballot-votes_khien_trach", "4")
    page.fill("#id_ballot-votes_none", "2")
    screenshot(page, "oversight-04-ballot")
    page.click("#ballot-submit")
    page.wait_for_selector('[data-testid="ballot"]')
    assert "khiển trách" in page.inner_text('[data-testid="ballot"]').lower()

    # 7. Record the decision.
    page.select_option("#id_decision-form", "khien_trach")
    page.select_option("#id_decision-deciding_unit", str(tree.cell_a1.pk))
    page.fill("#id_decision-decided_on", "2021-05-21")
    page.fill("#id_decision-symbol", "Số 03-QĐ/CB")
    page.click("#decision-submit")
    page.wait_for_selector('[data-testid="decision"]')
    assert "03-QĐ/CB" in page.inner_text('[data-testid="decision"]')
    screenshot(page, "oversight-05-decision")

    # 8. The decision is on the person's page.
    page.goto(base + f"/people/{member.pk}/")
    page.wait_for_selector("#discipline-history")
    history = page.inner_text("#discipline-history")
    assert "03-QĐ/CB" in history and "21/05/2021" in history
    screenshot(page, "oversight-06-person-page")
