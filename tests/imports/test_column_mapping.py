"""Files with other headers: recognised spellings map themselves; otherwise the user maps the
columns once and the mapping is saved for the next file from the same source."""

from __future__ import annotations

import pytest

from giamsat.imports.columns import TEMPLATES
from giamsat.imports.models import BatchStatus, ColumnMapping
from giamsat.imports.services import ImportRefusedError, map_columns, preview_batch
from giamsat.imports.services import stage_import as stage_service
from tests.imports.conftest import TODAY, counts, file_bytes, member, upload

OTHER = [
    "STT",
    "Tên đầy đủ",
    "Sinh",
    "Nam/Nữ",
    "Thẻ",
    "CCCD",
    "Kết nạp",
    "Công nhận",
    "Loại",
    "Chi bộ",
    "Tên chi bộ",
    "Hình thức",
    "Từ",
]


def other_file(tree, title_rows=0) -> bytes:
    from giamsat.core.excel import write_xlsx

    rows = [
        [
            1,
            *(
                member(tree.cell_a1)[k]
                for k in (
                    "full_name",
                    "birth_date",
                    "gender",
                    "party_card_number",
                    "identity_number",
                    "joined_on",
                    "official_on",
                    "status",
                    "cell_code",
                )
            ),
            "",
            "",
            "",
        ]
    ]
    lines = [["DANH SÁCH ĐẢNG VIÊN"]] * title_rows + [OTHER] + rows
    return write_xlsx([("Sheet1", [], lines)])


MAPPING = {
    "full_name": "Tên đầy đủ",
    "birth_date": "Sinh",
    "gender": "Nam/Nữ",
    "party_card_number": "Thẻ",
    "identity_number": "CCCD",
    "joined_on": "Kết nạp",
    "official_on": "Công nhận",
    "status": "Loại",
    "cell_code": "Chi bộ",
}


def test_common_other_spellings_are_recognised_without_mapping(tree, stage):
    headers = [
        "Họ tên",
        "Ngày tháng năm sinh",
        "Giới tính",
        "Số thẻ",
        "Số CCCD",
        "Ngày kết nạp",
        "Ngày công nhận chính thức",
        "Tình trạng",
        "Mã chi bộ",
        "Chi bộ",
        "Sinh hoạt",
        "Ngày chuyển đến",
    ]
    batch = stage("members", [member(tree.cell_a1)], headers=headers)
    assert batch.status == BatchStatus.READY
    assert counts(batch) == (1, 0, 0, 0)


def test_a_file_with_unknown_headers_waits_for_a_mapping_which_is_saved(tree, clerk):
    batch = stage_service(
        kind="members",
        upload=upload(other_file(tree, title_rows=2)),
        unit=tree.city,
        as_of=TODAY,
        acting_user=clerk,
    )
    assert batch.status == BatchStatus.NEEDS_MAPPING
    assert batch.header_row == 3  # found below the title rows
    with pytest.raises(ImportRefusedError):
        map_columns(batch=batch, columns={"full_name": "Tên đầy đủ"}, acting_user=clerk)
    map_columns(batch=batch, columns=MAPPING, acting_user=clerk, save_as="Xuất từ CSDL 3.0")
    batch = preview_batch(batch=batch)
    assert counts(batch) == (1, 0, 0, 0)
    saved = ColumnMapping.objects.get(kind="members", name="Xuất từ CSDL 3.0")
    assert saved.columns["cell_code"] == "Chi bộ"

    again = stage_service(
        kind="members",
        upload=upload(other_file(tree)),
        unit=tree.city,
        as_of=TODAY,
        acting_user=clerk,
        mapping=saved,
    )
    assert again.status == BatchStatus.PROCESSING
    assert counts(preview_batch(batch=again)) == (1, 0, 0, 0)


def test_a_mapping_can_send_a_field_to_any_column(tree, clerk):
    data = file_bytes(
        "members",
        [member(tree.cell_a1, party_card_number="38000001", identity_number="038185012345")],
    )
    identity_header = TEMPLATES["members"].column("identity_number").header()
    saved = ColumnMapping.objects.create(
        kind="members", name="swap", columns={"party_card_number": identity_header}
    )
    batch = stage_service(
        kind="members",
        upload=upload(data),
        unit=tree.city,
        as_of=TODAY,
        acting_user=clerk,
        mapping=saved,
    )
    assert batch.headers[batch.columns["party_card_number"]] == identity_header
    assert "identity_number" not in batch.columns


def test_only_the_author_or_an_administrator_deletes_a_mapping(tree, clerk, users):
    from giamsat.accounts.roles import Role
    from giamsat.imports.services import delete_mapping
    from tests.factories import make_user

    saved = ColumnMapping.objects.create(
        kind="members", name="A", columns=MAPPING, created_by=clerk
    )
    colleague = make_user(Role.ORGANISATION, tree.city, username="tochuc_2")
    with pytest.raises(ImportRefusedError):
        delete_mapping(mapping=saved, acting_user=colleague)
    delete_mapping(mapping=saved, acting_user=users.admin)
    assert not ColumnMapping.objects.exists()
