"""The only writers of petition state. Every function is keyword-only, takes the acting user
(None only for the anonymous public hotline), runs in one transaction, and records an event.

Edits of a petition go through ``VersionedModel.save_versioned(expected_version=...)``: a form
that was loaded before someone else's change is refused with ``ConcurrentEditError`` and
nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from giamsat.accounts.models import User
from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import unit_in_scope
from giamsat.audit.models import AccessKind
from giamsat.audit.services import record_access
from giamsat.core import deadlines
from giamsat.core.dates import today
from giamsat.core.files import save_attachment
from giamsat.core.links import link_records
from giamsat.core.models import LinkKind
from giamsat.core.text import search_key
from giamsat.people.models import Person
from giamsat.petitions import access, receipts, rules, sealing
from giamsat.petitions.models import (
    AlertStatus,
    Channel,
    Complexity,
    EventKind,
    Extension,
    FollowUp,
    GrantStatus,
    HotSpotAlert,
    IdentityGrant,
    Outcome,
    Petition,
    PetitionClass,
    PetitionEvent,
    SealedIdentity,
    Status,
    Suspension,
    Transfer,
)
from giamsat.units.models import Level, Unit, UnitAncestry, UnitKind

IDENTITY_FIELDS = ("full_name", "address", "phone", "email", "id_number", "representatives")


class PetitionError(ValidationError):
    """A request that the rules refuse; the message says why, in the user's language."""


class IdentityAccessRefused(PermissionDenied):
    """No approved, unexpired grant for this user (the refusal is logged)."""


@dataclass(frozen=True)
class IdentityData:
    """The petitioner's identity and contact details: sealed, never stored in clear."""

    full_name: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    id_number: str = ""
    representatives: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        fields = [self.full_name, self.address, self.phone, self.email, self.id_number]
        return not any(f.strip() for f in [*fields, *self.representatives])

    @sensitive_variables()
    def as_dict(self) -> dict[str, Any]:
        return {
            "full_name": self.full_name.strip(),
            "address": self.address.strip(),
            "phone": self.phone.strip(),
            "email": self.email.strip(),
            "id_number": self.id_number.strip(),
            "representatives": [r.strip() for r in self.representatives if r.strip()],
        }

    def __repr__(self) -> str:  # never print the content (logs, error reports)
        return "IdentityData(<sealed>)"

    __str__ = __repr__


@dataclass(frozen=True)
class NewPetition:
    """What an intake (public or staff) records about a letter."""

    unit: Unit
    channel: str
    content: str
    received_on: dt.date
    declared_class: str = PetitionClass.UNCLASSIFIED
    subject_text: str = ""
    place: str = ""
    topic: str = ""
    summary: str = ""
    signer_count: int = 1
    representative_count: int = 0
    sender_body: str = ""
    sender_reference: str = ""
    identity: IdentityData = field(default_factory=IdentityData)

    def __repr__(self) -> str:
        return f"NewPetition(unit={self.unit.pk}, channel={self.channel})"


# --- helpers ----------------------------------------------------------------------------------


def _event(
    petition: Petition,
    kind: str,
    *,
    actor: User | None,
    note: str = "",
    public: bool = False,
    day: dt.date | None = None,
) -> PetitionEvent:
    return PetitionEvent.objects.create(
        petition=petition,
        kind=kind,
        actor=actor,
        note=note[:500],
        public=public,
        day=day or today(),
    )


def _refresh_search(petition: Petition) -> None:
    petition.place_key = search_key(petition.place)
    petition.text_search = search_key(
        " ".join(
            [
                petition.code,
                petition.summary,
                petition.subject_text,
                petition.place,
                petition.content,
            ]
        )
    )[:20000]


def _require(user: User | None, petition: Petition) -> None:
    """Refuse acting on a petition the user may not handle (scope or conflict)."""
    if user is None or not access.can_handle(user, petition):
        raise PermissionDenied


def _save(petition: Petition, expected_version: int, fields: Sequence[str]) -> None:
    _refresh_search(petition)
    petition.save_versioned(
        expected_version=expected_version,
        update_fields=[*fields, "place_key", "text_search", "updated_at"],
    )


def _is_central(unit: Unit) -> bool:
    target = unit
    if unit.kind == UnitKind.ORGAN:
        parent = unit.parent_on(unit.reference_date())
        target = parent or unit
    return target.level == Level.CENTRAL


