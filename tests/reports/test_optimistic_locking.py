"""Two people editing one report: the second save is refused with a clear message and
nothing is lost or half-written."""

import pytest

from giamsat.core.models import ConcurrentEditError
from giamsat.reports import services
from tests.conftest import client_for
from tests.reports.conftest import make_report


def test_a_stale_version_is_refused(tree, template, report_users):
    report = make_report(tree.city, template, user=report_users.office)
    loaded = report.version
    services.update_report(
        report=report, expected_version=loaded, acting_user=report_users.office, subject="A"
    )
    stale = type(report).objects.get(pk=report.pk)
    with pytest.raises(ConcurrentEditError):
        services.update_report(
            report=stale,
            expected_version=loaded,
            acting_user=report_users.office,
            subject="B",
            sections=[("X", "Y")],
        )
    report.refresh_from_db()
    assert report.subject == "A"
    assert report.sections.count() == 2  # the sections of the refused save were not written


def test_a_stale_workflow_action_is_refused(tree, template, report_users):
    report = make_report(tree.city, template, user=report_users.office)
    with pytest.raises(ConcurrentEditError):
        services.submit_report(
            report=report, expected_version=report.version + 5, acting_user=report_users.office
        )
    report.refresh_from_db()
    assert report.status == "draft"


def test_the_edit_page_explains_a_conflict(tree, template, report_users):
    report = make_report(tree.city, template, user=report_users.office)
    client = client_for(report_users.office)
    form = client.get(f"/reports/{report.pk}/edit/").context["header"].initial
    services.update_report(
        report=report, expected_version=report.version, acting_user=None, subject="Ai đó sửa"
    )
    data = {f"h-{k}": v or "" for k, v in form.items() if k not in ("document_date",)}
    data["h-subject"] = "Tôi sửa"
    response = client.post(f"/reports/{report.pk}/edit/", data, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("changed this report" in m or "đã sửa" in m for m in messages)
    report.refresh_from_db()
    assert report.subject == "Ai đó sửa"
