"""A user conflicted on a petition (its denunciation names them) does not learn of it from the
audit trail either: its changes, its alerts, grants and files are left out of their change
list and access events, pages and API alike — administrators included. Others in scope still
see them. (Found by the permission matrix.)"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import reverse

from giamsat.accounts.roles import Role
from giamsat.audit.models import AccessEvent, AccessKind
from giamsat.audit.queries import access_events_for, changes_for
from giamsat.core.models import Attachment
from giamsat.people.models import MemberStatus, Person
from giamsat.petitions.models import HotSpotAlert
from tests.conftest import client_for
from tests.factories import make_user
from tests.petitions.factories import hotline_petition


def _world(tree):
    person = Person.objects.create(full_name="Người bị tố cáo", status=MemberStatus.NON_MEMBER)
    accused = make_user(Role.INSPECTION, tree.city, username="accused", person=person)
    colleague = make_user(Role.INSPECTION, tree.city, username="colleague")
    admin = make_user(None, None, username="root", is_superuser=True, person=person)
    petition, _code = hotline_petition(tree.ward_a, content="Tố cáo")
    petition.subject_people.set([person])
    Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(petition),
        object_id=petition.pk,
        file=ContentFile(b"%PDF", name="to_cao_NGUOIBITOCAO.pdf"),
        original_name="to_cao_NGUOIBITOCAO.pdf",
        mime_type="application/pdf",
        size=4,
        sha256="0" * 64,
    )
    alert = HotSpotAlert.objects.create(
        kind="manual",
        key="k",
        label="Điểm nóng NGUOIBITOCAO",
        unit=tree.city,
        window_start=petition.received_on,
        window_end=petition.received_on,
        petition_count=1,
    )
    alert.petitions.set([petition])
    AccessEvent.objects.create(
        actor=colleague,
        kind=AccessKind.READ,
        unit=tree.ward_a,
        object_type="petitions.Petition",
        object_id=str(petition.pk),
        object_label=petition.code,
    )
    return accused, colleague, admin, petition


def _petition_changes(user, petition):
    return [
        e
        for e in changes_for(user)
        if e.content_type.model in ("petition", "attachment", "hotspotalert")
    ]


def test_the_person_denounced_sees_nothing_of_it_in_the_audit_trail(tree):
    accused, colleague, admin, petition = _world(tree)
    assert _petition_changes(colleague, petition), "the colleague in scope sees the changes"
    assert access_events_for(colleague).filter(object_id=str(petition.pk)).exists()
    for user in (accused, admin):
        assert _petition_changes(user, petition) == []
        assert not access_events_for(user).filter(object_type="petitions.Petition").exists()
    for name in ("audit:changes", "audit:home"):
        page = client_for(accused).get(reverse(name)).content.decode()
        assert "NGUOIBITOCAO" not in page and petition.code not in page
    api = client_for(accused).get("/api/v1/audit/changes").content.decode()
    assert "NGUOIBITOCAO" not in api
    assert "NGUOIBITOCAO" in client_for(colleague).get(reverse("audit:changes")).content.decode()
