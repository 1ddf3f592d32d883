"""Petitions for tests, created through the real services."""

from __future__ import annotations

import datetime as dt

from giamsat.petitions import services
from giamsat.petitions.models import Channel, Petition, PetitionClass
from giamsat.petitions.services import IdentityData, NewPetition

IDENTITY = IdentityData(
    full_name="Trần Thị Bí Mật",
    address="Số 7 ngõ Kín, phường Trường Thi",
    phone="0912345678",
    email="bimat@example.vn",
    id_number="038190000777",
)
IDENTITY_STRINGS = (
    "Trần Thị Bí Mật",
    "Bí Mật",
    "ngõ Kín",
    "0912345678",
    "bimat@example.vn",
    "038190000777",
)


def hotline_petition(
    unit,
    *,
    received_on: dt.date | None = None,
    content: str = "Cán bộ phường nhận tiền của dân khi làm thủ tục cấp giấy chứng nhận.",
    identity: IdentityData = IDENTITY,
    **fields,
) -> tuple[Petition, str]:
    """A letter sent through the public hotline; returns it and its receipt code."""
    from giamsat.core.dates import today

    spec = NewPetition(
        unit=unit,
        channel=Channel.HOTLINE_WEB,
        content=content,
        received_on=received_on or today(),
        declared_class=fields.pop("declared_class", PetitionClass.DENUNCIATION),
        identity=identity,
        **fields,
    )
    petition, code = services.submit_hotline(spec=spec)
    petition.refresh_from_db()
    return petition, code


def classified(petition: Petition, user, **kwargs) -> Petition:
    """Classify as an admissible party denunciation unless told otherwise."""
    petition.refresh_from_db()
    args = {
        "petition_class": PetitionClass.DENUNCIATION,
        "matter": "party",
        "admissible": True,
        "subject_people": list(petition.subject_people.all()),
        "subject_units": list(petition.subject_units.all()),
    }
    args.update(kwargs)
    services.classify(
        petition=petition, acting_user=user, expected_version=petition.version, **args
    )
    petition.refresh_from_db()
    return petition


def accepted(petition: Petition, user, on: dt.date, **kwargs) -> Petition:
    petition.refresh_from_db()
    services.accept(
        petition=petition,
        acting_user=user,
        expected_version=petition.version,
        accepted_on=on,
        **kwargs,
    )
    petition.refresh_from_db()
    return petition
