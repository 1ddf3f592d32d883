"""Clusters of letters about the same unit, person, place or topic within the window raise an
alert for the committee that holds them, with the letters behind it — tested on generated
clusters, at and around the threshold and the window's edges."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamsat.petitions import hotspots, services
from giamsat.petitions.models import AlertKind, AlertStatus, Channel, HotSpotAlert, Petition
from giamsat.petitions.rules import densest_window
from tests.conftest import client_for

D = dt.date
_numbers = itertools.count(1)


def _letter(unit, day, *, about_unit=None, about_person=None, place="", topic=""):
    """A bare petition row (fast): what detection reads."""
    petition = Petition.objects.create(
        code=f"T-{next(_numbers)}",
        channel=Channel.POST,
        received_on=day,
        received_by=unit,
        unit=unit,
        content="x",
        place=place,
        place_key=place.lower(),
        topic=topic,
    )
    if about_unit is not None:
        petition.subject_units.add(about_unit)
    if about_person is not None:
        petition.subject_people.add(about_person)
    return petition


@pytest.fixture
def limits(settings):
    settings.GIAMSAT_HOTSPOT_THRESHOLD = 5
    settings.GIAMSAT_HOTSPOT_WINDOW_DAYS = 30


def test_one_below_the_threshold_raises_nothing(tree, limits):
    for i in range(4):
        _letter(tree.city, D(2024, 3, 1) + dt.timedelta(days=i), about_unit=tree.ward_a)
    assert hotspots.detect_clusters(on=D(2024, 3, 4)) == []


def test_reaching_the_threshold_inside_the_window_raises_an_alert(tree, limits):
    """Five letters on 01/03 … 30/03/2024: 01/03 and 30/03 are 29 days apart, so all five lie
    in the 30-day window ending on 30/03."""
    days = [D(2024, 3, 1), D(2024, 3, 8), D(2024, 3, 15), D(2024, 3, 22), D(2024, 3, 30)]
    letters = [_letter(tree.city, d, about_unit=tree.ward_a) for d in days]
    [alert] = hotspots.detect_clusters(on=D(2024, 3, 30))
    assert alert.kind == AlertKind.UNIT and alert.subject_unit == tree.ward_a
    assert alert.unit == tree.city
    assert alert.petition_count == 5
    assert set(alert.petitions.all()) == set(letters)
    assert (alert.window_start, alert.window_end) == (D(2024, 3, 1), D(2024, 3, 30))


def test_one_day_too_wide_raises_nothing(tree, limits):
    """01/03 and 31/03/2024 are 30 days apart: the 30-day window ending 31/03 starts 02/03."""
    days = [D(2024, 3, 1), D(2024, 3, 8), D(2024, 3, 15), D(2024, 3, 22), D(2024, 3, 31)]
    for d in days:
        _letter(tree.city, d, about_unit=tree.ward_a)
    assert hotspots.detect_clusters(on=D(2024, 3, 31)) == []


def test_a_person_concerned_across_bodies_alerts_their_common_committee(tree, members, limits):
    person = members[next(iter(members))][0]
    for i, holder in enumerate([tree.city, tree.ward_a, tree.ward_b, tree.city, tree.ward_a]):
        _letter(holder, D(2024, 3, 1) + dt.timedelta(days=i), about_person=person)
    [alert] = hotspots.detect_clusters(on=D(2024, 3, 5))
    assert alert.kind == AlertKind.PERSON and alert.subject_person == person
    assert alert.unit == tree.city


def test_places_and_topics_cluster_within_the_holding_body(tree, limits):
    for i in range(5):
        _letter(tree.ward_a, D(2024, 3, 1) + dt.timedelta(days=i), place="khu dong ben")
    for _ in range(3):
        _letter(tree.ward_a, D(2024, 3, 1), topic="land")
        _letter(tree.ward_b, D(2024, 3, 1), topic="land")  # another body: a separate count
    alerts = hotspots.detect_clusters(on=D(2024, 3, 5))
    assert [(a.kind, a.unit) for a in alerts] == [(AlertKind.PLACE, tree.ward_a)]


def test_topic_cluster_label_is_translated_when_shown(tree, limits):
    for _ in range(5):
        _letter(tree.ward_a, D(2024, 3, 1), topic="land")
    [alert] = hotspots.detect_clusters(on=D(2024, 3, 1))
    assert alert.label == "land"
    assert alert.display_label == "đất đai, bồi thường, tái định cư"


def test_an_open_alert_gathers_new_letters_and_detection_is_idempotent(tree, limits):
    for i in range(5):
        _letter(tree.city, D(2024, 3, 1) + dt.timedelta(days=i), about_unit=tree.ward_a)
    hotspots.detect_clusters(on=D(2024, 3, 5))
    hotspots.detect_clusters(on=D(2024, 3, 5))
    _letter(tree.city, D(2024, 3, 6), about_unit=tree.ward_a)
    hotspots.detect_clusters(on=D(2024, 3, 6))
    alert = HotSpotAlert.objects.get()
    assert alert.petition_count == 6 and alert.window_end == D(2024, 3, 6)


def test_after_closing_only_fresh_letters_raise_a_new_alert(tree, users, limits):
    for i in range(5):
        _letter(tree.city, D(2024, 3, 1) + dt.timedelta(days=i), about_unit=tree.ward_a)
    [alert] = hotspots.detect_clusters(on=D(2024, 3, 5))
    services.close_alert(alert=alert, acting_user=users.authorised, reason="Đã giải quyết")
    assert hotspots.detect_clusters(on=D(2024, 3, 5)) == []
    for i in range(4):
        _letter(tree.city, D(2024, 3, 6) + dt.timedelta(days=i), about_unit=tree.ward_a)
    assert hotspots.detect_clusters(on=D(2024, 3, 9)) == []  # 4 fresh: below the threshold
    _letter(tree.city, D(2024, 3, 10), about_unit=tree.ward_a)
    [fresh] = hotspots.detect_clusters(on=D(2024, 3, 10))
    assert fresh.pk != alert.pk and fresh.petition_count == 5


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(offsets=st.lists(st.integers(min_value=0, max_value=90), min_size=1, max_size=9))
def test_an_alert_exists_exactly_when_some_window_holds_enough_letters(tree, limits, offsets):
    """Detection run on each receipt day (as intake does) raises an alert iff the densest
    30-day window holds at least 5 letters."""
    days = [D(2024, 1, 1) + dt.timedelta(days=o) for o in offsets]
    with transaction.atomic():
        for day in days:
            _letter(tree.city, day, about_unit=tree.ward_a)
        for day in sorted(set(days)):
            hotspots.detect_clusters(on=day)
        expected = densest_window(days, 30)[2] >= 5
        assert HotSpotAlert.objects.filter(kind=AlertKind.UNIT).exists() == expected
        transaction.set_rollback(True)


def test_the_competent_committee_sees_the_alert_and_its_letters(tree, users, limits, frozen):
    letters = [
        _letter(tree.city, D(2024, 3, 1) + dt.timedelta(days=i), about_unit=tree.ward_a)
        for i in range(5)
    ]
    [alert] = hotspots.detect_clusters(on=D(2024, 3, 5))
    client = client_for(users.authorised)
    dashboard = client.get(reverse("petitions:list")).content.decode()
    assert 'id="hot-spot-alerts"' in dashboard and alert.get_absolute_url() in dashboard
    page = client.get(alert.get_absolute_url()).content.decode()
    assert all(p.get_absolute_url() in page for p in letters)
    assert client_for(users.outsider).get(alert.get_absolute_url()).status_code == 404


def test_the_competent_body_marks_a_hot_spot_by_hand(tree, users, limits, frozen):
    for i in range(5):
        _letter(tree.city, D(2024, 3, 1) + dt.timedelta(days=i), about_unit=tree.ward_a)
    [alert] = hotspots.detect_clusters(on=D(2024, 3, 5))
    client = client_for(users.authorised)
    client.post(
        reverse("petitions:alert_flag", args=[alert.pk]),
        {"is_hot_spot": "1", "reason": "Đông người tụ tập tại trụ sở"},
    )
    alert.refresh_from_db()
    assert alert.is_hot_spot and alert.status == AlertStatus.ACKNOWLEDGED
    assert alert.flagged_by == users.authorised


def test_a_single_matter_can_be_marked_a_hot_spot(tree, users, frozen):
    from tests.petitions.factories import hotline_petition

    petition, _ = hotline_petition(tree.city, signer_count=30)
    alert = services.mark_petition_hot_spot(
        petition=petition, acting_user=users.authorised, reason="Khiếu kiện đông người kéo dài"
    )
    assert alert.kind == AlertKind.MANUAL and alert.is_hot_spot
    assert list(alert.petitions.all()) == [petition]


def test_densest_window():
    assert densest_window([], 30) == (D.min, D.min, 0)
    days = [D(2024, 1, 1), D(2024, 1, 30), D(2024, 1, 31), D(2024, 3, 1)]
    assert densest_window(days, 30) == (D(2024, 1, 1), D(2024, 1, 30), 2)


def test_intake_checks_only_the_clusters_of_the_new_letter(tree, users, limits, frozen):
    """Four letters about ward A already in the window; the fifth, sent through the hotline
    and naming ward A, raises the alert at intake; an unrelated letter raises nothing."""
    from tests.petitions.factories import hotline_petition

    for i in range(4):
        _letter(tree.city, D(2024, 3, 1) + dt.timedelta(days=i), about_unit=tree.ward_a)
    hotline_petition(tree.city, content="Phản ánh việc chợ dân sinh họp lấn chiếm lòng đường.")
    assert not HotSpotAlert.objects.exists()
    hotline_petition(tree.city, content=f"Tố cáo {tree.ward_a.name} buông lỏng quản lý đất đai.")
    alert = HotSpotAlert.objects.get()
    assert alert.subject_unit == tree.ward_a and alert.petition_count == 5


def test_the_daily_command_detects_over_everything(tree, limits):
    from io import StringIO

    from django.core.management import call_command

    for i in range(5):
        _letter(tree.city, D(2024, 3, 1) + dt.timedelta(days=i), about_unit=tree.ward_a)
    out = StringIO()
    call_command("detect_hot_spots", "--today", "05/03/2024", stdout=out)
    assert "1 alert" in out.getvalue()
    call_command("detect_hot_spots", "--today", "05/03/2024", stdout=StringIO())
    assert HotSpotAlert.objects.count() == 1
