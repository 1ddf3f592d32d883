"""Writers of review campaigns, evaluations, review sessions and quota settings.

Every function is keyword-only, takes the ``acting_user`` (None only for the demo loader),
runs in one transaction and raises ``EvaluationError`` with a message for the user when the
input cannot be accepted (``NotAllowedError`` when the user may not do it): nothing is half-written.
Single-record steps save through ``save_versioned`` (a stale form answers ``ConcurrentEditError``)
and are logged by django-auditlog; batch steps lock their rows, update them in bulk and write
one log entry per row for a real user.

The three steps (QĐ 366 Điều 12 khoản 1; QĐ 124 Điều 11): the self-assessment (the member or
the collective; recorded by those who manage the evaluation of the subject's unit), the advisory
body's proposal (the managers of the competent level), the competent level's decision (its
``DECIDE_EVALUATION`` holders). The system proposes a level and explains the caps and the quota;
a proposal or a decision above a cap, or a decision that breaks the quota, needs a reason.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from auditlog.models import LogEntry
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import has_capability, unit_in_scope
from giamsat.core.dates import today
from giamsat.core.models import ConcurrentEditError
from giamsat.directives.symbols import SymbolError, format_symbol, parse_symbol
from giamsat.evaluation import facts, rules
from giamsat.evaluation.models import (
    Campaign,
    CampaignStatus,
    Evaluation,
    EvaluationStatus,
    Opinion,
    OutstandingDecision,
    PointKind,
    QuotaSetting,
    ReviewPoint,
    ReviewSession,
    cap_to_json,
)
from giamsat.evaluation.rules import Category, CollectiveKind, Level, PeriodKind, SubjectKind
from giamsat.oversight import services as oversight
from giamsat.oversight.models import CatalogueItem, Commitment, CommitmentOrigin
from giamsat.people.models import Membership, MembershipKind, Post
from giamsat.units.models import GRASSROOTS_KINDS, OrganKind, Unit, UnitKind, UnitLink

__all__ = [
    "BatchResult",
    "ConcurrentEditError",
    "EvaluationError",
    "ItemSpec",
    "NotAllowedError",
    "OpinionSpec",
    "SelfAssessmentSpec",
    "close_campaign",
    "commit_from_points",
    "create_campaign",
    "decide",
    "decide_batch",
    "generate_subjects",
    "propose",
    "propose_batch",
    "record_outstanding_decision",
    "record_review_point",
    "record_review_session",
    "record_self_assessment",
    "record_self_assessments",
    "refresh_caps",
    "reopen_campaign",
    "set_quota",
    "suggested_level",
]

ItemSpec = oversight.ItemSpec


class EvaluationError(ValueError):
    """Input that cannot be accepted; the message is shown to the user as it is."""


class NotAllowedError(EvaluationError):
    """The acting user may not do this (pages answer 403, the API 403)."""


# Kinds of organisation that are reviewed as collectives (the centre is not).
REVIEWED_KINDS = (
    UnitKind.UNDER_CENTRE,
    UnitKind.UPPER_GRASSROOTS,
    UnitKind.GRASSROOTS_ORG,
    UnitKind.GRASSROOTS_CELL,
    UnitKind.SUB_ORG,
    UnitKind.CELL,
)
CELL_KINDS = (UnitKind.CELL, UnitKind.GRASSROOTS_CELL)
# Grassroots types whose members work in the political system (agencies, armed forces).
IN_SYSTEM_TYPES = ("cơ quan", "lực lượng vũ trang")


def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _require(user: Any, unit: Unit | None, capability: Cap, message: str) -> None:
    if user is None:
        return  # the demo loader
    if unit is None or not unit_in_scope(user, unit, capability):
        raise NotAllowedError(message)


def _require_open(campaign: Campaign) -> None:
    if campaign.status != CampaignStatus.OPEN:
        raise EvaluationError(_("The campaign is closed: reopen it to change its records."))


def _check_day(value: dt.date, what: str, *, not_before: dt.date | None = None) -> None:
    if value > today():
        raise EvaluationError(
            _("%(what)s (%(day)s) cannot be in the future.") % {"what": what, "day": _day(value)}
        )
    if not_before is not None and value < not_before:
        raise EvaluationError(
            _("%(what)s (%(day)s) cannot be before %(before)s.")
            % {"what": what, "day": _day(value), "before": _day(not_before)}
        )


def _symbol(text: str) -> str:
    raw = (text or "").strip()
    if not raw:
        return ""
    try:
        return format_symbol(parse_symbol(raw))
    except SymbolError as exc:
        raise EvaluationError(
            _("The number and symbol '%(text)s' cannot be read: %(reason)s")
            % {"text": raw, "reason": exc}
        ) from None


def _log_batch(objs: Sequence[models.Model], changes: dict[str, Any], acting_user: Any) -> None:
    """One audit log entry per row changed by a batch (bulk updates send no signals)."""
    if acting_user is None or not objs:
        return
    for obj in objs:
        LogEntry.objects.log_create(
            obj,
            action=LogEntry.Action.UPDATE,
            changes={k: [None, str(v)] for k, v in changes.items()},
            actor=acting_user,
        )


class _Permission:
    """Scope checks of a batch, one query per distinct unit (not per subject)."""

    def __init__(self, user: Any, capability: Cap) -> None:
        self.user = user
        self.capability = capability
        self.known: dict[int, bool] = {}

    def allows(self, unit_id: int | None) -> bool:
        if self.user is None:
            return True
        if unit_id is None:
            return False
        if unit_id not in self.known:
            self.known[unit_id] = unit_in_scope(self.user, unit_id, self.capability)
        return self.known[unit_id]


def _lock(evaluations: Iterable[Evaluation], *, exclude_status: str = "") -> list[Evaluation]:
    """The rows of a batch, locked until the end of the transaction (subject names load
    lazily: only messages about skipped rows need them)."""
    ids = [e.pk for e in evaluations]
    rows = Evaluation.objects.select_for_update().filter(pk__in=ids)
    if exclude_status:
        rows = rows.exclude(status=exclude_status)
    return list(rows.select_related("campaign", "campaign__organiser").order_by("pk"))


def _bulk_save(objs: Sequence[Evaluation], fields: Sequence[str]) -> None:
    """Write ``fields`` of many evaluations: one prepared UPDATE run for every row.

    Django's ``bulk_update`` builds a CASE expression per field and row, which takes minutes
    for a city's 12 000 members; ``executemany`` of one statement takes seconds on both
    databases. Values go through each field's own conversion (decimals, dates, JSON).
    """
    if not objs:
        return
    meta = Evaluation._meta
    columns: list[models.Field[Any, Any]] = []
    for name in [*fields, "updated_at"]:
        field_ = meta.get_field(name)
        assert isinstance(field_, models.Field)
        columns.append(field_)
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(c.column))} = %s" for c in columns)
    # Names come from the model's own metadata; every value is a parameter.
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
    now = timezone.now()
    for obj in objs:
        obj.updated_at = now
    params = [
        [c.get_db_prep_save(getattr(obj, c.attname), connection) for c in columns] + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


# --- campaigns and subjects ------------------------------------------------------------------------


def _period(
    kind: PeriodKind, year: int, quarter: int | None, start: dt.date | None, end: dt.date | None
) -> tuple[dt.date, dt.date]:
    if kind == PeriodKind.ANNUAL:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if kind == PeriodKind.QUARTER:
        if quarter is None:
            raise EvaluationError(_("Choose the quarter (1 to 4)."))
        try:
            return rules.quarter_bounds(year, quarter)
        except ValueError:
            raise EvaluationError(_("Choose the quarter (1 to 4).")) from None
    if start is None or end is None or end < start:
        raise EvaluationError(_("Give the first and the last day of the term (in this order)."))
    return start, end


@transaction.atomic
def create_campaign(
    *,
    organiser: Unit,
    year: int,
    acting_user: Any,
    period_kind: PeriodKind | str = PeriodKind.ANNUAL,
    quarter: int | None = None,
    term_start: dt.date | None = None,
    term_end: dt.date | None = None,
    title: str = "",
    plan_symbol: str = "",
    plan_issued_on: dt.date | None = None,
    special_units: bool = False,
    note: str = "",
    generate: bool = True,
) -> Campaign:
    """Open the review of a period over ``organiser``'s subtree and list its subjects.

    The rule set is the one in force on the period's last day; it must provide for the kind of
    period (quarters and terms only from QĐ 366). Deadlines come from the rule set's timeline.
    """
    _require(
        acting_user,
        organiser,
        Cap.MANAGE_EVALUATION,
        _("You may not organise reviews for %(unit)s.") % {"unit": organiser},
    )
    if organiser.is_organ or organiser.kind not in REVIEWED_KINDS:
        raise EvaluationError(
            _("Choose a party organisation (a province, city, grassroots organisation or cell).")
        )
    kind = PeriodKind(period_kind)
    start, end = _period(kind, year, quarter, term_start, term_end)
    try:
        rule_set = rules.check_period_kind(kind, end)
    except ValueError:
        try:
            in_force = rules.rule_set_on(end).regulation
        except ValueError:
            raise EvaluationError(
                _(
                    "No evaluation rules are recorded for a period ending %(day)s (the earliest "
                    "rule set is QĐ 132-QĐ/TW of 08/3/2018)."
                )
                % {"day": _day(end)}
            ) from None
        raise EvaluationError(
            _(
                "%(regulation)s provides for annual reviews only; quarterly and term reviews "
                "exist from QĐ 366-QĐ/TW (30/8/2025)."
            )
            % {"regulation": in_force}
        ) from None
    if not organiser.is_valid_on(end) and not organiser.is_valid_on(start):
        raise EvaluationError(_("%(unit)s did not exist in the period.") % {"unit": organiser})
    if Campaign.objects.filter(
        organiser=organiser, period_kind=kind, period_start=start, period_end=end
    ).exists():
        raise EvaluationError(
            _("%(unit)s already has a review of this period.") % {"unit": organiser}
        )
    if plan_issued_on is not None:
        _check_day(plan_issued_on, _("The plan date"))
    deadlines = rules.annual_deadlines(end.year, rules=rule_set)
    sessions_due = end if kind != PeriodKind.ANNUAL else deadlines.sessions_by
    if special_units and kind == PeriodKind.ANNUAL and deadlines.special_by is not None:
        sessions_due = deadlines.special_by
    if not title.strip():
        title = _default_title(organiser, kind, year, quarter, start, end)
    campaign = Campaign.objects.create(
        organiser=organiser,
        title=title.strip(),
        period_kind=kind,
        year=year,
        quarter=quarter if kind == PeriodKind.QUARTER else None,
        period_start=start,
        period_end=end,
        rule_set=rule_set.code,
        plan_symbol=_symbol(plan_symbol),
        plan_issued_on=plan_issued_on,
        sessions_due=sessions_due,
        special_units=special_units,
        note=note.strip(),
        created_by=acting_user,
    )
    if generate:
        generate_subjects(campaign=campaign, acting_user=acting_user)
    return campaign


def _default_title(
    organiser: Unit, kind: PeriodKind, year: int, quarter: int | None, start: dt.date, end: dt.date
) -> str:
    name = organiser.name_on(end)
    if kind == PeriodKind.ANNUAL:
        return _("Review and quality classification %(year)s — %(unit)s") % {
            "year": year,
            "unit": name,
        }
    if kind == PeriodKind.QUARTER:
        return _("Review of quarter %(q)s/%(year)s — %(unit)s") % {
            "q": quarter,
            "year": year,
            "unit": name,
        }
    return _("Review of the term %(start)s–%(end)s — %(unit)s") % {
        "start": _day(start),
        "end": _day(end),
        "unit": name,
    }


@dataclass
class _Tree:
    """The units of a campaign's subtree and the organiser's ancestors, read once."""

    units: dict[int, Unit]
    parent: dict[int, int]
    organs: dict[int, dict[str, int]]  # committee id -> organ kind -> organ id

    def organisation_parent(self, unit_id: int) -> int | None:
        parent = self.parent.get(unit_id)
        while parent is not None and self.units[parent].is_organ:
            parent = self.parent.get(parent)
        return parent

    def standing_or_self(self, org_id: int) -> int:
        return self.organs.get(org_id, {}).get(OrganKind.STANDING_COMMITTEE, org_id)

    def grassroots_of(self, unit_id: int) -> int | None:
        current: int | None = unit_id
        while current is not None:
            if self.units[current].kind in GRASSROOTS_KINDS:
                return current
            current = self.parent.get(current)
        return None


def _read_tree(campaign: Campaign, day: dt.date) -> _Tree:
    organiser = campaign.organiser
    subtree = list(Unit.objects.subtree_of(organiser, day).valid_on(day))
    ancestors = organiser.ancestors_on(day)
    units = {u.pk: u for u in [*subtree, *ancestors]}
    parent: dict[int, int] = dict(
        UnitLink.objects.valid_on(day)
        .filter(unit_id__in=[u.pk for u in subtree])
        .values_list("unit_id", "parent_id")
    )
    for upper, lower in itertools.pairwise(ancestors):
        parent[lower.pk] = upper.pk
    organs: dict[int, dict[str, int]] = defaultdict(dict)
    for unit_id, parent_id in parent.items():
        unit = units.get(unit_id)
        if unit is not None and unit.is_organ:
            organs[parent_id].setdefault(unit.organ_kind, unit_id)
    # The committees above the organiser decide its own rating: read their organs too.
    for link in (
        UnitLink.objects.valid_on(day)
        .filter(parent_id__in=[a.pk for a in ancestors], unit__kind=UnitKind.ORGAN)
        .select_related("unit")
    ):
        units.setdefault(link.unit_id, link.unit)
        organs[link.parent_id].setdefault(link.unit.organ_kind, link.unit_id)
    return _Tree(units, parent, organs)


def _collective_kind(unit: Unit) -> CollectiveKind:
    if unit.is_organ:
        return CollectiveKind.STANDING_COMMITTEE
    if unit.kind in CELL_KINDS:
        return CollectiveKind.CELL
    return CollectiveKind.COMMITTEE


@transaction.atomic
def generate_subjects(*, campaign: Campaign, acting_user: Any) -> int:
    """List the subjects of a campaign: its collectives and every member; return how many new.

    Collectives: every party organisation of the subtree below the centre and every standing
    committee; individuals: every member in regular party activity in a cell of the subtree on
    the period's last day. The competent level is the standing committee directly above (HD 43:
    "ban thường vụ cấp trên trực tiếp"; the committee itself where it has none); for members,
    the grassroots organisation. Subjects listed in another review of the same period are
    refused (name the other campaign). Adds only what is missing: safe to run again.
    """
    _require_open(campaign)
    day = facts.reference_day(campaign)
    tree = _read_tree(campaign, day)
    organiser = campaign.organiser
    in_subtree = set(Unit.objects.subtree_of(organiser, day).values_list("pk", flat=True))

    existing_units = set(
        campaign.evaluations.filter(person__isnull=True).values_list("unit_id", flat=True)
    )
    existing_people = set(
        campaign.evaluations.filter(person__isnull=False).values_list("person_id", flat=True)
    )
    new: list[Evaluation] = []
    for unit_id in sorted(in_subtree):
        unit = tree.units.get(unit_id)
        if unit is None or unit_id in existing_units:
            continue
        is_standing = unit.is_organ and unit.organ_kind == OrganKind.STANDING_COMMITTEE
        if not (is_standing or unit.kind in REVIEWED_KINDS):
            continue
        committee = tree.parent.get(unit_id) if is_standing else unit_id
        if committee is None:
            continue
        above = tree.organisation_parent(committee)
        if above is None:
            continue
        new.append(
            Evaluation(
                campaign=campaign,
                subject_kind=SubjectKind.COLLECTIVE,
                unit=unit,
                collective_kind=_collective_kind(unit),
                deciding_unit_id=tree.standing_or_self(above),
                advisory_unit_id=tree.organs.get(above, {}).get(OrganKind.ORGANISATION_COMMISSION),
                quota_group_id=above,
            )
        )

    cells = [u for u in in_subtree if u in tree.units and tree.units[u].kind in CELL_KINDS]
    members = (
        Membership.objects.valid_on(day)
        .filter(kind=MembershipKind.REGULAR, unit_id__in=cells)
        .exclude(person_id__in=existing_people)
        .order_by("person_id", "-valid_from")
        .values_list("person_id", "unit_id")
    )
    placed: dict[int, int] = {}
    for person_id, unit_id in members:
        placed.setdefault(person_id, unit_id)
    leaders = set(
        Post.objects.valid_on(day)
        .filter(person_id__in=list(placed))
        .filter(Q(kind__in=facts.LEADERSHIP_POSTS) | Q(is_head=True))
        .values_list("person_id", flat=True)
    )
    for person_id, cell_id in placed.items():
        grassroots = tree.grassroots_of(cell_id)
        if grassroots is None:
            continue
        in_system = tree.units[grassroots].grassroots_type in IN_SYSTEM_TYPES
        category = (
            Category.LEADER
            if person_id in leaders
            else (Category.STAFF if in_system else Category.OUTSIDE)
        )
        new.append(
            Evaluation(
                campaign=campaign,
                subject_kind=SubjectKind.INDIVIDUAL,
                unit_id=cell_id,
                person_id=person_id,
                category=category,
                deciding_unit_id=tree.standing_or_self(grassroots),
                advisory_unit_id=tree.organs.get(grassroots, {}).get(
                    OrganKind.ORGANISATION_COMMISSION
                ),
                quota_group_id=grassroots,
            )
        )
    _refuse_duplicates(campaign, new)
    Evaluation.objects.bulk_create(new, batch_size=2000)
    return len(new)


def _refuse_duplicates(campaign: Campaign, new: Sequence[Evaluation]) -> None:
    units = [e.unit_id for e in new if e.person_id is None]
    people = [e.person_id for e in new if e.person_id is not None]
    clash = (
        Evaluation.objects.filter(
            campaign__period_kind=campaign.period_kind,
            campaign__period_start__lte=campaign.period_end,
            campaign__period_end__gte=campaign.period_start,
        )
        .exclude(campaign=campaign)
        .filter(Q(person__isnull=True, unit_id__in=units) | Q(person_id__in=people))
        .select_related("campaign")
        .first()
    )
    if clash is not None:
        raise EvaluationError(
            _(
                "%(subject)s is already reviewed for this period in “%(campaign)s”: one subject "
                "is reviewed once per period. Organise the review at that level, or narrow it."
            )
            % {"subject": clash.subject, "campaign": clash.campaign}
        )


@transaction.atomic
def close_campaign(*, campaign: Campaign, expected_version: int, acting_user: Any) -> Campaign:
    """Close a campaign (its records become read-only)."""
    _require(
        acting_user,
        campaign.organiser,
        Cap.MANAGE_EVALUATION,
        _("Only the organiser may close the campaign."),
    )
    _require_open(campaign)
    campaign.status = CampaignStatus.CLOSED
    campaign.save_versioned(expected_version=expected_version, update_fields=["status"])
    return campaign


@transaction.atomic
def reopen_campaign(*, campaign: Campaign, expected_version: int, acting_user: Any) -> Campaign:
    """Reopen a closed campaign."""
    _require(
        acting_user,
        campaign.organiser,
        Cap.MANAGE_EVALUATION,
        _("Only the organiser may reopen the campaign."),
    )
    campaign.status = CampaignStatus.OPEN
    campaign.save_versioned(expected_version=expected_version, update_fields=["status"])
    return campaign


# --- step 1: self-assessment -----------------------------------------------------------------------


@dataclass(frozen=True)
class SelfAssessmentSpec:
    """One self-assessment of a batch (an integrating system, or the demo)."""

    evaluation: Evaluation
    score_general: Decimal | int | float | str
    score_tasks: Decimal | int | float | str
    tasks: rules.Tasks = field(default_factory=rules.Tasks)
    note: str = ""


def _apply_self(
    evaluation: Evaluation,
    spec: SelfAssessmentSpec,
    assessed_on: dt.date,
    acting_user: Any,
) -> None:
    campaign = evaluation.campaign
    try:
        score = rules.total_score(spec.score_general, spec.score_tasks)
        assessment = rules.assess(score, spec.tasks, campaign.period_end.year, rules=campaign.rules)
    except ValueError as exc:
        raise EvaluationError(
            _("%(subject)s: %(reason)s") % {"subject": evaluation.subject, "reason": exc}
        ) from None
    tasks = spec.tasks
    tenth = Decimal("0.1")  # the scores are kept to one decimal
    evaluation.score_general = rules.as_score(spec.score_general).quantize(tenth)
    evaluation.score_tasks = rules.as_score(spec.score_tasks).quantize(tenth)
    evaluation.score = score.quantize(tenth)
    evaluation.tasks_total = tasks.total
    evaluation.tasks_completed = tasks.completed
    evaluation.tasks_on_time = tasks.on_time
    evaluation.tasks_exceeding = tasks.exceeding
    evaluation.shortcomings_before = tasks.shortcomings_before
    evaluation.shortcomings_remedied = tasks.shortcomings_remedied
    evaluation.self_level = assessment.level
    evaluation.self_note = "\n".join([spec.note.strip(), *assessment.reasons]).strip()
    evaluation.self_assessed_on = assessed_on
    evaluation.self_assessed_by = acting_user
    evaluation.status = EvaluationStatus.SELF_ASSESSED


SELF_FIELDS = [
    "score_general",
    "score_tasks",
    "score",
    "tasks_total",
    "tasks_completed",
    "tasks_on_time",
    "tasks_exceeding",
    "shortcomings_before",
    "shortcomings_remedied",
    "self_level",
    "self_note",
    "self_assessed_on",
    "self_assessed_by",
    "status",
    "category",
]


def _check_self_step(evaluation: Evaluation) -> None:
    _require_open(evaluation.campaign)
    if evaluation.status not in (EvaluationStatus.PENDING, EvaluationStatus.SELF_ASSESSED):
        raise EvaluationError(
            _("%(subject)s is already %(status)s: the self-assessment can no longer be changed.")
            % {"subject": evaluation.subject, "status": evaluation.get_status_display()}
        )


@transaction.atomic
def record_self_assessment(
    *,
    evaluation: Evaluation,
    expected_version: int,
    score_general: Decimal | int | float | str,
    score_tasks: Decimal | int | float | str,
    assessed_on: dt.date,
    acting_user: Any,
    tasks: rules.Tasks | None = None,
    note: str = "",
    category: Category | str | None = None,
) -> Evaluation:
    """Record step 1: the score on the 100-point frame and the level it implies.

    The level is the score's band under the campaign's rule set, lowered while the task
    conditions of the level are not met (QĐ 366 Điều 11); the reasons are added to the note.
    """
    _require(
        acting_user,
        evaluation.unit,
        Cap.MANAGE_EVALUATION,
        _("You may not record self-assessments for %(unit)s.") % {"unit": evaluation.unit},
    )
    _check_self_step(evaluation)
    _check_day(assessed_on, _("The self-assessment date"))
    if category and not evaluation.is_collective:
        evaluation.category = Category(category)
    spec = SelfAssessmentSpec(evaluation, score_general, score_tasks, tasks or rules.Tasks(), note)
    _apply_self(evaluation, spec, assessed_on, acting_user)
    evaluation.save_versioned(expected_version=expected_version, update_fields=SELF_FIELDS)
    return evaluation


@transaction.atomic
def record_self_assessments(
    *, specs: Sequence[SelfAssessmentSpec], assessed_on: dt.date, acting_user: Any
) -> int:
    """Record many self-assessments at once (all or nothing); return how many."""
    if not specs:
        return 0
    _check_day(assessed_on, _("The self-assessment date"))
    locked = {e.pk: e for e in _lock(s.evaluation for s in specs)}
    permission = _Permission(acting_user, Cap.MANAGE_EVALUATION)
    changed: list[Evaluation] = []
    for spec in specs:
        evaluation = locked[spec.evaluation.pk]
        if not permission.allows(evaluation.unit_id):
            raise NotAllowedError(
                _("You may not record self-assessments for %(unit)s.") % {"unit": evaluation.unit}
            )
        _check_self_step(evaluation)
        _apply_self(evaluation, spec, assessed_on, acting_user)
        evaluation.version += 1
        changed.append(evaluation)
    _bulk_save(changed, [*SELF_FIELDS, "version"])
    _log_batch(changed, {"status": EvaluationStatus.SELF_ASSESSED}, acting_user)
    return len(changed)


def pct_text(value: Decimal | int | str) -> str:
    """A percentage for a message: ``20`` rather than ``2E+1``, localised (``12,5`` in vi)."""
    return formats.number_format(Decimal(str(value)).normalize())


# --- caps ------------------------------------------------------------------------------------------


def _store_caps(
    evaluation: Evaluation, caps: Iterable[rules.RatingCap], as_of: dt.date
) -> rules.Level | None:
    caps = tuple(caps)
    limit = rules.cap_level(caps)
    evaluation.caps = [cap_to_json(c) for c in caps]
    evaluation.cap_level = limit.value if limit is not None else ""
    evaluation.caps_as_of = as_of
    return limit


CAP_FIELDS = ["caps", "cap_level", "caps_as_of"]


@transaction.atomic
def refresh_caps(
    *, campaign: Campaign, evaluations: Sequence[Evaluation], as_of: dt.date
) -> dict[int, tuple[rules.RatingCap, ...]]:
    """Re-read the records and store each evaluation's caps as of ``as_of`` (a read of facts;
    no step changes). Returns the caps found by evaluation id."""
    found = facts.caps_by_evaluation(campaign, evaluations, as_of)
    for evaluation in evaluations:
        _store_caps(evaluation, found.get(evaluation.pk, ()), as_of)
    _bulk_save(list(evaluations), CAP_FIELDS)
    return found


def suggested_level(evaluation: Evaluation) -> Level | None:
    """What the system proposes: the self-assessed level, lowered to the stored cap."""
    if not evaluation.self_level:
        return None
    if evaluation.cap_level:
        return rules.lower_of(evaluation.self_level, evaluation.cap_level)
    return Level(evaluation.self_level)


# --- step 2: the advisory body's proposal ---------------------------------------------------------


@dataclass(frozen=True)
class OpinionSpec:
    source: str
    text: str
    received_on: dt.date | None = None


def _check_opinions(opinions: Sequence[OpinionSpec]) -> None:
    for spec in opinions:
        if not spec.source.strip() or not spec.text.strip():
            raise EvaluationError(_("Each opinion needs who gave it and what it says."))


PROPOSAL_FIELDS = [
    "proposed_level",
    "proposal_note",
    "proposal_reason",
    "proposed_on",
    "proposed_by",
    "status",
    *CAP_FIELDS,
]


def _check_proposal_step(evaluation: Evaluation) -> None:
    _require_open(evaluation.campaign)
    if evaluation.status not in (EvaluationStatus.SELF_ASSESSED, EvaluationStatus.PROPOSED):
        if evaluation.status == EvaluationStatus.PENDING:
            raise EvaluationError(
                _("%(subject)s has no self-assessment yet: record it first (step 1).")
                % {"subject": evaluation.subject}
            )
        raise EvaluationError(
            _("%(subject)s is already decided: the proposal can no longer be changed.")
            % {"subject": evaluation.subject}
        )


def _cap_sentence(evaluation: Evaluation) -> str:
    return " ".join(c.explanation() for c in evaluation.rating_caps())


@transaction.atomic
def propose(
    *,
    evaluation: Evaluation,
    expected_version: int,
    level: Level | str,
    proposed_on: dt.date,
    acting_user: Any,
    note: str = "",
    opinions: Sequence[OpinionSpec] = (),
    reason: str = "",
) -> Evaluation:
    """Record step 2: the advisory body verifies the self-assessment and proposes a level.

    The records are read as of ``proposed_on``; a level above their cap needs ``reason``.
    """
    _require(
        acting_user,
        evaluation.deciding_unit or evaluation.unit,
        Cap.MANAGE_EVALUATION,
        _("Only the advisory body of the competent level may propose a level for %(subject)s.")
        % {"subject": evaluation.subject},
    )
    _check_proposal_step(evaluation)
    assert evaluation.self_assessed_on is not None
    _check_day(proposed_on, _("The proposal date"), not_before=evaluation.self_assessed_on)
    _check_opinions(opinions)
    value = Level(level)
    found = facts.caps_by_evaluation(evaluation.campaign, [evaluation], proposed_on)
    limit = _store_caps(evaluation, found.get(evaluation.pk, ()), proposed_on)
    reason = reason.strip()
    if limit is not None and rules.is_above(value, limit) and not reason:
        raise EvaluationError(
            _(
                "The records allow at most “%(limit)s” for %(subject)s: %(caps)s Give the reason "
                "for proposing “%(level)s” (for example the exception the rule allows)."
            )
            % {
                "limit": rules.level_label(limit),
                "subject": evaluation.subject,
                "caps": _cap_sentence(evaluation),
                "level": rules.level_label(value),
            }
        )
    evaluation.proposed_level = value
    evaluation.proposal_note = note.strip()
    evaluation.proposal_reason = (
        reason if limit is not None and rules.is_above(value, limit) else ""
    )
    evaluation.proposed_on = proposed_on
    evaluation.proposed_by = acting_user
    evaluation.status = EvaluationStatus.PROPOSED
    evaluation.save_versioned(expected_version=expected_version, update_fields=PROPOSAL_FIELDS)
    Opinion.objects.bulk_create(
        [
            Opinion(
                evaluation=evaluation,
                source=o.source.strip(),
                text=o.text.strip(),
                received_on=o.received_on,
                recorded_by=acting_user,
            )
            for o in opinions
        ]
    )
    return evaluation


@dataclass
class BatchResult:
    done: int = 0
    skipped: list[tuple[Evaluation, str]] = field(default_factory=list)


@transaction.atomic
def propose_batch(
    *,
    evaluations: Iterable[Evaluation],
    proposed_on: dt.date,
    acting_user: Any,
    opinions: Sequence[OpinionSpec] = (),
    note: str = "",
) -> BatchResult:
    """Propose, for every self-assessed subject, the level the system suggests.

    The suggestion is the self-assessed level lowered to the caps from records (read as of
    ``proposed_on``); then, in each quota group, the lowest-scored "xuất sắc" proposals
    beyond the quota become "tốt" (the explanation says so). Subjects not yet self-assessed
    or already decided are skipped with the reason. Constant number of queries per campaign.
    """
    _check_day(proposed_on, _("The proposal date"))
    _check_opinions(opinions)
    result = BatchResult()
    by_campaign: dict[int, list[Evaluation]] = defaultdict(list)
    permission = _Permission(acting_user, Cap.MANAGE_EVALUATION)
    for evaluation in _lock(evaluations):
        try:
            if not permission.allows(evaluation.deciding_unit_id or evaluation.unit_id):
                raise NotAllowedError(_("you may not propose for this subject"))
            _check_proposal_step(evaluation)
        except EvaluationError as exc:
            result.skipped.append((evaluation, str(exc)))
            continue
        assert evaluation.self_assessed_on is not None
        if evaluation.self_assessed_on > proposed_on:
            result.skipped.append((evaluation, _("self-assessed after the proposal date")))
            continue
        by_campaign[evaluation.campaign_id].append(evaluation)
    changed: list[Evaluation] = []
    for items in by_campaign.values():
        campaign = items[0].campaign
        found = facts.caps_by_evaluation(campaign, items, proposed_on)
        notes: dict[int, list[str]] = defaultdict(list)
        before = {e.pk: e.level for e in items}
        for evaluation in items:
            _store_caps(evaluation, found.get(evaluation.pk, ()), proposed_on)
            level = suggested_level(evaluation)
            assert level is not None
            evaluation.proposed_level = level
            if evaluation.cap_level and rules.is_above(evaluation.self_level, level):
                notes[evaluation.pk].append(_cap_sentence(evaluation))
        _apply_quota(campaign, items, before, notes)
        for evaluation in items:
            evaluation.proposal_note = "\n".join([note.strip(), *notes[evaluation.pk]]).strip()
            evaluation.proposal_reason = ""
            evaluation.proposed_on = proposed_on
            evaluation.proposed_by = acting_user
            evaluation.status = EvaluationStatus.PROPOSED
            evaluation.version += 1
            changed.append(evaluation)
    _bulk_save(changed, [*PROPOSAL_FIELDS, "version"])
    if opinions:
        Opinion.objects.bulk_create(
            [
                Opinion(
                    evaluation=e,
                    source=o.source.strip(),
                    text=o.text.strip(),
                    received_on=o.received_on,
                    recorded_by=acting_user,
                )
                for e in changed
                for o in opinions
            ],
            batch_size=2000,
        )
    _log_batch(changed, {"status": EvaluationStatus.PROPOSED}, acting_user)
    result.done = len(changed)
    return result


def _apply_quota(
    campaign: Campaign,
    items: Sequence[Evaluation],
    before: dict[int, str],
    notes: dict[int, list[str]],
) -> None:
    """Within each quota group, keep "xuất sắc" proposals within the quota (best scores first).

    ``before`` holds each item's latest level before this batch: the group counts read from
    the database are corrected by the batch's changes in memory (no list of ids in SQL).
    """
    groups: dict[tuple[int, str], list[Evaluation]] = defaultdict(list)
    for evaluation in items:
        if evaluation.quota_group_id is not None:
            groups[(evaluation.quota_group_id, evaluation.subject_kind)].append(evaluation)
    if not groups:
        return
    rows = {
        (r.group_id, r.subject_kind): r
        for r in facts.quota_rows(campaign, group_ids={g for g, _k in groups})
    }
    year = campaign.period_end.year
    excellent, good = Level.HOAN_THANH_XUAT_SAC.value, Level.HOAN_THANH_TOT.value
    for key, members in groups.items():
        row = rows.get(key)
        if row is None:
            continue
        counts: dict[str, int] = defaultdict(int, row.counts)
        for evaluation in members:
            counts[before[evaluation.pk]] -= 1
            counts[evaluation.proposed_level] += 1
        candidates = sorted(
            (e for e in members if e.proposed_level == excellent),
            key=lambda e: (e.score or Decimal(0), -e.pk),
        )
        for evaluation in candidates:
            if rules.check_quota(counts, year, share_pct=row.check.share_pct).ok:
                break
            evaluation.proposed_level = Level.HOAN_THANH_TOT
            counts[excellent] -= 1
            counts[good] += 1
            notes[evaluation.pk].append(
                _(
                    "Quota: at most %(share)s %% of those rated “%(good)s” may be rated "
                    "“%(excellent)s” in this group (%(source)s); proposed “%(good)s” "
                    "(lower score than those kept)."
                )
                % {
                    "share": pct_text(row.check.share_pct),
                    "good": rules.level_label(Level.HOAN_THANH_TOT),
                    "excellent": rules.level_label(Level.HOAN_THANH_XUAT_SAC),
                    "source": row.check.source,
                }
            )


# --- step 3: the competent level's decision ------------------------------------------------------


DECISION_FIELDS = [
    "decided_level",
    "decision_symbol",
    "decision_reason",
    "decided_on",
    "decided_by",
    "status",
    *CAP_FIELDS,
]


def _check_decision_step(evaluation: Evaluation) -> None:
    _require_open(evaluation.campaign)
    if evaluation.status not in (EvaluationStatus.PROPOSED, EvaluationStatus.DECIDED):
        raise EvaluationError(
            _("%(subject)s has no proposal yet: the advisory body proposes first (step 2).")
            % {"subject": evaluation.subject}
        )
    if evaluation.deciding_unit_id is None:
        raise EvaluationError(
            _("No competent level is recorded for %(subject)s.") % {"subject": evaluation.subject}
        )


def decision_warnings(evaluation: Evaluation, level: Level | str, on: dt.date) -> list[str]:
    """Why a decision of ``level`` on ``on`` would go against a rule (each needs a reason).

    Reads the records as of ``on`` (and stores the caps on ``evaluation``, unsaved).
    """
    value = Level(level)
    warnings: list[str] = []
    found = facts.caps_by_evaluation(evaluation.campaign, [evaluation], on)
    limit = _store_caps(evaluation, found.get(evaluation.pk, ()), on)
    if limit is not None and rules.is_above(value, limit):
        warnings.append(
            _("The records allow at most “%(limit)s”: %(caps)s")
            % {"limit": rules.level_label(limit), "caps": _cap_sentence(evaluation)}
        )
    if evaluation.quota_group_id is not None:
        before = _quota_row(evaluation, {})
        after = _quota_row(evaluation, {evaluation.pk: value.value})
        before_excess = 0 if before is None or before.check.ok else before.check.excess
        # A group over its quota: every further "xuất sắc" decision, and any decision that
        # widens the excess (a "tốt" lowered), needs its reason.
        widens = after is not None and after.check.excess > before_excess
        confirms = value == Level.HOAN_THANH_XUAT_SAC
        if after is not None and not after.check.ok and (widens or confirms):
            warnings.append(
                _(
                    "This decision breaks the quota of %(group)s: %(excellent)s rated "
                    "“%(xs)s” for %(good)s rated “%(tot)s” allows %(allowed)s (%(share)s %%, "
                    "%(source)s)."
                )
                % {
                    "group": evaluation.quota_group,
                    "excellent": after.check.excellent,
                    "xs": rules.level_label(Level.HOAN_THANH_XUAT_SAC),
                    "good": after.check.good,
                    "tot": rules.level_label(Level.HOAN_THANH_TOT),
                    "allowed": after.check.allowed,
                    "share": pct_text(after.check.share_pct),
                    "source": after.check.source,
                }
            )
    return warnings


def _quota_row(evaluation: Evaluation, replace: dict[int, str]) -> facts.QuotaRow | None:
    assert evaluation.quota_group_id is not None
    rows = facts.quota_rows(
        evaluation.campaign, group_ids=[evaluation.quota_group_id], replace=replace
    )
    return next((r for r in rows if r.subject_kind == evaluation.subject_kind), None)


@transaction.atomic
def decide(
    *,
    evaluation: Evaluation,
    expected_version: int,
    level: Level | str,
    decided_on: dt.date,
    acting_user: Any,
    decision_symbol: str = "",
    reason: str = "",
) -> Evaluation:
    """Record step 3: the competent level decides the level.

    Refused while what must come first is undecided (lower collectives, the leadership
    collective, the unit of a head). A level above the caps from records (read as of
    ``decided_on``), a decision that breaks the quota, or a change of an earlier decision needs
    ``reason``; the reason is kept with the decision.
    """
    _require(
        acting_user,
        evaluation.deciding_unit,
        Cap.DECIDE_EVALUATION,
        _("Only the competent level (%(unit)s) may decide the level of %(subject)s.")
        % {"unit": evaluation.deciding_unit, "subject": evaluation.subject},
    )
    _check_decision_step(evaluation)
    assert evaluation.proposed_on is not None
    _check_day(decided_on, _("The decision date"), not_before=evaluation.proposed_on)
    problems = facts.order_problems(evaluation.campaign, [evaluation]).get(evaluation.pk)
    if problems:
        raise EvaluationError(" ".join(problems))
    value = Level(level)
    warnings = decision_warnings(evaluation, value, decided_on)
    changing = evaluation.status == EvaluationStatus.DECIDED and evaluation.decided_level != value
    if changing:
        warnings.append(
            _("This changes the decision already recorded (%(level)s).")
            % {"level": rules.level_label(evaluation.decided_level)}
        )
    reason = reason.strip()
    if warnings and not reason:
        raise EvaluationError(" ".join(warnings) + " " + _("Give the reason for this decision."))
    evaluation.decided_level = value
    evaluation.decision_symbol = _symbol(decision_symbol)
    evaluation.decision_reason = reason if warnings else ""
    evaluation.decided_on = decided_on
    evaluation.decided_by = acting_user
    evaluation.status = EvaluationStatus.DECIDED
    evaluation.save_versioned(expected_version=expected_version, update_fields=DECISION_FIELDS)
    return evaluation


@transaction.atomic
def decide_batch(
    *,
    evaluations: Iterable[Evaluation],
    decided_on: dt.date,
    acting_user: Any,
    decision_symbol: str = "",
) -> BatchResult:
    """Decide every proposed subject at its proposed level, in the order the rules require.

    Collectives are decided lowest first, then members, then the heads, so a batch that holds a
    cell and its secretary decides both. Subjects the rules stop (order, a cap the records now
    put above the proposal, no permission) are skipped with the reason: decide them one by one,
    with a reason where needed. Proposals that respected the quota keep it.
    """
    _check_day(decided_on, _("The decision date"))
    symbol = _symbol(decision_symbol)
    result = BatchResult()
    ready: dict[int, list[Evaluation]] = defaultdict(list)
    permission = _Permission(acting_user, Cap.DECIDE_EVALUATION)
    for evaluation in _lock(evaluations, exclude_status=EvaluationStatus.DECIDED):
        try:
            if not permission.allows(evaluation.deciding_unit_id):
                raise NotAllowedError(
                    _("only the competent level (%(unit)s) may decide")
                    % {"unit": evaluation.deciding_unit}
                )
            _check_decision_step(evaluation)
        except EvaluationError as exc:
            result.skipped.append((evaluation, str(exc)))
            continue
        assert evaluation.proposed_on is not None
        if evaluation.proposed_on > decided_on:
            result.skipped.append((evaluation, _("proposed after the decision date")))
            continue
        ready[evaluation.campaign_id].append(evaluation)
    changed: list[Evaluation] = []
    for items in ready.values():
        campaign = items[0].campaign
        found = facts.caps_by_evaluation(campaign, items, decided_on)
        blockers = facts.order_blockers(campaign, items)
        depth = _depths(campaign, items)
        decided_ids: set[int] = set()
        # Lower collectives first (deepest first), then individuals; heads after their units.
        for evaluation in sorted(
            items, key=lambda e: (e.subject_kind != SubjectKind.COLLECTIVE, -depth.get(e.pk, 0))
        ):
            waiting = [
                b for b in blockers.get(evaluation.pk, []) if b.evaluation_id not in decided_ids
            ]
            if waiting:
                result.skipped.append(
                    (evaluation, " ".join(facts.blocker_messages(campaign, waiting)))
                )
                continue
            limit = _store_caps(evaluation, found.get(evaluation.pk, ()), decided_on)
            if limit is not None and rules.is_above(evaluation.proposed_level, limit):
                result.skipped.append(
                    (
                        evaluation,
                        _("the records now allow at most “%(limit)s”: decide it with a reason")
                        % {"limit": rules.level_label(limit)},
                    )
                )
                continue
            evaluation.decided_level = evaluation.proposed_level
            evaluation.decision_symbol = symbol
            evaluation.decision_reason = evaluation.proposal_reason
            evaluation.decided_on = decided_on
            evaluation.decided_by = acting_user
            evaluation.status = EvaluationStatus.DECIDED
            evaluation.version += 1
            decided_ids.add(evaluation.pk)
            changed.append(evaluation)
    _bulk_save(changed, [*DECISION_FIELDS, "version"])
    _log_batch(changed, {"status": EvaluationStatus.DECIDED}, acting_user)
    result.done = len(changed)
    return result


def _depths(campaign: Campaign, items: Sequence[Evaluation]) -> dict[int, int]:
    """Depth of each collective below the organiser (one query), to decide the lowest first."""
    from giamsat.units.models import UnitAncestry

    day = facts.reference_day(campaign)
    units = [e.unit_id for e in items if e.subject_kind == SubjectKind.COLLECTIVE]
    depth_of = dict(
        UnitAncestry.objects.filter(
            ancestor=campaign.organiser,
            descendant_id__in=units,
            valid_from__lte=day,
            valid_to__gte=day,
        ).values_list("descendant_id", "depth")
    )
    return {e.pk: depth_of.get(e.unit_id, 0) for e in items}


# --- review sessions, points and commitments ------------------------------------------------------


@transaction.atomic
def record_review_session(
    *,
    campaign: Campaign,
    unit: Unit,
    held_on: dt.date,
    acting_user: Any,
    chaired_by: str = "",
    present: int | None = None,
    expected: int | None = None,
    minutes: str = "",
) -> ReviewSession:
    """Record the review session a collective held (kiểm điểm tự phê bình và phê bình)."""
    _require(
        acting_user,
        unit,
        Cap.MANAGE_EVALUATION,
        _("You may not record sessions of %(unit)s.") % {"unit": unit},
    )
    _require_open(campaign)
    if (
        not Unit.objects.subtree_of(campaign.organiser, facts.reference_day(campaign))
        .filter(pk=unit.pk)
        .exists()
    ):
        raise EvaluationError(_("%(unit)s is not reviewed in this campaign.") % {"unit": unit})
    _check_day(held_on, _("The session date"))
    if present is not None and expected is not None and present > expected:
        raise EvaluationError(
            _("%(present)s present is more than the %(expected)s expected.")
            % {"present": present, "expected": expected}
        )
    return ReviewSession.objects.create(
        campaign=campaign,
        unit=unit,
        held_on=held_on,
        chaired_by=chaired_by.strip(),
        present=present,
        expected=expected,
        minutes=minutes.strip(),
        recorded_by=acting_user,
    )


@transaction.atomic
def record_review_point(
    *,
    session: ReviewSession,
    evaluation: Evaluation,
    kind: PointKind | str,
    text: str,
    acting_user: Any,
    raised_by: str = "",
    catalogue_item: CatalogueItem | None = None,
) -> ReviewPoint:
    """Record a self-criticism or criticism point raised about a subject in a session."""
    _require(
        acting_user,
        session.unit,
        Cap.MANAGE_EVALUATION,
        _("You may not record sessions of %(unit)s.") % {"unit": session.unit},
    )
    if evaluation.campaign_id != session.campaign_id:
        raise EvaluationError(_("The subject belongs to another campaign."))
    if not text.strip():
        raise EvaluationError(_("Write the point raised."))
    day = facts.reference_day(session.campaign)
    belongs = Unit.objects.subtree_of(session.unit, day).filter(pk=evaluation.unit_id).exists() or (
        evaluation.person_id is not None
        and Post.objects.filter(person_id=evaluation.person_id, unit=session.unit).exists()
    )
    if not belongs:
        raise EvaluationError(
            _("%(subject)s is not reviewed by %(unit)s.")
            % {"subject": evaluation.subject, "unit": session.unit}
        )
    return ReviewPoint.objects.create(
        session=session,
        evaluation=evaluation,
        kind=PointKind(kind),
        text=text.strip(),
        raised_by=raised_by.strip(),
        catalogue_item=catalogue_item,
        recorded_by=acting_user,
    )


@transaction.atomic
def commit_from_points(
    *,
    evaluation: Evaluation,
    points: Sequence[ReviewPoint],
    items: Sequence[ItemSpec],
    signed_on: dt.date,
    acting_user: Any,
    summary: str = "",
) -> Commitment:
    """Record the remedial commitment the points lead to (an oversight commitment whose origin
    is this evaluation), followed up by the collective that held the session."""
    _require(
        acting_user,
        evaluation.unit,
        Cap.MANAGE_EVALUATION,
        _("You may not record commitments for %(subject)s.") % {"subject": evaluation.subject},
    )
    if not points:
        raise EvaluationError(_("Choose the points the commitment answers."))
    if any(p.evaluation_id != evaluation.pk for p in points):
        raise EvaluationError(_("A point belongs to another subject."))
    supervising = points[0].session.unit
    try:
        commitment = oversight.create_commitment(
            supervising_unit=supervising,
            origin_kind=CommitmentOrigin.ANNUAL_REVIEW,
            signed_on=signed_on,
            items=items,
            acting_user=acting_user,
            subject_unit=evaluation.unit if evaluation.is_collective else None,
            subject_person=evaluation.person,
            origin=evaluation,
            summary=summary or "; ".join(p.text for p in points)[:1000],
        )
    except oversight.OversightError as exc:
        raise EvaluationError(str(exc)) from None
    ReviewPoint.objects.filter(pk__in=[p.pk for p in points]).update(commitment=commitment)
    return commitment


# --- quota settings and decisions for outstanding organisations -----------------------------------


@transaction.atomic
def set_quota(
    *,
    rule_set: str,
    share_pct: Decimal | int | str,
    source: str,
    acting_user: Any,
    unconfirmed: bool = True,
    note: str = "",
) -> QuotaSetting:
    """Set the default "xuất sắc" quota of a rule set (administrators; cite the source)."""
    if acting_user is not None and not has_capability(acting_user, Cap.ADMIN):
        raise NotAllowedError(_("Only an administrator may change the quota."))
    try:
        rules.rule_set(rule_set)
    except KeyError:
        raise EvaluationError(_("Unknown rule set.")) from None
    share = Decimal(str(share_pct))
    if not Decimal(0) <= share <= Decimal(100):
        raise EvaluationError(_("The share must lie between 0 and 100 %."))
    if not source.strip():
        raise EvaluationError(_("Cite the document the value comes from."))
    setting, _created = QuotaSetting.objects.update_or_create(
        rule_set=rule_set,
        defaults={
            "share_pct": share,
            "source": source.strip(),
            "unconfirmed": unconfirmed,
            "note": note.strip(),
            "updated_by": acting_user,
        },
    )
    return setting


@transaction.atomic
def record_outstanding_decision(
    *,
    campaign: Campaign,
    unit: Unit,
    share_pct: Decimal | int | str,
    decision_symbol: str,
    decided_on: dt.date,
    reason: str,
    acting_user: Any,
) -> OutstandingDecision:
    """Record the competent level's decision raising the quota of an outstanding organisation
    (QĐ 366 Điều 11 khoản 1.5: at most 25 % of those rated "tốt")."""
    _require(
        acting_user,
        unit,
        Cap.DECIDE_EVALUATION,
        _("Only the competent level may decide the quota of %(unit)s.") % {"unit": unit},
    )
    _require_open(campaign)
    limit = campaign.rules.quota.outstanding_max_pct
    if limit is None:
        raise EvaluationError(
            _("%(regulation)s has no higher quota for outstanding organisations.")
            % {"regulation": campaign.rules.regulation}
        )
    share = Decimal(str(share_pct))
    if not Decimal(0) <= share <= limit:
        raise EvaluationError(
            _("The share may not exceed %(limit)s %% (%(source)s).")
            % {"limit": pct_text(limit), "source": campaign.rules.quota.source}
        )
    if not campaign.evaluations.filter(quota_group=unit).exists():
        raise EvaluationError(_("%(unit)s is not a quota group of this campaign.") % {"unit": unit})
    if not reason.strip():
        raise EvaluationError(_("Describe the organisation's outstanding achievements."))
    symbol = _symbol(decision_symbol)
    if not symbol:
        raise EvaluationError(_("Give the number and symbol of the decision."))
    _check_day(decided_on, _("The decision date"))
    decision, _created = OutstandingDecision.objects.update_or_create(
        campaign=campaign,
        unit=unit,
        defaults={
            "share_pct": share,
            "decision_symbol": symbol,
            "decided_on": decided_on,
            "reason": reason.strip(),
            "recorded_by": acting_user,
        },
    )
    return decision
