"""``giamsat import`` and ``giamsat export``: the same preview as a table, and exit codes."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from giamsat.imports.models import BatchStatus, ImportBatch
from giamsat.people.models import Person
from tests.imports.conftest import file_bytes, member


def run(*args) -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("import", *args, stdout=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def good(tmp_path, tree):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(
        file_bytes(
            "members",
            [member(tree.cell_a1), member(tree.cell_a2, name="Lê Văn Hai", card="38000002")],
        )
    )
    return path


@pytest.fixture
def bad(tmp_path, tree):
    path = tmp_path / "bad.csv"
    rows = [
        member(tree.cell_a1),
        member(tree.cell_a2, name="Sai Ngày", card="38000002", birth_date="32/01/1980"),
    ]
    path.write_bytes(file_bytes("members", rows, fmt="csv"))
    return path


def test_a_dry_run_shows_the_preview_and_writes_nothing(tree, clerk, good, english):
    code, out = run(
        "members",
        str(good),
        "--dry-run",
        "--user",
        clerk.username,
        "--unit",
        tree.city.code,
        "--as-of",
        "20/11/2026",
    )
    assert code == 0
    assert "to create" in out
    assert "Dry run: nothing was written." in out
    assert Person.objects.count() == 0
    assert ImportBatch.objects.get().status == BatchStatus.DISCARDED


def test_rejected_rows_exit_1_with_the_reasons_listed(tree, clerk, bad, english):
    code, out = run("members", str(bad), "--user", clerk.username, "--unit", tree.city.code)
    assert code == 1
    assert "Sai Ngày" in out
    assert "birth_date" in out
    assert Person.objects.count() == 0


def test_skip_rejected_imports_the_other_rows(tree, clerk, bad):
    code, _out = run(
        "members", str(bad), "--user", clerk.username, "--unit", tree.city.code, "--skip-rejected"
    )
    assert code == 0
    assert Person.objects.count() == 1


def test_an_import_exits_0_and_a_second_finds_nothing_to_do(tree, clerk, good):
    assert run("members", str(good), "--user", clerk.username, "--unit", tree.city.code)[0] == 0
    assert Person.objects.count() == 2
    code, _out = run("members", str(good), "--user", clerk.username, "--unit", tree.city.code)
    assert code == 0
    assert Person.objects.count() == 2


def test_an_unreadable_file_exits_2(tree, clerk, tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF-1.4")
    assert run("members", str(path), "--user", clerk.username, "--unit", tree.city.code)[0] == 2


def test_unknown_columns_exit_2_and_a_saved_mapping_fixes_them(tree, clerk, tmp_path):
    from giamsat.imports.models import ColumnMapping
    from tests.imports.test_column_mapping import MAPPING, other_file

    path = tmp_path / "other.xlsx"
    path.write_bytes(other_file(tree))
    assert run("members", str(path), "--user", clerk.username, "--unit", tree.city.code)[0] == 2
    ColumnMapping.objects.create(kind="members", name="CSDL", columns=MAPPING)
    assert (
        run(
            "members",
            str(path),
            "--user",
            clerk.username,
            "--unit",
            tree.city.code,
            "--mapping",
            "CSDL",
        )[0]
        == 0
    )
    assert Person.objects.count() == 1


def test_export_and_template_commands(tree, clerk, tmp_path, members):
    from io import StringIO

    from openpyxl import load_workbook

    out = tmp_path / "members.xlsx"
    call_command(
        "export",
        "members",
        str(out),
        "--user",
        clerk.username,
        "--unit",
        tree.city.code,
        stdout=StringIO(),
    )
    assert load_workbook(out).active.max_row == 1 + 6
    blank = tmp_path / "blank.xlsx"
    call_command("export", "units", str(blank), "--template", stdout=StringIO())
    assert len(load_workbook(blank).sheetnames) == 3
