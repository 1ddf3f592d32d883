"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

On CI (CI=true) a missing browser is a failure, never a skip. Screenshots go to
``test-artifacts/`` (kept by CI as artefacts).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(os.environ.get("GIAMSAT_ARTIFACTS", "test-artifacts"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    executable = _chromium()
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required for the browser tests on CI (make sys-deps-test)")
        pytest.skip("Chromium is not installed (make sys-deps-test)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, username: str, password: str, *, totp_device=None) -> None:
    """Log in through the real form; answer the TOTP step when the role requires it."""
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-submit")
    if "/accounts/2fa/" in page.url:
        from django_otp.oath import totp

        assert totp_device is not None, "this user needs a TOTP device for the browser test"
        code = f"{totp(totp_device.bin_key, step=totp_device.step, digits=totp_device.digits):06d}"
        page.fill("#id_code", code)
        page.click("#verify-submit")
