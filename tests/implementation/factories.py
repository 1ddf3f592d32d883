"""Factories of the implementation tests."""

from __future__ import annotations

import datetime as dt

from giamsat.directives.models import Directive
from giamsat.implementation import services
from giamsat.implementation.models import RequirementKind
from giamsat.units.models import Unit


def make_directive(
    unit: Unit | None,
    *,
    number: int,
    doc_type: str = "KH",
    issuer_code: str = "TW",
    issued_on: dt.date = dt.date(2021, 12, 1),
    implements: Directive | None = None,
    title: str = "Văn bản thử",
) -> Directive:
    return Directive.objects.create(
        doc_type=doc_type,
        number=number,
        issuer_code=issuer_code,
        issued_on=issued_on,
        title=title,
        issuing_unit=unit,
        implements=implements,
    )


def three_requirements(
    doc: dt.date = dt.date(2022, 1, 15),
    study: dt.date = dt.date(2022, 3, 15),
    report: dt.date = dt.date(2022, 6, 30),
) -> list[services.RequirementSpec]:
    return [
        services.RequirementSpec(RequirementKind.ISSUE_DOCUMENT, doc),
        services.RequirementSpec(RequirementKind.ORGANISE_STUDY, study, "Học tập cho đảng viên"),
        services.RequirementSpec(RequirementKind.REPORT, report),
    ]


def assign(
    *,
    directive: Directive,
    unit: Unit,
    user,
    scope="subtree",
    assigned_on: dt.date = dt.date(2021, 12, 10),
    requirements=None,
    plan=None,
):
    return services.put_into_implementation(
        directive=directive,
        issuing_unit=unit,
        requirements=requirements or three_requirements(),
        acting_user=user,
        scope=scope,
        assigned_on=assigned_on,
        plan=plan,
    )
