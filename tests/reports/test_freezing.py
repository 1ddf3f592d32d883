"""Signing freezes a report: figures, the ids of the records behind each, the text and the
appendices, with a SHA-256. Later edits to records never change it; the comparison page
shows what changed since."""

import datetime as dt

from django.utils import translation

from giamsat.reports import services
from giamsat.reports.content import content_of, frozen_content, live_content
from giamsat.reports.models import ReportFigure
from tests.conftest import client_for
from tests.factories import make_member
from tests.reports.conftest import IN_PERIOD, advance, make_report


def _signed(tree, template, report_users):
    report = make_report(tree.city, template, user=report_users.office)
    return advance(report, "submit", "accept", "sign", users=report_users)


def test_signing_stores_figures_record_ids_and_a_hash(
    tree, joined, test_indicators, template, report_users
):
    report = _signed(tree, template, report_users)
    assert report.is_frozen
    assert len(report.frozen_hash) == 64
    assert services.verify_frozen(report)
    row = ReportFigure.objects.get(report=report, code="test.joined")
    assert row.value == 3 and row.record_count == 3
    assert row.record_model == "people.membership"
    missing = ReportFigure.objects.get(report=report, code="absent.inspections")
    assert not missing.available and missing.value is None
    assert report.number == 12 and report.symbol == "12-BC/TU"


def test_later_records_never_change_a_signed_report(
    tree, joined, test_indicators, template, report_users
):
    report = _signed(tree, template, report_users)
    before = frozen_content(report)
    before_hash = report.frozen_hash
    make_member(tree.cell_b1, valid_from=IN_PERIOD, full_name="Người Đến Sau")
    joined[0].memberships.update(valid_from=dt.date(2023, 1, 1))  # moved out of the period
    report.refresh_from_db()
    after = content_of(report)
    assert after.figures["test.joined"].value == before.figures["test.joined"].value == 3
    assert after.figures["test.joined"].records == before.figures["test.joined"].records
    assert report.frozen_hash == before_hash and services.verify_frozen(report)
    with translation.override("vi"):
        assert after.rendered_sections() == before.rendered_sections()
    # the live figure did move
    live = live_content(report, with_records=True)
    assert live.figures["test.joined"].value == 3  # one in, one out
    assert live.figures["test.joined"].records != before.figures["test.joined"].records


def test_the_comparison_page_shows_the_difference(
    tree, joined, test_indicators, template, report_users
):
    report = _signed(tree, template, report_users)
    newcomer = make_member(tree.cell_b1, valid_from=IN_PERIOD, full_name="Người Đến Sau")
    client = client_for(report_users.city_leader)
    response = client.get(f"/reports/{report.pk}/compare/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="gs-changed"' in html
    rows = response.context["rows"]
    changed = {r["code"]: r for r in rows if r["changed"]}
    assert set(changed) == {"test.joined", "test.joined_rate"}
    assert changed["test.joined"]["old"].value == 3
    assert changed["test.joined"]["new"].value == 4
    membership = newcomer.memberships.get()
    assert changed["test.joined"]["added"] == [membership.pk]
    detail = client.get(f"/reports/{report.pk}/compare/?code=test.joined").context["detail"]
    assert [r.cells[0] for r in detail["added"]] == ["Người Đến Sau"]


def test_a_tampered_payload_no_longer_matches_its_hash(
    tree, joined, test_indicators, template, report_users
):
    report = _signed(tree, template, report_users)
    payload = report.frozen_payload
    payload["figures"][0]["value"] = "999"
    type(report).objects.filter(pk=report.pk).update(frozen_payload=payload)
    report.refresh_from_db()
    assert not services.verify_frozen(report)


def test_the_drill_down_of_a_signed_report_lists_the_frozen_records(
    tree, joined, test_indicators, template, report_users
):
    report = _signed(tree, template, report_users)
    make_member(tree.cell_b1, valid_from=IN_PERIOD, full_name="Người Đến Sau")
    joined[0].memberships.all().delete()
    client = client_for(report_users.city_leader)
    response = client.get(f"/reports/{report.pk}/figure/test.joined/")
    rows = response.context["rows"]
    assert response.context["total"] == 3
    names = [r.cells[0] for r in rows if not r.missing]
    assert sorted(names) == ["Lê Văn Đức", "Phạm Ngọc Ấn"]
    assert sum(1 for r in rows if r.missing) == 1  # deleted since, still listed by id
