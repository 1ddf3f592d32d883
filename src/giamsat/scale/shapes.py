"""The sizes of the synthetic data sets and the fixed dates they are built around."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Units exist from this day (the generated history starts here).
UNITS_FROM = dt.date(2015, 1, 1)
# Kết luận 137-KL/TW, Quyết định 294-QĐ/TW (2025): the district level ended on 30/06/2025 and the
# new communes' committees sit directly under the provinces from 01/07/2025.
REFORM = dt.date(2025, 7, 1)
LAST_DISTRICT_DAY = dt.date(2025, 6, 30)
# The generated records stop here (the data set's "today"; later dates are not generated).
DATA_UNTIL = dt.date(2026, 10, 31)
YEARS = (2023, 2024, 2025, 2026)


@dataclass(frozen=True)
class Shape:
    """How big a data set is. Members per cell and cells per grassroots organisation follow
    the real proportions (≈5.6 million members in ≈52,000 grassroots organisations)."""

    name: str
    provinces: int
    districts: int  # until 30/06/2025
    communes: int  # from 01/07/2025
    grassroots: int
    blocks_per_province: int = 2  # provincial block committees (agencies, enterprises)
    block_share: float = 0.08  # share of grassroots organisations under the blocks
    org_share: float = 0.45  # grassroots party committees (with cells) vs grassroots cells
    cells_per_org: tuple[int, int] = (4, 10)
    members_per_cell: tuple[int, int] = (20, 42)
    province_cases_per_year: int = 30
    district_cases_per_year: int = 8
    commune_cases_per_year: int = 3
    grassroots_cases_per_year: float = 0.6
    discipline_rate_per_year: float = 0.003  # share of members disciplined each year
    petitions_per_year_per_commune: float = 18.0


SHAPES = {
    # A handful of units and a few hundred members: for tests and the CI smoke run
    # (``make bench-smoke``); every kind of record is still there.
    "tiny": Shape(
        "tiny",
        provinces=2,
        districts=2,
        communes=3,
        grassroots=10,
        blocks_per_province=1,
        cells_per_org=(2, 3),
        members_per_cell=(6, 10),
        province_cases_per_year=6,
        district_cases_per_year=3,
        commune_cases_per_year=2,
        grassroots_cases_per_year=0.5,
        discipline_rate_per_year=0.02,
        petitions_per_year_per_commune=10.0,
    ),
    # A city-sized party committee (≈13,000 members, like the demo city).
    "city": Shape(
        "city", provinces=1, districts=3, communes=6, grassroots=110, blocks_per_province=1
    ),
    # One large province (≈175,000 members).
    "province": Shape("province", provinces=1, districts=20, communes=98, grassroots=1530),
    # The country since 01/07/2025: 34 provinces, 3,321 communes, ≈52,000 grassroots
    # organisations, more than 5.6 million members.
    "national": Shape("national", provinces=34, districts=696, communes=3321, grassroots=52000),
}


def get_shape(name: str) -> Shape:
    try:
        return SHAPES[name]
    except KeyError:
        raise ValueError(f"unknown scale '{name}' (tiny, city, province or national)") from None
