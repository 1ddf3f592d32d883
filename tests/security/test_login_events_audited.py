"""Every login, logout and failed login is in the access log, whatever the login path."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from giamsat.accounts.roles import Role
from giamsat.audit.models import AccessEvent, AccessKind
from tests.factories import make_user
from tests.security.conftest import password_login


def test_a_login_is_recorded_with_user_address_and_unit(tree):
    user = make_user(Role.COMMITTEE_OFFICE, tree.ward_a, username="office_a")
    password_login("office_a", REMOTE_ADDR="10.1.2.3")
    event = AccessEvent.objects.get(kind=AccessKind.LOGIN)
    assert event.actor == user and event.actor_name == "office_a"
    assert event.ip_address == "10.1.2.3"
    assert event.unit == tree.ward_a
    assert event.object_type == "accounts.User" and event.object_id == str(user.pk)


def test_a_wrong_password_is_recorded_against_the_account(tree):
    user = make_user(Role.COMMITTEE_OFFICE, tree.ward_a, username="office_a")
    _client, response = password_login("office_a", "wrong password")
    assert response.status_code == 200
    event = AccessEvent.objects.get(kind=AccessKind.LOGIN_FAILED)
    assert event.actor is None and event.actor_name == "office_a"
    assert event.object_id == str(user.pk) and event.unit == tree.ward_a
    assert event.reason == "wrong username or password"


def test_an_unknown_username_is_recorded_as_typed(db):
    password_login("nobody-here", "whatever")
    event = AccessEvent.objects.get(kind=AccessKind.LOGIN_FAILED)
    assert event.actor_name == "nobody-here" and event.object_id == ""
    assert event.reason == "unknown username"


def test_a_failed_admin_login_is_recorded_too(db):
    Client().post("/admin/login/", {"username": "root", "password": "guess"})
    assert AccessEvent.objects.filter(kind=AccessKind.LOGIN_FAILED, actor_name="root").exists()


def test_a_logout_is_recorded_and_needs_a_post(tree):
    user = make_user(Role.COMMITTEE_OFFICE, tree.ward_a, username="office_a")
    client, _response = password_login("office_a")
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    event = AccessEvent.objects.get(kind=AccessKind.LOGOUT)
    assert event.actor == user
    assert client.get("/").status_code == 302  # logged out


def test_the_error_message_does_not_say_which_part_was_wrong(tree):
    make_user(Role.COMMITTEE_OFFICE, tree.ward_a, username="office_a")
    _c, wrong_password = password_login("office_a", "wrong password")
    _c, unknown_user = password_login("nobody-here", "wrong password")
    assert wrong_password.context["form"].non_field_errors() == (
        unknown_user.context["form"].non_field_errors()
    )
