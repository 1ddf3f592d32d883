"""Remedial commitments: items with deadlines, closed only with evidence and a justification,
overdue lists as time passes, follow-up supervision (time frozen)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from giamsat.core.files import attachments_of
from giamsat.indicators.registry import IndicatorQuery, get_indicator
from giamsat.oversight import services as s
from giamsat.oversight.models import (
    CommitmentItem,
    CommitmentItemStatus,
    CommitmentOrigin,
    FollowUpAssessment,
    FollowUpKind,
)
from tests.conftest import client_for

D = dt.date


def _evidence(name="bien-ban.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 demo", content_type="application/pdf")


@pytest.fixture
def criticism(tree, members, standing):
    return s.record_criticism(
        by_unit=standing,
        date=D(2021, 3, 10),
        subject_unit=tree.ward_a,
        subject_person=members[tree.cell_a1.code][0],
        reason="Chưa thực hiện tốt việc học tập nghị quyết.",
        acting_user=None,
    )


@pytest.fixture
def commitment(criticism, standing):
    return s.create_commitment(
        supervising_unit=standing,
        origin_kind=CommitmentOrigin.CRITICISM,
        origin=criticism,
        signed_on=D(2021, 3, 25),
        subject_unit=criticism.subject_unit,
        subject_person=criticism.subject_person,
        items=[
            s.ItemSpec("Học tập bù", D(2021, 5, 31)),
            s.ItemSpec("Ban hành kế hoạch", D(2021, 4, 30)),
            s.ItemSpec("Kiểm điểm trách nhiệm", D(2021, 7, 31)),
        ],
        acting_user=None,
    )


def test_the_origin_is_generic(commitment, criticism):
    """Any record can be the origin (criticism, case, an annual evaluation of another app)."""
    assert commitment.origin() == criticism
    assert commitment.origin_label == str(criticism)


def test_a_deadline_before_signing_is_refused(standing, tree):
    """An item's deadline cannot precede the commitment."""
    with pytest.raises(s.OversightError, match="before the commitment was signed"):
        s.create_commitment(
            supervising_unit=standing,
            origin_kind=CommitmentOrigin.OTHER,
            signed_on=D(2021, 3, 1),
            subject_unit=tree.ward_a,
            items=[s.ItemSpec("x", D(2021, 2, 1))],
            acting_user=None,
        )
    with pytest.raises(s.OversightError, match="at least one item"):
        s.create_commitment(
            supervising_unit=standing,
            origin_kind=CommitmentOrigin.OTHER,
            signed_on=D(2021, 3, 1),
            subject_unit=tree.ward_a,
            items=[],
            acting_user=None,
        )


def test_closing_an_item_needs_evidence_and_a_justification(commitment):
    """No file or no justification: refused; both: closed, the file attached to the item."""
    item = commitment.items.get(text="Học tập bù")
    with pytest.raises(s.OversightError, match="evidence"):
        s.close_commitment_item(
            item=item, closed_on=D(2021, 5, 20), justification="Đã học bù", acting_user=None
        )
    with pytest.raises(s.OversightError, match="justification"):
        s.close_commitment_item(
            item=item,
            closed_on=D(2021, 5, 20),
            justification=" ",
            evidence=_evidence(),
            acting_user=None,
        )
    s.close_commitment_item(
        item=item,
        closed_on=D(2021, 5, 20),
        justification="Đã học bù",
        evidence=_evidence(),
        acting_user=None,
    )
    item.refresh_from_db()
    assert item.status == CommitmentItemStatus.CLOSED
    assert attachments_of(item).get().original_name == "bien-ban.pdf"
    with pytest.raises(s.OversightError, match="not open"):
        s.close_commitment_item(
            item=item, closed_on=D(2021, 5, 21), justification="again", acting_user=None
        )


def test_a_file_that_is_not_what_it_claims_is_refused(commitment):
    """core.files checks the content: a fake PDF is refused and the item stays open."""
    item = commitment.items.first()
    fake = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    with pytest.raises(s.OversightError, match=r"\.pdf"):
        s.close_commitment_item(
            item=item, closed_on=D(2021, 5, 1), justification="ok", evidence=fake, acting_user=None
        )
    item.refresh_from_db()
    assert item.status == CommitmentItemStatus.OPEN


def _figures(unit, end):
    q = IndicatorQuery(unit, D(2021, 1, 1), end)
    return {
        name: get_indicator(f"oversight.commitment_items.{name}").compute(q).value
        for name in ("open", "overdue", "closed")
    }


