"""Late and missing units are detected from the dates, as time passes (frozen clock)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from giamsat.implementation import services
from giamsat.implementation.models import Fulfilment, Reminder, RequirementKind
from giamsat.implementation.queries import ItemFilter, counts, items
from tests.conftest import client_for
from tests.implementation.factories import assign

D = dt.date
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=VN), tick=False)


def city_counts(tree, day):
    return counts(
        items(tree.city, as_of=day, on=day, f=ItemFilter(kinds=frozenset({"organise_study"})))
    )


def test_a_requirement_goes_from_not_due_to_missing_to_late(tree, office, directive):
    with at(D(2021, 12, 10)):
        assignment = assign(directive=directive, unit=tree.city, user=office)
    study = Fulfilment.objects.get(
        implementation__assignment=assignment,
        implementation__unit=tree.ward_a,
        requirement__kind=RequirementKind.ORGANISE_STUDY,
    )  # due 15/03/2022
    with at(D(2022, 3, 15)):
        assert city_counts(tree, D(2022, 3, 15)).not_due == 2
    with at(D(2022, 3, 16)):
        c = city_counts(tree, D(2022, 3, 16))
        assert (c.missing, c.not_due) == (2, 0)
    with at(D(2022, 4, 2)):
        services.record_fulfilment(fulfilment=study, acting_user=office, done_on=D(2022, 4, 1))
        c = city_counts(tree, D(2022, 4, 2))
        assert (c.late, c.missing) == (1, 1)
        # Judged on an earlier day, the same item was still missing.
        assert city_counts(tree, D(2022, 3, 31)).missing == 2


def test_the_overdue_list_shows_days_overdue_and_records_a_reminder(tree, office, directive):
    with at(D(2021, 12, 10)):
        assignment = assign(directive=directive, unit=tree.city, user=office)
    with at(D(2022, 3, 25)):
        client = client_for(office)
        response = client.get(f"/implementation/units/{tree.city.pk}/overdue/?kind=organise_study")
        assert response.status_code == 200
        rows = response.context["rows"]
        # Missing first, then by due date, then by name in Vietnamese order (Đ before T).
        assert [(i.implementation.unit, i.status, days) for i, days, _ in rows] == [
            (tree.ward_b, "missing", 10),
            (tree.ward_a, "missing", 10),
        ]
        record = assignment.implementations.get(unit=tree.ward_a)
        study = assignment.requirements.get(kind="organise_study")
        response = client.post(
            f"/implementation/records/{record.pk}/remind/",
            {
                "sent_on": "25/03/2022",
                "method": "document",
                "requirement": study.pk,
                "document_symbol": "120 - CV/TU",
                "note": "Đề nghị tổ chức học tập trước 31/3/2022",
                "next": f"/implementation/units/{tree.city.pk}/overdue/",
            },
        )
        assert response.status_code == 302
        assert response["Location"] == f"/implementation/units/{tree.city.pk}/overdue/"
        reminder = Reminder.objects.get()
        assert (reminder.implementation, reminder.requirement) == (record, study)
        assert reminder.document_symbol == "120-CV/TU"
        page = client.get(f"/implementation/units/{tree.city.pk}/overdue/?kind=organise_study")
        info = {i.implementation.unit_id: r for i, _, r in page.context["rows"]}
        assert tree.ward_b.pk not in info or not info[tree.ward_b.pk]
        assert info[tree.ward_a.pk]["n"] == 1
        assert info[tree.ward_a.pk]["last"] == D(2022, 3, 25)
        # The reminder was about the study, not about the same ward's missing plan.
        doc_rows = client.get(
            f"/implementation/units/{tree.city.pk}/overdue/?kind=issue_document"
        ).context["rows"]
        assert [i.implementation.unit for i, _, _ in doc_rows] == [tree.ward_b, tree.ward_a]
        assert [r for _, _, r in doc_rows] == [{}, {}]


def test_a_reminder_needs_its_content_and_a_valid_date(tree, office, directive):
    with at(D(2021, 12, 10)):
        assignment = assign(directive=directive, unit=tree.city, user=office)
    record = assignment.implementations.get(unit=tree.ward_a)
    with at(D(2022, 3, 25)):
        with pytest.raises(services.ImplementationError, match="Nội dung"):
            services.record_reminder(
                implementation=record,
                acting_user=office,
                sent_on=D(2022, 3, 25),
                method="phone",
                note="  ",
            )
        with pytest.raises(services.ImplementationError, match="tương lai"):
            services.record_reminder(
                implementation=record,
                acting_user=office,
                sent_on=D(2022, 3, 26),
                method="phone",
                note="Gọi điện",
            )
    assert not Reminder.objects.exists()


def test_the_overdue_list_exports_to_xlsx(tree, office, directive):
    from io import BytesIO

    from openpyxl import load_workbook

    with at(D(2021, 12, 10)):
        assign(directive=directive, unit=tree.city, user=office)
    with at(D(2022, 7, 1)):
        response = client_for(office).get(
            f"/implementation/units/{tree.city.pk}/overdue/?format=xlsx"
        )
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Tổ chức đảng"
    assert len(rows) == 1 + 6  # two wards × three requirements, all missing on 01/07/2022
    assert {r[0] for r in rows[1:]} == {tree.ward_a.name, tree.ward_b.name}
    report_rows = [r for r in rows[1:] if r[3] == "Báo cáo kết quả thực hiện"]
    assert [r[7] for r in report_rows] == [1, 1]  # due 30/06, judged on 01/07/2022
    assert {r[6] for r in report_rows} == {"chưa thực hiện (quá hạn)"}
