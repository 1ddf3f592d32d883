"""Party discipline rules: forms, limitation periods, the secret-ballot tally, complaint levels.

Pure functions over plain values (no database). Enum values are ASCII slugs, so plain strings
work too: ``allowed_forms("member", has_post=True)``. Each rule carries its source on one line;
rules that changed over time are dated data (``LIMITATION_RULES``) chosen by the date of the
fact they judge. Sources are the research notes in ``../shared/domain`` (rules.md §1,
rules-gaps.md §3–4); what those notes mark UNCONFIRMED is flagged ``unconfirmed`` here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Form(StrEnum):
    """Disciplinary forms (hình thức kỷ luật), QĐ 69-QĐ/TW Điều 7; QĐ 22-QĐ/TW Điều 10."""

    KHIEN_TRACH = "khien_trach"
    CANH_CAO = "canh_cao"
    CACH_CHUC = "cach_chuc"
    KHAI_TRU = "khai_tru"
    GIAI_TAN = "giai_tan"


class SubjectKind(StrEnum):
    MEMBER = "member"  # đảng viên chính thức
    PROBATIONARY_MEMBER = "probationary_member"  # đảng viên dự bị
    ORGANISATION = "organisation"  # tổ chức đảng


# Severity, lightest = 1. Khai trừ and giải tán are the heaviest form of their subject kind.
SEVERITY: dict[Form, int] = {
    Form.KHIEN_TRACH: 1,
    Form.CANH_CAO: 2,
    Form.CACH_CHUC: 3,
    Form.KHAI_TRU: 4,
    Form.GIAI_TAN: 4,
}

VIETNAMESE_NAMES: dict[Form, str] = {
    Form.KHIEN_TRACH: "khiển trách",
    Form.CANH_CAO: "cảnh cáo",
    Form.CACH_CHUC: "cách chức",
    Form.KHAI_TRU: "khai trừ",
    Form.GIAI_TAN: "giải tán",
}


def severity(form: Form | str) -> int:
    return SEVERITY[Form(form)]


# QĐ 69-QĐ/TW Điều 7: organisation khiển trách, cảnh cáo, giải tán; full member khiển trách,
# cảnh cáo, cách chức (nếu có chức vụ), khai trừ; probationary member khiển trách, cảnh cáo.
def allowed_forms(subject_kind: SubjectKind | str, has_post: bool = False) -> tuple[Form, ...]:
    """The forms that may be applied to a subject, lightest first.

    ``has_post``: the member holds a post (chức vụ); cách chức exists only then. Ignored for
    organisations and probationary members.
    """
    kind = SubjectKind(subject_kind)
    if kind == SubjectKind.ORGANISATION:
        return (Form.KHIEN_TRACH, Form.CANH_CAO, Form.GIAI_TAN)
    if kind == SubjectKind.PROBATIONARY_MEMBER:
        return (Form.KHIEN_TRACH, Form.CANH_CAO)
    if has_post:
        return (Form.KHIEN_TRACH, Form.CANH_CAO, Form.CACH_CHUC, Form.KHAI_TRU)
    return (Form.KHIEN_TRACH, Form.CANH_CAO, Form.KHAI_TRU)


def check_form(form: Form | str, subject_kind: SubjectKind | str, has_post: bool = True) -> Form:
    """``form`` as a Form, or ValueError when it cannot be applied to this subject."""
    value = Form(form)
    if value not in allowed_forms(subject_kind, has_post):
        raise ValueError(
            f"{VIETNAMESE_NAMES[value]} cannot be applied to a subject of kind "
            f"'{SubjectKind(subject_kind)}'" + ("" if has_post else " without a post")
        )
    return value


# --- limitation periods (thời hiệu) -------------------------------------------------------------


@dataclass(frozen=True)
class LimitationRule:
    """Years of limitation per form (None = no limitation), for facts dated in an interval."""

    source: str
    valid_from: dt.date
    valid_to: dt.date | None
    members: Mapping[Form, int | None]
    organisations: Mapping[Form, int | None]
    unconfirmed: bool = False

    def applies_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


_MEMBER_YEARS: dict[Form, int | None] = {
    Form.KHIEN_TRACH: 5,
    Form.CANH_CAO: 10,
    Form.CACH_CHUC: 10,
    Form.KHAI_TRU: None,
}
_ORGANISATION_YEARS: dict[Form, int | None] = {
    Form.KHIEN_TRACH: 5,
    Form.CANH_CAO: 10,
    Form.GIAI_TAN: None,
}

LIMITATION_RULES: tuple[LimitationRule, ...] = (
    # QĐ 102-QĐ/TW (15/11/2017) Điều 3 (members) and QĐ 07-QĐi/TW (28/8/2018) Điều 5
    # (organisations): 5 years khiển trách, 10 years cảnh cáo/cách chức, none for khai trừ/giải tán.
    # The organisation half of QĐ 07 is applied from 2017 too (same figures; before 28/8/2018
    # the rule for organisations was not read).
    LimitationRule(
        "QĐ 102-QĐ/TW Điều 3; QĐ 07-QĐi/TW Điều 5",
        dt.date(2017, 11, 15),
        dt.date(2022, 7, 5),
        _MEMBER_YEARS,
        _ORGANISATION_YEARS,
    ),
    # QĐ 69-QĐ/TW Điều 4 (06/7/2022, verbatim in rules-gaps.md §4.1): same periods; a new
    # violation within the period restarts it. QĐ 264 (2025) and QĐ 296 are not known to change
    # them (rules.md §1.3: UNCONFIRMED either way).
    LimitationRule(
        "QĐ 69-QĐ/TW Điều 4",
        dt.date(2022, 7, 6),
        None,
        _MEMBER_YEARS,
        _ORGANISATION_YEARS,
    ),
)


def limitation_rule_on(day: dt.date) -> LimitationRule:
    """The limitation rule in force on ``day`` (the earliest rule for older facts)."""
    for rule in reversed(LIMITATION_RULES):
        if rule.applies_on(day):
            return rule
    return LIMITATION_RULES[0]


def limitation_years(form: Form | str, subject_kind: SubjectKind | str, on: dt.date) -> int | None:
    """Years of limitation for ``form`` (None: no limitation), by the rule in force ``on``."""
    kind = SubjectKind(subject_kind)
    value = check_form(form, kind)
    rule = limitation_rule_on(on)
    table = rule.organisations if kind == SubjectKind.ORGANISATION else rule.members
    return table[value]


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus whole years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# QĐ 69-QĐ/TW Điều 4: counted from the violation (a long-running one: from its end, HD 06-HD/
# UBKTTW 2018); a new violation within the period restarts it; none for khai trừ, giải tán and
# the exempt categories (chính trị nội bộ; quốc phòng, an ninh, đối ngoại xâm hại lợi ích quốc
# gia; văn bằng, chứng chỉ không hợp pháp for members).
def limitation_expiry(
    form: Form | str,
    subject_kind: SubjectKind | str,
    violation_end: dt.date,
    reoffence_dates: Iterable[dt.date] = (),
    exempt: bool = False,
) -> dt.date | None:
    """The last day on which the violation may still be disciplined with ``form``, or None.

    None means no limitation (khai trừ, giải tán, ``exempt`` categories). A re-offence on or
    before the current expiry restarts the period from the re-offence; one after it does not
    revive an expired period. The competent body must conclude that the violation warrants
    discipline on or before the returned day (HD 08-HD/TW mục I điểm 7).
    """
    check_form(form, subject_kind)
    if exempt:
        return None
    years = limitation_years(form, subject_kind, violation_end)
    if years is None:
        return None
    expiry = add_years(violation_end, years)
    for day in sorted(d for d in reoffence_dates if d > violation_end):
        if day > expiry:
            break
        expiry = max(expiry, add_years(day, years))
    return expiry


@dataclass(frozen=True)
class LimitationOutcome:
    """The result of "vote the form first, then compare with the limitation"."""

    voted_form: Form | None
    applied_form: Form | None
    expiry: dt.date | None
    time_barred: bool


# Ban Bí thư Hướng dẫn số 02 (12/2021, for QĐ 22) and HD 06-HD/UBKTTW: the body first votes
# the form, then compares with the limitation of that form; if expired, no discipline.
def apply_limitation(
    voted_form: Form | str | None,
    subject_kind: SubjectKind | str,
    violation_end: dt.date,
    concluded_on: dt.date,
    reoffence_dates: Iterable[dt.date] = (),
    exempt: bool = False,
) -> LimitationOutcome:
    """Compare the voted form with its limitation on the day the body concluded."""
    if voted_form is None:
        return LimitationOutcome(None, None, None, False)
    form = Form(voted_form)
    expiry = limitation_expiry(form, subject_kind, violation_end, reoffence_dates, exempt)
    barred = expiry is not None and concluded_on > expiry
    return LimitationOutcome(form, None if barred else form, expiry, barred)


# --- the secret ballot (biểu quyết bằng phiếu kín) ---------------------------------------------


@dataclass(frozen=True)
class Threshold:
    """At least ``numerator``/``denominator`` of all members (``strict``: more than)."""

    numerator: int
    denominator: int
    strict: bool
    source: str
    unconfirmed: bool = False

    def reached(self, votes: int, total: int) -> bool:
        left, right = votes * self.denominator, self.numerator * total
        return left > right if self.strict else left >= right


# QĐ 69-QĐ/TW Điều 15 (QĐ 22 Điều 15 khoản 1–3): khiển trách, cảnh cáo, cách chức of a member
# and khiển trách, cảnh cáo of an organisation need more than half of all full members (or all
# members of the body), not of those present; khai trừ needs at least two thirds to propose.
_MORE_THAN_HALF = Threshold(1, 2, True, "QĐ 69-QĐ/TW Điều 15")
_TWO_THIRDS = Threshold(2, 3, False, "QĐ 69-QĐ/TW Điều 15")
# Giải tán: no source read gives the threshold; two thirds by analogy with khai trừ.
_DISSOLUTION = Threshold(2, 3, False, "UNCONFIRMED (by analogy with khai trừ)", unconfirmed=True)

THRESHOLDS: dict[Form, Threshold] = {
    Form.KHIEN_TRACH: _MORE_THAN_HALF,
    Form.CANH_CAO: _MORE_THAN_HALF,
    Form.CACH_CHUC: _MORE_THAN_HALF,
    Form.KHAI_TRU: _TWO_THIRDS,
    Form.GIAI_TAN: _DISSOLUTION,
}


class BallotError(ValueError):
    """A ballot that cannot be counted; the message says why."""


# QĐ 69-QĐ/TW Điều 15; HD 01-HD/UBKTTW (2016): one ballot lists all forms; when no form reaches
# its threshold, votes are added up from the heaviest form downwards until one does.
def tally(
    votes_by_form: Mapping[Form, int] | Mapping[str, int],
    total_members: int,
    subject_kind: SubjectKind | str,
    *,
    has_post: bool | None = None,
    confirming_proposal: bool = False,
) -> Form | None:
    """The form decided by a secret ballot, after cumulative counting; None when none is.

    ``votes_by_form``: votes for each form on the ballot (votes for "no discipline" are simply
    not listed). ``total_members``: all full members of the cell, or all members of the
    deciding body — the denominator is never those present. ``has_post``: whether cách chức is
    on the ballot; by default it is when ``votes_by_form`` lists it. ``confirming_proposal``:
    the competent higher body votes on a proposal to expel, which needs more than half of its
    members rather than two thirds.
    """
    kind = SubjectKind(subject_kind)
    if total_members <= 0:
        raise BallotError("the body must have at least one member")
    votes: dict[Form, int] = {}
    for raw_form, count in votes_by_form.items():
        form = Form(raw_form)
        if count < 0:
            raise BallotError(f"negative vote count for {VIETNAMESE_NAMES[form]}")
        votes[form] = votes.get(form, 0) + count
    on_post = Form.CACH_CHUC in votes if has_post is None else has_post
    ballot = allowed_forms(kind, on_post)
    for form, count in votes.items():
        if count and form not in ballot:
            raise BallotError(f"{VIETNAMESE_NAMES[form]} is not on the ballot for this subject")
    if sum(votes.values()) > total_members:
        raise BallotError(
            f"{sum(votes.values())} votes counted but the body has only {total_members} members"
        )
    cumulative = 0
    for form in reversed(ballot):
        cumulative += votes.get(form, 0)
        threshold = THRESHOLDS[form]
        if confirming_proposal and form == Form.KHAI_TRU:
            # QĐ 69-QĐ/TW Điều 15: "… và được sự nhất trí của trên một nửa (1/2) số thành viên
            # tổ chức đảng cấp trên có thẩm quyền quyết định".
            threshold = _MORE_THAN_HALF
        if threshold.reached(cumulative, total_members):
            return form
    return None


# --- deferral (chưa xem xét, xử lý kỷ luật) -----------------------------------------------------


class DeferralReason(StrEnum):
    """QĐ 22-QĐ/TW Điều 9 khoản 7 (QĐ 296 Điều 8 ý 7): discipline is not yet considered."""

    PREGNANCY = "pregnancy"
    MATERNITY_LEAVE = "maternity_leave"
    CHILD_UNDER_12_MONTHS = "child_under_12_months"
    SERIOUS_ILLNESS = "serious_illness"  # in hospital, with the hospital's confirmation
    INCAPACITY = "incapacity"  # lost the capacity to understand or control their acts


def child_deferral_end(child_birth: dt.date) -> dt.date:
    """The last day of a deferral for raising a child under 12 months (QĐ 22 Điều 9 khoản 7)."""
    return add_years(child_birth, 1) - dt.timedelta(days=1)


# --- competent authority (thẩm quyền thi hành kỷ luật) ------------------------------------------


class Scope(StrEnum):
    """Which row of the authority matrix a case falls under."""

    # A member's violation of political quality, ideology, ethics, lifestyle, party activity or
    # member duties, except tasks assigned by higher levels (QĐ 22-QĐ/TW Điều 11; QĐ 296 Điều 10
    # mục 1.1).
    MEMBER_GENERAL = "member_general"
    # A committee member (from đảng ủy cơ sở up) or a cadre managed by a higher committee who
    # violated a task assigned by a higher level: the cell only proposes (QĐ 296 Điều 10 mục 1.4).
    MEMBER_HIGHER_TASK = "member_higher_task"
    ORGANISATION = "organisation"


class BodyKind(StrEnum):
    """A body named relative to the subject, resolved to a unit of the tree at the fact's date."""

    CELL = "cell"  # the member's cell (chi bộ)
    GRASSROOTS_COMMITTEE = "grassroots_committee"  # đảng ủy cơ sở above the cell
    UPPER_STANDING_COMMITTEE = "upper_standing_committee"  # BTV cấp ủy cấp trên cơ sở
    UPPER_INSPECTION_COMMISSION = "upper_inspection_commission"  # UBKT cấp trên cơ sở
    PARENT_COMMITTEE = "parent_committee"  # cấp ủy cấp trên trực tiếp (of an organisation)
    PARENT_STANDING_COMMITTEE = "parent_standing_committee"  # its standing committee
    COMPETENT_HIGHER = "competent_higher"  # "cấp có thẩm quyền": chosen by hand


