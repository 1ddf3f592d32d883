"""Roles that handle inspection, discipline, petitions and sealed identities must pass a TOTP
second factor before reaching anything: pages, the account page (API tokens) or the API."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from giamsat.accounts.models import ApiToken
from giamsat.accounts.roles import ROLE_SPECS, Cap, Role
from giamsat.audit.models import AccessEvent, AccessKind
from giamsat.core.management.commands.totp import current_code
from tests.factories import add_totp_device, make_user
from tests.security.conftest import password_login

SENSITIVE = {
    Cap.VIEW_DISCIPLINE,
    Cap.MANAGE_DISCIPLINE,
    Cap.VIEW_PETITIONS,
    Cap.HANDLE_PETITIONS,
    Cap.APPROVE_IDENTITY_GRANTS,
    Cap.MANAGE_OVERSIGHT,
    Cap.VIEW_AUDIT,
    Cap.ADMIN,
}


@pytest.mark.parametrize("role", list(Role))
def test_every_role_that_reaches_sensitive_records_requires_the_second_factor(role):
    spec = ROLE_SPECS[role]
    if spec.capabilities & SENSITIVE:
        assert spec.requires_2fa, f"{role} reaches {spec.capabilities & SENSITIVE} without 2FA"


@pytest.fixture
def officer(tree):
    user = make_user(Role.INSPECTION, tree.city, username="ubkt_2fa")
    return user, add_totp_device(user)


def test_after_the_password_every_page_asks_for_the_code(officer):
    client, response = password_login("ubkt_2fa")
    assert response.status_code == 302
    for path in ("/", reverse("units:tree"), reverse("audit:home"), "/admin/"):
        page = client.get(path)
        assert page.status_code == 302, path
        assert page["Location"].startswith(reverse("accounts:two_factor") + "?next=")


def test_the_account_page_and_token_issuing_wait_for_the_code(officer):
    """Otherwise a stolen password alone could mint an API token that skips the second factor."""
    client, _response = password_login("ubkt_2fa")
    assert client.get(reverse("accounts:profile")).status_code == 302
    response = client.post(reverse("accounts:create_token"), {"name": "bypass"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor"))
    assert not ApiToken.objects.exists()
    assert client.get(reverse("accounts:password_change")).status_code == 302


def test_the_api_refuses_a_session_without_the_code(officer):
    client, _response = password_login("ubkt_2fa")
    assert client.get("/api/v1/audit/access-events").status_code == 401


def test_the_right_code_opens_pages_and_api(officer):
    user, device = officer
    client, _response = password_login("ubkt_2fa")
    code, _left = current_code(device)
    response = client.post(reverse("accounts:two_factor"), {"code": code, "next": "/audit/"})
    assert response.status_code == 302 and response["Location"] == "/audit/"
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/audit/access-events").status_code == 200
    passed = AccessEvent.objects.filter(actor=user, kind=AccessKind.LOGIN).order_by("pk")
    assert [e.reason for e in passed] == ["", "two-step verification passed"]


def test_a_wrong_code_is_refused_explained_and_recorded(officer):
    user, _device = officer
    client, _response = password_login("ubkt_2fa")
    response = client.post(reverse("accounts:two_factor"), {"code": "000000"})
    assert response.status_code == 200
    assert response.context["error"]
    assert client.get("/").status_code == 302
    failed = AccessEvent.objects.get(kind=AccessKind.LOGIN_FAILED)
    assert failed.actor is None and failed.actor_name == "ubkt_2fa"
    assert failed.object_id == str(user.pk)
    assert failed.reason == "wrong two-step verification code"


def test_repeated_wrong_codes_are_throttled(officer):
    """django-otp doubles the wait after each failure; even the right code then waits."""
    _user, device = officer
    client, _response = password_login("ubkt_2fa")
    for _ in range(3):
        client.post(reverse("accounts:two_factor"), {"code": "000000"})
    code, _left = current_code(device)
    response = client.post(reverse("accounts:two_factor"), {"code": code})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_a_next_parameter_cannot_send_the_user_elsewhere(officer):
    _user, device = officer
    client, _response = password_login("ubkt_2fa")
    code, _left = current_code(device)
    response = client.post(
        reverse("accounts:two_factor"), {"code": code, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_a_user_without_a_device_enrols_one_at_first_login(tree):
    user = make_user(Role.CUSTODIAN, tree.city, username="custodian_new")
    client, _response = password_login("custodian_new")
    page = client.get(reverse("accounts:two_factor"))
    assert page.context["enrolling"] is True and page.context["secret"]
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code, _left = current_code(device)
    client.post(reverse("accounts:two_factor"), {"code": code})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_roles_without_the_requirement_log_in_with_the_password(tree):
    make_user(Role.COMMITTEE_OFFICE, tree.city, username="office")
    client, _response = password_login("office")
    assert client.get("/").status_code == 200


@override_settings(GIAMSAT_REQUIRE_2FA=False)
def test_the_demo_switch_turns_enforcement_off(officer):
    client, _response = password_login("ubkt_2fa")
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/audit/access-events").status_code == 200
