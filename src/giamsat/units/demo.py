"""Demo tree: the central bodies of the seed, Thanh Hóa province, the city (until 30/06/2025)
with its ward and commune committees, the city police, cells under them, and the 2025 reform.

Place names are real; the grouping of wards into new wards on 01/07/2025 is illustrative (the
demo shows how a merger is recorded, not the exact official mapping).
"""

from __future__ import annotations

import datetime as dt

from giamsat.core.demo import REFORM_DAY, DemoContext
from giamsat.units.models import OrganKind, Unit, UnitKind
from giamsat.units.services import (
    Decision,
    NewUnit,
    dissolve_unit,
    establish_unit,
    merge_units,
    move_unit,
)

FOUNDED = dt.date(2015, 1, 1)

CENTRAL_ORGANS = [
    ("TW-BCT", "Bộ Chính trị", OrganKind.POLITBURO, "TW"),
    ("TW-BBT", "Ban Bí thư", OrganKind.SECRETARIAT, "TW"),
    ("TW-UBKT", "Ủy ban Kiểm tra Trung ương", OrganKind.INSPECTION_COMMISSION, "UBKTTW"),
    ("TW-VP", "Văn phòng Trung ương Đảng", OrganKind.OFFICE, "VPTW"),
    ("TW-BTC", "Ban Tổ chức Trung ương", OrganKind.ORGANISATION_COMMISSION, "BTCTW"),
    ("TW-BKT", "Ban Kinh tế Trung ương", OrganKind.ECONOMIC, "BKTTW"),
    ("TW-BDV", "Ban Dân vận Trung ương", OrganKind.MASS_MOBILISATION, "BDVTW"),
]

# Ward (phường) and commune (xã) committees of the city before 2025, and the illustrative
# new ward each one merged into on 01/07/2025.
CITY_WARDS = [
    ("Trường Thi", "phường", "Hạc Thành"),
    ("Điện Biên", "phường", "Hạc Thành"),
    ("Lam Sơn", "phường", "Hạc Thành"),
    ("Ba Đình", "phường", "Hạc Thành"),
    ("Ngọc Trạo", "phường", "Hạc Thành"),
    ("Đông Thọ", "phường", "Hạc Thành"),
    ("Hàm Rồng", "phường", "Hàm Rồng"),
    ("Nam Ngạn", "phường", "Hàm Rồng"),
    ("Đông Cương", "phường", "Hàm Rồng"),
    ("Đông Hương", "phường", "Đông Tiến"),
    ("Đông Hải", "phường", "Đông Tiến"),
    ("Đông Vệ", "phường", "Đông Tiến"),
    ("An Hưng", "phường", "Đông Tiến"),
    ("Đông Sơn", "phường", "Đông Sơn"),
    ("Phú Sơn", "phường", "Đông Sơn"),
    ("Tân Sơn", "phường", "Đông Sơn"),
    ("Quảng Hưng", "phường", "Quảng Phú"),
    ("Quảng Thành", "phường", "Quảng Phú"),
    ("Quảng Thắng", "phường", "Quảng Phú"),
    ("Quảng Phú", "xã", "Quảng Phú"),
    ("Quảng Tâm", "xã", "Quảng Phú"),
    ("Tào Xuyên", "phường", "Nguyệt Viên"),
    ("Long Anh", "phường", "Nguyệt Viên"),
    ("Hoằng Quang", "xã", "Nguyệt Viên"),
    ("Hoằng Đại", "xã", "Nguyệt Viên"),
    ("Thiệu Dương", "xã", "Đông Quang"),
    ("Thiệu Khánh", "xã", "Đông Quang"),
    ("Đông Lĩnh", "xã", "Đông Quang"),
]

NEW_WARDS = [
    "Hạc Thành",
    "Hàm Rồng",
    "Đông Tiến",
    "Đông Sơn",
    "Quảng Phú",
    "Nguyệt Viên",
    "Đông Quang",
]


def _code(prefix: str, name: str) -> str:
    from giamsat.core.text import search_key

    return prefix + "-" + search_key(name).replace(" ", "").upper()


