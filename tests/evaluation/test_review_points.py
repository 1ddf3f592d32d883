"""Review sessions: points raised about each subject and the remedial commitment they lead to,
stored by the oversight app with the evaluation as its origin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from giamsat.evaluation import services
from giamsat.evaluation.models import Evaluation, PointKind
from giamsat.oversight.models import CatalogueItem, Commitment, CommitmentOrigin
from tests.evaluation.factories import campaign_2021, subject

pytestmark = pytest.mark.usefixtures("frozen")
D = dt.date


@pytest.fixture
def session(city):
    campaign = campaign_2021(city.tree.city)
    return services.record_review_session(
        campaign=campaign,
        unit=city.tree.cell_a1,
        held_on=D(2021, 12, 2),
        chaired_by="Bí thư chi bộ",
        present=3,
        expected=3,
        acting_user=city.cell_user,
    )


def test_points_and_the_commitment_they_lead_to(session, city):
    member = subject(session.campaign, city.members[city.tree.cell_a1.code][1])
    item = CatalogueItem.objects.get(catalogue__code="nq04-27", code="A5")
    point = services.record_review_point(
        session=session,
        evaluation=member,
        kind=PointKind.SELF_CRITICISM,
        text="Còn né tránh trong tự phê bình",
        raised_by="Bản thân",
        catalogue_item=item,
        acting_user=city.cell_user,
    )
    commitment = services.commit_from_points(
        evaluation=member,
        points=[point],
        items=[services.ItemSpec("Nhận rõ khuyết điểm trước chi bộ", D(2022, 3, 31))],
        signed_on=D(2021, 12, 10),
        acting_user=city.cell_user,
    )
    assert commitment.origin_kind == CommitmentOrigin.ANNUAL_REVIEW
    assert commitment.origin() == member
    assert commitment.supervising_unit == city.tree.cell_a1
    assert commitment.subject_person == member.person
    point.refresh_from_db()
    assert point.commitment == commitment
    ct = ContentType.objects.get_for_model(Evaluation)
    assert Commitment.objects.filter(origin_type=ct, origin_id=member.pk).count() == 1


def test_a_commitment_needs_items_with_deadlines(session, city):
    member = subject(session.campaign, city.members[city.tree.cell_a1.code][1])
    point = services.record_review_point(
        session=session, evaluation=member, kind="criticism", text="Vắng họp", acting_user=None
    )
    with pytest.raises(services.EvaluationError, match="at least one item"):
        services.commit_from_points(
            evaluation=member, points=[point], items=[], signed_on=D(2021, 12, 10), acting_user=None
        )
    assert not Commitment.objects.exists()


def test_a_point_about_someone_the_session_does_not_review(session, city):
    stranger = subject(session.campaign, city.members[city.tree.cell_b1.code][1])
    with pytest.raises(services.EvaluationError, match="not reviewed by"):
        services.record_review_point(
            session=session, evaluation=stranger, kind="criticism", text="x", acting_user=None
        )


def test_the_ward_committee_reviews_its_secretary(city):
    campaign = campaign_2021(city.tree.city)
    session = services.record_review_session(
        campaign=campaign, unit=city.tree.ward_a, held_on=D(2021, 12, 3), acting_user=None
    )
    head = subject(campaign, city.ward_secretary)
    point = services.record_review_point(
        session=session, evaluation=head, kind="criticism", text="Chậm chỉ đạo", acting_user=None
    )
    assert point.evaluation == head


def test_outsiders_cannot_record_sessions(city):
    campaign = campaign_2021(city.tree.city)
    with pytest.raises(services.NotAllowedError):
        services.record_review_session(
            campaign=campaign,
            unit=city.tree.cell_a1,
            held_on=D(2021, 12, 3),
            acting_user=city.outsider,
        )
