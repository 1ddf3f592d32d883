"""Early warning of hot spots: clusters of petitions about the same unit, person, place or
topic within a time window (``GIAMSAT_HOTSPOT_WINDOW_DAYS``, default 90) reaching a threshold
(``GIAMSAT_HOTSPOT_THRESHOLD``, default 5) raise a ``HotSpotAlert`` on the dashboard of the
committee that holds them (their nearest common holding unit).

Keys: a unit concerned and a person concerned are keys across the whole system; a place (its
diacritic-free key) and a topic are keys within the holding unit, since "land" petitions are
everywhere. Detection is idempotent: an open alert for a key gathers new petitions; after an
alert is closed, a new one is raised only when enough petitions *not* in a closed alert for
that key gather again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from giamsat.core.dates import today
from giamsat.petitions.models import (
    AlertKind,
    AlertStatus,
    HotSpotAlert,
    Petition,
    Status,
    Topic,
)
from giamsat.petitions.rules import window_start
from giamsat.units.models import Unit, UnitAncestry

ACTIVE = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)


def _common_holder(unit_ids: set[int], on: dt.date) -> int:
    """The nearest unit at or above every unit in ``unit_ids`` (on each unit's tree)."""
    units = {u.pk: u for u in Unit.objects.filter(pk__in=unit_ids)}
    chains: list[list[int]] = []
    for unit in units.values():
        ref = unit.reference_date(on)
        chains.append(
            list(
                UnitAncestry.objects.filter(
                    descendant_id=unit.pk, valid_from__lte=ref, valid_to__gte=ref
                )
                .order_by("depth")
                .values_list("ancestor_id", flat=True)
            )
        )
    first, *others = chains
    common = [a for a in first if all(a in chain for chain in others)]
    return common[0] if common else first[-1]


def _keys_of(petition: Petition) -> tuple[Q, set[tuple[str, str]]]:
    """The petitions sharing a key with ``petition``, and those keys."""
    units = list(petition.subject_units.values_list("pk", flat=True))
    people = list(petition.subject_people.values_list("pk", flat=True))
    q = Q(subject_units__in=units) | Q(subject_people__in=people)
    keys = {(AlertKind.UNIT, str(u)) for u in units} | {(AlertKind.PERSON, str(p)) for p in people}
    if petition.place_key:
        q |= Q(place_key=petition.place_key, unit_id=petition.unit_id)
        keys.add((AlertKind.PLACE, f"{petition.unit_id}:{petition.place_key}"))
    if petition.topic and petition.topic != Topic.OTHER:
        q |= Q(topic=petition.topic, unit_id=petition.unit_id)
        keys.add((AlertKind.TOPIC, f"{petition.unit_id}:{petition.topic}"))
    return q, keys


def _groups(
    on: dt.date, window_days: int, petition: Petition | None = None
) -> dict[tuple[str, str], dict]:
    """{(kind, key): {"ids": set, "label": str, "unit": id|None, "person": id|None}}."""
    start = window_start(on, window_days)
    petitions = Petition.objects.filter(received_on__gte=start, received_on__lte=on).exclude(
        status=Status.SPLIT
    )
    keys: set[tuple[str, str]] | None = None
    if petition is not None:
        related, keys = _keys_of(petition)
        petitions = petitions.filter(pk__in=Petition.objects.filter(related).values("pk"))
    groups: dict[tuple[str, str], dict] = defaultdict(
        lambda: {"ids": set(), "label": "", "unit": None, "person": None, "holders": set()}
    )
    holders = dict(petitions.values_list("pk", "unit_id"))
    for unit_id, pid, name in Petition.subject_units.through.objects.filter(
        petition__in=petitions
    ).values_list("unit_id", "petition_id", "unit__name"):
        g = groups[(AlertKind.UNIT, str(unit_id))]
        g["ids"].add(pid)
        g.update(label=name, unit=unit_id)
    for person_id, pid, name in Petition.subject_people.through.objects.filter(
        petition__in=petitions
    ).values_list("person_id", "petition_id", "person__full_name"):
        g = groups[(AlertKind.PERSON, str(person_id))]
        g["ids"].add(pid)
        g.update(label=name, person=person_id)
    for pid, place_key, place, unit_id in petitions.exclude(place_key="").values_list(
        "pk", "place_key", "place", "unit_id"
    ):
        g = groups[(AlertKind.PLACE, f"{unit_id}:{place_key}")]
        g["ids"].add(pid)
        g["label"] = g["label"] or place
    for pid, topic, unit_id in petitions.exclude(topic__in=["", Topic.OTHER]).values_list(
        "pk", "topic", "unit_id"
    ):
        g = groups[(AlertKind.TOPIC, f"{unit_id}:{topic}")]
        g["ids"].add(pid)
        g["label"] = topic  # a code: translated when shown (HotSpotAlert.display_label)
    for group in groups.values():
        group["holders"] = {holders[pid] for pid in group["ids"]}
    if keys is not None:
        return {key: group for key, group in groups.items() if key in keys}
    return groups


@transaction.atomic
def detect_clusters(
    *,
    on: dt.date | None = None,
    petition: Petition | None = None,
    threshold: int | None = None,
    window_days: int | None = None,
) -> list[HotSpotAlert]:
    """Raise or update alerts for clusters in the window ending on ``on``; return them.

    With ``petition`` (at intake or classification) only the clusters it belongs to are
    examined, so the cost does not grow with the whole country's letters; the daily job
    (``giamsat detect_hot_spots``) examines everything.
    """
    day = on or today()
    limit = threshold or settings.GIAMSAT_HOTSPOT_THRESHOLD
    window = window_days or settings.GIAMSAT_HOTSPOT_WINDOW_DAYS
    touched: list[HotSpotAlert] = []
    for (kind, key), group in _groups(day, window, petition).items():
        ids: set[int] = group["ids"]
        if len(ids) < limit:
            continue
        active = HotSpotAlert.objects.filter(kind=kind, key=key, status__in=ACTIVE).first()
        dates = dict(Petition.objects.filter(pk__in=ids).values_list("pk", "received_on"))
        if active is None:
            closed = set(
                HotSpotAlert.petitions.through.objects.filter(
                    hotspotalert__kind=kind,
                    hotspotalert__key=key,
                    hotspotalert__status=AlertStatus.CLOSED,
                ).values_list("petition_id", flat=True)
            )
            fresh = ids - closed
            if len(fresh) < limit:
                continue
            active = HotSpotAlert.objects.create(
                kind=kind,
                key=key,
                label=group["label"][:300],
                subject_unit_id=group["unit"],
                subject_person_id=group["person"],
                unit_id=_common_holder(group["holders"], day),
                window_start=min(dates[i] for i in fresh),
                window_end=max(dates[i] for i in fresh),
                petition_count=len(fresh),
            )
            active.petitions.set(fresh)
        else:
            active.petitions.add(*ids)
            all_dates = list(active.petitions.values_list("received_on", flat=True))
            active.window_start = min(all_dates)
            active.window_end = max(all_dates)
            active.petition_count = len(all_dates)
            active.save(
                update_fields=["window_start", "window_end", "petition_count", "updated_at"]
            )
        touched.append(active)
    return touched


@transaction.atomic
def flag_manual_hot_spot(*, petition: Petition, acting_user, reason: str) -> HotSpotAlert:
    """The competent body marks a single matter (e.g. a group petition) as a hot spot."""
    day = today()
    alert = HotSpotAlert.objects.create(
        kind=AlertKind.MANUAL,
        key=f"petition:{petition.pk}",
        label=petition.summary or petition.code,
        unit=petition.unit,
        window_start=petition.received_on,
        window_end=petition.received_on,
        petition_count=1,
        is_hot_spot=True,
        hot_spot_reason=reason[:500],
        flagged_by=acting_user,
        flagged_on=day,
    )
    alert.petitions.add(petition)
    return alert
