"""Hostile text never breaks the document symbol parser: any string gives a Symbol or a
SymbolError (never another exception), and what it parses writes back to the same symbol."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from giamsat.directives.symbols import TYPE_CODES, Symbol, SymbolError, format_symbol, parse_symbol

# Text shaped like symbols (digits, dashes, slashes, Vietnamese letters, spaces, odd Unicode).
ALPHABET = st.sampled_from(
    [
        *"0123456789-/–— .:SốôoKHLQĐđiTWƯưUBkhtw",
        *["\u00a0", "\u200b", "\u0301", "٣", "１", "\x00", "\n", "\t", "Số ", "TƯ", "QĐi"],
    ]
)
symbol_like = st.lists(ALPHABET, max_size=40).map("".join)


def _outcome(text: str) -> Symbol | None:
    try:
        result = parse_symbol(text)
    except SymbolError:
        return None
    assert isinstance(result, Symbol)
    return result


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=60), symbol_like))
def test_any_text_gives_a_symbol_or_a_symbol_error(text):
    _outcome(text)


@given(st.integers(min_value=1, max_value=10**6), st.text(min_size=0, max_size=3))
def test_huge_and_odd_numbers(number, tail):
    _outcome(f"{number}-KH/TW{tail}")
    _outcome("9" * 5000 + "-KH/TW")


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), symbol_like))
def test_what_parses_writes_back_to_itself(text):
    parsed = _outcome(text)
    if parsed is not None:
        again = parse_symbol(format_symbol(parsed))
        assert again == parsed and not again.corrected


@given(
    st.integers(min_value=1, max_value=99999),
    st.sampled_from(sorted(TYPE_CODES)),
    # "TƯ" is corrected to "TW" on purpose (the seed article's spelling).
    st.from_regex(r"\A[A-ZĐƯ][A-ZĐƯ0-9]{0,8}\Z").filter(lambda issuer: "TƯ" not in issuer),
)
def test_well_formed_symbols_are_read_exactly(number, type_code, issuer):
    symbol = parse_symbol(f"{number:02d}-{type_code}/{issuer}")
    assert (symbol.number, symbol.type_code, symbol.issuer_code) == (number, type_code, issuer)
    assert not symbol.corrected
