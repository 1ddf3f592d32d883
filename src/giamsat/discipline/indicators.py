"""Figures of party discipline (registered at start-up).

A case counts as "disciplined" in the period when its first decision (``decided_on``) falls in
it, the subject's unit lies in the queried unit's subtree (tree on the period's last day) and
the decision stands (not annulled on complaint). The form counted is the one in force (a
complaint may have changed it). "By violation group" uses the cross-generation topic of the
violation-group catalogue item (QĐ 102 and QĐ 69 groups share topics), so a member disciplined
under QĐ 102 and one under QĐ 69 for ethics and lifestyle are counted together; a case with
violations in two groups counts in both groups (once in the totals).

``discipline.members`` also accepts the query parameters ``topic`` and ``form`` (the cross
table "members disciplined by violation group and form").
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from giamsat.accounts.roles import Cap
from giamsat.discipline.models import (
    AppealOutcome,
    DisciplineAppeal,
    DisciplineCase,
    FormChoice,
)
from giamsat.discipline.rules import Form, SubjectKind, allowed_forms
from giamsat.indicators.registry import Column, Family, Indicator, IndicatorQuery, register

DOMAIN = "discipline"

# Topics of the violation-group catalogues (oversight/data/catalogue_items.csv).
VIOLATION_TOPICS = (
    ("political", _("political views and internal politics")),
    ("organisation_principles", _("organisational principles")),
    ("elections", _("elections")),
    ("propaganda", _("propaganda and public statements")),
    ("personnel", _("organisation and personnel work")),
    ("position_running", _("running for posts and power")),
    ("duties", _("duties and public service")),
    ("leadership", _("leadership and management")),
    ("secrets", _("protection of secrets")),
    ("foreign_relations", _("relations with foreigners")),
    ("diplomas", _("diplomas and certificates")),
    ("crime_prevention", _("crime prevention")),
    ("inspection_audit", _("inspection, supervision, audit")),
    ("corruption_waste", _("corruption and waste")),
    ("finance_banking", _("finance, credit and banking")),
    ("land_resources", _("land and resources")),
    ("ethics_lifestyle", _("ethics and lifestyle")),
    ("population", _("population policy")),
    ("marriage_family", _("marriage and family")),
)


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def disciplined(query: IndicatorQuery) -> QuerySet[DisciplineCase]:
    return (
        DisciplineCase.objects.disciplined()
        .filter(query.in_subtree("unit"), query.in_period("decided_on"))
        .select_related("person", "organisation", "unit", "deciding_unit")
        .order_by("decided_on", "pk")
    )


# The figures counting disciplined subjects: one query for all of them on a dashboard.
DISCIPLINED = Family("discipline.disciplined", disciplined)


def _form_param(query: IndicatorQuery) -> Q:
    form = query.param("form")
    return Q(current_form=form) if form else Q()


def _in_group(topic: str) -> Q:
    """At least one violation in this group (QĐ 102 and QĐ 69 groups)."""
    return Q(pk__in=DisciplineCase.objects.filter(violations__group__topic=topic).values("pk"))


def _organisations(query: IndicatorQuery) -> Q:
    return Q(subject_kind=SubjectKind.ORGANISATION) & _form_param(query)


def _members(query: IndicatorQuery) -> Q:
    within = ~Q(subject_kind=SubjectKind.ORGANISATION) & _form_param(query)
    topic = query.param("topic")
    return within & _in_group(topic) if topic else within


def _counted(within) -> dict:
    """The Indicator arguments of a figure counting the disciplined subjects ``within``
    selects."""
    return {"records": DISCIPLINED.records(within), "family": DISCIPLINED, "within": within}


COLUMNS = (
    Column(_("Subject"), lambda c: str(c.subject)),
    Column(_("Unit"), lambda c: str(c.unit)),
    Column(_("Form"), lambda c: c.get_current_form_display()),
    Column(_("Decided on"), lambda c: _date(c.decided_on)),
    Column(_("Deciding body"), lambda c: str(c.deciding_unit or "")),
)

register(
    Indicator(
        code="discipline.organisations",
        label=_("Party organisations disciplined"),
        definition=_(
            "Party organisations under the unit whose disciplinary decision was made in the "
            "period and stands. Parameter form: one form only."
        ),
        unit_of_measure=_("organisations"),
        domain=DOMAIN,
        capability=Cap.VIEW_DISCIPLINE,
        **_counted(_organisations),
        columns=COLUMNS,
        order=10,
    )
)


def _organisation_form(form: Form, order: int) -> Indicator:
    return Indicator(
        code=f"discipline.organisations.{form.value}",
        label=FormChoice(form.value).label,
        definition=_("Party organisations disciplined in the period with this form (in force)."),
        unit_of_measure=_("organisations"),
        domain=DOMAIN,
        capability=Cap.VIEW_DISCIPLINE,
        **_counted(lambda q: Q(subject_kind=SubjectKind.ORGANISATION, current_form=form.value)),
        columns=COLUMNS,
        order=order,
    )


for _order, _form in enumerate(allowed_forms(SubjectKind.ORGANISATION), start=11):
    register(_organisation_form(_form, _order))

register(
    Indicator(
        code="discipline.members",
        label=_("Party members disciplined"),
        definition=_(
            "Members (full and probationary) under the unit whose disciplinary decision was "
            "made in the period and stands. Parameters: topic (violation group), form."
        ),
        unit_of_measure=_("members"),
        domain=DOMAIN,
        capability=Cap.VIEW_DISCIPLINE,
        **_counted(_members),
        columns=COLUMNS,
        order=20,
    )
)


def _member_form(form: Form, order: int) -> Indicator:
    return Indicator(
        code=f"discipline.members.{form.value}",
        label=FormChoice(form.value).label,
        definition=_("Members disciplined in the period with this form (in force)."),
        unit_of_measure=_("members"),
        domain=DOMAIN,
        capability=Cap.VIEW_DISCIPLINE,
        **_counted(lambda q: _members(q) & Q(current_form=form.value)),
        columns=COLUMNS,
        order=order,
    )


for _order, _form in enumerate(allowed_forms(SubjectKind.MEMBER, has_post=True), start=21):
    register(_member_form(_form, _order))


def _member_topic(topic: str, label, order: int) -> Indicator:
    return Indicator(
        code=f"discipline.members.group.{topic}",
        label=label,
        definition=_(
            "Members disciplined in the period with at least one violation in this group "
            "(across QĐ 102 and QĐ 69). Parameter form: one form only."
        ),
        unit_of_measure=_("members"),
        domain=DOMAIN,
        capability=Cap.VIEW_DISCIPLINE,
        **_counted(lambda q: _members(q) & _in_group(topic)),
        columns=COLUMNS,
        order=order,
    )


for _order, (_topic, _label) in enumerate(VIOLATION_TOPICS, start=30):
    register(_member_topic(_topic, _label, _order))

register(
    Indicator(
        code="discipline.appeals",
        label=_("Complaints against disciplinary decisions"),
        definition=_(
            "Complaints filed in the period against decisions on subjects under the unit."
        ),
        unit_of_measure=_("complaints"),
        domain=DOMAIN,
        capability=Cap.VIEW_DISCIPLINE,
        records=lambda q: (
            DisciplineAppeal.objects.filter(
                q.in_subtree("decision__case__unit"), q.in_period("filed_on")
            )
            .select_related("decision", "decision__case", "resolving_unit")
            .order_by("filed_on", "pk")
        ),
        unit_path="decision__case__unit",
        columns=(
            Column(_("Filed on"), lambda a: _date(a.filed_on)),
            Column(_("Decision"), lambda a: str(a.decision)),
            Column(_("Resolving body"), lambda a: str(a.resolving_unit)),
            Column(_("To be resolved by"), lambda a: _date(a.resolution_due)),
            Column(_("Outcome"), lambda a: a.get_outcome_display()),
        ),
        order=60,
    )
)
register(
    Indicator(
        code="discipline.appeals.pending",
        label=_("Complaints being resolved"),
        definition=_("Complaints filed in the period and not yet answered."),
        unit_of_measure=_("complaints"),
        domain=DOMAIN,
        capability=Cap.VIEW_DISCIPLINE,
        records=lambda q: DisciplineAppeal.objects.filter(
            q.in_subtree("decision__case__unit"),
            q.in_period("filed_on"),
            outcome=AppealOutcome.PENDING,
        ).order_by("filed_on", "pk"),
        unit_path="decision__case__unit",
        order=61,
    )
)
