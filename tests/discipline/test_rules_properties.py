"""Properties of the discipline rules (hypothesis)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from giamsat.discipline.rules import (
    SEVERITY,
    Form,
    SubjectKind,
    allowed_forms,
    limitation_expiry,
    tally,
)

kinds = st.sampled_from(list(SubjectKind))
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))


def _as_key(expiry: dt.date | None) -> dt.date:
    return expiry or dt.date.max  # no limitation = the longest


@given(kind=kinds, end=days, again=st.lists(days, max_size=4), exempt=st.booleans())
def test_a_heavier_form_never_has_a_shorter_limitation(kind, end, again, exempt):
    """QĐ 69 Điều 4: for the same facts, the heavier form's limitation is at least as long."""
    forms = allowed_forms(kind, has_post=True)
    expiries = [_as_key(limitation_expiry(f, kind, end, again, exempt)) for f in forms]
    assert expiries == sorted(expiries)


@st.composite
def ballots(draw):
    kind = draw(kinds)
    has_post = draw(st.booleans())
    forms = allowed_forms(kind, has_post)
    total = draw(st.integers(min_value=1, max_value=40))
    votes: dict[Form, int] = {}
    left = total
    for form in forms:
        n = draw(st.integers(min_value=0, max_value=left))
        votes[form] = n
        left -= n
    return kind, has_post, total, votes, left


@given(ballot=ballots(), data=st.data())
def test_adding_a_yes_vote_never_makes_a_lighter_outcome(ballot, data):
    """QĐ 69 Điều 15 + cumulative counting: one more vote for any form cannot lighten the result."""
    kind, has_post, total, votes, left = ballot
    if left == 0:
        return
    before = tally(votes, total, kind, has_post=has_post)
    form = data.draw(st.sampled_from(list(votes)))
    more = {**votes, form: votes[form] + 1}
    after = tally(more, total, kind, has_post=has_post)
    rank = lambda f: 0 if f is None else SEVERITY[f]  # noqa: E731
    assert rank(after) >= rank(before)


@given(has_post=st.booleans())
def test_forms_for_a_probationary_member_are_a_subset_of_those_for_a_full_member(has_post):
    """QĐ 69 Điều 7: probationary members can only receive forms a full member can."""
    probationary = set(allowed_forms("probationary_member", has_post))
    assert probationary <= set(allowed_forms("member", has_post))
    assert probationary < set(allowed_forms("member", True))


@given(ballot=ballots())
def test_the_result_is_on_the_ballot_and_reaches_more_than_half_cumulatively(ballot):
    """Whatever the ballot, the decided form is one of the subject's forms and the votes for it
    and heavier forms are more than half of all members."""
    kind, has_post, total, votes, _left = ballot
    result = tally(votes, total, kind, has_post=has_post)
    if result is None:
        return
    assert result in allowed_forms(kind, has_post)
    heavier_or_equal = sum(n for f, n in votes.items() if SEVERITY[f] >= SEVERITY[result])
    assert heavier_or_equal * 2 > total
