"""The only writers of reports, good practices and recommendations.

Every function takes keyword-only arguments and the ``acting_user`` (``None`` means the system:
the command line or the demo loader), runs in one transaction and refuses what the workflow or
the user's roles do not allow with a ``ReportError`` (a Vietnamese message for the user) or
``PermissionDenied``. Reports are saved with optimistic locking (``expected_version``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from giamsat.core.dates import today
from giamsat.core.deadlines import DayCount, DeadlineRule, due_date
from giamsat.core.models import DeadlineSetting
from giamsat.directives.models import Directive
from giamsat.reports import permissions
from giamsat.reports.content import live_content, payload_hash
from giamsat.reports.figures import Figure, find_indicator
from giamsat.reports.models import (
    AddresseeLevel,
    GoodPractice,
    Recommendation,
    RecommendationStatus,
    Report,
    ReportAction,
    ReportEvent,
    ReportFigure,
    ReportSection,
    ReportSource,
    ReportTemplate,
)
from giamsat.reports.rules import (
    ANSWER_RULE,
    children_block_submission,
    default_issuer_code,
    header_lines,
    next_status,
)
from giamsat.reports.seed_templates import BUILTIN_TEMPLATES, DEFAULT_TEMPLATE_CODE
from giamsat.units.models import Unit, UnitKind


class ReportError(ValueError):
    """An action the workflow or the data does not allow; the message says why."""


# --- templates ------------------------------------------------------------------------------


@transaction.atomic
def sync_builtin_templates() -> dict[str, ReportTemplate]:
    """Create or refresh the built-in templates from ``seed_templates`` (idempotent)."""
    result: dict[str, ReportTemplate] = {}
    for spec in BUILTIN_TEMPLATES:
        fields = {k: v for k, v in spec.items() if k != "code"}
        template, _created = ReportTemplate.objects.update_or_create(
            code=spec["code"], defaults={**fields, "builtin": True}
        )
        result[template.code] = template
    return result


def default_template() -> ReportTemplate:
    template = ReportTemplate.objects.filter(code=DEFAULT_TEMPLATE_CODE).first()
    if template is None:
        template = sync_builtin_templates()[DEFAULT_TEMPLATE_CODE]
    return template


# --- generating and editing ------------------------------------------------------------------


def _event(report: Report, action: str, actor: Any, before: str, comment: str = "") -> None:
    ReportEvent.objects.create(
        report=report,
        action=action,
        actor=actor,
        from_status=before,
        to_status=report.status,
        comment=comment,
    )


def _check_period(start: dt.date, end: dt.date) -> None:
    if start > end:
        raise ReportError(
            _("The period starts on %(start)s, after its end %(end)s.")
            % {"start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y")}
        )


def document_defaults(unit: Unit, end: dt.date) -> dict[str, str]:
    """Header fields of a new report: issuing and superior bodies, issuer code, place."""
    day = unit.reference_date(end)
    parent = unit.parent_on(day)
    superior, issuing = header_lines(unit.name_on(day), parent.name_on(day) if parent else None)
    place = unit.place_name
    ancestors = unit.ancestors_on(day)
    for ancestor in reversed(ancestors):
        if place:
            break
        place = ancestor.place_name
    return {
        "superior_body": superior,
        "issuing_body": issuing,
        "issuer_code": default_issuer_code(unit.issuer_code, unit.is_cell),
        "place": place,
    }


@transaction.atomic
def generate_report(
    *,
    unit: Unit,
    start: dt.date,
    end: dt.date,
    acting_user: Any,
    directives: Iterable[Directive] = (),
    template: ReportTemplate | None = None,
    delegation: Any = None,
    source: str = ReportSource.GENERATED,
    require_children_first: bool = False,
) -> Report:
    """Draft a report of ``unit`` for the period from ``template``: sections, header, history."""
    if not permissions.can_create_report(acting_user, unit):
        raise PermissionDenied
    _check_period(start, end)
    template = template or default_template()
    report = Report(
        unit=unit,
        period_start=start,
        period_end=end,
        template=template,
        delegation=delegation,
        source=source,
        require_children_first=require_children_first,
        doc_title=template.doc_title,
        subject=template.subject,
        authority=template.authority,
        signer_title=template.signer_title,
        recipients=template.recipients,
        created_by=acting_user,
        **document_defaults(unit, end),
    )
    report.save()
    report.directives.set(list(directives))
    ReportSection.objects.bulk_create(
        [
            ReportSection(
                report=report, order=i, heading=s.get("heading", ""), text=s.get("text", "")
            )
            for i, s in enumerate(template.sections)
        ]
    )
    _event(report, ReportAction.GENERATE, acting_user, "")
    return report


HEADER_FIELDS = (
    "doc_title",
    "subject",
    "superior_body",
    "issuing_body",
    "issuer_code",
    "place",
    "document_date",
    "authority",
    "signer_title",
    "signer_name",
    "recipients",
    "require_children_first",
)


def _require_editable(report: Report, acting_user: Any) -> None:
    if not report.is_editable:
        raise ReportError(
            _("The report is %(status)s: only a draft or a returned report can be changed.")
            % {"status": report.get_status_display()}
        )
    if acting_user is not None and not permissions.can_edit_report(acting_user, report):
        raise PermissionDenied


@transaction.atomic
def update_report(
    *,
    report: Report,
    expected_version: int,
    acting_user: Any,
    sections: Sequence[tuple[str, str]] | None = None,
    **header: Any,
) -> Report:
    """Change the narrative and header of a draft or returned report (optimistic locking)."""
    _require_editable(report, acting_user)
    unknown = set(header) - set(HEADER_FIELDS)
    if unknown:
        raise TypeError(f"unknown report fields: {sorted(unknown)}")
    for name, value in header.items():
        setattr(report, name, value)
    report.save_versioned(expected_version=expected_version)
    if sections is not None:
        report.sections.all().delete()
        ReportSection.objects.bulk_create(
            [
                ReportSection(report=report, order=i, heading=heading, text=text)
                for i, (heading, text) in enumerate(sections)
            ]
        )
    _event(report, ReportAction.EDIT, acting_user, report.status)
    return report


def parse_figure_value(raw: str | int | Decimal, *, is_rate: bool) -> Decimal:
    """A typed-in figure: "80.412" or "80412" (counts), "96" or "96,2" (rates, in %)."""
    if isinstance(raw, int | Decimal):
        value = Decimal(raw)
    else:
        text = raw.strip().replace(" ", "").rstrip("%")
        if is_rate:
            text = text.replace(".", "").replace(",", ".") if "," in text else text
        else:
            text = text.replace(".", "").replace(",", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ReportError(_("'%(value)s' is not a number.") % {"value": raw}) from None
    if value < 0:
        raise ReportError(_("A figure cannot be negative (%(value)s).") % {"value": raw})
    if not is_rate and value != value.to_integral_value():
        raise ReportError(_("A count must be a whole number (%(value)s).") % {"value": raw})
    if is_rate and value > 100:
        raise ReportError(_("A rate cannot exceed 100%% (%(value)s).") % {"value": raw})
    return value


@transaction.atomic
def set_typed_figures(
    *,
    report: Report,
    expected_version: int,
    acting_user: Any,
    figures: dict[str, str | int | Decimal | None],
    note: str = "",
) -> Report:
    """Store figures typed in by hand (a unit not yet on giamsat); an empty value removes one."""
    _require_editable(report, acting_user)
    if report.source != ReportSource.TYPED:
        raise ReportError(_("Figures of a report generated from records cannot be typed in."))
    for code, raw in figures.items():
        indicator = find_indicator(code)
        is_rate = bool(indicator and indicator.is_rate) or code.endswith("_rate")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            report.figures.filter(code=code, typed=True).delete()
            continue
        value = parse_figure_value(raw, is_rate=is_rate)
        ReportFigure.objects.update_or_create(
            report=report,
            code=code,
            defaults={
                "label": str(indicator.label) if indicator else code,
                "unit_of_measure": str(indicator.unit_of_measure) if indicator else "",
                "is_rate": is_rate,
                "value": value,
                "typed": True,
                "typed_note": note[:300],
                "available": True,
            },
        )
    report.save_versioned(expected_version=expected_version)
    _event(report, ReportAction.EDIT, acting_user, report.status, _("figures typed in"))
    return report


# --- workflow ------------------------------------------------------------------------------


def children_not_ready(report: Report) -> list[Unit]:
    """Sub-units whose report for the same period is not yet accepted (in tree order)."""
    day = report.unit.reference_date(report.period_end)
    children = list(Unit.objects.children_of(report.unit, day).organisations().order_vi())
    from giamsat.reports.completeness import best_reports

    best = best_reports([c.pk for c in children], report.period_start, report.period_end)
    statuses = [best[c.pk].status if c.pk in best else None for c in children]
    if not children_block_submission(statuses):
        return []
    return [c for c, s in zip(children, statuses, strict=True) if s not in ("accepted", "signed")]


def _transition(report: Report, action: str, acting_user: Any) -> str:
    target = next_status(report.status, action)
    if target is None:
        raise ReportError(
            _("A %(status)s report cannot be %(action)s.")
            % {
                "status": report.get_status_display(),
                "action": ReportAction(action).label,
            }
        )
    if not permissions.can_take(acting_user, report, action):
        raise PermissionDenied
    before = report.status
    report.status = target
    return before


@transaction.atomic
def submit_report(
    *, report: Report, expected_version: int, acting_user: Any, comment: str = ""
) -> Report:
    """Send a draft (or a returned report) to the level above."""
    before = _transition(report, "submit", acting_user)
    if report.require_children_first:
        waiting = children_not_ready(report)
        if waiting:
            raise ReportError(
                _("All sub-units must report first; not yet accepted: %(units)s.")
                % {"units": ", ".join(u.name for u in waiting)}
            )
    report.submitted_at = timezone.now()
    report.save_versioned(expected_version=expected_version)
    _event(report, ReportAction.SUBMIT, acting_user, before, comment)
    return report


@transaction.atomic
def return_report(
    *, report: Report, expected_version: int, acting_user: Any, comment: str
) -> Report:
    """Send a submitted report back to its unit with the reviewer's comments."""
    if not comment.strip():
        raise ReportError(_("Say what must change: a comment is required to return a report."))
    before = _transition(report, "return", acting_user)
    report.save_versioned(expected_version=expected_version)
    _event(report, ReportAction.RETURN, acting_user, before, comment.strip())
    return report


