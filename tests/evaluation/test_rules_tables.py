"""Table tests of the rule sets, one table per version, each row citing its article.

2018: QĐ 132-QĐ/TW with HD 16-HD/BTCTW; 2019–2022: with HD 21-HD/BTCTW; 2023–2024: QĐ 124-QĐ/TW
with HD 25-HD/BTCTW; from 30/08/2025: QĐ 366-QĐ/TW with HD 43-HD/BTCTW.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from giamsat.evaluation import rules
from giamsat.evaluation.rules import CapKind, Level, SubjectKind, Tasks

XS, TOT, HT, KHT = (
    Level.HOAN_THANH_XUAT_SAC,
    Level.HOAN_THANH_TOT,
    Level.HOAN_THANH,
    Level.KHONG_HOAN_THANH,
)


@pytest.mark.parametrize(
    ("year", "code"),
    [
        (2018, "qd132-hd16"),  # QĐ 132-QĐ/TW (08/3/2018), HD 16-HD/BTCTW (24/9/2018)
        (2019, "qd132-hd21"),  # HD 21-HD/BTCTW (18/10/2019) before the 2019 year-end review
        (2021, "qd132-hd21"),  # the demo's year
        (2022, "qd132-hd21"),
        (2023, "qd124-hd25"),  # QĐ 124-QĐ/TW (04/10/2023) before the 2023 year-end review
        (2024, "qd124-hd25"),
        (2025, "qd366-hd43"),  # QĐ 366-QĐ/TW (30/8/2025)
        (2026, "qd366-hd43"),
    ],
)
def test_the_rule_set_is_the_one_in_force_on_31_december(year, code):
    assert rules.rule_set_for(year).code == code


def test_no_rule_set_before_qd_132():
    """Reviews before 08/3/2018 have no recorded rule set: refused, not guessed."""
    with pytest.raises(ValueError, match="QĐ 132"):
        rules.rule_set_for(2017)


# Score bands: QĐ 366-QĐ/TW Điều 11 khoản 1–4 (≥ 90; 70–< 90; 50–< 70; < 50). The older sets
# rated criteria, not points: the same bands are the system's frame, marked not official.
BANDS = [
    (100, XS),
    (90, XS),
    ("89.9", TOT),
    (70, TOT),
    ("69.9", HT),
    (50, HT),
    ("49.9", KHT),
    (0, KHT),
]


@pytest.mark.parametrize("year", [2018, 2023, 2025])
@pytest.mark.parametrize(("score", "level"), BANDS)
def test_score_bands(year, score, level):
    assert rules.level_for_score(score, year) == level


@pytest.mark.parametrize(
    ("year", "official"), [(2018, False), (2021, False), (2023, False), (2025, True)]
)
def test_only_qd_366_has_an_official_point_scale(year, official):
    assert rules.rule_set_for(year).bands_official is official


@pytest.mark.parametrize("score", [-1, "100.1", "abc", "nan", "inf"])
def test_a_score_outside_the_frame_is_refused(score):
    with pytest.raises(ValueError):
        rules.level_for_score(score, 2025)


def test_the_frame_is_30_plus_70_points():
    """QĐ 366 Điều 10: general criteria 30 points, task results 70 points."""
    assert rules.total_score(30, 70) == 100
    with pytest.raises(ValueError, match="general"):
        rules.total_score("30.5", 10)
    with pytest.raises(ValueError, match="task"):
        rules.total_score(10, 71)


# Conditions on the tasks.
CONDITIONS = [
    # QĐ 366 Điều 11 khoản 1: xuất sắc needs 100 % on time and ≥ 30 % beyond requirements.
    (2025, 95, Tasks(10, 10, 10, 3), XS),
    (2025, 95, Tasks(10, 10, 10, 2), TOT),
    # khoản 1.4: all shortcomings pointed out before remedied.
    (2025, 95, Tasks(10, 10, 10, 5, shortcomings_before=2, shortcomings_remedied=1), TOT),
    # khoản 2: tốt needs 100 % on time.
    (2025, 80, Tasks(10, 10, 9, 0), HT),
    # khoản 3: hoàn thành needs 100 % completed and ≤ 20 % behind schedule.
    (2025, 60, Tasks(10, 10, 8, 0), HT),
    (2025, 60, Tasks(10, 10, 7, 0), KHT),
    (2025, 60, Tasks(10, 9, 9, 0), KHT),
    # HD 21 Mục II điểm B tiết 2 / QĐ 124: fewer than 50 % of tasks completed → không hoàn thành.
    (2021, 80, Tasks(10, 5, 5, 0), TOT),
    (2021, 80, Tasks(10, 4, 4, 0), KHT),
    (2023, 95, Tasks(10, 4, 4, 0), KHT),
    (2018, 95, Tasks(10, 9, 0, 0), XS),
    # No task counted: the conditions are left to the advisory body.
    (2025, 95, Tasks(), XS),
]


@pytest.mark.parametrize(("year", "score", "tasks", "level"), CONDITIONS)
def test_task_conditions(year, score, tasks, level):
    assessment = rules.assess(score, tasks, year)
    assert assessment.level == level
    assert bool(assessment.reasons) == (assessment.level != assessment.band_level)


# Quota: HD 21-HD/BTCTW (2019) and QĐ 366 Điều 11 khoản 1.5: xuất sắc ≤ 20 % of tốt.
QUOTA = [
    (2021, 2, 10, True, 2),
    (2021, 3, 10, False, 2),
    (2021, 1, 4, False, 0),
    (2021, 0, 0, True, 0),
    (2021, 1, 5, True, 1),
    (2023, 4, 20, True, 4),
    (2025, 5, 24, False, 4),
    (2025, 5, 25, True, 5),
]


@pytest.mark.parametrize(("year", "xs", "tot", "ok", "allowed"), QUOTA)
def test_quota_table(year, xs, tot, ok, allowed):
    check = rules.check_quota({"hoan_thanh_xuat_sac": xs, "hoan_thanh_tot": tot}, year)
    assert (check.ok, check.allowed) == (ok, allowed)


def test_qd_366_allows_25_percent_for_outstanding_organisations():
    """QĐ 366 Điều 11 khoản 1.5: up to 25 % with a decision of the competent level."""
    assert rules.max_share(2025, outstanding=True) == Decimal(25)
    assert rules.max_share(2021, outstanding=True) == Decimal(20)  # HD 21 has no such case
    check = rules.check_quota({XS: 5, TOT: 20}, 2025, share_pct=25)
    assert check.ok and check.allowed == 5


@pytest.mark.parametrize(
    ("year", "unconfirmed"), [(2018, True), (2021, False), (2023, True), (2025, False)]
)
def test_quota_sources_are_flagged_where_unconfirmed(year, unconfirmed):
    """HD 21 (2019) and QĐ 366 were read; HD 16's and QĐ 124's articles were not."""
    assert rules.rule_set_for(year).quota.unconfirmed is unconfirmed


def _discipline(form="khien_trach", day=dt.date(2021, 5, 1)):
    return (rules.DisciplineFact(1, form, day, "Nguyễn Văn A"),)


def _finding(day=dt.date(2021, 5, 1)):
    return (rules.FindingFact(9, 3, day, "B6", "Bệnh thành tích"),)


# Caps from records, per rule set. (year, facts, kinds → highest level allowed)
CAPS = [
    # HD 21 Mục II điểm B tiết 2: a member disciplined in the year → không hoàn thành.
    (2021, rules.SubjectRecords(SubjectKind.INDIVIDUAL, disciplines=_discipline()), KHT),
    # … concluded to show degradation → không hoàn thành.
    (2021, rules.SubjectRecords(SubjectKind.INDIVIDUAL, degradation=_finding()), KHT),
    # HD 21 Mục II điểm B tiết 3: a leadership member disciplined from cảnh cáo → không hoàn thành.
    (2021, rules.SubjectRecords(SubjectKind.COLLECTIVE, leadership_disciplines=_discipline("canh_cao")), KHT),
    # … with khiển trách only: the QĐ 366 wording (cannot be xuất sắc), applied as default.
    (2021, rules.SubjectRecords(SubjectKind.COLLECTIVE, leadership_disciplines=_discipline()), TOT),
    (2021, rules.SubjectRecords(SubjectKind.COLLECTIVE, subordinate_disciplines=_discipline()), TOT),
    # QĐ 124 list: a subordinate unit disciplined → không hoàn thành (unless self-detected).
    (2023, rules.SubjectRecords(SubjectKind.COLLECTIVE, subordinate_disciplines=_discipline()), KHT),
    (2023, rules.SubjectRecords(SubjectKind.INDIVIDUAL, prohibitions=_finding()), KHT),
    # QĐ 366 Điều 11 khoản 1.1: a subordinate unit disciplined → at most tốt.
    (2025, rules.SubjectRecords(SubjectKind.COLLECTIVE, subordinate_disciplines=_discipline()), TOT),
    # khoản 4: a leadership member disciplined from khiển trách → không hoàn thành.
    (2025, rules.SubjectRecords(SubjectKind.COLLECTIVE, leadership_disciplines=_discipline()), KHT),
    (2025, rules.SubjectRecords(SubjectKind.COLLECTIVE, leadership_degradation=_finding()), KHT),
    (2025, rules.SubjectRecords(SubjectKind.INDIVIDUAL, disciplines=_discipline()), KHT),
    (2025, rules.SubjectRecords(SubjectKind.INDIVIDUAL, prohibitions=_finding()), KHT),
    # Nothing on record: no cap.
    (2025, rules.SubjectRecords(SubjectKind.INDIVIDUAL), None),
    # Records of a collective do not cap an individual and the other way round.
    (2025, rules.SubjectRecords(SubjectKind.INDIVIDUAL, subordinate_disciplines=_discipline()), None),
    (2025, rules.SubjectRecords(SubjectKind.COLLECTIVE, prohibitions=_finding()), None),
]  # fmt: skip


@pytest.mark.parametrize(("year", "subject", "limit"), CAPS)
def test_caps_table(year, subject, limit):
    caps = rules.caps_for(subject, year)
    assert rules.cap_level(caps) == limit
    for cap in caps:
        assert cap.source and cap.records
        assert cap.explanation()


def test_hd21_leadership_rule_counts_from_canh_cao():
    """HD 21 tiết 3 names "từ cảnh cáo trở lên": khiển trách gives only the default cap."""
    caps = rules.caps_for(
        rules.SubjectRecords(SubjectKind.COLLECTIVE, leadership_disciplines=_discipline()), 2021
    )
    assert [(c.kind, c.max_level, c.unconfirmed) for c in caps] == [
        (CapKind.LEADERSHIP_DISCIPLINED, TOT, True)
    ]


def test_a_cap_names_its_exception():
    """QĐ 366 Điều 11 khoản 4 lets the competent level weigh self-detected, remedied cases."""
    (cap,) = rules.caps_for(
        rules.SubjectRecords(SubjectKind.INDIVIDUAL, disciplines=_discipline()), 2025
    )
    assert "self-detected" in str(cap.exception)
    assert "Điều 11 khoản 4" in cap.source


@pytest.mark.parametrize(
    ("kind", "year", "ok"),
    [
        ("quarter", 2021, False),
        ("term", 2023, False),
        ("quarter", 2025, True),
        ("annual", 2021, True),
    ],
)
def test_quarterly_and_term_reviews_only_from_qd_366(kind, year, ok):
    """QĐ 366 (rules-gaps.md §6.1): "theo nhiệm kỳ, hằng năm, hằng quý"; before it: annual."""
    if ok:
        rules.check_period_kind(kind, dt.date(year, 12, 31))
    else:
        with pytest.raises(ValueError, match="annual reviews only"):
            rules.check_period_kind(kind, dt.date(year, 12, 31))


def test_hd_43_deadlines():
    """HD 43-HD/BTCTW mục 4: before 31/12, special units 15/01, files 01/02, report 01/03."""
    d = rules.annual_deadlines(2025)
    assert (d.sessions_by, d.special_by, d.files_by, d.report_by) == (
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 15),
        dt.date(2026, 2, 1),
        dt.date(2026, 3, 1),
    )
    assert not d.unconfirmed
    old = rules.annual_deadlines(2021)
    assert old.sessions_by == dt.date(2021, 12, 31) and old.files_by is None and old.unconfirmed


def test_forms_by_category():
    """HD 43: collective report Mẫu 01; individuals Mẫu 2A, 2B, 2C by category."""
    r = rules.rule_set_for(2025)
    assert r.collective_form.startswith("Mẫu 01")
    assert [r.individual_forms[c][:6] for c in rules.Category] == ["Mẫu 2A", "Mẫu 2B", "Mẫu 02"]


def test_levels_are_slugs():
    assert [level.value for level in Level] == [
        "hoan_thanh_xuat_sac",
        "hoan_thanh_tot",
        "hoan_thanh",
        "khong_hoan_thanh",
    ]
