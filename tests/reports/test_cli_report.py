"""``giamsat report --unit UNIT --from DATE --to DATE [--directive SYMBOL …] --out FILE.docx``:
UNIT by id, code or a name fragment without diacritics; an ambiguous fragment lists the
candidates and exits with status 2."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document

from giamsat.directives.models import Directive, DirectiveAlias
from giamsat.reports.lookup import UnitLookupError, resolve_directive, resolve_unit
from giamsat.reports.models import Report


@pytest.fixture
def plan(db):
    directive = Directive.objects.create(
        doc_type="KH",
        number=3,
        issuer_code="TW",
        issued_on=dt.date(2021, 12, 1),
        title="Kế hoạch của Bộ Chính trị thực hiện Kết luận số 21-KL/TW",
    )
    DirectiveAlias.objects.create(directive=directive, text="03-KL/TƯ")
    return directive


def test_a_unit_is_found_by_id_code_or_name_without_diacritics(tree):
    assert resolve_unit(str(tree.city.pk)) == tree.city
    assert resolve_unit(tree.city.code) == tree.city
    assert resolve_unit("truong thi") == tree.ward_a
    assert resolve_unit("THANH PHO THANH HOA") == tree.city


def test_an_ambiguous_fragment_lists_the_candidates(tree):
    with pytest.raises(UnitLookupError) as problem:
        resolve_unit("chi bo khu pho")
    assert set(problem.value.candidates) == {tree.cell_a1, tree.cell_a2, tree.cell_b1}


def test_the_command_writes_the_docx(tree, plan, tmp_path, capsys):
    out = tmp_path / "bao-cao.docx"
    call_command(
        "report",
        "--unit",
        "thanh pho thanh hoa",
        "--from",
        "01/01/2019",
        "--to",
        "30/09/2022",
        "--directive",
        "03 -KL/TƯ",
        "--date",
        "30/09/2022",
        "--out",
        str(out),
        "--xlsx",
        str(tmp_path / "phu-luc.xlsx"),
    )
    document = Document(io.BytesIO(out.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Kế hoạch 03-KH/TW" in text
    assert (tmp_path / "phu-luc.xlsx").read_bytes()[:2] == b"PK"
    assert Report.objects.count() == 0  # nothing saved without --save
    # every code of the built-in template is registered: no "figures not available" warning
    assert "figures not available" not in capsys.readouterr().err


def test_an_ambiguous_unit_exits_with_status_2(tree, tmp_path, capsys):
    with pytest.raises(CommandError) as error:
        call_command(
            "report",
            "--unit",
            "chi bo",
            "--from",
            "01/01/2019",
            "--to",
            "30/09/2022",
            "--out",
            str(tmp_path / "x.docx"),
        )
    assert error.value.returncode == 2
    err = capsys.readouterr().err
    assert "Chi bộ khu phố 1" in err and "Chi bộ Sầm Sơn 1" in err
    assert not (tmp_path / "x.docx").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--unit", "nothing like it", "--from", "01/01/2019", "--to", "30/09/2022"],
        ["--unit", "truong thi", "--from", "32/01/2019", "--to", "30/09/2022"],
        ["--unit", "truong thi", "--from", "01/01/2023", "--to", "30/09/2022"],
        ["--unit", "truong thi", "--from", "01/01/2019", "--to", "30/09/2022", "--directive", "x"],
    ],
)
def test_bad_input_exits_with_status_2(tree, tmp_path, args):
    with pytest.raises(CommandError) as error:
        call_command("report", *args, "--out", str(tmp_path / "x.docx"))
    assert error.value.returncode == 2


def test_directives_by_symbol_or_alias(plan):
    assert resolve_directive("03-KH/TW") == plan
    assert resolve_directive("Số 03 -KL/TƯ") == plan


def test_save_keeps_a_draft(tree, tmp_path):
    call_command(
        "report",
        "--unit",
        str(tree.ward_b.pk),
        "--from",
        "01/01/2019",
        "--to",
        "30/09/2022",
        "--save",
        "--out",
        str(tmp_path / "x.docx"),
    )
    assert Report.objects.get().unit == tree.ward_b
