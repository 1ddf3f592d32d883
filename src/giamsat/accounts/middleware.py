"""Require a verified second factor for users whose roles need one (django-otp).

A user who passed the password step but not the second factor may reach only the pages needed
to finish (or abandon) logging in. Everything else — including "my account", where API tokens
are issued — redirects to the verification page; the API refuses such a session itself
(``api_auth.SessionAuth``).
"""

from __future__ import annotations

from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from giamsat.accounts.scoping import requires_2fa

# Paths a half-logged-in user may still reach (the API checks the second factor itself).
_OPEN_PREFIXES = ("/static/", "/i18n/", "/hotline/", "/healthz", "/api/")
_OPEN_URL_NAMES = ("accounts:login", "accounts:logout", "accounts:two_factor")


@cache
def _open_paths() -> frozenset[str]:
    return frozenset(reverse(name) for name in _OPEN_URL_NAMES)


def needs_second_factor(user) -> bool:
    """Whether ``user`` is logged in with a password only but must also verify a TOTP code."""
    return bool(
        settings.GIAMSAT_REQUIRE_2FA
        and user is not None
        and user.is_authenticated
        and requires_2fa(user)
        and not user.is_verified()
    )


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if (
            not path.startswith(_OPEN_PREFIXES)
            and path not in _open_paths()
            and needs_second_factor(getattr(request, "user", None))
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:two_factor')}?{query}")
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Pages and files served to a logged-in user are never stored by browsers or proxies
    (ASVS 8.2.1): party records must not linger in a shared computer's cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response
