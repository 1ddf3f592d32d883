"""Annual review, evaluation and quality classification (kiểm điểm, đánh giá, xếp loại chất lượng).

Pure functions over plain values (no database). Enum values are ASCII slugs, so plain strings
work too: ``level_for_score(92, 2025) == "hoan_thanh_xuat_sac"``. Every rule carries its source;
the rule sets are dated data (``RULE_SETS``) chosen by the last day of the period reviewed (the
review of 2021 is judged by the rules in force on 31/12/2021). Sources are the research notes in
``../shared/domain`` (rules.md §5, rules-gaps.md §6) plus the HD 16/HD 21 pages cited below;
what they mark UNCONFIRMED is flagged ``unconfirmed`` here and shown so in the UI.

Public entry points (issue 7): ``level_for_score(score, year)``, ``check_quota(counts_by_level,
year)`` and ``caps_for(subject, year)`` where ``subject`` is a ``SubjectRecords`` — a plain
description of the records that may cap a rating (a service gathers them from the database).
The system proposes and explains; people decide, and a decision above a cap carries a reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giamsat.discipline.rules import severity


class Level(StrEnum):
    """The four levels (4 mức xếp loại), best first (QĐ 132, QĐ 124, QĐ 366 Điều 11)."""

    HOAN_THANH_XUAT_SAC = "hoan_thanh_xuat_sac"
    HOAN_THANH_TOT = "hoan_thanh_tot"
    HOAN_THANH = "hoan_thanh"
    KHONG_HOAN_THANH = "khong_hoan_thanh"


LEVELS_BEST_FIRST: tuple[Level, ...] = tuple(Level)
RANK: dict[Level, int] = {
    Level.HOAN_THANH_XUAT_SAC: 4,
    Level.HOAN_THANH_TOT: 3,
    Level.HOAN_THANH: 2,
    Level.KHONG_HOAN_THANH: 1,
}
VIETNAMESE_NAMES: dict[Level, str] = {
    Level.HOAN_THANH_XUAT_SAC: "Hoàn thành xuất sắc nhiệm vụ",
    Level.HOAN_THANH_TOT: "Hoàn thành tốt nhiệm vụ",
    Level.HOAN_THANH: "Hoàn thành nhiệm vụ",
    Level.KHONG_HOAN_THANH: "Không hoàn thành nhiệm vụ",
}


def rank(level: Level | str) -> int:
    """4 for "xuất sắc" down to 1 for "không hoàn thành": a higher rank is a better level."""
    return RANK[Level(level)]


def lower_of(*levels: Level | str) -> Level:
    """The lowest (least favourable) of ``levels``."""
    return Level(min((Level(x) for x in levels), key=rank))


def is_above(level: Level | str, limit: Level | str) -> bool:
    """Whether ``level`` is better than ``limit`` (a decision above a cap needs a reason)."""
    return rank(level) > rank(limit)


class SubjectKind(StrEnum):
    COLLECTIVE = "collective"  # tập thể
    INDIVIDUAL = "individual"  # cá nhân


class PeriodKind(StrEnum):
    ANNUAL = "annual"  # hằng năm
    QUARTER = "quarter"  # hằng quý (QĐ 366 only)
    TERM = "term"  # theo nhiệm kỳ (QĐ 366 only)


class CollectiveKind(StrEnum):
    """Collectives reviewed at and above the grassroots (HD 25-HD/BTCTW 2023, hieuluat.vn)."""

    STANDING_COMMITTEE = "standing_committee"  # ban thường vụ
    COMMITTEE = "committee"  # đảng ủy / cấp ủy (the party organisation's committee)
    CELL = "cell"  # chi bộ (chi ủy)


class Category(StrEnum):
    """Individuals by category, each with its self-assessment form (HD 43: Mẫu 2A, 2B, 2C)."""

    LEADER = "leader"  # holds a leadership or management post
    STAFF = "staff"  # works in the political system without such a post
    OUTSIDE = "outside"  # a member not working in the political system


# --- score frame ------------------------------------------------------------------------------

GENERAL_MAX = Decimal(30)  # nhóm tiêu chí chung (QĐ 366 Điều 10; vietnamnet.vn)
TASKS_MAX = Decimal(70)  # nhóm tiêu chí kết quả thực hiện nhiệm vụ
SCORE_MAX = GENERAL_MAX + TASKS_MAX


def as_score(value: Decimal | int | float | str) -> Decimal:
    """A score as a Decimal, or ValueError for anything that is not a finite number."""
    try:
        score = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"'{value}' is not a score") from None
    if not score.is_finite():
        raise ValueError(f"'{value}' is not a score")
    return score


def total_score(
    general: Decimal | int | float | str, tasks: Decimal | int | float | str
) -> Decimal:
    """The total on the 100-point frame: general criteria (≤ 30) + task results (≤ 70)."""
    g, t = as_score(general), as_score(tasks)
    if not Decimal(0) <= g <= GENERAL_MAX:
        raise ValueError(f"the general criteria score {g} is outside 0–{GENERAL_MAX}")
    if not Decimal(0) <= t <= TASKS_MAX:
        raise ValueError(f"the task results score {t} is outside 0–{TASKS_MAX}")
    return g + t


# --- rule sets (dated data) -------------------------------------------------------------------


@dataclass(frozen=True)
class TaskConditions:
    """Extra conditions of a level on the tasks of the period (percentages of the tasks)."""

    completed_pct: int | None = None  # share of tasks completed
    on_time_pct: int | None = None  # share completed on time with quality
    exceeding_pct: int | None = None  # share completed beyond requirements
    all_shortcomings_remedied: bool = False  # earlier shortcomings all corrected
    source: str = ""
    unconfirmed: bool = False


@dataclass(frozen=True)
class QuotaRule:
    """The "xuất sắc" quota: at most ``share_pct`` % of those rated "tốt" in a group."""

    share_pct: Decimal
    # The competent level may raise the share for an outstanding organisation (a decision).
    outstanding_max_pct: Decimal | None
    basis: str
    source: str
    unconfirmed: bool


@dataclass(frozen=True)
class Timeline:
    """When plans are issued and sessions, files and reports are due (month, day, +years)."""

    plan_month: int
    sessions_due: tuple[int, int, int]
    special_due: tuple[int, int, int] | None
    files_due: tuple[int, int, int] | None
    report_due: tuple[int, int, int] | None
    source: str
    unconfirmed: bool


class CapKind(StrEnum):
    """Facts from records that cap a rating (see ``CapRule``)."""

    DISCIPLINED = "disciplined"  # the subject itself was disciplined in the period
    DEGRADATION = "degradation"  # concluded to show degradation (27 manifestations)
    PROHIBITION = "prohibition"  # concluded to violate the things members must not do (19)
    SUBORDINATE_DISCIPLINED = "subordinate_disciplined"  # a directly subordinate unit
    LEADERSHIP_DISCIPLINED = "leadership_disciplined"  # a member of the leadership collective
    LEADERSHIP_DEGRADATION = "leadership_degradation"  # a leadership member, degradation


@dataclass(frozen=True)
class CapRule:
    """A case that caps the level of a subject: the highest level it still allows."""

    kind: CapKind
    applies_to: SubjectKind
    max_level: Level
    source: str
    # What the rule itself exempts (the competent level judges it; a decision above the cap
    # records the reason).
    exception: str | Promise = ""
    # Discipline counts from this form upward (HD 21: leadership members from cảnh cáo).
    min_form: str = "khien_trach"
    unconfirmed: bool = False


@dataclass(frozen=True)
class RuleSet:
    code: str
    regulation: str
    guidance: str
    valid_from: dt.date
    valid_to: dt.date | None
    period_kinds: frozenset[PeriodKind]
    # Lowest total score of each level, best first; below the last one: "không hoàn thành".
    bands: tuple[tuple[Level, Decimal], ...]
    bands_source: str
    # QĐ 366 introduced the 100-point frame; earlier sets rated criteria, not points.
    bands_official: bool
    conditions: Mapping[Level, TaskConditions]
    quota: QuotaRule
    caps: tuple[CapRule, ...]
    timeline: Timeline
    collective_form: str
    individual_forms: Mapping[Category, str]
    forms_source: str
    forms_unconfirmed: bool
    process_source: str
    decider_source: str
    note: str = ""

    def applies_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def title(self) -> str:
        return f"{self.regulation}; {self.guidance}"


_BANDS = (
    (Level.HOAN_THANH_XUAT_SAC, Decimal(90)),
    (Level.HOAN_THANH_TOT, Decimal(70)),
    (Level.HOAN_THANH, Decimal(50)),
)
_UNOFFICIAL_BANDS = (
    "QĐ 366-QĐ/TW Điều 11 bands (≥ 90; 70–< 90; 50–< 70; < 50) used as the system's score "
    "frame: this rule set rated criteria (Xuất sắc / Tốt / Trung bình / Kém), not points "
    "(UNCONFIRMED as official for these years)"
)

# HD 16-HD/BTCTW (24/9/2018) and HD 21-HD/BTCTW (18/10/2019) Mục II điểm B tiết 2: a member is
# "không hoàn thành" when concluded to show degradation, completing < 50 % of tasks, rated
# "không hoàn thành" as a civil servant, or disciplined in the year (one violation counts once).
# Read on thuvienphapluat.vn Q&A "Tiêu chuẩn đánh giá đảng viên không hoàn thành nhiệm vụ từ
# 18/10/2019" and "05 trường hợp đảng viên không hoàn thành nhiệm vụ" (19/12/2018).
_HD21_MEMBER = "HD 21-HD/BTCTW (18/10/2019) Mục II điểm B tiết 2"
_HD16_MEMBER = "HD 16-HD/BTCTW (24/9/2018), trường hợp đảng viên không hoàn thành nhiệm vụ"
# HD 21 Mục II điểm B tiết 3: a collective with a member of its leadership disciplined from
# cảnh cáo upward is "không hoàn thành" (thuvienphapluat.vn Q&A "Đảng viên giữ chức vụ quản lý
# bị kỷ luật cảnh cáo thì xếp loại đảng viên ra sao?").
_HD21_COLLECTIVE = "HD 21-HD/BTCTW (18/10/2019) Mục II điểm B tiết 3"
_ONCE = gettext_lazy(
    "one violation counts once: a violation already counted in an earlier rating is not "
    "counted again"
)
_QD366_XS = "QĐ 366-QĐ/TW Điều 11 khoản 1 (1.1)"
_QD366_KHT = "QĐ 366-QĐ/TW Điều 11 khoản 4"
_QD366_MITIGATION = gettext_lazy(
    "the member's violation was committed at a former unit or is unrelated to the duties of the "
    "collective; where the violation was self-detected, reported and remedied the competent "
    "level weighs the circumstances (QĐ 366 Điều 11 khoản 4; HD 43)"
)
_QD366_INDIVIDUAL_EXCEPTION = gettext_lazy(
    "only violations related to duties or official activity count; where the person "
    "self-detected, admitted and remedied the violation the competent level weighs the "
    "circumstances (QĐ 366 Điều 11 khoản 4); discipline after the limitation period does not "
    "count (HD 43 mục 4.3)"
)
# QĐ 124-QĐ/TW "không hoàn thành" list, read on xaydungchinhsach.chinhphu.vn "Quy định
# 124-QĐ/TW: Các trường hợp tập thể, cá nhân được xếp loại không hoàn thành nhiệm vụ"
# (article number not read).
_QD124_KHT = "QĐ 124-QĐ/TW, các trường hợp xếp loại không hoàn thành nhiệm vụ"
_SELF_DETECTED = gettext_lazy("self-detected and its consequences remedied")
_AS_QD366 = "QĐ 366-QĐ/TW Điều 11 khoản 1 wording, applied as the system's default"


def _qd132_caps(member_source: str, hd16: bool) -> tuple[CapRule, ...]:
    return (
        CapRule(
            CapKind.DISCIPLINED,
            SubjectKind.INDIVIDUAL,
            Level.KHONG_HOAN_THANH,
            member_source,
            _ONCE,
        ),
        CapRule(CapKind.DEGRADATION, SubjectKind.INDIVIDUAL, Level.KHONG_HOAN_THANH, member_source),
        # QĐ 47-QĐ/TW (2011) / QĐ 37-QĐ/TW (2021) exist, but HD 16/21's list does not name them.
        CapRule(
            CapKind.PROHIBITION,
            SubjectKind.INDIVIDUAL,
            Level.KHONG_HOAN_THANH,
            f"{member_source} (not in its list; QĐ 124 and QĐ 366 name it)",
            unconfirmed=True,
        ),
        CapRule(
            CapKind.LEADERSHIP_DISCIPLINED,
            SubjectKind.COLLECTIVE,
            Level.KHONG_HOAN_THANH,
            _HD21_COLLECTIVE if not hd16 else f"{_HD21_COLLECTIVE} (for HD 16: UNCONFIRMED)",
            _ONCE,
            min_form="canh_cao",
            unconfirmed=hd16,
        ),
        CapRule(
            CapKind.LEADERSHIP_DISCIPLINED,
            SubjectKind.COLLECTIVE,
            Level.HOAN_THANH_TOT,
            _AS_QD366,
            unconfirmed=True,
        ),
        CapRule(
            CapKind.SUBORDINATE_DISCIPLINED,
            SubjectKind.COLLECTIVE,
            Level.HOAN_THANH_TOT,
            _AS_QD366,
            unconfirmed=True,
        ),
        CapRule(
            CapKind.DISCIPLINED,
            SubjectKind.COLLECTIVE,
            Level.KHONG_HOAN_THANH,
            f"{member_source}, applied to the organisation by analogy",
            _ONCE,
            unconfirmed=True,
        ),
        CapRule(
            CapKind.LEADERSHIP_DEGRADATION,
            SubjectKind.COLLECTIVE,
            Level.KHONG_HOAN_THANH,
            f'{_QD124_KHT} ("có thành viên suy thoái"), applied as the system\'s default',
            unconfirmed=True,
        ),
    )


_QD124_CAPS = (
    CapRule(
        CapKind.DISCIPLINED,
        SubjectKind.INDIVIDUAL,
        Level.KHONG_HOAN_THANH,
        f'{_QD124_KHT} ("bị xử lý kỷ luật … trong năm"; which list it belongs to is '
        "ambiguous in the source)",
        _SELF_DETECTED,
        unconfirmed=True,
    ),
    CapRule(CapKind.DEGRADATION, SubjectKind.INDIVIDUAL, Level.KHONG_HOAN_THANH, _QD124_KHT),
    CapRule(CapKind.PROHIBITION, SubjectKind.INDIVIDUAL, Level.KHONG_HOAN_THANH, _QD124_KHT),
    CapRule(
        CapKind.SUBORDINATE_DISCIPLINED,
        SubjectKind.COLLECTIVE,
        Level.KHONG_HOAN_THANH,
        f'{_QD124_KHT} ("có đơn vị trực thuộc … bị xử lý kỷ luật")',
        _SELF_DETECTED,
    ),
    CapRule(
        CapKind.DISCIPLINED,
        SubjectKind.COLLECTIVE,
        Level.KHONG_HOAN_THANH,
        f'{_QD124_KHT} ("tập thể lãnh đạo, quản lý bị xử lý kỷ luật")',
        _SELF_DETECTED,
    ),
    CapRule(
        CapKind.LEADERSHIP_DISCIPLINED,
        SubjectKind.COLLECTIVE,
        Level.KHONG_HOAN_THANH,
        f'{_QD124_KHT} ("thành viên bị kỷ luật trong năm"; placement ambiguous)',
        _SELF_DETECTED,
        unconfirmed=True,
    ),
    CapRule(
        CapKind.LEADERSHIP_DEGRADATION,
        SubjectKind.COLLECTIVE,
        Level.KHONG_HOAN_THANH,
        f'{_QD124_KHT} ("có thành viên suy thoái")',
    ),
)

_QD366_CAPS = (
    CapRule(
        CapKind.SUBORDINATE_DISCIPLINED, SubjectKind.COLLECTIVE, Level.HOAN_THANH_TOT, _QD366_XS
    ),
    CapRule(
        CapKind.LEADERSHIP_DISCIPLINED,
        SubjectKind.COLLECTIVE,
        Level.KHONG_HOAN_THANH,
        f"{_QD366_KHT} (tập thể lãnh đạo, quản lý)",
        _QD366_MITIGATION,
    ),
    CapRule(
        CapKind.LEADERSHIP_DEGRADATION,
        SubjectKind.COLLECTIVE,
        Level.KHONG_HOAN_THANH,
        f"{_QD366_KHT} (tập thể lãnh đạo, quản lý)",
    ),
    CapRule(
        CapKind.DISCIPLINED,
        SubjectKind.COLLECTIVE,
        Level.KHONG_HOAN_THANH,
        f"{_QD366_KHT}: not listed for a disciplined collective itself; applied as the "
        "system's default (QĐ 124 listed it)",
        _SELF_DETECTED,
        unconfirmed=True,
    ),
    CapRule(
        CapKind.DISCIPLINED,
        SubjectKind.INDIVIDUAL,
        Level.KHONG_HOAN_THANH,
        f"{_QD366_KHT} (cá nhân: bị xử lý kỷ luật từ khiển trách trở lên)",
        _QD366_INDIVIDUAL_EXCEPTION,
    ),
    CapRule(
        CapKind.DEGRADATION,
        SubjectKind.INDIVIDUAL,
        Level.KHONG_HOAN_THANH,
        _QD366_KHT,
        _QD366_INDIVIDUAL_EXCEPTION,
    ),
    CapRule(
        CapKind.PROHIBITION,
        SubjectKind.INDIVIDUAL,
        Level.KHONG_HOAN_THANH,
        f"{_QD366_KHT} (cá nhân không giữ chức vụ; đảng viên ngoài hệ thống chính trị)",
        _QD366_INDIVIDUAL_EXCEPTION,
    ),
)

# Conditions of QĐ 132/124 that can be judged on task counts: fewer than 50 % of the tasks
# completed means "không hoàn thành" (HD 21 Mục II điểm B tiết 2; QĐ 124 list).
_OLD_CONDITIONS = {
    Level.HOAN_THANH: TaskConditions(completed_pct=50, source=_HD21_MEMBER),
}
_QD124_CONDITIONS = {
    Level.HOAN_THANH: TaskConditions(completed_pct=50, source=_QD124_KHT),
}
# QĐ 366 Điều 11 khoản 1–3 (rules-gaps.md §6.1, §6.3, verbatim).
_QD366_CONDITIONS = {
    Level.HOAN_THANH_XUAT_SAC: TaskConditions(
        completed_pct=100,
        on_time_pct=100,
        exceeding_pct=30,
        all_shortcomings_remedied=True,
        source="QĐ 366-QĐ/TW Điều 11 khoản 1 (1.1–1.4)",
    ),
    Level.HOAN_THANH_TOT: TaskConditions(
        completed_pct=100, on_time_pct=100, source="QĐ 366-QĐ/TW Điều 11 khoản 2"
    ),
    Level.HOAN_THANH: TaskConditions(
        completed_pct=100, on_time_pct=80, source="QĐ 366-QĐ/TW Điều 11 khoản 3"
    ),
}

_YEAR_END = Timeline(
    plan_month=11,
    sessions_due=(12, 31, 0),
    special_due=None,
    files_due=None,
    report_due=None,
    source=(
        "year end, with the annual work summary (HD 20-HD/BTCTW 2008; baohaiduong.vn); plans "
        "usually in November (Kế hoạch 09-KH/ĐU xã La Bằng, 24/11/2020)"
    ),
    unconfirmed=True,
)
_HD43_TIMELINE = Timeline(
    plan_month=11,
    sessions_due=(12, 31, 0),
    special_due=(1, 15, 1),
    files_due=(2, 1, 1),
    report_due=(3, 1, 1),
    # HD 43-HD/BTCTW mục 4.1–4.3 (rules-gaps.md §6.3, verbatim).
    source="HD 43-HD/BTCTW (31/10/2025) mục 4.1–4.3",
    unconfirmed=False,
)
_GENERIC_FORMS = {
    Category.LEADER: "Bản tự kiểm điểm (cán bộ lãnh đạo, quản lý)",
    Category.STAFF: "Bản tự kiểm điểm (cá nhân)",
    Category.OUTSIDE: "Bản tự kiểm điểm (đảng viên)",
}
_QUOTA_HD21 = QuotaRule(
    share_pct=Decimal(20),
    outstanding_max_pct=None,
    basis="members rated xuất sắc ≤ 20 % of members rated tốt, in each grassroots organisation",
    # rules.md §5.3, verbatim from thuvienphapluat.vn Q&A.
    source="HD 21-HD/BTCTW (18/10/2019)",
    unconfirmed=False,
)

RULE_SETS: tuple[RuleSet, ...] = (
    RuleSet(
        code="qd132-hd16",
        regulation="QĐ 132-QĐ/TW (08/3/2018)",
        guidance="HD 16-HD/BTCTW (24/9/2018)",
        valid_from=dt.date(2018, 3, 8),
        valid_to=dt.date(2019, 10, 17),
        period_kinds=frozenset({PeriodKind.ANNUAL}),
        bands=_BANDS,
        bands_source=_UNOFFICIAL_BANDS,
        bands_official=False,
        conditions={Level.HOAN_THANH: TaskConditions(completed_pct=50, source=_HD16_MEMBER)},
        quota=QuotaRule(
            share_pct=Decimal(20),
            outstanding_max_pct=None,
            basis=_QUOTA_HD21.basis,
            source="HD 21-HD/BTCTW (2019) value; HD 16's own quota was not read",
            unconfirmed=True,
        ),
        caps=_qd132_caps(_HD16_MEMBER, hd16=True),
        timeline=_YEAR_END,
        collective_form="Báo cáo kiểm điểm tập thể",
        individual_forms=_GENERIC_FORMS,
        forms_source="HD 16-HD/BTCTW forms (not read)",
        forms_unconfirmed=True,
        process_source="QĐ 132-QĐ/TW (steps and order as in QĐ 124 Điều 11; UNCONFIRMED)",
        decider_source="QĐ 132-QĐ/TW: the directly superior committee decides (UNCONFIRMED)",
    ),
    RuleSet(
        code="qd132-hd21",
        regulation="QĐ 132-QĐ/TW (08/3/2018)",
        guidance="HD 16-HD/BTCTW (24/9/2018), amended by HD 21-HD/BTCTW (18/10/2019)",
        valid_from=dt.date(2019, 10, 18),
        valid_to=dt.date(2023, 10, 3),
        period_kinds=frozenset({PeriodKind.ANNUAL}),
        bands=_BANDS,
        bands_source=_UNOFFICIAL_BANDS,
        bands_official=False,
        conditions=_OLD_CONDITIONS,
        quota=_QUOTA_HD21,
        caps=_qd132_caps(_HD21_MEMBER, hd16=False),
        timeline=_YEAR_END,
        collective_form="Báo cáo kiểm điểm tập thể",
        individual_forms=_GENERIC_FORMS,
        forms_source="HD 21-HD/BTCTW forms (not read)",
        forms_unconfirmed=True,
        process_source="QĐ 132-QĐ/TW (steps and order as in QĐ 124 Điều 11; UNCONFIRMED)",
        decider_source="QĐ 132-QĐ/TW: the directly superior committee decides (UNCONFIRMED)",
    ),
    RuleSet(
        code="qd124-hd25",
        regulation="QĐ 124-QĐ/TW (04/10/2023)",
        guidance="HD 25-HD/BTCTW (10/11/2023)",
        valid_from=dt.date(2023, 10, 4),
        valid_to=dt.date(2025, 8, 29),
        period_kinds=frozenset({PeriodKind.ANNUAL}),
        bands=_BANDS,
        bands_source=_UNOFFICIAL_BANDS,
        bands_official=False,
        conditions=_QD124_CONDITIONS,
        quota=QuotaRule(
            share_pct=Decimal(20),
            outstanding_max_pct=None,
            basis=_QUOTA_HD21.basis,
            # rules.md §5.3: widely reported, article in 124 UNCONFIRMED.
            source="QĐ 124-QĐ/TW (20 % widely reported; article not read)",
            unconfirmed=True,
        ),
        caps=_QD124_CAPS,
        timeline=_YEAR_END,
        collective_form="Báo cáo kiểm điểm tập thể",
        individual_forms=_GENERIC_FORMS,
        forms_source="HD 25-HD/BTCTW forms (not read)",
        forms_unconfirmed=True,
        # lawnet.vn EN "Process for Evaluating and Classifying Quality … 124-QD/TW".
        process_source="QĐ 124-QĐ/TW Điều 11",
        # baohaiduong.vn (EN).
        decider_source="QĐ 124-QĐ/TW Điều 13",
    ),
    RuleSet(
        code="qd366-hd43",
        regulation="QĐ 366-QĐ/TW (30/8/2025)",
        guidance="HD 43-HD/BTCTW (31/10/2025)",
        valid_from=dt.date(2025, 8, 30),
        valid_to=None,
        period_kinds=frozenset(PeriodKind),
        bands=_BANDS,
        bands_source="QĐ 366-QĐ/TW Điều 10 (100-point frame), Điều 11 khoản 1–4 (bands)",
        bands_official=True,
        conditions=_QD366_CONDITIONS,
        quota=QuotaRule(
            share_pct=Decimal(20),
            outstanding_max_pct=Decimal(25),
            basis=(
                "collectives and individuals rated xuất sắc ≤ 20 % of those rated tốt, per "
                "group of similar roles (default: per grassroots organisation); up to 25 % "
                "for an outstanding organisation by a decision of the competent level"
            ),
            source="QĐ 366-QĐ/TW Điều 11 khoản 1 (1.5)",
            unconfirmed=False,
        ),
        caps=_QD366_CAPS,
        timeline=_HD43_TIMELINE,
        collective_form="Mẫu 01 (báo cáo kiểm điểm tập thể)",
        individual_forms={
            Category.LEADER: "Mẫu 2A (cá nhân giữ chức vụ lãnh đạo, quản lý)",
            Category.STAFF: "Mẫu 2B (cá nhân không giữ chức vụ lãnh đạo, quản lý)",
            Category.OUTSIDE: "Mẫu 02C-HD KĐ.ĐG 2025 (đảng viên không làm việc trong hệ thống "
            "chính trị)",
        },
        # encovietnam.com; thuvienphapluat.vn (Mẫu 2C). Which category 2A and 2B cover: UNCONFIRMED.
        forms_source="HD 43-HD/BTCTW: Mẫu 01, 2A, 2B, 2C (2C confirmed; 2A/2B split UNCONFIRMED)",
        forms_unconfirmed=True,
        process_source="QĐ 366-QĐ/TW Điều 12 khoản 1; order as in QĐ 124 Điều 11",
        decider_source="HD 43-HD/BTCTW: ban thường vụ cấp trên trực tiếp decides organisations",
    ),
)


def rule_set_on(day: dt.date) -> RuleSet:
    """The rule set in force on ``day``; ValueError before the first one (08/3/2018)."""
    for rule_set in reversed(RULE_SETS):
        if rule_set.applies_on(day):
            return rule_set
    raise ValueError(
        f"no evaluation rule set is recorded for {day:%d/%m/%Y} (the earliest is QĐ 132-QĐ/TW, "
        "08/3/2018)"
    )


def rule_set_for(year: int) -> RuleSet:
    """The rule set a review of ``year`` is judged by: the one in force on 31/12 of that year."""
    return rule_set_on(dt.date(year, 12, 31))


def rule_set(code: str) -> RuleSet:
    for candidate in RULE_SETS:
        if candidate.code == code:
            return candidate
    raise KeyError(code)


# --- levels -----------------------------------------------------------------------------------


# QĐ 366-QĐ/TW Điều 11: ≥ 90 xuất sắc; 70–< 90 tốt; 50–< 70 hoàn thành; < 50 không hoàn thành.
def level_for_score(
    score: Decimal | int | float | str, year: int, *, rules: RuleSet | None = None
) -> Level:
    """The level a total score on the 100-point frame implies under the rules of ``year``."""
    value = as_score(score)
    if not Decimal(0) <= value <= SCORE_MAX:
        raise ValueError(f"a score must lie between 0 and {SCORE_MAX}, not {value}")
    chosen = rules or rule_set_for(year)
    for level, lowest in chosen.bands:
        if value >= lowest:
            return level
    return Level.KHONG_HOAN_THANH


@dataclass(frozen=True)
class Tasks:
    """The tasks of the period as the self-assessment states them."""

    total: int = 0
    completed: int = 0
    on_time: int = 0
    exceeding: int = 0
    shortcomings_before: int = 0
    shortcomings_remedied: int = 0

    def __post_init__(self) -> None:
        if min(self.total, self.completed, self.on_time, self.exceeding) < 0:
            raise ValueError("task counts cannot be negative")
        if not self.exceeding <= self.on_time <= self.completed <= self.total:
            raise ValueError(
                "task counts must satisfy exceeding ≤ on time ≤ completed ≤ total "
                f"(got {self.exceeding}, {self.on_time}, {self.completed}, {self.total})"
            )
        if not 0 <= self.shortcomings_remedied <= self.shortcomings_before:
            raise ValueError("remedied shortcomings cannot exceed the shortcomings found before")


def _share_ok(part: int, total: int, pct: int | None) -> bool:
    # Exact: part / total ≥ pct / 100, without floating point.
    return pct is None or part * 100 >= pct * total


def unmet_conditions(level: Level | str, tasks: Tasks, rules: RuleSet) -> list[str]:
    """Which extra conditions of ``level`` the tasks do not meet (empty: all met).

    A level also needs the conditions of the levels below it (fewer than 50 % of the tasks
    completed rules out "tốt" as much as "hoàn thành"). With no task counted (``total == 0``)
    the task conditions cannot be judged and are not applied; the advisory body verifies them.
    """
    value = Level(level)
    unmet: list[str] = []
    for candidate in LEVELS_BEST_FIRST[LEVELS_BEST_FIRST.index(value) :]:
        cond = rules.conditions.get(candidate)
        if cond is None:
            continue
        for text in _unmet(cond, tasks):
            if text not in unmet:
                unmet.append(text)
    return unmet


def _unmet(cond: TaskConditions, tasks: Tasks) -> list[str]:
    unmet: list[str] = []
    if tasks.total:
        if not _share_ok(tasks.completed, tasks.total, cond.completed_pct):
            unmet.append(_("at least %(pct)s %% of tasks completed") % {"pct": cond.completed_pct})
        if not _share_ok(tasks.on_time, tasks.total, cond.on_time_pct):
            unmet.append(
                _("at least %(pct)s %% of tasks completed on time") % {"pct": cond.on_time_pct}
            )
        if not _share_ok(tasks.exceeding, tasks.total, cond.exceeding_pct):
            unmet.append(
                _("at least %(pct)s %% of tasks beyond requirements") % {"pct": cond.exceeding_pct}
            )
    if cond.all_shortcomings_remedied and tasks.shortcomings_remedied < tasks.shortcomings_before:
        unmet.append(_("all shortcomings found earlier remedied"))
    return unmet


@dataclass(frozen=True)
class Assessment:
    """The level a score and the tasks imply, and why it is lower than the score's band."""

    score: Decimal
    band_level: Level
    level: Level
    reasons: tuple[str, ...]
    rules: RuleSet


