"""The import pages: for users who may import, scoped to their organisations (404 elsewhere)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from giamsat.audit.models import AccessEvent
from giamsat.imports.models import BatchStatus, ImportBatch, MissingResolution
from giamsat.people.models import Person
from tests.conftest import client_for
from tests.imports.conftest import file_bytes, member, upload


def post_file(client, tree, rows, **extra):
    data = {
        "kind": "members",
        "unit": tree.city.pk,
        "as_of": "20/11/2026",
        "file": upload(file_bytes("members", rows)),
    }
    data.update(extra)
    return client.post(reverse("imports:upload"), data)


@pytest.fixture
def page(clerk):
    return client_for(clerk)


def test_the_import_pages_need_the_import_capability(tree, users):
    client = client_for(users.read_only)
    assert client.get(reverse("imports:home")).status_code == 404
    assert client.get(reverse("imports:template", args=["members"])).status_code == 404


def test_a_batch_of_another_organisation_is_not_found(tree, stage, users):
    from giamsat.accounts.roles import Role
    from tests.factories import make_user

    batch = stage("members", [member(tree.cell_a1)])
    other = client_for(make_user(Role.ORGANISATION, tree.other, username="tochuc_other"))
    for name in ("imports:detail", "imports:status", "imports:mapping", "imports:rejected"):
        assert other.get(reverse(name, args=[batch.pk])).status_code == 404
    assert other.post(reverse("imports:confirm", args=[batch.pk])).status_code == 404
    assert other.get(f"/api/v1/imports/batches/{batch.pk}").status_code == 404


def test_upload_preview_confirm(tree, page):
    page.cookies["django_language"] = "en"
    response = post_file(
        page,
        tree,
        [
            member(tree.cell_a1),
            member(tree.cell_a2, name="Sai", card="3800002", birth_date="1/13/1980"),
        ],
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == batch.get_absolute_url()
    html = page.get(batch.get_absolute_url()).content.decode()
    assert "is not a date" in html
    assert "(column B)" in html
    # rejected rows block the import ...
    response = page.post(reverse("imports:confirm", args=[batch.pk]))
    assert Person.objects.count() == 0
    # ... unless the user skips them
    response = page.post(reverse("imports:confirm", args=[batch.pk]), {"skip_rejected": "on"})
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED
    assert Person.objects.count() == 1


def test_the_rejected_rows_download_has_the_original_cells_and_the_reasons(tree, page, stage):
    batch = stage("members", [member(tree.cell_a1), member(tree.cell_a2, name="Sai", card="12")])
    response = page.get(reverse("imports:rejected", args=[batch.pk]))
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][0] == 3
    assert "12" in rows[1][1]
    assert rows[1][2] == "Sai"


def test_an_unreadable_file_is_refused_on_the_page(tree, page):
    response = page.post(
        reverse("imports:upload"),
        {
            "kind": "members",
            "unit": tree.city.pk,
            "as_of": "20/11/2026",
            "file": upload(b"%PDF-1.4", "a.pdf"),
        },
    )
    assert response.status_code == 400
    assert "Chỉ nhận tệp .xlsx và .csv" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_an_organisation_outside_the_scope_cannot_be_chosen(tree, page):
    response = post_file(page, tree, [member(tree.cell_o1)], unit=tree.other.pk)
    assert response.status_code == 400
    assert ImportBatch.objects.count() == 0


def test_mapping_page_then_preview(tree, page):
    from tests.imports.test_column_mapping import MAPPING, other_file

    page.post(
        reverse("imports:upload"),
        {
            "kind": "members",
            "unit": tree.city.pk,
            "as_of": "20/11/2026",
            "file": upload(other_file(tree)),
        },
    )
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.NEEDS_MAPPING
    assert page.get(reverse("imports:mapping", args=[batch.pk])).status_code == 200
    data = {f"col_{k}": v for k, v in MAPPING.items()} | {"save_as": "Nguồn A"}
    response = page.post(reverse("imports:mapping", args=[batch.pk]), data)
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.mapping.name) == (
        BatchStatus.READY,
        1,
        "Nguồn A",
    )
    assert "Nguồn A" in page.get(reverse("imports:mappings")).content.decode()


def test_missing_members_are_resolved_on_the_page(tree, page, stage, clerk, members):
    from giamsat.imports.services import apply_batch

    keep = members[tree.cell_a1.code][0]
    row = member(
        tree.cell_a1,
        name=keep.full_name,
        card=keep.party_card_number,
        birth_date=keep.birth_date,
        gender="Nam",
        joined_on=keep.joined_on,
        official_on=keep.official_on,
    )
    batch = stage("members", [row], unit=tree.ward_a)
    assert batch.missing_count == 3
    html = page.get(batch.get_absolute_url()).content.decode()
    assert 'id="missing"' in html
    apply_batch(batch=batch, acting_user=clerk)
    gone = batch.missing.get(person=members[tree.cell_a1.code][1])
    response = page.post(
        reverse("imports:resolve", args=[batch.pk]),
        {f"m-{gone.pk}": MissingResolution.DECEASED, f"d-{gone.pk}": "02/11/2026"},
    )
    assert response.status_code == 302
    gone.refresh_from_db()
    assert gone.resolution == MissingResolution.DECEASED
    assert gone.person.status == "deceased"


def test_templates_document_every_column_in_a_guide_sheet(tree, page):
    from giamsat.imports.columns import TEMPLATES

    for kind, template in TEMPLATES.items():
        response = page.get(reverse("imports:template", args=[kind]))
        wb = load_workbook(io.BytesIO(response.content))
        assert len(wb.sheetnames) == 3
        data, example, guide = wb.worksheets
        headers = [c.value for c in data[1]]
        assert headers == [c.header() for c in template.columns]
        assert [c.value for c in example[1]] == headers
        documented = {row[0] for row in guide.iter_rows(values_only=True)}
        assert set(headers) <= documented


def test_export_is_logged_and_scoped(tree, page, members):
    response = page.get(
        reverse("imports:export"), {"kind": "members", "unit": tree.city.pk, "as_of": "20/11/2026"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AccessEvent.objects.filter(kind="export").count() == 1
    refused = page.get(
        reverse("imports:export"), {"kind": "members", "unit": tree.other.pk, "as_of": "20/11/2026"}
    )
    assert refused.status_code == 302


def test_the_import_list_is_a_constant_number_of_queries(
    tree, page, stage, django_assert_max_num_queries
):
    for _ in range(5):
        stage("members", [member(tree.cell_a1)])
    with django_assert_max_num_queries(30):
        response = page.get(reverse("imports:home"))
    assert response.content.decode().count("file.xlsx") == 5


def test_discard(tree, page, stage):
    batch = stage("members", [member(tree.cell_a1)])
    page.post(reverse("imports:discard", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DISCARDED
    assert not batch.file
