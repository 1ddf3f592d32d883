"""Real "số và ký hiệu" (HD 36-HD/VPTW) parse to number, type and issuer; malformed ones are
normalised and flagged with what changed, never silently turned into another document type;
text that is no symbol raises SymbolError saying what is wrong."""

from __future__ import annotations

import pytest
from django.utils import translation

from giamsat.directives.symbols import (
    MAX_NUMBER,
    Symbol,
    SymbolError,
    format_symbol,
    parse_symbol,
)

# Symbols read in real documents (rules.md §7.1), written canonically: nothing to correct.
CANONICAL = [
    ("Số 03-KH/TW", 3, "KH", "TW"),
    ("03-KH/TW", 3, "KH", "TW"),
    ("08-QĐi/TW", 8, "QĐi", "TW"),
    ("07-QĐi/TW", 7, "QĐi", "TW"),
    ("123-BC/TU", 123, "BC", "TU"),
    ("45-KH/ĐU", 45, "KH", "ĐU"),
    ("09-KH/ĐU", 9, "KH", "ĐU"),
    ("05-HD/UBKTTW", 5, "HD", "UBKTTW"),
    ("13-QĐ/UBKTTW", 13, "QĐ", "UBKTTW"),
    ("1127-QĐ/TU", 1127, "QĐ", "TU"),
    ("10072-CV/BTCTW", 10072, "CV", "BTCTW"),
    ("36-HD/VPTW", 36, "HD", "VPTW"),
    ("21-KL/TW", 21, "KL", "TW"),
    ("22-QĐ/TW", 22, "QĐ", "TW"),
    ("296-QĐ/TW", 296, "QĐ", "TW"),
    ("04-NQ/TW", 4, "NQ", "TW"),
    ("05-CT/TW", 5, "CT", "TW"),
    ("43-HD/BTCTW", 43, "HD", "BTCTW"),
    ("24-BS/UBKTTU", 24, "BS", "UBKTTU"),
    ("Số: 127-QĐ/TW", 127, "QĐ", "TW"),
    ("số 36-HD/VPTW", 36, "HD", "VPTW"),
]


@pytest.mark.parametrize(("text", "number", "type_code", "issuer"), CANONICAL)
def test_real_symbols_parse_without_corrections(text, number, type_code, issuer):
    """A well-written symbol gives its parts and is not flagged as corrected."""
    symbol = parse_symbol(text)
    assert (symbol.number, symbol.type_code, symbol.issuer_code) == (number, type_code, issuer)
    assert symbol.corrected is False
    assert symbol.corrections == ()


# Variants seen in the wild: (text, canonical result, a word every correction list must hold).
VARIANTS = [
    # The seed article: spaces before the dash and "TƯ" for TW. The type stays KL.
    ("03 -KL/TƯ", "03-KL/TW", ["spaces", "TƯ"]),
    ("Số 03 -KL/TƯ", "03-KL/TW", ["spaces", "TƯ"]),
    # The army writes a slash after the number (rules.md §7.1).
    ("646/QĐ/QUTW", "646-QĐ/QUTW", ["'/'"]),
    ("03 – KH / TW", "03-KH/TW", ["spaces", "dash"]),
    ("03—KH/TW", "03-KH/TW", ["dash"]),
    ("08-QDi/TW", "08-QĐi/TW", ["QDi"]),
    ("08-QDI/TW", "08-QĐi/TW", ["QDI"]),
    ("37-QD/TW", "37-QĐ/TW", ["QD"]),
    ("03-kh/tw", "03-KH/TW", ["kh", "tw"]),
    ("05-hd/ubkttw", "05-HD/UBKTTW", ["hd", "ubkttw"]),
    ("12-ctr/tu", "12-CTr/TU", ["ctr"]),
    ("Kế hoạch số 03-KH/TW", "03-KH/TW", ["kế hoạch"]),
    ("Ke hoach so 03-KH/TW", "03-KH/TW", ["kế hoạch"]),
    ("  Số   03-KH/TW  ", "03-KH/TW", None),
]


@pytest.mark.parametrize(("text", "expected", "mentions"), VARIANTS)
def test_variants_are_normalised_and_flagged(text, expected, mentions):
    """Each variant gives the canonical symbol, flagged corrected, with what was changed."""
    with translation.override("en"):
        symbol = parse_symbol(text)
    assert format_symbol(symbol) == expected
    if mentions is None:  # whitespace around the whole text is not a correction
        assert symbol.corrected is False
        return
    assert symbol.corrected is True
    notes = " | ".join(symbol.corrections)
    for word in mentions:
        assert word in notes, notes


