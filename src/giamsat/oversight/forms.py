"""Forms of the oversight pages: plain Django forms; the services validate the rules."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from giamsat.core.dates import parse_date
from giamsat.oversight.models import (
    CaseKind,
    CaseSubject,
    CatalogueItem,
    CommitmentOrigin,
    FindingKind,
    FollowUpAssessment,
    FollowUpKind,
    ItemStatus,
    StepKind,
    SupervisionMethod,
    TeamRole,
)
from giamsat.people.models import Person
from giamsat.units.models import Unit


class VietDateField(forms.DateField):
    """A date typed as dd/mm/yyyy (or ISO, as a date picker sends it)."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(str(value))
        except ValueError:
            raise forms.ValidationError(
                _("'%(value)s' is not a date (use dd/mm/yyyy)."), params={"value": value}
            ) from None


class StyledForm(forms.Form):
    """Bootstrap classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.code})"


class PersonIdField(forms.ModelChoiceField):
    """A person chosen by id (links from subject lists), party card number or identity number."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        qs: QuerySet[Person] = self.queryset
        person = (
            qs.filter(party_card_number=text).first() or qs.filter(identity_number=text).first()
        )
        if person is None and text.isdigit():
            person = qs.filter(pk=int(text)).first()
        if person is None:
            raise forms.ValidationError(
                _("No person in your scope has the party card number or id '%(v)s'."),
                params={"v": text},
            )
        return person


class CaseForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    conducting_unit = UnitChoiceField(label=_("Conducting body"), queryset=Unit.objects.none())
    state_body = forms.CharField(
        label=_("Inspecting state body"),
        required=False,
        help_text=_("Only for a state inspection, e.g. Thanh tra thành phố."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    content = forms.CharField(
        label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    decided_on = VietDateField(label=_("Decided on"))
    decision_symbol = forms.CharField(
        label=_("Decision number and symbol"), required=False, help_text=_("e.g. 12-QĐ/UBKTTU")
    )
    period_from = VietDateField(label=_("Period inspected from"), required=False)
    period_to = VietDateField(label=_("Period inspected to"), required=False)
    subject_unit = UnitChoiceField(
        label=_("Subject (collective)"), queryset=Unit.objects.none(), required=False
    )
    subject_person = PersonIdField(
        label=_("Subject (individual): party card number"),
        queryset=Person.objects.none(),
        required=False,
    )
    directives = forms.ModelMultipleChoiceField(
        label=_("Directives in scope"), queryset=None, required=False
    )

    def __init__(self, *args, units, people, directives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conducting_unit"].queryset = units
        self.fields["subject_unit"].queryset = units
        self.fields["subject_person"].queryset = people
        self.fields["directives"].queryset = directives


class CaseEditForm(StyledForm):
    prefix = "edit"
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=300)
    content = forms.CharField(
        label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    decision_symbol = forms.CharField(label=_("Decision number and symbol"), required=False)
    period_from = VietDateField(label=_("Period inspected from"), required=False)
    period_to = VietDateField(label=_("Period inspected to"), required=False)


class SubjectForm(StyledForm):
    prefix = "subject"
    unit = UnitChoiceField(label=_("Collective"), queryset=Unit.objects.none(), required=False)
    person = PersonIdField(
        label=_("Individual: party card number"), queryset=Person.objects.none(), required=False
    )
    name = forms.CharField(label=_("Agency outside the party tree"), required=False)
    position = forms.CharField(label=_("Post at the time"), required=False)

    def __init__(self, *args, units, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["person"].queryset = people


class TeamForm(StyledForm):
    prefix = "team"
    role = forms.ChoiceField(label=_("Role"), choices=TeamRole.choices)
    person = PersonIdField(
        label=_("Party card number"), queryset=Person.objects.none(), required=False
    )
    name = forms.CharField(label=_("Or a name"), required=False)
    agency = forms.CharField(label=_("Agency"), required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class StepForm(StyledForm):
    prefix = "step"
    kind = forms.ChoiceField(
        label=_("Step"),
        choices=[(k.value, k.label) for k in StepKind if k != StepKind.CONCLUSION],
    )
    date = VietDateField(label=_("Date"))
    document_symbol = forms.CharField(label=_("Document number and symbol"), required=False)
    note = forms.CharField(label=_("Note"), required=False)
    upload = forms.FileField(label=_("Document (file)"), required=False)


class CatalogueItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CatalogueItem) -> str:
        flag = "" if obj.status == ItemStatus.CONFIRMED else " *"
        return f"{obj.catalogue.source_document.split(' của ')[0]} · {obj.code}. {obj.label}{flag}"


class FindingForm(StyledForm):
    prefix = "finding"
    kind = forms.ChoiceField(label=_("Kind"), choices=FindingKind.choices)
    subject = forms.ModelChoiceField(
        label=_("Subject"), queryset=CaseSubject.objects.none(), required=False
    )
    catalogue_item = CatalogueItemChoiceField(
        label=_("Catalogue code"),
        queryset=CatalogueItem.objects.none(),
        required=False,
        help_text=_("* not read verbatim yet: the catalogue item is to be completed."),
    )
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, subjects, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = subjects
        self.fields["catalogue_item"].queryset = items


class ConcludeForm(StyledForm):
    prefix = "conclude"
    version = forms.IntegerField(widget=forms.HiddenInput)
    concluded_on = VietDateField(label=_("Concluded on"))
    conclusion_symbol = forms.CharField(
        label=_("Conclusion number and symbol"), required=False, help_text=_("e.g. 45-TB/UBKTTU")
    )
    strengths = forms.CharField(
        label=_("Strengths"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    shortcomings = forms.CharField(
        label=_("Shortcomings"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    violations = forms.CharField(
        label=_("Violations"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    recommendations = forms.CharField(
        label=_("Requests and recommendations"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class CancelForm(StyledForm):
    prefix = "cancel"
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300)


class ProgrammeForm(StyledForm):
    conducting_unit = UnitChoiceField(label=_("Conducting body"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=300)
    adopted_on = VietDateField(label=_("Adopted on"), required=False)
    document_symbol = forms.CharField(label=_("Number and symbol"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conducting_unit"].queryset = units


class ProgrammeItemForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    subject_unit = UnitChoiceField(
        label=_("Subject (collective)"), queryset=Unit.objects.none(), required=False
    )
    subject_text = forms.CharField(label=_("Subjects as written"), required=False)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 2}))
    planned_start = VietDateField(label=_("Planned from"))
    planned_end = VietDateField(label=_("Planned to"))
    ad_hoc = forms.BooleanField(label=_("Added during the year"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_unit"].queryset = units


class ActivityForm(StyledForm):
    conducting_unit = UnitChoiceField(label=_("Conducting body"), queryset=Unit.objects.none())
    date = VietDateField(label=_("Date"))
    method = forms.ChoiceField(label=_("Method"), choices=SupervisionMethod.choices)
    subject_unit = UnitChoiceField(
        label=_("Subject (collective)"), queryset=Unit.objects.none(), required=False
    )
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 2}))
    observations = forms.CharField(
        label=_("Observations"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    reminder_needed = forms.BooleanField(label=_("Reminder or correction needed"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conducting_unit"].queryset = units
        self.fields["subject_unit"].queryset = units


class CriticismForm(StyledForm):
    by_unit = UnitChoiceField(label=_("Criticising body"), queryset=Unit.objects.none())
    date = VietDateField(label=_("Date"))
    subject_unit = UnitChoiceField(
        label=_("Collective criticised"), queryset=Unit.objects.none(), required=False
    )
    subject_person = PersonIdField(
        label=_("Head or individual: party card number"),
        queryset=Person.objects.none(),
        required=False,
    )
    subject_position = forms.CharField(label=_("Post at the time"), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    document_symbol = forms.CharField(label=_("Document number and symbol"), required=False)
    directives = forms.ModelMultipleChoiceField(
        label=_("Directives in scope"), queryset=None, required=False
    )

    def __init__(self, *args, units, people, directives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["by_unit"].queryset = units
        self.fields["subject_unit"].queryset = units
        self.fields["subject_person"].queryset = people
        self.fields["directives"].queryset = directives


class CommitmentForm(StyledForm):
    """A commitment with up to five items (more can be added on its page)."""

    origin_kind = forms.ChoiceField(label=_("Origin"), choices=CommitmentOrigin.choices)
    supervising_unit = UnitChoiceField(label=_("Supervising body"), queryset=Unit.objects.none())
    subject_unit = UnitChoiceField(
        label=_("Collective"), queryset=Unit.objects.none(), required=False
    )
    subject_person = PersonIdField(
        label=_("Individual: party card number"), queryset=Person.objects.none(), required=False
    )
    signed_on = VietDateField(label=_("Signed on"))
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    ITEMS = 5

    def __init__(self, *args, units, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervising_unit"].queryset = units
        self.fields["subject_unit"].queryset = units
        self.fields["subject_person"].queryset = people
        for i in range(1, self.ITEMS + 1):
            self.fields[f"item_{i}"] = forms.CharField(
                label=_("Item %(n)s") % {"n": i},
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
            self.fields[f"due_{i}"] = VietDateField(
                label=_("Deadline of item %(n)s") % {"n": i}, required=False
            )
            self.fields[f"due_{i}"].widget.attrs["class"] = "form-control"

    def item_specs(self) -> list[tuple[int, str, dt.date | None]]:
        rows = []
        for i in range(1, self.ITEMS + 1):
            text = self.cleaned_data.get(f"item_{i}", "").strip()
            due = self.cleaned_data.get(f"due_{i}")
            if text or due:
                rows.append((i, text, due))
        return rows


class CommitmentItemForm(StyledForm):
    prefix = "item"
    text = forms.CharField(label=_("What will be corrected"))
    due_on = VietDateField(label=_("Deadline"))


class CloseItemForm(StyledForm):
    closed_on = VietDateField(label=_("Closed on"))
    justification = forms.CharField(
        label=_("Justification"), widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.FileField(
        label=_("Evidence (file)"),
        required=False,
        help_text=_("Required unless a file is already attached to the item."),
    )


class FollowUpForm(StyledForm):
    prefix = "follow"
    date = VietDateField(label=_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=FollowUpKind.choices)
    by_unit = UnitChoiceField(label=_("By"), queryset=Unit.objects.none())
    assessment = forms.ChoiceField(label=_("Assessment"), choices=FollowUpAssessment.choices)
    item = forms.ModelChoiceField(label=_("Item"), queryset=None, required=False)
    case = forms.ModelChoiceField(label=_("Re-inspection case"), queryset=None, required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, units, items, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["by_unit"].queryset = units
        self.fields["item"].queryset = items
        self.fields["case"].queryset = cases


class CatalogueItemForm(StyledForm):
    label = forms.CharField(label=_("Short label"), max_length=300)
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices)
    source = forms.CharField(label=_("Where it was read"), max_length=500, required=False)
    topic = forms.SlugField(label=_("Topic"), max_length=40, required=False)


class FigureQueryForm(StyledForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    start = VietDateField(label=_("From"))
    end = VietDateField(label=_("To"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data
