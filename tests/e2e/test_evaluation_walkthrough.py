"""Browser: open the 2021 review of the city, then walk one member — disciplined in 2021 —
through self-assessment, the advisory body's proposal (the cap from the discipline record is
shown; proposing above it without a reason is refused; with a reason it is accepted) and the
competent level's decision overriding the cap with a reason."""

from __future__ import annotations

import datetime as dt

from giamsat.discipline.authority_data import ensure_authority_matrix
from giamsat.evaluation.models import Evaluation
from giamsat.oversight.catalogue_data import ensure_catalogues
from tests.e2e.conftest import login, screenshot
from tests.evaluation.factories import discipline
from tests.factories import PASSWORD, add_totp_device, make_member, make_user


def test_a_member_through_the_three_steps_with_a_cap_overridden(page, tree):
    ensure_catalogues()  # a transactional test database may have been flushed
    ensure_authority_matrix()
    member = make_member(tree.cell_a1, full_name="Trần Thị Phương", party_card_number="38009876")
    for _ in range(4):
        make_member(tree.cell_a1)
    make_member(tree.cell_a2)
    discipline(member, dt.date(2021, 8, 20), body=tree.cell_a1)
    make_user("organisation", tree.city, username="btc_e2e", first_name="Ban Tổ chức")
    leader = make_user("leader", tree.city, username="lanhdao_e2e", first_name="Lãnh đạo")
    base = page.base_url

    # 0. The organisation commission opens the 2021 review of the city.
    login(page, "btc_e2e", PASSWORD)
    page.goto(base + "/evaluation/")
    page.click("#campaign-new")
    page.select_option("#id_organiser", str(tree.city.pk))
    page.fill("#id_year", "2021")
    page.fill("#id_plan_symbol", "Số 45 - KH/TU")
    page.fill("#id_plan_issued_on", "2021-11-15")
    screenshot(page, "evaluation-01-new-campaign")
    page.click("#campaign-submit")
    page.wait_for_selector('[data-testid="campaign-title"]')
    assert page.locator('[data-testid="deadline"]').count() >= 2
    screenshot(page, "evaluation-02-campaign")

    # 1. Find the member and record the self-assessment (27 + 60 = 87: "tốt").
    page.fill("#member-search", "Phương")
    page.press("#member-search", "Enter")
    page.click('[data-testid="found-member"] a')
    page.wait_for_selector('[data-testid="subject"]')
    assert "Trần Thị Phương" in page.inner_text('[data-testid="subject"]')
    cap = page.locator('[data-testid="cap"]')
    assert cap.count() == 1 and "khiển trách" in cap.inner_text()
    page.fill("#id_self-score_general", "27")
    page.fill("#id_self-score_tasks", "60")
    page.fill("#id_self-tasks_total", "6")
    page.fill("#id_self-tasks_completed", "6")
    page.fill("#id_self-tasks_on_time", "6")
    page.fill("#id_self-assessed_on", "2021-12-02")
    page.fill("#id_self-note", "Hoàn thành nhiệm vụ tổ trưởng tổ dân phố.")
    page.click("#self-submit")
    page.wait_for_selector('[data-testid="self-result"]')
    assert "87" in page.inner_text('[data-testid="self-result"]')
    screenshot(page, "evaluation-03-self-assessed")

    # 2. The proposal: the system suggests "không hoàn thành" (HD 21); proposing "hoàn thành"
    #    without a reason is refused with the explanation, then accepted with a reason.
    suggested = page.inner_text('[data-testid="suggested"]')
    assert "Không hoàn thành nhiệm vụ" in suggested
    page.select_option("#id_proposal-level", "hoan_thanh")
    page.fill("#id_proposal-proposed_on", "2021-12-06")
    page.fill("#id_proposal-source_1", "Chi ủy chi bộ khu phố 1")
    page.fill("#id_proposal-opinion_1", "Đảng viên đã khắc phục hậu quả, tích cực trong công tác.")
    page.click("#proposal-submit")
    page.wait_for_selector(".alert-danger[role=alert]")
    error = page.inner_text(".gs-messages")
    assert "Không hoàn thành nhiệm vụ" in error and "lý do" in error.lower()
    # Nothing was lost: the opinion typed is still there.
    assert page.input_value("#id_proposal-source_1") == "Chi ủy chi bộ khu phố 1"
    screenshot(page, "evaluation-04-proposal-refused")
    page.fill(
        "#id_proposal-reason",
        "Vi phạm đã được kiểm điểm và tính khi xếp loại năm 2020 (một vi phạm chỉ tính một lần).",
    )
    page.click("#proposal-submit")
    page.wait_for_selector('[data-testid="proposal-result"]')
    assert "Hoàn thành nhiệm vụ" in page.inner_text('[data-testid="proposal-result"]')
    assert "Chi ủy chi bộ khu phố 1" in page.inner_text('[data-testid="opinions"]')
    screenshot(page, "evaluation-05-proposed")
    url = page.url

    # 3. The competent level (the ward's committee, within the city leader's scope) decides,
    #    overriding the cap with the reason.
    page.context.clear_cookies()
    login(page, "lanhdao_e2e", PASSWORD, totp_device=add_totp_device(leader))
    page.goto(url)
    page.wait_for_selector('[data-testid="cap"]')
    page.select_option("#id_decision-level", "hoan_thanh")
    page.fill("#id_decision-decided_on", "2021-12-09")
    page.fill("#id_decision-decision_symbol", "Số 12-QĐ/ĐU")
    page.click("#decision-submit")
    page.wait_for_selector(".alert-danger[role=alert]")
    assert "lý do" in page.inner_text(".gs-messages").lower()
    page.fill(
        "#id_decision-reason",
        "Ban Thường vụ cân nhắc: vi phạm đã tính khi xếp loại năm 2020; đảng viên đã khắc phục.",
    )
    page.click("#decision-submit")
    page.wait_for_selector('[data-testid="decision-result"]')
    assert "Hoàn thành nhiệm vụ" in page.inner_text('[data-testid="decision-result"]')
    assert "khắc phục" in page.inner_text('[data-testid="decision-reason"]')
    screenshot(page, "evaluation-06-decided")

    evaluation = Evaluation.objects.get(person=member)
    assert evaluation.decided_level == "hoan_thanh" and evaluation.decision_symbol == "12-QĐ/ĐU"
    assert evaluation.cap_level == "khong_hoan_thanh" and evaluation.decision_reason

    # The contradiction (rated above what the record allows) is listed, with its reason.
    page.goto(base + f"/evaluation/campaigns/{evaluation.campaign_id}/#contradictions")
    row = page.locator('[data-testid="contradiction"]')
    assert row.count() == 1 and "Trần Thị Phương" in row.inner_text()
    screenshot(page, "evaluation-07-contradiction-listed")