def assess(
    score: Decimal | int | float | str, tasks: Tasks, year: int, *, rules: RuleSet | None = None
) -> Assessment:
    """The level of a self-assessment: the score's band, lowered until its conditions hold."""
    chosen = rules or rule_set_for(year)
    band = level_for_score(score, year, rules=chosen)
    reasons: list[str] = []
    level = band
    for candidate in LEVELS_BEST_FIRST[LEVELS_BEST_FIRST.index(band) :]:
        level = candidate
        if candidate == Level.KHONG_HOAN_THANH:
            break
        unmet = unmet_conditions(candidate, tasks, chosen)
        if not unmet:
            break
        source = next(
            chosen.conditions[c].source
            for c in LEVELS_BEST_FIRST[LEVELS_BEST_FIRST.index(candidate) :]
            if c in chosen.conditions and _unmet(chosen.conditions[c], tasks)
        )
        reasons.append(
            _("%(level)s needs %(conditions)s (%(source)s)")
            % {"level": level_label(candidate), "conditions": "; ".join(unmet), "source": source}
        )
    return Assessment(as_score(score), band, level, tuple(reasons), chosen)


# --- quota ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuotaCheck:
    excellent: int
    good: int
    share_pct: Decimal
    allowed: int
    ok: bool
    source: str
    unconfirmed: bool

    @property
    def excess(self) -> int:
        return max(0, self.excellent - self.allowed)


