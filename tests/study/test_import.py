"""Attendance spreadsheets: the template round trip, free-form sheets, every kind of bad row
reported by row and column, and all or nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from giamsat.core.excel import write_xlsx
from giamsat.people.models import Membership, Person
from giamsat.study import spreadsheets
from giamsat.study.models import Attendance, AttendanceImport, ImportStatus, Status
from tests.factories import make_member
from tests.study.factories import make_non_member, make_session


def bulk_members(cell, n):
    people = Person.objects.bulk_create(
        [
            Person(
                full_name=f"Phạm Thị Thử{i}",
                birth_date=dt.date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
                party_card_number=f"9{i:08d}",
            ).fill_derived_fields()
            for i in range(n)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(person=p, unit=cell, valid_from=dt.date(2015, 1, 1)) for p in people]
    )
    return people


def xlsx(headers, rows) -> io.BytesIO:
    return io.BytesIO(write_xlsx([("Điểm danh", headers, rows)]))


def run(session, stream, name="diem-danh.xlsx", user=None, progress=None):
    return spreadsheets.import_attendance(
        acting_user=user, session=session, stream=stream, file_name=name, progress=progress
    )


@pytest.fixture
def session(tree, members, nq04):
    return make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])


def statuses(session):
    return dict(Attendance.objects.filter(session=session).values_list("person_id", "status"))


def test_the_template_is_prefilled_with_the_list_and_imports_back(session, members, tree):
    wb = load_workbook(io.BytesIO(spreadsheets.template_xlsx(session)), read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:7] == (
        "STT",
        "Mã người",
        "Họ và tên",
        "Ngày sinh",
        "Số thẻ đảng viên",
        "Chi bộ / Đơn vị",
        "Tình trạng",
    )
    assert len(rows) == 1 + 4
    filled = [list(r) for r in rows[1:]]
    filled[0][6], filled[1][6] = "Có mặt", "vắng có lý do"
    filled[1][7] = "Ốm"
    filled[2][6] = "x"
    # row 4 left empty: stays "not recorded"
    result = run(session, xlsx(list(rows[0]), filled))
    assert result.ok, result.errors
    assert (result.rows, result.changed, result.skipped) == (4, 3, 1)
    session.refresh_from_db()
    assert (session.present, session.excused, session.pending) == (2, 1, 1)
    assert AttendanceImport.objects.get().status == ImportStatus.DONE


def test_a_free_form_sheet_by_name_and_birth_date_or_card(session, members, tree):
    a1, a1b = members[tree.cell_a1.code]
    a2 = members[tree.cell_a2.code][0]
    sheet = xlsx(
        ["Họ tên", "Ngày sinh", "Số thẻ", "Có mặt"],
        [
            [a1.full_name.upper(), a1.birth_date.strftime("%d/%m/%Y"), None, "có mặt"],
            ["nguyen van nguoi" + a1b.full_name.split("Người")[1], a1b.birth_date, None, "Có mặt"],
            [None, None, a2.party_card_number, "Vắng"],
        ],
    )
    result = run(session, sheet)
    assert result.ok, result.errors
    assert statuses(session)[a1.pk] == Status.PRESENT
    assert statuses(session)[a1b.pk] == Status.PRESENT
    assert statuses(session)[a2.pk] == Status.ABSENT


def test_a_list_of_names_without_status_column_means_they_were_present(session, members, tree):
    a1 = members[tree.cell_a1.code][0]
    result = run(session, xlsx(["Họ và tên", "Ngày sinh"], [[a1.full_name, a1.birth_date]]))
    assert result.ok and statuses(session)[a1.pk] == Status.PRESENT


def test_every_bad_row_is_reported_by_row_and_column_and_nothing_is_written(tree, members, nq04):
    a1, a1b = members[tree.cell_a1.code]
    a2, a2b = members[tree.cell_a2.code]
    make_member(tree.cell_a1, full_name=a2b.full_name, birth_date=a2b.birth_date)  # a namesake
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    rows = [
        [a1.pk, a1.full_name, None, "Có mặt", None, None],  # 2: fine
        [999999, "Ai đó", None, "Có mặt", None, None],  # 3: unknown id
        [None, "Không Có Ai", dt.date(1970, 1, 1), "Có mặt", None, None],  # 4: unknown name
        [None, a2b.full_name, a2b.birth_date, "Có mặt", None, None],  # 5: two people on the list
        [a1.pk, a1.full_name, None, "Vắng", None, None],  # 6: duplicate of row 2
        [a1b.pk, a1b.full_name, None, "Có lẽ", None, None],  # 7: bad status
        [a2.pk, a2.full_name, None, "Vắng có lý do", None, None],  # 8: no reason
        [a2.pk + 0, a2.full_name, None, "Có mặt", "01/05/2022", None],  # 9: duplicate too
    ]
    headers = ["Mã người", "Họ và tên", "Ngày sinh", "Tình trạng", "Ngày học", "Lý do vắng"]
    result = run(session, xlsx(headers, rows))
    assert not result.ok
    found = {(e.row, e.column) for e in result.errors}
    assert {
        (3, "Mã người"),
        (4, "Họ và tên"),
        (5, "Họ và tên"),
        (6, "Mã người"),
        (7, "Tình trạng"),
        (8, "Lý do vắng"),
        (9, "Mã người"),
    } <= found
    assert all(e.message for e in result.errors)
    assert set(statuses(session).values()) == {Status.PENDING}
    record = AttendanceImport.objects.get()
    assert record.status == ImportStatus.FAILED and record.error_count == len(result.errors)


def test_a_date_outside_the_session_is_an_error(tree, members, nq04):
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04], end_date=dt.date(2022, 4, 11))
    a1 = members[tree.cell_a1.code][0]
    headers = ["Mã người", "Tình trạng", "Ngày học"]
    bad = run(session, xlsx(headers, [[a1.pk, "Có mặt", "12/04/2022"]]))
    assert [(e.row, e.column) for e in bad.errors] == [(2, "Ngày học")]
    good = run(session, xlsx(headers, [[a1.pk, "Có mặt", "11/04/2022"]]))
    assert good.ok
    assert Attendance.objects.get(session=session, person=a1).attended_on == dt.date(2022, 4, 11)


def test_one_bad_row_in_the_middle_of_a_large_file_writes_nothing(tree, nq04):
    """3,000 people present, row 1,502 has a bad status: the file is refused, nothing is
    written, and exactly that row is reported."""
    people = bulk_members(tree.cell_a1, 3000)
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    rows = [[p.pk, p.full_name, p.birth_date, "Có mặt"] for p in people]
    rows[1500][3] = "Có mặt??"
    calls = []
    sheet = xlsx(["Mã người", "Họ và tên", "Ngày sinh", "Tình trạng"], rows)
    result = run(session, sheet, progress=lambda *a: calls.append(a))
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(1502, "Tình trạng")]
    assert "Có mặt??" in result.errors[0].message
    assert not Attendance.objects.filter(session=session).exclude(status=Status.PENDING).exists()
    session.refresh_from_db()
    assert (session.present, session.pending) == (0, 3000)
    # The same file corrected imports in full, reporting progress on the way.
    rows[1500][3] = "Có mặt"
    result = run(
        session,
        xlsx(["Mã người", "Họ và tên", "Ngày sinh", "Tình trạng"], rows),
        progress=lambda *a: calls.append(a),
    )
    assert result.ok and result.changed == 3000
    assert {c[0] for c in calls} >= {"read", "write", "done"}


def test_a_csv_file_imports_too(session, members, tree):
    a1 = members[tree.cell_a1.code][0]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Mã người", "Tình trạng"])
    writer.writerow([a1.pk, "Có mặt"])
    result = run(session, io.BytesIO(buffer.getvalue().encode("utf-8-sig")), name="a.csv")
    assert result.ok and statuses(session)[a1.pk] == Status.PRESENT


def test_someone_not_on_the_list_is_added_but_not_to_a_make_up(session, members, tree, nq04):
    outsider = make_member(tree.cell_b1)
    clerk = make_non_member(tree.ward_a)
    result = run(
        session, xlsx(["Mã người", "Tình trạng"], [[outsider.pk, "Có mặt"], [clerk.pk, "Có mặt"]])
    )
    assert result.ok and result.added == 2
    row = Attendance.objects.get(session=session, person=clerk)
    assert (row.is_member, row.unit_id) == (False, tree.ward_a.pk)
    makeup = make_session(tree.ward_a, dt.date(2022, 4, 25), [], makeup_of=session)
    refused = run(makeup, xlsx(["Mã người", "Tình trạng"], [[outsider.pk, "Có mặt"]]))
    assert not refused.ok and refused.errors[0].row == 2


def test_an_unreadable_file_is_refused_in_words(session):
    result = run(session, io.BytesIO(b"not a spreadsheet"), name="a.xls")
    assert not result.ok and ".xlsx" in result.errors[0].message


def test_the_export_neutralises_formulas(tree, nq04):
    """A name that looks like a formula is written as quote-prefixed text, never a formula."""
    make_member(tree.cell_a1, full_name="=HYPERLINK(1)")
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    wb = load_workbook(io.BytesIO(spreadsheets.export_xlsx(session)))
    cells = [row[2] for row in wb.worksheets[0].iter_rows(min_row=2)]
    cell = next(c for c in cells if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s" and cell.quotePrefix


def test_an_import_cannot_reach_people_outside_the_users_scope(tree, members, nq04, office):
    """The city's office cannot add a member of another organisation by id or card."""
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    stranger = members[tree.cell_o1.code][0]
    sheet = xlsx(["Số thẻ đảng viên", "Tình trạng"], [[stranger.party_card_number, "Có mặt"]])
    result = run(session, sheet, user=office)
    assert not result.ok and result.errors[0].column == "Số thẻ đảng viên"
    result = run(session, xlsx(["Mã người", "Tình trạng"], [[stranger.pk, "Có mặt"]]), user=office)
    assert not result.ok
    assert not Attendance.objects.filter(person=stranger).exists()


def test_the_command_imports_with_progress_and_refuses_bad_files(tmp_path, session, members, tree):
    from django.core.management import CommandError, call_command

    a1 = members[tree.cell_a1.code][0]
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(["Mã người", "Tình trạng"], [[a1.pk, "Có mặt"]]).getvalue())
    out = io.StringIO()
    call_command("import_attendance", str(good), "--session", str(session.pk), stdout=out)
    assert "1 recorded" in out.getvalue() and "participation 25.0 %" in out.getvalue()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx(["Mã người", "Tình trạng"], [[a1.pk, "?"]]).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_attendance", str(bad), "--session", str(session.pk), stderr=err)
    assert "dòng 2, cột 'Tình trạng'" in err.getvalue()
