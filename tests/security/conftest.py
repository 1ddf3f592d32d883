"""Helpers of the security tests."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD


def password_login(username: str, password: str = PASSWORD, client: Client | None = None, **extra):
    """Log in through the real login form (password step only); returns (client, response)."""
    client = client or Client()
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )
    return client, response


from tests.security.killing import _scratch_template, scratch_db  # noqa: E402,F401 - fixtures
