"""Importing through the page: upload, then a run while the page polls the progress."""

import datetime as dt
import io

from giamsat.core.excel import write_xlsx
from giamsat.study.models import AttendanceImport, Status
from tests.conftest import client_for
from tests.study.factories import make_session


def upload(client, session, rows, name="diem-danh.xlsx"):
    data = io.BytesIO(write_xlsx([("a", ["Mã người", "Tình trạng", "Lý do vắng"], rows)]))
    data.name = name
    return client.post(f"/study/{session.pk}/import/", {"file": data}, HTTP_HX_REQUEST="true")


def token_of(response):
    html = response.content.decode()
    start = html.index("/import/") + len("/import/")
    return html[start : html.index("/", start)]


def test_upload_run_and_progress(tree, members, nq04, office):
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    a1, a1b = members[tree.cell_a1.code]
    client = client_for(office)
    response = upload(client, session, [[a1.pk, "Có mặt", None], [a1b.pk, "Vắng có lý do", "Ốm"]])
    assert response.status_code == 200
    html = response.content.decode()
    assert 'hx-trigger="load"' in html and 'hx-trigger="every 700ms"' in html
    token = token_of(response)
    progress = client.get(f"/study/{session.pk}/import/{token}/progress/", HTTP_HX_REQUEST="true")
    assert progress.status_code == 200 and "gs-bar-0" in progress.content.decode()
    result = client.post(f"/study/{session.pk}/import/{token}/run/", HTTP_HX_REQUEST="true")
    assert result.status_code == 200
    assert "25,0 %" in result.content.decode()  # 1 of 4 present
    done = client.get(f"/study/{session.pk}/import/{token}/progress/", HTTP_HX_REQUEST="true")
    assert done.status_code == 286  # htmx stops polling
    assert session.attendances.get(person=a1b).status == Status.EXCUSED
    # A run cannot be replayed, and the record of the import is kept.
    assert client.post(f"/study/{session.pk}/import/{token}/run/").status_code == 404
    assert AttendanceImport.objects.get().created_by == office


def test_a_refused_file_lists_the_errors_in_vietnamese(tree, members, nq04, office):
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    client = client_for(office)
    token = token_of(upload(client, session, [[members[tree.cell_a1.code][0].pk, "Có lẽ", None]]))
    html = client.post(
        f"/study/{session.pk}/import/{token}/run/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Chưa nhập dòng nào." in html
    assert "không phải tình trạng tham dự" in html and "<td>2</td>" in html


def test_another_user_cannot_run_or_watch_an_upload(tree, members, nq04, office, users):
    from giamsat.accounts.roles import Role
    from tests.factories import make_user

    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    token = token_of(
        upload(client_for(office), session, [[members[tree.cell_a1.code][0].pk, "Có mặt", None]])
    )
    colleague = client_for(make_user(Role.COMMITTEE_OFFICE, tree.city, username="colleague"))
    assert colleague.post(f"/study/{session.pk}/import/{token}/run/").status_code == 404
    assert colleague.get(f"/study/{session.pk}/import/{token}/progress/").status_code == 404


def test_only_spreadsheets_are_accepted(tree, nq04, office):
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    data = io.BytesIO(b"%PDF-1.4")
    data.name = "a.pdf"
    response = client_for(office).post(f"/study/{session.pk}/import/", {"file": data})
    assert (
        response.status_code == 200 and "Chỉ nhận tệp .xlsx và .csv." in response.content.decode()
    )
