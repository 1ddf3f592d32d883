"""Pure rules of reports: the party document format, the workflow, figures, answer deadlines."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from giamsat.core.deadlines import DayCount, DeadlineRule

# --- HD 36-HD/VPTW (03/4/2018): the format of party documents -----------------------------

# HD 36 điểm 1.3: the type abbreviation of a report (báo cáo) is "BC".
REPORT_TYPE_CODE = "BC"


def report_symbol(number: int | None, issuer_code: str) -> str:
    """ "125-BC/TU"; "…-BC/TU" before the office registers a number (HD 36 điểm 1.3.1).

    Numbers below 10 carry a leading zero as in "03-KH/TW" (the documents of the seed).
    """
    issuer = issuer_code or "…"
    if number is None:
        return f"…-{REPORT_TYPE_CODE}/{issuer}"
    return f"{number:02d}-{REPORT_TYPE_CODE}/{issuer}"


def symbol_line(number: int | None, issuer_code: str) -> str:
    """The number line under the issuing body: "Số 125-BC/TU" (HD 36 box 3, no colon)."""
    return f"Số {report_symbol(number, issuer_code)}"


def date_line(place: str, day: dt.date) -> str:
    """ "Thanh Hóa, ngày 30 tháng 9 năm 2022" (HD 36 box 4, written in italics).

    Days below 10 and the months 1 and 2 carry a leading zero, as in "ngày 03 tháng 4 năm 2018"
    (the date of HD 36 itself) and "ngày 20 tháng 02 năm 2018" (its example table).
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text


# Committee names by the organisation's name (Điều lệ Đảng: a đảng bộ is led by its cấp ủy).
_COMMITTEE_PREFIXES = (
    ("đảng bộ tỉnh ", "Tỉnh ủy "),
    ("đảng bộ thành phố ", "Thành ủy "),
    ("đảng bộ thị xã ", "Thị ủy "),
    ("đảng bộ huyện ", "Huyện ủy "),
    ("đảng bộ quận ", "Quận ủy "),
    ("đảng bộ ", "Đảng ủy "),
)


def committee_name(organisation_name: str) -> str:
    """The issuing committee of a party organisation: "Đảng bộ thành phố Thanh Hóa" →
    "Thành ủy Thanh Hóa", "Đảng bộ phường Trường Thi" → "Đảng ủy phường Trường Thi"; a cell
    (chi bộ) issues under its own name."""
    lowered = organisation_name.casefold()
    for prefix, committee in _COMMITTEE_PREFIXES:
        if lowered.startswith(prefix):
            return committee + organisation_name[len(prefix) :]
    return organisation_name


def header_lines(unit_name: str, parent_name: str | None) -> tuple[str, str]:
    """(superior body, issuing body) in capitals for the top-left block (HD 36 box 2).

    The direct superior's name is line 1 ("ĐẢNG BỘ TỈNH THANH HÓA"), the issuing committee line
    2 ("THÀNH ỦY THANH HÓA"); a body without a superior prints its own name alone.
    """
    superior = parent_name.upper() if parent_name else ""
    return superior, committee_name(unit_name).upper()


def default_issuer_code(issuer_code: str, is_cell: bool) -> str:
    """The issuer abbreviation of the symbol: the unit's own, else "CB" for a cell (UNCONFIRMED,
    reported for HD 05-HD/VPTW) or "ĐU" for a party committee."""
    if issuer_code:
        return issuer_code
    return "CB" if is_cell else "ĐU"


# --- figures ---------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)(?::(numerator|denominator))?\}")
REPORT_FIELDS = frozenset(
    {
        "report.unit",
        "report.from",
        "report.to",
        "report.directives",
        "report.good_practices",
        "report.recommendations",
    }
)


def placeholder_codes(text: str) -> list[str]:
    """Indicator codes referred to by ``{code}`` placeholders, in order, without repeats."""
    seen: list[str] = []
    for match in PLACEHOLDER.finditer(text):
        code = match.group(1)
        if code not in REPORT_FIELDS and code not in seen:
            seen.append(code)
    return seen


_SUBHEADING = re.compile(r"^(\d+|[a-zđ])[.)]\s")


def is_subheading(text: str) -> bool:
    """ "1. Công tác kiểm tra, giám sát" — a numbered line without a full stop is a heading."""
    return bool(_SUBHEADING.match(text)) and len(text) < 160 and not text.endswith((".", ";", ":"))


def format_number(value: int | Decimal, *, is_rate: bool = False) -> str:
    """Vietnamese number format: "80.412", "96,2%", "96%" (dot thousands, comma decimals)."""
    if is_rate:
        quantized = Decimal(value).quantize(Decimal("0.1"))
        text = f"{quantized:,.1f}".replace(",", "␣").replace(".", ",").replace("␣", ".")
        if text.endswith(",0"):
            text = text[:-2]
        return f"{text}%"
    if isinstance(value, Decimal) and value != value.to_integral_value():
        text = f"{value:,.2f}"
        return text.replace(",", "␣").replace(".", ",").replace("␣", ".")
    return f"{int(value):,}".replace(",", ".")


# --- workflow ----------------------------------------------------------------------------

DRAFT, SUBMITTED, RETURNED, ACCEPTED, SIGNED = (
    "draft",
    "submitted",
    "returned",
    "accepted",
    "signed",
)
TRANSITIONS: dict[tuple[str, str], str] = {
    (DRAFT, "submit"): SUBMITTED,
    (RETURNED, "submit"): SUBMITTED,
    (SUBMITTED, "return"): RETURNED,
    (SUBMITTED, "accept"): ACCEPTED,
    (ACCEPTED, "sign"): SIGNED,
}
# Who may take each step, as (capability, where): "unit" = over the unit (its own level or
# above), "above" = at a unit strictly above it (the level above reviews).
ACTION_AUTHORITY: dict[str, tuple[str, str]] = {
    "submit": ("manage_reports", "unit"),
    "return": ("review_reports", "above"),
    "accept": ("review_reports", "above"),
    "sign": ("review_reports", "unit"),
}


def next_status(status: str, action: str) -> str | None:
    """The status after ``action``, or None when the action is not allowed from ``status``."""
    return TRANSITIONS.get((status, action))


def children_block_submission(child_statuses: list[str | None]) -> bool:
    """ "All children first": every sub-unit's report must be accepted or signed."""
    return any(s not in (ACCEPTED, SIGNED) for s in child_statuses)


# --- answers to recommendations ----------------------------------------------------------

# No regulation read fixes how long the addressee of a delegation's or a unit's recommendation
# has to answer: 30 calendar days is a configurable default (UNCONFIRMED; an administrator sets
# the real value with a DeadlineSetting for "recommendation.answer").
ANSWER_RULE = DeadlineRule(
    code="recommendation.answer",
    label="Trả lời kiến nghị, đề xuất",
    days=30,
    count=DayCount.CALENDAR,
    source="giamsat default (no regulation read; UNCONFIRMED)",
    valid_from=dt.date(2000, 1, 1),
    unconfirmed=True,
)
