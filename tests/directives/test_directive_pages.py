"""Directive list (filters by type, status, year; search) and detail (the cascade both ways,
aliases, replacements, attachments through core.files)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from giamsat.core.files import attachments_of
from tests.conftest import client_for
from tests.factories import make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _symbols(response):
    return [d.symbol for d in response.context["page"]]


def test_filters_by_type_status_and_year(tree, users, docs):
    client = client_for(users.authorised)
    assert _symbols(client.get("/directives/?doc_type=KH&year=2022")) == ["12-KH/ĐU", "45-KH/TU"]
    assert _symbols(client.get("/directives/?status=replaced")) == ["22-QĐ/TW"]
    assert _symbols(client.get("/directives/?doc_type=QĐi")) == ["08-QĐi/TW"]
    page = client.get("/directives/?doc_type=XX&year=abc&status=zzz")
    assert page.context["filters"] == {"q": "", "doc_type": "", "status": "", "year": ""}
    assert 2022 in page.context["years"]


def test_the_list_is_bounded_in_queries(tree, users, docs, django_assert_max_num_queries):
    client = client_for(users.authorised)
    client.get("/directives/")
    with django_assert_max_num_queries(12):
        page = client.get("/directives/?q=ke hoach&doc_type=KH")
    assert len(page.context["page"]) == 3


def test_detail_shows_the_cascade_both_ways(tree, users, docs):
    """03-KH/TW implements 21-KL/TW; below it the city plan, and below that the ward plan."""
    client = client_for(users.authorised)
    page = client.get(f"/directives/{docs['kh03'].pk}/")
    assert page.context["cascade_up"] == [docs["kl21"]]
    assert page.context["cascade_down"] == [(1, docs["city_plan"]), (2, docs["ward_plan"])]
    html = page.content.decode()
    assert "03 -KL/TƯ" in html  # the alias, as written in the article
    assert "Kế hoạch 03-KH/TW" in html
    ward = client.get(f"/directives/{docs['ward_plan'].pk}/")
    assert ward.context["cascade_up"] == [docs["city_plan"], docs["kh03"], docs["kl21"]]


def test_the_other_towns_plan_is_not_in_the_cascade_of_the_city(tree, users, docs):
    """The cascade only lists documents the user may see."""
    page = client_for(users.authorised).get(f"/directives/{docs['kh03'].pk}/")
    assert docs["other_plan"] not in [d for _depth, d in page.context["cascade_down"]]
    admin_page = client_for(users.admin).get(f"/directives/{docs['kh03'].pk}/")
    assert docs["other_plan"] in [d for _depth, d in admin_page.context["cascade_down"]]


def test_replacements_are_shown(tree, users, docs):
    client = client_for(users.authorised)
    old = client.get(f"/directives/{docs['qd22'].pk}/")
    assert old.context["replaced_by"] == docs["qd296"]
    assert client.get(f"/directives/{docs['qd296'].pk}/").context["replaces"] == [docs["qd22"]]


def test_out_of_scope_directive_is_404(tree, users, docs):
    assert (
        client_for(users.authorised).get(f"/directives/{docs['other_plan'].pk}/").status_code == 404
    )


def test_the_issuing_office_attaches_files_that_readers_download(tree, users, docs):
    """The city office attaches the PDF of its plan; a ward role downloads it; the other town
    gets 404 for both the page and the file."""
    office = make_user("committee_office", tree.city)
    client = client_for(office)
    page = client.get(f"/directives/{docs['city_plan'].pk}/")
    assert page.context["can_manage"]
    response = client.post(
        f"/directives/{docs['city_plan'].pk}/attachments/",
        {
            "file": SimpleUploadedFile("Kế hoạch 45.pdf", PDF, "application/pdf"),
            "description": "bản ký",
        },
    )
    assert response.status_code == 302
    (attachment,) = attachments_of(docs["city_plan"])
    assert attachment.original_name == "Ke_hoach_45.pdf"
    reader = client_for(make_user("cell_secretary", tree.cell_a1))
    assert (
        f"/files/{attachment.pk}/"
        in reader.get(f"/directives/{docs['city_plan'].pk}/").content.decode()
    )
    download = reader.get(f"/files/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert client_for(users.outsider).get(f"/files/{attachment.pk}/").status_code == 404


def test_only_the_issuers_managers_may_attach(tree, users, docs):
    """The city office cannot attach to the central plan; a bad file is refused with a reason."""
    office = make_user("committee_office", tree.city)
    client = client_for(office)
    response = client.post(
        f"/directives/{docs['kh03'].pk}/attachments/",
        {"file": SimpleUploadedFile("a.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 404
    response = client.post(
        f"/directives/{docs['city_plan'].pk}/attachments/",
        {"file": SimpleUploadedFile("a.pdf", b"not a pdf", "application/pdf")},
        follow=True,
    )
    assert "không khớp" in response.content.decode()
    assert attachments_of(docs["city_plan"]).count() == 0
    reader = client_for(users.authorised)  # inspection: may read, not manage
    assert reader.post(f"/directives/{docs['city_plan'].pk}/attachments/", {}).status_code == 404
