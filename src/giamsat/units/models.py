"""The party tree over time.

Source of truth: ``Unit`` (with its validity interval and name history) and ``UnitLink`` (a
parent link with its own validity interval). ``UnitAncestry`` is a derived temporal closure
table: one row per (ancestor, descendant) pair and interval during which the pair holds. It is
rebuilt for the affected subtree by ``giamsat.units.tree.rebuild_ancestry`` whenever links
change, so that "the subtree of X on day D" is a single indexed query with no recursion.

Reorganisations (establish, rename, move, merge, split, dissolve) are ``ReorgEvent`` rows with
their date and deciding document; ``Lineage`` edges record which unit became which.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from giamsat.core.dates import FAR_FUTURE, today
from giamsat.core.models import TimeStampedModel, ValidityMixin, ValidityQuerySet
from giamsat.core.text import search_key, vi_sort_key


class UnitKind(models.TextChoices):
    # Central level (Điều lệ Đảng; the central bodies of the seed).
    CENTRAL_COMMITTEE = "central_committee", _("Central Committee")
    CENTRAL_BODY = "central_body", _("central body")
    # Levels of party organisations (Điều lệ Đảng, statute of the XI Congress).
    UNDER_CENTRE = "under_centre", _("organisation directly under the centre")
    UPPER_GRASSROOTS = "upper_grassroots", _("upper-grassroots organisation")
    GRASSROOTS_ORG = "grassroots_org", _("grassroots party organisation")
    GRASSROOTS_CELL = "grassroots_cell", _("grassroots cell")
    SUB_ORG = "sub_org", _("sub-organisation")
    CELL = "cell", _("cell")
    # An organ of a committee (standing committee, inspection commission, office, ...).
    ORGAN = "organ", _("committee organ")


class OrganKind(models.TextChoices):
    EXECUTIVE_COMMITTEE = "executive_committee", _("executive committee")
    POLITBURO = "politburo", _("Politburo")
    SECRETARIAT = "secretariat", _("Secretariat")
    STANDING_COMMITTEE = "standing_committee", _("standing committee")
    INSPECTION_COMMISSION = "inspection_commission", _("inspection commission")
    ORGANISATION_COMMISSION = "organisation_commission", _("organisation commission")
    OFFICE = "office", _("committee office")
    PROPAGANDA_MASS_MOBILISATION = (
        "propaganda_mass_mobilisation",
        _("propaganda and mass-mobilisation commission"),
    )
    MASS_MOBILISATION = "mass_mobilisation", _("mass-mobilisation commission")
    ECONOMIC = "economic", _("economic commission")
    INTERNAL_AFFAIRS = "internal_affairs", _("internal-affairs commission")
    OTHER = "other", _("other organ")


class Level(models.IntegerChoices):
    """Reporting level of a unit, used for roll-ups "per level"."""

    CENTRAL = 0, _("central")
    PROVINCE = 1, _("provincial")
    UPPER_GRASSROOTS = 2, _("upper-grassroots")
    GRASSROOTS = 3, _("grassroots")
    CELL = 4, _("cell")


KIND_LEVEL = {
    UnitKind.CENTRAL_COMMITTEE: Level.CENTRAL,
    UnitKind.CENTRAL_BODY: Level.CENTRAL,
    UnitKind.UNDER_CENTRE: Level.PROVINCE,
    UnitKind.UPPER_GRASSROOTS: Level.UPPER_GRASSROOTS,
    UnitKind.GRASSROOTS_ORG: Level.GRASSROOTS,
    UnitKind.GRASSROOTS_CELL: Level.GRASSROOTS,
    UnitKind.SUB_ORG: Level.GRASSROOTS,
    UnitKind.CELL: Level.CELL,
}

# Kinds that hold members directly (a cell of any sort).
CELL_KINDS = (UnitKind.GRASSROOTS_CELL, UnitKind.CELL)
# Grassroots organisations (tổ chức cơ sở đảng): the level at which quotas are counted.
GRASSROOTS_KINDS = (UnitKind.GRASSROOTS_ORG, UnitKind.GRASSROOTS_CELL)


class UnitQuerySet(ValidityQuerySet):
    def organisations(self) -> UnitQuerySet:
        """Party organisations proper (not committee organs)."""
        return self.exclude(kind=UnitKind.ORGAN)

    def organs(self) -> UnitQuerySet:
        return self.filter(kind=UnitKind.ORGAN)

    def cells(self) -> UnitQuerySet:
        return self.filter(kind__in=CELL_KINDS)

    def subtree_of(self, unit: Unit | int, on: dt.date | None = None) -> UnitQuerySet:
        """Units in the subtree of ``unit`` (itself included) on day ``on``: one indexed query."""
        return self.filter(subtree_q("pk", unit, on))

    def children_of(self, unit: Unit | int, on: dt.date | None = None) -> UnitQuerySet:
        day = on or today()
        return self.filter(
            Q(parent_links__valid_to__isnull=True) | Q(parent_links__valid_to__gte=day),
            parent_links__parent=unit,
            parent_links__valid_from__lte=day,
        ).valid_on(day)

    def roots(self, on: dt.date | None = None) -> UnitQuerySet:
        day = on or today()
        linked = UnitLink.objects.valid_on(day).values("unit_id")
        return self.valid_on(day).exclude(pk__in=linked)

    def search(self, text: str) -> UnitQuerySet:
        key = search_key(text)
        return self.filter(Q(name_search__contains=key) | Q(code__iexact=text.strip()))

    def order_vi(self) -> UnitQuerySet:
        return self.order_by("name_sort", "pk")


def subtree_q(
    path: str, unit: Unit | int, on: dt.date | None = None, *, ended_since: dt.date | None = None
) -> Q:
    """A Q object: the unit at ``path`` (e.g. "unit" or "session__unit") lies in the subtree.

    ``path`` names a ForeignKey to Unit (or "pk" on Unit itself). Usable on any model, it turns
    "facts under unit X on day D" into one join on the indexed closure table. With
    ``ended_since``, units that ended inside the subtree on or after that day (and before D)
    count too: the facts of a district committee dissolved on 30/06/2025 stay with the province
    it ended under (``UnitAncestry.ended_here``), as its archive does for scoping.
    """
    day = on or today()
    prefix = "ancestry_up" if path == "pk" else f"{path}__ancestry_up"
    if ended_since is None:
        return Q(
            **{
                f"{prefix}__ancestor": unit,
                f"{prefix}__valid_from__lte": day,
                f"{prefix}__valid_to__gte": day,
            }
        )
    # "Valid on D, or ended here between ended_since and D", written as one range of
    # ancestry_down_idx (ancestor, valid_to >= ended_since) plus a filter: an OR of two ranges
    # let PostgreSQL without statistics pick ancestry_up_idx and scan it whole per fact.
    return Q(
        **{
            f"{prefix}__ancestor": unit,
            f"{prefix}__valid_from__lte": day,
            f"{prefix}__valid_to__gte": min(ended_since, day),
        }
    ) & (Q(**{f"{prefix}__valid_to__gte": day}) | Q(**{f"{prefix}__ended_here": True}))


class Unit(ValidityMixin, TimeStampedModel):
    """A party organisation or a committee organ, with the interval in which it exists."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    organ_kind = models.CharField(
        _("organ kind"), max_length=40, choices=OrganKind.choices, blank=True
    )
    # Loại hình tổ chức cơ sở đảng (ward/commune, enterprise, agency, armed forces, ...).
    grassroots_type = models.CharField(_("grassroots type"), max_length=40, blank=True)
    # Issuer abbreviation used in document symbols (HD 36-HD/VPTW), e.g. "TU", "ĐU", "UBKTTW".
    issuer_code = models.CharField(_("issuer code"), max_length=20, blank=True)
    # Place name for the date line of documents ("Thanh Hóa, ngày ...").
    place_name = models.CharField(_("place name"), max_length=80, blank=True)
    name_sort = models.CharField(max_length=600, editable=False, db_index=True)
    name_search = models.CharField(max_length=255, editable=False, db_index=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_interval",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_sort", "name_search"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("units:detail", args=[self.pk])

    def fill_derived_fields(self) -> Unit:
        """Sort and search keys of the name; call before ``bulk_create`` (save() does it)."""
        self.name_sort = vi_sort_key(self.name)
        self.name_search = search_key(self.name)
        return self

    @property
    def level(self) -> Level | None:
        if self.kind == UnitKind.ORGAN:
            return None
        return KIND_LEVEL.get(UnitKind(self.kind))

    @property
    def is_organ(self) -> bool:
        return self.kind == UnitKind.ORGAN

    @property
    def is_cell(self) -> bool:
        return self.kind in CELL_KINDS

    def reference_date(self, day: dt.date | None = None) -> dt.date:
        """The day to read this unit's tree on: ``day`` (default today), clamped to its life."""
        day = day or today()
        if self.valid_to and day > self.valid_to:
            return self.valid_to
        if day < self.valid_from:
            return self.valid_from
        return day

    def name_on(self, day: dt.date) -> str:
        for entry in self.names.all():
            if entry.valid_from <= day and (entry.valid_to is None or entry.valid_to >= day):
                return entry.name
        return self.name

    def parent_on(self, day: dt.date | None = None) -> Unit | None:
        link = self.parent_links.valid_on(day).select_related("parent").first()
        return link.parent if link else None

    def ancestors_on(self, day: dt.date | None = None) -> list[Unit]:
        """Ancestors from the root down to the parent (one query)."""
        day = day or today()
        rows = (
            UnitAncestry.objects.filter(
                descendant=self, valid_from__lte=day, valid_to__gte=day, depth__gt=0
            )
            .select_related("ancestor")
            .order_by("-depth")
        )
        return [row.ancestor for row in rows]


class UnitName(ValidityMixin):
    """A name a unit carried during an interval (renames keep history)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name"), max_length=255)
    event = models.ForeignKey("ReorgEvent", on_delete=models.SET_NULL, null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("name history entry")

    def __str__(self) -> str:
        return self.name


class UnitLink(ValidityMixin):
    """``unit`` sits under ``parent`` from ``valid_from`` to ``valid_to`` (inclusive)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="parent_links")
    parent = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="child_links")
    event = models.ForeignKey("ReorgEvent", on_delete=models.SET_NULL, null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("parent link")
        indexes = [
            # children_of(parent, day) in the tree browser
            models.Index(fields=["parent", "valid_from", "valid_to"], name="unitlink_parent_idx"),
            models.Index(fields=["unit", "valid_from"], name="unitlink_unit_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(unit=models.F("parent")), name="unitlink_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} → {self.parent}"


class UnitAncestry(models.Model):
    """Derived temporal closure: ``ancestor`` is above ``descendant`` (depth ≥ 0) in an interval.

    Open ends are stored as ``FAR_FUTURE`` so that "valid on D" is a plain range test that an
    index can serve. ``ended_here`` marks the row that covers the descendant's last day: the
    unit was dissolved or merged while inside this ancestor's subtree (used by scoping, so the
    archive of a dissolved unit stays visible to the organisation it ended under).
    """

    # No single-column indexes on the two keys: the composite indexes below lead with them
    # (a separate ancestor index tempted PostgreSQL away from ancestry_down_idx and doubled
    # the write cost of a rebuild).
    ancestor = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="ancestry_down", db_index=False
    )
    descendant = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="ancestry_up", db_index=False
    )
    depth = models.PositiveSmallIntegerField()
    valid_from = models.DateField()
    valid_to = models.DateField(default=FAR_FUTURE)
    ended_here = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # subtree_of(X, D): WHERE ancestor=X AND valid_from<=D AND valid_to>=D
            models.Index(
                fields=["ancestor", "valid_to", "valid_from", "descendant"],
                name="ancestry_down_idx",
            ),
            # breakdown by child: facts join on descendant, group by ancestor
            models.Index(
                fields=["descendant", "valid_to", "valid_from", "ancestor"], name="ancestry_up_idx"
            ),
            # units that ended under X during a period (their records stay with X): a few
            # rows per dissolved unit, read by figures next to ancestry_down_idx
            models.Index(
                fields=["ancestor", "valid_to", "descendant"],
                condition=Q(ended_here=True),
                name="ancestry_ended_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ancestor_id} ⊇ {self.descendant_id} [{self.valid_from}..{self.valid_to}]"


class ReorgKind(models.TextChoices):
    ESTABLISH = "establish", _("establish")
    RENAME = "rename", _("rename")
    MOVE = "move", _("move")
    MERGE = "merge", _("merge")
    SPLIT = "split", _("split")
    DISSOLVE = "dissolve", _("dissolve")


class ReorgEvent(TimeStampedModel):
    """A dated reorganisation decided by a document (e.g. "Quyết định 341-QĐ/TW")."""

    kind = models.CharField(_("kind"), max_length=16, choices=ReorgKind.choices)
    date = models.DateField(_("effective date"))
    decision_symbol = models.CharField(_("decision (number and symbol)"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision = models.ForeignKey(
        "directives.Directive", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    units = models.ManyToManyField(Unit, through="ReorgEventUnit", related_name="reorg_events")
    recorded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("reorganisation event")
        verbose_name_plural = _("reorganisation events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class ReorgRole(models.TextChoices):
    SOURCE = "source", _("before")
    TARGET = "target", _("after")
    SUBJECT = "subject", _("subject")


class ReorgEventUnit(models.Model):
    event = models.ForeignKey(ReorgEvent, on_delete=models.CASCADE, related_name="event_units")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=ReorgRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "unit", "role"], name="reorg_event_unit_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.role}: {self.unit}"


class Lineage(models.Model):
    """``predecessor`` became (part of) ``successor`` on ``date`` (merge, split, rename-by-new)."""

    predecessor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="predecessor_links")
    date = models.DateField()
    event = models.ForeignKey(ReorgEvent, on_delete=models.CASCADE, related_name="lineage")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor", "event"], name="lineage_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.date:%d/%m/%Y})"
