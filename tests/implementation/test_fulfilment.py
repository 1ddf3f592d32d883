"""Marking a requirement done records the date, the implementing document (registered in the
directive registry, so the cascade is navigable both ways) and evidence files."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from giamsat.core.files import attachments_of
from giamsat.core.models import ConcurrentEditError
from giamsat.implementation import services
from giamsat.implementation.models import Fulfilment, RequirementKind
from giamsat.implementation.rules import ItemStatus
from tests.conftest import client_for
from tests.implementation.factories import assign, make_directive

D = dt.date


@pytest.fixture
def setup(tree, office, directive, frozen):
    plan = make_directive(tree.city, number=41, issuer_code="TU", issued_on=D(2021, 12, 10))
    assignment = assign(directive=directive, unit=tree.city, user=office, plan=plan)
    items = {
        (f.implementation.unit_id, f.requirement.kind): f
        for f in Fulfilment.objects.filter(implementation__assignment=assignment).select_related(
            "implementation__unit", "requirement"
        )
    }
    return assignment, plan, items


def test_a_new_implementing_document_joins_the_cascade(tree, office, directive, setup):
    _assignment, plan, items = setup
    item = items[(tree.ward_a.pk, RequirementKind.ISSUE_DOCUMENT)]
    services.record_fulfilment(
        fulfilment=item,
        acting_user=office,
        new_document=services.DocumentSpec("05-KH/ĐU", D(2022, 1, 12), "Kế hoạch thực hiện"),
    )
    item.refresh_from_db()
    assert item.done_on == D(2022, 1, 12)  # the document's date
    assert item.document.symbol == "05-KH/ĐU"
    assert item.document.issuing_unit == tree.ward_a
    assert item.document.implements == plan
    assert item.document.cascade_up() == [plan, directive]
    assert list(plan.implementing_documents.all()) == [item.document]
    assert item.status_on(D(2022, 10, 1)) == ItemStatus.DONE


def test_two_wards_may_issue_the_same_symbol_on_the_same_day(tree, office, setup):
    _assignment, _plan, items = setup
    spec = services.DocumentSpec("01-KH/ĐU", D(2022, 1, 12), "Kế hoạch thực hiện")
    for ward in (tree.ward_a, tree.ward_b):
        services.record_fulfilment(
            fulfilment=items[(ward.pk, RequirementKind.ISSUE_DOCUMENT)],
            acting_user=office,
            new_document=spec,
        )
    docs = {
        items[(w.pk, RequirementKind.ISSUE_DOCUMENT)].document for w in (tree.ward_a, tree.ward_b)
    }
    assert len(docs) == 2


def test_issuing_a_document_needs_the_document(tree, office, setup):
    _assignment, _plan, items = setup
    item = items[(tree.ward_a.pk, RequirementKind.ISSUE_DOCUMENT)]
    with pytest.raises(services.ImplementationError, match="phải có văn bản triển khai"):
        services.record_fulfilment(fulfilment=item, acting_user=office, done_on=D(2022, 1, 10))
    item.refresh_from_db()
    assert item.done_on is None


def test_a_bad_symbol_is_refused_and_nothing_is_written(tree, office, setup):
    _assignment, _plan, items = setup
    item = items[(tree.ward_a.pk, RequirementKind.ISSUE_DOCUMENT)]
    with pytest.raises(services.ImplementationError, match="Số và ký hiệu văn bản"):
        services.record_fulfilment(
            fulfilment=item,
            acting_user=office,
            new_document=services.DocumentSpec("KH ĐU", D(2022, 1, 12), "Kế hoạch"),
        )
    item.refresh_from_db()
    assert item.done_on is None and item.document is None


def test_a_study_done_late_is_late(tree, office, setup):
    _assignment, _plan, items = setup
    item = items[(tree.ward_b.pk, RequirementKind.ORGANISE_STUDY)]
    services.record_fulfilment(fulfilment=item, acting_user=office, done_on=D(2022, 3, 20))
    item.refresh_from_db()
    assert item.status_on(D(2022, 10, 1)) == ItemStatus.LATE


def test_a_future_date_is_refused(tree, office, setup):
    _assignment, _plan, items = setup
    with pytest.raises(services.ImplementationError, match="tương lai"):
        services.record_fulfilment(
            fulfilment=items[(tree.ward_b.pk, RequirementKind.REPORT)],
            acting_user=office,
            done_on=D(2022, 10, 2),
        )


def test_a_stale_version_is_refused(tree, office, setup):
    _assignment, _plan, items = setup
    item = items[(tree.ward_b.pk, RequirementKind.REPORT)]
    stale = item.version
    services.record_fulfilment(fulfilment=item, acting_user=office, done_on=D(2022, 6, 1))
    other = Fulfilment.objects.get(pk=item.pk)
    with pytest.raises(ConcurrentEditError):
        services.record_fulfilment(
            fulfilment=other, acting_user=office, done_on=D(2022, 6, 2), expected_version=stale
        )
    other.refresh_from_db()
    assert other.done_on == D(2022, 6, 1)


def test_reopening_clears_the_date_and_keeps_the_reason(tree, office, setup):
    _assignment, _plan, items = setup
    item = items[(tree.ward_b.pk, RequirementKind.REPORT)]
    services.record_fulfilment(fulfilment=item, acting_user=office, done_on=D(2022, 6, 1))
    services.reopen_fulfilment(fulfilment=item, acting_user=office, reason="nhập nhầm đơn vị")
    item.refresh_from_db()
    assert item.done_on is None
    assert "nhập nhầm đơn vị" in item.note
    assert item.status_on(D(2022, 10, 1)) == ItemStatus.MISSING


def test_a_user_of_another_unit_cannot_mark_it(tree, other_office, users, setup):
    _assignment, _plan, items = setup
    for user in (other_office, users.read_only):
        with pytest.raises(PermissionDenied):
            services.record_fulfilment(
                fulfilment=items[(tree.ward_b.pk, RequirementKind.REPORT)],
                acting_user=user,
                done_on=D(2022, 6, 1),
            )


def test_evidence_files_are_downloadable_only_in_scope(
    tree, office, other_office, setup, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _assignment, _plan, items = setup
    item = items[(tree.ward_b.pk, RequirementKind.ORGANISE_STUDY)]
    upload = SimpleUploadedFile("Biên bản học tập.pdf", b"%PDF-1.4 test", "application/pdf")
    services.record_fulfilment(
        fulfilment=item, acting_user=office, done_on=D(2022, 3, 1), files=[upload]
    )
    [attachment] = attachments_of(item)
    url = f"/files/{attachment.pk}/"
    assert client_for(office).get(url).status_code == 200
    assert client_for(other_office).get(url).status_code == 404
