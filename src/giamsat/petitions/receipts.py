"""Receipt codes (mã tra cứu) given to a petitioner: 20 random decimal digits from ``secrets``
(about 66 bits), shown once, stored only as HMAC-SHA256 under the server key
``GIAMSAT_RECEIPT_KEY``. Without that key a copy of the database cannot be searched for codes;
with the public lookup rate-limited, guessing one of 10^20 codes online is hopeless.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.conf import settings

RECEIPT_DIGITS = 20
_NON_DIGITS = re.compile(r"\D+")


def new_code() -> str:
    return f"{secrets.randbelow(10**RECEIPT_DIGITS):0{RECEIPT_DIGITS}d}"


def format_code(code: str) -> str:
    """Groups of four digits, easier to copy by hand: 1234 5678 9012 3456 7890."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise(text: str) -> str | None:
    """The digits of a typed code (spaces, dashes ignored), or None if it cannot be a code."""
    digits = _NON_DIGITS.sub("", text or "")
    return digits if len(digits) == RECEIPT_DIGITS else None


def hash_code(code: str) -> str:
    key = settings.GIAMSAT_RECEIPT_KEY.encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()