@transaction.atomic
def accept_report(
    *, report: Report, expected_version: int, acting_user: Any, comment: str = ""
) -> Report:
    """The level above accepts a submitted report."""
    before = _transition(report, "accept", acting_user)
    report.accepted_at = timezone.now()
    report.save_versioned(expected_version=expected_version)
    _event(report, ReportAction.ACCEPT, acting_user, before, comment)
    return report


def next_number(issuer_code: str, unit: Unit) -> int:
    """The next report number of the issuer in giamsat (numbers run per type within a term,
    HD 36 điểm 1.3.1; the term boundary is the office's to set, so this only suggests)."""
    latest = Report.objects.filter(
        unit=unit, issuer_code=issuer_code, number__isnull=False
    ).aggregate(n=Max("number"))["n"]
    return (latest or 0) + 1


@transaction.atomic
def sign_report(
    *,
    report: Report,
    expected_version: int,
    acting_user: Any,
    number: int | None = None,
    document_date: dt.date | None = None,
    signer_name: str | None = None,
) -> Report:
    """Sign an accepted report and freeze it: figures with the ids of their records, text and
    appendices go into the payload, whose SHA-256 is kept; nothing changes it afterwards."""
    before = _transition(report, "sign", acting_user)
    report.number = number if number is not None else report.number
    if report.number is None:
        report.number = next_number(report.issuer_code, report.unit)
    report.document_date = document_date or report.document_date or today()
    if signer_name is not None:
        report.signer_name = signer_name
    if not report.signer_name.strip():
        raise ReportError(_("Name the signer before signing."))
    content = live_content(report, with_records=True)
    content.draft = False
    payload = content.as_payload()
    report.frozen_payload = payload
    report.frozen_hash = payload_hash(payload)
    report.signed_at = timezone.now()
    report.signed_by = acting_user
    report.save_versioned(expected_version=expected_version)
    _freeze_figures(report, content.figures)
    _event(report, ReportAction.SIGN, acting_user, before, report.frozen_hash)
    return report


