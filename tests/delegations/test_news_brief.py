"""A working session yields a draft news item like the seed article: who met whom, about
what, the key figures from the unit's report, its recommendations and the conclusion."""

import datetime as dt

from giamsat.delegations import services
from giamsat.reports import services as report_services
from giamsat.reports.models import AddresseeLevel, ReportSource
from tests.conftest import client_for


def test_the_news_item_is_composed_from_the_records(delegation, d_users, tree):
    session = services.schedule_session(
        delegation=delegation,
        unit=tree.city,
        date=dt.date(2022, 9, 30),
        members=list(delegation.members.all()),
        hosts=[services.HostParticipant("Lê Anh Xuân", "Bí thư Thành ủy")],
        acting_user=d_users.member,
    )
    report_services.sync_builtin_templates()
    report = report_services.generate_report(
        unit=tree.city,
        start=dt.date(2019, 1, 1),
        end=dt.date(2022, 9, 30),
        delegation=delegation,
        source=ReportSource.TYPED,
        acting_user=None,
    )
    report_services.set_typed_figures(
        report=report,
        expected_version=report.version,
        acting_user=None,
        figures={"study.attendances": "80412", "study.participation_rate": "96"},
    )
    report.refresh_from_db()
    report_services.submit_report(report=report, expected_version=report.version, acting_user=None)
    report_services.record_recommendation(
        unit=tree.city,
        addressee_level=AddresseeLevel.PROVINCE,
        addressee_body="Tỉnh ủy",
        topic="Đào tạo",
        text="Tăng cường đào tạo, bồi dưỡng đội ngũ cán bộ chuyên trách công tác đảng.",
        made_on=dt.date(2022, 9, 30),
        session=session,
        acting_user=None,
    )
    services.record_conclusion(
        delegation=delegation,
        unit=tree.city,
        concluded_on=dt.date(2022, 9, 30),
        strengths="sự chủ động chuẩn bị",
        limitations="cần bổ sung số liệu thực tế",
        acting_user=d_users.member,
    )
    item = services.draft_news_item(session=session, acting_user=d_users.member)
    assert (
        item.title == "Đoàn công tác của Ban Bí thư Trung ương Đảng làm việc với Thành ủy Thanh Hóa"
    )
    assert item.lead.startswith("Ngày 30/09/2022, đồng chí Nguyễn Lam, Phó Trưởng Ban Dân vận")
    assert "Phó Trưởng đoàn công tác của Ban Bí thư" in item.lead
    assert "Tiếp đoàn về phía Thành ủy Thanh Hóa có đồng chí Lê Anh Xuân" in item.body
    assert "80.412 lượt" in item.body and "đạt 96%" in item.body
    assert "kiến nghị đối với Tỉnh ủy: Tăng cường đào tạo" in item.body
    assert "đánh giá cao sự chủ động chuẩn bị" in item.body
    page = client_for(d_users.member).get(f"/delegations/{delegation.pk}/news/{item.pk}/")
    assert page.status_code == 200


def test_the_page_drafts_and_edits_the_item(delegation, d_users, tree):
    session = services.schedule_session(
        delegation=delegation, unit=tree.city, date=dt.date(2022, 9, 30), acting_user=None
    )
    client = client_for(d_users.member)
    response = client.post(f"/delegations/{delegation.pk}/sessions/{session.pk}/news/")
    assert response.status_code == 302
    item = session.news.get()
    response = client.post(
        response["Location"],
        {"title": "Tin đã biên tập", "lead": "Sa-pô", "body": "Nội dung", "approve": "on"},
    )
    item.refresh_from_db()
    assert (item.title, item.status) == ("Tin đã biên tập", "approved")
    outsider = client_for(d_users.outsider)
    assert outsider.get(f"/delegations/{delegation.pk}/news/{item.pk}/").status_code == 404
