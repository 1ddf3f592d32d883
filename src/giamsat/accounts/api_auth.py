"""API authentication: bearer tokens (hashed at rest) and the browser session."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from giamsat.accounts.models import ApiToken, User
from giamsat.audit.context import set_request_actor

TOKEN_PREFIX = "gs_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(*, user: User, name: str, expires_at=None) -> tuple[ApiToken, str]:
    """Create a token for ``user``; the clear token is returned once and never stored."""
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, token_hash=hash_token(clear), prefix=clear[:8], expires_at=expires_at
    )
    return token, clear


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=hash_token(token), revoked=False, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.expires_at and found.expires_at <= now:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        # The audit middleware ran before the API knew the user: name the actor now.
        set_request_actor(found.user)
        return found.user


class SessionAuth(NinjaSessionAuth):
    """Session auth that also requires the second factor when the user's roles need it."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None:
            return None
        from giamsat.accounts.middleware import needs_second_factor

        if needs_second_factor(user):
            return None
        return user