def _count(counts: Mapping[Level, int] | Mapping[str, int], level: Level) -> int:
    plain = {str(k): v for k, v in counts.items()}
    value = plain.get(level.value, 0)
    if value < 0:
        raise ValueError("counts cannot be negative")
    return value


def max_share(year: int, *, outstanding: bool = False) -> Decimal:
    """The highest share the rules of ``year`` allow (25 % under QĐ 366 with a decision)."""
    quota = rule_set_for(year).quota
    if outstanding and quota.outstanding_max_pct is not None:
        return quota.outstanding_max_pct
    return quota.share_pct


# QĐ 366-QĐ/TW Điều 11 khoản 1.5; HD 21-HD/BTCTW (2019): "xuất sắc" ≤ 20 % of "tốt" in a group.
def check_quota(
    counts_by_level: Mapping[Level, int] | Mapping[str, int],
    year: int,
    *,
    share_pct: Decimal | int | None = None,
) -> QuotaCheck:
    """Whether the "xuất sắc" count of one group stays within its share of the "tốt" count.

    Exact at the boundary (integer arithmetic): 2 xuất sắc with 10 tốt is allowed at 20 %,
    3 is not. ``share_pct`` replaces the rule's default (an administrator's setting, or a
    recorded decision for an outstanding organisation under QĐ 366).
    """
    rules = rule_set_for(year)
    share = Decimal(rules.quota.share_pct if share_pct is None else share_pct)
    if not Decimal(0) <= share <= Decimal(100):
        raise ValueError(f"a share must lie between 0 and 100 %, not {share}")
    excellent = _count(counts_by_level, Level.HOAN_THANH_XUAT_SAC)
    good = _count(counts_by_level, Level.HOAN_THANH_TOT)
    fraction = Fraction(share) / 100
    allowed = int(fraction * good)  # floor: the count may not exceed the share
    return QuotaCheck(
        excellent=excellent,
        good=good,
        share_pct=share,
        allowed=allowed,
        ok=excellent <= fraction * good,
        source=rules.quota.source,
        unconfirmed=rules.quota.unconfirmed,
    )


