"""Figures of inspection, supervision, criticism and commitments (registered at start-up).

Conventions (so that a report can say exactly what it counts):
- A case counts in the period when its decision (``decided_on``) falls in it, its conducting
  body lies in the queried unit's subtree (tree read on the period's last day), and it was not
  cancelled.
- "Inspections" (``oversight.inspections``) = party inspections of the four kinds counted in
  reports (kiểm tra khi có dấu hiệu vi phạm; việc thực hiện nhiệm vụ KTGS và thi hành kỷ luật;
  tài chính; chấp hành) **plus** state inspections (thanh tra) recorded under the unit. This is
  the figure a report uses for the article's "38 cuộc thanh tra", whose wording mixes both;
  ``oversight.party_inspections`` and ``oversight.state_inspections`` give the two parts.
- Collectives and individuals under thematic supervision (or criticised) are counted once each,
  however many times they were supervised: the records are one subject row per collective or
  person (the earliest in the period), so the drill-down names each one with its case.
- Commitment items: of commitments signed in the period, their state on the period's last day
  (or today, if earlier): open, overdue (open past the deadline), closed.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Min, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from giamsat.accounts.roles import Cap
from giamsat.core.dates import today
from giamsat.indicators.registry import Column, Family, Indicator, IndicatorQuery, register
from giamsat.oversight.models import (
    INSPECTION_KINDS,
    PARTY_INSPECTION_KINDS,
    Case,
    CaseKind,
    CaseStatus,
    CaseSubject,
    Commitment,
    CommitmentItem,
    Criticism,
    SupervisionActivity,
)
from giamsat.units.models import CELL_KINDS, OrganKind, UnitKind

DOMAIN = "oversight"


def _date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def counted_cases(query: IndicatorQuery) -> QuerySet[Case]:
    """Cases decided in the period under the unit, not cancelled."""
    return (
        Case.objects.filter(query.in_subtree("conducting_unit"), query.in_period("decided_on"))
        .exclude(status=CaseStatus.CANCELLED)
        .select_related("conducting_unit")
        .order_by("decided_on", "pk")
    )


# The figures counting decided cases: one query for all of them on a dashboard.
CASES = Family("oversight.cases", counted_cases)


def _counted(within) -> dict:
    """The Indicator arguments of a figure counting the decided cases ``within`` selects."""
    return {"records": CASES.records(within), "family": CASES, "within": within}


CASE_COLUMNS = (
    Column(_("Decided on"), lambda c: _date(c.decided_on)),
    Column(_("Case"), lambda c: c.title),
    Column(_("Kind"), lambda c: c.get_kind_display()),
    Column(_("Conducting body"), lambda c: c.state_body or str(c.conducting_unit)),
    Column(_("Status"), lambda c: c.get_status_display()),
)


def _first_subject_per(query: IndicatorQuery, kind: str, field: str) -> QuerySet[CaseSubject]:
    subjects = CaseSubject.objects.filter(
        case__in=counted_cases(query).filter(kind=kind), **{f"{field}__isnull": False}
    )
    firsts = subjects.order_by().values(field).annotate(first=Min("pk")).values("first")
    return (
        CaseSubject.objects.filter(pk__in=firsts)
        .select_related("case", "case__conducting_unit", "unit", "person")
        .order_by("case__decided_on", "pk")
    )


SUBJECT_COLUMNS = (
    Column(_("Subject"), lambda s: str(s.unit or s.person)),
    Column(_("Post at the time"), lambda s: s.position),
    Column(_("Case"), lambda s: s.case.title),
    Column(_("Conducting body"), lambda s: str(s.case.conducting_unit)),
    Column(_("Decided on"), lambda s: _date(s.case.decided_on)),
)


register(
    Indicator(
        code="oversight.thematic_supervision.collectives",
        label=_("Collectives under thematic supervision"),
        definition=_(
            "Party organisations that were a subject of a thematic supervision decided in the "
            "period by a body in the unit's subtree; each counted once."
        ),
        unit_of_measure=_("collectives"),
        domain=DOMAIN,
        capability=Cap.VIEW_OVERSIGHT,
        records=lambda q: _first_subject_per(q, CaseKind.THEMATIC_SUPERVISION, "unit"),
        unit_path="case__conducting_unit",
        columns=SUBJECT_COLUMNS,
        order=10,
    )
)
register(
    Indicator(
        code="oversight.thematic_supervision.individuals",
        label=_("Individuals under thematic supervision"),
        definition=_(
            "Party members who were a subject of a thematic supervision decided in the period "
            "by a body in the unit's subtree; each counted once."
        ),
        unit_of_measure=_("people"),
        domain=DOMAIN,
        capability=Cap.VIEW_OVERSIGHT,
        records=lambda q: _first_subject_per(q, CaseKind.THEMATIC_SUPERVISION, "person"),
        unit_path="case__conducting_unit",
        columns=SUBJECT_COLUMNS,
        order=11,
    )
)
register(
    Indicator(
        code="oversight.thematic_supervision.cases",
        label=_("Thematic supervisions"),
        definition=_("Thematic supervisions decided in the period (not cancelled)."),
        unit_of_measure=_("supervisions"),
        domain=DOMAIN,
        capability=Cap.VIEW_OVERSIGHT,
        **_counted(lambda q: Q(kind=CaseKind.THEMATIC_SUPERVISION)),
        unit_path="conducting_unit",
        columns=CASE_COLUMNS,
        order=12,
    )
)
register(
    Indicator(
        code="oversight.inspections",
        label=_("Inspections (party and state)"),
        definition=_(
            "Party inspections (on signs of violation; of inspection, supervision and "
            "discipline tasks; financial; compliance) and state inspections decided in the "
            "period under the unit, not cancelled. The report's 'cuộc thanh tra' figure."
        ),
        unit_of_measure=_("inspections"),
        domain=DOMAIN,
        capability=Cap.VIEW_OVERSIGHT,
        **_counted(lambda q: Q(kind__in=INSPECTION_KINDS)),
        unit_path="conducting_unit",
        columns=CASE_COLUMNS,
        order=20,
    )
)
register(
    Indicator(
        code="oversight.party_inspections",
        label=_("Party inspections"),
        definition=_("Party inspections of the four kinds decided in the period, not cancelled."),
        unit_of_measure=_("inspections"),
        domain=DOMAIN,
        capability=Cap.VIEW_OVERSIGHT,
        **_counted(lambda q: Q(kind__in=PARTY_INSPECTION_KINDS)),
        unit_path="conducting_unit",
        columns=CASE_COLUMNS,
        order=21,
    )
)
register(
    Indicator(
        code="oversight.state_inspections",
        label=_("State inspections"),
        definition=_(
            "Inspections by a state body (thanh tra) recorded under the unit, decided in the "
            "period, not cancelled."
        ),
        unit_of_measure=_("inspections"),
        domain=DOMAIN,
        capability=Cap.VIEW_OVERSIGHT,
        **_counted(lambda q: Q(kind=CaseKind.STATE_INSPECTION)),
        unit_path="conducting_unit",
        columns=CASE_COLUMNS,
        order=22,
    )
)


def _kind_indicator(kind: CaseKind, order: int) -> Indicator:
    return Indicator(
        code=f"oversight.inspections.{kind.value}",
        label=kind.label,
        definition=_("Cases of this kind decided in the period under the unit, not cancelled."),
        unit_of_measure=_("inspections"),
        domain=DOMAIN,
        capability=Cap.VIEW_OVERSIGHT,
        **_counted(lambda q: Q(kind=kind)),
        unit_path="conducting_unit",
        columns=CASE_COLUMNS,
        order=order,
    )


for _order, _kind in enumerate(PARTY_INSPECTION_KINDS, start=23):
    register(_kind_indicator(_kind, _order))


# Conducting bodies: the committee itself, its standing committee, its inspection commission, a
# cell. Filters on the conducting unit's kind.
BODY_FILTERS = {
    "committee": (
        _("Inspections by party committees"),
        ~Q(conducting_unit__kind__in=[*CELL_KINDS, UnitKind.ORGAN]),
    ),
    "standing_committee": (
        _("Inspections by standing committees"),
        Q(
            conducting_unit__kind=UnitKind.ORGAN,
            conducting_unit__organ_kind=OrganKind.STANDING_COMMITTEE,
        ),
    ),
    "inspection_commission": (
        _("Inspections by inspection commissions"),
        Q(
            conducting_unit__kind=UnitKind.ORGAN,
            conducting_unit__organ_kind=OrganKind.INSPECTION_COMMISSION,
        ),
    ),
    "cell": (_("Inspections by cells"), Q(conducting_unit__kind__in=CELL_KINDS)),
}


def _body_indicator(key: str, label, condition: Q, order: int) -> Indicator:
    return Indicator(
        code=f"oversight.inspections.by_body.{key}",
        label=label,
        definition=_(
            "Party inspections decided in the period, by the kind of conducting body "
            "(committee, standing committee, inspection commission, cell)."
        ),
        unit_of_measure=_("inspections"),
        domain=DOMAIN,
        capability=Cap.VIEW_OVERSIGHT,
        **_counted(lambda q: condition & Q(kind__in=PARTY_INSPECTION_KINDS)),
        unit_path="conducting_unit",
        columns=CASE_COLUMNS,
        order=order,
    )


for _order, (_key, (_label, _condition)) in enumerate(BODY_FILTERS.items(), start=30):
    register(_body_indicator(_key, _label, _condition, _order))


register(
    Indicator(
        code="oversight.regular_supervision.activities",
        label=_("Acts of regular supervision"),
        definition=_("Dated acts of regular supervision in the period by bodies under the unit."),
        unit_of_measure=_("acts"),
        domain=DOMAIN,
        capability=Cap.VIEW_OVERSIGHT,
        records=lambda q: (
            SupervisionActivity.objects.filter(q.in_subtree("conducting_unit"), q.in_period("date"))
            .select_related("conducting_unit", "subject_unit", "subject_person")
            .order_by("date", "pk")
        ),
        unit_path="conducting_unit",
        columns=(
            Column(_("Date"), lambda a: _date(a.date)),
            Column(_("Conducting body"), lambda a: str(a.conducting_unit)),
            Column(_("Subject"), lambda a: str(a.subject_unit or a.subject_person or "")),
            Column(_("Content"), lambda a: a.content),
        ),
        order=40,
    )
)


def _criticisms(query: IndicatorQuery) -> QuerySet[Criticism]:
    return Criticism.objects.filter(query.in_subtree("by_unit"), query.in_period("date"))


def _first_criticism_per(query: IndicatorQuery, field: str) -> QuerySet[Criticism]:
    firsts = (
        _criticisms(query)
        .filter(**{f"{field}__isnull": False})
        .order_by()
        .values(field)
        .annotate(first=Min("pk"))
        .values("first")
    )
    return (
        Criticism.objects.filter(pk__in=firsts)
        .select_related("by_unit", "subject_unit", "subject_person")
        .order_by("date", "pk")
    )


CRITICISM_COLUMNS = (
    Column(_("Date"), lambda c: _date(c.date)),
    Column(_("Criticising body"), lambda c: str(c.by_unit)),
    Column(_("Collective"), lambda c: str(c.subject_unit or "")),
    Column(_("Head or individual"), lambda c: str(c.subject_person or "")),
    Column(_("Reason"), lambda c: c.reason),
)

register(
    Indicator(
        code="oversight.criticism.collectives",
        label=_("Collectives criticised"),
        definition=_(
            "Party organisations criticised in the period by a body in the unit's subtree; "
            "each counted once."
        ),
        unit_of_measure=_("collectives"),
        domain=DOMAIN,
        capability=Cap.VIEW_OVERSIGHT,
        records=lambda q: _first_criticism_per(q, "subject_unit"),
        unit_path="by_unit",
        columns=CRITICISM_COLUMNS,
        order=50,
    )
)
register(
    Indicator(
        code="oversight.criticism.heads",
        label=_("Heads and individuals criticised"),
        definition=_(
            "People (heads of the collectives or individuals) criticised in the period by a "
            "body in the unit's subtree; each counted once."
        ),
        unit_of_measure=_("people"),
        domain=DOMAIN,
        capability=Cap.VIEW_OVERSIGHT,
        records=lambda q: _first_criticism_per(q, "subject_person"),
        unit_path="by_unit",
        columns=CRITICISM_COLUMNS,
        order=51,
    )
)


def _snapshot_day(query: IndicatorQuery) -> dt.date:
    return min(query.end, today())


def commitment_items(query: IndicatorQuery) -> QuerySet[CommitmentItem]:
    return (
        CommitmentItem.objects.filter(
            query.in_subtree("commitment__supervising_unit"),
            query.in_period("commitment__signed_on"),
        )
        .select_related("commitment", "commitment__subject_unit", "commitment__subject_person")
        .order_by("due_on", "pk")
    )


ITEM_COLUMNS = (
    Column(
        _("Who committed"),
        lambda i: str(i.commitment.subject_unit or i.commitment.subject_person),
    ),
    Column(_("Item"), lambda i: i.text),
    Column(_("Deadline"), lambda i: _date(i.due_on)),
    Column(_("Closed on"), lambda i: _date(i.closed_on)),
)

register(
    Indicator(
        code="oversight.commitments",
        label=_("Remedial commitments"),
        definition=_("Remedial commitments signed in the period, followed up under the unit."),
        unit_of_measure=_("commitments"),
        domain=DOMAIN,
        capability=Cap.VIEW_OVERSIGHT,
        records=lambda q: (
            Commitment.objects.filter(q.in_subtree("supervising_unit"), q.in_period("signed_on"))
            .select_related("subject_unit", "subject_person", "supervising_unit")
            .order_by("signed_on", "pk")
        ),
        unit_path="supervising_unit",
        columns=(
            Column(_("Signed on"), lambda c: _date(c.signed_on)),
            Column(_("Who committed"), lambda c: str(c.subject_unit or c.subject_person)),
            Column(_("Origin"), lambda c: c.get_origin_kind_display()),
            Column(_("Supervising body"), lambda c: str(c.supervising_unit)),
        ),
        order=60,
    )
)
register(
    Indicator(
        code="oversight.commitment_items.open",
        label=_("Commitment items open"),
        definition=_(
            "Items of commitments signed in the period not closed on the period's last day "
            "(or today if earlier)."
        ),
        unit_of_measure=_("items"),
        domain=DOMAIN,
        capability=Cap.VIEW_OVERSIGHT,
        records=lambda q: commitment_items(q).open_on(_snapshot_day(q)),
        unit_path="commitment__supervising_unit",
        columns=ITEM_COLUMNS,
        order=61,
    )
)
register(
    Indicator(
        code="oversight.commitment_items.overdue",
        label=_("Commitment items overdue"),
        definition=_(
            "Open items past their deadline on the period's last day (or today if earlier)."
        ),
        unit_of_measure=_("items"),
        domain=DOMAIN,
        capability=Cap.VIEW_OVERSIGHT,
        records=lambda q: commitment_items(q).overdue_on(_snapshot_day(q)),
        unit_path="commitment__supervising_unit",
        columns=ITEM_COLUMNS,
        order=62,
    )
)
register(
    Indicator(
        code="oversight.commitment_items.closed",
        label=_("Commitment items closed"),
        definition=_(
            "Items closed with evidence and a justification by the period's last day (or today "
            "if earlier)."
        ),
        unit_of_measure=_("items"),
        domain=DOMAIN,
        capability=Cap.VIEW_OVERSIGHT,
        records=lambda q: commitment_items(q).closed_by(_snapshot_day(q)),
        unit_path="commitment__supervising_unit",
        columns=ITEM_COLUMNS,
        order=63,
    )
)
