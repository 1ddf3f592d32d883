"""Reads behind the rules: the facts from discipline and oversight records that cap a level,
the order of decisions, the quota groups, and the contradictions between ratings and records.

Every function works on many evaluations at once in a constant number of queries (a campaign
holds thousands of members). The discipline and oversight apps are only read here:

- a subject is "disciplined in the period" when a discipline case about it stands (decided,
  not annulled on complaint; ``DisciplineCase.objects.disciplined()``) with its first decision
  in the period and on or before the day the records are read (``as_of``); the form counted is
  the one in force;
- "concluded to show degradation / to violate the prohibitions" is a finding (other than a
  strength) coded on a catalogue of the 27 manifestations or of the 19 prohibitions, in an
  inspection or supervision concluded in the period and by ``as_of``, about the person (the
  finding's subject, or every individual subject of the case when the finding names none);
- the leadership collective of a unit is the people holding a post in it (or in its standing
  or executive committee) during the period, other than staff posts;
- a unit's subordinate units are its children in the tree on the period's last day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, F, Q, QuerySet, When
from django.utils.translation import gettext as _

from giamsat.discipline.models import DisciplineCase
from giamsat.discipline.rules import VIETNAMESE_NAMES as FORM_NAMES
from giamsat.discipline.rules import Form
from giamsat.discipline.rules import SubjectKind as DisciplineSubject
from giamsat.evaluation import rules
from giamsat.evaluation.models import (
    Campaign,
    Evaluation,
    EvaluationStatus,
    OutstandingDecision,
    QuotaSetting,
)
from giamsat.evaluation.rules import Level, SubjectKind
from giamsat.oversight.models import CaseStatus, CaseSubject, CatalogueKind, Finding, FindingKind
from giamsat.people.models import Post, PostKind
from giamsat.units.models import OrganKind, Unit, UnitKind, UnitLink

# Posts that make their holder a member of a unit's leadership collective.
LEADERSHIP_POSTS = (
    PostKind.SECRETARY,
    PostKind.DEPUTY_SECRETARY,
    PostKind.STANDING_MEMBER,
    PostKind.COMMITTEE_MEMBER,
    PostKind.CHAIR,
    PostKind.DEPUTY_CHAIR,
    PostKind.MEMBER,
)
LEADERSHIP_ORGANS = (OrganKind.STANDING_COMMITTEE, OrganKind.EXECUTIVE_COMMITTEE)


def reference_day(campaign: Campaign) -> dt.date:
    """The day the campaign's tree is read on: the period's last day, within the organiser's life."""
    return campaign.organiser.reference_date(campaign.period_end)


def _overlapping_period(campaign: Campaign) -> Q:
    return Q(valid_from__lte=campaign.period_end) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=campaign.period_start)
    )


def _discipline_label(case: DisciplineCase) -> str:
    form = FORM_NAMES[Form(case.current_form)] if case.current_form else ""
    subject = (
        case.organisation if case.subject_kind == DisciplineSubject.ORGANISATION else case.person
    )
    return f"{form} — {subject}"


# --- caps: facts from records -------------------------------------------------------------------


