"""Number and symbol ("số và ký hiệu") of party documents, HD 36-HD/VPTW điểm 1.3.

The pattern is ``Số {number}-{type}/{issuer}``: a hyphen between number and type, a slash
between type and issuer (e.g. "Số 03-KH/TW", "08-QĐi/TW", "05-HD/UBKTTW"). Real-world text
carries variants (extra spaces, "TƯ" for "TW", en dashes, "QD" typed without Đ, the army's
"646/QĐ/QUTW", a leading "Kế hoạch số"). The parser accepts them, returns the normalised symbol
flagged ``corrected`` with the list of what it changed, and raises ``SymbolError`` with the
reason for anything it cannot read. It never guesses a different document type: the seed's
"03 -KL/TƯ" is parsed as "03-KL/TW" (corrected: spaces, TƯ); that the document is really
"03-KH/TW" is a fact for the registry (``DirectiveAlias``), not for the parser.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# Party document type abbreviations: HD 36-HD/VPTW (03/4/2018) appendix as far as read
# (rules.md §7.1, rules-gaps.md: "Đề án, Phương án ĐA, PA"), plus "QĐi" (quy định, 2018-era:
# 07-QĐi/TW, 08-QĐi/TW) and "CV" (công văn of party bodies, 10072-CV/BTCTW). The full appendix
# is UNCONFIRMED: an unknown code is an error; add codes here with their source.
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
    "PA": "phương án",
    "TTr": "tờ trình",
    "CV": "công văn",
    "BB": "biên bản",
    "BS": "bản sao",
    "GM": "giấy mời",
    "GGT": "giấy giới thiệu",
}

# Largest number accepted: a register runs per type within one committee term (HD 36
# điểm 1.3.1), so even the busiest central office stays far below this.
MAX_NUMBER = 999_999_999

_CANONICAL = {code.upper(): code for code in TYPE_CODES}
# ASCII spellings typed without Vietnamese letters, mapped to the official code.
_ASCII_VARIANTS = {"QD": "QĐ", "QDI": "QĐi", "DA": "ĐA"}
# Issuer spellings that differ from the official abbreviation ("Trung ương" is "TW").
_ISSUER_VARIANTS = {"TƯ": "TW"}
# The type word a text may put before the number ("Kế hoạch số 03-KH/TW"), and the codes it
# is written with. Checked, never used to change the code.
_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "nghị quyết": ("NQ",),
    "quyết định": ("QĐ",),
    "quy định": ("QĐ", "QĐi"),
    "chỉ thị": ("CT",),
    "kết luận": ("KL",),
    "quy chế": ("QC",),
    "hướng dẫn": ("HD",),
    "thông báo": ("TB",),
    "thông tri": ("TT",),
    "báo cáo": ("BC",),
    "kế hoạch": ("KH",),
    "chương trình": ("CTr",),
    "đề án": ("ĐA",),
    "phương án": ("PA",),
    "tờ trình": ("TTr",),
    "công văn": ("CV",),
    "biên bản": ("BB",),
    "bản sao": ("BS",),
    "giấy mời": ("GM",),
    "giấy giới thiệu": ("GGT",),
}

_SPACES = re.compile(r"\s+")
_NUMBER_PREFIX = re.compile(r"^(?:s[ốô]|so)\s*[:.]?\s*", re.IGNORECASE)
_DASHES = "-‐‑‒–—−"
_PATTERN = re.compile(
    r"^(?P<number>[0-9]+)(?P<sp1>\s*)(?P<dash>[" + _DASHES + r"/])(?P<sp2>\s*)"
    r"(?P<type>[^\W\d_]+)(?P<sp3>\s*)/(?P<sp4>\s*)(?P<issuer>[^\W\d_][\w-]*)$"
)
# State documents put the slash after the number and the hyphen before the issuer
# (Nghị định 30/2020/NĐ-CP: "123/QĐ-UBND"); they are not party documents.
_STATE_PATTERN = re.compile(r"^[0-9]+(?:/[0-9]{4})?/[^\W\d_]+-[^\W\d_][\w-]*$")
_ISSUER_OK = re.compile(r"^[A-ZĐƯ][A-ZĐƯ0-9]*(?:-[A-ZĐƯ0-9]+)*$")


class SymbolError(ValueError):
    """The text is not a document number and symbol; the message says why."""


@dataclass(frozen=True)
class Symbol:
    """A parsed number and symbol; ``corrections`` says what the parser normalised."""

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


def _fold(text: str) -> str:
    """Lower case without diacritics (đ = d), for matching the type word before a number."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _strip_type_word(text: str) -> tuple[str, str | None]:
    """Split "Kế hoạch số 03-KH/TW" into ("số 03-KH/TW", "kế hoạch")."""
    folded = _fold(text)
    for word in sorted(_TYPE_WORDS, key=len, reverse=True):
        key = _fold(word)
        if folded.startswith(key) and folded[len(key) : len(key) + 1] == " ":
            return text[len(key) + 1 :], word
    return text, None


