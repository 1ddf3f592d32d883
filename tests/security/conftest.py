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


def pytest_terminal_summary(terminalreporter):
    """One line for CI: "permission matrix: N cases, L leaks" (from the matrix tests'
    ``giamsat_matrix`` properties; shown when tests/security is named on the command line —
    the root conftest prints the same counts in every run)."""
    cases = leaks = runs = 0
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "call":
                continue
            for name, value in getattr(report, "user_properties", ()):
                if name == "giamsat_matrix":
                    cases, leaks, runs = cases + value[0], leaks + value[1], runs + 1
    if runs:
        terminalreporter.write_line(f"permission matrix: {cases} cases, {leaks} leaks")


from tests.security.killing import _scratch_template, scratch_db  # noqa: E402,F401 - fixtures
