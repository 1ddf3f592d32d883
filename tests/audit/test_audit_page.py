"""The audit page shows the inspection commission who saw and who changed what in its own
units only, with filters by person, record, unit, date range and kind, and exports to XLSX."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from giamsat.audit.context import acting_as
from giamsat.audit.models import AccessEvent, AccessKind
from giamsat.audit.services import record_access
from giamsat.units.services import rename_unit
from tests.conftest import client_for

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def events(tree, users, members):
    """Reads in the city (in scope of ubkt_city) and in Sầm Sơn (out of scope), on two days."""
    person_a = members[tree.cell_a1.code][0]
    person_o = members[tree.cell_o1.code][0]
    with time_machine.travel(dt.datetime(2025, 3, 10, 9, 0, tzinfo=VN), tick=False):
        a = record_access(
            actor=users.read_only, kind=AccessKind.READ, obj=person_a, reason="xem hồ sơ"
        )
    with time_machine.travel(dt.datetime(2025, 4, 20, 15, 0, tzinfo=VN), tick=False):
        b = record_access(actor=users.admin, kind=AccessKind.EXPORT, obj=tree.cell_b1)
        o = record_access(actor=users.outsider, kind=AccessKind.READ, obj=person_o)
    return {"a": a, "b": b, "o": o, "person_a": person_a}


def test_the_commission_sees_its_subtree_only(events, users):
    response = client_for(users.authorised).get(reverse("audit:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert str(events["person_a"]) in html
    assert "Chi bộ khu phố 3" in html
    assert "ubkt_other" not in html
    assert events["o"].pk not in {e.pk for e in response.context["entries"]}


def test_the_other_commission_sees_its_own_only(events, users):
    html = client_for(users.outsider).get(reverse("audit:home")).content.decode()
    assert "ubkt_other" in html
    assert str(events["person_a"]) not in html


def test_without_the_audit_capability_the_page_does_not_exist(events, users):
    client = client_for(users.read_only)
    assert client.get(reverse("audit:home")).status_code == 404
    assert client.get(reverse("audit:changes")).status_code == 404
    assert client.get(reverse("audit:export")).status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"person": "leader_city"}, {"a"}),
        ({"kind": "export"}, {"b"}),
        ({"date_from": "01/04/2025"}, {"b"}),
        ({"date_to": "10/03/2025"}, {"a"}),
        ({"date_from": "11/03/2025", "date_to": "19/04/2025"}, set()),
        ({"unit": "Điện Biên"}, {"b"}),
        ({"unit": "dien bien"}, {"b"}),
        ({"unit": "Sầm Sơn"}, set()),
    ],
)
def test_filters(events, users, params, expected):
    client = client_for(users.authorised)
    response = client.get(reverse("audit:home"), {**params})
    ids = {e.pk for e in response.context["entries"]}
    shown = {key for key in ("a", "b") if events[key].pk in ids}
    assert shown == expected


def test_filter_by_exact_record(events, users):
    ref = f"people.Person:{events['person_a'].pk}"
    response = client_for(users.authorised).get(reverse("audit:home"), {"record": ref})
    assert response.context["page"].paginator.count == 1


def test_a_wrong_date_is_explained_and_shows_nothing(events, users):
    response = client_for(users.authorised).get(reverse("audit:home"), {"date_from": "31/02/2025"})
    assert response.context["page"].paginator.count == 0
    assert response.context["form"].errors["date_from"]


def test_a_reversed_date_range_is_explained(events, users):
    response = client_for(users.authorised).get(
        reverse("audit:home"), {"date_from": "20/04/2025", "date_to": "01/04/2025"}
    )
    assert "20/04/2025" in str(response.context["form"].non_field_errors())


def test_reading_the_trail_is_itself_recorded(events, users):
    client_for(users.authorised).get(reverse("audit:home"), {"person": "leader"})
    event = AccessEvent.objects.filter(actor=users.authorised, kind=AccessKind.READ).latest("pk")
    assert event.object_label == "audit trail: access"
    assert event.reason == "person=leader"
    assert event.unit_id is not None


def test_login_events_go_to_the_users_unit(tree, users):
    client_for(users.read_only)  # force_login sends user_logged_in
    client_for(users.outsider)
    html = client_for(users.authorised).get(reverse("audit:home"), {"kind": "login"}).content
    assert b"leader_city" in html
    assert b"ubkt_other" not in html


def test_changes_show_old_and_new_values_in_scope(tree, users):
    with acting_as(users.admin):
        rename_unit(unit=tree.ward_a, name="Phường Hạc Thành", date=dt.date(2025, 7, 1))
        rename_unit(unit=tree.other, name="Thị xã khác", date=dt.date(2025, 7, 1))
    response = client_for(users.authorised).get(reverse("audit:changes"))
    html = response.content.decode()
    assert "Đảng bộ phường Trường Thi" in html and "Phường Hạc Thành" in html
    assert "Thị xã khác" not in html
    response = client_for(users.authorised).get(reverse("audit:changes"), {"kind": "delete"})
    assert response.context["page"].paginator.count == 0


def test_the_list_uses_a_bounded_number_of_queries(tree, users, django_assert_max_num_queries):
    for _ in range(60):
        record_access(actor=users.read_only, kind=AccessKind.READ, obj=tree.ward_a)
        with acting_as(users.admin):
            rename_unit(
                unit=tree.cell_a1,
                name=f"Chi bộ {_}",
                date=dt.date(2025, 7, 1) + dt.timedelta(days=_),
            )
    client = client_for(users.authorised)
    with django_assert_max_num_queries(25):
        client.get(reverse("audit:home"))
    with django_assert_max_num_queries(25):
        client.get(reverse("audit:changes"))


def test_export_matches_the_filtered_list_and_neutralises_formulas(events, users, tree):
    record_access(
        actor=None,
        actor_name='=HYPERLINK("http://evil","x")',
        kind=AccessKind.LOGIN_FAILED,
        unit=tree.ward_a,
    )
    client = client_for(users.authorised)
    response = client.get(reverse("audit:export"), {"view": "access"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="nhat-ky-truy-cap-')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    names = {row[2] for row in rows[1:]}
    assert "leader_city" in names and "ubkt_other" not in names
    # the formula-looking name is kept as text, marked quote-prefixed (never a live formula)
    evil = next(
        row[2]
        for row in sheet.iter_rows(min_row=2)
        if row[2].value == '=HYPERLINK("http://evil","x")'
    )
    assert evil.data_type == "s" and evil.quotePrefix
    exported = AccessEvent.objects.filter(kind=AccessKind.EXPORT, actor=users.authorised).get()
    assert exported.reason.startswith(f"{len(rows) - 1} rows")


def test_export_of_changes_has_one_row_per_changed_field(tree, users):
    with acting_as(users.admin):
        rename_unit(unit=tree.ward_b, name="Phường Điện Biên mới", date=dt.date(2025, 7, 1))
    response = client_for(users.authorised).get(reverse("audit:export"), {"view": "changes"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    name_rows = [r for r in rows[1:] if r[8] == "Đảng bộ phường Điện Biên"]
    assert name_rows and name_rows[0][9] == "Phường Điện Biên mới"
    assert name_rows[0][2] == "sysadmin"


def test_export_refuses_invalid_filters_with_a_message(users, tree):
    response = client_for(users.authorised).get(
        reverse("audit:export"), {"view": "access", "date_from": "hôm qua"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("audit:home"))