def test_items_become_overdue_as_time_passes(commitment, tree):
    """Frozen at several days: open, overdue and closed follow the deadlines and closings."""
    city = tree.city
    with time_machine.travel(dt.datetime(2021, 4, 15, 9, tzinfo=dt.UTC), tick=False):
        assert list(CommitmentItem.objects.overdue_on(D(2021, 4, 15))) == []
        assert _figures(city, D(2021, 12, 31)) == {"open": 3, "overdue": 0, "closed": 0}
    with time_machine.travel(dt.datetime(2021, 6, 2, 9, tzinfo=dt.UTC), tick=False):
        overdue = CommitmentItem.objects.overdue_on(D(2021, 6, 2))
        assert sorted(i.text for i in overdue) == ["Ban hành kế hoạch", "Học tập bù"]
        item = commitment.items.get(text="Ban hành kế hoạch")
        assert item.is_overdue()
        s.close_commitment_item(
            item=item,
            closed_on=D(2021, 6, 2),
            justification="Đã ban hành muộn",
            evidence=_evidence(),
            acting_user=None,
        )
        assert _figures(city, D(2021, 12, 31)) == {"open": 2, "overdue": 1, "closed": 1}
    with time_machine.travel(dt.datetime(2021, 8, 1, 9, tzinfo=dt.UTC), tick=False):
        s.withdraw_commitment_item(
            item=commitment.items.get(text="Học tập bù"),
            reason="Không còn áp dụng",
            on=D(2021, 8, 1),
            acting_user=None,
        )
        assert _figures(city, D(2021, 12, 31)) == {"open": 1, "overdue": 1, "closed": 1}
    # A report frozen on an earlier day sees the state of that day.
    with time_machine.travel(dt.datetime(2021, 8, 1, 9, tzinfo=dt.UTC), tick=False):
        assert _figures(city, D(2021, 5, 1)) == {"open": 3, "overdue": 1, "closed": 0}


def test_follow_ups_record_supervision_after_the_review(commitment, standing, tree):
    """Follow-up supervision, verification and re-inspection (which names its case)."""
    s.record_follow_up(
        commitment=commitment,
        date=D(2021, 6, 25),
        kind=FollowUpKind.SUPERVISION,
        by_unit=standing,
        assessment=FollowUpAssessment.ON_TRACK,
        acting_user=None,
    )
    with pytest.raises(s.OversightError, match="refers to its case"):
        s.record_follow_up(
            commitment=commitment,
            date=D(2021, 9, 1),
            kind=FollowUpKind.REINSPECTION,
            by_unit=standing,
            assessment=FollowUpAssessment.CORRECTED,
            acting_user=None,
        )
    with pytest.raises(s.OversightError, match="before the commitment"):
        s.record_follow_up(
            commitment=commitment,
            date=D(2021, 3, 1),
            kind=FollowUpKind.SUPERVISION,
            by_unit=standing,
            assessment=FollowUpAssessment.ON_TRACK,
            acting_user=None,
        )
    assert commitment.follow_ups.count() == 1


def test_the_overdue_list_per_unit(commitment, tree, users, client_as):
    """The overdue list of a unit shows its open items past the deadline on the chosen day."""
    client = client_as(users.authorised)
    response = client.get(
        f"/oversight/commitments/?state=overdue&unit={tree.ward_a.pk}&on=02/06/2021"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        "Học tập bù" in body and "Ban hành kế hoạch" in body and "Kiểm điểm trách nhiệm" not in body
    )
    outsider = client_as(users.outsider)
    assert (
        outsider.get(f"/oversight/commitments/?state=overdue&unit={tree.ward_a.pk}").status_code
        == 404
    )


def test_closing_from_the_page_keeps_input_on_error(commitment, users):
    """Closing without a file shows the reason and keeps the typed justification."""
    client = client_for(users.authorised)
    item = commitment.items.first()
    url = f"/oversight/commitments/{commitment.pk}/items/{item.pk}/close/"
    response = client.post(
        url,
        {
            f"close-{item.pk}-closed_on": "20/05/2021",
            f"close-{item.pk}-justification": "Đã thực hiện xong",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Đã thực hiện xong" in body
    response = client.post(
        url,
        {
            f"close-{item.pk}-closed_on": "20/05/2021",
            f"close-{item.pk}-justification": "Đã thực hiện xong",
            f"close-{item.pk}-evidence": _evidence(),
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == CommitmentItemStatus.CLOSED
    attachment = attachments_of(item).get()
    assert client.get(f"/files/{attachment.pk}/").status_code == 200
    assert client_for(users.outsider).get(f"/files/{attachment.pk}/").status_code == 404