def _organs(ctx: DemoContext, committee: Unit, prefix: str, title: str, kinds) -> None:
    names = {
        OrganKind.STANDING_COMMITTEE: "Ban Thường vụ",
        OrganKind.INSPECTION_COMMISSION: "Ủy ban Kiểm tra",
        OrganKind.OFFICE: "Văn phòng",
        OrganKind.ORGANISATION_COMMISSION: "Ban Tổ chức",
    }
    for kind in kinds:
        code = f"{prefix}-{kind.upper()[:6]}"
        ctx.units[code] = establish_unit(
            spec=NewUnit(
                code=code, name=f"{names[kind]} {title}", kind=UnitKind.ORGAN, organ_kind=kind
            ),
            parent=committee,
            date=committee.valid_from,
        )


ORGAN_KINDS = [
    OrganKind.STANDING_COMMITTEE,
    OrganKind.INSPECTION_COMMISSION,
    OrganKind.OFFICE,
    OrganKind.ORGANISATION_COMMISSION,
]


def _cells(ctx: DemoContext, parent: Unit, prefix: str, count: int, label: str) -> list[Unit]:
    # A reduced scenario (the scope-matrix test) sets ctx.data["cells_per_unit"].
    count = ctx.data.get("cells_per_unit") or count
    cells = []
    for i in range(1, count + 1):
        code = f"{prefix}-CB{i:02d}"
        cell = establish_unit(
            spec=NewUnit(code=code, name=f"Chi bộ {label} {i}", kind=UnitKind.CELL),
            parent=parent,
            date=parent.valid_from,
        )
        ctx.units[code] = cell
        cells.append(cell)
    return cells


def load(ctx: DemoContext) -> None:
    central = establish_unit(
        spec=NewUnit(
            code="TW",
            name="Ban Chấp hành Trung ương",
            kind=UnitKind.CENTRAL_COMMITTEE,
            issuer_code="TW",
            place_name="Hà Nội",
        ),
        parent=None,
        date=FOUNDED,
    )
    ctx.units["TW"] = central
    for code, name, organ, issuer in CENTRAL_ORGANS:
        ctx.units[code] = establish_unit(
            spec=NewUnit(
                code=code,
                name=name,
                kind=UnitKind.ORGAN,
                organ_kind=organ,
                issuer_code=issuer,
                place_name="Hà Nội",
            ),
            parent=central,
            date=FOUNDED,
        )

    province = establish_unit(
        spec=NewUnit(
            code="TH",
            name="Đảng bộ tỉnh Thanh Hóa",
            kind=UnitKind.UNDER_CENTRE,
            issuer_code="TU",
            place_name="Thanh Hóa",
        ),
        parent=central,
        date=FOUNDED,
    )
    ctx.units["TH"] = province
    _organs(ctx, province, "TH", "Tỉnh ủy", ORGAN_KINDS)
    province_police = establish_unit(
        spec=NewUnit(
            code="TH-CA",
            name="Đảng bộ Công an tỉnh Thanh Hóa",
            kind=UnitKind.UPPER_GRASSROOTS,
            issuer_code="ĐU",
            place_name="Thanh Hóa",
        ),
        parent=province,
        date=FOUNDED,
    )
    ctx.units["TH-CA"] = province_police

    city = establish_unit(
        spec=NewUnit(
            code="TP",
            name="Đảng bộ thành phố Thanh Hóa",
            kind=UnitKind.UPPER_GRASSROOTS,
            issuer_code="TU",
            place_name="Thanh Hóa",
        ),
        parent=province,
        date=FOUNDED,
    )
    ctx.units["TP"] = city
    _organs(ctx, city, "TP", "Thành ủy", ORGAN_KINDS)

    ward_units: dict[str, Unit] = {}
    for name, kind_word, _new in CITY_WARDS:
        code = _code("TP", name)
        full = f"Đảng bộ {kind_word} {name}"
        ward = establish_unit(
            spec=NewUnit(
                code=code,
                name=full,
                kind=UnitKind.GRASSROOTS_ORG,
                issuer_code="ĐU",
                place_name="Thanh Hóa",
                grassroots_type=kind_word,
            ),
            parent=city,
            date=FOUNDED,
        )
        ctx.units[code] = ward
        ward_units[name] = ward
        _organs(ctx, ward, code, f"Đảng ủy {kind_word} {name}", [OrganKind.INSPECTION_COMMISSION])
        _cells(
            ctx,
            ward,
            code,
            8 + ctx.rng.randint(0, 4),
            "khu phố" if kind_word == "phường" else "thôn",
        )

    police = establish_unit(
        spec=NewUnit(
            code="TP-CA",
            name="Đảng bộ Công an thành phố Thanh Hóa",
            kind=UnitKind.GRASSROOTS_ORG,
            issuer_code="ĐU",
            place_name="Thanh Hóa",
            grassroots_type="lực lượng vũ trang",
        ),
        parent=city,
        date=FOUNDED,
    )
    ctx.units["TP-CA"] = police
    _organs(ctx, police, "TP-CA", "Đảng ủy Công an thành phố", [OrganKind.INSPECTION_COMMISSION])
    _cells(ctx, police, "TP-CA", 8, "Công an")
    # A few agency cells directly under the city (chi bộ cơ sở).
    for code, name in [
        ("TP-CBVP", "Chi bộ Văn phòng Thành ủy"),
        ("TP-CBUB", "Chi bộ Văn phòng HĐND và UBND thành phố"),
        ("TP-CBGD", "Chi bộ Phòng Giáo dục và Đào tạo"),
    ]:
        ctx.units[code] = establish_unit(
            spec=NewUnit(
                code=code, name=name, kind=UnitKind.GRASSROOTS_CELL, grassroots_type="cơ quan"
            ),
            parent=city,
            date=FOUNDED,
        )
    ctx.data["city_wards"] = ward_units

    # Another upper-grassroots organisation of the province, for scope tests and contrast.
    samson = establish_unit(
        spec=NewUnit(
            code="SS",
            name="Đảng bộ thành phố Sầm Sơn",
            kind=UnitKind.UPPER_GRASSROOTS,
            issuer_code="TU",
            place_name="Sầm Sơn",
        ),
        parent=province,
        date=FOUNDED,
    )
    ctx.units["SS"] = samson
    _organs(ctx, samson, "SS", "Thành ủy Sầm Sơn", ORGAN_KINDS[:2])
    for name in ["Trung Sơn", "Bắc Sơn"]:
        code = _code("SS", name)
        ward = establish_unit(
            spec=NewUnit(
                code=code,
                name=f"Đảng bộ phường {name}",
                kind=UnitKind.GRASSROOTS_ORG,
                issuer_code="ĐU",
            ),
            parent=samson,
            date=FOUNDED,
        )
        ctx.units[code] = ward
        _cells(ctx, ward, code, 4, "khu phố")

    _reform(ctx, province, city, ward_units, police, province_police, samson)