def _files(owner: models.Model, files: Iterable[UploadedFile], user: User | None, note: str) -> int:
    count = 0
    for upload in files:
        save_attachment(owner=owner, upload=upload, acting_user=user, description=note)
        count += 1
    return count


def _subject_candidates(petition: Petition) -> tuple[list[int], list[int]]:
    """People and units named in the letter, inside the receiving unit's subtree.

    A conservative screen for conflicts of interest before anyone classifies the letter: a
    full name (two words or more) or a unit name found in the text makes that person or unit
    "concerned", which hides the letter from them and their colleagues; the officer who
    classifies it confirms or removes each one.
    """
    text = " " + search_key(f"{petition.subject_text} {petition.summary} {petition.content}") + " "
    subtree = UnitAncestry.objects.filter(ancestor=petition.received_by).values("descendant_id")
    in_subtree = Q(memberships__unit_id__in=subtree) | Q(posts__unit_id__in=subtree)
    haystack = models.Value(text, output_field=models.TextField())
    needle = Concat(models.Value(" "), models.F("name_search"), models.Value(" "))
    people = (
        Person.objects.filter(in_subtree, name_search__contains=" ")
        .annotate(haystack=haystack)
        .filter(haystack__contains=needle)
        .values_list("pk", flat=True)
        .distinct()
    )
    units = (
        Unit.objects.filter(pk__in=subtree)
        .exclude(kind=UnitKind.ORGAN)
        .annotate(haystack=haystack)
        .filter(haystack__contains=needle)
        .values_list("pk", flat=True)
    )
    return list(people[:50]), list(units[:50])


def recompute_deadlines(
    petition: Petition, *, calendar: deadlines.WorkCalendar | None = None, save: bool = True
) -> None:
    """Compute the processing and resolution due dates (and their explanations)."""
    cal = calendar or deadlines.WorkCalendar()
    process = deadlines.due_date("petition.process", petition.received_on, calendar=cal)
    petition.process_due_on = process.due
    petition.process_explanation = process.explanation.as_dict()
    petition.deadline_rule = ""
    petition.due_on = None
    petition.deadline_explanation = {}
    handled = petition.status in (Status.IN_HANDLING, Status.CONCLUDED, Status.ANSWERED)
    code = rules.resolution_rule_code(
        petition.petition_class, petition.matter, central=_is_central(petition.unit)
    )
    if handled and code is not None:
        competent = petition.competent_received_on or petition.received_on
        rule = deadlines.rule_on(code, competent)
        if rule.start_event == deadlines.StartEvent.ACCEPTANCE:
            start, received = (petition.accepted_on or competent), None
        else:
            start = petition.received_on
            received = competent if competent != petition.received_on else None
        flags = {
            "complex": petition.complexity == Complexity.COMPLEX,
            "especially_complex": petition.complexity == Complexity.ESPECIALLY_COMPLEX,
            "remote": petition.remote_area,
        }
        deadline = deadlines.due_date(
            rule,
            start,
            received_by_competent_on=received,
            extensions=[e.days for e in petition.extensions.all()],
            suspensions=[
                deadlines.Suspension(s.start, s.end, s.reason) for s in petition.suspensions.all()
            ],
            calendar=cal,
            **flags,
        )
        petition.deadline_rule = code
        petition.due_on = deadline.due
        petition.deadline_explanation = deadline.explanation.as_dict()
    if save:
        Petition.objects.filter(pk=petition.pk).update(
            process_due_on=petition.process_due_on,
            process_explanation=petition.process_explanation,
            deadline_rule=petition.deadline_rule,
            due_on=petition.due_on,
            deadline_explanation=petition.deadline_explanation,
        )


def recompute_open_deadlines() -> int:
    """After a calendar or rule change: recompute every petition whose clock still runs."""
    cal = deadlines.WorkCalendar()
    count = 0
    for petition in Petition.objects.filter(
        status__in=[Status.RECEIVED, Status.AWAITING_RECEIPT, Status.IN_HANDLING]
    ).select_related("unit"):
        recompute_deadlines(petition, calendar=cal)
        count += 1
    return count


# --- intake -----------------------------------------------------------------------------------


