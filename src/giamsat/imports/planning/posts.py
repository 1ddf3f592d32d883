"""Posts (chức vụ): who held which post in which organisation, from when to when."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from giamsat.core.dates import format_date, overlaps
from giamsat.core.excel import Sheet
from giamsat.core.text import normalize, search_key
from giamsat.imports import columns as cols
from giamsat.imports import values
from giamsat.imports.models import RowAction
from giamsat.imports.planning.base import Context, Outcome, PlanResult, chunks, read_rows
from giamsat.imports.planning.people import PersonIndex
from giamsat.people.models import Post, PostKind
from giamsat.units.models import Unit

POST_LABELS = "Bí thư, Phó Bí thư, Ủy viên Ban Thường vụ, Cấp ủy viên, Chủ nhiệm, Thành viên, Khác"


class PostRow:
    __slots__ = (
        "birth_date",
        "card",
        "full_name",
        "identity",
        "is_head",
        "kind",
        "name_key",
        "outcome",
        "post_id",
        "title",
        "unit_code",
        "unit_id",
        "updates",
        "valid_from",
        "valid_to",
    )

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self.card: str | None = None
        self.identity: str | None = None
        self.full_name: str | None = None
        self.name_key: str | None = None
        self.birth_date: dt.date | None = None
        self.unit_code: str | None = None
        self.unit_id: int | None = None
        self.kind: str | None = None
        self.title: str | None = None
        self.is_head: bool | None = None
        self.valid_from: dt.date | None = None
        self.valid_to: dt.date | None = None
        self.post_id: int | None = None
        self.updates: dict[str, Any] | None = None


class PostsPlanner:
    template = cols.POSTS

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.rows: list[PostRow] = []
        self.index = PersonIndex(ctx)
        self.units: dict[str, tuple[int, str, dt.date, dt.date | None]] = {}
        self.posts: dict[int, list[dict[str, Any]]] = {}

    def _parse(self, number: int, raw: dict[str, Any], seen: dict[tuple, int]) -> PostRow:
        r = PostRow(Outcome(row=number))
        o = r.outcome

        def read(column: str, parse: Any) -> Any:
            try:
                return parse(raw.get(column))
            except values.CellError as exc:
                o.reject(column, str(exc))
                return None

        r.card = read("party_card_number", values.card_number)
        try:
            r.identity, note = values.identity_number(raw.get("identity_number"))
            if note:
                o.warn("identity_number", note)
        except values.CellError as exc:
            o.reject("identity_number", str(exc))
        name = read("full_name", values.text)
        if name:
            r.full_name = normalize(name)
            r.name_key = search_key(r.full_name)
        r.birth_date = read("birth_date", lambda v: values.date(v, latest=self.ctx.as_of))
        if not (r.card or r.identity or (r.name_key and r.birth_date)) and not o.rejected:
            o.reject(
                "party_card_number",
                _(
                    "Say who holds the post: party card number, identity number, or full name "
                    "and birth date."
                ),
            )
        r.unit_code = read("unit_code", values.code)
        if r.unit_code is None and raw.get("unit_code") is None:
            o.reject("unit_code", _("The organisation code is missing."))
        r.kind = read("post", lambda v: values.choice(v, cols.post_kinds(), POST_LABELS))
        if r.kind is None and raw.get("post") is None:
            o.reject("post", _("The post is missing."))
        r.title = read("title", values.text)
        if r.title is None and r.kind == PostKind.OTHER:
            o.reject("title", _("Write the title of a post of kind “other”."))
        r.is_head = read("is_head", values.yes_no)
        r.valid_from = read("valid_from", values.date)
        if r.valid_from is None and raw.get("valid_from") is None:
            o.reject("valid_from", _("The start date is missing."))
        r.valid_to = read("valid_to", values.date)
        if r.valid_from and r.valid_to and r.valid_to < r.valid_from:
            o.reject("valid_to", _("The end date is before the start date."))
        who = r.full_name or r.card or r.identity or ""
        o.label = (
            f"{who} · {r.title or (PostKind(r.kind).label if r.kind else '')} · {r.unit_code or ''}"
        )
        o.key = r.unit_code or ""
        person_key = r.card or r.identity or (r.name_key, r.birth_date)
        key = (person_key, r.unit_code, r.kind, r.valid_from)
        first = seen.setdefault(key, number)
        if first != number:
            o.reject("post", _("The same post is already in row %(row)d.") % {"row": first})
        return r

    def _load(self) -> None:
        codes = {r.unit_code for r in self.rows if r.unit_code}
        for chunk in chunks(codes):
            for pk, code, name, start, end in Unit.objects.filter(code__in=chunk).values_list(
                "pk", "code", "name", "valid_from", "valid_to"
            ):
                self.units[code] = (pk, name, start, end)
        self.index.load(
            cards=(r.card for r in self.rows if r.card),
            identities=(r.identity for r in self.rows if r.identity),
            name_pairs=lambda: (
                (r.name_key, r.birth_date)
                for r in self.rows
                if r.name_key and r.birth_date and not self.index.knows(r.card, r.identity)
            ),
        )
        for chunk in chunks(self.index.by_id):
            for post in (
                Post.objects.filter(person_id__in=chunk)
                .order_by()
                .values(
                    "id",
                    "person_id",
                    "unit_id",
                    "kind",
                    "title",
                    "is_head",
                    "valid_from",
                    "valid_to",
                )
            ):
                self.posts.setdefault(post["person_id"], []).append(post)
        unit_ids = {r.unit_id for r in self.rows if r.unit_id}
        self.heads: dict[int, list[dict[str, Any]]] = {}
        for chunk in chunks({u[0] for u in self.units.values()} | unit_ids):
            for post in Post.objects.filter(unit_id__in=chunk, is_head=True).values(
                "person_id", "unit_id", "valid_from", "valid_to"
            ):
                self.heads.setdefault(post["unit_id"], []).append(post)

    def _decide(self, r: PostRow) -> None:
        o = r.outcome
        match = self.index.match(
            card=r.card,
            identity=r.identity,
            name_key=r.name_key,
            birth=r.birth_date,
            full_name=r.full_name,
        )
        for column, message in match.warnings:
            o.warn(column, message)
        if match.error:
            o.reject(*match.error)
            return
        person = match.person
        if person is None:
            o.reject(
                "full_name",
                _("This person is not in giamsat: import the members first."),
            )
            return
        if not person.visible:
            o.reject("full_name", _("This person is not in your organisations."))
            return
        o.person_id = person.id
        unit = self.units.get(r.unit_code or "")
        if unit is None or not self.ctx.in_scope(unit[0]):
            o.reject(
                "unit_code",
                _("There is no organisation with code %(code)s in your organisations.")
                % {"code": r.unit_code},
            )
            return
        unit_id, unit_name, unit_start, unit_end = unit
        r.unit_id = o.unit_id = unit_id
        assert r.valid_from is not None and r.kind is not None
        if r.valid_from < unit_start or (unit_end and r.valid_from > unit_end):
            o.reject(
                "valid_from",
                _("%(unit)s exists from %(start)s to %(end)s: the post cannot start on %(date)s.")
                % {
                    "unit": unit_name,
                    "start": format_date(unit_start),
                    "end": format_date(unit_end) or "…",
                    "date": format_date(r.valid_from),
                },
            )
            return
        existing = [
            p
            for p in self.posts.get(person.id, [])
            if p["unit_id"] == unit_id and p["kind"] == r.kind
        ]
        same = next((p for p in existing if p["valid_from"] == r.valid_from), None)
        end = r.valid_to if r.valid_to is not None else (same["valid_to"] if same else None)
        if unit_end and (end is None or end > unit_end):
            o.reject(
                "valid_to",
                _("%(unit)s ended on %(date)s: the post must end by then.")
                % {"unit": unit_name, "date": format_date(unit_end)},
            )
            return
        if same is not None:
            r.post_id = same["id"]
            updates: dict[str, Any] = {}
            if r.title and r.title != same["title"]:
                updates["title"] = r.title
            if r.is_head is not None and r.is_head != same["is_head"]:
                updates["is_head"] = r.is_head
            if r.valid_to is not None and r.valid_to != same["valid_to"]:
                updates["valid_to"] = r.valid_to
            for name, new in updates.items():
                o.change(name, same[name], new)
            if updates:
                r.updates = updates
                o.action = RowAction.UPDATE
        else:
            for p in existing:
                if overlaps(p["valid_from"], p["valid_to"], r.valid_from, r.valid_to):
                    o.reject(
                        "valid_from",
                        _(
                            "The same post is already recorded from %(start)s to %(end)s: the "
                            "periods overlap."
                        )
                        % {
                            "start": format_date(p["valid_from"]),
                            "end": format_date(p["valid_to"]) or "…",
                        },
                    )
                    return
            o.action = RowAction.CREATE
        if r.is_head and o.action != RowAction.REJECT:
            for head in self.heads.get(unit_id, []):
                if head["person_id"] != person.id and overlaps(
                    head["valid_from"], head["valid_to"], r.valid_from, end
                ):
                    o.warn(
                        "is_head",
                        _("%(unit)s already has another head from %(start)s: check the dates.")
                        % {"unit": unit_name, "start": format_date(head["valid_from"])},
                    )
                    break

    def plan(self, sheet: Sheet) -> PlanResult:
        seen: dict[tuple, int] = {}
        for number, raw in read_rows(sheet, self.ctx.columns, self.ctx):
            self.rows.append(self._parse(number, raw, seen))
        self._load()
        for r in self.rows:
            if not r.outcome.rejected:
                self._decide(r)
        return PlanResult([r.outcome for r in self.rows])

    def apply(self, result: PlanResult) -> None:
        now = timezone.now()
        created = []
        updates: dict[int, dict[str, Any]] = {}
        for r in self.rows:
            if r.outcome.action == RowAction.CREATE:
                assert r.kind and r.valid_from and r.unit_id and r.outcome.person_id
                created.append(
                    Post(
                        person_id=r.outcome.person_id,
                        unit_id=r.unit_id,
                        kind=r.kind,
                        title=r.title or str(PostKind(r.kind).label).capitalize(),
                        is_head=bool(r.is_head),
                        valid_from=r.valid_from,
                        valid_to=r.valid_to,
                    )
                )
            elif r.outcome.action == RowAction.UPDATE and r.post_id and r.updates:
                updates[r.post_id] = r.updates
        Post.objects.bulk_create(created, batch_size=1000)
        changed = []
        fields: set[str] = {"updated_at"}
        for chunk in chunks(updates):
            for post in Post.objects.filter(pk__in=chunk):
                for name, value in updates[post.pk].items():
                    setattr(post, name, value)
                    fields.add(name)
                post.updated_at = now
                changed.append(post)
        if changed:
            Post.objects.bulk_update(changed, sorted(fields), batch_size=500)
