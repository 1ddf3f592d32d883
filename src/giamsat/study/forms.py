"""Forms of the study pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from giamsat.core.dates import parse_date
from giamsat.directives.models import Directive
from giamsat.study.models import Mode, ScopeKind, Status, StudySession
from giamsat.units.models import Unit


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, **kwargs):
        super().__init__(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", **kwargs})


class BootstrapForm(forms.Form):
    """Adds Bootstrap's classes to the widgets (the templates render fields generically)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class SessionForm(BootstrapForm):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Organising unit"))
    title = forms.CharField(label=_("Title"), max_length=300)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    end_date = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=DateInput(),
        help_text=_("Only for sessions that last several days."),
    )
    directives = forms.ModelMultipleChoiceField(
        queryset=Directive.objects.none(),
        label=_("Directives studied"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices, initial=Mode.IN_PERSON)
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    points = forms.CharField(
        label=_("Connected points"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, for online or mixed sessions."),
    )
    scope_kind = forms.ChoiceField(
        label=_("Who is expected"), choices=ScopeKind.choices, initial=ScopeKind.SUBTREE
    )
    cells = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.none(),
        label=_("Cells"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Only when the expected participants are chosen cells."),
    )
    invite_affiliated = forms.BooleanField(
        label=_("Invite the cadres and civil servants (non-members) of the units in scope"),
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, units=None, directives=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
            self.fields["cells"].queryset = units.cells()
        if directives is not None:
            self.fields["directives"].queryset = directives
        if editing:
            for name in ("unit", "scope_kind", "cells", "invite_affiliated"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        date, end = data.get("date"), data.get("end_date")
        if date and end and end < date:
            self.add_error("end_date", _("The last day is before the first day."))
        if data.get("scope_kind") == ScopeKind.CELLS and not data.get("cells"):
            self.add_error("cells", _("Choose at least one cell."))
        if data.get("mode") in (Mode.ONLINE, Mode.BOTH) and not self.point_names():
            self.add_error("points", _("An online session needs its connected points."))
        return data

    def point_names(self) -> list[str]:
        text = self.cleaned_data.get("points") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    @staticmethod
    def initial_for(session: StudySession) -> dict:
        return {
            "title": session.title,
            "date": session.date,
            "end_date": session.end_date,
            "directives": list(session.directives.all()),
            "mode": session.mode,
            "venue": session.venue,
            "points": "\n".join(p.name for p in session.points.all()),
            "note": session.note,
        }


class MakeupForm(BootstrapForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices, initial=Mode.IN_PERSON)
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)


class MarkForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Attendance"), choices=Status.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    attended_on = forms.CharField(label=_("Attended on"), required=False)

    def clean_attended_on(self):
        raw = (self.cleaned_data.get("attended_on") or "").strip()
        if not raw:
            return None
        try:
            return parse_date(raw)
        except ValueError:
            raise forms.ValidationError(_("Write the date as dd/mm/yyyy.")) from None


class ImportForm(BootstrapForm):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"),
        help_text=_(
            "The template of this session, or any sheet with the full name and the birth date "
            "or the party card number of each person, and their attendance."
        ),
    )