@sensitive_variables()
def _create(spec: NewPetition, *, acting_user: User | None) -> tuple[Petition, str]:
    if not spec.content.strip():
        raise PetitionError(_("The content of the letter is required."))
    if spec.signer_count < 1:
        raise PetitionError(_("A letter has at least one signer."))
    identity = None
    if not spec.identity.is_empty():
        sealed = sealing.seal(spec.identity.as_dict())
        identity = SealedIdentity.objects.create(ciphertext=sealed)
    code = receipts.new_code()
    petition = Petition(
        code="",
        receipt_hash=receipts.hash_code(code),
        channel=spec.channel,
        received_on=spec.received_on,
        received_by=spec.unit,
        unit=spec.unit,
        sender_body=spec.sender_body[:255],
        sender_reference=spec.sender_reference[:100],
        declared_class=spec.declared_class or PetitionClass.UNCLASSIFIED,
        content=spec.content.strip(),
        summary=spec.summary.strip()[:300],
        subject_text=spec.subject_text.strip()[:500],
        place=spec.place.strip()[:255],
        topic=spec.topic or "",
        signer_count=spec.signer_count,
        representative_count=spec.representative_count,
        is_group=rules.is_group_petition(spec.signer_count, settings.GIAMSAT_GROUP_PETITION_MIN),
        is_anonymous=not spec.identity.full_name.strip(),
        identity=identity,
    )
    petition.save()
    petition.code = f"DT{spec.received_on:%Y}-{petition.pk:06d}"
    _refresh_search(petition)
    Petition.objects.filter(pk=petition.pk).update(
        code=petition.code, place_key=petition.place_key, text_search=petition.text_search
    )
    people, units = _subject_candidates(petition)
    petition.subject_people.set(people)
    petition.subject_units.set(units)
    recompute_deadlines(petition)
    _event(
        petition,
        EventKind.RECEIVED,
        actor=acting_user,
        note=str(Channel(spec.channel).label),
        public=True,
        day=spec.received_on,
    )
    return petition, code


@sensitive_variables()
@transaction.atomic
def submit_hotline(
    *, spec: NewPetition, files: Sequence[UploadedFile] = ()
) -> tuple[Petition, str]:
    """Record a letter sent through the public hotline; return it and its receipt code (the
    code is shown once to the sender and stored only as a keyed hash)."""
    if spec.channel != Channel.HOTLINE_WEB:
        raise PetitionError("the public hotline records hotline letters only")
    petition, code = _create(spec, acting_user=None)
    _files(petition, files, None, "hotline")
    from giamsat.petitions.hotspots import detect_clusters

    detect_clusters(on=petition.received_on, petition=petition)
    return petition, code


@sensitive_variables()
@transaction.atomic
def record_intake(
    *, spec: NewPetition, acting_user: User, files: Sequence[UploadedFile] = ()
) -> tuple[Petition, str]:
    """Record a letter received by phone, post, in person, or transferred by another body."""
    if not unit_in_scope(acting_user, spec.unit, Cap.HANDLE_PETITIONS):
        raise PermissionDenied
    if spec.received_on > today():
        raise PetitionError(_("The date received cannot be in the future."))
    if spec.channel == Channel.TRANSFERRED and not spec.sender_body.strip():
        raise PetitionError(_("Say which body transferred the letter."))
    petition, code = _create(spec, acting_user=acting_user)
    _files(petition, files, acting_user, "intake")
    from giamsat.petitions.hotspots import detect_clusters

    detect_clusters(on=petition.received_on, petition=petition)
    return petition, code


@transaction.atomic
def add_follow_up(*, petition: Petition, text: str, files: Sequence[UploadedFile] = ()) -> FollowUp:
    """The petitioner adds information with the receipt code (no login)."""
    if not text.strip() and not files:
        raise PetitionError(_("Write the additional information or attach a file."))
    follow_up = FollowUp.objects.create(petition=petition, text=text.strip())
    _files(petition, files, None, "follow-up")
    _event(petition, EventKind.SUPPLEMENTED, actor=None, public=True)
    return follow_up


# --- classification ---------------------------------------------------------------------------