# --- caps from records ------------------------------------------------------------------------


@dataclass(frozen=True)
class DisciplineFact:
    """A disciplinary decision in force, decided in the period."""

    case_id: int
    form: str
    decided_on: dt.date
    label: str


@dataclass(frozen=True)
class FindingFact:
    """A concluded finding coded on the 27 manifestations or the 19 prohibitions."""

    finding_id: int
    case_id: int
    concluded_on: dt.date
    code: str
    label: str


@dataclass(frozen=True)
class SubjectRecords:
    """Plain facts about one subject gathered from the records of the period.

    For an individual: ``disciplines`` of the person, ``degradation`` and ``prohibitions``
    findings about them. For a collective: ``disciplines`` of the organisation itself, of its
    directly subordinate units and of the members of its leadership collective, and findings
    of degradation about those leadership members.
    """

    kind: SubjectKind
    disciplines: tuple[DisciplineFact, ...] = ()
    degradation: tuple[FindingFact, ...] = ()
    prohibitions: tuple[FindingFact, ...] = ()
    subordinate_disciplines: tuple[DisciplineFact, ...] = ()
    leadership_disciplines: tuple[DisciplineFact, ...] = ()
    leadership_degradation: tuple[FindingFact, ...] = ()


@dataclass(frozen=True)
class RecordRef:
    kind: str  # "discipline" or "finding"
    id: int
    label: str
    date: dt.date


