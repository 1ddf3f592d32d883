"""Generate a large party tree with history through bulk paths (for the scale tests).

Shape (61,235 units): one central committee, 34 provinces, 40 districts per province,
44 cells per district. Half the districts of every province end on 30/06/2025 and their cells
move directly under the province on 01/07/2025 (the 2025 reform), so the closure is temporal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from giamsat.units.models import Unit, UnitKind, UnitLink
from giamsat.units.tree import rebuild_ancestry

START = dt.date(2015, 1, 1)
REFORM = dt.date(2025, 7, 1)
EVE = REFORM - dt.timedelta(days=1)


@dataclass
class ScaleTree:
    root: Unit
    province: Unit
    district: Unit  # a district of ``province`` that ended in the reform
    units: int
    closure_rows: int


def _bulk_units(specs: list[tuple[str, str, str, dt.date | None]]) -> list[Unit]:
    units = [
        Unit(code=code, name=name, kind=kind, valid_from=START, valid_to=end).fill_derived_fields()
        for code, name, kind, end in specs
    ]
    return Unit.objects.bulk_create(units, batch_size=5000)


def generate(provinces: int = 34, districts: int = 40, cells: int = 44) -> ScaleTree:
    (root,) = _bulk_units([("S-TW", "Ban Chấp hành Trung ương", UnitKind.CENTRAL_COMMITTEE, None)])
    province_units = _bulk_units(
        [(f"S-P{p}", f"Đảng bộ tỉnh {p}", UnitKind.UNDER_CENTRE, None) for p in range(provinces)]
    )
    links = [UnitLink(unit=p, parent=root, valid_from=START) for p in province_units]
    district_specs = []
    for p in range(provinces):
        for d in range(districts):
            ended = d % 2 == 0
            district_specs.append(
                (
                    f"S-P{p}-D{d}",
                    f"Đảng bộ huyện {p}.{d}",
                    UnitKind.UPPER_GRASSROOTS,
                    EVE if ended else None,
                )
            )
    district_units = _bulk_units(district_specs)
    cell_specs = []
    for p in range(provinces):
        for d in range(districts):
            for c in range(cells):
                cell_specs.append(
                    (f"S-P{p}-D{d}-C{c}", f"Chi bộ {p}.{d}.{c}", UnitKind.GRASSROOTS_CELL, None)
                )
    cell_units = _bulk_units(cell_specs)
    for i, district in enumerate(district_units):
        province = province_units[i // districts]
        ended = district.valid_to is not None
        links.append(
            UnitLink(unit=district, parent=province, valid_from=START, valid_to=district.valid_to)
        )
        for cell in cell_units[i * cells : (i + 1) * cells]:
            if ended:
                links.append(UnitLink(unit=cell, parent=district, valid_from=START, valid_to=EVE))
                links.append(UnitLink(unit=cell, parent=province, valid_from=REFORM))
            else:
                links.append(UnitLink(unit=cell, parent=district, valid_from=START))
    UnitLink.objects.bulk_create(links, batch_size=10000)
    rows = rebuild_ancestry()
    total = 1 + len(province_units) + len(district_units) + len(cell_units)
    return ScaleTree(
        root=root,
        province=province_units[0],
        district=district_units[0],
        units=total,
        closure_rows=rows,
    )