def _freeze_figures(report: Report, figures: dict[str, Figure]) -> None:
    rows = []
    for code, fig in figures.items():
        if fig.typed:
            continue  # typed rows are already stored
        rows.append(
            ReportFigure(
                report=report,
                code=code,
                label=fig.label[:300],
                unit_of_measure=fig.unit_of_measure[:60],
                available=fig.available,
                is_rate=fig.is_rate,
                value=None if fig.value is None else Decimal(fig.value),
                numerator=fig.numerator,
                denominator=fig.denominator,
                record_model=fig.records.model if fig.records else "",
                record_ids=[list(r) for r in fig.records.ranges] if fig.records else [],
                record_count=fig.records.count if fig.records else 0,
                denominator_model=(
                    fig.denominator_records.model if fig.denominator_records else ""
                ),
                denominator_ids=(
                    [list(r) for r in fig.denominator_records.ranges]
                    if fig.denominator_records
                    else []
                ),
            )
        )
    report.figures.filter(typed=False).delete()
    ReportFigure.objects.bulk_create(rows)


def verify_frozen(report: Report) -> bool:
    """Whether the frozen payload still hashes to the hash recorded at signature."""
    payload = report.frozen_payload
    if not isinstance(payload, dict):
        return False
    return payload_hash(payload) == report.frozen_hash


# --- good practices -------------------------------------------------------------------------


