"""Forms of the reorganisations (establish, rename, move, merge, split, dissolve).

Every unit a form offers is in the user's ``Cap.MANAGE_UNITS`` scope; the services check the
dates and the shape of the tree and their refusals are shown on the form.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import scope_q
from giamsat.core.dates import today
from giamsat.units.models import OrganKind, Unit, UnitKind
from giamsat.units.services import Decision, NewUnit

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
MAX_SPLIT_PARTS = 10


class DateInput(forms.DateInput):
    """The phone's native date picker; the value travels as yyyy-mm-dd."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        help_text=help_text,
    )


class StyledForm(forms.Form):
    """Bootstrap classes on every widget (no inline styles: CSP). Rendered by
    ``units/_form.html`` (non-field errors, then ``main_fields``)."""

    def main_fields(self):
        return [f for f in self.visible_fields() if not f.name.startswith("child_")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        label = f"{obj.name} ({obj.code})"
        if obj.valid_to:
            label += " — " + gettext("until %(date)s") % {"date": f"{obj.valid_to:%d/%m/%Y}"}
        return label


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.code})"


def manageable_units(user):
    """Units the user may reorganise (organs excluded: they follow their committee)."""
    return (
        Unit.objects.filter(scope_q(user, Cap.MANAGE_UNITS))
        .exclude(kind=UnitKind.ORGAN)
        .order_by("name_sort", "pk")
    )


