"""People: party members and the non-members (cadres, civil servants) who take part in study.

``Membership`` places a member in a cell over time (regular or temporary party activity);
``Post`` records a post held in a unit or organ over time, with the head-of-unit flag.
Lists sort by given name, middle name, family name in Vietnamese order (``name_sort``) and
search ignores diacritics (``name_search``); both are stored so they work on any database.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from giamsat.core.models import TimeStampedModel, ValidityMixin, ValidityQuerySet
from giamsat.core.text import normalize, person_sort_key, search_key, split_full_name


class Gender(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class MemberStatus(models.TextChoices):
    NON_MEMBER = "non_member", _("not a party member")
    PROBATIONARY = "probationary", _("probationary member")
    FULL = "full", _("full member")
    LEFT = "left", _("left the Party")
    DECEASED = "deceased", _("deceased")


MEMBER_STATUSES = (MemberStatus.PROBATIONARY, MemberStatus.FULL)


class PersonCategory(models.TextChoices):
    """What a non-member is, for study sessions (cán bộ, công chức, viên chức, quần chúng)."""

    MEMBER = "member", _("party member")
    CADRE = "cadre", _("cadre")
    CIVIL_SERVANT = "civil_servant", _("civil servant")
    PUBLIC_EMPLOYEE = "public_employee", _("public employee")
    OTHER = "other", _("other")


class PersonQuerySet(models.QuerySet):
    def search(self, text: str) -> PersonQuerySet:
        key = search_key(text)
        if not key:
            return self
        q = Q(name_search__contains=key)
        raw = text.strip()
        if raw.isdigit():
            q |= Q(party_card_number=raw) | Q(identity_number=raw)
        return self.filter(q)

    def order_vi(self) -> PersonQuerySet:
        return self.order_by("name_sort", "birth_date", "pk")

    def members(self) -> PersonQuerySet:
        return self.filter(status__in=MEMBER_STATUSES)

    def visible_to(self, user, capability: str = "view_people") -> PersonQuerySet:
        """People with a membership or a post (at any time), or an affiliation, in scope."""
        from giamsat.accounts.scoping import is_unrestricted, scope_q

        if is_unrestricted(user):
            return self
        in_scope = scope_q(user, capability, "unit")
        return self.filter(
            Q(pk__in=Membership.objects.filter(in_scope).values("person_id"))
            | Q(pk__in=Post.objects.filter(in_scope).values("person_id"))
            | scope_q(user, capability, "affiliation")
        )


class Person(TimeStampedModel):
    full_name = models.CharField(_("full name"), max_length=120)
    family_name = models.CharField(_("family name"), max_length=40, editable=False)
    middle_name = models.CharField(_("middle name"), max_length=80, editable=False, blank=True)
    given_name = models.CharField(_("given name"), max_length=40, editable=False)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    party_card_number = models.CharField(
        _("party card number"), max_length=20, null=True, blank=True, unique=True
    )
    identity_number = models.CharField(
        _("identity number"), max_length=20, null=True, blank=True, unique=True
    )
    category = models.CharField(
        _("category"), max_length=20, choices=PersonCategory.choices, default=PersonCategory.MEMBER
    )
    status = models.CharField(
        _("party status"), max_length=16, choices=MemberStatus.choices, default=MemberStatus.FULL
    )
    joined_on = models.DateField(_("joined the Party on"), null=True, blank=True)
    official_on = models.DateField(_("full member since"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    # For people outside the Party (cadres, civil servants invited to study): the party
    # organisation of their agency or locality. Members are placed by Membership instead.
    affiliation = models.ForeignKey(
        "units.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="affiliated",
        verbose_name=_("affiliated organisation"),
    )
    # Generated demo people carry this flag; the UI says so.
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)
    name_sort = models.CharField(max_length=800, editable=False, db_index=True)
    name_search = models.CharField(max_length=120, editable=False, db_index=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            # duplicate detection on import: name without diacritics + birth date
            models.Index(fields=["name_search", "birth_date"], name="person_name_birth_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {
                *update_fields,
                "family_name",
                "middle_name",
                "given_name",
                "name_sort",
                "name_search",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("people:detail", args=[self.pk])

    def fill_derived_fields(self) -> Person:
        """Name parts and sort/search keys; call before ``bulk_create`` (save() does it)."""
        self.full_name = normalize(self.full_name)
        self.family_name, self.middle_name, self.given_name = split_full_name(self.full_name)
        self.name_sort = person_sort_key(self.full_name)
        self.name_search = search_key(self.full_name)
        return self

    @property
    def is_member(self) -> bool:
        return self.status in MEMBER_STATUSES

    def membership_on(self, day: dt.date | None = None) -> Membership | None:
        return (
            self.memberships.valid_on(day)
            .filter(kind=MembershipKind.REGULAR)
            .select_related("unit")
            .first()
        )


class MembershipKind(models.TextChoices):
    REGULAR = "regular", _("regular party activity")
    TEMPORARY = "temporary", _("temporary party activity")


class Membership(ValidityMixin, TimeStampedModel):
    """A person's party activity in a cell from ``valid_from`` to ``valid_to`` (inclusive)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="memberships")
    kind = models.CharField(
        _("kind"), max_length=12, choices=MembershipKind.choices, default=MembershipKind.REGULAR
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [
            # expected participants of a session: members of the cells in scope on a day
            models.Index(fields=["unit", "valid_from", "valid_to"], name="membership_unit_idx"),
            models.Index(fields=["person", "valid_from"], name="membership_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.unit}"


class PostKind(models.TextChoices):
    SECRETARY = "secretary", _("secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("deputy secretary")
    STANDING_MEMBER = "standing_member", _("standing committee member")
    COMMITTEE_MEMBER = "committee_member", _("committee member")
    CHAIR = "chair", _("chair / head")
    DEPUTY_CHAIR = "deputy_chair", _("deputy chair / deputy head")
    MEMBER = "member", _("member")
    STAFF = "staff", _("staff")
    OTHER = "other", _("other")


class Post(ValidityMixin, TimeStampedModel):
    """A post (chức vụ) held in a unit or organ over time."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="posts")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="posts")
    kind = models.CharField(
        _("kind"), max_length=20, choices=PostKind.choices, default=PostKind.OTHER
    )
    title = models.CharField(_("title"), max_length=200)
    is_head = models.BooleanField(_("head of the unit"), default=False)
    ended_by = models.CharField(_("ended by"), max_length=200, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [models.Index(fields=["unit", "valid_from", "valid_to"], name="post_unit_idx")]

    def __str__(self) -> str:
        return f"{self.title}: {self.person}"