@transaction.atomic
def record_good_practice(
    *,
    unit: Unit,
    title: str,
    description: str,
    period_start: dt.date,
    acting_user: Any,
    period_end: dt.date | None = None,
    evidence: str = "",
    directives: Iterable[Directive] = (),
) -> GoodPractice:
    """Record a good model or way of working of ``unit``."""
    if not permissions.can_record_good_practice(acting_user, unit):
        raise PermissionDenied
    if not title.strip() or not description.strip():
        raise ReportError(_("A good practice needs a title and a description."))
    if period_end is not None:
        _check_period(period_start, period_end)
    practice = GoodPractice.objects.create(
        unit=unit,
        title=title.strip(),
        description=description.strip(),
        evidence=evidence.strip(),
        period_start=period_start,
        period_end=period_end,
        created_by=acting_user,
    )
    practice.directives.set(list(directives))
    return practice


# --- recommendations ------------------------------------------------------------------------


def answer_rule(day: dt.date) -> DeadlineRule:
    """``ANSWER_RULE``, or the administrator's ``DeadlineSetting`` for it from ``day``."""
    setting = (
        DeadlineSetting.objects.filter(code=ANSWER_RULE.code, valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )
    if setting is None:
        return ANSWER_RULE
    return DeadlineRule(
        code=ANSWER_RULE.code,
        label=ANSWER_RULE.label,
        days=setting.days,
        count=DayCount(setting.count),
        source=f"{setting.source} (from {setting.valid_from:%d/%m/%Y})",
        valid_from=setting.valid_from,
        unconfirmed=setting.unconfirmed,
    )


def default_addressee_unit(unit: Unit, level: str, day: dt.date) -> Unit | None:
    """The organisation that answers: the parent, the province, or the top of the tree."""
    if level == AddresseeLevel.LEVEL_ABOVE:
        return unit.parent_on(day)
    ancestors = unit.ancestors_on(day)
    if level == AddresseeLevel.PROVINCE:
        return next((a for a in ancestors if a.kind == UnitKind.UNDER_CENTRE), None)
    if level == AddresseeLevel.CENTRE:
        return ancestors[0] if ancestors else None
    return None


@transaction.atomic
def record_recommendation(
    *,
    unit: Unit,
    addressee_level: str,
    addressee_body: str,
    topic: str,
    text: str,
    made_on: dt.date,
    acting_user: Any,
    addressee_unit: Unit | None = None,
    report: Report | None = None,
    session: Any = None,
    due_on: dt.date | None = None,
) -> Recommendation:
    """Record a recommendation of ``unit`` with its answer deadline (rule or given date)."""
    if not permissions.can_record_recommendation(acting_user, unit):
        raise PermissionDenied
    if not topic.strip() or not text.strip() or not addressee_body.strip():
        raise ReportError(_("A recommendation needs an addressee, a topic and a text."))
    if report is not None and report.unit_id != unit.pk:
        raise ReportError(_("The report belongs to another unit."))
    if addressee_unit is None:
        addressee_unit = default_addressee_unit(unit, addressee_level, made_on)
    note = ""
    if due_on is None:
        deadline = due_date(answer_rule(made_on), made_on)
        due_on = deadline.due
        note = " · ".join(deadline.explanation.lines()[:3])
    delegation = None
    if session is not None:
        delegation = session.delegation
    elif report is not None:
        delegation = report.delegation
    return Recommendation.objects.create(
        unit=unit,
        report=report,
        session=session,
        delegation=delegation,
        addressee_level=addressee_level,
        addressee_body=addressee_body.strip(),
        addressee_unit=addressee_unit,
        topic=topic.strip(),
        text=text.strip(),
        made_on=made_on,
        due_on=due_on,
        deadline_note=note[:300],
        created_by=acting_user,
    )


@transaction.atomic
def answer_recommendation(
    *,
    recommendation: Recommendation,
    status: str,
    response: str,
    acting_user: Any,
    responded_on: dt.date | None = None,
) -> Recommendation:
    """The addressee answers: accepted, under study or answered, with a text and a date."""
    if not permissions.can_answer(acting_user, recommendation):
        raise PermissionDenied
    if status not in (
        RecommendationStatus.ACCEPTED,
        RecommendationStatus.UNDER_STUDY,
        RecommendationStatus.ANSWERED,
    ):
        raise ReportError(_("Choose accepted, under study or answered."))
    if not response.strip():
        raise ReportError(_("Write the answer."))
    day = responded_on or today()
    if day < recommendation.made_on:
        raise ReportError(_("The answer cannot be dated before the recommendation."))
    recommendation.status = status
    recommendation.response = response.strip()
    recommendation.responded_on = day
    recommendation.responded_by = acting_user
    recommendation.save()
    return recommendation
