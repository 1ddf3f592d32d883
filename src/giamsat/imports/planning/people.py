"""Finding the people of a file in the database, in batches: by party card number, identity
number, or full name and birth date without diacritics (another spelling of the same person)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from giamsat.core.dates import format_date
from giamsat.imports.planning.base import CHUNK, Context, chunks
from giamsat.people.models import Membership, Person, Post


@dataclass(slots=True)
class MembershipInfo:
    id: int
    unit_id: int
    kind: str
    valid_from: dt.date
    valid_to: dt.date | None

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


@dataclass(slots=True)
class PersonInfo:
    id: int
    full_name: str
    name_search: str
    birth_date: dt.date | None
    gender: str
    card: str | None
    identity: str | None
    joined_on: dt.date | None
    official_on: dt.date | None
    status: str
    memberships: list[MembershipInfo] = field(default_factory=list)
    visible: bool = False

    def label(self) -> str:
        if not self.visible:
            return _("another person registered in giamsat")
        if self.birth_date:
            return f"{self.full_name} ({format_date(self.birth_date)})"
        return self.full_name

    def current(self, kind: str, day: dt.date) -> MembershipInfo | None:
        found = [m for m in self.memberships if m.kind == kind and m.valid_on(day)]
        return max(found, key=lambda m: m.valid_from) if found else None

    def last_end(self, kind: str) -> dt.date | None:
        ends = [m.valid_to for m in self.memberships if m.kind == kind and m.valid_to]
        return max(ends) if ends else None


@dataclass(slots=True)
class Match:
    person: PersonInfo | None = None
    method: str = ""
    error: tuple[str, str] | None = None
    warnings: list[tuple[str, str]] = field(default_factory=list)


_FIELDS = (
    "id",
    "full_name",
    "name_search",
    "birth_date",
    "gender",
    "party_card_number",
    "identity_number",
    "joined_on",
    "official_on",
    "status",
)


class PersonIndex:
    """People of the database that a file may refer to, loaded with a few hundred queries."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.by_id: dict[int, PersonInfo] = {}
        self.by_card: dict[str, PersonInfo] = {}
        self.by_identity: dict[str, PersonInfo] = {}
        self.by_name: dict[tuple[str, dt.date], list[PersonInfo]] = defaultdict(list)

    def _add(self, row: tuple, *, by_name: bool = False) -> None:
        info = self.by_id.get(row[0])
        if info is None:
            info = PersonInfo(*row)
            self.by_id[info.id] = info
            if info.card:
                self.by_card[info.card] = info
            if info.identity:
                self.by_identity[info.identity] = info
        if by_name and info.birth_date:
            self.by_name[(info.name_search, info.birth_date)].append(info)

    def knows(self, card: str | None, identity: str | None) -> bool:
        return bool((card and card in self.by_card) or (identity and identity in self.by_identity))

    def load(
        self,
        *,
        cards: Iterable[str],
        identities: Iterable[str],
        name_pairs: Callable[[], Iterable[tuple[str, dt.date]]],
    ) -> None:
        """Load by numbers first; then, by name and birth date, only the rows that no number
        found (``name_pairs`` is called after the numbers are loaded)."""
        people = Person.objects.order_by()
        for chunk in chunks(set(cards)):
            for row in people.filter(party_card_number__in=chunk).values_list(*_FIELDS):
                self._add(row)
        for chunk in chunks(set(identities)):
            for row in people.filter(identity_number__in=chunk).values_list(*_FIELDS):
                self._add(row)
        for chunk in chunks(set(name_pairs()), CHUNK // 2):
            wanted = set(chunk)
            names = {n for n, _d in chunk}
            dates = {d for _n, d in chunk}
            query = people.filter(name_search__in=names, birth_date__in=dates)
            for row in query.values_list(*_FIELDS):
                if (row[2], row[3]) in wanted:
                    self._add(row, by_name=True)
        self._load_memberships()

    def _load_memberships(self) -> None:
        for chunk in chunks(self.by_id):
            for row in (
                Membership.objects.filter(person_id__in=chunk)
                .order_by()
                .values_list("id", "person_id", "unit_id", "kind", "valid_from", "valid_to")
            ):
                self.by_id[row[1]].memberships.append(
                    MembershipInfo(row[0], row[2], row[3], row[4], row[5])
                )
        post_units: dict[int, set[int]] = defaultdict(set)
        if not self.ctx.unrestricted:
            for chunk in chunks(self.by_id):
                for person_id, unit_id in (
                    Post.objects.filter(person_id__in=chunk)
                    .order_by()
                    .values_list("person_id", "unit_id")
                ):
                    post_units[person_id].add(unit_id)
        for info in self.by_id.values():
            info.visible = (
                self.ctx.unrestricted
                or any(self.ctx.in_scope(m.unit_id) for m in info.memberships)
                or any(self.ctx.in_scope(u) for u in post_units.get(info.id, ()))
            )

    def match(
        self,
        *,
        card: str | None,
        identity: str | None,
        name_key: str | None,
        birth: dt.date | None,
        full_name: str | None,
    ) -> Match:
        """Who this row is in the database, or why it cannot be told."""
        by_card = self.by_card.get(card) if card else None
        by_identity = self.by_identity.get(identity) if identity else None
        if by_card and by_identity and by_card.id != by_identity.id:
            return Match(
                error=(
                    "identity_number",
                    _(
                        "The party card number belongs to %(first)s but the identity number to "
                        "%(second)s: check both numbers."
                    )
                    % {"first": by_card.label(), "second": by_identity.label()},
                )
            )
        person = by_card or by_identity
        if person is not None:
            if card and person.card and person.card != card:
                theirs = person.card if person.visible else "…"
                return Match(
                    error=(
                        "party_card_number",
                        _(
                            "The identity number belongs to %(person)s, whose party card number "
                            "is %(theirs)s, not %(card)s."
                        )
                        % {"person": person.label(), "theirs": theirs, "card": card},
                    )
                )
            if identity and person.identity and person.identity != identity:
                theirs = person.identity if person.visible else "…"
                return Match(
                    error=(
                        "identity_number",
                        _(
                            "The party card number belongs to %(person)s, whose identity number "
                            "is %(theirs)s, not %(identity)s."
                        )
                        % {"person": person.label(), "theirs": theirs, "identity": identity},
                    )
                )
            return Match(person=person, method="card" if by_card else "identity")
        if not (name_key and birth):
            return Match()
        candidates = self.by_name.get((name_key, birth), [])
        compatible = [
            p for p in candidates if (not card or not p.card) and (not identity or not p.identity)
        ]
        if len(compatible) > 1:
            return Match(
                error=(
                    "full_name",
                    _(
                        "%(count)d people named %(name)s born on %(birth)s are already in "
                        "giamsat: give the party card or identity number to tell them apart."
                    )
                    % {"count": len(compatible), "name": full_name, "birth": format_date(birth)},
                )
            )
        if compatible:
            found = compatible[0]
            match = Match(person=found, method="name")
            match.warnings.append(
                (
                    "full_name",
                    _(
                        "Recognised by name and birth date as %(person)s (no matching number): "
                        "check that it is the same person."
                    )
                    % {"person": found.label()},
                )
            )
            return match
        if candidates:
            return Match(
                warnings=[
                    (
                        "full_name",
                        _(
                            "Someone with the same name and birth date is already registered "
                            "with other numbers; this row is taken as a different person."
                        ),
                    )
                ]
            )
        return Match()
