"""Every state-changing request without a CSRF token is refused: every page of the site (the
sweep picks up new apps' URLs) and every unsafe API operation called with a browser session."""

from __future__ import annotations

from django.test import Client
from django.urls import resolve

from giamsat.api import api
from tests.conftest import client_for
from tests.factories import make_user
from tests.security.urls import is_api, site_paths


def _verified_admin_client() -> Client:
    admin = make_user(username="csrf_root", is_staff=True, is_superuser=True)
    client = client_for(admin)
    client.handler.enforce_csrf_checks = True
    return client


HAND_CHECKED = {"hotline:home", "hotline:status", "hotline:follow_up"}


def test_every_page_refuses_a_post_without_a_token(db):
    client = _verified_admin_client()
    checked, exempt = [], []
    for site_path in site_paths():
        if is_api(site_path):
            continue
        match = resolve(site_path.path)
        assert match.func == site_path.callback, site_path
        if getattr(site_path.callback, "csrf_exempt", False):
            # Exempt from the middleware only to check the token by hand after a cheaper
            # check (the public hotline refuses an oversized body before parsing it).
            exempt.append(site_path.name)
        response = client.post(site_path.path, {"anything": "1"})
        assert response.status_code == 403, (site_path.path, response.status_code)
        assert b"CSRF" in response.content
        checked.append(site_path.name)
    assert set(exempt) <= HAND_CHECKED, f"views exempt from CSRF: {exempt}"
    assert "accounts:login" in checked and "accounts:logout" in checked
    assert "core:download" in checked and "audit:home" in checked
    assert len(checked) >= 20


def test_the_same_post_with_a_token_gets_through(db):
    """The refusal above is the CSRF check, not something else."""
    client = _verified_admin_client()
    client.get("/accounts/me/")
    token = client.cookies["csrftoken"].value
    response = client.post("/accounts/me/tokens/", {"name": "ok", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def _unsafe_api_operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    found = []
    for path, operations in schema["paths"].items():
        for method in operations:
            if method.lower() in ("post", "put", "patch", "delete"):
                found.append((method.lower(), path))
    return found


def test_every_unsafe_api_operation_refuses_a_session_without_a_token(db):
    client = _verified_admin_client()
    for method, path in _unsafe_api_operations():
        concrete = path.replace("{", "").replace("}", "")
        concrete = "/".join(
            "1" if part.endswith("id") or part == "pk" else part for part in concrete.split("/")
        )
        response = getattr(client, method)(concrete, data={}, content_type="application/json")
        assert response.status_code == 403, (method, path, response.status_code)


def test_the_api_session_check_works(db, settings, tree):
    """Proven on a test endpoint until the apps add unsafe operations of their own."""
    settings.ROOT_URLCONF = "tests.audit.urls_for_tests"
    client = _verified_admin_client()
    response = client.post(f"/test-api/units/{tree.ward_a.pk}/rename?name=X")
    assert response.status_code == 403
    token = make_user(username="token_user")
    from giamsat.accounts.api_auth import issue_token

    _t, clear = issue_token(user=token, name="t")
    # A bearer token is not a browser credential: no CSRF token needed.
    response = Client(enforce_csrf_checks=True).post(
        f"/test-api/units/{tree.ward_a.pk}/rename?name=Y", HTTP_AUTHORIZATION=f"Bearer {clear}"
    )
    assert response.status_code == 200