@transaction.atomic
def classify(
    *,
    petition: Petition,
    acting_user: User,
    expected_version: int,
    petition_class: str,
    matter: str,
    admissible: bool,
    reasons: Sequence[str] = (),
    note: str = "",
    topic: str = "",
    summary: str = "",
    subject_people: Sequence[Person] = (),
    subject_units: Sequence[Unit] = (),
    complexity: str = "",
    remote_area: bool = False,
    signer_count: int | None = None,
    representative_count: int | None = None,
    on: dt.date | None = None,
) -> Petition:
    """Classify a letter (Thông tư 05/2021/TT-TTCP Điều 6) and decide whether it is handled."""
    _require(acting_user, petition)
    if petition.status not in (Status.RECEIVED,):
        raise PetitionError(_("Only a letter that is still being received can be classified."))
    if petition_class == PetitionClass.UNCLASSIFIED:
        raise PetitionError(_("Choose the class of the letter."))
    problem = rules.reasons_problem(admissible, reasons, note)
    if problem == "no_reason":
        raise PetitionError(_("Give at least one reason why the letter is not handled."))
    if problem == "other_without_note":
        raise PetitionError(_("Explain the other reason in the note."))
    if problem == "reasons_given_for_admissible":
        raise PetitionError(_("A letter that is handled has no reason for not being handled."))
    day = on or today()
    petition.petition_class = petition_class
    petition.matter = matter
    petition.topic = topic
    if summary.strip():
        petition.summary = summary.strip()[:300]
    petition.is_admissible = admissible
    petition.not_handled_reasons = list(dict.fromkeys(reasons))
    petition.not_handled_note = note.strip()
    petition.complexity = complexity
    petition.remote_area = remote_area
    if signer_count is not None:
        petition.signer_count = max(1, signer_count)
        petition.is_group = rules.is_group_petition(
            petition.signer_count, settings.GIAMSAT_GROUP_PETITION_MIN
        )
    if representative_count is not None:
        petition.representative_count = max(0, representative_count)
    petition.classified_on = day
    fields = [
        "petition_class",
        "matter",
        "topic",
        "summary",
        "is_admissible",
        "not_handled_reasons",
        "not_handled_note",
        "complexity",
        "remote_area",
        "signer_count",
        "is_group",
        "representative_count",
        "classified_on",
    ]
    if not admissible:
        petition.status = Status.NOT_HANDLED
        petition.closed_on = day
        fields += ["status", "closed_on"]
    _save(petition, expected_version, fields)
    petition.subject_people.set(subject_people)
    petition.subject_units.set(subject_units)
    recompute_deadlines(petition)
    if admissible:
        _event(
            petition,
            EventKind.CLASSIFIED,
            actor=acting_user,
            day=day,
            note=str(PetitionClass(petition_class).label),
        )
    else:
        _event(
            petition,
            EventKind.NOT_HANDLED,
            actor=acting_user,
            day=day,
            public=True,
            note="; ".join(petition.reason_labels()),
        )
    from giamsat.petitions.hotspots import detect_clusters

    detect_clusters(on=petition.received_on, petition=petition)
    return petition


@transaction.atomic
def split_contents(
    *,
    petition: Petition,
    acting_user: User,
    expected_version: int,
    contents: Sequence[tuple[str, str]],
    on: dt.date | None = None,
) -> list[Petition]:
    """Split a letter with several contents into one petition per content (class, text)."""
    _require(acting_user, petition)
    day = on or today()
    if petition.status != Status.RECEIVED:
        raise PetitionError(_("Only a letter that is still being received can be split."))
    if len([c for c in contents if c[1].strip()]) < 2:
        raise PetitionError(_("A letter is split into at least two contents."))
    children = []
    for number, (petition_class, text) in enumerate(contents, start=1):
        if not text.strip():
            continue
        child = Petition(
            code="",
            channel=petition.channel,
            received_on=petition.received_on,
            received_by=petition.received_by,
            unit=petition.unit,
            sender_body=petition.sender_body,
            sender_reference=petition.sender_reference,
            declared_class=petition_class,
            petition_class=PetitionClass.UNCLASSIFIED,
            content=text.strip(),
            summary=text.strip()[:300],
            subject_text=petition.subject_text,
            place=petition.place,
            topic=petition.topic,
            signer_count=petition.signer_count,
            representative_count=petition.representative_count,
            is_group=petition.is_group,
            is_anonymous=petition.is_anonymous,
            identity=petition.identity,
            parent=petition,
            competent_received_on=petition.competent_received_on,
        )
        child.save()
        child.code = f"{petition.code}-{number}"
        _refresh_search(child)
        Petition.objects.filter(pk=child.pk).update(
            code=child.code, place_key=child.place_key, text_search=child.text_search
        )
        child.subject_people.set(petition.subject_people.all())
        child.subject_units.set(petition.subject_units.all())
        recompute_deadlines(child)
        _event(
            child,
            EventKind.RECEIVED,
            actor=acting_user,
            note=petition.code,
            day=petition.received_on,
        )
        children.append(child)
    petition.status = Status.SPLIT
    petition.petition_class = PetitionClass.MIXED
    petition.closed_on = day
    _save(petition, expected_version, ["status", "petition_class", "closed_on"])
    _event(
        petition,
        EventKind.SPLIT,
        actor=acting_user,
        public=True,
        day=day,
        note=", ".join(c.code for c in children),
    )
    return children


