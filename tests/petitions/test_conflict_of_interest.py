"""Users who are the person concerned, or who belong to a unit concerned (a role, membership or
post in it or its subtree), never receive, see or search that matter, whatever their role:
404 on every page, list, search, export, API call, attachment and alert."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from giamsat.accounts.api_auth import issue_token
from giamsat.accounts.roles import Role
from giamsat.core.files import attachments_of, save_attachment
from giamsat.people.models import Membership, Post
from giamsat.petitions import hotspots
from giamsat.petitions.access import petitions_for
from tests.conftest import client_for
from tests.factories import make_member, make_user
from tests.petitions.factories import classified, hotline_petition


@pytest.fixture
def subject(members):
    """A member of cell_a1 (in ward_a), the person the letter is about."""
    return members[next(iter(members))][0]


@pytest.fixture
def letter(tree, users, subject, frozen):
    """A denunciation of ward_a's organisation and of one of its members."""
    petition, _ = hotline_petition(
        tree.city, content="Tố cáo Đảng ủy phường buông lỏng quản lý đất đai ở khu đồng Bến."
    )
    petition = classified(
        petition, users.authorised, subject_people=[subject], subject_units=[tree.ward_a]
    )
    save_attachment(
        owner=petition,
        upload=SimpleUploadedFile("bang_chung.pdf", b"%PDF-1.4 evidence", "application/pdf"),
        acting_user=users.authorised,
    )
    return petition


@pytest.fixture
def conflicted(tree, subject):
    """Four users with roles that would see the letter, each conflicted in one way."""
    the_person = make_user(Role.INSPECTION, tree.city, username="is_the_person", person=subject)
    colleague_person = make_member(tree.cell_a2)  # ward_a's subtree
    member = make_user(
        Role.INSPECTION, tree.city, username="member_of_ward", person=colleague_person
    )
    ward_staff = make_user(Role.INSPECTION, tree.ward_a, username="ward_staff")
    boss = make_member(tree.city_inspection)
    Post.objects.create(
        person=boss, unit=tree.cell_a1, title="Bí thư chi bộ", valid_from=dt.date(2020, 1, 1)
    )
    admin = make_user(username="root_in_ward", person=boss, is_superuser=True, is_staff=True)
    return [the_person, member, ward_staff, admin]


def _everywhere_hidden(user, petition) -> None:
    client = client_for(user)
    assert client.get(reverse("petitions:detail", args=[petition.pk])).status_code == 404
    link = f'href="{petition.get_absolute_url()}"'
    listing = client.get(reverse("petitions:list"))
    assert link not in listing.content.decode()
    search = client.get(reverse("petitions:list"), {"q": "đồng Bến"})
    assert link not in search.content.decode()
    search = client.get(reverse("petitions:list"), {"q": petition.code})
    assert link not in search.content.decode()
    export = client.get(reverse("petitions:export"))
    if export.status_code == 200:
        sheet = load_workbook(io.BytesIO(export.content)).active
        assert petition.code not in [row[0] for row in sheet.iter_rows(values_only=True)]
    for name in ("classify", "transfer", "accept", "reveal", "request_grant", "hot_spot"):
        assert client.post(reverse(f"petitions:{name}", args=[petition.pk]), {}).status_code == 404
    assert client.get(reverse("petitions:subject_search", args=[petition.pk])).status_code == 404
    attachment = attachments_of(petition).get()
    assert client.get(reverse("core:download", args=[attachment.pk])).status_code == 404
    _token, clear = issue_token(user=user, name="t")
    api = {"HTTP_AUTHORIZATION": f"Bearer {clear}"}
    assert client.get(f"/api/v1/petitions/{petition.pk}", **api).status_code == 404
    items = client.get("/api/v1/petitions/", **api).json()["items"]
    assert petition.pk not in [i["id"] for i in items]
    items = client.get("/api/v1/petitions/", {"q": "đồng Bến"}, **api).json()["items"]
    assert items == []
    assert not petitions_for(user).filter(pk=petition.pk).exists()


