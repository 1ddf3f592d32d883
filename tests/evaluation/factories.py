"""Helpers that write the records evaluation reads: discipline decisions and concluded findings
(through the discipline and oversight services), and campaigns walked through their steps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from giamsat.discipline import services as ds
from giamsat.discipline.models import BallotPurpose, DisciplineCase
from giamsat.discipline.rules import Form
from giamsat.evaluation import rules, services
from giamsat.evaluation.models import Campaign, Evaluation
from giamsat.oversight import services as os_
from giamsat.oversight.models import CaseKind, CatalogueItem, Finding, FindingKind
from giamsat.people.models import Person
from giamsat.units.models import Unit

DAY = dt.timedelta(days=1)


def violation_group(topic: str, on: dt.date, *, organisation: bool = False) -> CatalogueItem:
    if organisation:
        code = "qd07-groups" if on <= dt.date(2022, 7, 5) else "qd69-organisation"
    else:
        code = "qd102-groups" if on <= dt.date(2022, 7, 5) else "qd69-member"
    return CatalogueItem.objects.get(catalogue__code=code, topic=topic)


def discipline(
    subject: Person | Unit,
    decided_on: dt.date,
    form: Form = Form.KHIEN_TRACH,
    *,
    body: Unit,
) -> DisciplineCase:
    """A standing disciplinary decision about ``subject`` on ``decided_on`` by ``body``."""
    opened = decided_on - 40 * DAY
    is_unit = isinstance(subject, Unit)
    case = ds.open_discipline_case(
        person=None if is_unit else subject,
        organisation=subject if is_unit else None,
        opened_on=opened,
        summary="Vi phạm đạo đức, lối sống",
        acting_user=None,
    )
    ds.add_violation(
        case=case,
        group=violation_group("ethics_lifestyle", opened - 10 * DAY, organisation=is_unit),
        description="Vi phạm quy định",
        started_on=opened - 100 * DAY,
        ended_on=opened - 10 * DAY,
        acting_user=None,
    )
    ds.record_ballot(
        case=case,
        expected_version=case.version,
        body=body,
        held_on=decided_on - 2 * DAY,
        purpose=BallotPurpose.DECIDE,
        total_members=9,
        present=9,
        votes={form: 9},
        acting_user=None,
    )
    case.refresh_from_db()
    ds.record_decision(
        case=case,
        expected_version=case.version,
        form=form,
        deciding_unit=body,
        decided_on=decided_on,
        symbol="Số 07-QĐ/ĐU",
        acting_user=None,
    )
    case.refresh_from_db()
    return case


def conclude_finding(
    person: Person,
    conducting: Unit,
    concluded_on: dt.date,
    *,
    catalogue: str = "nq04-27",
    code: str = "B6",
) -> Finding:
    """A concluded supervision with a violation coded on the 27 manifestations (or the 19)."""
    case = os_.open_case(
        kind=CaseKind.THEMATIC_SUPERVISION,
        conducting_unit=conducting,
        title="Giám sát chuyên đề",
        decided_on=concluded_on - 60 * DAY,
        subjects=[os_.SubjectSpec(person=person)],
        acting_user=None,
    )
    finding = os_.add_finding(
        case=case,
        kind=FindingKind.VIOLATION,
        text="Vi phạm",
        catalogue_item=CatalogueItem.objects.get(catalogue__code=catalogue, code=code),
        acting_user=None,
    )
    case.refresh_from_db()
    os_.conclude_case(
        case=case,
        expected_version=case.version,
        concluded_on=concluded_on,
        violations="Vi phạm",
        acting_user=None,
    )
    return finding


def campaign_2021(organiser: Unit, **kw) -> Campaign:
    return services.create_campaign(organiser=organiser, year=2021, acting_user=None, **kw)


def subject(campaign: Campaign, obj) -> Evaluation:
    if isinstance(obj, Unit):
        return Evaluation.objects.get(campaign=campaign, unit=obj, person__isnull=True)
    return Evaluation.objects.get(campaign=campaign, person=obj)


def assess(evaluation: Evaluation, total: int | str, *, on: dt.date = dt.date(2021, 12, 1)):
    total_dec = Decimal(str(total))
    general = min(Decimal(30), total_dec / 2)
    evaluation.refresh_from_db()
    return services.record_self_assessment(
        evaluation=evaluation,
        expected_version=evaluation.version,
        score_general=general,
        score_tasks=total_dec - general,
        assessed_on=on,
        acting_user=None,
    )


def walk(
    evaluation: Evaluation,
    total: int | str,
    level: rules.Level | str | None = None,
    *,
    decide: bool = True,
    reason: str = "",
    on: dt.date = dt.date(2021, 12, 10),
) -> Evaluation:
    """Self-assess at ``total``, propose (the suggestion unless ``level``), and decide."""
    assess(evaluation, total)
    evaluation.refresh_from_db()
    services.refresh_caps(
        campaign=evaluation.campaign, evaluations=[evaluation], as_of=on - 3 * DAY
    )
    proposed = level or services.suggested_level(evaluation)
    services.propose(
        evaluation=evaluation,
        expected_version=evaluation.version,
        level=proposed,
        proposed_on=on - 3 * DAY,
        reason=reason,
        acting_user=None,
    )
    if decide:
        evaluation.refresh_from_db()
        services.decide(
            evaluation=evaluation,
            expected_version=evaluation.version,
            level=proposed,
            decided_on=on,
            reason=reason,
            acting_user=None,
        )
    evaluation.refresh_from_db()
    return evaluation