# --- routing ----------------------------------------------------------------------------------


@transaction.atomic
def transfer(
    *,
    petition: Petition,
    acting_user: User,
    expected_version: int,
    slip_date: dt.date,
    to_unit: Unit | None = None,
    to_body: str = "",
    slip_number: str = "",
    reason: str = "",
) -> Transfer:
    """Transfer a letter (phiếu chuyển đơn) to the competent body: a unit in giamsat (the
    clock restarts on its receipt) or a body outside giamsat (the letter leaves the system)."""
    _require(acting_user, petition)
    if petition.status not in (Status.RECEIVED, Status.IN_HANDLING):
        raise PetitionError(_("This letter cannot be transferred in its current state."))
    if (to_unit is None) == (not to_body.strip()):
        raise PetitionError(_("Choose a party organisation or name another body, not both."))
    if to_unit is not None and to_unit.pk == petition.unit_id:
        raise PetitionError(_("The letter is already held by this organisation."))
    if slip_date > today() or slip_date < petition.received_on:
        raise PetitionError(_("The slip date must be between the date received and today."))
    slip = Transfer.objects.create(
        petition=petition,
        from_unit=petition.unit,
        to_unit=to_unit,
        to_body=to_body.strip()[:255],
        slip_number=slip_number.strip()[:60],
        slip_date=slip_date,
        reason=reason.strip()[:500],
        created_by=acting_user,
    )
    if to_unit is not None:
        petition.status = Status.AWAITING_RECEIPT
        petition.unit = to_unit
        petition.competent_received_on = None
        petition.accepted_on = None
        petition.handler = None
        fields = ["status", "unit", "competent_received_on", "accepted_on", "handler"]
    else:
        petition.status = Status.TRANSFERRED_OUT
        petition.closed_on = slip_date
        fields = ["status", "closed_on"]
    _save(petition, expected_version, fields)
    recompute_deadlines(petition)
    _event(
        petition,
        EventKind.TRANSFERRED,
        actor=acting_user,
        day=slip_date,
        public=True,
        note=slip.destination,
    )
    return slip


@transaction.atomic
def confirm_transfer_receipt(
    *, petition: Petition, acting_user: User, expected_version: int, received_on: dt.date
) -> Petition:
    """The competent unit confirms the day it received a transferred letter: its clock starts."""
    _require(acting_user, petition)
    if petition.status != Status.AWAITING_RECEIPT:
        raise PetitionError(_("This letter is not awaiting receipt."))
    slip = petition.transfers.filter(to_unit=petition.unit, received_on__isnull=True).last()
    if slip is None:
        raise PetitionError(_("No transfer slip to this organisation is open."))
    if received_on < slip.slip_date or received_on > today():
        raise PetitionError(_("The date received must be between the slip date and today."))
    slip.received_on = received_on
    slip.save(update_fields=["received_on"])
    petition.status = Status.RECEIVED
    petition.competent_received_on = received_on
    _save(petition, expected_version, ["status", "competent_received_on"])
    recompute_deadlines(petition)
    _event(petition, EventKind.TRANSFER_RECEIVED, actor=acting_user, day=received_on)
    return petition


@transaction.atomic
def accept(
    *,
    petition: Petition,
    acting_user: User,
    expected_version: int,
    accepted_on: dt.date,
    handler: User | None = None,
) -> Petition:
    """The holding body is competent and accepts the letter for handling (thụ lý): the time
    limit runs (from the competent body's receipt, or from acceptance where the law says so)."""
    _require(acting_user, petition)
    if petition.status != Status.RECEIVED:
        raise PetitionError(_("Only a letter that is still being received can be accepted."))
    if not petition.is_admissible or petition.petition_class in (
        PetitionClass.UNCLASSIFIED,
        PetitionClass.MIXED,
    ):
        raise PetitionError(_("Classify the letter as handled before accepting it."))
    competent = petition.competent_received_on or petition.received_on
    earliest = max(competent, petition.classified_on or competent)
    if accepted_on < earliest or accepted_on > today():
        raise PetitionError(
            _("The acceptance date must be between the date received (and classified) and today.")
        )
    if handler is not None and not access.can_handle(handler, petition):
        raise PetitionError(_("This person cannot handle the letter."))
    petition.status = Status.IN_HANDLING
    petition.competent_received_on = competent
    petition.accepted_on = accepted_on
    petition.handler = handler
    _save(petition, expected_version, ["status", "competent_received_on", "accepted_on", "handler"])
    recompute_deadlines(petition)
    _event(petition, EventKind.ACCEPTED, actor=acting_user, day=accepted_on, public=True)
    return petition


