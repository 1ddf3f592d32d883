"""Sessions end after 8 hours without activity (each request extends them), when the browser
closes, and at logout; the session id changes at login (no fixation)."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.conf import settings
from django.utils import timezone

from giamsat.accounts.roles import Role
from tests.factories import make_user
from tests.security.conftest import password_login


def test_the_settings():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_an_idle_session_expires_after_eight_hours(tree):
    make_user(Role.COMMITTEE_OFFICE, tree.city, username="office")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client, _response = password_login("office")
        assert client.get("/").status_code == 200
    with time_machine.travel(start + dt.timedelta(hours=7, minutes=59), tick=False):
        assert client.get("/").status_code == 200
    # Each request starts the 8 hours again: 15h58 after login is 7h59 after the last request.
    with time_machine.travel(start + dt.timedelta(hours=15, minutes=58), tick=False):
        assert client.get("/").status_code == 200
    # 8 hours and a second after the last request: gone.
    with time_machine.travel(start + dt.timedelta(hours=23, minutes=58, seconds=1), tick=False):
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_cookie_dies_with_the_browser(tree):
    make_user(Role.COMMITTEE_OFFICE, tree.city, username="office")
    _client, response = password_login("office")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_the_session_id_changes_at_login(tree):
    make_user(Role.COMMITTEE_OFFICE, tree.city, username="office")
    from django.test import Client

    client = Client()
    client.get("/accounts/login/")
    session = client.session
    session["planted"] = "by an attacker"
    session.save()
    planted = session.session_key
    password_login("office", client=client)
    assert client.session.session_key != planted


def test_logout_destroys_the_session_on_the_server(tree):
    from django.contrib.sessions.models import Session

    make_user(Role.COMMITTEE_OFFICE, tree.city, username="office")
    client, _response = password_login("office")
    key = client.session.session_key
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