@dataclass(frozen=True)
class RatingCap:
    """A cap that applies: the highest level the records still allow, with its reasons."""

    kind: CapKind
    max_level: Level
    source: str
    exception: str | Promise
    unconfirmed: bool
    records: tuple[RecordRef, ...] = field(default_factory=tuple)

    def explanation(self) -> str:
        """A sentence for the user (in the active language)."""
        names = "; ".join(f"{r.label} ({r.date:%d/%m/%Y})" for r in self.records)
        return str(CAP_MESSAGES[self.kind]) % {
            "records": names,
            "level": level_label(self.max_level),
        }


CAP_MESSAGES = {
    CapKind.DISCIPLINED: gettext_lazy(
        "Disciplined in the period: %(records)s. Proposed level at most: %(level)s."
    ),
    CapKind.DEGRADATION: gettext_lazy(
        "Concluded to show manifestations of degradation: %(records)s. Proposed level at "
        "most: %(level)s."
    ),
    CapKind.PROHIBITION: gettext_lazy(
        "Concluded to violate the things party members must not do: %(records)s. Proposed "
        "level at most: %(level)s."
    ),
    CapKind.SUBORDINATE_DISCIPLINED: gettext_lazy(
        "A directly subordinate unit was disciplined: %(records)s. Level at most: %(level)s."
    ),
    CapKind.LEADERSHIP_DISCIPLINED: gettext_lazy(
        "A member of the leadership collective was disciplined: %(records)s. Level at most: "
        "%(level)s."
    ),
    CapKind.LEADERSHIP_DEGRADATION: gettext_lazy(
        "A member of the leadership collective was concluded to show degradation: "
        "%(records)s. Level at most: %(level)s."
    ),
}

