"""Print the current two-step verification code of a user: ``giamsat totp USERNAME``.

For the demo and for administrators who must help a user at the desk. The code comes from the
user's confirmed TOTP device; a user without one is refused (enrolment happens at the user's
first login, on the verification page). Every use is written to the access log.
"""

from __future__ import annotations

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from giamsat.audit.models import AccessKind
from giamsat.audit.services import record_access
from giamsat.core.management.commands.backup import command_line_actor


def current_code(device: TOTPDevice, at: float | None = None) -> tuple[str, int]:
    """The code ``device`` accepts now and the seconds it stays valid."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    code = f"{totp.token():0{device.digits}d}"
    remaining = device.step - int(totp.time - device.t0) % device.step
    return code, remaining


class Command(BaseCommand):
    help = "Print the current TOTP code of a user's confirmed device (demo, administrators)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--quiet", action="store_true", help="print the code only")

    def handle(self, *args, username: str, quiet: bool, **options):
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            raise CommandError(
                f"{username!r} has no confirmed authenticator device: the user sets one up at "
                "the first login (verification page), or an administrator adds one in the admin."
            )
        code, remaining = current_code(device)
        record_access(
            actor=None,
            actor_name=command_line_actor(),
            kind=AccessKind.READ,
            obj=device,
            label=f"TOTP code of {username}",
            reason="totp command",
        )
        if quiet:
            self.stdout.write(code)
        else:
            self.stdout.write(
                f"{code}  (valid for {remaining} more seconds; device {device.name!r})"
            )
