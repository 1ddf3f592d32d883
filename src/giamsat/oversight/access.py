"""Who sees which oversight record: one place, used by pages, the API and file downloads.

A record is in scope when the unit that owns it (the conducting body of a case, the criticising
body, the supervising body of a commitment) is in the user's scope for ``Cap.VIEW_OVERSIGHT``.
Out of scope answers 404.
"""

from __future__ import annotations

from django.db.models import QuerySet

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import scope
from giamsat.oversight.models import (
    Case,
    CaseStep,
    Commitment,
    CommitmentItem,
    Criticism,
    Programme,
    SupervisionActivity,
)


def cases_for(user, capability: Cap = Cap.VIEW_OVERSIGHT) -> QuerySet[Case]:
    return scope(Case.objects.all(), user, capability, "conducting_unit")


def programmes_for(user, capability: Cap = Cap.VIEW_OVERSIGHT) -> QuerySet[Programme]:
    return scope(Programme.objects.all(), user, capability, "conducting_unit")


def activities_for(user, capability: Cap = Cap.VIEW_OVERSIGHT) -> QuerySet[SupervisionActivity]:
    return scope(SupervisionActivity.objects.all(), user, capability, "conducting_unit")


def criticisms_for(user, capability: Cap = Cap.VIEW_OVERSIGHT) -> QuerySet[Criticism]:
    return scope(Criticism.objects.all(), user, capability, "by_unit")


def commitments_for(user, capability: Cap = Cap.VIEW_OVERSIGHT) -> QuerySet[Commitment]:
    return scope(Commitment.objects.all(), user, capability, "supervising_unit")


def commitment_items_for(user, capability: Cap = Cap.VIEW_OVERSIGHT) -> QuerySet[CommitmentItem]:
    return scope(CommitmentItem.objects.all(), user, capability, "commitment__supervising_unit")


def can_view_step(user, step: CaseStep) -> bool:
    return cases_for(user).filter(pk=step.case_id).exists()


def can_view_commitment_item(user, item: CommitmentItem) -> bool:
    return commitments_for(user).filter(pk=item.commitment_id).exists()


def person_section(request, person) -> dict | None:
    """On the person page: counts of the oversight records about the person, with a link to
    the whole loop (people.sections)."""
    from giamsat.accounts.scoping import has_capability

    user = request.user
    if not has_capability(user, Cap.VIEW_OVERSIGHT):
        return None
    return {
        "person": person,
        "cases": cases_for(user).filter(subjects__person=person).distinct().count(),
        "criticisms": criticisms_for(user).filter(subject_person=person).count(),
        "commitments": commitments_for(user).filter(subject_person=person).count(),
    }
