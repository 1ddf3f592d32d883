"""Figures on petitions for the indicator registry. Each opens to its records (a drill-down
shows reference, dates, class, channel, status and due date: never an identity, the letter's
text or the people concerned).

Letters split into several contents are counted once, as the letter received (``parent`` is
empty); handling figures count what was handled (the contents, not the split letter).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from giamsat.accounts.roles import Cap
from giamsat.core.dates import today
from giamsat.indicators.registry import Column, Family, Indicator, IndicatorQuery, register
from giamsat.petitions.models import (
    Channel,
    HotSpotAlert,
    NotHandledReason,
    Petition,
    PetitionClass,
    Status,
)

DOMAIN = "petitions"
COLUMNS = (
    Column(_("Reference"), lambda p: p.code),
    Column(_("Received on"), lambda p: p.received_on),
    Column(_("Class"), lambda p: p.get_petition_class_display()),
    Column(_("Channel"), lambda p: p.get_channel_display()),
    Column(_("Status"), lambda p: p.get_status_display()),
    Column(_("Resolution due on"), lambda p: p.due_on),
    Column(_("Concluded on"), lambda p: p.concluded_on),
)
ALERT_COLUMNS = (
    Column(_("Kind"), lambda a: a.get_kind_display()),
    Column(_("About"), lambda a: a.display_label),
    Column(_("Letters"), lambda a: a.petition_count),
    Column(_("From"), lambda a: a.window_start),
    Column(_("To"), lambda a: a.window_end),
    Column(_("Status"), lambda a: a.get_status_display()),
)


def _label(template, **params):
    """A lazy label with named placeholders, translated when shown."""
    return lazy(lambda: str(template) % {k: str(v) for k, v in params.items()}, str)()


def _as_of(query: IndicatorQuery) -> dt.date:
    return min(query.end, today())


def _received_rows(query: IndicatorQuery):
    """Letters received by units of the subtree in the period (optional params: class,
    channel)."""
    items = Petition.objects.filter(
        query.in_subtree("received_by"), query.in_period("received_on"), parent__isnull=True
    )
    if query.param("class"):
        items = items.filter(petition_class=query.param("class"))
    if query.param("channel"):
        items = items.filter(channel=query.param("channel"))
    return items


def _held_rows(query: IndicatorQuery):
    """Letters (and contents) received in the period and held by units of the subtree."""
    return Petition.objects.filter(query.in_subtree("unit"), query.in_period("received_on"))


# Figures counted together on a dashboard (one query per family, see indicators.Family).
RECEIVED = Family("petitions.received", _received_rows)
HELD = Family("petitions.held", _held_rows)


def _everything(query: IndicatorQuery) -> Q:
    return Q()


def _by(field: str, value: str):
    return lambda query: Q(**{field: value})


def _admissible(query: IndicatorQuery) -> Q:
    return Q(is_admissible=True)


def _not_handled(query: IndicatorQuery) -> Q:
    within = Q(status=Status.NOT_HANDLED)
    reason = query.param("reason")
    if reason:
        within &= Q(not_handled_reasons__icontains=f'"{reason}"')
    return within


def _reason(code: str):
    return lambda query: _not_handled(query) & Q(not_handled_reasons__icontains=f'"{code}"')


def _group(query: IndicatorQuery) -> Q:
    return Q(is_group=True)


received = RECEIVED.records(_everything)
handled = HELD.records(_admissible)
not_handled = HELD.records(_not_handled)
group_petitions = RECEIVED.records(_group)


def concluded_with_deadline(query: IndicatorQuery):
    """Letters concluded in the period that had a time limit (denominator of "on time")."""
    return Petition.objects.filter(
        query.in_subtree("unit"), query.in_period("concluded_on"), due_on__isnull=False
    )


def concluded_on_time(query: IndicatorQuery):
    return concluded_with_deadline(query).filter(concluded_on__lte=F("due_on"))


def overdue(query: IndicatorQuery):
    """Letters whose time limit had passed without a conclusion on the period's last day (or
    today, if the period has not ended)."""
    day = _as_of(query)
    return Petition.objects.filter(
        query.in_subtree("unit"),
        Q(concluded_on__isnull=True) | Q(concluded_on__gt=day),
        due_on__lt=day,
        received_on__lte=day,
        status__in=[Status.IN_HANDLING, Status.CONCLUDED, Status.ANSWERED],
    )


def open_alerts(query: IndicatorQuery):
    """Hot-spot alerts raised for committees of the subtree, not closed by the period's end."""
    day = _as_of(query)
    return HotSpotAlert.objects.filter(
        query.in_subtree("unit"),
        Q(closed_on__isnull=True) | Q(closed_on__gt=day),
        window_start__lte=day,
    )