@transaction.atomic
def assign_handler(
    *, petition: Petition, acting_user: User, expected_version: int, handler: User | None
) -> Petition:
    _require(acting_user, petition)
    if handler is not None and not access.can_handle(handler, petition):
        raise PetitionError(_("This person cannot handle the letter."))
    petition.handler = handler
    _save(petition, expected_version, ["handler"])
    _event(petition, EventKind.ASSIGNED, actor=acting_user, note=str(handler or "—"))
    return petition


@transaction.atomic
def extend(
    *,
    petition: Petition,
    acting_user: User,
    expected_version: int,
    days: int,
    decided_on: dt.date,
    reason: str,
    decision_ref: str = "",
) -> Extension:
    """Extend the time limit as the rule allows (number and length of extensions)."""
    _require(acting_user, petition)
    if petition.status != Status.IN_HANDLING:
        raise PetitionError(_("Only a letter being handled can have its time limit extended."))
    if not reason.strip():
        raise PetitionError(_("Give the reason for the extension."))
    extension = Extension.objects.create(
        petition=petition,
        days=days,
        decided_on=decided_on,
        reason=reason.strip()[:500],
        decision_ref=decision_ref.strip()[:100],
        created_by=acting_user,
    )
    try:
        recompute_deadlines(petition, save=False)
    except deadlines.DeadlineError as exc:
        raise PetitionError(
            _("The rule does not allow this extension: %(why)s") % {"why": exc}
        ) from None
    _save(petition, expected_version, ["due_on", "deadline_explanation", "deadline_rule"])
    _event(
        petition,
        EventKind.EXTENDED,
        actor=acting_user,
        day=decided_on,
        public=True,
        note=_("%(days)d days") % {"days": days},
    )
    return extension


@transaction.atomic
def suspend(
    *,
    petition: Petition,
    acting_user: User,
    expected_version: int,
    start: dt.date,
    end: dt.date,
    reason: str,
) -> Suspension:
    """Suspend handling from ``start`` to ``end`` (inclusive): those days do not count."""
    _require(acting_user, petition)
    if petition.status != Status.IN_HANDLING:
        raise PetitionError(_("Only a letter being handled can be suspended."))
    if end < start:
        raise PetitionError(_("A suspension ends after it starts."))
    if not reason.strip():
        raise PetitionError(_("Give the reason for the suspension."))
    suspension = Suspension.objects.create(
        petition=petition, start=start, end=end, reason=reason.strip()[:500], created_by=acting_user
    )
    recompute_deadlines(petition, save=False)
    _save(petition, expected_version, ["due_on", "deadline_explanation", "deadline_rule"])
    _event(petition, EventKind.SUSPENDED, actor=acting_user, day=start, public=True)
    return suspension


@transaction.atomic
def conclude(
    *,
    petition: Petition,
    acting_user: User,
    expected_version: int,
    concluded_on: dt.date,
    outcome: str,
    conclusion: str,
) -> Petition:
    _require(acting_user, petition)
    if petition.status != Status.IN_HANDLING:
        raise PetitionError(_("Only a letter being handled can be concluded."))
    if not conclusion.strip():
        raise PetitionError(_("Write the conclusion."))
    if outcome not in Outcome.values or outcome == Outcome.UNSET:
        raise PetitionError(_("Choose the outcome."))
    start = petition.accepted_on or petition.received_on
    if concluded_on < start or concluded_on > today():
        raise PetitionError(_("The conclusion date must be between acceptance and today."))
    petition.status = Status.CONCLUDED
    petition.concluded_on = concluded_on
    petition.outcome = outcome
    petition.conclusion = conclusion.strip()
    petition.closed_on = concluded_on
    _save(
        petition, expected_version, ["status", "concluded_on", "outcome", "conclusion", "closed_on"]
    )
    _event(petition, EventKind.CONCLUDED, actor=acting_user, day=concluded_on, public=True)
    return petition


