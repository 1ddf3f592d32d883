"""`giamsat totp USERNAME` prints the code the user's device accepts now, refuses users without
a device, and leaves a trace in the access log."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from giamsat.accounts.roles import Role
from giamsat.audit.models import AccessEvent, AccessKind
from tests.factories import add_totp_device, make_user


def test_it_prints_a_code_the_device_accepts(tree):
    user = make_user(Role.INSPECTION, tree.city, username="ubkt")
    device = add_totp_device(user)
    out = io.StringIO()
    call_command("totp", "ubkt", "--quiet", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    assert device.verify_token(code)
    event = AccessEvent.objects.get(kind=AccessKind.READ, object_type="otp_totp.TOTPDevice")
    assert event.unit == tree.city and "(command line)" in event.actor_name


def test_the_long_form_says_how_long_the_code_lasts(tree):
    user = make_user(Role.INSPECTION, tree.city, username="ubkt")
    add_totp_device(user)
    out = io.StringIO()
    call_command("totp", "ubkt", stdout=out)
    assert "valid for" in out.getvalue()


def test_a_user_without_a_device_is_refused(tree):
    make_user(Role.INSPECTION, tree.city, username="ubkt")
    with pytest.raises(CommandError, match="no confirmed authenticator"):
        call_command("totp", "ubkt")


def test_an_unknown_user_is_refused(db):
    with pytest.raises(CommandError, match="No user"):
        call_command("totp", "ghost")