def gather_records(
    campaign: Campaign, evaluations: Sequence[Evaluation], as_of: dt.date | None = None
) -> dict[int, rules.SubjectRecords]:
    """The facts that may cap each evaluation's level, read up to ``as_of`` (default: all).

    Only evaluations with at least one fact are in the result (the others have no cap).
    Seven queries whatever the number of evaluations.
    """
    start = campaign.period_start
    end = campaign.period_end if as_of is None else min(campaign.period_end, as_of)
    if end < start or not evaluations:
        return {}
    day = reference_day(campaign)
    collective_units = {e.unit_id for e in evaluations if e.subject_kind == SubjectKind.COLLECTIVE}

    # 1. Discipline in force, decided in the window.
    cases = list(
        DisciplineCase.objects.disciplined()
        .filter(decided_on__gte=start, decided_on__lte=end)
        .select_related("person", "organisation")
        .order_by("decided_on", "pk")
    )
    by_person: dict[int, list[rules.DisciplineFact]] = defaultdict(list)
    by_org: dict[int, list[rules.DisciplineFact]] = defaultdict(list)
    for case in cases:
        assert case.decided_on is not None
        fact = rules.DisciplineFact(
            case.pk, case.current_form, case.decided_on, _discipline_label(case)
        )
        if case.subject_kind == DisciplineSubject.ORGANISATION:
            by_org[case.organisation_id].append(fact)
        elif case.person_id is not None:
            by_person[case.person_id].append(fact)

    # 2–4. Findings on the 27 manifestations and the 19 prohibitions, concluded in the window.
    findings = list(
        Finding.objects.filter(
            case__status=CaseStatus.CONCLUDED,
            case__concluded_on__gte=start,
            case__concluded_on__lte=end,
            catalogue_item__catalogue__kind__in=[
                CatalogueKind.MANIFESTATION,
                CatalogueKind.PROHIBITION,
            ],
        )
        .exclude(kind=FindingKind.STRENGTH)
        .select_related("case", "subject", "catalogue_item", "catalogue_item__catalogue")
        .order_by("case__concluded_on", "pk")
    )
    open_cases = {f.case_id for f in findings if f.subject_id is None}
    case_people: dict[int, list[int]] = defaultdict(list)
    for case_id, person_id in CaseSubject.objects.filter(
        case_id__in=open_cases, person__isnull=False
    ).values_list("case_id", "person_id"):
        case_people[case_id].append(person_id)
    degradation: dict[int, list[rules.FindingFact]] = defaultdict(list)
    prohibitions: dict[int, list[rules.FindingFact]] = defaultdict(list)
    for finding in findings:
        item = finding.catalogue_item
        assert item is not None and finding.case.concluded_on is not None
        fact = rules.FindingFact(
            finding.pk, finding.case_id, finding.case.concluded_on, item.code, item.label
        )
        people = (
            [finding.subject.person_id]
            if finding.subject is not None and finding.subject.person_id is not None
            else ([] if finding.subject is not None else case_people[finding.case_id])
        )
        target = degradation if item.catalogue.kind == CatalogueKind.MANIFESTATION else prohibitions
        for person_id in people:
            target[person_id].append(fact)

    # 5. Children of the collectives (subordinate units and their committee organs).
    children: dict[int, list[int]] = defaultdict(list)
    leadership_units: dict[int, set[int]] = {u: {u} for u in collective_units}
    for parent_id, child_id, kind, organ_kind in (
        UnitLink.objects.valid_on(day)
        .filter(parent_id__in=collective_units)
        .values_list("parent_id", "unit_id", "unit__kind", "unit__organ_kind")
    ):
        if kind == UnitKind.ORGAN:
            if organ_kind in LEADERSHIP_ORGANS:
                leadership_units[parent_id].add(child_id)
        else:
            children[parent_id].append(child_id)

    # 6. Leadership posts held during the period.
    holders: dict[int, set[int]] = defaultdict(set)
    all_leadership = {u for units in leadership_units.values() for u in units}
    for unit_id, person_id in (
        Post.objects.filter(_overlapping_period(campaign), unit_id__in=all_leadership)
        .filter(Q(kind__in=LEADERSHIP_POSTS) | Q(is_head=True))
        .values_list("unit_id", "person_id")
    ):
        holders[unit_id].add(person_id)

    result: dict[int, rules.SubjectRecords] = {}
    for evaluation in evaluations:
        if evaluation.subject_kind == SubjectKind.INDIVIDUAL:
            pid = evaluation.person_id
            assert pid is not None
            record = rules.SubjectRecords(
                SubjectKind.INDIVIDUAL,
                disciplines=tuple(by_person.get(pid, ())),
                degradation=tuple(degradation.get(pid, ())),
                prohibitions=tuple(prohibitions.get(pid, ())),
            )
        else:
            uid = evaluation.unit_id
            leaders = sorted({p for u in leadership_units.get(uid, {uid}) for p in holders[u]})
            record = rules.SubjectRecords(
                SubjectKind.COLLECTIVE,
                disciplines=tuple(by_org.get(uid, ())),
                subordinate_disciplines=tuple(f for c in children[uid] for f in by_org.get(c, ())),
                leadership_disciplines=tuple(f for p in leaders for f in by_person.get(p, ())),
                leadership_degradation=tuple(f for p in leaders for f in degradation.get(p, ())),
            )
        if any(
            (
                record.disciplines,
                record.degradation,
                record.prohibitions,
                record.subordinate_disciplines,
                record.leadership_disciplines,
                record.leadership_degradation,
            )
        ):
            result[evaluation.pk] = record
    return result


def caps_by_evaluation(
    campaign: Campaign, evaluations: Sequence[Evaluation], as_of: dt.date | None = None
) -> dict[int, tuple[rules.RatingCap, ...]]:
    """The caps of each evaluation (only those with a cap), under the campaign's rule set."""
    found = gather_records(campaign, evaluations, as_of)
    rule_set = campaign.rules
    out: dict[int, tuple[rules.RatingCap, ...]] = {}
    for pk, record in found.items():
        caps = rules.caps_for(record, campaign.period_end.year, rules=rule_set)
        if caps:
            out[pk] = caps
    return out


