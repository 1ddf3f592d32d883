"""Every change — through a page, the admin, the API (token or session) or a command — is
logged by django-auditlog with its actor, time, old and new values, and the unit it concerns."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client, override_settings
from django.utils import timezone

from giamsat.accounts.api_auth import issue_token
from giamsat.audit.context import acting_as
from giamsat.audit.models import ChangeUnit
from giamsat.core.models import CalendarAdjustment
from giamsat.units.models import Unit
from giamsat.units.services import rename_unit
from tests.conftest import client_for
from tests.factories import make_user

TEST_URLS = "tests.audit.urls_for_tests"


def _last_unit_update(unit: Unit) -> LogEntry:
    return (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Unit),
            object_pk=str(unit.pk),
            action=LogEntry.Action.UPDATE,
        )
        .order_by("-pk")
        .first()
    )


def _assert_rename_logged(unit: Unit, actor, old: str, new: str) -> LogEntry:
    entry = _last_unit_update(unit)
    assert entry is not None, "the rename was not logged"
    assert entry.actor_id == actor.pk
    assert entry.changes_dict["name"] == [old, new]
    assert abs((timezone.now() - entry.timestamp).total_seconds()) < 60
    assert ChangeUnit.objects.get(log_entry=entry).unit_id == unit.pk
    return entry


@override_settings(ROOT_URLCONF=TEST_URLS)
def test_a_change_through_a_page_records_the_logged_in_user(tree, users):
    client = client_for(users.authorised)
    response = client.post(f"/test-rename/{tree.ward_a.pk}/", {"name": "Đảng bộ phường Mới"})
    assert response.status_code == 200
    entry = _assert_rename_logged(
        tree.ward_a, users.authorised, "Đảng bộ phường Trường Thi", "Đảng bộ phường Mới"
    )
    assert entry.remote_addr == "127.0.0.1"


@override_settings(ROOT_URLCONF=TEST_URLS)
def test_a_change_through_the_api_with_a_token_records_the_token_owner(tree, users):
    _token, clear = issue_token(user=users.authorised, name="integration")
    response = Client().post(
        f"/test-api/units/{tree.ward_b.pk}/rename?name=Phường B mới",
        HTTP_AUTHORIZATION=f"Bearer {clear}",
    )
    assert response.status_code == 200, response.content
    _assert_rename_logged(tree.ward_b, users.authorised, "Đảng bộ phường Điện Biên", "Phường B mới")


@override_settings(ROOT_URLCONF=TEST_URLS)
def test_a_change_through_the_api_with_a_session_records_the_session_user(tree, users):
    client = client_for(users.authorised)
    response = client.post(f"/test-api/units/{tree.cell_a1.pk}/rename?name=Chi bộ mới")
    assert response.status_code == 200, response.content
    _assert_rename_logged(tree.cell_a1, users.authorised, "Chi bộ khu phố 1", "Chi bộ mới")


@override_settings(ROOT_URLCONF=TEST_URLS)
def test_the_token_actor_does_not_leak_into_the_next_request(tree, users):
    """A later anonymous change (e.g. a public form) is not attributed to the last token user."""
    _token, clear = issue_token(user=users.authorised, name="integration")
    Client().post(
        f"/test-api/units/{tree.ward_b.pk}/rename?name=X", HTTP_AUTHORIZATION=f"Bearer {clear}"
    )
    rename_unit(unit=tree.ward_a, name="Không ai", date=dt.date(2024, 1, 1))
    assert _last_unit_update(tree.ward_a).actor_id is None


def test_a_change_through_the_admin_records_the_administrator(db):
    admin = make_user(username="root", is_staff=True, is_superuser=True)
    day = CalendarAdjustment.objects.create(day=dt.date(2025, 9, 1), reason="Nghỉ bù")
    client = client_for(admin)
    response = client.post(
        f"/admin/core/calendaradjustment/{day.pk}/change/",
        {"day": "01/09/2025", "reason": "Nghỉ bù Quốc khánh", "source": "Thông báo 123"},
    )
    assert response.status_code == 302, response.content[:2000]
    entry = LogEntry.objects.get_for_object(day).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor_id == admin.pk
    assert entry.changes_dict["reason"] == ["Nghỉ bù", "Nghỉ bù Quốc khánh"]
    assert entry.changes_dict["source"] == ["", "Thông báo 123"]


def test_a_service_run_by_a_command_records_the_acting_user(tree, users):
    with acting_as(users.authorised):
        rename_unit(unit=tree.cell_b1, name="Chi bộ khu phố 3 (mới)", date=dt.date(2024, 1, 1))
    _assert_rename_logged(
        tree.cell_b1, users.authorised, "Chi bộ khu phố 3", "Chi bộ khu phố 3 (mới)"
    )
    # Outside the block nobody is named.
    rename_unit(unit=tree.cell_b1, name="Chi bộ khu phố 3", date=dt.date(2024, 2, 1))
    assert _last_unit_update(tree.cell_b1).actor_id is None


def test_creates_and_deletes_are_logged_with_their_values_and_unit(tree, users):
    with acting_as(users.admin):
        day = CalendarAdjustment.objects.create(day=dt.date(2025, 9, 2), reason="Nghỉ lễ")
        pk = day.pk
        day.delete()
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(CalendarAdjustment), object_pk=str(pk)
    ).order_by("pk")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.DELETE]
    assert all(e.actor_id == users.admin.pk for e in entries)
    assert entries[0].changes_dict["reason"] == [None, "Nghỉ lễ"] or entries[0].changes_dict[
        "reason"
    ] == ["None", "Nghỉ lễ"]


def test_secrets_never_reach_the_change_log(tree, users):
    user = make_user(username="secretive")
    user.set_password("a new long passphrase 2025")
    user.save()
    _token, clear = issue_token(user=user, name="t")
    everything = " ".join(str(e.changes) for e in LogEntry.objects.all())
    assert "md5$" not in everything and "pbkdf2" not in everything
    assert clear not in everything
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    entry = LogEntry.objects.get_for_object(device).get()
    assert set(entry.changes_dict) <= {"user", "name", "confirmed"}
    assert device.key not in str(entry.changes)


@pytest.mark.parametrize("model_label", ["units.Unit", "people.Person", "accounts.RoleAssignment"])
def test_the_foundation_models_are_registered(model_label):
    from auditlog.registry import auditlog
    from django.apps import apps

    assert auditlog.contains(apps.get_model(model_label))


@override_settings(ROOT_URLCONF=TEST_URLS)
def test_a_command_after_a_request_takes_nothing_from_that_request(tree, users):
    """acting_as must not inherit the address (or actor) of a request that has ended."""
    client_for(users.authorised).post(f"/test-rename/{tree.ward_a.pk}/", {"name": "A"})
    with acting_as(users.admin):
        rename_unit(unit=tree.ward_b, name="B", date=dt.date(2024, 1, 1))
    entry = _last_unit_update(tree.ward_b)
    assert entry.actor_id == users.admin.pk
    assert entry.remote_addr is None
