"""Pages carry a strict Content-Security-Policy (no inline scripts or styles, nothing from
other sites, no framing) and the other protective headers."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import client_for


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    policy = {}
    for directive in header.split(";"):
        parts = directive.split()
        if parts:
            policy[parts[0]] = parts[1:]
    return policy


def _assert_strict(response) -> None:
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert set(policy["img-src"]) <= {"'self'", "data:"}
    header = response["Content-Security-Policy"]
    for weak in ("unsafe-inline", "unsafe-eval", "*", "http:", "https:"):
        assert weak not in header.split(), weak


@pytest.mark.parametrize("path", ["/accounts/login/", "/healthz", "/api/docs"])
def test_public_pages_carry_the_policy(db, path):
    response = Client().get(path)
    assert response.status_code == 200
    _assert_strict(response)


@pytest.mark.parametrize("path", ["/", "/audit/", "/audit/changes/", "/accounts/me/", "/admin/"])
def test_logged_in_pages_carry_the_policy(users, path):
    from tests.factories import make_user

    admin = make_user(username="root", is_staff=True, is_superuser=True)
    response = client_for(admin).get(path)
    assert response.status_code == 200, path
    _assert_strict(response)


def test_protective_headers(db):
    response = Client().get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_errors_carry_the_policy_too(db):
    response = Client().get("/no-such-page/")
    assert response.status_code in (302, 404)
    _assert_strict(response)


def test_pages_for_logged_in_users_are_not_cached(users, tree):
    client = client_for(users.authorised)
    for path in ("/", "/audit/", "/accounts/me/", "/api/v1/audit/changes"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_static_files_stay_cacheable(db):
    response = Client().get("/static/giamsat/giamsat.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
