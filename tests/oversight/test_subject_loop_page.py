"""One page per subject shows the loop: inspection → conclusion → commitment → verification →
re-inspection."""

from __future__ import annotations

import datetime as dt

from giamsat.oversight import services as s
from giamsat.oversight.models import CaseKind, CommitmentOrigin, FollowUpAssessment, FollowUpKind
from tests.oversight.conftest import make_case

D = dt.date


def test_the_loop_of_a_unit_in_order(tree, users, client_as):
    """Every step of the loop appears, dated, in order."""
    first = make_case(
        tree.city_inspection,
        kind=CaseKind.COMPLIANCE,
        subjects=[tree.ward_a],
        decided_on=D(2020, 3, 1),
        title="Kiểm tra lần đầu",
    )
    s.conclude_case(
        case=first,
        expected_version=first.version,
        concluded_on=D(2020, 5, 1),
        shortcomings="Chậm cụ thể hóa",
        acting_user=None,
    )
    commitment = s.create_commitment(
        supervising_unit=tree.city_inspection,
        origin_kind=CommitmentOrigin.CONCLUSION,
        origin=first,
        signed_on=D(2020, 5, 15),
        subject_unit=tree.ward_a,
        items=[s.ItemSpec("Cụ thể hóa nghị quyết", D(2020, 8, 1))],
        acting_user=None,
    )
    s.record_follow_up(
        commitment=commitment,
        date=D(2020, 8, 5),
        kind=FollowUpKind.VERIFICATION,
        by_unit=tree.city_inspection,
        assessment=FollowUpAssessment.INSUFFICIENT,
        acting_user=None,
    )
    again = make_case(
        tree.city_inspection,
        kind=CaseKind.COMPLIANCE,
        subjects=[tree.ward_a],
        decided_on=D(2021, 3, 1),
        title="Kiểm tra lại",
        reinspection_of=first,
    )
    s.record_follow_up(
        commitment=commitment,
        date=D(2021, 3, 1),
        kind=FollowUpKind.REINSPECTION,
        by_unit=tree.city_inspection,
        assessment=FollowUpAssessment.ON_TRACK,
        case=again,
        acting_user=None,
    )
    response = client_as(users.authorised).get(f"/oversight/subjects/unit/{tree.ward_a.pk}/")
    body = response.content.decode()
    order = [
        body.index(f'data-testid="loop-{k}"')
        for k in ("case", "conclusion", "commitment", "follow_up")
    ]
    assert order == sorted(order)
    assert body.count('data-testid="loop-case"') == 2 and "Kiểm tra lại" in body
    assert body.count('data-testid="loop-follow_up"') == 2