def test_every_kind_of_conflicted_user_gets_404_everywhere(letter, conflicted):
    for user in conflicted:
        _everywhere_hidden(user, letter)


def test_a_colleague_outside_the_unit_concerned_sees_it(letter, tree, members):
    other = members[list(members)[2]][0]  # a member of cell_b1 (ward_b)
    colleague = make_user(Role.INSPECTION, tree.city, username="colleague_b", person=other)
    client = client_for(colleague)
    assert client.get(reverse("petitions:detail", args=[letter.pk])).status_code == 200
    listing = client.get(reverse("petitions:list")).content.decode()
    assert f'href="{letter.get_absolute_url()}"' in listing


def test_alerts_about_a_users_unit_are_hidden_from_them(
    tree, users, subject, conflicted, frozen, settings
):
    settings.GIAMSAT_HOTSPOT_THRESHOLD = 3
    for _ in range(3):
        petition, _ = hotline_petition(
            tree.city, content="Phản ánh sai phạm đất đai ở khu đồng Bến."
        )
        classified(petition, users.authorised, subject_units=[tree.ward_a])
    alerts = hotspots.detect_clusters()
    assert len(alerts) == 1
    alert = alerts[0]
    seen = client_for(users.authorised).get(reverse("petitions:list")).content.decode()
    assert alert.get_absolute_url() in seen
    for user in conflicted:
        client = client_for(user)
        assert (
            alert.get_absolute_url() not in client.get(reverse("petitions:list")).content.decode()
        )
        assert client.get(alert.get_absolute_url()).status_code == 404
        _token, clear = issue_token(user=user, name="t")
        api = client.get("/api/v1/petitions/alerts", HTTP_AUTHORIZATION=f"Bearer {clear}").json()
        assert api["items"] == []


def test_names_in_a_new_letter_hide_it_before_anyone_classifies_it(tree, subject, frozen):
    """The intake screens the text for people and units of the receiving organisation."""
    user = make_user(Role.PETITION_OFFICER, tree.city, username="named_officer", person=subject)
    petition, _ = hotline_petition(
        tree.city, content=f"Tố cáo ông {subject.full_name} nhận tiền của dân.", subject_text=""
    )
    assert subject in petition.subject_people.all()
    assert client_for(user).get(reverse("petitions:detail", args=[petition.pk])).status_code == 404


def test_unit_names_in_a_new_letter_are_screened_too(tree, frozen):
    staff = make_user(Role.INSPECTION, tree.ward_b, username="ward_b_staff")
    petition, _ = hotline_petition(
        tree.city, content=f"Tố cáo {tree.ward_b.name} che giấu sai phạm.", subject_text=""
    )
    assert tree.ward_b in petition.subject_units.all()
    assert not petitions_for(staff).filter(pk=petition.pk).exists()


def test_a_membership_ended_long_ago_is_no_conflict(tree, users, frozen, settings):
    settings.GIAMSAT_CONFLICT_LOOKBACK_DAYS = 365
    person = make_member(tree.cell_a1, valid_from=dt.date(2010, 1, 1))
    Membership.objects.filter(person=person).update(valid_to=dt.date(2020, 1, 1))
    Membership.objects.create(person=person, unit=tree.cell_b1, valid_from=dt.date(2020, 1, 2))
    user = make_user(Role.INSPECTION, tree.city, username="moved_long_ago", person=person)
    petition, _ = hotline_petition(tree.city)
    classified(petition, users.authorised, subject_units=[tree.ward_a])
    assert petitions_for(user).filter(pk=petition.pk).exists()
    settings.GIAMSAT_CONFLICT_LOOKBACK_DAYS = 10 * 365
    fresh = type(user).objects.get(pk=user.pk)
    assert not petitions_for(fresh).filter(pk=petition.pk).exists()


def test_conflicted_users_are_never_offered_as_handlers(letter, conflicted, users):
    from giamsat.petitions.access import handlers_for

    offered = handlers_for(letter)
    assert users.authorised in offered
    assert not set(conflicted) & set(offered)