@transaction.atomic
def answer(
    *,
    petition: Petition,
    acting_user: User,
    expected_version: int,
    answered_on: dt.date,
    text: str,
) -> Petition:
    """Write the answer the petitioner reads with the receipt code (no identity inside)."""
    _require(acting_user, petition)
    if petition.status not in (
        Status.CONCLUDED,
        Status.ANSWERED,
        Status.NOT_HANDLED,
        Status.TRANSFERRED_OUT,
    ):
        raise PetitionError(_("Answer once the letter is concluded, transferred or not handled."))
    if not text.strip():
        raise PetitionError(_("Write the answer."))
    if answered_on > today() or answered_on < petition.received_on:
        raise PetitionError(_("The answer date must be between the date received and today."))
    petition.answered_on = answered_on
    petition.answer_text = text.strip()
    fields = ["answered_on", "answer_text"]
    if petition.status == Status.CONCLUDED:
        petition.status = Status.ANSWERED
        fields.append("status")
    _save(petition, expected_version, fields)
    _event(petition, EventKind.ANSWERED, actor=acting_user, day=answered_on, public=True)
    return petition


@transaction.atomic
def withdraw(
    *, petition: Petition, acting_user: User, expected_version: int, on: dt.date, note: str
) -> Petition:
    """The petitioner withdrew the letter (recorded by staff)."""
    _require(acting_user, petition)
    if not petition.is_open:
        raise PetitionError(_("This letter is already closed."))
    petition.status = Status.WITHDRAWN
    petition.closed_on = on
    _save(petition, expected_version, ["status", "closed_on"])
    _event(petition, EventKind.WITHDRAWN, actor=acting_user, day=on, note=note, public=True)
    return petition


@transaction.atomic
def link_case(
    *,
    petition: Petition,
    acting_user: User,
    target: models.Model,
    kind: str,
    note: str = "",
) -> None:
    """Link a petition to the inspection/discipline case it gave rise to, or pass an unhandled
    letter's content as information to a supervision (any app's record; no import of it)."""
    _require(acting_user, petition)
    if kind not in (LinkKind.GAVE_RISE_TO, LinkKind.INFORMATION_FOR):
        raise PetitionError(_("Unknown kind of link."))
    if kind == LinkKind.INFORMATION_FOR and petition.status != Status.NOT_HANDLED:
        raise PetitionError(_("Only an unhandled letter is passed on as information."))
    target_unit = getattr(target, "unit", None)
    if not isinstance(target_unit, Unit) or not unit_in_scope(
        acting_user, target_unit, Cap.VIEW_UNITS
    ):
        raise PetitionError(_("That record is not in your organisations."))
    link_records(source=petition, target=target, kind=kind, acting_user=acting_user, note=note)
    _event(
        petition,
        EventKind.LINKED,
        actor=acting_user,
        note=f"{target._meta.verbose_name} #{target.pk}",
    )


# --- sealed identity --------------------------------------------------------------------------


@transaction.atomic
def request_identity_grant(*, petition: Petition, acting_user: User, reason: str) -> IdentityGrant:
    """A handler asks a custodian for access to the petitioner's identity, saying why."""
    _require(acting_user, petition)
    if petition.identity_id is None:
        raise PetitionError(_("The petitioner gave no identity."))
    if len(reason.strip()) < 10:
        raise PetitionError(_("Explain why you need the identity (at least a sentence)."))
    pending = petition.grants.filter(grantee=acting_user, status=GrantStatus.REQUESTED).first()
    if pending is not None:
        return pending
    return IdentityGrant.objects.create(
        petition=petition, grantee=acting_user, request_reason=reason.strip()[:500]
    )


def can_decide_grants(user: User, petition: Petition) -> bool:
    return access.petitions_for(user, Cap.APPROVE_IDENTITY_GRANTS).filter(pk=petition.pk).exists()


@transaction.atomic
def decide_identity_grant(
    *, grant: IdentityGrant, acting_user: User, approve: bool, reason: str, days: int = 7
) -> IdentityGrant:
    """A custodian approves (with an expiry) or refuses a request, with a reason."""
    if not can_decide_grants(acting_user, grant.petition):
        raise PermissionDenied
    if grant.grantee_id == acting_user.pk:
        raise PetitionError(_("Nobody decides on their own request."))
    if grant.status != GrantStatus.REQUESTED:
        raise PetitionError(_("This request has already been decided."))
    if not reason.strip():
        raise PetitionError(_("Give the reason for your decision."))
    limit = settings.GIAMSAT_IDENTITY_GRANT_MAX_DAYS
    if approve and not 1 <= days <= limit:
        raise PetitionError(_("Access is granted for 1 to %(max)d days.") % {"max": limit})
    now = timezone.now()
    grant.status = GrantStatus.APPROVED if approve else GrantStatus.REFUSED
    grant.decided_by = acting_user
    grant.decision_reason = reason.strip()[:500]
    grant.decided_at = now
    grant.expires_at = now + dt.timedelta(days=days) if approve else None
    grant.save()
    return grant


