"""Deadline reminders of petitions for ``giamsat send_deadline_reminders``.

Each open petition contributes its processing deadline (while it is still being received) and
its resolution deadline (while it is being handled). Reminders go to the assigned handler, or
else to the petition-handling staff of the nearest unit at or above the holding unit; a user
conflicted on the petition never receives one. The e-mail carries the reference, class, due
date and a link: no content, no person concerned, no identity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.utils.translation import gettext as _

from giamsat.core.deadlines import TrackedDeadline, configured_thresholds
from giamsat.petitions.access import nearest_handlers
from giamsat.petitions.models import Petition, Status


def _recipients(petition: Petition) -> tuple[str, ...]:
    return tuple(sorted({u.email for u in nearest_handlers(petition) if u.email}))


def tracked_deadlines(today: dt.date) -> Iterator[TrackedDeadline]:
    horizon = today + dt.timedelta(days=configured_thresholds().due_soon_days)
    base = settings.GIAMSAT_BASE_URL.rstrip("/")
    handled = Petition.objects.filter(status=Status.IN_HANDLING, due_on__lte=horizon)
    received = Petition.objects.filter(status=Status.RECEIVED, process_due_on__lte=horizon)
    for petition in handled.select_related("unit", "handler"):
        yield TrackedDeadline(
            key=f"petitions.Petition:{petition.pk}:resolution",
            due=petition.due_on,
            subject=_("Petition %(code)s: time limit %(due)s")
            % {"code": petition.code, "due": f"{petition.due_on:%d/%m/%Y}"},
            body=_("%(class)s held by %(unit)s, to be resolved by %(due)s.\n%(url)s")
            % {
                "class": petition.get_petition_class_display(),
                "unit": petition.unit,
                "due": f"{petition.due_on:%d/%m/%Y}",
                "url": base + petition.get_absolute_url(),
            },
            recipients=_recipients(petition),
        )
    for petition in received.select_related("unit", "handler"):
        yield TrackedDeadline(
            key=f"petitions.Petition:{petition.pk}:process",
            due=petition.process_due_on,
            subject=_("Petition %(code)s: to be processed by %(due)s")
            % {"code": petition.code, "due": f"{petition.process_due_on:%d/%m/%Y}"},
            body=_(
                "A letter received on %(received)s by %(unit)s is still to be classified "
                "and routed by %(due)s.\n%(url)s"
            )
            % {
                "received": f"{petition.received_on:%d/%m/%Y}",
                "unit": petition.unit,
                "due": f"{petition.process_due_on:%d/%m/%Y}",
                "url": base + petition.get_absolute_url(),
            },
            recipients=_recipients(petition),
        )
