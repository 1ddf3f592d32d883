"""Who may see and change a working delegation's records.

- The deciding body's staff with ``Cap.MANAGE_DELEGATIONS`` (over the deciding body) and the
  delegation's head, deputy heads and secretary (members linked to a user) manage it:
  composition, targets, summary.
- Every linked member works in it: sessions, requests, conclusions, news briefs.
- A target unit's staff see the delegation and the parts about units in their scope, and answer
  the requests made to them (``Cap.MANAGE_REPORTS`` over the unit). They never write the
  delegation's conclusions about themselves.
"""

from __future__ import annotations

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import is_unrestricted, unit_in_scope
from giamsat.delegations.models import LEADING_ROLES, Delegation, DelegationMember


def _holds_over(user, capability, unit) -> bool:
    return is_unrestricted(user) or unit_in_scope(user, unit, capability)


def member_of(user, delegation: Delegation) -> DelegationMember | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return delegation.members.filter(user=user).order_by("order", "pk").first()


def can_create(user, deciding_body) -> bool:
    return user is None or _holds_over(user, Cap.MANAGE_DELEGATIONS, deciding_body)


def can_manage(user, delegation: Delegation) -> bool:
    if user is None or _holds_over(user, Cap.MANAGE_DELEGATIONS, delegation.deciding_body):
        return True
    member = member_of(user, delegation)
    return member is not None and member.role in LEADING_ROLES


def can_work(user, delegation: Delegation) -> bool:
    return can_manage(user, delegation) or member_of(user, delegation) is not None


def sees_all_targets(user, delegation: Delegation) -> bool:
    return can_work(user, delegation) or _holds_over(
        user, Cap.VIEW_REPORTS, delegation.deciding_body
    )


def visible_target_unit_ids(user, delegation: Delegation) -> set[int]:
    """Target units whose sessions, requests and conclusions ``user`` may read."""
    ids = set(delegation.targets.values_list("unit_id", flat=True))
    if sees_all_targets(user, delegation):
        return ids
    return {i for i in ids if unit_in_scope(user, i, Cap.VIEW_REPORTS)}


def can_answer_request(user, request) -> bool:
    return user is None or _holds_over(user, Cap.MANAGE_REPORTS, request.unit)
