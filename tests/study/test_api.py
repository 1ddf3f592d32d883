"""/api/v1/study: sessions and attendance readable and writable, scoped like the pages."""

import datetime as dt

from giamsat.accounts.api_auth import issue_token
from giamsat.study.models import Attendance, Status, StudySession
from tests.study.factories import make_session, mark


def bearer(user):
    _token, clear = issue_token(user=user, name="integration")
    return {"HTTP_AUTHORIZATION": f"Bearer {clear}"}


def test_an_integrating_system_creates_a_session_and_records_attendance(
    client, tree, members, nq04, office
):
    auth = bearer(office)
    created = client.post(
        "/api/v1/study/sessions",
        {
            "unit_id": tree.ward_a.pk,
            "title": "Hội nghị trực tuyến",
            "date": "2022-04-10",
            "directive_ids": [nq04.pk],
            "mode": "both",
            "points": ["Điểm cầu phường", "Điểm cầu khu phố 1"],
        },
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    session = created.json()
    assert session["listed"] == 4 and session["points"] == ["Điểm cầu phường", "Điểm cầu khu phố 1"]
    a1, a1b = members[tree.cell_a1.code]
    recorded = client.post(
        f"/api/v1/study/sessions/{session['id']}/attendance",
        {
            "entries": [
                {"person_id": a1.pk, "status": "present"},
                {"party_card_number": a1b.party_card_number, "status": "excused", "reason": "Ốm"},
            ]
        },
        content_type="application/json",
        **auth,
    )
    assert recorded.status_code == 200, recorded.content
    body = recorded.json()
    assert body["changed"] == 2 and body["session"]["present"] == 1
    assert body["session"]["participation_rate"] == 25.0
    rows = client.get(f"/api/v1/study/sessions/{session['id']}/attendance", **auth).json()
    assert rows["count"] == 4
    assert {r["person_id"]: r["status"] for r in rows["items"]}[a1b.pk] == "excused"


def test_a_batch_with_one_bad_entry_writes_nothing(client, tree, members, nq04, office):
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    a1, a1b = members[tree.cell_a1.code]
    response = client.post(
        f"/api/v1/study/sessions/{session.pk}/attendance",
        {
            "entries": [
                {"person_id": a1.pk, "status": "present"},
                {"person_id": a1b.pk, "status": "excused"},
                {"party_card_number": "000", "status": "present"},
            ]
        },
        content_type="application/json",
        **bearer(office),
    )
    assert response.status_code == 422
    assert [e["index"] for e in response.json()] == [2]
    response = client.post(
        f"/api/v1/study/sessions/{session.pk}/attendance",
        {
            "entries": [
                {"person_id": a1.pk, "status": "present"},
                {"person_id": a1b.pk, "status": "excused"},
            ]
        },
        content_type="application/json",
        **bearer(office),
    )
    assert response.status_code == 422 and response.json()[0]["field"] == "reason"
    assert not Attendance.objects.filter(session=session).exclude(status=Status.PENDING).exists()


def test_reading_is_scoped_and_writing_needs_the_capability(
    client, tree, members, nq04, office_other, users
):
    session = make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    mark(session, members[tree.cell_a1.code][0])
    outsider = bearer(office_other)
    assert client.get(f"/api/v1/study/sessions/{session.pk}", **outsider).status_code == 404
    assert client.get("/api/v1/study/sessions", **outsider).json()["count"] == 0
    leader = bearer(users.read_only)
    assert client.get(f"/api/v1/study/sessions/{session.pk}", **leader).json()["present"] == 1
    write = client.post(
        f"/api/v1/study/sessions/{session.pk}/attendance",
        {"entries": [{"person_id": members[tree.cell_a1.code][1].pk, "status": "present"}]},
        content_type="application/json",
        **leader,
    )
    assert write.status_code == 404
    create = client.post(
        "/api/v1/study/sessions",
        {"unit_id": tree.ward_a.pk, "title": "x", "date": "2022-04-10", "directive_ids": [nq04.pk]},
        content_type="application/json",
        **outsider,
    )
    assert create.status_code == 404
    assert StudySession.objects.count() == 1


def test_sessions_filter_by_unit_period_directive_and_kind(
    client, tree, members, nq04, qd08, office
):
    make_session(tree.ward_a, dt.date(2022, 4, 10), [nq04])
    make_session(tree.ward_b, dt.date(2022, 6, 10), [qd08])
    auth = bearer(office)
    in_a = client.get("/api/v1/study/sessions", {"unit": tree.ward_a.pk}, **auth).json()
    assert in_a["count"] == 1
    later = client.get("/api/v1/study/sessions", {"date_from": "2022-05-01"}, **auth).json()
    assert [s["date"] for s in later["items"]] == ["2022-06-10"]
    about = client.get("/api/v1/study/sessions", {"directive": qd08.pk}, **auth).json()
    assert about["count"] == 1 and about["items"][0]["directive_ids"] == [qd08.pk]
    assert client.get("/api/v1/study/sessions", {"makeup": "true"}, **auth).json()["count"] == 0


def test_the_openapi_schema_documents_the_study_endpoints(client, users):
    schema = client.get("/api/openapi.json").json()
    assert "/api/v1/study/sessions/{session_id}/attendance" in schema["paths"]
    assert "/api/v1/indicators/{code}/records" in schema["paths"]