def test_the_seed_symbol_is_never_turned_into_a_plan():
    """'Kế hoạch số 03 -KL/TƯ' keeps type KL and says the name and the code disagree."""
    with translation.override("en"):
        symbol = parse_symbol("Kế hoạch số 03 -KL/TƯ")
    assert (symbol.number, symbol.type_code, symbol.issuer_code) == (3, "KL", "TW")
    assert symbol.corrected
    notes = " | ".join(symbol.corrections)
    assert "kế hoạch" in notes and "KL" in notes and "check the document" in notes
    assert symbol != parse_symbol("03-KH/TW")


def test_a_corrected_symbol_is_not_equal_to_its_canonical_form():
    """``corrected`` is part of the value: a flagged result never compares equal silently."""
    assert parse_symbol("03 -KL/TƯ") != Symbol(3, "KL", "TW")
    assert parse_symbol("03 -KL/TƯ") == Symbol(3, "KL", "TW", corrected=True)


INVALID = [
    ("", "empty"),
    ("   ", "empty"),
    ("KH/TW", "does not start with a document number"),
    ("Kế hoạch thực hiện", "does not start with a document number"),
    ("03-KH", "no '/'"),
    ("03 KH TW", "no '/'"),
    ("03-XY/TW", "unknown document type 'XY'"),
    ("03-KH/", "not of the form"),
    ("03-/TW", "not of the form"),
    ("0-KH/TW", "1 or more"),
    ("000-KH/TW", "1 or more"),
    ("03-KH/T_W", "issuer code"),
    ("03-KH/TW-", "issuer code"),
    ("1234567890-KH/TW", "too long"),
    ("9" * 5000 + "-KH/TW", "too long"),
    ("123/QĐ-UBND", "state document"),
    ("30/2020/NĐ-CP", "state document"),
    ("03-KH/TW ngày 01/12/2021", "not of the form"),
]


@pytest.mark.parametrize(("text", "reason"), INVALID)
def test_invalid_input_raises_a_clear_error(text, reason):
    """Text that is no symbol raises SymbolError (a ValueError) naming the problem."""
    with translation.override("en"), pytest.raises(SymbolError) as info:
        parse_symbol(text)
    assert isinstance(info.value, ValueError)
    assert reason in str(info.value)


def test_non_text_is_refused():
    """A number or None is not a symbol."""
    for value in (3, None, b"03-KH/TW"):
        with pytest.raises(SymbolError):
            parse_symbol(value)


def test_errors_are_in_vietnamese_by_default():
    """The UI language is Vietnamese: the officer reads why the symbol was refused."""
    with translation.override("vi"), pytest.raises(SymbolError) as info:
        parse_symbol("03-XY/TW")
    assert "loại văn bản" in str(info.value)


def test_format_pads_small_numbers_and_adds_the_prefix_on_request():
    """HD 36 form: '03-KH/TW'; with the prefix 'Số 03-KH/TW'; large numbers unchanged."""
    assert format_symbol(number=3, type_code="KH", issuer_code="TW") == "03-KH/TW"
    assert format_symbol(Symbol(3, "KH", "TW"), with_prefix=True) == "Số 03-KH/TW"
    assert format_symbol(number=10072, type_code="CV", issuer_code="BTCTW") == "10072-CV/BTCTW"
    assert str(Symbol(8, "QĐi", "TW")) == "08-QĐi/TW"


@pytest.mark.parametrize(
    "parts",
    [
        {"number": 0, "type_code": "KH", "issuer_code": "TW"},
        {"number": MAX_NUMBER + 1, "type_code": "KH", "issuer_code": "TW"},
        {"number": True, "type_code": "KH", "issuer_code": "TW"},
        {"number": 3, "type_code": "XY", "issuer_code": "TW"},
        {"number": 3, "type_code": "KH", "issuer_code": "tw"},
        {"number": 3, "type_code": "KH", "issuer_code": "TƯ"},
        {"number": 3, "type_code": "KH", "issuer_code": ""},
        {"number": None, "type_code": "KH", "issuer_code": "TW"},
    ],
)
def test_format_refuses_parts_that_would_not_read_back(parts):
    """The formatter writes only canonical symbols, so parse(format(x)) == x always holds."""
    with pytest.raises(SymbolError):
        format_symbol(**parts)


def test_type_name_is_known_for_every_code():
    """The type name of a parsed symbol comes from the catalogue."""
    assert parse_symbol("03-KH/TW").type_name == "kế hoạch"
    assert parse_symbol("08-QĐi/TW").type_name == "quy định"