LEVEL_LABELS = {
    Level.HOAN_THANH_XUAT_SAC: gettext_lazy("completed tasks excellently"),
    Level.HOAN_THANH_TOT: gettext_lazy("completed tasks well"),
    Level.HOAN_THANH: gettext_lazy("completed tasks"),
    Level.KHONG_HOAN_THANH: gettext_lazy("did not complete tasks"),
}


def level_label(level: Level | str) -> str:
    return str(LEVEL_LABELS[Level(level)])


def _discipline_refs(facts: Iterable[DisciplineFact], min_form: str) -> tuple[RecordRef, ...]:
    floor = severity(min_form)
    return tuple(
        RecordRef("discipline", f.case_id, f.label, f.decided_on)
        for f in facts
        if severity(f.form) >= floor
    )


def _finding_refs(facts: Iterable[FindingFact]) -> tuple[RecordRef, ...]:
    return tuple(
        RecordRef("finding", f.finding_id, f"{f.code} {f.label}".strip(), f.concluded_on)
        for f in facts
    )


def _refs_for(rule: CapRule, subject: SubjectRecords) -> tuple[RecordRef, ...]:
    if rule.kind == CapKind.DISCIPLINED:
        return _discipline_refs(subject.disciplines, rule.min_form)
    if rule.kind == CapKind.DEGRADATION:
        return _finding_refs(subject.degradation)
    if rule.kind == CapKind.PROHIBITION:
        return _finding_refs(subject.prohibitions)
    if rule.kind == CapKind.SUBORDINATE_DISCIPLINED:
        return _discipline_refs(subject.subordinate_disciplines, rule.min_form)
    if rule.kind == CapKind.LEADERSHIP_DISCIPLINED:
        return _discipline_refs(subject.leadership_disciplines, rule.min_form)
    return _finding_refs(subject.leadership_degradation)


