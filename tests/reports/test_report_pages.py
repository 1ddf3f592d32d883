"""Report pages: scoped like every page (out of scope is 404), drafts visible only to those
who may edit them, actions through the page, named records only for those allowed."""

import pytest

from giamsat.reports.models import Report, ReportStatus
from tests.conftest import client_for
from tests.reports.conftest import advance, make_report


@pytest.fixture
def report(tree, template, report_users, joined, test_indicators):
    return make_report(tree.city, template, user=report_users.office)


def test_the_detail_page_shows_figures_as_links_and_missing_ones_as_markers(report, report_users):
    response = client_for(report_users.office).get(f"/reports/{report.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/reports/{report.pk}/figure/test.joined/"' in html
    assert "gs-fig-missing" in html
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in html
    assert "THÀNH ỦY THANH HÓA" in html


def test_out_of_scope_is_404_never_403(report, report_users):
    client = client_for(report_users.outsider)
    for url in (
        f"/reports/{report.pk}/",
        f"/reports/{report.pk}/figure/test.joined/",
        f"/reports/{report.pk}/download.docx",
        f"/reports/{report.pk}/consistency/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/reports/{report.pk}/action/submit/", {"version": 1}).status_code == 404


def test_a_draft_is_hidden_from_the_level_above_until_submitted(report, report_users):
    client = client_for(report_users.province_leader)
    assert client.get(f"/reports/{report.pk}/").status_code == 404
    advance(report, "submit", users=report_users)
    assert client.get(f"/reports/{report.pk}/").status_code == 200


def test_the_workflow_through_the_page(report, report_users):
    office = client_for(report_users.office)
    response = office.post(
        f"/reports/{report.pk}/action/submit/", {"version": report.version, "comment": ""}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    reviewer = client_for(report_users.province_leader)
    page = reviewer.get(f"/reports/{report.pk}/")
    assert page.context["can_review"]
    # returning without a comment is refused with a message, nothing changes
    reviewer.post(f"/reports/{report.pk}/action/return/", {"version": report.version})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    reviewer.post(
        f"/reports/{report.pk}/action/return/",
        {"version": report.version, "comment": "Chỉ rõ người, rõ việc"},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    page = office.get(f"/reports/{report.pk}/")
    assert "Chỉ rõ người, rõ việc" in page.content.decode()


def test_named_records_need_the_indicator_capability(
    tree, template, report_users, joined, test_indicators
):
    report = make_report(tree.city, template, user=report_users.office)
    advance(report, "submit", users=report_users)
    leader = client_for(report_users.city_leader)  # leader: no VIEW_DISCIPLINE? it has it
    office = client_for(report_users.office)  # committee office: no VIEW_DISCIPLINE
    response = office.get(f"/reports/{report.pk}/figure/test.discipline_like/")
    # the figure is not in this report
    assert response.status_code == 404
    report.sections.create(order=9, heading="", text="{test.discipline_like}")
    response = office.get(f"/reports/{report.pk}/figure/test.discipline_like/")
    assert response.status_code == 200 and not response.context["allowed"]
    assert response.context["rows"] == []
    inspector = client_for(report_users.city_inspector)
    response = inspector.get(f"/reports/{report.pk}/figure/test.discipline_like/")
    assert response.context["allowed"] and len(response.context["rows"]) == 3
    assert leader.get(f"/reports/{report.pk}/").status_code == 200


def test_the_list_is_scoped_and_cheap(tree, template, report_users, django_assert_max_num_queries):
    for unit in (tree.city, tree.ward_a, tree.ward_b, tree.other):
        make_report(unit, template)
    client = client_for(report_users.office)
    with django_assert_max_num_queries(25):
        response = client.get("/reports/")
    units = {r.unit for r in response.context["page"]}
    assert units == {tree.city, tree.ward_a, tree.ward_b}


def test_creating_a_report_from_the_page(tree, template, report_users, joined, test_indicators):
    client = client_for(report_users.office)
    response = client.post(
        "/reports/new/",
        {
            "unit": tree.ward_a.pk,
            "period_start": "2019-01-01",
            "period_end": "2022-09-30",
            "template": template.pk,
            "source": "generated",
        },
    )
    report = Report.objects.get(unit=tree.ward_a)
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/"
    # a unit outside the user's scope is not a valid choice
    response = client.post(
        "/reports/new/",
        {
            "unit": tree.other.pk,
            "period_start": "2019-01-01",
            "period_end": "2022-09-30",
            "template": template.pk,
            "source": "generated",
        },
    )
    assert response.status_code == 200 and "unit" in response.context["form"].errors


def test_downloads(report, report_users):
    client = client_for(report_users.office)
    docx = client.get(f"/reports/{report.pk}/download.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert "attachment" in docx["Content-Disposition"]
    xlsx = client.get(f"/reports/{report.pk}/download.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(f"/reports/{report.pk}/download.exe").status_code == 404


def test_typing_in_figures_on_the_page(tree, template, report_users):
    report = make_report(tree.ward_a, template, user=report_users.office, source="typed")
    client = client_for(report_users.office)
    page = client.get(f"/reports/{report.pk}/figures/")
    codes = page.context["form"].codes
    assert codes == ["test.joined", "absent.inspections"]
    response = client.post(
        f"/reports/{report.pk}/figures/",
        {"version": report.version, "figure_0": "12", "figure_1": "abc", "note": "Báo cáo giấy"},
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not report.figures.exists()  # nothing half-written
    response = client.post(
        f"/reports/{report.pk}/figures/",
        {"version": report.version, "figure_0": "12", "figure_1": "3", "note": "Báo cáo giấy"},
    )
    assert response.status_code == 302
    assert dict(report.figures.values_list("code", "value")) == {
        "test.joined": 12,
        "absent.inspections": 3,
    }


def test_the_pdf_download(report, report_users):
    import shutil

    if shutil.which("soffice") is None:
        import os

        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is required on CI (make sys-deps-test)")
        pytest.skip("LibreOffice is not installed")
    response = client_for(report_users.office).get(f"/reports/{report.pk}/download.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
