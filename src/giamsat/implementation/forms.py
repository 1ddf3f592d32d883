"""Forms of the implementation pages (filters, fan-out, fulfilment, reminders, key tasks)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from giamsat.directives.models import Directive
from giamsat.implementation.models import (
    ReminderMethod,
    RequirementKind,
    ScopeKind,
    Status,
    TaskKind,
    TaskStateLabel,
    TaskStatus,
)
from giamsat.people.models import Person
from giamsat.units.models import Level, Unit

DATE_WIDGET = forms.DateInput(
    format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
)
LEVEL_CHOICES = [(str(v), label) for v, label in Level.choices if v != Level.CENTRAL]


def _date(label, required=False, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE_WIDGET, **kwargs)


ALL = _("all")


def _blank(choices, label=ALL):
    return [("", label), *choices]


class BootstrapMixin:
    """Bootstrap classes on every widget (no templates per field)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._style()

    def _style(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            else:
                widget.attrs.setdefault("class", "form-control form-control-sm")


class FilterForm(BootstrapMixin, forms.Form):
    """Filters shared by the dashboard, matrix and item lists (all optional, GET)."""

    directive = forms.TypedChoiceField(
        label=_("Directive"), required=False, coerce=int, empty_value=None
    )
    level = forms.TypedChoiceField(
        label=_("Level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=_blank(LEVEL_CHOICES),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_blank([*Status.choices, ("overdue", _("late or missing"))]),
    )
    kind = forms.ChoiceField(
        label=_("Requirement"), required=False, choices=_blank(RequirementKind.choices)
    )
    date_from = _date(_("Due from"))
    date_to = _date(_("Due to (and judged on)"))

    def __init__(self, *args, directives=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["directive"].choices = _blank([(d.pk, d.symbol) for d in directives])
        self._style()
        for field in self.fields.values():
            field.widget.attrs["data-autosubmit"] = ""

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data


class AssignmentForm(BootstrapMixin, forms.Form):
    """Put a directive into implementation: who, what, for whom, and by when."""

    directive = forms.ModelChoiceField(label=_("Directive"), queryset=Directive.objects.none())
    issuing_unit = forms.ModelChoiceField(
        label=_("Assigned by (committee)"), queryset=Unit.objects.none()
    )
    assigned_on = _date(_("Assignment date"), required=True)
    plan = forms.ModelChoiceField(
        label=_("The committee's implementing plan (registered)"),
        queryset=Directive.objects.none(),
        required=False,
    )
    plan_symbol = forms.CharField(
        label=_("or a new plan: number and symbol"), required=False, max_length=40
    )
    plan_date = _date(_("New plan: date"))
    plan_title = forms.CharField(label=_("New plan: title"), required=False, max_length=600)
    scope_kind = forms.ChoiceField(
        label=_("Assign to"),
        choices=ScopeKind.choices,
        initial=ScopeKind.SUBTREE,
        widget=forms.RadioSelect,
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Chosen organisations"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    issue_document_due = _date(_("Issue an implementing document by"))
    organise_study_due = _date(_("Organise study for members and listed cadres by"))
    organise_study_label = forms.CharField(
        label=_("Who studies (members, cadres, civil servants)"), required=False, max_length=300
    )
    report_due = _date(_("Report on implementation by"))
    other_label = forms.CharField(label=_("Other requirement"), required=False, max_length=300)
    other_due = _date(_("Other requirement by"))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, directives, issuers, plans, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["directive"].queryset = directives
        self.fields["issuing_unit"].queryset = issuers
        self.fields["plan"].queryset = plans
        self.fields["units"].queryset = candidates
        self._style()

    def clean(self):
        data = super().clean()
        if data.get("scope_kind") == ScopeKind.CHOSEN and not data.get("units"):
            self.add_error("units", _("Choose at least one organisation."))
        if data.get("other_label") and not data.get("other_due"):
            self.add_error("other_due", _("Enter the due date of the other requirement."))
        if data.get("other_due") and not data.get("other_label"):
            self.add_error("other_label", _("Describe the other requirement."))
        new_plan = [data.get("plan_symbol"), data.get("plan_date"), data.get("plan_title")]
        if any(new_plan) and not all(new_plan):
            self.add_error(
                "plan_symbol", _("A new plan needs its number and symbol, date and title.")
            )
        if any(new_plan) and data.get("plan"):
            self.add_error("plan", _("Choose a registered plan or enter a new one, not both."))
        if not any(
            data.get(f)
            for f in ("issue_document_due", "organise_study_due", "report_due", "other_due")
        ):
            raise forms.ValidationError(_("Set the due date of at least one requirement."))
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class FulfilmentForm(BootstrapMixin, forms.Form):
    """Mark a requirement done (with its document and evidence)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    done_on = _date(_("Date done"))
    document = forms.ModelChoiceField(
        label=_("Document (registered)"), queryset=Directive.objects.none(), required=False
    )
    doc_symbol = forms.CharField(
        label=_("or a new document: number and symbol"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "01-KH/ĐU"}),
    )
    doc_date = _date(_("New document: date"))
    doc_title = forms.CharField(label=_("New document: title"), required=False, max_length=600)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    files = MultipleFileField(label=_("Evidence files"), required=False)

    def __init__(self, *args, documents, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents
        self._style()

    def clean(self):
        data = super().clean()
        new_doc = [data.get("doc_symbol"), data.get("doc_date"), data.get("doc_title")]
        if any(new_doc) and not all(new_doc):
            self.add_error(
                "doc_symbol", _("A new document needs its number and symbol, date and title.")
            )
        if any(new_doc) and data.get("document"):
            self.add_error(
                "document", _("Choose a registered document or enter a new one, not both.")
            )
        return data


class ReopenForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why is it reopened?"), max_length=300)


class ResponsibleForm(BootstrapMixin, forms.Form):
    person = forms.ModelChoiceField(
        label=_("Responsible person"), queryset=Person.objects.none(), required=False
    )
    title = forms.CharField(label=_("Post"), required=False, max_length=200)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self._style()


class ReminderForm(BootstrapMixin, forms.Form):
    sent_on = _date(_("Date"), required=True)
    method = forms.ChoiceField(label=_("How"), choices=ReminderMethod.choices)
    requirement = forms.TypedChoiceField(
        label=_("About"), required=False, coerce=int, empty_value=None
    )
    document_symbol = forms.CharField(
        label=_("Letter number and symbol"), required=False, max_length=40
    )
    note = forms.CharField(
        label=_("Content"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, requirements=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requirement"].choices = _blank(
            [(r.pk, r.title) for r in requirements], _("the whole assignment")
        )
        self._style()


class KeyTaskForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    unit = forms.ModelChoiceField(label=_("Party organisation"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=TaskKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.ModelChoiceField(
        label=_("Person in charge"), queryset=Person.objects.none(), required=False
    )
    owner_title = forms.CharField(
        label=_("In charge (post or body)"), required=False, max_length=200
    )
    opened_on = _date(_("Opened on"), required=True)
    deadline = _date(_("Deadline"))
    directive = forms.ModelChoiceField(
        label=_("Related directive"), queryset=Directive.objects.none(), required=False
    )

    def __init__(self, *args, units, people, directives, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["owner"].queryset = people
        self.fields["directive"].queryset = directives
        self._style()


class ProgressForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    date = _date(_("Date"), required=True)
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 2}))
    status = forms.ChoiceField(
        label=_("Status after this entry"),
        required=False,
        choices=_blank(TaskStatus.choices, _("unchanged")),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class TaskFilterForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_blank(TaskKind.choices))
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=_blank(TaskStateLabel.choices)
    )
    on = _date(_("Judged on"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._style()
        for field in self.fields.values():
            field.widget.attrs["data-autosubmit"] = ""