@transaction.atomic
def revoke_identity_grant(*, grant: IdentityGrant, acting_user: User, reason: str) -> IdentityGrant:
    if not can_decide_grants(acting_user, grant.petition):
        raise PermissionDenied
    grant.status = GrantStatus.REVOKED
    grant.decision_reason = (reason.strip() or grant.decision_reason)[:500]
    grant.decided_by = acting_user
    grant.decided_at = timezone.now()
    grant.save()
    return grant


def active_grant(user: User, petition: Petition) -> IdentityGrant | None:
    now = timezone.now()
    for grant in petition.grants.filter(grantee=user, status=GrantStatus.APPROVED):
        if grant.is_active(now):
            return grant
    return None


@sensitive_variables()
def reveal_identity(
    *, petition: Petition, acting_user: User, request: Any = None
) -> dict[str, Any]:
    """Open the sealed identity for a handler holding an approved, unexpired grant.

    Every attempt is logged: a reveal as ``reveal_identity``, a refusal as ``refused`` (the
    refusal is written outside any transaction so that it stays even though access fails).
    """
    grant = (
        active_grant(acting_user, petition) if access.can_handle(acting_user, petition) else None
    )
    sealed = petition.identity
    if grant is None or sealed is None:
        record_access(
            actor=acting_user,
            kind=AccessKind.REFUSED,
            obj=petition,
            unit=petition.unit,
            request=request,
            reason="reveal_identity: no active grant",
        )
        raise IdentityAccessRefused
    identity = sealing.unseal(sealed.ciphertext)
    record_access(
        actor=acting_user,
        kind=AccessKind.REVEAL_IDENTITY,
        obj=petition,
        unit=petition.unit,
        request=request,
        reason=f"grant #{grant.pk}: {grant.request_reason}",
    )
    return identity


# --- hot spots --------------------------------------------------------------------------------


@transaction.atomic
def flag_hot_spot(
    *, alert: HotSpotAlert, acting_user: User, is_hot_spot: bool, reason: str
) -> HotSpotAlert:
    """The competent body marks (or unmarks) a cluster as a hot spot, with the reason."""
    if not access.alerts_for(acting_user).filter(pk=alert.pk).exists() or not unit_in_scope(
        acting_user, alert.unit, Cap.HANDLE_PETITIONS
    ):
        raise PermissionDenied
    if not reason.strip():
        raise PetitionError(_("Give the reason."))
    alert.is_hot_spot = is_hot_spot
    alert.hot_spot_reason = reason.strip()[:500]
    alert.flagged_by = acting_user
    alert.flagged_on = today()
    if alert.status == AlertStatus.OPEN:
        alert.status = AlertStatus.ACKNOWLEDGED
    alert.save()
    return alert


@transaction.atomic
def close_alert(*, alert: HotSpotAlert, acting_user: User, reason: str) -> HotSpotAlert:
    if not access.alerts_for(acting_user).filter(pk=alert.pk).exists() or not unit_in_scope(
        acting_user, alert.unit, Cap.HANDLE_PETITIONS
    ):
        raise PermissionDenied
    if not reason.strip():
        raise PetitionError(_("Give the reason."))
    alert.status = AlertStatus.CLOSED
    alert.closed_reason = reason.strip()[:500]
    alert.closed_on = today()
    alert.save()
    return alert


@transaction.atomic
def mark_petition_hot_spot(*, petition: Petition, acting_user: User, reason: str) -> HotSpotAlert:
    """Mark one matter (e.g. a group petition) as a hot spot by hand."""
    _require(acting_user, petition)
    if not reason.strip():
        raise PetitionError(_("Give the reason."))
    from giamsat.petitions.hotspots import flag_manual_hot_spot

    alert = flag_manual_hot_spot(petition=petition, acting_user=acting_user, reason=reason)
    _event(petition, EventKind.HOT_SPOT, actor=acting_user, note=reason)
    return alert
