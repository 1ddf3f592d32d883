"""The filter form of the audit page (GET)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from giamsat.audit.models import AccessKind
from giamsat.audit.queries import AuditFilter, clean_text
from giamsat.core.dates import parse_date

CHANGE_KIND_CHOICES = [
    ("create", _("created")),
    ("update", _("changed")),
    ("delete", _("deleted")),
]
# django-auditlog's LogEntry.Action values, as the page and the export name them.
ACTION_LABELS = {0: _("created"), 1: _("changed"), 2: _("deleted"), 3: _("read")}


class _DayField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return parse_date(value)
        except ValueError:
            raise ValidationError(
                _("'%(value)s' is not a date: write it as dd/mm/yyyy, e.g. 30/09/2022."),
                params={"value": value[:20]},
            ) from None


class AuditFilterForm(forms.Form):
    person = forms.CharField(label=_("Person"), required=False, max_length=150)
    record = forms.CharField(label=_("Record"), required=False, max_length=200)
    unit = forms.CharField(label=_("Party organisation"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    date_from = _DayField(label=_("From"), required=False, max_length=20)
    date_to = _DayField(label=_("To"), required=False, max_length=20)

    def __init__(self, *args, changes: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = CHANGE_KIND_CHOICES if changes else list(AccessKind.choices)
        self.fields["kind"].choices = [("", _("all kinds")), *choices]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError(
                _("The start date %(start)s is after the end date %(end)s.")
                % {"start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y")}
            )
        return data

    def to_filter(self) -> AuditFilter:
        """The filter of a valid form (an empty filter when the form is invalid)."""
        if not self.is_valid():
            return AuditFilter()
        data = self.cleaned_data
        return AuditFilter(
            person=clean_text(data.get("person")),
            record=clean_text(data.get("record")),
            unit=clean_text(data.get("unit")),
            kind=data.get("kind") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