def open_hot_spots(query: IndicatorQuery):
    return open_alerts(query).filter(is_hot_spot=True)


def _register(code: str, label, definition, records, **kwargs) -> None:
    family, within = kwargs.pop("family", None), kwargs.pop("within", None)
    if family is not None:
        records = family.records(within)
    register(
        Indicator(
            code=f"petitions.{code}",
            label=label,
            definition=definition,
            unit_of_measure=kwargs.pop("unit_of_measure", _("letters")),
            domain=DOMAIN,
            capability=Cap.VIEW_PETITIONS,
            records=records,
            columns=kwargs.pop("columns", COLUMNS),
            family=family,
            within=within,
            **kwargs,
        )
    )


_register(
    "received",
    _("Letters received"),
    _("Letters received in the period by the organisations of the subtree (all channels)."),
    None,
    family=RECEIVED,
    within=_everything,
    unit_path="received_by",
    order=10,
)
for number, value in enumerate(
    [
        PetitionClass.DENUNCIATION,
        PetitionClass.COMPLAINT,
        PetitionClass.PROPOSAL,
        PetitionClass.MIXED,
        PetitionClass.UNCLASSIFIED,
    ]
):
    _register(
        f"received.class.{value}",
        _label(_("Letters received: %(class)s"), **{"class": PetitionClass(value).label}),
        _("Letters received in the period, by class (Thông tư 05/2021/TT-TTCP Điều 6)."),
        None,
        family=RECEIVED,
        within=_by("petition_class", value),
        unit_path="received_by",
        order=11 + number,
    )
for number, value in enumerate(Channel.values):
    _register(
        f"received.channel.{value}",
        _label(_("Letters received: %(channel)s"), channel=Channel(value).label),
        _("Letters received in the period, by channel."),
        None,
        family=RECEIVED,
        within=_by("channel", value),
        unit_path="received_by",
        order=20 + number,
    )
_register(
    "handled",
    _("Letters handled"),
    _("Letters received in the period that meet the conditions to be handled."),
    None,
    family=HELD,
    within=_admissible,
    order=30,
)
_register(
    "not_handled",
    _("Letters not handled"),
    _("Letters received in the period that do not meet the conditions, with the reasons."),
    None,
    family=HELD,
    within=_not_handled,
    order=31,
)
for number, reason in enumerate(NotHandledReason.values):
    _register(
        f"not_handled.{reason}",
        _label(_("Not handled: %(reason)s"), reason=NotHandledReason(reason).label),
        _("Letters not handled for this reason (a letter may have several)."),
        None,
        family=HELD,
        within=_reason(reason),
        order=32 + number,
    )
_register(
    "resolved_on_time",
    _("Resolved within the time limit"),
    _(
        "Of the letters concluded in the period that had a time limit, the share concluded on or "
        "before the due date."
    ),
    concluded_on_time,
    denominator=concluded_with_deadline,
    unit_of_measure="%",
    order=50,
)
_register(
    "overdue",
    _("Overdue letters"),
    _("Letters past their time limit without a conclusion at the end of the period."),
    overdue,
    order=51,
)
_register(
    "group",
    _("Group petitions"),
    _(
        "Letters received in the period signed by at least the configured number of people "
        "(default 5)."
    ),
    None,
    family=RECEIVED,
    within=_group,
    unit_path="received_by",
    order=60,
)
_register(
    "alerts_open",
    _("Open hot-spot alerts"),
    _("Clusters of letters about the same unit, person, place or topic, not closed."),
    open_alerts,
    unit_of_measure=_("alerts"),
    columns=ALERT_COLUMNS,
    order=70,
)
_register(
    "hot_spots_open",
    _("Open hot spots"),
    _("Alerts the competent body marked as hot spots, not closed."),
    open_hot_spots,
    unit_of_measure=_("hot spots"),
    columns=ALERT_COLUMNS,
    order=71,
)
