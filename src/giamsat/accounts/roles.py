"""Roles and the capabilities they grant, as data.

A user holds roles at units (``RoleAssignment``); a role at a unit grants its capabilities over
that unit's subtree (the DHIS2 model). Every page, list, search, export and API call asks
``giamsat.accounts.scoping`` with one of the capabilities below.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Cap(models.TextChoices):
    VIEW_UNITS = "view_units", _("see party organisations")
    MANAGE_UNITS = "manage_units", _("change the party tree")
    VIEW_PEOPLE = "view_people", _("see people")
    MANAGE_PEOPLE = "manage_people", _("change people, memberships and posts")
    IMPORT_DATA = "import_data", _("import spreadsheets")
    VIEW_DIRECTIVES = "view_directives", _("see directives")
    MANAGE_DIRECTIVES = "manage_directives", _("register directives")
    MANAGE_IMPLEMENTATION = "manage_implementation", _("manage implementation of directives")
    MANAGE_STUDY = "manage_study", _("manage study sessions and attendance")
    VIEW_INDICATORS = "view_indicators", _("see figures")
    VIEW_OVERSIGHT = "view_oversight", _("see inspection and supervision")
    MANAGE_OVERSIGHT = "manage_oversight", _("manage inspection and supervision")
    VIEW_DISCIPLINE = "view_discipline", _("see discipline records")
    MANAGE_DISCIPLINE = "manage_discipline", _("manage discipline cases")
    VIEW_PETITIONS = "view_petitions", _("see petitions")
    HANDLE_PETITIONS = "handle_petitions", _("handle petitions")
    APPROVE_IDENTITY_GRANTS = "approve_identity_grants", _("approve access to sealed identities")
    MANAGE_EVALUATION = "manage_evaluation", _("manage annual evaluation")
    DECIDE_EVALUATION = "decide_evaluation", _("decide evaluation levels")
    VIEW_REPORTS = "view_reports", _("see reports")
    MANAGE_REPORTS = "manage_reports", _("draft and submit reports")
    REVIEW_REPORTS = "review_reports", _("accept, return and sign reports")
    MANAGE_DELEGATIONS = "manage_delegations", _("manage working delegations")
    VIEW_AUDIT = "view_audit", _("review the audit trail")
    ADMIN = "admin", _("administer the system")


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("system administrator")
    COMMITTEE_OFFICE = "committee_office", _("committee office staff")
    INSPECTION = "inspection", _("inspection commission staff")
    ORGANISATION = "organisation", _("organisation commission staff")
    CELL_SECRETARY = "cell_secretary", _("cell secretary")
    LEADER = "leader", _("committee leader")
    DELEGATION_MEMBER = "delegation_member", _("working-delegation member")
    PETITION_OFFICER = "petition_officer", _("petition officer")
    CUSTODIAN = "custodian", _("identity custodian")


@dataclass(frozen=True)
class RoleSpec:
    capabilities: frozenset[Cap]
    # TOTP required (issue: inspection, discipline, petition and custodian roles).
    requires_2fa: bool


_BASE = {Cap.VIEW_UNITS, Cap.VIEW_PEOPLE, Cap.VIEW_DIRECTIVES, Cap.VIEW_INDICATORS}

ROLE_SPECS: dict[Role, RoleSpec] = {
    Role.SYSTEM_ADMIN: RoleSpec(frozenset(Cap), True),
    Role.COMMITTEE_OFFICE: RoleSpec(
        frozenset(
            _BASE
            | {
                Cap.MANAGE_DIRECTIVES,
                Cap.MANAGE_IMPLEMENTATION,
                Cap.MANAGE_STUDY,
                Cap.VIEW_REPORTS,
                Cap.MANAGE_REPORTS,
                Cap.MANAGE_DELEGATIONS,
                Cap.IMPORT_DATA,
            }
        ),
        False,
    ),
    Role.INSPECTION: RoleSpec(
        frozenset(
            _BASE
            | {
                Cap.VIEW_OVERSIGHT,
                Cap.MANAGE_OVERSIGHT,
                Cap.VIEW_DISCIPLINE,
                Cap.MANAGE_DISCIPLINE,
                Cap.VIEW_PETITIONS,
                Cap.HANDLE_PETITIONS,
                Cap.VIEW_REPORTS,
                Cap.VIEW_AUDIT,
            }
        ),
        True,
    ),
    Role.ORGANISATION: RoleSpec(
        frozenset(
            _BASE
            | {
                Cap.MANAGE_UNITS,
                Cap.MANAGE_PEOPLE,
                Cap.IMPORT_DATA,
                Cap.MANAGE_EVALUATION,
                Cap.VIEW_REPORTS,
            }
        ),
        False,
    ),
    Role.CELL_SECRETARY: RoleSpec(
        frozenset(_BASE | {Cap.MANAGE_STUDY, Cap.MANAGE_EVALUATION, Cap.VIEW_OVERSIGHT}),
        False,
    ),
    Role.LEADER: RoleSpec(
        frozenset(
            _BASE
            | {
                Cap.VIEW_OVERSIGHT,
                Cap.VIEW_DISCIPLINE,
                Cap.VIEW_REPORTS,
                Cap.REVIEW_REPORTS,
                Cap.DECIDE_EVALUATION,
            }
        ),
        # Leaders read discipline files: as sensitive as the discipline roles themselves.
        True,
    ),
    Role.DELEGATION_MEMBER: RoleSpec(
        frozenset(_BASE | {Cap.VIEW_OVERSIGHT, Cap.VIEW_REPORTS, Cap.MANAGE_DELEGATIONS}),
        False,
    ),
    Role.PETITION_OFFICER: RoleSpec(
        frozenset({Cap.VIEW_UNITS, Cap.VIEW_DIRECTIVES, Cap.VIEW_PETITIONS, Cap.HANDLE_PETITIONS}),
        True,
    ),
    Role.CUSTODIAN: RoleSpec(
        frozenset({Cap.VIEW_UNITS, Cap.VIEW_PETITIONS, Cap.APPROVE_IDENTITY_GRANTS}),
        True,
    ),
}


def capabilities_of(role: str) -> frozenset[Cap]:
    return ROLE_SPECS[Role(role)].capabilities


def role_requires_2fa(role: str) -> bool:
    return ROLE_SPECS[Role(role)].requires_2fa
