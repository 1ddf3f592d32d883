"""Sealing the petitioner's identity: Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``)
with the keys in ``settings.GIAMSAT_SEAL_KEYS`` (newest first, MultiFernet for rotation).

Production refuses to start without a key (settings); development and tests derive a key from
SECRET_KEY so that ``make demo`` works out of the box. Nothing here logs or prints a value.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.views.decorators.debug import sensitive_variables


class SealError(Exception):
    """A sealed value cannot be opened with the configured keys."""


def _keys() -> list[bytes]:
    keys = list(getattr(settings, "GIAMSAT_SEAL_KEYS", []) or [])
    if keys:
        return [k.encode() if isinstance(k, str) else k for k in keys]
    if not (settings.DEBUG or getattr(settings, "TESTING", False)):
        raise ImproperlyConfigured("GIAMSAT_SEAL_KEYS is required when DEBUG is off")
    digest = hashlib.sha256(("giamsat-seal-dev:" + settings.SECRET_KEY).encode()).digest()
    return [base64.urlsafe_b64encode(digest)]


def fernet() -> MultiFernet:
    """The MultiFernet of the configured keys; a malformed key is a configuration error."""
    try:
        return MultiFernet([Fernet(k) for k in _keys()])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "GIAMSAT_SEAL_KEYS holds a value that is not a Fernet key (32 url-safe base64 bytes)"
        ) from exc


@sensitive_variables()
def seal(data: dict[str, Any]) -> str:
    """Encrypt ``data`` (JSON) and return the token."""
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
    return fernet().encrypt(payload).decode()


@sensitive_variables()
def unseal(token: str) -> dict[str, Any]:
    """Decrypt a token made by ``seal``."""
    try:
        payload = fernet().decrypt(token.encode())
    except InvalidToken:
        raise SealError("the sealed value cannot be opened with the configured keys") from None
    value = json.loads(payload)
    if not isinstance(value, dict):
        raise SealError("the sealed value is not an identity record")
    return value


def reseal(token: str) -> str:
    """Re-encrypt under the newest key (key rotation)."""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise SealError("the sealed value cannot be opened with the configured keys") from None
