"""The competent authority comes from a configurable, dated matrix (defaults from QĐ 30 / 22 /
296); values after the 2025 reform are flagged unconfirmed; an administrator's change counts."""

from __future__ import annotations

import datetime as dt

from giamsat.discipline import services as s
from giamsat.discipline.models import AuthorityRule
from giamsat.discipline.rules import BodyKind, Form

D = dt.date


def _case(tree, members):
    return s.open_discipline_case(
        person=members[tree.cell_a1.code][0], opened_on=D(2021, 6, 1), summary="x", acting_user=None
    )


def test_the_row_in_force_on_the_day_is_chosen(tree, members):
    """QĐ 30 before 28/07/2021, QĐ 22 until 29/05/2025, QĐ 296 after (unconfirmed)."""
    case = _case(tree, members)
    sources = {
        day: s.authority_for(case, Form.KHIEN_TRACH, day).rule
        for day in (D(2021, 7, 27), D(2021, 7, 28), D(2025, 6, 1))
    }
    assert (
        sources[D(2021, 7, 27)].source.startswith("QĐ 30") and sources[D(2021, 7, 27)].unconfirmed
    )
    assert (
        sources[D(2021, 7, 28)].source == "QĐ 22-QĐ/TW Điều 11"
        and not sources[D(2021, 7, 28)].unconfirmed
    )
    assert sources[D(2025, 6, 1)].source.startswith("QĐ 296") and sources[D(2025, 6, 1)].unconfirmed


def test_bodies_are_resolved_in_the_tree(tree, members, city_standing):
    """Cell, grassroots committee, upper standing committee (its organ), parent committee."""
    unit = tree.cell_a1
    day = D(2021, 6, 1)
    assert s.resolve_body(BodyKind.CELL, subject_unit=unit, day=day) == unit
    assert s.resolve_body(BodyKind.GRASSROOTS_COMMITTEE, subject_unit=unit, day=day) == tree.ward_a
    assert (
        s.resolve_body(BodyKind.UPPER_STANDING_COMMITTEE, subject_unit=unit, day=day)
        == city_standing
    )
    assert (
        s.resolve_body(BodyKind.UPPER_INSPECTION_COMMISSION, subject_unit=unit, day=day)
        == tree.city_inspection
    )
    assert s.resolve_body(BodyKind.PARENT_COMMITTEE, subject_unit=tree.ward_a, day=day) == tree.city
    assert s.resolve_body(BodyKind.COMPETENT_HIGHER, subject_unit=unit, day=day) is None


def test_an_administrators_correction_is_used(tree, members):
    """Editing the matrix (e.g. a newly read QĐ 296 rule) changes who decides."""
    case = _case(tree, members)
    AuthorityRule.objects.filter(
        form="khien_trach", subject_kind="member", scope="member_general", valid_from=D(2025, 5, 30)
    ).update(
        deciding_body=BodyKind.GRASSROOTS_COMMITTEE,
        unconfirmed=False,
        source="QĐ 296-QĐ/TW Điều 10 (read)",
    )
    authority = s.authority_for(case, Form.KHIEN_TRACH, D(2025, 8, 1))
    assert authority.deciding_unit == tree.ward_a and not authority.unconfirmed


def test_the_matrix_page_flags_unconfirmed_rows(users, client_as):
    """Readers see the matrix with its sources and the unconfirmed flag."""
    response = client_as(users.read_only).get("/discipline/authority/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "QĐ 22-QĐ/TW Điều 11" in body and "QĐ 296-QĐ/TW" in body
