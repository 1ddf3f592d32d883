"""Forms for people, memberships and posts (users holding ``Cap.MANAGE_PEOPLE``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import scope_q
from giamsat.core.dates import today
from giamsat.people.models import (
    Gender,
    MembershipKind,
    MemberStatus,
    PersonCategory,
    PostKind,
)
from giamsat.units.forms import StyledForm, UnitChoiceField, date_field
from giamsat.units.models import Unit


def manageable_cells(user):
    """Cells that exist today in the user's MANAGE_PEOPLE scope."""
    return (
        Unit.objects.filter(scope_q(user, Cap.MANAGE_PEOPLE))
        .cells()
        .valid_on(today())
        .order_by("name_sort", "pk")
    )


def manageable_units(user):
    return (
        Unit.objects.filter(scope_q(user, Cap.MANAGE_PEOPLE))
        .valid_on(today())
        .order_by("name_sort", "pk")
    )


class PersonForm(StyledForm):
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    birth_date = date_field(_("Birth date"), required=False)
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=[("", "—"), *Gender.choices]
    )
    category = forms.ChoiceField(label=_("Category"), choices=PersonCategory.choices)
    status = forms.ChoiceField(label=_("Party status"), choices=MemberStatus.choices)
    party_card_number = forms.CharField(label=_("Party card number"), required=False, max_length=20)
    identity_number = forms.CharField(label=_("Identity number"), required=False, max_length=20)
    joined_on = date_field(_("Joined the Party on"), required=False)
    official_on = date_field(_("Full member since"), required=False)
    left_on = date_field(_("Left on"), required=False)
    affiliation = UnitChoiceField(
        label=_("Affiliated organisation"),
        required=False,
        queryset=Unit.objects.none(),
        help_text=_("For people outside the Party: the organisation of their agency or ward."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["affiliation"].queryset = manageable_units(user).organisations()

    def person_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("cell", "member_from")}


class NewPersonForm(PersonForm):
    cell = UnitChoiceField(
        label=_("Cell"),
        required=False,
        queryset=Unit.objects.none(),
        help_text=_("For a party member: the cell of their regular party activity."),
    )
    member_from = date_field(
        _("Member of the cell from"), required=False, help_text=_("Empty: the joining date.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["cell"].queryset = manageable_cells(user)


class TransferForm(StyledForm):
    to_unit = UnitChoiceField(label=_("New cell"), queryset=Unit.objects.none())
    date = date_field(_("From"), help_text=_("The first day in the new cell."))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=MembershipKind.choices, initial=MembershipKind.REGULAR
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=255, help_text=_("e.g. the transfer decision")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = manageable_cells(user)
        if not self.is_bound:
            self.fields["date"].initial = today()


class PostForm(StyledForm):
    unit = UnitChoiceField(label=_("Organisation or organ"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Kind of post"), choices=PostKind.choices)
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("As written, e.g. Bí thư Đảng ủy phường")
    )
    is_head = forms.BooleanField(label=_("Head of the unit (người đứng đầu)"), required=False)
    date = date_field(_("From"))
    until = date_field(_("Until"), required=False, help_text=_("Empty: still held."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = manageable_units(user)
        if not self.is_bound:
            self.fields["date"].initial = today()


class EndPostForm(StyledForm):
    last_day = date_field(_("Last day in the post"))
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=200, help_text=_("e.g. retired, transferred")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["last_day"].initial = today()
