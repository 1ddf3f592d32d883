"""Writers of inspection, supervision, criticism and commitment records.

Every function is keyword-only, takes the ``acting_user`` (None only for the demo loader and
data migrations), runs in one transaction and raises ``OversightError`` with a message for the
user when the input cannot be accepted: nothing is half-written. Changes are logged by
django-auditlog (models registered in ``OversightConfig.ready``). Views and the API check the
acting user's capability at the record's unit (``can_manage``) before calling.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import unit_in_scope
from giamsat.core.files import attachments_of, save_attachment
from giamsat.core.models import ConcurrentEditError
from giamsat.directives.models import Directive
from giamsat.directives.symbols import SymbolError, format_symbol, parse_symbol
from giamsat.oversight.models import (
    Case,
    CaseKind,
    CaseStatus,
    CaseStep,
    CaseSubject,
    CatalogueItem,
    Commitment,
    CommitmentItem,
    CommitmentItemStatus,
    CommitmentOrigin,
    Criticism,
    Finding,
    FindingKind,
    FollowUp,
    FollowUpAssessment,
    FollowUpKind,
    ItemStatus,
    Programme,
    ProgrammeItem,
    StepKind,
    SupervisionActivity,
    SupervisionMethod,
    TeamMember,
    TeamRole,
)
from giamsat.people.models import Person
from giamsat.units.models import Unit

__all__ = [
    "ConcurrentEditError",
    "ItemSpec",
    "OversightError",
    "SubjectSpec",
    "TeamSpec",
    "add_commitment_item",
    "add_finding",
    "add_programme_item",
    "add_subject",
    "add_team_member",
    "can_manage",
    "cancel_case",
    "close_commitment_item",
    "complete_catalogue_item",
    "conclude_case",
    "create_commitment",
    "create_programme",
    "normalise_symbol",
    "open_case",
    "record_criticism",
    "record_follow_up",
    "record_step",
    "record_supervision_activity",
    "update_case",
    "withdraw_commitment_item",
]


class OversightError(ValueError):
    """Input that cannot be accepted; the message is shown to the user as it is."""


def can_manage(user: Any, unit: Unit, capability: Cap = Cap.MANAGE_OVERSIGHT) -> bool:
    """Whether ``user`` may write oversight records owned by ``unit``."""
    return user is not None and unit_in_scope(user, unit, capability)


def normalise_symbol(text: str, *, party: bool = True) -> str:
    """A party document symbol in the HD 36 form ("05-TB/UBKT"); state symbols kept as typed.

    Raises OversightError with the parser's reason when a party symbol cannot be read.
    """
    raw = (text or "").strip()
    if not raw or not party:
        return raw
    try:
        return format_symbol(parse_symbol(raw))
    except SymbolError as exc:
        raise OversightError(
            _("The number and symbol '%(text)s' cannot be read: %(reason)s")
            % {"text": raw, "reason": exc}
        ) from None


def _check_unit_alive(unit: Unit, day: dt.date, what: str) -> None:
    if not unit.is_valid_on(day):
        raise OversightError(
            _("%(what)s %(unit)s did not exist on %(day)s.")
            % {"what": what, "unit": unit, "day": day.strftime("%d/%m/%Y")}
        )


# --- catalogues --------------------------------------------------------------------------------


@transaction.atomic
def complete_catalogue_item(
    *,
    item: CatalogueItem,
    label: str,
    text: str,
    status: str,
    source: str,
    acting_user: Any,
    topic: str | None = None,
) -> CatalogueItem:
    """Complete or correct a catalogue item from the official text (administrators)."""
    if status == ItemStatus.CONFIRMED and not text.strip():
        raise OversightError(_("An item marked as read verbatim needs its text."))
    if status != ItemStatus.UNCONFIRMED and not source.strip():
        raise OversightError(_("Say where the text was read (the source)."))
    if not label.strip():
        raise OversightError(_("The short label is required."))
    item.label = label.strip()
    item.text = text.strip()
    item.status = ItemStatus(status)
    item.source = source.strip()
    if topic is not None:
        item.topic = topic.strip()
    item.completed_by = acting_user
    item.save()
    return item


# --- programmes --------------------------------------------------------------------------------


@transaction.atomic
def create_programme(
    *,
    conducting_unit: Unit,
    year: int,
    title: str,
    acting_user: Any,
    adopted_on: dt.date | None = None,
    document_symbol: str = "",
    note: str = "",
) -> Programme:
    """Create the annual inspection and supervision programme of a body."""
    if not (2000 <= year <= 2100):
        raise OversightError(_("The year %(year)s is not plausible.") % {"year": year})
    starts, ends = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if conducting_unit.valid_from > ends or (
        conducting_unit.valid_to is not None and conducting_unit.valid_to < starts
    ):
        raise OversightError(
            _("%(unit)s did not exist in %(year)s.") % {"unit": conducting_unit, "year": year}
        )
    if Programme.objects.filter(conducting_unit=conducting_unit, year=year).exists():
        raise OversightError(
            _("%(unit)s already has a programme for %(year)s.")
            % {"unit": conducting_unit, "year": year}
        )
    return Programme.objects.create(
        conducting_unit=conducting_unit,
        year=year,
        title=title.strip(),
        adopted_on=adopted_on,
        document_symbol=normalise_symbol(document_symbol),
        note=note,
    )


@transaction.atomic
def add_programme_item(
    *,
    programme: Programme,
    kind: str,
    content: str,
    planned_start: dt.date,
    planned_end: dt.date,
    acting_user: Any,
    subject_unit: Unit | None = None,
    subject_person: Person | None = None,
    subject_text: str = "",
    ad_hoc: bool = False,
) -> ProgrammeItem:
    """Add a planned item (or one added during the year, ``ad_hoc``) to a programme."""
    if planned_end < planned_start:
        raise OversightError(_("The planned period ends before it starts."))
    if planned_start.year != programme.year and planned_end.year != programme.year:
        raise OversightError(
            _("The planned period must fall in %(year)s, the year of the programme.")
            % {"year": programme.year}
        )
    if not (subject_unit or subject_person or subject_text.strip()):
        raise OversightError(_("Name the subject of the item."))
    return ProgrammeItem.objects.create(
        programme=programme,
        kind=CaseKind(kind),
        content=content.strip(),
        planned_start=planned_start,
        planned_end=planned_end,
        subject_unit=subject_unit,
        subject_person=subject_person,
        subject_text=subject_text.strip(),
        ad_hoc=ad_hoc,
    )


# --- cases -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubjectSpec:
    unit: Unit | None = None
    person: Person | None = None
    position: str = ""
    name: str = ""  # an agency outside the party tree (state inspections only)


@dataclass(frozen=True)
class TeamSpec:
    role: str
    person: Person | None = None
    name: str = ""
    agency: str = ""


@transaction.atomic
def open_case(
    *,
    kind: str,
    conducting_unit: Unit,
    title: str,
    decided_on: dt.date,
    acting_user: Any,
    content: str = "",
    state_body: str = "",
    decision_symbol: str = "",
    programme_item: ProgrammeItem | None = None,
    reinspection_of: Case | None = None,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
    subjects: Sequence[SubjectSpec] = (),
    team: Sequence[TeamSpec] = (),
    directives: Iterable[Directive] = (),
) -> Case:
    """Open an inspection or supervision with its decision (the first step of preparation)."""
    case_kind = CaseKind(kind)
    _check_unit_alive(conducting_unit, decided_on, _("The conducting body"))
    is_state = case_kind == CaseKind.STATE_INSPECTION
    if is_state and not state_body.strip():
        raise OversightError(_("Name the state body that conducts the inspection."))
    if not title.strip():
        raise OversightError(_("The title is required."))
    if period_from and period_to and period_to < period_from:
        raise OversightError(_("The period inspected ends before it starts."))
    if programme_item is not None and programme_item.programme.conducting_unit_id not in (
        conducting_unit.pk,
    ):
        raise OversightError(_("The programme item belongs to another body's programme."))
    case = Case(
        kind=case_kind,
        conducting_unit=conducting_unit,
        state_body=state_body.strip() if is_state else "",
        title=title.strip(),
        content=content.strip(),
        decided_on=decided_on,
        decision_symbol=normalise_symbol(decision_symbol, party=not is_state),
        programme_item=programme_item,
        reinspection_of=reinspection_of,
        period_from=period_from,
        period_to=period_to,
        created_by=acting_user,
    )
    case.save_versioned(expected_version=0)
    case.directives.set(list(directives))
    for spec in subjects:
        _add_subject(case, spec)
    for member in team:
        _add_team(case, member)
    CaseStep.objects.create(
        case=case,
        kind=StepKind.DECISION,
        date=decided_on,
        document_symbol=case.decision_symbol,
        recorded_by=acting_user,
    )
    return case


def _add_subject(case: Case, spec: SubjectSpec) -> CaseSubject:
    given = [x for x in (spec.unit, spec.person, spec.name.strip() or None) if x is not None]
    if len(given) != 1:
        raise OversightError(_("A subject is either a collective or an individual."))
    if spec.name.strip() and case.kind != CaseKind.STATE_INSPECTION:
        raise OversightError(
            _("Only a state inspection has subjects outside the party tree; choose a unit.")
        )
    if spec.unit is not None and case.subjects.filter(unit=spec.unit).exists():
        raise OversightError(_("%(unit)s is already a subject.") % {"unit": spec.unit})
    if spec.person is not None and case.subjects.filter(person=spec.person).exists():
        raise OversightError(_("%(person)s is already a subject.") % {"person": spec.person})
    return CaseSubject.objects.create(
        case=case,
        unit=spec.unit,
        person=spec.person,
        name=spec.name.strip(),
        position=spec.position.strip(),
    )


def _add_team(case: Case, spec: TeamSpec) -> TeamMember:
    if spec.person is None and not spec.name.strip():
        raise OversightError(_("A team member needs a person or a name."))
    role = TeamRole(spec.role)
    if role == TeamRole.HEAD and case.team.filter(role=TeamRole.HEAD).exists():
        raise OversightError(_("The team already has a head."))
    return TeamMember.objects.create(
        case=case, person=spec.person, name=spec.name.strip(), role=role, agency=spec.agency
    )


def _require_open(case: Case) -> None:
    if case.status != CaseStatus.OPEN:
        raise OversightError(
            _("This case is %(status)s; it can no longer be changed.")
            % {"status": case.get_status_display()}
        )


@transaction.atomic
def add_subject(
    *,
    case: Case,
    acting_user: Any,
    unit: Unit | None = None,
    person: Person | None = None,
    position: str = "",
    name: str = "",
) -> CaseSubject:
    """Add a subject (a collective or an individual) to an open case."""
    _require_open(case)
    return _add_subject(case, SubjectSpec(unit, person, position, name))


@transaction.atomic
def add_team_member(
    *,
    case: Case,
    role: str,
    acting_user: Any,
    person: Person | None = None,
    name: str = "",
    agency: str = "",
) -> TeamMember:
    """Add a member to the team of an open case."""
    _require_open(case)
    return _add_team(case, TeamSpec(role, person, name, agency))


_EDITABLE = {"title", "content", "period_from", "period_to", "decision_symbol"}


@transaction.atomic
def update_case(*, case: Case, expected_version: int, acting_user: Any, **fields: Any) -> Case:
    """Change the descriptive fields of an open case (optimistic locking)."""
    _require_open(case)
    unknown = set(fields) - _EDITABLE
    if unknown:
        raise OversightError(_("These fields cannot be changed here: %(f)s") % {"f": unknown})
    if "decision_symbol" in fields:
        fields["decision_symbol"] = normalise_symbol(
            fields["decision_symbol"], party=case.kind != CaseKind.STATE_INSPECTION
        )
    for name, value in fields.items():
        setattr(case, name, value.strip() if isinstance(value, str) else value)
    if case.period_from and case.period_to and case.period_to < case.period_from:
        raise OversightError(_("The period inspected ends before it starts."))
    case.save_versioned(expected_version=expected_version, update_fields=[*fields, "updated_at"])
    return case


@transaction.atomic
def record_step(
    *,
    case: Case,
    kind: str,
    date: dt.date,
    acting_user: Any,
    document_symbol: str = "",
    note: str = "",
    upload: UploadedFile | None = None,
) -> CaseStep:
    """Record a dated step of a phase, with its document and an optional file."""
    step_kind = StepKind(kind)
    if step_kind == StepKind.CONCLUSION:
        raise OversightError(_("Record the conclusion with the conclusion form."))
    if step_kind == StepKind.CONCLUSION_NOTICE:
        if case.status != CaseStatus.CONCLUDED:
            raise OversightError(_("The notice of conclusion comes after the conclusion."))
    else:
        _require_open(case)
    if step_kind == StepKind.DECISION and case.steps.filter(kind=StepKind.DECISION).exists():
        raise OversightError(_("The decision is already recorded."))
    if date < case.decided_on:
        raise OversightError(
            _("A step cannot be dated before the decision (%(day)s).")
            % {"day": case.decided_on.strftime("%d/%m/%Y")}
        )
    if case.concluded_on and step_kind == StepKind.CONCLUSION_NOTICE and date < case.concluded_on:
        raise OversightError(_("The notice cannot be dated before the conclusion."))
    step = CaseStep.objects.create(
        case=case,
        kind=step_kind,
        date=date,
        document_symbol=normalise_symbol(
            document_symbol, party=case.kind != CaseKind.STATE_INSPECTION
        ),
        note=note.strip(),
        recorded_by=acting_user,
    )
    if upload is not None:
        _attach(step, upload, acting_user)
    return step


def _attach(owner: models.Model, upload: UploadedFile, acting_user: Any) -> None:
    try:
        save_attachment(owner=owner, upload=upload, acting_user=acting_user)
    except ValidationError as exc:
        raise OversightError(" ".join(exc.messages)) from None


@transaction.atomic
def add_finding(
    *,
    case: Case,
    kind: str,
    text: str,
    acting_user: Any,
    subject: CaseSubject | None = None,
    catalogue_item: CatalogueItem | None = None,
) -> Finding:
    """Add a finding (strength, shortcoming, violation), coded on a catalogue item if given."""
    _require_open(case)
    if not text.strip():
        raise OversightError(_("Describe the finding."))
    if subject is not None and subject.case_id != case.pk:
        raise OversightError(_("The subject belongs to another case."))
    finding_kind = FindingKind(kind)
    if catalogue_item is not None and finding_kind == FindingKind.STRENGTH:
        raise OversightError(_("Strengths are not coded on a catalogue of violations."))
    return Finding.objects.create(
        case=case,
        kind=finding_kind,
        text=text.strip(),
        subject=subject,
        catalogue_item=catalogue_item,
        recorded_by=acting_user,
    )


@transaction.atomic
def conclude_case(
    *,
    case: Case,
    expected_version: int,
    concluded_on: dt.date,
    acting_user: Any,
    strengths: str = "",
    shortcomings: str = "",
    violations: str = "",
    recommendations: str = "",
    conclusion_symbol: str = "",
) -> Case:
    """Record the conclusion (kết luận): strengths, shortcomings, violations; close the case."""
    _require_open(case)
    if concluded_on < case.decided_on:
        raise OversightError(_("The conclusion cannot come before the decision."))
    if not case.subjects.exists():
        raise OversightError(_("Add at least one subject before concluding."))
    if not (strengths.strip() or shortcomings.strip() or violations.strip()):
        raise OversightError(_("Write the conclusion: strengths, shortcomings or violations."))
    is_state = case.kind == CaseKind.STATE_INSPECTION
    case.concluded_on = concluded_on
    case.strengths = strengths.strip()
    case.shortcomings = shortcomings.strip()
    case.violations = violations.strip()
    case.recommendations = recommendations.strip()
    case.conclusion_symbol = normalise_symbol(conclusion_symbol, party=not is_state)
    case.status = CaseStatus.CONCLUDED
    case.save_versioned(
        expected_version=expected_version,
        update_fields=[
            "concluded_on",
            "strengths",
            "shortcomings",
            "violations",
            "recommendations",
            "conclusion_symbol",
            "status",
            "updated_at",
        ],
    )
    CaseStep.objects.create(
        case=case,
        kind=StepKind.CONCLUSION,
        date=concluded_on,
        document_symbol=case.conclusion_symbol,
        recorded_by=acting_user,
    )
    return case


@transaction.atomic
def cancel_case(*, case: Case, expected_version: int, reason: str, acting_user: Any) -> Case:
    """Cancel an open case, with the reason (it is then counted nowhere)."""
    _require_open(case)
    if not reason.strip():
        raise OversightError(_("Give the reason for cancelling."))
    case.status = CaseStatus.CANCELLED
    case.cancelled_reason = reason.strip()[:300]
    case.save_versioned(
        expected_version=expected_version,
        update_fields=["status", "cancelled_reason", "updated_at"],
    )
    return case


# --- regular supervision -----------------------------------------------------------------------


@transaction.atomic
def record_supervision_activity(
    *,
    conducting_unit: Unit,
    date: dt.date,
    method: str,
    content: str,
    acting_user: Any,
    subject_unit: Unit | None = None,
    subject_person: Person | None = None,
    observations: str = "",
    reminder_needed: bool = False,
) -> SupervisionActivity:
    """Record a dated act of regular supervision."""
    _check_unit_alive(conducting_unit, date, _("The conducting body"))
    if not content.strip():
        raise OversightError(_("Describe what was supervised."))
    return SupervisionActivity.objects.create(
        conducting_unit=conducting_unit,
        date=date,
        method=SupervisionMethod(method),
        content=content.strip(),
        subject_unit=subject_unit,
        subject_person=subject_person,
        observations=observations.strip(),
        reminder_needed=reminder_needed,
        recorded_by=acting_user,
    )


# --- criticism ---------------------------------------------------------------------------------


@transaction.atomic
def record_criticism(
    *,
    by_unit: Unit,
    date: dt.date,
    reason: str,
    acting_user: Any,
    subject_unit: Unit | None = None,
    subject_person: Person | None = None,
    subject_position: str = "",
    case: Case | None = None,
    directives: Iterable[Directive] = (),
    document_symbol: str = "",
) -> Criticism:
    """Record that a body criticised a collective and/or its head, when and why."""
    _check_unit_alive(by_unit, date, _("The criticising body"))
    if subject_unit is None and subject_person is None:
        raise OversightError(_("Name the collective or the person criticised."))
    if not reason.strip():
        raise OversightError(_("Give the reason for the criticism."))
    criticism = Criticism.objects.create(
        by_unit=by_unit,
        date=date,
        reason=reason.strip(),
        subject_unit=subject_unit,
        subject_person=subject_person,
        subject_position=subject_position.strip(),
        case=case,
        document_symbol=normalise_symbol(document_symbol),
        recorded_by=acting_user,
    )
    criticism.directives.set(list(directives))
    return criticism


# --- commitments -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemSpec:
    text: str
    due_on: dt.date


def _check_item(text: str, due_on: dt.date, signed_on: dt.date) -> None:
    if not text.strip():
        raise OversightError(_("Each commitment item needs a text."))
    if due_on < signed_on:
        raise OversightError(
            _("The deadline %(due)s is before the commitment was signed.")
            % {"due": due_on.strftime("%d/%m/%Y")}
        )


@transaction.atomic
def create_commitment(
    *,
    supervising_unit: Unit,
    origin_kind: str,
    signed_on: dt.date,
    items: Sequence[ItemSpec],
    acting_user: Any,
    subject_unit: Unit | None = None,
    subject_person: Person | None = None,
    origin: models.Model | None = None,
    summary: str = "",
) -> Commitment:
    """Record a remedial commitment with its items and deadlines.

    ``origin`` may be any record (a criticism, a concluded case, an annual evaluation of the
    evaluation app); ``origin_kind`` says which kind of event it was.
    """
    if subject_unit is None and subject_person is None:
        raise OversightError(_("Name who commits: a collective or a person."))
    if not items:
        raise OversightError(_("A commitment needs at least one item with a deadline."))
    for spec in items:
        _check_item(spec.text, spec.due_on, signed_on)
    kind = CommitmentOrigin(origin_kind)
    if (
        kind == CommitmentOrigin.CONCLUSION
        and isinstance(origin, Case)
        and origin.status != CaseStatus.CONCLUDED
    ):
        raise OversightError(_("The case is not concluded yet."))
    commitment = Commitment.objects.create(
        subject_unit=subject_unit,
        subject_person=subject_person,
        supervising_unit=supervising_unit,
        origin_kind=kind,
        origin_type=ContentType.objects.get_for_model(origin) if origin is not None else None,
        origin_id=origin.pk if origin is not None else None,
        origin_label=str(origin)[:300] if origin is not None else "",
        signed_on=signed_on,
        summary=summary.strip(),
        created_by=acting_user,
    )
    CommitmentItem.objects.bulk_create(
        [CommitmentItem(commitment=commitment, text=s.text.strip(), due_on=s.due_on) for s in items]
    )
    return commitment


@transaction.atomic
def add_commitment_item(
    *, commitment: Commitment, text: str, due_on: dt.date, acting_user: Any
) -> CommitmentItem:
    """Add an item to a commitment."""
    _check_item(text, due_on, commitment.signed_on)
    return CommitmentItem.objects.create(commitment=commitment, text=text.strip(), due_on=due_on)


@transaction.atomic
def close_commitment_item(
    *,
    item: CommitmentItem,
    closed_on: dt.date,
    justification: str,
    acting_user: Any,
    evidence: UploadedFile | None = None,
) -> CommitmentItem:
    """Close an item: it needs evidence (a file) and a justification."""
    if item.status != CommitmentItemStatus.OPEN:
        raise OversightError(_("This item is not open."))
    if not justification.strip():
        raise OversightError(_("Explain why the item can be closed (justification)."))
    if closed_on < item.commitment.signed_on:
        raise OversightError(_("An item cannot be closed before the commitment was signed."))
    if evidence is not None:
        _attach(item, evidence, acting_user)
    elif not attachments_of(item).exists():
        raise OversightError(_("Attach the evidence of the correction (a file)."))
    item.status = CommitmentItemStatus.CLOSED
    item.closed_on = closed_on
    item.justification = justification.strip()
    item.closed_by = acting_user
    item.save(update_fields=["status", "closed_on", "justification", "closed_by", "updated_at"])
    return item


@transaction.atomic
def withdraw_commitment_item(
    *, item: CommitmentItem, reason: str, on: dt.date, acting_user: Any
) -> CommitmentItem:
    """Withdraw an item that no longer applies (with the reason); it counts nowhere."""
    if item.status != CommitmentItemStatus.OPEN:
        raise OversightError(_("This item is not open."))
    if not reason.strip():
        raise OversightError(_("Give the reason for withdrawing the item."))
    item.status = CommitmentItemStatus.WITHDRAWN
    item.closed_on = on
    item.justification = reason.strip()
    item.closed_by = acting_user
    item.save(update_fields=["status", "closed_on", "justification", "closed_by", "updated_at"])
    return item


@transaction.atomic
def record_follow_up(
    *,
    commitment: Commitment,
    date: dt.date,
    kind: str,
    by_unit: Unit,
    assessment: str,
    acting_user: Any,
    note: str = "",
    item: CommitmentItem | None = None,
    case: Case | None = None,
) -> FollowUp:
    """Record a follow-up supervision, a verification or a re-inspection of a commitment."""
    if date < commitment.signed_on:
        raise OversightError(_("A follow-up cannot come before the commitment was signed."))
    if item is not None and item.commitment_id != commitment.pk:
        raise OversightError(_("The item belongs to another commitment."))
    follow_kind = FollowUpKind(kind)
    if follow_kind == FollowUpKind.REINSPECTION and case is None:
        raise OversightError(_("A re-inspection refers to its case."))
    return FollowUp.objects.create(
        commitment=commitment,
        item=item,
        date=date,
        kind=follow_kind,
        by_unit=by_unit,
        assessment=FollowUpAssessment(assessment),
        note=note.strip(),
        case=case,
        recorded_by=acting_user,
    )
