"""Finding a unit or a directive from what a person types on the command line."""

from __future__ import annotations

from giamsat.core.text import search_key
from giamsat.directives.models import Directive
from giamsat.directives.symbols import SymbolError, format_symbol, parse_symbol
from giamsat.units.models import Unit


class UnitLookupError(ValueError):
    """Nothing or more than one thing matches; ``candidates`` lists the matches."""

    def __init__(self, message: str, candidates: list | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []


_GENERIC_PREFIXES = ("dang bo ", "dang uy ", "chi bo ")


def _without_prefix(key: str) -> str:
    for prefix in _GENERIC_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def resolve_unit(text: str, queryset=None) -> Unit:
    """A unit by id, by code, or by a fragment of its name matched without diacritics.

    An exact name (diacritics and case aside) wins over fragments; several matches raise
    ``UnitLookupError`` with the candidates.
    """
    units = queryset if queryset is not None else Unit.objects.all()
    raw = text.strip()
    if raw.isdigit():
        found = units.filter(pk=int(raw)).first()
        if found is not None:
            return found
    by_code = units.filter(code__iexact=raw).first()
    if by_code is not None:
        return by_code
    key = search_key(raw)
    if not key:
        raise UnitLookupError(f"'{text}' names no unit")
    matches = list(units.filter(name_search__contains=key).order_vi()[:51])
    exact = [u for u in matches if u.name_search == key]
    if len(exact) == 1:
        return exact[0]
    # "thanh pho thanh hoa" names "Đảng bộ thành phố Thanh Hóa" exactly, not its police.
    bare = [u for u in matches if _without_prefix(u.name_search) == key]
    if len(bare) == 1:
        return bare[0]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise UnitLookupError(f"no unit matches '{text}'")
    raise UnitLookupError(f"'{text}' matches {len(matches)} units; be more precise", matches[:50])


def resolve_directive(text: str) -> Directive:
    """A directive by its number and symbol (any accepted spelling or a registered alias)."""
    try:
        symbol = format_symbol(parse_symbol(text))
    except SymbolError as exc:
        raise UnitLookupError(f"'{text}': {exc}") from None
    matches = list(Directive.objects.search(symbol).order_by("-issued_on"))
    exact = [d for d in matches if d.symbol == symbol]
    if len(exact) == 1:
        return exact[0]
    if not exact and len(matches) == 1:
        return matches[0]
    if not matches:
        raise UnitLookupError(f"no directive {symbol} is registered")
    raise UnitLookupError(f"{symbol} matches {len(matches)} directives", matches)
