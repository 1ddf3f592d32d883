"""Posts: created, updated or left unchanged; a person must exist and be in the importer's
organisations; overlapping periods of the same post are rejected."""

from __future__ import annotations

import datetime as dt

from giamsat.imports.models import RowAction
from giamsat.imports.services import apply_batch
from giamsat.people.models import Post, PostKind
from tests.factories import make_member
from tests.imports.conftest import counts, row_of


def post_row(
    person, unit, post="Bí thư", start="01/10/2020", end=None, head="Có", title=None, **other
):
    row = {
        "party_card_number": person.party_card_number if person else None,
        "unit_code": unit.code,
        "post": post,
        "title": title,
        "is_head": head,
        "valid_from": start,
        "valid_to": end,
    }
    row.update(other)
    return row


def test_posts_are_created_then_updated_then_unchanged(tree, stage, clerk):
    lan = make_member(tree.cell_a1, full_name="Nguyễn Thị Lan")
    an = make_member(tree.cell_a1, full_name="Lê Văn An")
    first = [
        post_row(lan, tree.cell_a1),
        post_row(an, tree.cell_a1, post="Phó Bí thư", head="Không"),
    ]
    batch = stage("posts", first)
    assert counts(batch) == (2, 0, 0, 0)
    apply_batch(batch=batch, acting_user=clerk)
    secretary = Post.objects.get(person=lan)
    assert (secretary.kind, secretary.title, secretary.is_head) == (
        PostKind.SECRETARY,
        "Bí thư",
        True,
    )

    ended = [post_row(lan, tree.cell_a1, end="30/09/2025", title="Bí thư chi bộ"), first[1]]
    batch = stage("posts", ended)
    assert counts(batch) == (0, 1, 1, 0)
    assert sorted(row_of(batch, 2).changes) == [
        ["title", "Bí thư", "Bí thư chi bộ"],
        ["valid_to", "", "30/09/2025"],
    ]
    apply_batch(batch=batch, acting_user=clerk)
    secretary.refresh_from_db()
    assert secretary.valid_to == dt.date(2025, 9, 30)


def test_post_rules(tree, stage, english):
    lan = make_member(tree.cell_a1, full_name="Nguyễn Thị Lan", birth_date=dt.date(1985, 3, 12))
    outsider = make_member(tree.cell_o1, full_name="Người Ngoài")
    Post.objects.create(
        person=lan,
        unit=tree.cell_a1,
        kind=PostKind.SECRETARY,
        title="Bí thư",
        valid_from=dt.date(2015, 1, 1),
    )
    data = [
        post_row(lan, tree.cell_a1, start="01/01/2020"),  # overlaps the open post of 2015
        post_row(None, tree.cell_a1, full_name="Không Có Ai", birth_date="01/01/1970"),
        post_row(outsider, tree.cell_a1),
        post_row(lan, tree.cell_o1),
        post_row(lan, tree.cell_a1, post="Khác", start="01/01/2024"),
        post_row(None, tree.cell_a1),
        post_row(lan, tree.cell_a2, start="01/01/2010"),
        post_row(lan, tree.cell_a2, start="01/01/2021", end="01/01/2020"),
        post_row(
            None,
            tree.cell_a2,
            post="Cấp ủy viên",
            full_name="Nguyen Thi Lan",
            birth_date="12/03/1985",
            start="01/01/2021",
        ),
    ]
    batch = stage("posts", data)
    expected = {
        2: "valid_from",
        3: "full_name",
        4: "full_name",
        5: "unit_code",
        6: "title",
        7: "party_card_number",
        8: "valid_from",
        9: "valid_to",
    }
    for number, column in expected.items():
        row = row_of(batch, number)
        assert row.action == RowAction.REJECT, (number, row.errors)
        assert column in dict(row.errors), (number, row.errors)
    # Found by name and birth date without diacritics.
    assert row_of(batch, 10).action == RowAction.CREATE


def test_a_second_head_in_the_same_period_is_flagged(tree, stage, clerk, english):
    lan = make_member(tree.cell_a1, full_name="Nguyễn Thị Lan")
    an = make_member(tree.cell_a1, full_name="Lê Văn An")
    Post.objects.create(
        person=an,
        unit=tree.cell_a1,
        kind=PostKind.SECRETARY,
        title="Bí thư",
        is_head=True,
        valid_from=dt.date(2015, 1, 1),
    )
    batch = stage("posts", [post_row(lan, tree.cell_a1, post="Phó Bí thư")])
    row = row_of(batch, 2)
    assert row.action == RowAction.CREATE
    assert "another head" in dict(row.warnings)["is_head"]
