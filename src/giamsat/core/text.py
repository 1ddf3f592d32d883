"""Vietnamese text: diacritic-free search keys and sort keys in Vietnamese letter order.

Both keys are stored in indexed columns next to the text they derive from, so that searching
and sorting behave identically on SQLite and PostgreSQL without database collations.
"""

from __future__ import annotations

import re
import unicodedata

_DD = str.maketrans({"đ": "d", "Đ": "D", "Ð": "D", "ð": "d"})  # Đ has no NFD decomposition
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFC-normalise and collapse runs of whitespace."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def remove_diacritics(text: str) -> str:
    """Strip Vietnamese tone and vowel marks; đ becomes d."""
    decomposed = unicodedata.normalize("NFD", text.translate(_DD))
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def search_key(text: str) -> str:
    """Return the key used for diacritic- and case-insensitive search ("Đường" -> "duong")."""
    return _SPACES.sub(" ", remove_diacritics(text).casefold()).strip()


# Vietnamese alphabet order (base letters), then tones: none, huyền, hỏi, ngã, sắc, nặng.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONES = {
    "\u0300": 1,  # huyền (grave)
    "\u0309": 2,  # hỏi (hook above)
    "\u0303": 3,  # ngã (tilde)
    "\u0301": 4,  # sắc (acute)
    "\u0323": 5,  # nặng (dot below)
}
_VOWEL_MARKS = {"\u0306": "ă", "\u0302": "^", "\u031b": "'"}  # breve, circumflex, horn


def _letter_codes(ch: str) -> tuple[int, int, int]:
    """Return (primary, secondary, tertiary) weights of one character."""
    upper = ch != ch.lower()
    low = ch.lower()
    if low in ("đ", "ð"):
        return (10 + _ALPHABET.index("đ"), 0, int(upper))
    decomposed = unicodedata.normalize("NFD", low)
    base, marks = decomposed[0], decomposed[1:]
    tone = 0
    letter = base
    for mark in marks:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark in _VOWEL_MARKS:
            if mark == "\u0306":
                letter = "ă"
            elif mark == "\u0302":
                letter = {"a": "â", "e": "ê", "o": "ô"}.get(base, base)
            elif mark == "\u031b":
                letter = {"o": "ơ", "u": "ư"}.get(base, base)
    if letter in _ALPHABET:
        return (10 + _ALPHABET.index(letter), tone, int(upper))
    if base.isdigit():
        return (int(base), 0, 0)  # digits sort before letters
    if base.isalpha():
        return (40 + (ord(base) % 50), tone, int(upper))  # f, j, w, z and foreign letters
    return (0, 0, 0)  # punctuation and spaces weigh least


def vi_sort_key(text: str) -> str:
    """Return a key whose plain string order is Vietnamese alphabetical order.

    The key holds only digits, so it sorts the same under any database collation (C, ICU vi-VN,
    SQLite BINARY). Levels: letters in Vietnamese order, then tones, then case.
    """
    text = normalize(text)
    primary: list[str] = []
    secondary: list[str] = []
    tertiary: list[str] = []
    for ch in text:
        p, s, t = _letter_codes(ch)
        if p == 0:
            primary.append("01")  # word separator: "An Bình" sorts before "Anh"
            continue
        primary.append(f"{p:02d}")
        secondary.append(str(s))
        tertiary.append(str(t))
    return "".join(primary) + "00" + "".join(secondary) + "0" + "".join(tertiary)


def split_full_name(full_name: str) -> tuple[str, str, str]:
    """Split a Vietnamese full name into (family, middle, given)."""
    parts = normalize(full_name).split(" ")
    if len(parts) == 1:
        return ("", "", parts[0])
    return (parts[0], " ".join(parts[1:-1]), parts[-1])


def person_sort_key(full_name: str) -> str:
    """Sort key for people: given name, then middle name, then family name (Vietnamese order)."""
    family, middle, given = split_full_name(full_name)
    # Each part's key is prefix-free among parts with the same letters, so plain concatenation
    # compares given names fully before middle names.
    return "".join(vi_sort_key(part) for part in (given, middle, family))
