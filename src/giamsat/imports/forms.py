"""Forms of the import pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import is_unrestricted, role_units
from giamsat.core.dates import today
from giamsat.imports.columns import Template
from giamsat.imports.models import ColumnMapping, ImportKind
from giamsat.units.models import Unit, UnitKind

MAX_UNIT_CHOICES = 400


class BootstrapMixin:
    """Bootstrap classes on every widget (templates render fields one by one)."""

    fields: dict[str, forms.Field]

    def style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            if isinstance(field, forms.DateField):
                widget.attrs.setdefault("placeholder", "dd/mm/yyyy")
                widget.attrs.setdefault("inputmode", "numeric")


def unit_choices(user: Any) -> QuerySet[Unit]:
    """Organisations a file may cover: those where the user imports, and the organisations
    (not cells or organs) under them today."""
    day = today()
    units = Unit.objects.valid_on(day).exclude(kind__in=(UnitKind.ORGAN, UnitKind.CELL))
    if is_unrestricted(user):
        return units.order_by("kind", "name_sort")[:MAX_UNIT_CHOICES]
    tops = [u.pk for u in role_units(user, Cap.IMPORT_DATA)]
    return (
        units.filter(
            ancestry_up__ancestor__in=tops,
            ancestry_up__valid_from__lte=day,
            ancestry_up__valid_to__gte=day,
        )
        .distinct()
        .order_by("kind", "name_sort")[:MAX_UNIT_CHOICES]
    )


def _home_unit(user: Any) -> int | None:
    """The organisation where the user holds the import role (preselected)."""
    units = role_units(user, Cap.IMPORT_DATA)
    return units[0].pk if units else None


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.code})"


class UploadForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Data"), choices=ImportKind.choices)
    unit = UnitChoiceField(
        label=_("Organisation the file covers"),
        queryset=Unit.objects.none(),
        help_text=_("Rows must concern this organisation and the units under it."),
    )
    as_of = forms.DateField(
        label=_("Data as of"),
        help_text=_("dd/mm/yyyy. Moves between cells and renames take effect on this date."),
    )
    mapping = forms.ModelChoiceField(
        label=_("Saved column mapping"),
        queryset=ColumnMapping.objects.all(),
        required=False,
        empty_label=_("— columns as in the template —"),
    )
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.filter(pk__in=[u.pk for u in unit_choices(user)]).order_by(
            "kind", "name_sort"
        )
        field.initial = _home_unit(user)
        self.fields["kind"].initial = ImportKind.MEMBERS
        self.fields["as_of"].initial = today()
        self.style()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        mapping = data.get("mapping")
        if mapping is not None and mapping.kind != data.get("kind"):
            self.add_error(
                "mapping",
                _("This mapping is for another kind of data: %(kind)s.")
                % {"kind": mapping.get_kind_display()},
            )
        return data


class ExportForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Data"), choices=ImportKind.choices)
    unit = UnitChoiceField(label=_("Organisation"), queryset=Unit.objects.none())
    as_of = forms.DateField(label=_("As of"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.filter(pk__in=[u.pk for u in unit_choices(user)]).order_by(
            "kind", "name_sort"
        )
        field.initial = _home_unit(user)
        self.fields["kind"].initial = ImportKind.MEMBERS
        self.fields["as_of"].initial = today()
        self.style()


class MappingForm(BootstrapMixin, forms.Form):
    """One select per template column, listing the file's headers."""

    save_as = forms.CharField(
        label=_("Save this mapping as"),
        required=False,
        max_length=100,
        help_text=_("e.g. “CSDL đảng viên export”: the next file from this source maps itself."),
    )

    def __init__(
        self,
        *args: Any,
        template: Template,
        headers: list[str],
        current: dict[str, int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        options = [("", _("— not in this file —"))] + [
            (h, f"{get_column_letter(i + 1)}: {h}") for i, h in enumerate(headers) if h
        ]
        self.columns = []
        for column in template.importable:
            index = current.get(column.name)
            initial = headers[index] if index is not None and index < len(headers) else ""
            self.fields[f"col_{column.name}"] = forms.ChoiceField(
                label=column.header(),
                choices=options,
                required=column.required,
                initial=initial,
                help_text=column.help,
            )
            self.columns.append(column.name)
        self.order_fields([*(f"col_{c}" for c in self.columns), "save_as"])
        self.style()

    def chosen(self) -> dict[str, str]:
        return {c: self.cleaned_data.get(f"col_{c}") or "" for c in self.columns}


class ConfirmForm(BootstrapMixin, forms.Form):
    skip_rejected = forms.BooleanField(
        label=_("Skip the rejected rows and import the others"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()
