"""Writers of discipline records: cases, violations, deferrals, ballots, decisions, complaints.

Keyword-only, one transaction each, ``acting_user`` required (None only for the demo loader),
``DisciplineError`` with a message for the user when the input cannot be accepted. The rules
themselves (forms, thresholds, limitation) are the pure functions of ``discipline.rules``;
this module applies them to records and to the authority matrix held in the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import unit_in_scope
from giamsat.core.deadlines import DeadlineError, due_date
from giamsat.directives.symbols import SymbolError, format_symbol, parse_symbol
from giamsat.discipline.models import (
    AppealLevel,
    AppealOutcome,
    AuthorityRule,
    Ballot,
    BallotPurpose,
    CaseStatus,
    DecisionStatus,
    Deferral,
    DisciplineAppeal,
    DisciplineCase,
    DisciplineDecision,
    NoDisciplineReason,
    Rehabilitation,
    Violation,
)
from giamsat.discipline.rules import (
    VIETNAMESE_NAMES,
    BallotError,
    BodyKind,
    DeferralReason,
    Form,
    Scope,
    SubjectKind,
    allowed_forms,
    competent_authority,
    limitation_expiry,
    tally,
)
from giamsat.oversight.models import Case as OversightCase
from giamsat.oversight.models import Catalogue, CatalogueItem, CatalogueKind
from giamsat.people.models import Membership, MembershipKind, MemberStatus, Person, Post
from giamsat.units.models import GRASSROOTS_KINDS, OrganKind, Unit, UnitKind

__all__ = [
    "Authority",
    "DisciplineError",
    "LimitationCheck",
    "add_violation",
    "authority_for",
    "can_manage",
    "check_limitation",
    "close_without_discipline",
    "end_deferral",
    "file_appeal",
    "open_discipline_case",
    "record_ballot",
    "record_decision",
    "record_deferral",
    "record_rehabilitation",
    "resolve_appeal",
    "resolve_body",
]

ONE_DAY = dt.timedelta(days=1)


class DisciplineError(ValueError):
    """Input that cannot be accepted; the message is shown to the user as it is."""


def can_manage(user: Any, unit: Unit) -> bool:
    """Whether ``user`` may write discipline records of ``unit``."""
    return user is not None and unit_in_scope(user, unit, Cap.MANAGE_DISCIPLINE)


def _form_name(form: Form | str) -> str:
    return VIETNAMESE_NAMES[Form(form)]


# --- the authority matrix ---------------------------------------------------------------------


def _organ(committee: Unit, organ_kind: str, day: dt.date) -> Unit | None:
    return (
        Unit.objects.children_of(committee, day)
        .filter(kind=UnitKind.ORGAN, organ_kind=organ_kind)
        .order_by("pk")
        .first()
    )


def resolve_body(body: BodyKind | str, *, subject_unit: Unit, day: dt.date) -> Unit | None:
    """The unit that plays ``body`` for a subject at ``subject_unit`` on ``day``.

    None when the tree has no such body (the user then chooses the competent body by hand).
    """
    kind = BodyKind(body)
    # self first, then parent, grandparent … (ancestors_on lists the root first)
    chain = [subject_unit, *reversed(subject_unit.ancestors_on(day))]
    organisations = [u for u in chain if not u.is_organ]
    if kind == BodyKind.CELL:
        return subject_unit if subject_unit.is_cell else None
    if kind == BodyKind.GRASSROOTS_COMMITTEE:
        return next((u for u in organisations if u.kind in GRASSROOTS_KINDS), None)
    if kind in (BodyKind.UPPER_STANDING_COMMITTEE, BodyKind.UPPER_INSPECTION_COMMISSION):
        upper = next(
            (
                u
                for u in organisations
                if u.kind in (UnitKind.UPPER_GRASSROOTS, UnitKind.UNDER_CENTRE)
            ),
            None,
        )
        if upper is None:
            return None
        organ_kind = (
            OrganKind.STANDING_COMMITTEE
            if kind == BodyKind.UPPER_STANDING_COMMITTEE
            else OrganKind.INSPECTION_COMMISSION
        )
        return _organ(upper, organ_kind, day) or upper
    if kind in (BodyKind.PARENT_COMMITTEE, BodyKind.PARENT_STANDING_COMMITTEE):
        parent = organisations[1] if len(organisations) > 1 else None
        if parent is None or kind == BodyKind.PARENT_COMMITTEE:
            return parent
        return _organ(parent, OrganKind.STANDING_COMMITTEE, day) or parent
    return None


@dataclass(frozen=True)
class Authority:
    """Who proposes and who decides ``form`` for a case, from the matrix row in force."""

    form: Form
    rule: AuthorityRule | None
    proposing_unit: Unit | None
    deciding_unit: Unit | None

    @property
    def unconfirmed(self) -> bool:
        return self.rule is None or self.rule.unconfirmed


def authority_for(case: DisciplineCase, form: Form | str, on: dt.date) -> Authority:
    """The competent bodies for ``form`` on ``on`` (matrix rows chosen by that date)."""
    value = Form(form)
    rules = list(
        AuthorityRule.objects.filter(
            subject_kind=case.subject_kind, scope=case.scope, form=value.value
        )
    )
    pairs = [(r.as_row(), r) for r in rules]
    chosen = competent_authority(
        [row for row, _rule in pairs],
        subject_kind=case.subject_kind,
        scope=case.scope,
        form=value,
        on=on,
    )
    if chosen is None:
        return Authority(value, None, None, None)
    rule = next(r for row, r in pairs if row == chosen)
    proposing = (
        resolve_body(chosen.proposing_body, subject_unit=case.unit, day=on)
        if chosen.proposing_body
        else None
    )
    deciding = resolve_body(chosen.deciding_body, subject_unit=case.unit, day=on)
    return Authority(value, rule, proposing, deciding)


# --- cases ---------------------------------------------------------------------------------------


def _subject_kind_of(person: Person) -> SubjectKind:
    if person.status == MemberStatus.FULL:
        return SubjectKind.MEMBER
    if person.status == MemberStatus.PROBATIONARY:
        return SubjectKind.PROBATIONARY_MEMBER
    raise DisciplineError(
        _("%(person)s is not a party member (%(status)s).")
        % {"person": person, "status": person.get_status_display()}
    )


def _cell_of(person: Person, day: dt.date) -> Unit:
    membership = (
        Membership.objects.valid_on(day)
        .filter(person=person, kind=MembershipKind.REGULAR)
        .select_related("unit")
        .order_by("-valid_from")
        .first()
    )
    if membership is None:
        raise DisciplineError(
            _("%(person)s has no regular party activity in a cell on %(day)s.")
            % {"person": person, "day": day.strftime("%d/%m/%Y")}
        )
    return membership.unit


@transaction.atomic
def open_discipline_case(
    *,
    opened_on: dt.date,
    summary: str,
    acting_user: Any,
    person: Person | None = None,
    organisation: Unit | None = None,
    scope: Scope | str | None = None,
    post: Post | None = None,
    origin_case: OversightCase | None = None,
    origin_note: str = "",
    exempt_from_limitation: bool = False,
    exemption_reason: str = "",
) -> DisciplineCase:
    """Open the discipline case of a member (``person``) or a party organisation."""
    if (person is None) == (organisation is None):
        raise DisciplineError(_("A case concerns either one member or one party organisation."))
    if not summary.strip():
        raise DisciplineError(_("Summarise what the case is about."))
    if exempt_from_limitation and not exemption_reason.strip():
        raise DisciplineError(_("Say why the violation is exempt from the limitation period."))
    if person is not None:
        kind = _subject_kind_of(person)
        unit = _cell_of(person, opened_on)
        case_scope = Scope(scope or Scope.MEMBER_GENERAL)
        if case_scope == Scope.ORGANISATION:
            raise DisciplineError(_("A member's case cannot use the organisation row."))
        if post is not None:
            if post.person_id != person.pk:
                raise DisciplineError(_("The post belongs to someone else."))
            if not post.is_valid_on(opened_on):
                raise DisciplineError(
                    _("%(person)s did not hold this post on %(day)s.")
                    % {"person": person, "day": opened_on.strftime("%d/%m/%Y")}
                )
            if kind == SubjectKind.PROBATIONARY_MEMBER:
                post = None  # cách chức does not apply to probationary members (QĐ 69 Điều 7)
    else:
        assert organisation is not None
        if organisation.is_organ:
            raise DisciplineError(_("Choose a party organisation, not a committee organ."))
        if not organisation.is_valid_on(opened_on):
            raise DisciplineError(_("This organisation did not exist on that day."))
        kind, unit, case_scope, post = (
            SubjectKind.ORGANISATION,
            organisation,
            Scope.ORGANISATION,
            None,
        )
    case = DisciplineCase(
        subject_kind=kind,
        person=person,
        organisation=organisation,
        unit=unit,
        post=post,
        scope=case_scope,
        opened_on=opened_on,
        summary=summary.strip(),
        origin_case=origin_case,
        origin_note=origin_note.strip(),
        exempt_from_limitation=exempt_from_limitation,
        exemption_reason=exemption_reason.strip(),
        created_by=acting_user,
    )
    case.save_versioned(expected_version=0)
    return case


def _require_active(case: DisciplineCase) -> None:
    if case.status not in (CaseStatus.OPEN, CaseStatus.PROPOSED, CaseStatus.DEFERRED):
        raise DisciplineError(
            _("This case is closed (%(status)s).") % {"status": case.get_status_display()}
        )


@transaction.atomic
def add_violation(
    *,
    case: DisciplineCase,
    group: CatalogueItem,
    description: str,
    started_on: dt.date,
    acting_user: Any,
    ended_on: dt.date | None = None,
    is_repeat: bool = False,
    provisions: Iterable[CatalogueItem] = (),
) -> Violation:
    """Add a violation coded on a violation-group catalogue in force at the time of the facts."""
    _require_active(case)
    if not description.strip():
        raise DisciplineError(_("Describe the violation."))
    if ended_on is not None and ended_on < started_on:
        raise DisciplineError(_("The violation ends before it starts."))
    last = ended_on or started_on
    if last > case.opened_on:
        raise DisciplineError(_("The violation cannot end after the case was opened."))
    wanted = (
        CatalogueKind.VIOLATION_GROUP_ORGANISATION
        if case.subject_kind == SubjectKind.ORGANISATION
        else CatalogueKind.VIOLATION_GROUP_MEMBER
    )
    catalogue = group.catalogue
    if catalogue.kind != wanted:
        raise DisciplineError(
            _("Choose a violation group for %(kind)s.") % {"kind": case.get_subject_kind_display()}
        )
    in_force = [
        day
        for day in (started_on, last)
        if catalogue.valid_from <= day and (catalogue.valid_to is None or day <= catalogue.valid_to)
    ]
    # Facts older than every catalogue of this kind are coded on the earliest one (an
    # administrator may add the older regulation's catalogue).
    covered = Catalogue.objects.filter(kind=wanted).valid_on(last).exists() or (
        Catalogue.objects.filter(kind=wanted).valid_on(started_on).exists()
    )
    earliest = Catalogue.objects.filter(kind=wanted).order_by("valid_from").first()
    if not in_force and (covered or earliest is None or earliest.pk != catalogue.pk):
        raise DisciplineError(
            _(
                "%(catalogue)s was not in force at the time of the facts (%(from)s–%(to)s); "
                "choose the group from the regulation in force then."
            )
            % {
                "catalogue": catalogue.source_document,
                "from": started_on.strftime("%d/%m/%Y"),
                "to": last.strftime("%d/%m/%Y"),
            }
        )
    violation = Violation.objects.create(
        case=case,
        group=group,
        description=description.strip(),
        started_on=started_on,
        ended_on=ended_on,
        is_repeat=is_repeat,
    )
    violation.provisions.set(list(provisions))
    return violation


@transaction.atomic
def record_deferral(
    *,
    case: DisciplineCase,
    reason: DeferralReason | str,
    valid_from: dt.date,
    acting_user: Any,
    valid_to: dt.date | None = None,
    note: str = "",
) -> Deferral:
    """Defer the case (QĐ 22 Điều 9 khoản 7): it may not be voted while the deferral lasts."""
    _require_active(case)
    if valid_to is not None and valid_to < valid_from:
        raise DisciplineError(_("The deferral ends before it starts."))
    if case.subject_kind == SubjectKind.ORGANISATION:
        raise DisciplineError(_("Deferral applies to members, not to organisations."))
    deferral = Deferral.objects.create(
        case=case,
        reason=DeferralReason(reason),
        valid_from=valid_from,
        valid_to=valid_to,
        note=note.strip(),
        recorded_by=acting_user,
    )
    DisciplineCase.objects.filter(pk=case.pk).update(status=CaseStatus.DEFERRED)
    case.status = CaseStatus.DEFERRED
    return deferral


@transaction.atomic
def end_deferral(*, deferral: Deferral, on: dt.date, acting_user: Any) -> Deferral:
    """End a deferral on ``on`` (its last day is the day before); the case is open again."""
    if on <= deferral.valid_from:
        raise DisciplineError(_("A deferral cannot end before it starts."))
    deferral.valid_to = on - ONE_DAY
    deferral.save(update_fields=["valid_to", "updated_at"])
    case = deferral.case
    if case.status == CaseStatus.DEFERRED:
        case.status = CaseStatus.PROPOSED if case.proposed_form else CaseStatus.OPEN
        DisciplineCase.objects.filter(pk=case.pk).update(status=case.status)
    return deferral


# --- limitation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LimitationCheck:
    """The limitation of each violation for one form, and whether all of them expired."""

    form: Form
    expiries: tuple[tuple[Violation, dt.date | None], ...]
    concluded_on: dt.date

    @property
    def time_barred(self) -> bool:
        return bool(self.expiries) and all(
            e is not None and self.concluded_on > e for _v, e in self.expiries
        )

    @property
    def latest_expiry(self) -> dt.date | None:
        dates = [e for _v, e in self.expiries]
        if not dates or any(d is None for d in dates):
            return None
        return max(d for d in dates if d is not None)


def check_limitation(
    case: DisciplineCase, form: Form | str, concluded_on: dt.date
) -> LimitationCheck:
    """Compare ``form`` with the limitation of each violation (QĐ 69 Điều 4; HD 02, 2021).

    A later violation by the same subject (in this case or another) restarts the period of an
    earlier one.
    """
    value = Form(form)
    violations = list(case.violations.all())
    subject_q = (
        Q(case__organisation=case.organisation)
        if case.subject_kind == SubjectKind.ORGANISATION
        else Q(case__person=case.person)
    )
    others = list(
        Violation.objects.filter(subject_q)
        .exclude(case__status=CaseStatus.ANNULLED)
        .values_list("started_on", flat=True)
    )
    expiries = []
    for violation in violations:
        reoffences = [d for d in others if d > violation.last_day]
        expiries.append(
            (
                violation,
                limitation_expiry(
                    value,
                    case.subject_kind,
                    violation.last_day,
                    reoffences,
                    exempt=case.exempt_from_limitation,
                ),
            )
        )
    return LimitationCheck(value, tuple(expiries), concluded_on)


# --- ballots and decisions ---------------------------------------------------------------------


@transaction.atomic
def record_ballot(
    *,
    case: DisciplineCase,
    expected_version: int,
    body: Unit,
    held_on: dt.date,
    purpose: BallotPurpose | str,
    total_members: int,
    present: int,
    votes: Mapping[Form, int] | Mapping[str, int],
    acting_user: Any,
    votes_none: int = 0,
) -> Ballot:
    """Record a secret-ballot count, tally it, then compare the form with the limitation.

    A deciding ballot leaves the case open for the decision document; a proposing ballot
    sends it to the competent body (status ``proposed``). No form reached, or the voted form
    time-barred, ends the case without discipline.
    """
    _require_active(case)
    if held_on < case.opened_on:
        raise DisciplineError(_("The ballot cannot come before the case was opened."))
    active = [d for d in case.deferrals.all() if d.covers(held_on)]
    if active:
        raise DisciplineError(
            _("The case is deferred on %(day)s (%(reason)s); it cannot be voted.")
            % {"day": held_on.strftime("%d/%m/%Y"), "reason": active[0].get_reason_display()}
        )
    if not case.violations.exists():
        raise DisciplineError(_("Record the violations before the ballot."))
    if present > total_members:
        raise DisciplineError(_("More members present than the body has."))
    clean = {Form(f): int(n) for f, n in votes.items() if int(n)}
    if sum(clean.values()) + votes_none > present:
        raise DisciplineError(
            _("%(n)s ballots counted but only %(present)s members were present.")
            % {"n": sum(clean.values()) + votes_none, "present": present}
        )
    ballot_purpose = BallotPurpose(purpose)
    confirming = ballot_purpose == BallotPurpose.DECIDE and case.status == CaseStatus.PROPOSED
    try:
        result = tally(
            clean,
            total_members,
            case.subject_kind,
            has_post=case.has_post,
            confirming_proposal=confirming,
        )
    except BallotError as exc:
        raise DisciplineError(str(exc)) from None
    check = check_limitation(case, result, held_on) if result else None
    ballot = Ballot.objects.create(
        case=case,
        body=body,
        held_on=held_on,
        purpose=ballot_purpose,
        total_members=total_members,
        present=present,
        votes_khien_trach=clean.get(Form.KHIEN_TRACH, 0),
        votes_canh_cao=clean.get(Form.CANH_CAO, 0),
        votes_cach_chuc=clean.get(Form.CACH_CHUC, 0),
        votes_khai_tru=clean.get(Form.KHAI_TRU, 0),
        votes_giai_tan=clean.get(Form.GIAI_TAN, 0),
        votes_none=votes_none,
        result_form=result.value if result else "",
        limitation_expiry=check.latest_expiry if check else None,
        time_barred=bool(check and check.time_barred),
        recorded_by=acting_user,
    )
    fields = ["status", "updated_at"]
    if result is None:
        case.status = CaseStatus.NO_DISCIPLINE
        case.no_discipline_reason = NoDisciplineReason.NOT_WARRANTED
        fields.append("no_discipline_reason")
    elif check is not None and check.time_barred:
        case.status = CaseStatus.NO_DISCIPLINE
        case.no_discipline_reason = NoDisciplineReason.TIME_BARRED
        fields.append("no_discipline_reason")
    elif ballot_purpose == BallotPurpose.PROPOSE:
        case.status = CaseStatus.PROPOSED
        case.proposed_form = result.value
        case.proposing_unit = body
        fields += ["proposed_form", "proposing_unit"]
    else:
        case.status = CaseStatus.OPEN
    case.save_versioned(expected_version=expected_version, update_fields=fields)
    return ballot


def _parse_decision_symbol(text: str) -> str:
    try:
        return format_symbol(parse_symbol(text))
    except SymbolError as exc:
        raise DisciplineError(
            _("The decision number and symbol '%(text)s' cannot be read: %(reason)s")
            % {"text": text, "reason": exc}
        ) from None


def _apply_effect(case: DisciplineCase, decision: DisciplineDecision, effective: dt.date) -> str:
    """Apply the effect of a decision on the tree and people; return a note saying what."""
    form = Form(decision.form)
    label = decision.symbol or decision.symbol_as_written
    if form == Form.CACH_CHUC and case.post is not None:
        post = case.post
        end = max(post.valid_from, effective - ONE_DAY)
        if post.valid_to is None or post.valid_to > end:
            post.valid_to = end
            post.ended_by = _("Removed from post (cách chức), decision %(symbol)s") % {
                "symbol": label
            }
            post.save(update_fields=["valid_to", "ended_by", "updated_at"])
        return _("Post %(post)s ended on %(day)s.") % {
            "post": post.title,
            "day": post.valid_to.strftime("%d/%m/%Y") if post.valid_to else "",
        }
    if form == Form.KHAI_TRU and case.person is not None:
        person = case.person
        person.status = MemberStatus.LEFT
        person.left_on = effective
        person.save(update_fields=["status", "left_on", "updated_at"])
        Membership.objects.filter(person=person).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=effective)
        ).update(valid_to=max(effective - ONE_DAY, dt.date.min))
        return _("Expelled: party membership ended on %(day)s.") % {
            "day": (effective - ONE_DAY).strftime("%d/%m/%Y")
        }
    if form == Form.GIAI_TAN:
        return _("Record the dissolution in the party tree (reorganisation).")
    return ""


@transaction.atomic
def record_decision(
    *,
    case: DisciplineCase,
    expected_version: int,
    form: Form | str,
    deciding_unit: Unit,
    decided_on: dt.date,
    symbol: str,
    acting_user: Any,
    announced_on: dt.date | None = None,
    received_on: dt.date | None = None,
) -> DisciplineDecision:
    """Record the disciplinary decision voted by the deciding body, and apply its effect.

    The decision takes effect when announced (Điều lệ Đảng Điều 39 khoản 6): cách chức ends the
    post, khai trừ ends the party membership.
    """
    if case.status not in (CaseStatus.OPEN, CaseStatus.PROPOSED):
        raise DisciplineError(
            _("No decision can be recorded: the case is %(status)s.")
            % {"status": case.get_status_display()}
        )
    value = Form(form)
    if value not in allowed_forms(case.subject_kind, case.has_post):
        raise DisciplineError(
            _("%(form)s cannot be applied to this subject.") % {"form": _form_name(value)}
        )
    ballot = case.ballots.filter(purpose=BallotPurpose.DECIDE).order_by("-held_on", "-pk").first()
    if ballot is None or ballot.result_form != value.value or ballot.time_barred:
        raise DisciplineError(
            _("Record the deciding body's ballot first; its result must be %(form)s.")
            % {"form": _form_name(value)}
        )
    if decided_on < ballot.held_on:
        raise DisciplineError(_("The decision cannot be dated before the ballot."))
    if announced_on is not None and announced_on < decided_on:
        raise DisciplineError(_("The decision cannot be announced before it is made."))
    if received_on is not None and received_on < decided_on:
        raise DisciplineError(_("The decision cannot be received before it is made."))
    decision = DisciplineDecision.objects.create(
        case=case,
        form=value,
        deciding_unit=deciding_unit,
        symbol=_parse_decision_symbol(symbol) if symbol.strip() else "",
        symbol_as_written=symbol.strip(),
        decided_on=decided_on,
        announced_on=announced_on,
        received_on=received_on,
        recorded_by=acting_user,
    )
    note = _apply_effect(case, decision, announced_on or decided_on)
    if note:
        decision.effect_note = note[:300]
        decision.save(update_fields=["effect_note", "updated_at"])
    case.status = CaseStatus.DECIDED
    case.current_form = value.value
    case.decided_on = decided_on
    case.deciding_unit = deciding_unit
    # The matrix row in force on the day of the decision, kept with the case (the matrix is
    # data an administrator may change later).
    case.authority_rule = authority_for(case, value, decided_on).rule
    case.save_versioned(
        expected_version=expected_version,
        update_fields=[
            "status",
            "current_form",
            "decided_on",
            "deciding_unit",
            "authority_rule",
            "updated_at",
        ],
    )
    return decision


@transaction.atomic
def close_without_discipline(
    *, case: DisciplineCase, expected_version: int, reason: str, acting_user: Any
) -> DisciplineCase:
    """End a case without discipline (withdrawn) — the reason is kept."""
    _require_active(case)
    case.status = CaseStatus.NO_DISCIPLINE
    case.no_discipline_reason = NoDisciplineReason(reason)
    case.save_versioned(
        expected_version=expected_version,
        update_fields=["status", "no_discipline_reason", "updated_at"],
    )
    return case


# --- complaints ----------------------------------------------------------------------------------


@transaction.atomic
def file_appeal(
    *,
    decision: DisciplineDecision,
    filed_on: dt.date,
    received_on: dt.date,
    resolving_unit: Unit,
    level: AppealLevel | str,
    grounds: str,
    acting_user: Any,
    central: bool = False,
) -> DisciplineAppeal:
    """Register a complaint against a decision, with its filing and resolution deadlines.

    Filed within one month of receiving the decision (Điều lệ Đảng Điều 39 khoản 7; rule
    ``discipline_complaint.file``); resolved within the limit of ``discipline_complaint.local``
    or ``.central`` from the resolving body's receipt. A late complaint is recorded as not
    accepted (QĐ 296 Điều 23). None is accepted after the final level has answered.
    """
    if decision.status != DecisionStatus.IN_FORCE:
        raise DisciplineError(_("Only a decision in force can be complained against."))
    if not grounds.strip():
        raise DisciplineError(_("State the grounds of the complaint."))
    received_decision = decision.received_on or decision.announced_on or decision.decided_on
    if filed_on < received_decision:
        raise DisciplineError(_("A complaint cannot be filed before the decision was received."))
    if received_on < filed_on:
        raise DisciplineError(_("The resolving body cannot receive it before it was filed."))
    final_done = decision.appeals.filter(level=AppealLevel.FINAL).exclude(
        outcome__in=[AppealOutcome.PENDING, AppealOutcome.INADMISSIBLE]
    )
    if final_done.exists():
        raise DisciplineError(_("The final level has already answered this complaint."))
    if decision.appeals.filter(outcome=AppealOutcome.PENDING).exists():
        raise DisciplineError(_("A complaint against this decision is still being resolved."))
    try:
        filing = due_date("discipline_complaint.file", received_decision)
        resolution = due_date(
            "discipline_complaint.central" if central else "discipline_complaint.local",
            received_on,
        )
    except DeadlineError as exc:
        raise DisciplineError(str(exc)) from None
    in_time = filed_on <= filing.due
    explanation = "\n".join([*filing.explanation.lines(), "", *resolution.explanation.lines()])
    return DisciplineAppeal.objects.create(
        decision=decision,
        filed_on=filed_on,
        received_on=received_on,
        resolving_unit=resolving_unit,
        level=AppealLevel(level),
        central=central,
        grounds=grounds.strip(),
        filing_due=filing.due,
        filed_in_time=in_time,
        resolution_due=resolution.due,
        deadline_explanation=explanation,
        outcome=AppealOutcome.PENDING if in_time else AppealOutcome.INADMISSIBLE,
        resolved_on=None if in_time else filed_on,
        resolution_note="" if in_time else _("Filed after the one-month limit."),
        recorded_by=acting_user,
    )


@transaction.atomic
def resolve_appeal(
    *,
    appeal: DisciplineAppeal,
    outcome: AppealOutcome | str,
    resolved_on: dt.date,
    note: str,
    acting_user: Any,
    new_form: Form | str | None = None,
    new_symbol: str = "",
) -> DisciplineAppeal:
    """Answer a complaint: uphold, change the form (a new decision replaces the old) or annul."""
    if appeal.outcome != AppealOutcome.PENDING:
        raise DisciplineError(_("This complaint has already been answered."))
    result = AppealOutcome(outcome)
    if result == AppealOutcome.PENDING:
        raise DisciplineError(_("Choose the outcome."))
    if resolved_on < appeal.received_on:
        raise DisciplineError(_("It cannot be answered before it was received."))
    if not note.strip():
        raise DisciplineError(_("Write the answer given to the complainant."))
    decision = appeal.decision
    case = decision.case
    if result == AppealOutcome.CHANGED:
        if not new_form:
            raise DisciplineError(_("Choose the new form."))
        value = Form(new_form)
        if value == Form(decision.form):
            raise DisciplineError(_("The new form is the same as the old one."))
        if value not in allowed_forms(case.subject_kind, case.has_post):
            raise DisciplineError(
                _("%(form)s cannot be applied to this subject.") % {"form": _form_name(value)}
            )
        decision.status = DecisionStatus.CHANGED
        decision.save(update_fields=["status", "updated_at"])
        DisciplineDecision.objects.create(
            case=case,
            form=value,
            deciding_unit=appeal.resolving_unit,
            symbol=_parse_decision_symbol(new_symbol) if new_symbol.strip() else "",
            symbol_as_written=new_symbol.strip(),
            decided_on=resolved_on,
            announced_on=resolved_on,
            replaces=decision,
            recorded_by=acting_user,
        )
        DisciplineCase.objects.filter(pk=case.pk).update(current_form=value.value)
        appeal.new_form = value.value
    elif result == AppealOutcome.ANNULLED:
        decision.status = DecisionStatus.ANNULLED
        decision.save(update_fields=["status", "updated_at"])
        DisciplineCase.objects.filter(pk=case.pk).update(
            status=CaseStatus.ANNULLED, current_form=""
        )
    appeal.outcome = result
    appeal.resolved_on = resolved_on
    appeal.resolution_note = note.strip()
    appeal.save(
        update_fields=["outcome", "resolved_on", "resolution_note", "new_form", "updated_at"]
    )
    return appeal


@transaction.atomic
def record_rehabilitation(
    *,
    decision: DisciplineDecision,
    by_unit: Unit,
    decided_on: dt.date,
    rights_restored: str,
    acting_user: Any,
    apology_on: dt.date | None = None,
    apology_form: str = "",
    document_symbol: str = "",
) -> Rehabilitation:
    """Record the apology and restoration of rights after a wrongful decision (QĐ 117)."""
    if decision.status == DecisionStatus.IN_FORCE:
        raise DisciplineError(
            _("Rehabilitation follows a decision annulled or changed as wrongful.")
        )
    if hasattr(decision, "rehabilitation"):
        raise DisciplineError(_("The rehabilitation is already recorded."))
    if not rights_restored.strip():
        raise DisciplineError(_("Say which rights and interests were restored."))
    if apology_on is not None and apology_on < decided_on:
        raise DisciplineError(_("The apology cannot come before the rehabilitation decision."))
    return Rehabilitation.objects.create(
        decision=decision,
        by_unit=by_unit,
        decided_on=decided_on,
        apology_on=apology_on,
        apology_form=apology_form.strip(),
        rights_restored=rights_restored.strip(),
        document_symbol=_parse_decision_symbol(document_symbol) if document_symbol.strip() else "",
        recorded_by=acting_user,
    )