class ReorgForm(StyledForm):
    """Fields every reorganisation carries: its date and the deciding document."""

    date = date_field(
        _("Effective date"),
        help_text=_("The first day of the new arrangement; what ends, ends the day before."),
    )
    decision_symbol = forms.CharField(
        label=_("Decision (number and symbol)"),
        required=False,
        max_length=60,
        help_text=_("e.g. 341-QĐ/TW; linked to the registry when the document is there."),
    )
    decision_date = date_field(_("Decision date"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, user, unit: Unit, **kwargs):
        self.user = user
        self.unit = unit
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["date"].initial = today()

    def decision(self) -> Decision:
        data = self.cleaned_data
        return Decision(
            symbol=data.get("decision_symbol") or "",
            date=data.get("decision_date"),
            note=data.get("note") or "",
        )


def _kind_choices(include_organ: bool = True):
    return [(k, label) for k, label in UnitKind.choices if include_organ or k != UnitKind.ORGAN]


class EstablishForm(ReorgForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=_kind_choices())
    organ_kind = forms.ChoiceField(
        label=_("Organ kind"),
        required=False,
        choices=[("", "—"), *OrganKind.choices],
        help_text=_("Only for a committee organ."),
    )
    issuer_code = forms.CharField(
        label=_("Issuer code"),
        required=False,
        max_length=20,
        help_text=_("As in its document symbols, e.g. ĐU, TU."),
    )

    def spec(self) -> NewUnit:
        d = self.cleaned_data
        return NewUnit(
            code=d["code"],
            name=d["name"],
            kind=d["kind"],
            organ_kind=d.get("organ_kind") or "",
            issuer_code=d.get("issuer_code") or "",
            place_name=self.unit.place_name,
        )


class RenameForm(ReorgForm):
    name = forms.CharField(label=_("New name"), max_length=255)


class MoveForm(ReorgForm):
    parent = UnitChoiceField(label=_("New parent organisation"), queryset=Unit.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = manageable_units(self.user).exclude(pk=self.unit.pk)


class MergeForm(ReorgForm):
    INTO_EXISTING = "existing"
    INTO_NEW = "new"

    sources = UnitMultipleChoiceField(
        label=_("Units that merge"),
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("They end the day before the effective date."),
    )
    mode = forms.ChoiceField(
        label=_("Merge into"),
        choices=[
            (INTO_EXISTING, _("an existing unit (absorption, sáp nhập)")),
            (INTO_NEW, _("a new unit (consolidation, hợp nhất)")),
        ],
        widget=forms.RadioSelect,
        initial=INTO_EXISTING,
    )
    into = UnitChoiceField(
        label=_("Existing unit that continues"), required=False, queryset=Unit.objects.none()
    )
    new_code = forms.CharField(label=_("Code of the new unit"), required=False, max_length=40)
    new_name = forms.CharField(label=_("Name of the new unit"), required=False, max_length=255)
    new_kind = forms.ChoiceField(
        label=_("Kind of the new unit"), required=False, choices=_kind_choices(False)
    )
    parent = UnitChoiceField(
        label=_("Parent of the new unit"),
        required=False,
        queryset=Unit.objects.none(),
        help_text=_("Empty: where the first merging unit was."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = manageable_units(self.user)
        for name in ("sources", "into", "parent"):
            self.fields[name].queryset = units
        if not self.is_bound:
            self.fields["sources"].initial = [self.unit.pk]
            self.fields["new_kind"].initial = self.unit.kind

    def clean(self):
        data = super().clean()
        if data.get("mode") == self.INTO_EXISTING and not data.get("into"):
            self.add_error("into", gettext("Choose the unit that continues."))
        if data.get("mode") == self.INTO_NEW:
            for name in ("new_code", "new_name", "new_kind"):
                if not data.get(name):
                    self.add_error(name, gettext("Required for a merge into a new unit."))
        return data

    def new_unit(self) -> NewUnit | None:
        d = self.cleaned_data
        if d["mode"] != self.INTO_NEW:
            return None
        return NewUnit(
            code=d["new_code"],
            name=d["new_name"],
            kind=d["new_kind"],
            issuer_code=self.unit.issuer_code,
            place_name=self.unit.place_name,
        )


class SplitForm(ReorgForm):
    new_units = forms.CharField(
        label=_("New units"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: code | name. At least two."),
    )
    new_kind = forms.ChoiceField(label=_("Kind of the new units"), choices=_kind_choices(False))
    members_to = forms.IntegerField(
        label=_("Members go to new unit no."),
        min_value=1,
        max_value=MAX_SPLIT_PARTS,
        initial=1,
        help_text=_("Members can be transferred one by one afterwards."),
    )

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.children = list(children)
        if not self.is_bound:
            self.fields["new_kind"].initial = self.unit.kind
        for child in self.children:
            self.fields[f"child_{child.pk}"] = forms.IntegerField(
                label=gettext("%(unit)s goes to new unit no.") % {"unit": child.name},
                min_value=1,
                max_value=MAX_SPLIT_PARTS,
                initial=1,
                widget=forms.NumberInput(attrs={"class": "form-control"}),
            )

    def clean_new_units(self) -> list[tuple[str, str]]:
        parts = []
        for number, line in enumerate(self.cleaned_data["new_units"].splitlines(), start=1):
            if not line.strip():
                continue
            code, sep, name = line.partition("|")
            if not sep or not code.strip() or not name.strip():
                raise forms.ValidationError(
                    gettext("Line %(n)d: write code | name, e.g. HT-B | Đảng bộ phường Bắc")
                    % {"n": number}
                )
            parts.append((code.strip(), name.strip()))
        if len(parts) < 2:
            raise forms.ValidationError(gettext("A split needs at least two new units."))
        if len(parts) > MAX_SPLIT_PARTS:
            raise forms.ValidationError(
                gettext("At most %(n)d new units at once.") % {"n": MAX_SPLIT_PARTS}
            )
        return parts

    def specs(self) -> list[NewUnit]:
        return [
            NewUnit(
                code=code,
                name=name,
                kind=self.cleaned_data["new_kind"],
                issuer_code=self.unit.issuer_code,
                place_name=self.unit.place_name,
            )
            for code, name in self.cleaned_data["new_units"]
        ]

    def children_to(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"child_{c.pk}"] - 1 for c in self.children}

    def child_fields(self):
        return [self[f"child_{c.pk}"] for c in self.children]


class DissolveForm(ReorgForm):
    confirm = forms.BooleanField(
        label=_("I confirm that this organisation ends on the day before the effective date."),
    )


FORMS: dict[str, type[ReorgForm]] = {
    "establish": EstablishForm,
    "rename": RenameForm,
    "move": MoveForm,
    "merge": MergeForm,
    "split": SplitForm,
    "dissolve": DissolveForm,
}


def eve(date: dt.date) -> dt.date:
    return date - dt.timedelta(days=1)