def _reform(ctx, province, city, ward_units, police, province_police, samson) -> None:
    """01/07/2025: district level ends; wards merge into new wards directly under the province."""
    decision = Decision(
        symbol="341-QĐ/TW",
        date=dt.date(2025, 7, 23),
        note="Minh họa: cách ghép phường trong dữ liệu mẫu không phải phương án chính thức.",
    )
    by_new: dict[str, list[Unit]] = {}
    for old, _kind, new in CITY_WARDS:
        by_new.setdefault(new, []).append(ward_units[old])
    for new_name in NEW_WARDS:
        code = _code("TH", new_name)
        ctx.units[code] = merge_units(
            sources=by_new[new_name],
            new_unit=NewUnit(
                code=code,
                name=f"Đảng bộ phường {new_name}",
                kind=UnitKind.GRASSROOTS_ORG,
                issuer_code="ĐU",
                place_name="Thanh Hóa",
            ),
            parent=province,
            date=REFORM_DAY,
            decision=decision,
        )
    move_unit(unit=police, parent=province_police, date=REFORM_DAY, decision=decision)
    # City agency cells join the new central ward; the city's organs end with it.
    for code in ("TP-CBVP", "TP-CBUB", "TP-CBGD"):
        move_unit(
            unit=ctx.units[code],
            parent=ctx.units[_code("TH", "Hạc Thành")],
            date=REFORM_DAY,
            decision=decision,
        )
    dissolve_unit(unit=city, date=REFORM_DAY, decision=decision)
    # Sầm Sơn likewise ends; its wards move under the province unchanged.
    for ward in Unit.objects.children_of(samson, REFORM_DAY - dt.timedelta(days=1)).organisations():
        move_unit(unit=ward, parent=province, date=REFORM_DAY, decision=decision)
    dissolve_unit(unit=samson, date=REFORM_DAY, decision=decision)
    ctx.log(f"units: {Unit.objects.count()} (reform replayed on {REFORM_DAY:%d/%m/%Y})")
