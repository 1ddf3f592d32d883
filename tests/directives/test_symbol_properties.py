"""Properties of the symbol parser: it is the inverse of the formatter, and on any text at all
it either returns a Symbol or raises SymbolError (never another exception)."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from giamsat.directives.symbols import (
    MAX_NUMBER,
    TYPE_CODES,
    Symbol,
    SymbolError,
    format_symbol,
    parse_symbol,
)

_LETTER = st.sampled_from("ABCDEFGHIKLMNOPQRSTUVXYĐ")
_ISSUER_PART = st.text(alphabet="ABCDEGHKLMNOPQRSTUVXYĐƯ0123456789", min_size=0, max_size=6)
issuers = st.builds(
    lambda first, rest, tail: first + rest + (f"-{tail}" if tail else ""),
    _LETTER,
    _ISSUER_PART,
    st.one_of(st.just(""), st.text(alphabet="ABCĐTUW0123456789", min_size=1, max_size=4)),
).filter(lambda code: "TƯ" not in code)

symbols = st.builds(
    Symbol,
    number=st.integers(min_value=1, max_value=MAX_NUMBER),
    type_code=st.sampled_from(sorted(TYPE_CODES)),
    issuer_code=issuers,
)


@given(symbols, st.booleans())
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_parse_is_the_inverse_of_format(symbol, with_prefix):
    """parse(format(x)) == x, with or without the 'Số' prefix, and nothing is corrected."""
    parsed = parse_symbol(format_symbol(symbol, with_prefix=with_prefix))
    assert parsed == symbol
    assert not parsed.corrected


@given(st.text(max_size=60))
@example("03 -KL/TƯ")
@example("٣-KH/TW")
@example("Kế hoạch số")
@example("ß-KH/TW")
@example("03-ﬀ/TW")
@settings(max_examples=1500)
def test_parser_returns_a_symbol_or_raises_symbol_error(text):
    """Fuzzing: any text gives a Symbol whose parts format again, or a SymbolError."""
    try:
        symbol = parse_symbol(text)
    except SymbolError as error:
        assert str(error)
        return
    assert isinstance(symbol, Symbol)
    assert symbol.type_code in TYPE_CODES
    again = parse_symbol(format_symbol(symbol))
    assert (again.number, again.type_code, again.issuer_code) == (
        symbol.number,
        symbol.type_code,
        symbol.issuer_code,
    )


symbolish = st.builds(
    lambda prefix, number, sp1, dash, code, sp2, issuer: (
        f"{prefix}{number}{sp1}{dash}{code}{sp2}/{issuer}"
    ),
    st.sampled_from(["", "Số ", "số: ", "So ", "Kế hoạch số ", "Quy định "]),
    st.integers(min_value=0, max_value=10**12).map(str),
    st.sampled_from(["", " ", "  "]),
    st.sampled_from(["-", "–", "/", "—", "+"]),
    st.sampled_from([*TYPE_CODES, "qd", "QDi", "kh", "XX", "K H"]),
    st.sampled_from(["", " "]),
    st.sampled_from(["TW", "TƯ", "tw", "ĐU", "UBKTTW", "T W", "_", "TW-", "12"]),
)


@given(symbolish)
@settings(max_examples=800)
def test_near_symbols_parse_or_fail_cleanly(text):
    """Text close to a symbol (the likely typos) never escapes as another exception."""
    try:
        symbol = parse_symbol(text)
    except SymbolError:
        return
    assert 1 <= symbol.number <= MAX_NUMBER
    assert symbol.corrected == bool(symbol.corrections)
