"""Study pages: list with figures, create a session, record attendance, scoping, query bounds."""

import datetime as dt

from giamsat.study.models import Status, StudySession
from tests.conftest import client_for
from tests.study.factories import make_session, mark


def test_the_list_shows_sessions_and_figures_opening_to_records(tree, members, nq04, office):
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    mark(session, members[tree.cell_a1.code][0])
    client = client_for(office)
    page = client.get("/study/", {"unit": tree.city.pk, "from": "01/01/2022", "to": "31/10/2022"})
    assert page.status_code == 200
    html = page.content.decode()
    assert session.title in html
    assert "/figures/study.attendances/records/?unit=" in html
    assert "25,0 %" in html  # 1 of 4 studied (Vietnamese decimal comma)


def test_an_office_creates_a_session_and_its_list(tree, members, nq04, office):
    client = client_for(office)
    response = client.post(
        "/study/new/",
        {
            "unit": tree.ward_a.pk,
            "title": "Hội nghị quán triệt",
            "date": "10/04/2022",
            "directives": [nq04.pk],
            "mode": "in_person",
            "scope_kind": "subtree",
        },
    )
    session = StudySession.objects.get()
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    assert session.listed == 4


def test_an_online_session_needs_connected_points(tree, nq04, office):
    client = client_for(office)
    response = client.post(
        "/study/new/",
        {
            "unit": tree.city.pk,
            "title": "Hội nghị trực tuyến",
            "date": "10/04/2022",
            "directives": [nq04.pk],
            "mode": "online",
            "scope_kind": "subtree",
        },
    )
    assert response.status_code == 200
    assert "An online session needs its connected points." in response.content.decode() or (
        "điểm cầu" in response.content.decode()
    )
    assert not StudySession.objects.exists()


def test_marking_one_person_answers_the_row_and_the_new_rate(tree, members, nq04, office):
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    person = members[tree.cell_a1.code][0]
    client = client_for(office)
    response = client.post(
        f"/study/{session.pk}/mark/",
        {"person": person.pk, "status": "present", "reason": ""},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'hx-swap-oob="true"' in html and "25,0 %" in html
    assert session.attendances.get(person=person).status == Status.PRESENT


def test_an_excused_absence_without_reason_is_refused_with_a_message(tree, members, nq04, office):
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    person = members[tree.cell_a1.code][0]
    response = client_for(office).post(
        f"/study/{session.pk}/mark/",
        {"person": person.pk, "status": "excused", "reason": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert session.attendances.get(person=person).status == Status.PENDING


def test_sessions_outside_scope_are_404(tree, members, nq04, office_other, users):
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    other = client_for(office_other)
    assert other.get(session.get_absolute_url()).status_code == 404
    assert (
        other.post(f"/study/{session.pk}/mark/", {"person": 1, "status": "present"}).status_code
        == 404
    )
    assert other.get(f"/study/{session.pk}/template.xlsx").status_code == 404
    # A read-only leader of the city sees it but cannot record.
    leader = client_for(users.read_only)
    assert leader.get(session.get_absolute_url()).status_code == 200
    assert (
        leader.post(f"/study/{session.pk}/mark/", {"person": 1, "status": "present"}).status_code
        == 404
    )


def test_people_of_a_unit_see_the_session_they_attended_but_only_their_rows(
    tree, members, nq04, users
):
    """A province conference: the city's users see their own people's rows only."""
    session = make_session(tree.province, dt.date(2022, 4, 10), [nq04])
    client = client_for(users.read_only)
    page = client.get(session.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert members[tree.cell_a1.code][0].full_name in html
    assert members[tree.cell_o1.code][0].full_name not in html
    assert client.get(f"/study/{session.pk}/attendance.xlsx").status_code == 404


def test_list_and_session_pages_use_a_bounded_number_of_queries(
    tree, members, nq04, office, django_assert_max_num_queries
):
    for day in range(1, 6):
        make_session(tree.ward_a, dt.date(2022, 4, day), [nq04])
    session = make_session(tree.city, dt.date(2022, 5, 1), [nq04])
    client = client_for(office)
    client.get("/study/")  # warm the session and caches
    with django_assert_max_num_queries(40):
        assert client.get("/study/", {"unit": tree.city.pk}).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(session.get_absolute_url()).status_code == 200


def test_a_make_up_session_is_created_for_those_who_missed(tree, members, nq04, office):
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    a1, a1b = members[tree.cell_a1.code]
    mark(session, a1)
    mark(session, a1b, Status.ABSENT)
    response = client_for(office).post(
        f"/study/{session.pk}/makeup/",
        {"title": "Học bù", "date": "25/04/2022", "mode": "in_person"},
    )
    makeup = StudySession.objects.get(makeup_of=session)
    assert response["Location"] == makeup.get_absolute_url()
    assert makeup.listed == 3
    assert list(makeup.directives.all()) == [nq04]


def test_the_person_page_shows_their_study_history(tree, members, nq04, office):
    person = members[tree.cell_a1.code][0]
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    mark(session, person, Status.EXCUSED, reason="Công tác xa")
    page = client_for(office).get(person.get_absolute_url())
    html = page.content.decode()
    assert 'id="section-study"' in html
    assert session.get_absolute_url() in html and "Công tác xa" in html


def test_the_figures_by_unit_export_has_a_row_per_child(tree, members, nq04, office):
    import io

    from openpyxl import load_workbook

    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    mark(session, members[tree.cell_a1.code][0])
    response = client_for(office).get(
        "/study/rates.xlsx", {"unit": tree.city.pk, "from": "01/01/2022", "to": "31/10/2022"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in sheet[1]]
    at = header.index("Lượt người tham gia học tập")
    assert (
        rows[tree.city.name][at] == 1
        and rows[tree.ward_a.name][at] == 1
        and rows[tree.ward_b.name][at] == 0
    )