def caps_for(
    subject: SubjectRecords, year: int, *, rules: RuleSet | None = None
) -> tuple[RatingCap, ...]:
    """The caps the records put on ``subject``'s level under the rules of ``year``.

    Most restrictive first. An empty tuple means the records allow any level. Only the
    strongest rule of each kind that applies is returned (a leadership member disciplined with
    cảnh cáo under HD 21 gives "không hoàn thành", not also "at most tốt").
    """
    chosen = rules or rule_set_for(year)
    found: dict[CapKind, RatingCap] = {}
    for rule in chosen.caps:
        if rule.applies_to != subject.kind:
            continue
        refs = _refs_for(rule, subject)
        if not refs:
            continue
        current = found.get(rule.kind)
        if current is not None and rank(current.max_level) <= rank(rule.max_level):
            continue
        found[rule.kind] = RatingCap(
            rule.kind, rule.max_level, rule.source, rule.exception, rule.unconfirmed, refs
        )
    return tuple(sorted(found.values(), key=lambda c: (rank(c.max_level), c.kind.value)))


def cap_level(caps: Iterable[RatingCap]) -> Level | None:
    """The lowest level any cap allows (None: no cap)."""
    levels = [c.max_level for c in caps]
    return lower_of(*levels) if levels else None


# --- timeline ---------------------------------------------------------------------------------


