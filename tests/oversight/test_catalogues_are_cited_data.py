"""The catalogues are dated, cited data loaded from the data files; gaps are flagged and an
administrator completes them."""

from __future__ import annotations

import pytest

from giamsat.oversight import services as s
from giamsat.oversight.models import Catalogue, CatalogueItem, ItemStatus


def test_the_27_manifestations_come_in_three_groups_of_nine():
    """NQ 04-NQ/TW: 9 + 9 + 9, dated 30/10/2016, each item with its source."""
    catalogue = Catalogue.objects.get(code="nq04-27")
    assert catalogue.valid_from.isoformat() == "2016-10-30"
    groups = {g: catalogue.items.filter(group=g).count() for g in "ABC"}
    assert groups == {"A": 9, "B": 9, "C": 9}
    assert not catalogue.items.filter(source="").exists()
    a1 = catalogue.items.get(code="A1")
    assert a1.status == ItemStatus.CONFIRMED and a1.text.startswith("Phai nhạt lý tưởng cách mạng")
    # Not read verbatim: present with its topic, flagged to be completed.
    a6 = catalogue.items.get(code="A6")
    assert a6.needs_completion and a6.text == "" and a6.label


def test_the_19_prohibitions_and_the_reported_2026_successor():
    """QĐ 37-QĐ/TW has 19 articles (Điều 2, 3, 11 verbatim); QĐ 207 (2026) is UNCONFIRMED."""
    qd37 = Catalogue.objects.get(code="qd37-19")
    assert qd37.items.count() == 19 and not qd37.unconfirmed
    assert set(qd37.items.filter(status=ItemStatus.CONFIRMED).values_list("code", flat=True)) == {
        "Điều 2",
        "Điều 3",
        "Điều 11",
    }
    qd207 = Catalogue.objects.get(code="qd207")
    assert qd207.unconfirmed and qd207.valid_from.isoformat() == "2026-07-26"
    assert not qd207.items.exclude(status=ItemStatus.UNCONFIRMED).exists()


def test_violation_groups_share_topics_across_regulations():
    """QĐ 102 (until 05/7/2022) and QĐ 69 (from 06/7/2022) both have an ethics and lifestyle
    group, so figures can count across the change."""
    before = CatalogueItem.objects.get(catalogue__code="qd102-groups", topic="ethics_lifestyle")
    after = CatalogueItem.objects.get(catalogue__code="qd69-member", topic="ethics_lifestyle")
    assert before.catalogue.valid_to.isoformat() == "2022-07-05"
    assert after.catalogue.valid_from.isoformat() == "2022-07-06"
    assert before.needs_completion and after.needs_completion


def test_an_administrator_completes_an_item_with_its_source():
    """Marking an item as read verbatim needs its text and the source."""
    item = CatalogueItem.objects.get(catalogue__code="qd37-19", code="Điều 10")
    with pytest.raises(s.OversightError, match="needs its text"):
        s.complete_catalogue_item(
            item=item, label="x", text="", status=ItemStatus.CONFIRMED, source="x", acting_user=None
        )
    with pytest.raises(s.OversightError, match="source"):
        s.complete_catalogue_item(
            item=item,
            label="x",
            text="Nội dung",
            status=ItemStatus.CONFIRMED,
            source="",
            acting_user=None,
        )
    s.complete_catalogue_item(
        item=item,
        label="Điều 10",
        text="Nội dung chính thức",
        status=ItemStatus.CONFIRMED,
        source="Văn bản gốc",
        acting_user=None,
    )
    item.refresh_from_db()
    assert not item.needs_completion


def test_only_administrators_reach_the_completion_page(users, client_as):
    """The completion page is for administrators; others get 404."""
    item = CatalogueItem.objects.get(catalogue__code="qd37-19", code="Điều 12")
    url = f"/oversight/catalogues/items/{item.pk}/edit/"
    assert client_as(users.authorised).get(url).status_code == 404
    admin = client_as(users.admin)
    assert admin.get(url).status_code == 200
    response = admin.post(
        url,
        {
            "label": "Điều 12",
            "text": "Văn bản",
            "status": "confirmed",
            "source": "Bản gốc",
            "topic": "",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.CONFIRMED


def test_reloading_the_data_file_never_overwrites_a_completion():
    """The loader only creates missing rows."""
    from giamsat.oversight.catalogue_data import load_catalogues

    item = CatalogueItem.objects.get(catalogue__code="nq04-27", code="A7")
    item.text = "Đã bổ sung"
    item.save()
    assert load_catalogues(Catalogue, CatalogueItem) == 0
    item.refresh_from_db()
    assert item.text == "Đã bổ sung"
