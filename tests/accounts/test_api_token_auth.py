"""API clients authenticate with a bearer token (hashed at rest) or the browser session;
revoked, expired, unknown or missing credentials answer 401."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from giamsat.accounts.api_auth import hash_token, issue_token
from giamsat.accounts.models import ApiToken
from tests.conftest import client_for


def _get(token: str | None, path: str = "/api/v1/units/"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return Client(**headers).get(path)


def test_a_valid_token_answers_for_its_user(tree, users):
    token, clear = issue_token(user=users.authorised, name="reporting tool")
    response = _get(clear)
    assert response.status_code == 200
    assert response.json()["count"] == 7  # the city role's scope, not more
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.token_hash == hash_token(clear) and clear not in token.token_hash


def test_revoked_expired_unknown_and_missing_tokens_are_refused(tree, users):
    revoked, revoked_clear = issue_token(user=users.authorised, name="old")
    ApiToken.objects.filter(pk=revoked.pk).update(revoked=True)
    _expired, expired_clear = issue_token(
        user=users.authorised, name="short", expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    for token in (revoked_clear, expired_clear, "gs_not-a-token", None):
        assert _get(token).status_code == 401, token
    for path in ("/api/v1/people/", "/api/v1/directives/", f"/api/v1/units/{tree.city.pk}"):
        assert _get(None, path).status_code == 401


def test_a_token_of_an_inactive_user_is_refused(tree, users):
    _token, clear = issue_token(user=users.authorised, name="x")
    users.authorised.is_active = False
    users.authorised.save()
    assert _get(clear).status_code == 401


def test_the_browser_session_works_too(tree, users):
    response = client_for(users.authorised).get("/api/v1/units/")
    assert response.status_code == 200 and response.json()["count"] == 7
