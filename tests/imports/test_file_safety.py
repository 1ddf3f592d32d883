"""Unsafe or unreadable uploads are refused with a clear message, and nothing is stored."""

from __future__ import annotations

import io

import pytest
from django.test import override_settings
from openpyxl import Workbook

from giamsat.imports.models import BatchStatus, ImportBatch
from giamsat.imports.services import ImportRefusedError, stage_import
from tests.imports.conftest import TODAY, file_bytes, member, upload


def refused(tree, clerk, data: bytes, name: str, kind="members") -> str:
    with pytest.raises(ImportRefusedError) as info:
        stage_import(
            kind=kind, upload=upload(data, name), unit=tree.city, as_of=TODAY, acting_user=clerk
        )
    assert ImportBatch.objects.count() == 0
    return str(info.value)


def test_a_file_over_the_size_limit_is_refused(tree, clerk, english):
    with override_settings(GIAMSAT_IMPORT_MAX_MB=1):
        message = refused(tree, clerk, b"a,b\n" + b"x,y\n" * 300_000, "big.csv")
    assert "limit is 1 MB" in message


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"%PDF-1.7 ...", "roster.pdf", "Only .xlsx and .csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "roster.xls", ".xls"),
        (b"PK\x03\x04 not really a zip", "roster.xlsx", "damaged"),
        (b"", "roster.csv", "empty"),
        (
            "Hä vµ tªn,Ngµy sinh\nNguyÔn V¨n A,01/01/1970\nTrÇn ThÞ B,02/02/1971\n".encode(
                "latin-1"
            ),
            "old.csv",
            "TCVN3",
        ),
    ],
)
def test_unreadable_files_are_refused_with_the_reason(tree, clerk, english, data, name, words):
    assert words in refused(tree, clerk, data, name)


def test_a_windows_1258_roster_is_read_with_a_notice(tree, stage):
    from tests.core.test_excel_encodings import windows_1258

    text = file_bytes("members", [member(tree.cell_a1)], fmt="csv").decode("utf-8")
    batch = stage("members", [], data=windows_1258(text), name="cp1258.csv")
    assert batch.created_count == 1
    assert batch.encoding == "cp1258"
    assert any("1258" in n for n in batch.notices)


def test_a_file_without_any_header_is_refused(tree, clerk, english):
    wb = Workbook()
    out = io.BytesIO()
    wb.save(out)
    assert "header" in refused(tree, clerk, out.getvalue(), "blank.xlsx")


def test_a_workbook_whose_sheet_is_damaged_fails_with_the_reason(
    tree, clerk, stage, english, monkeypatch
):
    import giamsat.imports.services as services
    from giamsat.core.excel import SpreadsheetError

    batch = stage_import(
        kind="members",
        upload=upload(file_bytes("members", [member(tree.cell_a1)])),
        unit=tree.city,
        as_of=TODAY,
        acting_user=clerk,
    )

    def damaged(*args, **kwargs):
        raise SpreadsheetError("The spreadsheet is damaged after row 7 and cannot be read.")

    monkeypatch.setattr(services, "read_sheet", damaged)
    batch = services.preview_batch(batch=batch)
    assert batch.status == BatchStatus.FAILED
    assert "row 7" in batch.error


def test_the_stored_file_name_is_sanitised(tree, stage):
    batch = stage("members", [member(tree.cell_a1)], name="../../Danh sách đảng viên.xlsx")
    assert batch.original_name == "Danh_sach_dang_vien.xlsx"
    assert ".." not in batch.file.name
