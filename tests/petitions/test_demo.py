"""The demo loads petitions for the city (2019–09/2022) and recent ones at the province: every
class and channel, transfers, letters not handled with reasons, a group petition marked as a
hot spot, a cluster that raises an alert; identities fictional and sealed."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.core.demo import DemoContext
from giamsat.indicators.registry import IndicatorQuery, get_indicator
from giamsat.petitions import sealing
from giamsat.petitions.models import (
    AlertKind,
    Channel,
    HotSpotAlert,
    Petition,
    PetitionClass,
    Status,
)
from giamsat.units.models import Unit

pytestmark = pytest.mark.slow


@pytest.fixture
def demo(db):
    from importlib import import_module

    ctx = DemoContext(verbose=False)
    for app in ("units", "people", "directives", "accounts", "petitions"):
        import_module(f"giamsat.{app}.demo").load(ctx)
    return ctx


def test_demo_petitions(demo):
    city = Unit.objects.get(code="TP")
    history = Petition.objects.filter(
        received_by=city,
        received_on__gte=dt.date(2019, 1, 1),
        received_on__lte=dt.date(2022, 9, 30),
    )
    assert history.count() > 100
    assert set(history.values_list("channel", flat=True)) == set(Channel.values) - {"electronic"}
    classes = set(history.values_list("petition_class", flat=True))
    assert {"denunciation", "complaint", "proposal", "mixed"} <= classes
    assert Petition.objects.filter(status=Status.TRANSFERRED_OUT).exists()
    assert Petition.objects.filter(transfers__to_unit__isnull=False).exists()
    not_handled = Petition.objects.filter(status=Status.NOT_HANDLED)
    assert not_handled.exists() and all(p.not_handled_reasons for p in not_handled)
    group = Petition.objects.get(is_group=True, signer_count=23)
    assert group.representative_count == 3
    assert HotSpotAlert.objects.filter(
        kind=AlertKind.MANUAL, is_hot_spot=True, petitions=group
    ).exists()
    assert HotSpotAlert.objects.filter(kind=AlertKind.UNIT, status="open", unit=city).exists()
    recent = Petition.objects.filter(received_on__gte=dt.date.today() - dt.timedelta(days=45))
    assert recent.exists() and recent.filter(status=Status.IN_HANDLING).exists()
    assert Petition.objects.filter(concluded_on__gt=models_f("due_on")).exists()
    # Identities are sealed and open to the fictional names the demo generated.
    sealed = Petition.objects.filter(identity__isnull=False).first().identity
    assert sealing.unseal(sealed.ciphertext)["full_name"]
    # Figures agree with their drill-downs on the demo data.
    query = IndicatorQuery(city, dt.date(2019, 1, 1), dt.date(2022, 9, 30))
    for code in ("petitions.received", "petitions.not_handled", "petitions.overdue"):
        indicator = get_indicator(code)
        assert indicator.compute(query).value == indicator.records(query).count()
    rate = get_indicator("petitions.resolved_on_time").compute(query)
    assert 50 < rate.value < 100
    assert PetitionClass.DENUNCIATION in classes


def models_f(name):
    from django.db.models import F

    return F(name)