@dataclass(frozen=True)
class AuthorityRow:
    """One dated row of the authority matrix (data an administrator can change)."""

    subject_kind: SubjectKind
    scope: Scope
    form: Form
    deciding_body: BodyKind
    proposing_body: BodyKind | None
    valid_from: dt.date
    valid_to: dt.date | None
    source: str
    unconfirmed: bool = False

    def applies_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def competent_authority(
    rows: Iterable[AuthorityRow],
    *,
    subject_kind: SubjectKind | str,
    scope: Scope | str,
    form: Form | str,
    on: dt.date,
) -> AuthorityRow | None:
    """The matrix row in force ``on`` for this subject, scope and form (the newest wins)."""
    kind, where, value = SubjectKind(subject_kind), Scope(scope), Form(form)
    found = [
        r
        for r in rows
        if r.subject_kind == kind and r.scope == where and r.form == value and r.applies_on(on)
    ]
    return max(found, key=lambda r: r.valid_from, default=None)


# --- complaints (khiếu nại kỷ luật) -------------------------------------------------------------


class FinalLevel(StrEnum):
    CENTRAL_INSPECTION = "central_inspection"  # Ủy ban Kiểm tra Trung ương
    SECRETARIAT = "secretariat"  # Ban Bí thư
    CENTRAL_COMMITTEE = "central_committee"  # Ban Chấp hành Trung ương


