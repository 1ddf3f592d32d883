"""Number and symbol ("số và ký hiệu") of party documents, HD 36-HD/VPTW điểm 1.3.

The pattern is ``Số {number}-{type}/{issuer}``: a hyphen between number and type, a slash
between type and issuer (e.g. "Số 03-KH/TW", "08-QĐi/TW", "05-HD/UBKTTW"). Real-world text
carries variants (extra spaces, "TƯ" for "TW", en dashes, "QD" typed without Đ). The parser
accepts them and says what it corrected; anything it cannot read raises ``SymbolError`` with
the reason. It never guesses a different document type: the seed's "03 -KL/TƯ" is parsed as
"03-KL/TW" (corrected); that this is really "03-KH/TW" is a fact for the registry (aliases).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Party document type abbreviations. HD 36-HD/VPTW (03/4/2018) appendix as far as read, plus
# "QĐi" (quy định, 2018-era: 07-QĐi/TW, 08-QĐi/TW) and "CV" (công văn of party bodies,
# 10072-CV/BTCTW). The full appendix is UNCONFIRMED: an unknown code is an error, and the
# list is data that an administrator can extend through settings.GIAMSAT_EXTRA_TYPE_CODES.
TYPE_CODES: dict[str, str] = {
    "NQ": "nghị quyết",
    "QĐ": "quyết định / quy định",
    "QĐi": "quy định",
    "CT": "chỉ thị",
    "KL": "kết luận",
    "QC": "quy chế",
    "HD": "hướng dẫn",
    "TB": "thông báo",
    "TT": "thông tri",
    "BC": "báo cáo",
    "KH": "kế hoạch",
    "CTr": "chương trình",
    "ĐA": "đề án",
    "TTr": "tờ trình",
    "CV": "công văn",
    "BB": "biên bản",
    "BS": "bản sao",
    "GM": "giấy mời",
    "GGT": "giấy giới thiệu",
}

_CANONICAL = {code.upper(): code for code in TYPE_CODES}
# ASCII spellings typed without Vietnamese letters, mapped to the official code.
_ASCII_VARIANTS = {"QD": "QĐ", "QDI": "QĐi", "DA": "ĐA"}
# Issuer spellings that differ from the official abbreviation.
_ISSUER_VARIANTS = {"TƯ": "TW"}

_NUMBER_PREFIX = re.compile(r"^\s*(?:s[ốô]|so)\s*[:.]?\s*", re.IGNORECASE)
_DASHES = "-‐‑‒–—"
_PATTERN = re.compile(
    r"^(?P<number>\d+)(?P<sp1>\s*)(?P<dash>[" + _DASHES + r"/])(?P<sp2>\s*)"
    r"(?P<type>[^\W\d_]+)(?P<sp3>\s*)/(?P<sp4>\s*)(?P<issuer>[^\W\d_][\w-]*)\s*$"
)
# Party document numbers run to a few digits (10072-CV/BTCTW); far longer is not a number.
MAX_NUMBER_DIGITS = 9
_ISSUER_OK = re.compile(r"^[A-ZĐƯ][A-ZĐƯ0-9-]*$")


class SymbolError(ValueError):
    """The text is not a document number and symbol; the message says why."""


@dataclass(frozen=True)
class Symbol:
    number: int
    type_code: str
    issuer_code: str
    corrected: bool = False
    corrections: tuple[str, ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        return format_symbol(self)

    @property
    def type_name(self) -> str:
        return TYPE_CODES.get(self.type_code, "")


def _type_code(raw: str, corrections: list[str]) -> str:
    if raw in TYPE_CODES:
        return raw
    upper = raw.upper()
    if upper in _CANONICAL:
        code = _CANONICAL[upper]
        corrections.append(f"type code '{raw}' written as '{code}'")
        return code
    if upper in _ASCII_VARIANTS:
        code = _ASCII_VARIANTS[upper]
        corrections.append(f"type code '{raw}' written as '{code}'")
        return code
    known = ", ".join(TYPE_CODES)
    raise SymbolError(f"unknown document type '{raw}' (known types: {known})")


def _issuer_code(raw: str, corrections: list[str]) -> str:
    code = raw
    if code != code.upper():
        code = code.upper()
        corrections.append(f"issuer '{raw}' written in capitals")
    for wrong, right in _ISSUER_VARIANTS.items():
        if wrong in code:
            code = code.replace(wrong, right)
            corrections.append(f"'{wrong}' written as '{right}'")
    if not _ISSUER_OK.match(code):
        raise SymbolError(f"issuer code '{raw}' must be capital letters, e.g. TW, TU, ĐU, UBKTTW")
    return code


def parse_symbol(text: str) -> Symbol:
    """Parse "Số 03-KH/TW" and its real-world variants; raise SymbolError when impossible."""
    if not isinstance(text, str):
        raise SymbolError("a document symbol must be text")
    raw = unicodedata.normalize("NFC", text).strip()
    if not raw:
        raise SymbolError("the document symbol is empty")
    body = _NUMBER_PREFIX.sub("", raw, count=1)
    match = _PATTERN.match(body)
    if not match:
        if not re.match(r"^\d", body):
            raise SymbolError(f"'{raw}' does not start with a document number (e.g. 03-KH/TW)")
        if "/" not in body:
            raise SymbolError(f"'{raw}' has no '/' between the type and the issuer (e.g. 03-KH/TW)")
        raise SymbolError(f"'{raw}' is not of the form number-TYPE/ISSUER (e.g. 03-KH/TW)")
    corrections: list[str] = []
    if match["sp1"] or match["sp2"] or match["sp3"] or match["sp4"]:
        corrections.append("spaces around '-' or '/' removed")
    if match["dash"] == "/":
        corrections.append("'/' after the number written as '-'")
    elif match["dash"] != "-":
        corrections.append("dash after the number written as '-'")
    if len(match["number"]) > MAX_NUMBER_DIGITS:
        raise SymbolError(f"'{raw[:40]}…': the document number is too long")
    number = int(match["number"])
    if number <= 0:
        raise SymbolError(f"'{raw}': the document number must be 1 or more")
    type_code = _type_code(match["type"], corrections)
    issuer = _issuer_code(match["issuer"], corrections)
    return Symbol(number, type_code, issuer, bool(corrections), tuple(corrections))


def format_symbol(
    symbol: Symbol | None = None,
    *,
    number: int | None = None,
    type_code: str | None = None,
    issuer_code: str | None = None,
    with_prefix: bool = False,
) -> str:
    """Write a symbol in the HD 36 form: "03-KH/TW" (or "Số 03-KH/TW" with ``with_prefix``).

    Numbers below 10 carry a leading zero, as in the documents of the seed (03-KH/TW, 04-NQ/TW).
    """
    if symbol is not None:
        number, type_code, issuer_code = symbol.number, symbol.type_code, symbol.issuer_code
    if number is None or type_code is None or issuer_code is None:
        raise SymbolError("number, type_code and issuer_code are all required")
    if type_code not in TYPE_CODES:
        raise SymbolError(f"unknown document type '{type_code}'")
    text = f"{number:02d}-{type_code}/{issuer_code}"
    return f"Số {text}" if with_prefix else text
