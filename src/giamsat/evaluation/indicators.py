"""Figures of the annual review (registered at start-up).

A rating counts in a period when its campaign is an annual review whose year ends in the period
(the review of 2021 counts in any period containing 31/12/2021), it is decided, and the subject's
unit (the collective, or the member's cell) lies in the queried unit's subtree on the period's
last day. Quarterly and term reviews are not counted (they would count a member twice a year).

- ``evaluation.members.<level>`` / ``evaluation.collectives.<level>``: ratings at a level; the
  ``.share`` figures are their rate among all ratings (numerator and denominator shown).
- ``evaluation.contradictions``: decided ratings above what the records allow **now** (e.g.
  rated "tốt" but disciplined in the year, the discipline perhaps decided after the rating),
  read through the same rules as the caps; ``.unexplained``: those without a recorded reason.
- ``evaluation.quota_breaches``: grassroots organisations whose decided "xuất sắc" members
  exceed the quota in a review of the period.
- ``evaluation.undecided``: subjects of reviews of the period without a decision yet.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from giamsat.accounts.roles import Cap
from giamsat.evaluation import facts, rules
from giamsat.evaluation.models import Evaluation, EvaluationStatus
from giamsat.evaluation.rules import Level, SubjectKind
from giamsat.indicators.registry import Column, Family, Indicator, IndicatorQuery, register
from giamsat.units.models import Unit

DOMAIN = "evaluation"


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def in_period(query: IndicatorQuery) -> QuerySet[Evaluation]:
    """Subjects of annual reviews ending in the period, under the queried unit."""
    return Evaluation.objects.annual().filter(
        query.in_subtree("unit"), query.in_period("campaign__period_end")
    )


def rated(query: IndicatorQuery, kind: SubjectKind) -> QuerySet[Evaluation]:
    return (
        in_period(query)
        .decided()
        .filter(subject_kind=kind)
        .select_related("person", "unit", "campaign")
        .order_by("campaign__period_end", "unit__name_sort", "person__name_sort", "pk")
    )


def contradictions(query: IndicatorQuery) -> QuerySet[Evaluation]:
    ids = facts.contradiction_ids(in_period(query))
    return (
        Evaluation.objects.filter(pk__in=list(ids))
        .select_related("person", "unit", "campaign")
        .order_by("campaign__period_end", "unit__name_sort", "person__name_sort", "pk")
    )


def quota_breaches(query: IndicatorQuery) -> QuerySet[Unit]:
    subjects = in_period(query).filter(subject_kind=SubjectKind.INDIVIDUAL)
    groups = {
        group_id
        for (_campaign, group_id), row in facts.quota_breach_groups(subjects).items()
        if row.subject_kind == SubjectKind.INDIVIDUAL
    }
    counted = Q(
        quota_evaluations__status=EvaluationStatus.DECIDED,
        quota_evaluations__subject_kind=SubjectKind.INDIVIDUAL,
        quota_evaluations__campaign__period_kind=rules.PeriodKind.ANNUAL,
        quota_evaluations__campaign__period_end__gte=query.start,
        quota_evaluations__campaign__period_end__lte=query.end,
    )
    return (
        Unit.objects.filter(pk__in=groups)
        .filter(query.in_subtree("pk"))
        .annotate(
            excellent=Count(
                "quota_evaluations",
                filter=counted & Q(quota_evaluations__decided_level=Level.HOAN_THANH_XUAT_SAC),
            ),
            good=Count(
                "quota_evaluations",
                filter=counted & Q(quota_evaluations__decided_level=Level.HOAN_THANH_TOT),
            ),
        )
        .order_by("name_sort", "pk")
    )


def _subject(e: Evaluation) -> str:
    return str(e.subject)


COLUMNS = (
    Column(_("Subject"), _subject),
    Column(_("Unit"), lambda e: str(e.unit)),
    Column(_("Year"), lambda e: e.campaign.period_end.year),
    Column(_("Score"), lambda e: e.score if e.score is not None else ""),
    Column(pgettext_lazy("rating", "Level"), lambda e: e.get_decided_level_display()),
    Column(_("Decided on"), lambda e: _date(e.decided_on)),
)
CONTRADICTION_COLUMNS = (
    *COLUMNS,
    Column(_("Reason recorded"), lambda e: e.decision_reason or "—"),
)

XS, TOT, HT, KHT = rules.LEVELS_BEST_FIRST
# Explicit labels (not composed), so that each translates as a whole.
LABELS = {
    ("members", None): _("Members rated"),
    ("members", XS): _("Members rated “completed tasks excellently”"),
    ("members", TOT): _("Members rated “completed tasks well”"),
    ("members", HT): _("Members rated “completed tasks”"),
    ("members", KHT): _("Members rated “did not complete tasks”"),
    ("collectives", None): _("Collectives rated"),
    ("collectives", XS): _("Collectives rated “completed tasks excellently”"),
    ("collectives", TOT): _("Collectives rated “completed tasks well”"),
    ("collectives", HT): _("Collectives rated “completed tasks”"),
    ("collectives", KHT): _("Collectives rated “did not complete tasks”"),
}
SHARE_LABELS = {
    ("members", XS): _("Share of members rated “completed tasks excellently”"),
    ("members", TOT): _("Share of members rated “completed tasks well”"),
    ("members", HT): _("Share of members rated “completed tasks”"),
    ("members", KHT): _("Share of members rated “did not complete tasks”"),
    ("collectives", XS): _("Share of collectives rated “completed tasks excellently”"),
    ("collectives", TOT): _("Share of collectives rated “completed tasks well”"),
    ("collectives", HT): _("Share of collectives rated “completed tasks”"),
    ("collectives", KHT): _("Share of collectives rated “did not complete tasks”"),
}
KINDS = (
    (SubjectKind.INDIVIDUAL, "members", _("members"), 10),
    (SubjectKind.COLLECTIVE, "collectives", _("collectives"), 40),
)


def _level(level: Level):
    return lambda query: Q(decided_level=level.value)


def _all(query: IndicatorQuery) -> Q:
    return Q()


def _register_kind(kind: SubjectKind, slug: str, unit_of_measure, base: int) -> None:
    # Every rating figure of this kind is counted in one query on a dashboard.
    family = Family(f"evaluation.{slug}", lambda q: rated(q, kind))
    register(
        Indicator(
            code=f"evaluation.{slug}.rated",
            label=LABELS[(slug, None)],
            definition=_(
                "Ratings decided in annual reviews whose year ends in the period, for subjects "
                "under the unit."
            ),
            unit_of_measure=unit_of_measure,
            domain=DOMAIN,
            capability=Cap.VIEW_INDICATORS,
            records=family.records(_all),
            family=family,
            within=_all,
            columns=COLUMNS,
            order=base,
        )
    )
    for offset, level in enumerate(rules.LEVELS_BEST_FIRST, start=1):
        register(
            Indicator(
                code=f"evaluation.{slug}.{level.value}",
                label=LABELS[(slug, level)],
                definition=_("Ratings decided at this level (annual reviews of the period)."),
                unit_of_measure=unit_of_measure,
                domain=DOMAIN,
                capability=Cap.VIEW_INDICATORS,
                records=family.records(_level(level)),
                family=family,
                within=_level(level),
                columns=COLUMNS,
                order=base + offset,
            )
        )
        register(
            Indicator(
                code=f"evaluation.{slug}.{level.value}.share",
                label=SHARE_LABELS[(slug, level)],
                definition=_(
                    "Ratings at this level among all ratings decided (annual reviews of the "
                    "period), in per cent."
                ),
                unit_of_measure=_("%"),
                domain=DOMAIN,
                capability=Cap.VIEW_INDICATORS,
                records=family.records(_level(level)),
                denominator=family.records(_all),
                family=family,
                within=_level(level),
                denominator_within=_all,
                columns=COLUMNS,
                order=base + 10 + offset,
            )
        )


for _kind, _slug, _unit, _base in KINDS:
    _register_kind(_kind, _slug, _unit, _base)

register(
    Indicator(
        code="evaluation.contradictions",
        label=_("Ratings that contradict the records"),
        definition=_(
            "Decided ratings above the level the discipline and inspection records of the year "
            "allow, read now (for example rated “completed tasks well” but disciplined in the "
            "year). A recorded reason does not remove a rating from this list."
        ),
        unit_of_measure=_("ratings"),
        domain=DOMAIN,
        capability=Cap.MANAGE_EVALUATION,
        records=contradictions,
        columns=CONTRADICTION_COLUMNS,
        order=80,
    )
)
register(
    Indicator(
        code="evaluation.contradictions.unexplained",
        label=_("Contradicting ratings without a reason"),
        definition=_(
            "Ratings that contradict the records and carry no reason: usually the record came "
            "after the decision. The competent level should review them."
        ),
        unit_of_measure=_("ratings"),
        domain=DOMAIN,
        capability=Cap.MANAGE_EVALUATION,
        records=lambda q: contradictions(q).filter(decision_reason=""),
        columns=CONTRADICTION_COLUMNS,
        order=81,
    )
)
register(
    Indicator(
        code="evaluation.quota_breaches",
        label=_("Grassroots organisations over the “excellent” quota"),
        definition=_(
            "Grassroots organisations where the members rated “completed tasks excellently” "
            "exceed the quota (by default 20 per cent of those rated “completed tasks well”) "
            "in an annual review of the period."
        ),
        unit_of_measure=_("organisations"),
        domain=DOMAIN,
        capability=Cap.MANAGE_EVALUATION,
        records=quota_breaches,
        unit_path="pk",
        columns=(
            Column(_("Organisation"), lambda u: str(u)),
            Column(_("Members rated excellent"), lambda u: u.excellent),
            Column(_("Members rated good"), lambda u: u.good),
        ),
        order=85,
    )
)
register(
    Indicator(
        code="evaluation.undecided",
        label=_("Subjects without a decision"),
        definition=_("Subjects of the annual reviews of the period not yet decided."),
        unit_of_measure=_("subjects"),
        domain=DOMAIN,
        capability=Cap.MANAGE_EVALUATION,
        records=lambda q: (
            in_period(q)
            .exclude(status=EvaluationStatus.DECIDED)
            .select_related("person", "unit", "campaign")
            .order_by("campaign__period_end", "unit__name_sort", "person__name_sort", "pk")
        ),
        columns=(
            Column(_("Subject"), _subject),
            Column(_("Unit"), lambda e: str(e.unit)),
            Column(_("Status"), lambda e: e.get_status_display()),
        ),
        order=90,
    )
)
