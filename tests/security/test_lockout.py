"""After AXES_FAILURE_LIMIT wrong passwords the account is locked for that address for the
cool-off time, with a clear Vietnamese page; the lockout is audited and expires."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from giamsat.accounts.roles import Role
from giamsat.audit.models import AccessEvent, AccessKind
from tests.factories import make_user
from tests.security.conftest import password_login

pytestmark = pytest.mark.usefixtures("axes_on")


@pytest.fixture
def axes_on():
    with override_settings(AXES_ENABLED=True):
        yield


@pytest.fixture
def office(tree):
    return make_user(Role.COMMITTEE_OFFICE, tree.ward_a, username="office_a")


def _fail(times: int, ip: str = "10.0.0.1") -> None:
    for _ in range(times):
        password_login("office_a", "wrong password", REMOTE_ADDR=ip)


def test_settings_lock_after_five_failures_for_thirty_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == 0.5
    assert settings.AXES_RESET_ON_SUCCESS


def test_the_limit_locks_even_the_right_password_with_a_vietnamese_page(office):
    with time_machine.travel(timezone.now(), tick=False):
        _fail(settings.AXES_FAILURE_LIMIT)
        client, response = password_login("office_a", REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    html = response.content.decode()
    assert "tạm khóa" in html.lower()
    assert "30 phút" in html
    assert client.get("/").status_code == 302  # not logged in
    locked = AccessEvent.objects.filter(kind=AccessKind.LOGIN_FAILED).latest("pk")
    assert locked.reason == "locked out after repeated failures"


def test_fewer_failures_do_not_lock(office):
    _fail(settings.AXES_FAILURE_LIMIT - 1)
    client, response = password_login("office_a", REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_the_lock_ends_after_the_cool_off_counted_from_the_last_try(office):
    start = timezone.now()

    def attempt_at(minutes: int) -> int:
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            return password_login("office_a", REMOTE_ADDR="10.0.0.1")[1].status_code

    with time_machine.travel(start, tick=False):
        _fail(settings.AXES_FAILURE_LIMIT)
    assert attempt_at(20) == 429
    # 35 minutes after the failures, but 15 after the last try: trying restarts the wait.
    assert attempt_at(35) == 429
    assert attempt_at(35 + 31) == 302


def test_the_lock_is_per_account_and_address(office):
    """Another address can still log in (a locked account is not a denial of service)."""
    _fail(settings.AXES_FAILURE_LIMIT, ip="10.0.0.1")
    assert password_login("office_a", REMOTE_ADDR="10.0.0.2")[1].status_code == 302