def _type_code(raw: str, corrections: list[str]) -> str:
    if raw in TYPE_CODES:
        return raw
    upper = raw.upper()
    code = _CANONICAL.get(upper) or _ASCII_VARIANTS.get(upper)
    if code is None:
        raise SymbolError(
            _("unknown document type '%(type)s' (known types: %(known)s)")
            % {"type": raw, "known": ", ".join(TYPE_CODES)}
        )
    corrections.append(_("type code '%(raw)s' written as '%(code)s'") % {"raw": raw, "code": code})
    return code


def _issuer_code(raw: str, corrections: list[str]) -> str:
    code = raw
    if code != code.upper():
        code = code.upper()
        corrections.append(_("issuer '%(raw)s' written in capitals") % {"raw": raw})
    for wrong, right in _ISSUER_VARIANTS.items():
        if wrong in code:
            code = code.replace(wrong, right)
            corrections.append(
                _("'%(wrong)s' written as '%(right)s'") % {"wrong": wrong, "right": right}
            )
    if not _ISSUER_OK.match(code):
        raise SymbolError(
            _("issuer code '%(raw)s' must be capital letters, e.g. TW, TU, ĐU, UBKTTW")
            % {"raw": raw}
        )
    return code


def parse_symbol(text: str) -> Symbol:
    """Parse "Số 03-KH/TW" and its real-world variants; raise SymbolError when impossible."""
    if not isinstance(text, str):
        raise SymbolError(_("a document symbol must be text"))
    raw = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
    if not raw:
        raise SymbolError(_("the document symbol is empty"))
    corrections: list[str] = []
    body, type_word = _strip_type_word(raw)
    body = _NUMBER_PREFIX.sub("", body, count=1)
    match = _PATTERN.match(body)
    if not match:
        if _STATE_PATTERN.match(body):
            raise SymbolError(
                _(
                    "'%(text)s' is written like a state document (number/TYPE-ISSUER); "
                    "party documents are written number-TYPE/ISSUER, e.g. 03-KH/TW"
                )
                % {"text": raw}
            )
        if not re.match(r"^[0-9]", body):
            raise SymbolError(
                _("'%(text)s' does not start with a document number (e.g. 03-KH/TW)")
                % {"text": raw}
            )
        if "/" not in body:
            raise SymbolError(
                _("'%(text)s' has no '/' between the type and the issuer (e.g. 03-KH/TW)")
                % {"text": raw}
            )
        raise SymbolError(
            _("'%(text)s' is not of the form number-TYPE/ISSUER (e.g. 03-KH/TW)") % {"text": raw}
        )
    digits = match["number"].lstrip("0")
    # Checked on the digits first: int() of a huge string is slow and refused by Python.
    if len(digits) > len(str(MAX_NUMBER)) or int(digits or "0") > MAX_NUMBER:
        raise SymbolError(_("'%(text)s': the document number is too long") % {"text": raw})
    number = int(digits or "0")
    if number <= 0:
        raise SymbolError(_("'%(text)s': the document number must be 1 or more") % {"text": raw})
    if type_word is not None:
        corrections.append(_("'%(word)s' before the number left out") % {"word": type_word})
    if match["sp1"] or match["sp2"] or match["sp3"] or match["sp4"]:
        corrections.append(_("spaces around '-' or '/' removed"))
    if match["dash"] == "/":
        corrections.append(_("'/' after the number written as '-'"))
    elif match["dash"] != "-":
        corrections.append(_("dash after the number written as '-'"))
    type_code = _type_code(match["type"], corrections)
    issuer = _issuer_code(match["issuer"], corrections)
    if type_word is not None and type_code not in _TYPE_WORDS[type_word]:
        corrections.append(
            _(
                "the text calls it '%(word)s' but its type code is %(code)s: "
                "check the document (the code was kept)"
            )
            % {"word": type_word, "code": type_code}
        )
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
    Only canonical parts are accepted, so that ``parse_symbol(format_symbol(x)) == x``.
    """
    if symbol is not None:
        number, type_code, issuer_code = symbol.number, symbol.type_code, symbol.issuer_code
    if number is None or type_code is None or issuer_code is None:
        raise SymbolError(_("number, type and issuer are all required"))
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= MAX_NUMBER:
        raise SymbolError(
            _("the document number must be a whole number from 1 to %(max)d") % {"max": MAX_NUMBER}
        )
    if type_code not in TYPE_CODES:
        raise SymbolError(
            _("unknown document type '%(type)s' (known types: %(known)s)")
            % {"type": type_code, "known": ", ".join(TYPE_CODES)}
        )
    if not _ISSUER_OK.match(issuer_code) or any(v in issuer_code for v in _ISSUER_VARIANTS):
        raise SymbolError(
            _("issuer code '%(raw)s' must be capital letters, e.g. TW, TU, ĐU, UBKTTW")
            % {"raw": issuer_code}
        )
    text = f"{number:02d}-{type_code}/{issuer_code}"
    return f"Số {text}" if with_prefix else text
