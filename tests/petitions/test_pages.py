"""Staff pages: the dashboard and list (filters, bounded queries), intake, the record page
with the actions its state allows, the export, the people/unit search for classification."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from giamsat.audit.models import AccessEvent, AccessKind
from giamsat.petitions.models import Petition, Status
from tests.conftest import client_for
from tests.petitions.factories import accepted, classified, hotline_petition

D = dt.date


def test_pages_need_a_login_and_the_capability(tree, users, frozen):
    from django.test import Client

    assert Client().get(reverse("petitions:list")).status_code == 302
    assert client_for(users.read_only).get(reverse("petitions:list")).status_code == 404
    assert client_for(users.read_only).get(reverse("petitions:intake")).status_code == 404
    assert client_for(users.authorised).get(reverse("petitions:list")).status_code == 200


def test_list_runs_a_bounded_number_of_queries(tree, users, frozen, django_assert_max_num_queries):
    for _ in range(30):
        hotline_petition(tree.city)
    client = client_for(users.authorised)
    client.get(reverse("petitions:list"))  # warm the session
    with django_assert_max_num_queries(25):
        response = client.get(reverse("petitions:list"))
    assert response.content.decode().count('href="/petitions/') >= 30


def test_list_filters_by_deadline_state_class_channel_and_text(tree, users, frozen):
    soon, _ = hotline_petition(tree.city, content="Tố cáo về xây dựng trái phép ở khu A.")
    soon = accepted(
        classified(soon, users.authorised, matter="state"), users.authorised, D(2024, 3, 4)
    )
    other, _ = hotline_petition(tree.city, content="Kiến nghị về chợ dân sinh.")
    client = client_for(users.authorised)

    def listed(**params):
        html = client.get(reverse("petitions:list"), params).content.decode()
        return {p.pk for p in (soon, other) if f'href="{p.get_absolute_url()}"' in html}

    assert listed(q="xay dung trai phep") == {soon.pk}  # diacritics optional
    assert listed(status="received") == {other.pk}
    assert listed(status="open") == {soon.pk, other.pk}
    assert listed(petition_class="denunciation") == {soon.pk}
    assert listed(deadline="on_track") == {soon.pk}  # due 03/04, 30 days away
    assert listed(deadline="overdue") == set()


def test_detail_shows_the_actions_the_state_allows_and_logs_the_read(tree, users, frozen):
    petition, _ = hotline_petition(tree.city)
    client = client_for(users.authorised)
    url = reverse("petitions:detail", args=[petition.pk])
    html = client.get(url).content.decode()
    assert 'id="action-classify"' in html and 'id="action-conclude"' not in html
    accepted(classified(petition, users.authorised), users.authorised, D(2024, 3, 4))
    html = client.get(url).content.decode()
    assert 'id="action-conclude"' in html and 'id="action-classify"' not in html
    assert "03/06/2024" in html and 'id="deadline-explanation"' in html
    assert AccessEvent.objects.filter(kind=AccessKind.READ, object_id=str(petition.pk)).count() == 2


def test_classify_through_the_page(tree, users, members, frozen):
    petition, _ = hotline_petition(tree.city)
    person = members[next(iter(members))][0]
    client = client_for(users.authorised)
    response = client.post(
        reverse("petitions:classify", args=[petition.pk]),
        {
            "version": petition.version,
            "petition_class": "denunciation",
            "matter": "party",
            "topic": "land",
            "summary": "Tố cáo cán bộ địa chính",
            "admissible": "1",
            "subject_people": [person.pk],
            "subject_units": [tree.ward_a.pk],
            "signer_count": "1",
            "representative_count": "0",
            "complexity": "",
        },
    )
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.petition_class == "denunciation" and petition.topic == "land"
    assert set(petition.subject_people.all()) == {person}
    assert set(petition.subject_units.all()) == {tree.ward_a}


def test_a_form_error_is_shown_next_to_the_field(tree, users, frozen):
    petition, _ = hotline_petition(tree.city)
    response = client_for(users.authorised).post(
        reverse("petitions:classify", args=[petition.pk]),
        {
            "version": petition.version,
            "petition_class": "denunciation",
            "matter": "party",
            "admissible": "0",
            "signer_count": "1",
            "representative_count": "0",
        },
    )
    assert response.status_code == 400
    assert "Hãy nêu ít nhất một lý do" in response.content.decode()


def test_subject_search_offers_people_and_units_in_scope(tree, users, members, frozen):
    petition, _ = hotline_petition(tree.city)
    client = client_for(users.authorised)
    html = client.get(
        reverse("petitions:subject_search", args=[petition.pk]), {"subject_q": "truong thi"}
    ).content.decode()
    assert tree.ward_a.name in html
    html = client.get(
        reverse("petitions:subject_search", args=[petition.pk]), {"subject_q": "Sầm Sơn"}
    ).content.decode()
    assert tree.other.name not in html


def test_export_is_a_formula_safe_spreadsheet_without_identity_and_is_logged(tree, users, frozen):
    hotline_petition(tree.city, summary='=HYPERLINK("http://x")')
    response = client_for(users.authorised).get(reverse("petitions:export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Số đơn" and len(rows) == 2
    assert rows[1][-1].startswith("'=")
    assert AccessEvent.objects.filter(kind=AccessKind.EXPORT).exists()


def test_intake_page_records_a_letter_and_shows_the_code_once(tree, officer, frozen):
    client = client_for(officer)
    assert client.get(reverse("petitions:intake")).status_code == 200
    response = client.post(
        reverse("petitions:intake"),
        {
            "unit": tree.city.pk,
            "channel": "post",
            "received_on": "2024-03-01",
            "declared_class": "complaint",
            "content": "Khiếu nại quyết định kỷ luật khiển trách.",
            "signer_count": "1",
            "representative_count": "0",
        },
    )
    assert response.status_code == 200
    assert 'id="receipt-code"' in response.content.decode()
    petition = Petition.objects.get()
    assert petition.channel == "post" and petition.received_on == D(2024, 3, 1)
    assert petition.status == Status.RECEIVED


def test_transferred_letters_need_the_sending_body(tree, officer, frozen):
    response = client_for(officer).post(
        reverse("petitions:intake"),
        {
            "unit": tree.city.pk,
            "channel": "transferred",
            "received_on": "2024-03-01",
            "declared_class": "complaint",
            "content": "Đơn do nơi khác chuyển đến.",
            "signer_count": "1",
            "representative_count": "0",
        },
    )
    assert "Hãy ghi cơ quan đã chuyển đơn đến." in response.content.decode()
    assert not Petition.objects.exists()


@pytest.mark.parametrize("name", ["alerts", "grants", "reveal_log"])
def test_secondary_pages_render(tree, users, custodian, frozen, name):
    user = custodian if name == "grants" else users.authorised
    assert client_for(user).get(reverse(f"petitions:{name}")).status_code == 200
