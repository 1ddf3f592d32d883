"""Writers of people, memberships and posts refuse impossible changes with the reason and
keep history: a transfer ends the old membership on the eve of the new one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from giamsat.people.models import Membership, MembershipKind, MemberStatus, Person, Post
from giamsat.people.services import (
    PeopleError,
    add_post,
    create_person,
    end_membership,
    end_post,
    transfer_membership,
    update_person,
)
from giamsat.units.services import dissolve_unit

D = dt.date


def _en(func, **kwargs):
    with translation.override("en"):
        return func(**kwargs)


def test_create_a_member_in_a_cell(tree):
    """The person is created with name keys and a membership from the joining date."""
    person = create_person(
        data={"full_name": "  Nguyễn   Thị  Hoa ", "joined_on": D(2016, 5, 19), "status": "full"},
        cell=tree.cell_a1,
        acting_user=None,
    )
    assert person.full_name == "Nguyễn Thị Hoa" and person.given_name == "Hoa"
    assert person.membership_on(D(2020, 1, 1)).unit == tree.cell_a1
    assert person.party_card_number is None


@pytest.mark.parametrize(
    ("data", "cell", "message"),
    [
        ({"full_name": " "}, None, "full name is empty"),
        ({"full_name": "A B", "status": "non_member"}, "cell_a1", "Only a party member"),
        ({"full_name": "A B"}, "cell_a1", "Give the date"),
        ({"full_name": "A B", "joined_on": D(2010, 1, 1)}, "ward_a", "not a cell"),
        ({"full_name": "A B", "joined_on": D(2010, 1, 1)}, "cell_a1", "does not exist"),
        (
            {"full_name": "A B", "joined_on": D(2010, 1, 1), "official_on": D(2009, 1, 1)},
            None,
            "full-member date",
        ),
        (
            {"full_name": "A B", "birth_date": D(2000, 1, 1), "joined_on": D(1999, 1, 1)},
            None,
            "birth date",
        ),
    ],
)
def test_create_refusals(tree, data, cell, message):
    """Each refusal says why and writes nothing."""
    before = Person.objects.count()
    with pytest.raises(PeopleError) as info:
        _en(create_person, data=data, cell=getattr(tree, cell) if cell else None, acting_user=None)
    assert message in str(info.value)
    assert Person.objects.count() == before


def test_card_numbers_are_unique(tree, members):
    """A second person with the same card number is refused with the number named."""
    taken = members[tree.cell_a1.code][0].party_card_number
    with pytest.raises(PeopleError, match=taken):
        _en(
            create_person,
            data={"full_name": "Lê Văn Trùng", "party_card_number": taken},
            acting_user=None,
        )
    other = members[tree.cell_a1.code][1]
    with pytest.raises(PeopleError, match="party card number"):
        _en(update_person, person=other, data={"party_card_number": taken}, acting_user=None)


def test_a_transfer_keeps_history(tree, members):
    """Regular transfer: the old membership ends on the eve, the new one starts on the date."""
    person = members[tree.cell_a1.code][0]
    new = transfer_membership(
        person=person, to_unit=tree.cell_b1, date=D(2024, 3, 1), acting_user=None
    )
    history = list(
        person.memberships.order_by("valid_from").values_list("unit", "valid_from", "valid_to")
    )
    assert history == [
        (tree.cell_a1.pk, D(2015, 1, 1), D(2024, 2, 29)),
        (tree.cell_b1.pk, D(2024, 3, 1), None),
    ]
    assert new.kind == MembershipKind.REGULAR


def test_a_temporary_membership_keeps_the_regular_one(tree, members):
    """Sinh hoạt tạm thời: the regular membership continues alongside."""
    person = members[tree.cell_a1.code][0]
    transfer_membership(
        person=person,
        to_unit=tree.cell_o1,
        date=D(2024, 3, 1),
        kind=MembershipKind.TEMPORARY,
        acting_user=None,
    )
    assert person.membership_on(D(2024, 6, 1)).unit == tree.cell_a1
    assert Membership.objects.filter(person=person).valid_on(D(2024, 6, 1)).count() == 2


@pytest.mark.parametrize(
    ("target", "date", "message"),
    [
        ("cell_a1", D(2024, 1, 1), "already a member"),
        ("ward_b", D(2024, 1, 1), "not a cell"),
        ("cell_b1", D(2010, 1, 1), "does not exist"),
    ],
)
def test_transfer_refusals(tree, members, target, date, message):
    """Same cell, not a cell, or a cell that did not exist then."""
    person = members[tree.cell_a1.code][0]
    with pytest.raises(PeopleError, match=message):
        _en(
            transfer_membership,
            person=person,
            to_unit=getattr(tree, target),
            date=date,
            acting_user=None,
        )


def test_transfers_are_recorded_in_order_and_only_for_members(tree, members):
    """A transfer before a recorded one, or of a non-member, is refused."""
    person = members[tree.cell_a1.code][0]
    transfer_membership(person=person, to_unit=tree.cell_b1, date=D(2024, 3, 1), acting_user=None)
    with pytest.raises(PeopleError, match="already has a transfer"):
        _en(
            transfer_membership,
            person=person,
            to_unit=tree.cell_a2,
            date=D(2023, 1, 1),
            acting_user=None,
        )
    outsider = Person.objects.create(full_name="Quần Chúng", status=MemberStatus.NON_MEMBER)
    with pytest.raises(PeopleError, match="not a party member"):
        _en(
            transfer_membership,
            person=outsider,
            to_unit=tree.cell_a2,
            date=D(2024, 1, 1),
            acting_user=None,
        )


def test_a_transfer_lets_the_cell_be_dissolved(tree, members):
    """Once both members have moved, the cell can end."""
    for person in members[tree.cell_a2.code]:
        transfer_membership(
            person=person, to_unit=tree.cell_a1, date=D(2025, 7, 1), acting_user=None
        )
    dissolve_unit(unit=tree.cell_a2, date=D(2025, 7, 1))
    tree.cell_a2.refresh_from_db()
    assert tree.cell_a2.valid_to == D(2025, 6, 30)


def test_one_head_per_unit_at_a_time(tree, members):
    """A second head overlapping the first is refused; after ending the first post it works."""
    first, second = members[tree.cell_a1.code]
    post = add_post(
        person=first,
        unit=tree.cell_a1,
        title="Bí thư chi bộ",
        is_head=True,
        date=D(2020, 1, 1),
        acting_user=None,
    )
    with pytest.raises(PeopleError, match="already heads"):
        _en(
            add_post,
            person=second,
            unit=tree.cell_a1,
            title="Bí thư chi bộ",
            is_head=True,
            date=D(2024, 1, 1),
            acting_user=None,
        )
    end_post(post=post, last_day=D(2023, 12, 31), reason="chuyển công tác", acting_user=None)
    add_post(
        person=second,
        unit=tree.cell_a1,
        title="Bí thư chi bộ",
        is_head=True,
        date=D(2024, 1, 1),
        acting_user=None,
    )
    assert (
        Post.objects.filter(unit=tree.cell_a1, is_head=True).valid_on(D(2024, 6, 1)).get().person
        == second
    )
    post.refresh_from_db()
    assert post.ended_by == "chuyển công tác"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"title": " "}, "title of the post is empty"),
        ({"date": D(2010, 1, 1)}, "does not exist"),
        ({"until": D(2019, 1, 1)}, "ends before it begins"),
    ],
)
def test_post_refusals(tree, members, kwargs, message):
    args = {
        "person": members[tree.cell_a1.code][0],
        "unit": tree.cell_a1,
        "title": "Phó Bí thư",
        "date": D(2020, 1, 1),
        "acting_user": None,
    }
    with pytest.raises(PeopleError, match=message):
        _en(add_post, **{**args, **kwargs})


def test_ending_twice_or_too_early_is_refused(tree, members):
    """A post or membership cannot end before it began or after it already ended."""
    person = members[tree.cell_a1.code][0]
    post = add_post(
        person=person, unit=tree.cell_a1, title="Ủy viên", date=D(2020, 1, 1), acting_user=None
    )
    with pytest.raises(PeopleError, match="before the post began"):
        _en(end_post, post=post, last_day=D(2019, 1, 1), acting_user=None)
    end_post(post=post, last_day=D(2021, 1, 1), acting_user=None)
    with pytest.raises(PeopleError, match="already ended"):
        _en(end_post, post=post, last_day=D(2022, 1, 1), acting_user=None)
    membership = person.membership_on(D(2020, 1, 1))
    with pytest.raises(PeopleError, match="before the membership began"):
        _en(end_membership, membership=membership, last_day=D(2014, 1, 1), acting_user=None)
    end_membership(membership=membership, last_day=D(2024, 1, 1), acting_user=None, note="từ trần")
    assert person.membership_on(D(2024, 6, 1)) is None
