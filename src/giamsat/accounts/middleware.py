"""Require a verified second factor for users whose roles need one (django-otp)."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from giamsat.accounts.scoping import requires_2fa

# Paths a half-logged-in user may still reach.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/hotline/", "/healthz", "/api/")


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.GIAMSAT_REQUIRE_2FA
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and requires_2fa(user)
            and not user.is_verified()
        ):
            return redirect(f"{reverse('accounts:two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)
