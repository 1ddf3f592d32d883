"""A person's disciplinary history shows on their page to those allowed (VIEW_DISCIPLINE in
scope); every read is recorded; outside the scope the records do not exist (404)."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.accounts.roles import Role
from giamsat.audit.models import AccessEvent
from giamsat.discipline import services as s
from giamsat.discipline.models import BallotPurpose
from giamsat.discipline.rules import Form
from tests.discipline.conftest import group
from tests.factories import make_user

D = dt.date


@pytest.fixture
def disciplined(tree, members):
    member = members[tree.cell_a1.code][0]
    case = s.open_discipline_case(
        person=member, opened_on=D(2021, 6, 1), summary="Vi phạm lối sống", acting_user=None
    )
    s.add_violation(
        case=case,
        group=group(),
        description="Đánh bạc",
        started_on=D(2020, 12, 1),
        ended_on=D(2021, 1, 1),
        acting_user=None,
    )
    s.record_ballot(
        case=case,
        expected_version=case.version,
        body=tree.cell_a1,
        held_on=D(2021, 6, 20),
        purpose=BallotPurpose.DECIDE,
        total_members=9,
        present=9,
        votes={Form.KHIEN_TRACH: 6},
        acting_user=None,
    )
    case.refresh_from_db()
    s.record_decision(
        case=case,
        expected_version=case.version,
        form="khien_trach",
        deciding_unit=tree.cell_a1,
        decided_on=D(2021, 6, 21),
        symbol="05-QĐ/CB",
        acting_user=None,
    )
    return case


HISTORY_REASON = "disciplinary history on the person page"


def test_inspection_and_leaders_see_the_history_and_the_read_is_logged(
    disciplined, users, client_as
):
    """The history shows on the person page; an access event names the reader."""
    history_reads = {"reason": HISTORY_REASON, "object_id": str(disciplined.person_id)}
    for user in (users.authorised, users.read_only):
        before = AccessEvent.objects.filter(actor=user, **history_reads).count()
        body = client_as(user).get(f"/people/{disciplined.person_id}/").content.decode()
        assert 'id="discipline-history"' in body and "05-QĐ/CB" in body
        assert AccessEvent.objects.filter(actor=user, **history_reads).count() == before + 1


def test_a_cell_secretary_sees_the_person_but_not_the_history(disciplined, tree, client_as):
    """Without VIEW_DISCIPLINE the section is absent and nothing is logged."""
    secretary = make_user(Role.CELL_SECRETARY, tree.cell_a1, username="bithu")
    body = client_as(secretary).get(f"/people/{disciplined.person_id}/").content.decode()
    assert 'id="discipline-history"' not in body and "05-QĐ/CB" not in body
    assert client_as(secretary).get(f"/discipline/{disciplined.pk}/").status_code == 404
    # The person page itself is a logged read of a member file; the history is not read.
    assert not AccessEvent.objects.filter(actor=secretary, reason=HISTORY_REASON).exists()


def test_outsiders_get_404_for_case_history_and_person(disciplined, users, client_as):
    """Out of scope: the case, the history page and the person page all answer 404."""
    client = client_as(users.outsider)
    for url in (
        f"/discipline/{disciplined.pk}/",
        f"/discipline/people/{disciplined.person_id}/",
        f"/people/{disciplined.person_id}/",
    ):
        assert client.get(url).status_code == 404, url
    listing = client.get("/discipline/").content.decode()
    assert str(disciplined.person) not in listing


def test_the_case_page_records_the_read(disciplined, users, client_as):
    """Opening a discipline case is a recorded read."""
    response = client_as(users.read_only).get(f"/discipline/{disciplined.pk}/")
    assert response.status_code == 200
    assert AccessEvent.objects.filter(
        actor=users.read_only,
        object_type="discipline.DisciplineCase",
        object_id=str(disciplined.pk),
    ).exists()
    # the leader reads but may not record a ballot
    post = client_as(users.read_only).post(f"/discipline/{disciplined.pk}/ballots/", {})
    assert post.status_code == 403


def test_the_discipline_list_runs_a_bounded_number_of_queries(
    tree, users, client_as, django_assert_max_num_queries
):
    """Twenty cases or one: the list costs the same few queries (and records one read)."""
    for cell in (tree.cell_a1, tree.cell_a2, tree.cell_b1):
        for _ in range(7):
            from tests.factories import make_member

            member = make_member(cell)
            s.open_discipline_case(
                person=member, opened_on=D(2021, 6, 1), summary="x", acting_user=None
            )
    client = client_as(users.authorised)
    with django_assert_max_num_queries(20):
        response = client.get("/discipline/")
    assert response.status_code == 200 and response.content.decode().count("/discipline/") >= 21
