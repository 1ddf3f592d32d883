"""A record id larger than a 64-bit integer in an API query is refused with 422, never sent to
the database (SQLite raised on it: server errors found by schemathesis); a request body that
is not an entry list gets an answer that matches the published schema."""

from __future__ import annotations

from giamsat.accounts.roles import Role
from tests.conftest import client_for
from tests.factories import make_user

HUGE = str(2**64)


def test_huge_ids_in_queries_are_refused(tree):
    client = client_for(make_user(Role.COMMITTEE_OFFICE, tree.city, username="huge_ids"))
    for url in (
        f"/api/v1/indicators/?unit={HUGE}",
        f"/api/v1/indicators/?directive={HUGE}",
        f"/api/v1/study/sessions?unit={HUGE}",
        f"/api/v1/study/sessions?directive={HUGE}",
    ):
        assert client.get(url).status_code == 422, url


def test_a_body_that_is_not_an_entry_list_gets_the_documented_422(tree):
    client = client_for(make_user(Role.COMMITTEE_OFFICE, tree.city, username="bad_body"))
    response = client.post(
        "/api/v1/study/sessions/1/attendance", {"entries": "x"}, content_type="application/json"
    )
    assert response.status_code == 422 and "detail" in response.json()
