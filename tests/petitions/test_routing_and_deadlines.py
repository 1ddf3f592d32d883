"""Routing: transfer to the competent body (the time limit runs from its receipt), transfer to
a state body, acceptance, assignment, extension, suspension, conclusion, answer. Every due
date is checked against a hand-computed explanation, with time frozen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from giamsat.core.deadlines import DayCount, SkipKind
from giamsat.core.models import CalendarAdjustment, ConcurrentEditError, LinkKind
from giamsat.petitions import services
from giamsat.petitions.access import petitions_for
from giamsat.petitions.models import Complexity, Status
from tests.conftest import client_for
from tests.factories import make_user
from tests.petitions.factories import accepted, classified, hotline_petition

D = dt.date


@pytest.fixture
def ward_staff(tree):
    return make_user("inspection", tree.ward_a, username="ubkt_ward_a")


@pytest.fixture
def letter(tree, users, frozen):
    petition, _ = hotline_petition(tree.city, content="Tố cáo đảng viên chi bộ khu phố 1 đánh bạc.")
    return classified(petition, users.authorised)


def test_transfer_to_the_competent_body_restarts_the_clock_on_its_receipt(
    letter, users, ward_staff, tree, frozen
):
    """Received by the city Mon 04/03/2024; slip to ward A the same day; ward A receives it
    Mon 11/03 and accepts it Tue 12/03. QĐ 22 (90 calendar days) from 11/03: 20 days to
    31/03, 30 to 30/04, 31 to 31/05 (81), 9 more → Sun 09/06/2024 → Mon 10/06/2024."""
    services.transfer(
        petition=letter,
        acting_user=users.authorised,
        expected_version=letter.version,
        to_unit=tree.ward_a,
        slip_date=D(2024, 3, 4),
        slip_number="12/PC-UBKT",
        reason="Thuộc thẩm quyền UBKT Đảng ủy phường",
    )
    letter.refresh_from_db()
    assert letter.status == Status.AWAITING_RECEIPT and letter.unit == tree.ward_a
    assert letter.due_on is None
    # The city keeps sight of it (it is above ward A); another organisation never sees it.
    assert petitions_for(users.authorised).filter(pk=letter.pk).exists()
    assert petitions_for(ward_staff).filter(pk=letter.pk).exists()
    assert not petitions_for(users.outsider).filter(pk=letter.pk).exists()
    frozen.shift(dt.timedelta(days=8))
    services.confirm_transfer_receipt(
        petition=letter,
        acting_user=ward_staff,
        expected_version=letter.version,
        received_on=D(2024, 3, 11),
    )
    letter = accepted(letter, ward_staff, D(2024, 3, 12))
    ex = letter.explanation()
    assert letter.due_on == D(2024, 6, 10)
    assert ex.start == D(2024, 3, 4)
    assert ex.clock_start == D(2024, 3, 11)
    assert ex.counting_from == D(2024, 3, 12)
    assert ex.days == 90 and ex.count == DayCount.CALENDAR
    assert ex.moved_from == D(2024, 6, 9)
    assert [s.day for s in ex.skipped] == [D(2024, 6, 9)]
    assert "QĐ 22-QĐ/TW" in ex.source
    text = "\n".join(ex.lines())
    assert "11/03/2024" in text and "10/06/2024" in text


def test_transfer_to_a_state_body_closes_the_letter_here(letter, users, tree):
    services.transfer(
        petition=letter,
        acting_user=users.authorised,
        expected_version=letter.version,
        to_body="Thanh tra thành phố Thanh Hóa",
        slip_date=D(2024, 3, 4),
    )
    letter.refresh_from_db()
    assert letter.status == Status.TRANSFERRED_OUT and letter.closed_on == D(2024, 3, 4)
    assert letter.events.get(kind="transferred").note == "Thanh tra thành phố Thanh Hóa"


def test_state_denunciation_counts_from_acceptance_with_an_extension(tree, users, frozen):
    """Luật Tố cáo 2018 Điều 30: thụ lý Mon 04/03/2024, 30 days → Wed 03/04/2024; a complex
    case extended once by 30 days → 60 days → Fri 03/05/2024."""
    petition, _ = hotline_petition(tree.city)
    petition = classified(petition, users.authorised, matter="state", complexity=Complexity.COMPLEX)
    petition = accepted(petition, users.authorised, D(2024, 3, 4))
    assert petition.deadline_rule == "state_denunciation"
    assert petition.due_on == D(2024, 4, 3)
    services.extend(
        petition=petition,
        acting_user=users.authorised,
        expected_version=petition.version,
        days=30,
        decided_on=D(2024, 3, 4),
        reason="Phải xác minh tại nhiều nơi",
    )
    petition.refresh_from_db()
    assert petition.due_on == D(2024, 5, 3)
    assert petition.explanation().extensions == (30,)
    with pytest.raises(services.PetitionError, match="Quy định không cho phép"):
        services.extend(
            petition=petition,
            acting_user=users.authorised,
            expected_version=petition.version,
            days=30,
            decided_on=D(2024, 3, 4),
            reason="lần hai",
        )
    petition.refresh_from_db()
    assert petition.due_on == D(2024, 5, 3) and petition.extensions.count() == 1


def test_suspension_moves_the_due_date(letter, users):
    """QĐ 22, accepted 04/03/2024: 90 days → Sun 02/06 → Mon 03/06/2024. Suspended 10–19/03
    (10 days) → 02/06 + 10 = Wed 12/06/2024."""
    letter = accepted(letter, users.authorised, D(2024, 3, 4))
    assert letter.due_on == D(2024, 6, 3)
    services.suspend(
        petition=letter,
        acting_user=users.authorised,
        expected_version=letter.version,
        start=D(2024, 3, 10),
        end=D(2024, 3, 19),
        reason="Chờ kết quả giám định",
    )
    letter.refresh_from_db()
    assert letter.due_on == D(2024, 6, 12)
    assert len([s for s in letter.explanation().skipped if s.kind == SkipKind.SUSPENSION]) == 10


def test_a_new_day_off_recomputes_open_deadlines(
    tree, users, frozen, django_capture_on_commit_callbacks
):
    """State denunciation due Wed 03/04/2024; the administrator declares 03/04 a day off
    (compensatory) → the last day moves to Thu 04/04/2024."""
    petition, _ = hotline_petition(tree.city)
    petition = classified(petition, users.authorised, matter="state")
    petition = accepted(petition, users.authorised, D(2024, 3, 4))
    assert petition.due_on == D(2024, 4, 3)
    with django_capture_on_commit_callbacks(execute=True):
        CalendarAdjustment.objects.create(day=D(2024, 4, 3), reason="Nghỉ bù (thông báo muộn)")
    petition.refresh_from_db()
    assert petition.due_on == D(2024, 4, 4)
    assert "Nghỉ bù (thông báo muộn)" in "\n".join(petition.explanation().lines())


def test_conclusion_answer_and_the_case_it_gave_rise_to(letter, users, tree):
    letter = accepted(letter, users.authorised, D(2024, 3, 4), handler=users.authorised)
    assert letter.handler == users.authorised
    services.conclude(
        petition=letter,
        acting_user=users.authorised,
        expected_version=letter.version,
        concluded_on=D(2024, 3, 4),
        outcome="founded",
        conclusion="Tố cáo đúng.",
    )
    letter.refresh_from_db()
    assert letter.deadline_state(D(2024, 3, 4)) == "done"
    case, _ = hotline_petition(tree.city)  # any record with a unit stands for the case
    services.link_case(
        petition=letter, acting_user=users.authorised, target=case, kind=LinkKind.GAVE_RISE_TO
    )
    from giamsat.core.links import links_from

    assert links_from(letter, LinkKind.GAVE_RISE_TO) == [case]


def test_only_handlers_in_scope_can_be_assigned(letter, users):
    letter = accepted(letter, users.authorised, D(2024, 3, 4))
    with pytest.raises(services.PetitionError):
        services.assign_handler(
            petition=letter,
            acting_user=users.authorised,
            expected_version=letter.version,
            handler=users.outsider,
        )


def test_dates_outside_the_possible_range_are_refused(letter, users):
    with pytest.raises(services.PetitionError):
        accepted(letter, users.authorised, D(2024, 3, 5))  # tomorrow
    with pytest.raises(services.PetitionError):
        accepted(letter, users.authorised, D(2024, 3, 1))  # before it was received


def test_a_stale_edit_is_refused_and_nothing_is_written(letter, users):
    stale_version = letter.version
    accepted(letter, users.authorised, D(2024, 3, 4))
    letter.refresh_from_db()
    before = letter.version
    with pytest.raises(ConcurrentEditError):
        services.assign_handler(
            petition=letter,
            acting_user=users.authorised,
            expected_version=stale_version,
            handler=None,
        )
    letter.refresh_from_db()
    assert letter.version == before


def test_the_page_explains_a_conflicting_edit_and_keeps_the_input(letter, users):
    client = client_for(users.authorised)
    stale = letter.version
    accepted(letter, users.authorised, D(2024, 3, 4))
    response = client.post(
        reverse("petitions:conclude", args=[letter.pk]),
        {
            "version": stale,
            "concluded_on": "2024-03-04",
            "outcome": "unfounded",
            "conclusion": "Nội dung kết luận tôi vừa gõ rất dài",
        },
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Người khác đã sửa đơn này" in html
    assert "Nội dung kết luận tôi vừa gõ rất dài" in html
    letter.refresh_from_db()
    assert letter.status == Status.IN_HANDLING and not letter.conclusion


def test_after_a_transfer_upwards_the_sender_sees_but_no_longer_acts(letter, users, tree):
    services.transfer(
        petition=letter,
        acting_user=users.authorised,
        expected_version=letter.version,
        to_unit=tree.province,
        slip_date=D(2024, 3, 4),
        reason="Đối tượng do Ban Thường vụ Tỉnh ủy quản lý",
    )
    letter.refresh_from_db()
    assert petitions_for(users.authorised).filter(pk=letter.pk).exists()
    with pytest.raises(services.PermissionDenied):
        services.withdraw(
            petition=letter,
            acting_user=users.authorised,
            expected_version=letter.version,
            on=D(2024, 3, 4),
            note="",
        )
    page = client_for(users.authorised).get(reverse("petitions:detail", args=[letter.pk]))
    assert page.status_code == 200 and 'id="actions"' not in page.content.decode()