# --- order of decisions --------------------------------------------------------------------------


@dataclass(frozen=True)
class Blocker:
    """An undecided collective that must be decided before an evaluation."""

    evaluation_id: int
    unit: Unit
    why: str  # "lower", "leadership" or "head"


def order_blockers(
    campaign: Campaign, evaluations: Sequence[Evaluation]
) -> dict[int, list[Blocker]]:
    """What must be decided before each evaluation (QĐ 124 Điều 11; QĐ 366 Điều 12).

    Lower collectives before higher; the leadership collective before its members; a unit
    before its head. Three queries whatever the number of evaluations.
    """
    if not evaluations:
        return {}
    day = reference_day(campaign)
    collective_ids = [e.unit_id for e in evaluations if e.subject_kind == SubjectKind.COLLECTIVE]
    person_ids = [e.person_id for e in evaluations if e.person_id is not None]
    children: dict[int, list[int]] = defaultdict(list)
    for parent_id, child_id in (
        UnitLink.objects.valid_on(day)
        .filter(parent_id__in=collective_ids)
        .values_list("parent_id", "unit_id")
    ):
        children[parent_id].append(child_id)
    led: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for person_id, unit_id, is_head in (
        Post.objects.filter(_overlapping_period(campaign), person_id__in=person_ids)
        .filter(Q(kind__in=LEADERSHIP_POSTS) | Q(is_head=True))
        .values_list("person_id", "unit_id", "is_head")
    ):
        led[person_id].append((unit_id, is_head))
    wanted = {c for cs in children.values() for c in cs} | {
        u for pairs in led.values() for u, _h in pairs
    }
    pending = {
        e.unit_id: e
        for e in Evaluation.objects.filter(
            campaign=campaign, subject_kind=SubjectKind.COLLECTIVE, unit_id__in=wanted
        )
        .exclude(status=EvaluationStatus.DECIDED)
        .select_related("unit")
    }
    blockers: dict[int, list[Blocker]] = {}
    for evaluation in evaluations:
        found: list[Blocker] = []
        if evaluation.subject_kind == SubjectKind.COLLECTIVE:
            found = [
                Blocker(pending[c].pk, pending[c].unit, "lower")
                for c in children[evaluation.unit_id]
                if c in pending
            ]
        else:
            assert evaluation.person_id is not None
            heads: dict[int, bool] = {}
            for unit_id, is_head in led[evaluation.person_id]:
                heads[unit_id] = heads.get(unit_id, False) or is_head
            found = [
                Blocker(pending[u].pk, pending[u].unit, "head" if head else "leadership")
                for u, head in heads.items()
                if u in pending and pending[u].pk != evaluation.pk
            ]
        if found:
            blockers[evaluation.pk] = found
    return blockers


def blocker_messages(campaign: Campaign, blockers: Sequence[Blocker]) -> list[str]:
    """The order rules as sentences for the user."""
    source = campaign.rules.process_source
    messages: list[str] = []
    lower = [b for b in blockers if b.why == "lower"]
    if lower:
        names = ", ".join(str(b.unit) for b in lower[:5])
        if len(lower) > 5:
            names += _(" and %(n)s more") % {"n": len(lower) - 5}
        messages.append(
            _(
                "Decide the subordinate collectives first (lower collectives before higher, "
                "%(source)s): %(names)s."
            )
            % {"source": source, "names": names}
        )
    for blocker in blockers:
        if blocker.why == "head":
            text = _("Decide %(unit)s first: a unit is evaluated before its head (%(source)s).")
        elif blocker.why == "leadership":
            text = _(
                "Decide %(unit)s first: the leadership collective is evaluated before its "
                "members (%(source)s)."
            )
        else:
            continue
        messages.append(text % {"unit": blocker.unit, "source": source})
    return messages


def order_problems(campaign: Campaign, evaluations: Sequence[Evaluation]) -> dict[int, list[str]]:
    """The order rules each evaluation still waits for, as sentences (empty: none)."""
    return {
        pk: blocker_messages(campaign, found)
        for pk, found in order_blockers(campaign, evaluations).items()
    }


# --- quota -----------------------------------------------------------------------------------------


def current_level_expression() -> Case:
    """The latest level of an evaluation in SQL: decided, else proposed, else self-assessed."""
    return Case(
        When(~Q(decided_level=""), then=F("decided_level")),
        When(~Q(proposed_level=""), then=F("proposed_level")),
        default=F("self_level"),
    )


@dataclass(frozen=True)
class QuotaRow:
    group_id: int
    subject_kind: str
    counts: dict[str, int]
    check: rules.QuotaCheck
    outstanding: OutstandingDecision | None


