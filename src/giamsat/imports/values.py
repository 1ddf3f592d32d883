"""Reading cell values: text, dates, numbers typed as text, coded words. Each parser returns the
value or raises ``CellError`` with a message for the user (Vietnamese through gettext)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

from giamsat.core.dates import format_date, parse_date
from giamsat.core.text import normalize, search_key
from giamsat.imports.columns import NO, YES

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./-]{0,39}$")
CARD_RE = re.compile(r"^[A-Za-z0-9-]{4,20}$")
EARLIEST = dt.date(1900, 1, 1)
_MESSY = re.compile(r"\s\s|[\t\n\r\xa0]")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


class CellError(ValueError):
    """A cell that cannot be read; the message says why."""


def text(value: Any) -> str | None:
    """A cell as text: numbers without a trailing ".0", whitespace collapsed, empty → None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return format_date(value)
    result = str(value).strip()
    if _MESSY.search(result) or not unicodedata.is_normalized("NFC", result):
        result = normalize(result)
    return result or None


def date(value: Any, *, latest: dt.date | None = None) -> dt.date | None:
    """A date cell (Excel date) or text dd/mm/yyyy, d/m/yyyy or yyyy-mm-dd."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        result = value.date()
    elif isinstance(value, dt.date):
        result = value
    elif isinstance(value, int | float):
        if 1900 <= value <= 2100 and float(value).is_integer():
            raise CellError(
                _("Only a year (%(year)d) is given: write the full date dd/mm/yyyy.")
                % {"year": int(value)}
            )
        raise CellError(
            _("%(value)s is a number, not a date: write the date as dd/mm/yyyy.") % {"value": value}
        )
    else:
        raw = str(value).strip()
        quick = _DMY.fullmatch(raw)
        if quick is not None:
            try:
                result = dt.date(int(quick[3]), int(quick[2]), int(quick[1]))
            except ValueError:
                quick = None
        if quick is None:
            result = _slow_date(normalize(raw))
    if result < EARLIEST:
        raise CellError(
            _("%(date)s is before 1900: check the year.") % {"date": format_date(result)}
        )
    if latest is not None and result > latest:
        raise CellError(
            _("%(date)s is in the future (after %(latest)s).")
            % {"date": format_date(result), "latest": format_date(latest)}
        )
    return result


def _slow_date(raw: str) -> dt.date:
    if re.fullmatch(r"\d{4}", raw):
        raise CellError(
            _("Only a year (%(year)s) is given: write the full date dd/mm/yyyy.") % {"year": raw}
        )
    try:
        return parse_date(raw)
    except ValueError:
        raise CellError(
            _("“%(value)s” is not a date: write dd/mm/yyyy (e.g. 19/05/2005) or yyyy-mm-dd.")
            % {"value": raw[:40]}
        ) from None


def code(value: Any) -> str | None:
    raw = text(value)
    if raw is None:
        return None
    if not CODE_RE.match(raw):
        raise CellError(
            _(
                "“%(value)s” is not a valid code: use letters, digits and - _ . / only, no spaces, "
                "at most 40 characters."
            )
            % {"value": raw[:50]}
        )
    return raw


def codes(value: Any) -> list[str]:
    """Several codes separated by ; or , or new lines."""
    raw = text(value)
    if raw is None:
        return []
    result = []
    for part in re.split(r"[;,\n]+", raw):
        part = part.strip()
        if part:
            checked = code(part)
            if checked is not None:
                result.append(checked)
    return result


def card_number(value: Any) -> str | None:
    raw = text(value)
    if raw is None:
        return None
    raw = re.sub(r"[\s.]", "", raw)
    if not CARD_RE.match(raw):
        raise CellError(
            _("“%(value)s” is not a party card number (4 to 20 letters or digits).")
            % {"value": raw[:30]}
        )
    return raw


def identity_number(value: Any) -> tuple[str | None, str | None]:
    """(number, warning). 12 digits (personal identification number) or 9 (old identity
    card). A number cell of 11 digits lost its leading 0 in Excel: it is restored, with a
    warning."""
    if value is None:
        return None, None
    numeric_cell = isinstance(value, int | float) and not isinstance(value, bool)
    raw = text(value)
    if raw is None:
        return None, None
    raw = re.sub(r"[\s.]", "", raw)
    if not raw.isdigit():
        raise CellError(
            _("“%(value)s” is not an identity number: digits only.") % {"value": raw[:30]}
        )
    if numeric_cell and len(raw) in (8, 11):
        restored = "0" + raw
        return restored, _(
            "The identity number was stored as a number and lost its leading 0; read as "
            "%(number)s. Type the column as text."
        ) % {"number": restored}
    if len(raw) not in (9, 12):
        raise CellError(
            _(
                "“%(value)s” has %(count)d digits: an identity number has 12 digits (or 9 on an "
                "old identity card)."
            )
            % {"value": raw, "count": len(raw)}
        )
    return raw, None


def choice(value: Any, vocabulary: dict[str, str], accepted: str) -> str | None:
    raw = text(value)
    if raw is None:
        return None
    found = vocabulary.get(_word_key(raw))
    if found is None:
        raise CellError(
            _("“%(value)s” is not recognised; accepted: %(accepted)s.")
            % {"value": raw[:40], "accepted": accepted}
        )
    return found


@lru_cache(maxsize=4096)
def _word_key(raw: str) -> str:
    """search_key of a coded word; the same few words repeat on every row."""
    return search_key(raw)


def yes_no(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    key = search_key(text(value) or "")
    if key in YES:
        return True
    if key in NO:
        return False
    raise CellError(
        _("“%(value)s” is not yes or no: write Có or Không.") % {"value": str(value)[:20]}
    )
