"""Letters are classified per Thông tư 05/2021/TT-TTCP (complaint, denunciation, proposal or
report, several contents), as party or state matters; a letter that does not meet the
conditions is recorded as not handled with its reasons, and may still be passed on as
information."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.core.links import links_from
from giamsat.core.models import LinkKind
from giamsat.petitions import rules, services
from giamsat.petitions.models import NotHandledReason, PetitionClass, Status
from tests.petitions.factories import IdentityData, accepted, classified, hotline_petition


@pytest.fixture
def letter(tree, frozen):
    return hotline_petition(tree.city)[0]


def test_not_handled_needs_a_reason_and_other_needs_a_note(letter, users):
    with pytest.raises(services.PetitionError, match="lý do"):
        classified(letter, users.authorised, admissible=False)
    with pytest.raises(services.PetitionError):
        classified(letter, users.authorised, admissible=False, reasons=["other"])
    letter.refresh_from_db()
    assert letter.status == Status.RECEIVED and letter.classified_on is None


def test_not_handled_letter_records_its_reasons_and_closes(letter, users):
    reasons = [NotHandledReason.IMPERSONATED, NotHandledReason.REPEATED]
    letter = classified(letter, users.authorised, admissible=False, reasons=reasons)
    assert letter.status == Status.NOT_HANDLED
    assert letter.not_handled_reasons == reasons
    assert letter.reason_labels() == ["mạo tên", "tố cáo lại không có tài liệu, chứng cứ mới"]
    event = letter.events.get(kind="not_handled")
    assert event.public and event.note.startswith("mạo tên")
    assert letter.due_on is None


def test_unhandled_content_can_be_passed_as_information_to_any_record(letter, users, tree):
    letter = classified(letter, users.authorised, admissible=False, reasons=["anonymous"])
    target, _ = hotline_petition(tree.city)  # stands for a supervision record (has a unit)
    services.link_case(
        petition=letter,
        acting_user=users.authorised,
        target=target,
        kind=LinkKind.INFORMATION_FOR,
        note="tham khảo cho giám sát",
    )
    assert links_from(letter, LinkKind.INFORMATION_FOR) == [target]


def test_only_unhandled_letters_are_passed_as_information(letter, users, tree):
    letter = classified(letter, users.authorised)
    target, _ = hotline_petition(tree.city)
    with pytest.raises(services.PetitionError):
        services.link_case(
            petition=letter,
            acting_user=users.authorised,
            target=target,
            kind=LinkKind.INFORMATION_FOR,
        )


def test_links_to_records_outside_scope_are_refused(letter, users, tree):
    letter = classified(letter, users.authorised)
    elsewhere, _ = hotline_petition(tree.other)
    with pytest.raises(services.PetitionError):
        services.link_case(
            petition=letter,
            acting_user=users.authorised,
            target=elsewhere,
            kind=LinkKind.GAVE_RISE_TO,
        )


def test_suggested_reasons_for_denunciations():
    facts = rules.IntakeFacts(
        petition_class="denunciation",
        has_name=False,
        has_address=False,
        signer_count=3,
        content_length=12,
    )
    assert rules.suggested_reasons(facts) == ["anonymous", "several_signers", "not_concrete"]
    named = rules.IntakeFacts("denunciation", True, False, 1, 500, repeats_concluded=True)
    assert rules.suggested_reasons(named) == ["no_address", "repeated"]
    assert rules.suggested_reasons(rules.IntakeFacts("complaint", False, False, 9, 5)) == []


@pytest.mark.parametrize(
    ("cls", "matter", "central", "expected"),
    [
        ("denunciation", "party", False, "party_denunciation.local"),
        ("denunciation", "party", True, "party_denunciation.central"),
        ("complaint", "party", False, "discipline_complaint.local"),
        ("complaint", "state", False, "state_complaint.first"),
        ("denunciation", "state", False, "state_denunciation"),
        ("proposal", "state", False, "petition.proposal"),
        ("denunciation", "undetermined", False, None),
        ("mixed", "party", False, None),
    ],
)
def test_which_time_limit_applies(cls, matter, central, expected):
    assert rules.resolution_rule_code(cls, matter, central=central) == expected


def test_central_bodies_use_the_central_time_limit(tree, frozen):
    from tests.factories import make_user

    central_staff = make_user("inspection", tree.central, username="ubkt_tw")
    petition, _ = hotline_petition(tree.central_inspection)
    petition = classified(petition, central_staff)
    petition = accepted(petition, central_staff, dt.date(2024, 3, 4))
    assert petition.deadline_rule == "party_denunciation.central"


def test_group_petitions_are_flagged_and_representatives_checked(tree, settings, frozen):
    settings.GIAMSAT_GROUP_PETITION_MIN = 5
    group, _ = hotline_petition(tree.city, signer_count=12, representative_count=6)
    single, _ = hotline_petition(tree.city, signer_count=4)
    assert group.is_group and not single.is_group
    assert rules.representative_problem(12, 6) == "more_than_5"
    assert rules.representative_problem(8, 3) == "too_many_for_5_to_10"
    assert rules.representative_problem(8, 0) == "no_representatives"
    assert rules.representative_problem(8, 2) is None
    assert rules.representative_problem(4, 0) is None


def test_a_letter_with_several_contents_is_split(letter, users):
    contents = services.split_contents(
        petition=letter,
        acting_user=users.authorised,
        expected_version=letter.version,
        contents=[
            (PetitionClass.DENUNCIATION, "Tố cáo cán bộ địa chính nhận tiền."),
            (PetitionClass.PROPOSAL, "Kiến nghị sửa đường."),
            (PetitionClass.PROPOSAL, ""),
        ],
    )
    letter.refresh_from_db()
    assert letter.status == Status.SPLIT and letter.petition_class == PetitionClass.MIXED
    assert [c.code for c in contents] == [f"{letter.code}-1", f"{letter.code}-2"]
    assert all(c.parent == letter and c.identity_id == letter.identity_id for c in contents)
    assert all(c.status == Status.RECEIVED for c in contents)
    first = classified(contents[0], users.authorised)
    assert first.petition_class == PetitionClass.DENUNCIATION


def test_anonymous_letters_are_marked(tree, frozen):
    petition, _ = hotline_petition(tree.city, identity=IdentityData())
    assert petition.is_anonymous and petition.identity is None