@dataclass(frozen=True)
class Share:
    pct: Decimal
    source: str
    unconfirmed: bool


def default_share(campaign: Campaign) -> Share:
    """The quota share of the campaign's rule set: the administrator's setting, or the rule's."""
    setting = QuotaSetting.objects.filter(rule_set=campaign.rule_set).first()
    if setting is not None:
        return Share(setting.share_pct, setting.source, setting.unconfirmed)
    quota = campaign.rules.quota
    return Share(quota.share_pct, quota.source, quota.unconfirmed)


def quota_rows(
    campaign: Campaign,
    *,
    decided_only: bool = False,
    group_ids: Iterable[int] | None = None,
    replace: dict[int, str] | None = None,
) -> list[QuotaRow]:
    """The "xuất sắc" quota of every group of a campaign (three queries).

    Levels are the latest of each subject (decided, else proposed, else self-assessed), so the
    table shows where the campaign is heading; ``decided_only`` counts decisions only.
    ``replace`` maps evaluation ids to a level they are about to receive.
    """
    evaluations = Evaluation.objects.filter(campaign=campaign, quota_group__isnull=False)
    if group_ids is not None:
        evaluations = evaluations.filter(quota_group_id__in=list(group_ids))
    if decided_only:
        evaluations = evaluations.filter(status=EvaluationStatus.DECIDED)
    replace = replace or {}
    if replace:
        evaluations = evaluations.exclude(pk__in=list(replace))
    counts: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        evaluations.annotate(current=current_level_expression())
        .values("quota_group_id", "subject_kind", "current")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[(row["quota_group_id"], row["subject_kind"])][row["current"]] += row["n"]
    if replace:
        for pk, group_id, kind in Evaluation.objects.filter(pk__in=list(replace)).values_list(
            "pk", "quota_group_id", "subject_kind"
        ):
            if group_id is not None:
                counts[(group_id, kind)][replace[pk]] += 1
    share = default_share(campaign)
    outstanding = {d.unit_id: d for d in OutstandingDecision.objects.filter(campaign=campaign)}
    year = campaign.period_end.year
    out: list[QuotaRow] = []
    for (group_id, kind), by_level in sorted(counts.items()):
        decision = outstanding.get(group_id)
        pct = decision.share_pct if decision is not None else share.pct
        check = rules.check_quota(by_level, year, share_pct=pct)
        if decision is None and share.unconfirmed != check.unconfirmed:
            check = rules.QuotaCheck(
                check.excellent,
                check.good,
                check.share_pct,
                check.allowed,
                check.ok,
                share.source,
                share.unconfirmed,
            )
        out.append(QuotaRow(group_id, kind, dict(by_level), check, decision))
    return out


def quota_breach_groups(evaluations: QuerySet[Evaluation]) -> dict[tuple[int, int], QuotaRow]:
    """Groups (campaign, quota group) whose decided "xuất sắc" count breaks the quota."""
    found: dict[tuple[int, int], QuotaRow] = {}
    campaign_ids = set(evaluations.values_list("campaign_id", flat=True).distinct())
    for campaign in Campaign.objects.filter(pk__in=campaign_ids).select_related("organiser"):
        for row in quota_rows(campaign, decided_only=True):
            if not row.check.ok:
                found[(campaign.pk, row.group_id)] = row
    return found


# --- contradictions -------------------------------------------------------------------------------


def contradiction_ids(evaluations: QuerySet[Evaluation]) -> dict[int, rules.Level]:
    """Decided evaluations whose level is above what the records (read now) allow.

    Returns {evaluation id: the cap level}. Queries: seven per campaign involved.
    """
    out: dict[int, rules.Level] = {}
    decided = evaluations.filter(status=EvaluationStatus.DECIDED).exclude(
        decided_level=Level.KHONG_HOAN_THANH
    )
    by_campaign: dict[int, list[Evaluation]] = defaultdict(list)
    for evaluation in decided.only(
        "pk", "campaign_id", "unit_id", "person_id", "subject_kind", "decided_level"
    ).order_by():
        by_campaign[evaluation.campaign_id].append(evaluation)
    campaigns = Campaign.objects.select_related("organiser").in_bulk(list(by_campaign))
    for campaign_id, items in by_campaign.items():
        campaign = campaigns[campaign_id]
        caps = caps_by_evaluation(campaign, items)
        for evaluation in items:
            limit = rules.cap_level(caps.get(evaluation.pk, ()))
            if limit is not None and rules.is_above(evaluation.decided_level, limit):
                out[evaluation.pk] = limit
    return out
