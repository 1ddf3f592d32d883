"""The implementation pages show the records in scope, in a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from giamsat.core.files import attachments_of
from giamsat.implementation import services
from giamsat.implementation.models import Assignment, Fulfilment, Implementation, KeyTask
from giamsat.indicators.registry import IndicatorQuery, get_indicator, indicators
from giamsat.units.models import UnitKind
from tests.conftest import client_for
from tests.factories import make_unit
from tests.implementation.factories import assign, make_directive

D = dt.date


@pytest.fixture
def data(tree, office, directive, frozen):
    plan = make_directive(tree.city, number=41, issuer_code="TU", issued_on=D(2021, 12, 10))
    assignment = assign(directive=directive, unit=tree.city, user=office, plan=plan)
    first = Fulfilment.objects.filter(
        implementation__assignment=assignment, requirement__kind="organise_study"
    ).first()
    services.record_fulfilment(fulfilment=first, acting_user=office, done_on=D(2022, 3, 1))
    task = services.create_key_task(
        unit=tree.ward_a,
        kind="key_task",
        title="Học bù Kết luận 21",
        opened_on=D(2022, 3, 20),
        deadline=D(2022, 5, 31),
        acting_user=office,
    )
    return assignment, task


def urls(tree, assignment, task) -> list[str]:
    record = assignment.implementations.first()
    item = Fulfilment.objects.filter(implementation=record).first()
    city = tree.city.pk
    pages = [
        "/implementation/",
        f"/implementation/units/{city}/",
        f"/implementation/units/{city}/?bucket=month&date_to=30/09/2022",
        f"/implementation/units/{city}/matrix/",
        f"/implementation/units/{city}/matrix/?status=missing&level=3",
        f"/implementation/units/{city}/overdue/",
        f"/implementation/units/{city}/key-tasks/",
        "/implementation/assignments/",
        f"/implementation/assignments/{assignment.pk}/",
        f"/implementation/records/{record.pk}/",
        f"/implementation/items/{item.pk}/",
        f"/implementation/key-tasks/{task.pk}/",
    ]
    pages += [
        f"/implementation/units/{city}/figures/{i.code}/" for i in indicators("implementation")
    ]
    return pages


def test_every_page_opens_for_the_office(tree, office, data):
    client = client_for(office)
    for url in urls(tree, *data):
        response = client.get(url)
        assert response.status_code == 200, url
    for url in ("/implementation/assignments/new/", "/implementation/key-tasks/new/"):
        assert client.get(url).status_code == 200


def test_dashboard_figures_are_the_indicator_values(tree, office, data):
    response = client_for(office).get(f"/implementation/units/{tree.city.pk}/?date_to=30/09/2022")
    cards = {code: value for code, _label, value, *_ in response.context["cards"]}
    query = IndicatorQuery(tree.city, D(1990, 1, 1), D(2022, 9, 30), tree_date=D(2022, 9, 30))
    for code, value in cards.items():
        assert value == get_indicator(code).compute(query).value, code
    assert cards["implementation.missing_units"] == 5  # 6 items, one study done on time
    assert cards["implementation.key_tasks_open"] == 1
    content = response.content.decode()
    assert "Chưa thực hiện (quá hạn)" in content
    assert 'data-chart="' in content and "chart.umd.min.js" in content


def test_the_figure_page_lists_the_same_records(tree, office, data):
    client = client_for(office)
    response = client.get(
        f"/implementation/units/{tree.city.pk}/figures/implementation.missing_units/"
    )
    assert response.context["value"].value == 5
    assert len(response.context["rows"]) == 5
    xlsx = client.get(
        f"/implementation/units/{tree.city.pk}/figures/implementation.missing_units/?format=xlsx"
    )
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 5
    assert (
        client.get(f"/implementation/units/{tree.city.pk}/figures/study.attendances/").status_code
        == 404
    )


def _grow(tree, office, wards: int, assignments: int, seq: int) -> None:
    """More wards, assignments, and records of every kind a figure page lists."""
    for i in range(wards):
        ward = make_unit(f"Đảng bộ phường Thêm {seq}-{i}", UnitKind.GRASSROOTS_ORG, tree.city)
        for n, deadline in enumerate((None, D(2022, 6, 30))):
            task = services.create_key_task(
                unit=ward,
                kind=("bottleneck", "key_task")[n],
                title=f"Việc {i}",
                opened_on=D(2022, 1, 1),
                deadline=deadline,
                acting_user=office,
            )
        services.add_task_progress(
            task=task, acting_user=office, date=D(2022, 2, 1), text="Tiến độ"
        )
        resolved = services.create_key_task(
            unit=ward, kind="bottleneck", title="Đã gỡ", opened_on=D(2022, 1, 1), acting_user=office
        )
        services.add_task_progress(
            task=resolved, acting_user=office, date=D(2022, 3, 1), text="Xong", status="done"
        )
    for n in range(assignments):
        directive = make_directive(None, number=100 * seq + n, issued_on=D(2021, 11, 1))
        new = assign(directive=directive, unit=tree.city, user=office)
        for item in Fulfilment.objects.filter(implementation__assignment=new).select_related(
            "requirement", "implementation"
        )[:4]:
            if item.requirement.kind == "issue_document":
                services.record_fulfilment(
                    fulfilment=item,
                    acting_user=office,
                    new_document=services.DocumentSpec(
                        f"{n + 1}-KH/ĐU", D(2022, 1, 20), "Kế hoạch"
                    ),
                )
            else:
                services.record_fulfilment(
                    fulfilment=item, acting_user=office, done_on=D(2022, 7, 1)
                )
            services.record_reminder(
                implementation=item.implementation,
                acting_user=office,
                sent_on=D(2022, 7, 5),
                method="phone",
                note="Đôn đốc",
            )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_take_the_same_number_of_queries_for_more_units(tree, office, data):
    client = client_for(office)
    assignment, task = data
    pages = urls(tree, assignment, task)
    _grow(tree, office, wards=1, assignments=1, seq=1)
    before = {url: _queries(client, url) for url in pages}
    _grow(tree, office, wards=9, assignments=4, seq=2)
    assert Implementation.objects.count() > 40
    for url in pages:
        after = _queries(client, url)
        assert after == before[url], (url, before[url], after)
        assert after <= 30, url


def test_marking_done_through_the_page_changes_the_matrix(tree, office, data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(office)
    matrix = f"/implementation/units/{tree.city.pk}/matrix/"
    assert client.get(matrix).context["summary"].completed == 1
    item = Fulfilment.objects.get(
        implementation__unit=tree.ward_b, requirement__kind="issue_document"
    )
    response = client.post(
        f"/implementation/items/{item.pk}/",
        {
            "version": item.version,
            "doc_symbol": "12-KH/ĐU",
            "doc_date": "12/01/2022",
            "doc_title": "Kế hoạch thực hiện Kết luận 21",
            "files": [SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 x", "application/pdf")],
            "next": matrix,
        },
    )
    assert response.status_code == 302 and response["Location"] == matrix
    summary = client.get(matrix).context["summary"]
    assert (summary.completed, summary.done) == (2, 2)
    item.refresh_from_db()
    assert item.document.symbol == "12-KH/ĐU" and len(attachments_of(item)) == 1


def test_a_form_error_is_shown_in_vietnamese_and_nothing_is_written(tree, office, data):
    item = Fulfilment.objects.get(
        implementation__unit=tree.ward_b, requirement__kind="issue_document"
    )
    response = client_for(office).post(
        f"/implementation/items/{item.pk}/", {"version": item.version, "done_on": "12/01/2022"}
    )
    assert response.status_code == 200
    assert "Văn bản: yêu cầu này phải có văn bản triển khai thực hiện." in response.content.decode()
    item.refresh_from_db()
    assert item.done_on is None


def test_a_stale_form_is_refused_with_a_clear_message(tree, office, data):
    item = Fulfilment.objects.get(implementation__unit=tree.ward_b, requirement__kind="report")
    client = client_for(office)
    stale = item.version
    services.record_fulfilment(fulfilment=item, acting_user=office, done_on=D(2022, 6, 1))
    response = client.post(
        f"/implementation/items/{item.pk}/", {"version": stale, "done_on": "02/06/2022"}
    )
    assert "người khác sửa" in response.content.decode()
    item.refresh_from_db()
    assert item.done_on == D(2022, 6, 1)


def test_putting_a_directive_into_implementation_through_the_form(
    tree, province_office, directive, frozen
):
    client = client_for(province_office)
    candidates = client.get(
        f"/implementation/assignments/new/units/?issuing_unit={tree.province.pk}&assigned_on=26/11/2021"
    )
    assert tree.city.name in candidates.content.decode()
    response = client.post(
        "/implementation/assignments/new/",
        {
            "directive": directive.pk,
            "issuing_unit": tree.province.pk,
            "assigned_on": "26/11/2021",
            "plan_symbol": "24-KH/TU",
            "plan_date": "26/11/2021",
            "plan_title": "Kế hoạch thực hiện Kết luận 21",
            "scope_kind": "chosen",
            "units": [tree.city.pk, tree.other.pk],
            "issue_document_due": "16/12/2021",
            "report_due": "30/06/2022",
        },
    )
    assignment = Assignment.objects.get()
    assert response.status_code == 302 and response["Location"] == assignment.get_absolute_url()
    assert assignment.plan.symbol == "24-KH/TU" and assignment.plan.implements == directive
    assert assignment.implementations.count() == 2
    assert list(assignment.requirements.values_list("kind", flat=True)) == [
        "issue_document",
        "report",
    ]


def test_the_form_refuses_a_due_date_before_the_assignment(
    tree, province_office, directive, frozen
):
    response = client_for(province_office).post(
        "/implementation/assignments/new/",
        {
            "directive": directive.pk,
            "issuing_unit": tree.province.pk,
            "assigned_on": "26/11/2021",
            "scope_kind": "subtree",
            "report_due": "30/06/2021",
        },
    )
    assert response.status_code == 200
    assert "hạn 30/06/2021 trước ngày giao 26/11/2021" in response.content.decode()
    assert not Assignment.objects.exists()


def test_key_task_pages_create_and_close_a_task(tree, office, frozen):
    client = client_for(office)
    response = client.post(
        "/implementation/key-tasks/new/",
        {
            "unit": tree.ward_a.pk,
            "kind": "bottleneck",
            "title": "Sinh hoạt đảng của đảng viên đi làm ăn xa",
            "opened_on": "01/09/2021",
            "deadline": "30/06/2022",
        },
    )
    task = KeyTask.objects.get()
    assert response["Location"] == task.get_absolute_url()
    page = client.get(f"/implementation/units/{tree.city.pk}/key-tasks/")
    assert page.context["total"].overdue == 1
    client.post(
        task.get_absolute_url(),
        {
            "version": task.version,
            "date": "20/09/2022",
            "text": "Đã lập nhóm Zalo",
            "status": "done",
        },
    )
    task.refresh_from_db()
    assert (task.status, task.closed_on) == ("done", D(2022, 9, 20))
    page = client.get(f"/implementation/units/{tree.city.pk}/key-tasks/")
    assert (page.context["total"].overdue, page.context["total"].done_late) == (0, 1)
    assert [r[1].done_late for r in page.context["child_rows"]] == [1]


def test_editing_a_task_someone_changed_is_refused(tree, office, frozen):
    task = services.create_key_task(
        unit=tree.ward_a,
        kind="key_task",
        title="Nhiệm vụ",
        opened_on=D(2022, 1, 1),
        acting_user=office,
    )
    stale = task.version
    services.add_task_progress(
        task=task, acting_user=office, date=D(2022, 2, 1), text="x", status="done"
    )
    response = client_for(office).post(
        f"/implementation/key-tasks/{task.pk}/edit/",
        {"version": stale, "title": "Tên mới", "opened_on": "01/01/2022"},
    )
    assert "người khác sửa" in response.content.decode()
    task.refresh_from_db()
    assert task.title == "Nhiệm vụ"
