"""Properties of the rule engine (hypothesis): levels are monotone in the score, the quota check
is exact at the boundary, the tasks only ever lower a level, caps only ever lower it."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from giamsat.evaluation import rules
from giamsat.evaluation.rules import Level, SubjectKind

years = st.sampled_from([2018, 2019, 2021, 2023, 2024, 2025, 2026])
scores = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False)


@given(years, scores, scores)
def test_a_higher_score_never_yields_a_lower_level(year, a, b):
    low, high = sorted((a, b))
    assert rules.rank(rules.level_for_score(high, year)) >= rules.rank(
        rules.level_for_score(low, year)
    )


@given(years, st.floats(min_value=0, max_value=100, allow_nan=False))
def test_floats_and_decimals_agree(year, score):
    assert rules.level_for_score(score, year) == rules.level_for_score(Decimal(str(score)), year)


@st.composite
def task_counts(draw):
    total = draw(st.integers(0, 40))
    completed = draw(st.integers(0, total))
    on_time = draw(st.integers(0, completed))
    exceeding = draw(st.integers(0, on_time))
    before = draw(st.integers(0, 5))
    remedied = draw(st.integers(0, before))
    return rules.Tasks(total, completed, on_time, exceeding, before, remedied)


@given(years, scores, task_counts())
def test_tasks_only_lower_the_band(year, score, tasks):
    assessment = rules.assess(score, tasks, year)
    assert rules.rank(assessment.level) <= rules.rank(assessment.band_level)


@given(years, scores, scores, task_counts())
def test_with_the_same_tasks_a_higher_score_never_yields_a_lower_level(year, a, b, tasks):
    low, high = sorted((a, b))
    assert rules.rank(rules.assess(high, tasks, year).level) >= rules.rank(
        rules.assess(low, tasks, year).level
    )


@given(
    years,
    st.integers(0, 2000),
    st.integers(0, 10000),
    st.sampled_from([None, 0, 10, 20, 25, Decimal("12.5"), 100]),
)
def test_quota_check_is_exact(year, excellent, good, share):
    """ok ⟺ excellent ≤ share × good exactly; allowed is the largest count that is ok."""
    check = rules.check_quota(
        {"hoan_thanh_xuat_sac": excellent, "hoan_thanh_tot": good}, year, share_pct=share
    )
    fraction = Fraction(Decimal(20 if share is None else share)) / 100
    assert check.ok == (excellent <= fraction * good)
    assert check.allowed <= fraction * good < check.allowed + 1
    assert check.ok == (excellent <= check.allowed)


@given(years, st.integers(1, 5000))
def test_quota_boundary(year, good):
    """At 20 %: the largest allowed count passes, one more fails."""
    allowed = good // 5
    counts = {Level.HOAN_THANH_XUAT_SAC: allowed, Level.HOAN_THANH_TOT: good}
    assert rules.check_quota(counts, year).ok
    counts[Level.HOAN_THANH_XUAT_SAC] = allowed + 1
    assert not rules.check_quota(counts, year).ok


facts = st.lists(
    st.builds(
        rules.DisciplineFact,
        st.integers(1, 9),
        st.sampled_from(["khien_trach", "canh_cao", "cach_chuc", "khai_tru"]),
        st.dates(),
        st.just("x"),
    ),
    max_size=3,
)
findings = st.lists(
    st.builds(
        rules.FindingFact,
        st.integers(1, 9),
        st.integers(1, 9),
        st.dates(),
        st.just("B1"),
        st.just("x"),
    ),
    max_size=2,
)


@given(
    years,
    st.sampled_from(list(SubjectKind)),
    facts,
    findings,
    findings,
    facts,
    facts,
    findings,
    facts,
)
def test_more_records_never_allow_a_higher_level(year, kind, d, g, p, s, lead, lead_g, extra):
    """Adding a record to a subject can only keep or lower the highest level allowed."""
    base = rules.SubjectRecords(
        kind, tuple(d), tuple(g), tuple(p), tuple(s), tuple(lead), tuple(lead_g)
    )
    more = rules.SubjectRecords(
        kind,
        tuple(d + extra),
        tuple(g),
        tuple(p),
        tuple(s + extra),
        tuple(lead + extra),
        tuple(lead_g),
    )
    before = rules.cap_level(rules.caps_for(base, year)) or Level.HOAN_THANH_XUAT_SAC
    after = rules.cap_level(rules.caps_for(more, year)) or Level.HOAN_THANH_XUAT_SAC
    assert rules.rank(after) <= rules.rank(before)
