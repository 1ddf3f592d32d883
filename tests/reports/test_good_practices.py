"""Good practices are recorded with evidence and cited in the reports of their period."""

import datetime as dt

from giamsat.reports import services
from giamsat.reports.content import live_content
from tests.conftest import client_for
from tests.reports.conftest import make_report


def test_a_practice_is_cited_in_the_text_and_the_appendix(tree, template, report_users):
    services.record_good_practice(
        unit=tree.ward_a,
        title="Sổ theo dõi học tập nghị quyết",
        description="Chi bộ ghi người học, người học bù.",
        evidence="Sổ của 2 chi bộ",
        period_start=dt.date(2020, 1, 1),
        acting_user=report_users.office,
    )
    services.record_good_practice(
        unit=tree.other,
        title="Mô hình của đơn vị khác",
        description="Không thuộc thành phố.",
        period_start=dt.date(2020, 1, 1),
        acting_user=None,
    )
    report = make_report(tree.city, template)
    report.sections.create(order=5, heading="III.", text="{report.good_practices}")
    content = live_content(report)
    assert "Sổ theo dõi học tập nghị quyết" in content.fields["report.good_practices"]
    assert "Mô hình của đơn vị khác" not in content.fields["report.good_practices"]
    appendix = next(a for a in content.appendices if a.code == "good_practices")
    assert [row[2] for row in appendix.parts[0].rows] == ["Sổ theo dõi học tập nghị quyết"]


def test_recording_from_the_page_and_scope(tree, report_users):
    client = client_for(report_users.office)
    response = client.post(
        "/reports/practices/new/",
        {
            "unit": tree.ward_b.pk,
            "title": "Ngày thứ Bảy cùng dân",
            "description": "Mô tả",
            "period_start": "2021-01-01",
        },
    )
    assert response.status_code == 302
    practice_url = response["Location"]
    assert client_for(report_users.outsider).get(practice_url).status_code == 404
    assert client.get(practice_url).status_code == 200
