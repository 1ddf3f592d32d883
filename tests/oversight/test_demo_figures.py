"""The demo gives exactly the article's figures for unit TP, 01/01/2019–30/09/2022, through
the indicator registry, and each drill-down lists exactly the records counted."""

from __future__ import annotations

import pytest
from django.db import transaction

from giamsat.core.demo import REPORT_END, REPORT_START, DemoContext
from giamsat.indicators.registry import IndicatorQuery, get_indicator
from giamsat.oversight.models import INSPECTION_KINDS, CaseKind, CaseStatus
from giamsat.units.models import Unit

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo of the apps this issue builds on, loaded once for the module and rolled back."""
    from importlib import import_module

    with django_db_blocker.unblock(), transaction.atomic():
        ctx = DemoContext(verbose=False)
        for app in ("units", "people", "directives", "accounts", "oversight", "discipline"):
            import_module(f"giamsat.{app}.demo").load(ctx)
        yield ctx
        transaction.set_rollback(True)


@pytest.fixture
def query(demo, db):
    return IndicatorQuery(Unit.objects.get(code="TP"), REPORT_START, REPORT_END)


def _records(code, query):
    indicator = get_indicator(code)
    records = list(indicator.records(query))
    assert indicator.compute(query).value == len(records) == len({r.pk for r in records}), code
    return records


ARTICLE = {
    "oversight.thematic_supervision.collectives": 6,
    "oversight.thematic_supervision.individuals": 12,
    "oversight.inspections": 38,
    "oversight.criticism.collectives": 4,
    "oversight.criticism.heads": 4,
    "discipline.organisations.khien_trach": 1,
    "discipline.organisations": 1,
    "discipline.members.group.ethics_lifestyle": 29,
}


@pytest.mark.parametrize(("code", "expected"), ARTICLE.items())
def test_the_article_figures(query, code, expected):
    """'giám sát chuyên đề với 6 tập thể và 12 cá nhân; 38 cuộc thanh tra; phê bình 4 Đảng ủy
    cơ sở và người đứng đầu; kỷ luật 1 tổ chức đảng (khiển trách); 29 đảng viên do vi phạm đạo
    đức, lối sống'."""
    assert get_indicator(code).compute(query).value == expected


def test_supervision_drilldowns_name_six_collectives_and_twelve_people(query):
    """Distinct wards and people, each from a thematic supervision under TP in the period."""
    collectives = _records("oversight.thematic_supervision.collectives", query)
    people = _records("oversight.thematic_supervision.individuals", query)
    assert len({r.unit_id for r in collectives}) == 6
    assert len({r.person_id for r in people}) == 12
    for record in collectives + people:
        case = record.case
        assert case.kind == CaseKind.THEMATIC_SUPERVISION and case.status != CaseStatus.CANCELLED
        assert REPORT_START <= case.decided_on <= REPORT_END
        assert record.person is None or record.person.is_fictional


def test_the_38_inspections_are_party_and_state_inspections_in_the_period(query):
    """29 party inspections + 9 state inspections; nothing from 2018, after 30/09/2022, Sầm
    Sơn, supervision or cancelled."""
    cases = _records("oversight.inspections", query)
    tp = Unit.objects.get(code="TP")
    in_tp = set(Unit.objects.subtree_of(tp, REPORT_END).values_list("pk", flat=True))
    assert all(c.kind in INSPECTION_KINDS and c.status != CaseStatus.CANCELLED for c in cases)
    assert all(
        REPORT_START <= c.decided_on <= REPORT_END and c.conducting_unit_id in in_tp for c in cases
    )
    assert sum(c.kind == CaseKind.STATE_INSPECTION for c in cases) == 9
    assert get_indicator("oversight.party_inspections").compute(query).value == 29
    assert get_indicator("oversight.state_inspections").compute(query).value == 9


def test_four_grassroots_committees_and_their_heads_criticised_by_the_standing_committee(query):
    """Each criticism: by the city standing committee, of a grassroots committee and its head."""
    records = _records("oversight.criticism.collectives", query)
    assert {r.by_unit.organ_kind for r in records} == {"standing_committee"}
    assert all(r.subject_unit.kind == "grassroots_org" and r.subject_person for r in records)
    heads = _records("oversight.criticism.heads", query)
    assert {r.subject_person_id for r in heads} == {r.subject_person_id for r in records}


def test_commitments_and_follow_up(query):
    """The criticised wrote commitments, followed up; one item is still overdue on 30/09/2022."""
    commitments = _records("oversight.commitments", query)
    criticised = {c.subject_unit_id for c in commitments if c.origin_kind == "criticism"}
    assert len(criticised) == 4
    assert all(c.follow_ups.exists() for c in commitments if c.origin_kind == "criticism")
    assert len(_records("oversight.commitment_items.overdue", query)) == 1
    # The whole loop for one ward: supervision → conclusion → commitment → verification →
    # re-supervision of the same ward.
    from giamsat.oversight.models import FollowUp

    again = FollowUp.objects.get(kind="reinspection")
    ward = again.commitment.subject_unit
    assert again.case.subjects.filter(unit=ward).exists()
    assert again.commitment.origin().subjects.filter(unit=ward).exists()
    assert again.commitment.follow_ups.filter(kind="verification").exists()
    assert len(_records("oversight.commitment_items.closed", query)) >= 10


def test_the_disciplined_organisation_and_29_members(query):
    """One organisation (khiển trách, in force); 29 members with an ethics and lifestyle
    violation, decisions standing, fictional people only; annulled, deferred, time-barred,
    later and Sầm Sơn cases left out."""
    organisations = _records("discipline.organisations", query)
    assert [o.current_form for o in organisations] == ["khien_trach"]
    members = _records("discipline.members.group.ethics_lifestyle", query)
    assert len({m.person_id for m in members}) == 29
    for case in members:
        assert case.status == "decided" and REPORT_START <= case.decided_on <= REPORT_END
        assert case.violations.filter(group__topic="ethics_lifestyle").exists()
        assert case.person.is_fictional
    forms = sorted(c.current_form for c in members)
    assert forms.count("khien_trach") == 18 and forms.count("canh_cao") == 8
    assert forms.count("cach_chuc") == 2 and forms.count("khai_tru") == 1
    assert get_indicator("discipline.members").compute(query).value == 32  # 3 for duties
