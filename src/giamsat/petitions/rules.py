"""Regulation logic for petitions, as pure functions over plain values.

Sources are in ``../shared/domain/rules.md`` §2.4 and §6 and ``rules-gaps.md`` §3 and §7; values
the research marks UNCONFIRMED are settings or ``DeadlineSetting`` rows, never constants here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Thông tư 05/2021/TT-TTCP Điều 6: a letter is classified by its content, purpose and request.
CLASSES_WITH_TIME_LIMIT = ("complaint", "denunciation", "proposal")


# Which time limit applies to a handled letter (deadline rule codes of core.deadlines):
# - tố cáo trong Đảng: QĐ 30 / QĐ 22 Điều 20 / QĐ 296 (90 days province and below, 180 centre);
# - khiếu nại kỷ luật đảng: QĐ 30 (90 / 180 working days), Điều lệ Đảng Điều 39 ceiling;
# - tố cáo (state): Luật Tố cáo 2018 Điều 30; khiếu nại (state): Luật Khiếu nại 2011 Điều 28/37;
# - kiến nghị, phản ánh: no statutory limit was read (an internal target, configurable).
def resolution_rule_code(
    petition_class: str, matter: str, *, central: bool, second_complaint: bool = False
) -> str | None:
    """The deadline rule code for a letter of ``petition_class`` about a ``matter``."""
    level = "central" if central else "local"
    if petition_class == "denunciation":
        if matter == "party":
            return f"party_denunciation.{level}"
        if matter == "state":
            return "state_denunciation"
    if petition_class == "complaint":
        if matter == "party":
            return f"discipline_complaint.{level}"
        if matter == "state":
            return "state_complaint.second" if second_complaint else "state_complaint.first"
    if petition_class == "proposal":
        return "petition.proposal"
    return None


def is_group_petition(signer_count: int, minimum: int) -> bool:
    """ "Khiếu kiện đông người": from ``minimum`` signers (default 5, UNCONFIRMED as a
    definition; the 5-person representation rule of Nghị định 124/2020 Điều 6)."""
    return minimum > 0 and signer_count >= minimum


# Nghị định 124/2020/NĐ-CP Điều 6 (and 75/2012 before it): 5–10 complainants choose at most 2
# representatives; 11 or more may choose more, at most 5.
def representative_problem(signer_count: int, representatives: int) -> str | None:
    """A message when the number of representatives does not fit the rule, else None."""
    if signer_count < 5:
        return None
    if representatives == 0:
        return "no_representatives"
    if signer_count <= 10 and representatives > 2:
        return "too_many_for_5_to_10"
    if representatives > 5:
        return "more_than_5"
    return None


@dataclass(frozen=True)
class IntakeFacts:
    """What the intake knows about a letter, to suggest why it may not be handled."""

    petition_class: str
    has_name: bool
    has_address: bool
    signer_count: int
    content_length: int
    repeats_concluded: bool = False


# QĐ 22-QĐ/TW Điều 20 / QĐ 30-QĐ/TW tiết 5.1.1 (rules.md §2.4): denunciations that are
# anonymous, unnamed, impersonated or without a clear address, signed by two or more people,
# repeated without new evidence, or not concrete are not handled. Suggestions only: the officer
# decides, and records the reason.
def suggested_reasons(facts: IntakeFacts) -> list[str]:
    if facts.petition_class != "denunciation":
        return []
    reasons: list[str] = []
    if not facts.has_name:
        reasons.append("anonymous")
    if facts.has_name and not facts.has_address:
        reasons.append("no_address")
    if facts.signer_count >= 2:
        reasons.append("several_signers")
    if facts.repeats_concluded:
        reasons.append("repeated")
    if facts.content_length < 30:
        reasons.append("not_concrete")
    return reasons


def reasons_problem(admissible: bool, reasons: Sequence[str], note: str) -> str | None:
    """Inadmissible letters need at least one reason; "other" needs a note."""
    if admissible:
        return "reasons_given_for_admissible" if reasons else None
    if not reasons:
        return "no_reason"
    if "other" in reasons and not note.strip():
        return "other_without_note"
    return None


def window_start(end: dt.date, window_days: int) -> dt.date:
    """First day of the ``window_days``-day window that ends on ``end`` (both inclusive)."""
    return end - dt.timedelta(days=max(window_days, 1) - 1)


def in_window(days: Iterable[dt.date], end: dt.date, window_days: int) -> int:
    """How many of ``days`` lie in the window ending on ``end``."""
    start = window_start(end, window_days)
    return sum(1 for d in days if start <= d <= end)


def densest_window(days: Sequence[dt.date], window_days: int) -> tuple[dt.date, dt.date, int]:
    """The window (of ``window_days`` days, both ends inclusive) holding the most of ``days``.

    Returns (start, end, count); with no days, (min, min, 0). Two pointers over sorted days.
    """
    ordered = sorted(days)
    if not ordered:
        return (dt.date.min, dt.date.min, 0)
    best = (ordered[0], ordered[0], 1)
    left = 0
    for right, day in enumerate(ordered):
        while (day - ordered[left]).days >= window_days:
            left += 1
        count = right - left + 1
        if count > best[2]:
            best = (ordered[left], day, count)
    return best
