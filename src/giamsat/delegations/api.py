"""Working delegations API (/api/v1/delegations): delegations with their members, targets,
sessions, requests and conclusions; a target unit's system answers the requests made to it.

Scoped exactly like the pages: a delegation is visible to its deciding body's staff, its
members and the staff of its target units (who see only the parts about their units).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from giamsat.delegations import permissions, services
from giamsat.delegations.models import Delegation

router = Router(tags=["delegations"])


class UnitRef(Schema):
    id: int
    code: str
    name: str


class MemberOut(Schema):
    id: int
    role: str
    full_name: str
    post_title: str
    agency: str
    person_id: int | None


class ParticipantOut(Schema):
    side: str = Field(description="delegation or host")
    full_name: str
    post_title: str


class SessionOut(Schema):
    id: int
    unit: UnitRef
    date: dt.date
    place: str
    content: str
    participants: list[ParticipantOut]


class RequestOut(Schema):
    id: int
    unit: UnitRef
    session_id: int | None
    kind: str
    text: str
    deadline: dt.date
    status: str
    answer: str
    answered_on: dt.date | None


class ConclusionOut(Schema):
    unit: UnitRef
    strengths: str
    limitations: str
    requests: str
    concluded_on: dt.date


class DelegationSummary(Schema):
    id: int
    number: str
    name: str
    deciding_body: UnitRef
    decision_symbol: str
    decision_date: dt.date
    review_start: dt.date
    review_end: dt.date
    work_start: dt.date
    work_end: dt.date


class DelegationOut(DelegationSummary):
    purpose: str
    directives: list[str]
    members: list[MemberOut]
    targets: list[UnitRef]
    sessions: list[SessionOut]
    requests: list[RequestOut]
    conclusions: list[ConclusionOut]
    summary: str | None = Field(None, description="only for the delegation and its body")
    summary_submitted_on: dt.date | None = None


class AnswerIn(Schema):
    answer: str
    answered_on: dt.date | None = None


def _unit(u) -> dict:
    return {"id": u.pk, "code": u.code, "name": u.name}


def _summary(d: Delegation) -> dict:
    return {
        "id": d.pk,
        "number": d.number,
        "name": d.name,
        "deciding_body": _unit(d.deciding_body),
        "decision_symbol": d.decision_symbol,
        "decision_date": d.decision_date,
        "review_start": d.review_start,
        "review_end": d.review_end,
        "work_start": d.work_start,
        "work_end": d.work_end,
    }


def _request(r) -> dict:
    return {
        "id": r.pk,
        "unit": _unit(r.unit),
        "session_id": r.session_id,
        "kind": r.kind,
        "text": r.text,
        "deadline": r.deadline,
        "status": r.status,
        "answer": r.answer,
        "answered_on": r.answered_on,
    }


def _delegation(request, pk: int) -> Delegation:
    found = (
        Delegation.objects.visible_to(request.user)
        .select_related("deciding_body")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


@router.get("/", response=list[DelegationSummary], summary="Delegations in scope")
def list_delegations(
    request, limit: int = Query(100, ge=1, le=500), offset: int = Query(0, ge=0, le=10**9)
):
    items = Delegation.objects.visible_to(request.user).select_related("deciding_body")
    limit = max(1, min(limit, 500))
    return [_summary(d) for d in items.order_by("pk")[offset : offset + limit]]


@router.get("/{delegation_id}", response=DelegationOut, summary="A delegation and its work")
def get_delegation(request, delegation_id: int):
    d = _delegation(request, delegation_id)
    unit_ids = permissions.visible_target_unit_ids(request.user, d)
    sees_all = permissions.sees_all_targets(request.user, d)
    sessions = d.sessions.filter(unit_id__in=unit_ids).select_related("unit")
    return {
        **_summary(d),
        "purpose": d.purpose,
        "directives": [x.symbol for x in d.directives.order_by("issued_on")],
        "members": [
            {
                "id": m.pk,
                "role": m.role,
                "full_name": m.full_name,
                "post_title": m.post_title,
                "agency": m.agency,
                "person_id": m.person_id,
            }
            for m in d.members.all()
        ],
        "targets": [
            _unit(t.unit) for t in d.targets.select_related("unit") if t.unit_id in unit_ids
        ],
        "sessions": [
            {
                "id": s.pk,
                "unit": _unit(s.unit),
                "date": s.date,
                "place": s.place,
                "content": s.content,
                "participants": [
                    {"side": p.side, "full_name": p.full_name, "post_title": p.post_title}
                    for p in s.participants.all()
                ],
            }
            for s in sessions
        ],
        "requests": [
            _request(r) for r in d.requests.filter(unit_id__in=unit_ids).select_related("unit")
        ],
        "conclusions": [
            {
                "unit": _unit(c.unit),
                "strengths": c.strengths,
                "limitations": c.limitations,
                "requests": c.requests,
                "concluded_on": c.concluded_on,
            }
            for c in d.conclusions.filter(unit_id__in=unit_ids).select_related("unit")
        ],
        "summary": d.summary if sees_all else None,
        "summary_submitted_on": d.summary_submitted_on if sees_all else None,
    }


@router.post(
    "/{delegation_id}/requests/{request_id}/answer",
    response=RequestOut,
    summary="A target unit answers a request of the delegation",
)
def answer_request(request, delegation_id: int, request_id: int, payload: AnswerIn):
    d = _delegation(request, delegation_id)
    item = d.requests.filter(pk=request_id).select_related("unit").first()
    if item is None or item.unit_id not in permissions.visible_target_unit_ids(request.user, d):
        raise Http404
    try:
        services.answer_request(
            request=item,
            answer=payload.answer,
            answered_on=payload.answered_on,
            acting_user=request.user,
        )
    except services.DelegationError as exc:
        raise HttpError(400, str(exc)) from None
    except PermissionDenied:
        raise HttpError(403, "not allowed") from None
    return _request(item)