# QĐ 22-QĐ/TW Điều 22: UBKTTW is the final level for khiển trách, cảnh cáo, cách chức; Ban Bí
# thư for khai trừ (decided at or below the level directly under the Centre); BCHTW for
# discipline decided by BCHTW, Bộ Chính trị, Ban Bí thư or UBKTTW.
def final_complaint_level(form: Form | str, decided_centrally: bool = False) -> FinalLevel:
    """The body whose answer to a complaint against this decision is final."""
    value = Form(form)
    if decided_centrally:
        return FinalLevel.CENTRAL_COMMITTEE
    if value in (Form.KHAI_TRU, Form.GIAI_TAN):
        # Giải tán is not named in the rule read; treated like khai trừ (UNCONFIRMED).
        return FinalLevel.SECRETARIAT
    return FinalLevel.CENTRAL_INSPECTION


__all__ = [
    "LIMITATION_RULES",
    "SEVERITY",
    "THRESHOLDS",
    "AuthorityRow",
    "BallotError",
    "BodyKind",
    "DeferralReason",
    "FinalLevel",
    "Form",
    "LimitationOutcome",
    "LimitationRule",
    "Scope",
    "SubjectKind",
    "Threshold",
    "add_years",
    "allowed_forms",
    "apply_limitation",
    "check_form",
    "child_deferral_end",
    "competent_authority",
    "final_complaint_level",
    "limitation_expiry",
    "limitation_rule_on",
    "limitation_years",
    "severity",
    "tally",
]
