"""Who may do what with reports, good practices and recommendations.

Everything is asked of ``accounts.scoping`` (roles at units over their subtrees). "Above" means
a role held at a unit strictly above the report's unit: the level above reviews a report, the
unit itself drafts, submits and signs it.
"""

from __future__ import annotations

from django.db.models import Q

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import is_unrestricted, role_units, unit_in_scope
from giamsat.reports.rules import ACTION_AUTHORITY
from giamsat.units.models import Unit, UnitAncestry


def holds_above(user, capability: Cap | str, unit: Unit) -> bool:
    """Whether ``user`` holds ``capability`` at a unit strictly above ``unit``."""
    if is_unrestricted(user):
        return True
    for role_unit in role_units(user, capability):
        if role_unit.pk == unit.pk:
            continue
        # The same reach as accounts.scoping: the subtree on the role unit's reference date,
        # plus units that ended inside it (a city dissolved in 2025 stays under its province).
        day = role_unit.reference_date()
        reach = Q(valid_from__lte=day, valid_to__gte=day) | Q(ended_here=True, valid_to__lt=day)
        if UnitAncestry.objects.filter(reach, ancestor=role_unit, descendant=unit).exists():
            return True
    return False


def holds_over(user, capability: Cap | str, unit: Unit) -> bool:
    """Whether ``user`` holds ``capability`` at ``unit`` or above it."""
    return is_unrestricted(user) or unit_in_scope(user, unit, capability)


def can_edit_report(user, report) -> bool:
    return report.is_editable and holds_over(user, Cap.MANAGE_REPORTS, report.unit)


def can_take(user, report, action: str) -> bool:
    """Whether ``user`` may take workflow ``action`` on ``report`` (its status aside)."""
    if user is None:  # the system (command line, demo)
        return True
    capability, where = ACTION_AUTHORITY[action]
    if where == "above":
        return holds_above(user, capability, report.unit)
    return holds_over(user, capability, report.unit)


def can_create_report(user, unit: Unit) -> bool:
    return user is None or holds_over(user, Cap.MANAGE_REPORTS, unit)


def can_record_good_practice(user, unit: Unit) -> bool:
    return user is None or holds_over(user, Cap.MANAGE_REPORTS, unit)


def can_view_good_practice(user, practice) -> bool:
    return holds_over(user, Cap.VIEW_REPORTS, practice.unit)


def can_record_recommendation(user, unit: Unit) -> bool:
    return user is None or holds_over(user, Cap.MANAGE_REPORTS, unit)


def can_answer(user, recommendation) -> bool:
    """The addressee answers: a report manager or reviewer over the addressee organisation;
    without one (a state body, another body), a reviewer above the recommending unit records
    the answer received."""
    if user is None:
        return True
    if recommendation.addressee_unit_id:
        unit = recommendation.addressee_unit
        return holds_over(user, Cap.REVIEW_REPORTS, unit) or holds_over(
            user, Cap.MANAGE_REPORTS, unit
        )
    return holds_above(user, Cap.REVIEW_REPORTS, recommendation.unit)


def can_see_records(user, capability: str, unit: Unit) -> bool:
    """Whether ``user`` may see the named records behind a figure of ``unit``."""
    if not capability:
        return True
    return holds_over(user, capability, unit)