def _on(year: int, spec: tuple[int, int, int]) -> dt.date:
    month, day, offset = spec
    return dt.date(year + offset, month, day)


@dataclass(frozen=True)
class Deadlines:
    plan_by: dt.date
    sessions_by: dt.date
    special_by: dt.date | None
    files_by: dt.date | None
    report_by: dt.date | None
    source: str
    unconfirmed: bool


# HD 43-HD/BTCTW mục 4: sessions end before 31/12 (special units 15/01 next year), files to
# BTCTW before 01/02, BTCTW reports to the Politburo before 01/03.
def annual_deadlines(year: int, *, rules: RuleSet | None = None) -> Deadlines:
    """The deadlines of the annual review of ``year``."""
    chosen = rules or rule_set_for(year)
    t = chosen.timeline
    return Deadlines(
        plan_by=dt.date(year, t.plan_month, 30),
        sessions_by=_on(year, t.sessions_due),
        special_by=_on(year, t.special_due) if t.special_due else None,
        files_by=_on(year, t.files_due) if t.files_due else None,
        report_by=_on(year, t.report_due) if t.report_due else None,
        source=t.source,
        unconfirmed=t.unconfirmed,
    )


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"a quarter is 1 to 4, not {quarter}")
    start = dt.date(year, 3 * quarter - 2, 1)
    end_month = 3 * quarter
    end = (
        dt.date(year, 12, 31)
        if end_month == 12
        else dt.date(year, end_month + 1, 1) - dt.timedelta(days=1)
    )
    return start, end


def check_period_kind(kind: PeriodKind | str, end: dt.date) -> RuleSet:
    """The rule set for a review ending on ``end``; ValueError if it has no such period."""
    chosen = rule_set_on(end)
    value = PeriodKind(kind)
    if value not in chosen.period_kinds:
        raise ValueError(
            f"{chosen.regulation} provides for annual reviews only; quarterly and term reviews "
            "exist from QĐ 366-QĐ/TW (30/8/2025)"
        )
    return chosen
