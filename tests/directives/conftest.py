"""Fixtures of the directives tests."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine


@pytest.fixture
def frozen_today():
    """Today is 02/03/2026 (after the reform of 01/07/2025)."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        yield dt.date(2026, 3, 2)


@pytest.fixture
def docs(tree):
    """The seed's documents, a city plan implementing 03-KH/TW, a ward plan below it, and a
    plan of the other town (a sibling organisation)."""
    from giamsat.directives.models import Directive, DirectiveAlias, DirectiveStatus
    from giamsat.units.models import OrganKind, UnitKind
    from tests.factories import make_unit

    politburo = make_unit(
        "Bộ Chính trị",
        UnitKind.ORGAN,
        tree.central,
        organ_kind=OrganKind.POLITBURO,
        issuer_code="TW",
    )

    def make(doc_type, number, issuer, day, title, unit, **extra):
        return Directive.objects.create(
            doc_type=doc_type,
            number=number,
            issuer_code=issuer,
            issued_on=day,
            title=title,
            issuing_unit=unit,
            **extra,
        )

    d = dt.date
    found = {
        "nq04": make(
            "NQ",
            4,
            "TW",
            d(2016, 10, 30),
            "Nghị quyết về tăng cường xây dựng, chỉnh đốn Đảng",
            tree.central,
        ),
        "qd08": make(
            "QĐi",
            8,
            "TW",
            d(2018, 10, 25),
            "Quy định về trách nhiệm nêu gương của cán bộ, đảng viên",
            tree.central,
        ),
        "kl21": make(
            "KL",
            21,
            "TW",
            d(2021, 10, 25),
            "Kết luận về đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị",
            tree.central,
        ),
        "qd22": make(
            "QĐ",
            22,
            "TW",
            d(2021, 7, 28),
            "Quy định về công tác kiểm tra, giám sát và kỷ luật của Đảng",
            tree.central,
        ),
    }
    found["kh03"] = make(
        "KH",
        3,
        "TW",
        d(2021, 12, 1),
        "Kế hoạch của Bộ Chính trị thực hiện Kết luận số 21-KL/TW",
        politburo,
        implements=found["kl21"],
        issuing_body_name="Bộ Chính trị",
    )
    found["qd296"] = make(
        "QĐ",
        296,
        "TW",
        d(2025, 5, 30),
        "Quy định về công tác kiểm tra, giám sát và kỷ luật của Đảng",
        tree.central,
    )
    found["qd22"].status = DirectiveStatus.REPLACED
    found["qd22"].replaced_by = found["qd296"]
    found["qd22"].save()
    DirectiveAlias.objects.create(
        directive=found["kh03"], text="03 -KL/TƯ", note="bài báo 30/09/2022"
    )
    found["city_plan"] = make(
        "KH",
        45,
        "TU",
        d(2022, 1, 10),
        "Kế hoạch thực hiện Kế hoạch 03-KH/TW",
        tree.city,
        implements=found["kh03"],
    )
    found["ward_plan"] = make(
        "KH",
        12,
        "ĐU",
        d(2022, 2, 1),
        "Kế hoạch của Đảng ủy phường Trường Thi",
        tree.ward_a,
        implements=found["city_plan"],
    )
    found["other_plan"] = make(
        "KH",
        7,
        "TU",
        d(2022, 1, 15),
        "Kế hoạch của Thị ủy Sầm Sơn",
        tree.other,
        implements=found["kh03"],
    )
    found["politburo"] = politburo
    return found
