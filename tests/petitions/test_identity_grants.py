"""A handler sees a petitioner's identity only through a grant a custodian approved with a
reason and an expiry; every reveal and every refused attempt is logged and visible to the
inspection commission."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from giamsat.audit.models import AccessEvent, AccessKind
from giamsat.petitions import services
from giamsat.petitions.models import GrantStatus
from tests.conftest import client_for
from tests.factories import make_user
from tests.petitions.factories import hotline_petition


@pytest.fixture
def petition(tree, frozen):
    petition, _code = hotline_petition(tree.city)
    return petition


def _grant(petition, handler, custodian, *, days=3):
    grant = services.request_identity_grant(
        petition=petition, acting_user=handler, reason="Cần gặp người tố cáo để xác minh."
    )
    return services.decide_identity_grant(
        grant=grant, acting_user=custodian, approve=True, reason="Cần thiết", days=days
    )


def test_reveal_without_a_grant_is_refused_and_logged(petition, users):
    with pytest.raises(services.IdentityAccessRefused):
        services.reveal_identity(petition=petition, acting_user=users.authorised)
    event = AccessEvent.objects.get()
    assert event.kind == AccessKind.REFUSED
    assert event.actor == users.authorised and event.object_id == str(petition.pk)


def test_the_reveal_page_refuses_without_a_grant_and_logs_it(petition, users):
    client = client_for(users.authorised)
    response = client.post(reverse("petitions:reveal", args=[petition.pk]), follow=True)
    assert "Trần Thị Bí Mật" not in response.content.decode()
    assert "Bạn chưa được đồng ý" in response.content.decode()
    assert AccessEvent.objects.filter(kind=AccessKind.REFUSED).count() == 1


def test_approved_grant_reveals_and_every_reveal_is_logged(petition, users, custodian):
    _grant(petition, users.authorised, custodian)
    client = client_for(users.authorised)
    response = client.post(reverse("petitions:reveal", args=[petition.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Trần Thị Bí Mật" in html and "0912345678" in html
    assert "no-store" in response["Cache-Control"]
    client.post(reverse("petitions:reveal", args=[petition.pk]))
    reveals = AccessEvent.objects.filter(kind=AccessKind.REVEAL_IDENTITY)
    assert reveals.count() == 2
    assert "Cần gặp người tố cáo" in reveals.first().reason
    assert all("Bí Mật" not in e.object_label + e.reason for e in AccessEvent.objects.all())


def test_grants_expire(petition, users, custodian, frozen):
    _grant(petition, users.authorised, custodian, days=2)
    services.reveal_identity(petition=petition, acting_user=users.authorised)
    frozen.shift(dt.timedelta(days=2, seconds=1))
    with pytest.raises(services.IdentityAccessRefused):
        services.reveal_identity(petition=petition, acting_user=users.authorised)
    assert AccessEvent.objects.filter(kind=AccessKind.REFUSED).count() == 1


def test_a_grant_is_personal(petition, users, custodian, tree):
    _grant(petition, users.authorised, custodian)
    colleague = make_user("inspection", tree.city, username="colleague")
    with pytest.raises(services.IdentityAccessRefused):
        services.reveal_identity(petition=petition, acting_user=colleague)


def test_refused_and_revoked_grants_do_not_reveal(petition, users, custodian):
    grant = services.request_identity_grant(
        petition=petition, acting_user=users.authorised, reason="Muốn biết ai gửi đơn này."
    )
    services.decide_identity_grant(
        grant=grant, acting_user=custodian, approve=False, reason="Không cần thiết"
    )
    with pytest.raises(services.IdentityAccessRefused):
        services.reveal_identity(petition=petition, acting_user=users.authorised)
    approved = _grant(petition, users.authorised, custodian)
    services.reveal_identity(petition=petition, acting_user=users.authorised)
    services.revoke_identity_grant(grant=approved, acting_user=custodian, reason="Đã xong")
    with pytest.raises(services.IdentityAccessRefused):
        services.reveal_identity(petition=petition, acting_user=users.authorised)


def test_only_a_custodian_in_scope_decides_and_never_on_their_own_request(
    petition, users, custodian, tree
):
    grant = services.request_identity_grant(
        petition=petition, acting_user=users.authorised, reason="Cần gặp người tố cáo để xác minh."
    )
    with pytest.raises(PermissionDenied):
        services.decide_identity_grant(
            grant=grant, acting_user=users.authorised, approve=True, reason="tự duyệt"
        )
    other_custodian = make_user("custodian", tree.other, username="custodian_other")
    with pytest.raises(PermissionDenied):
        services.decide_identity_grant(
            grant=grant, acting_user=other_custodian, approve=True, reason="ngoài phạm vi"
        )
    with pytest.raises(services.PetitionError):
        services.decide_identity_grant(
            grant=grant, acting_user=custodian, approve=True, reason="quá dài", days=365
        )
    grant.refresh_from_db()
    assert grant.status == GrantStatus.REQUESTED


def test_custodian_decides_through_the_page(petition, users, custodian):
    services.request_identity_grant(
        petition=petition, acting_user=users.authorised, reason="Cần gặp người tố cáo để xác minh."
    )
    client = client_for(custodian)
    page = client.get(reverse("petitions:grants"))
    assert "Cần gặp người tố cáo" in page.content.decode()
    assert "Bí Mật" not in page.content.decode()
    grant = petition.grants.get()
    client.post(
        reverse("petitions:decide_grant", args=[grant.pk]),
        {"approve": "1", "days": "3", "reason": "Phục vụ xác minh"},
    )
    grant.refresh_from_db()
    assert grant.status == GrantStatus.APPROVED and grant.decided_by == custodian


def test_reveal_log_is_visible_to_the_inspection_commission_in_scope(petition, users, custodian):
    _grant(petition, users.authorised, custodian)
    services.reveal_identity(petition=petition, acting_user=users.authorised)
    page = client_for(users.authorised).get(reverse("petitions:reveal_log"))
    assert page.status_code == 200
    html = page.content.decode()
    assert petition.code in html and "ubkt_city" in html
    assert "Bí Mật" not in html
    # An inspection officer of another organisation sees nothing of it.
    other = client_for(users.outsider).get(reverse("petitions:reveal_log"))
    assert petition.code not in other.content.decode()
    # A custodian (no audit capability) has no such page.
    assert client_for(custodian).get(reverse("petitions:reveal_log")).status_code == 404
