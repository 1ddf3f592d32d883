"""Forms of the evaluation pages. Validation of the rules lives in the services; forms check
types and required fields and give each field a clear label."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from giamsat.core.dates import today
from giamsat.evaluation import rules
from giamsat.evaluation.models import (
    CategoryChoice,
    LevelChoice,
    PeriodKindChoice,
    PointKind,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})
OPINIONS = 3
ITEMS = 3


def _date_field(label, *, required: bool = True, initial=None) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE, initial=initial)


class CampaignForm(forms.Form):
    organiser = forms.ModelChoiceField(queryset=None, label=_("Organised by"))
    period_kind = forms.ChoiceField(
        label=_("Period"), choices=PeriodKindChoice.choices, initial=rules.PeriodKind.ANNUAL
    )
    year = forms.IntegerField(label=_("Year"), min_value=2018, max_value=2100)
    quarter = forms.IntegerField(
        label=_("Quarter (quarterly reviews)"), min_value=1, max_value=4, required=False
    )
    term_start = _date_field(_("Term from (term reviews)"), required=False)
    term_end = _date_field(_("Term to (term reviews)"), required=False)
    title = forms.CharField(
        label=pgettext_lazy("rating", "Title"),
        max_length=300,
        required=False,
        help_text=_("Left empty: “Review and quality classification <year> — <organisation>”."),
    )
    plan_symbol = forms.CharField(
        label=_("Plan number and symbol"),
        max_length=60,
        required=False,
        help_text=_("The plan is usually issued in November, e.g. “09-KH/ĐU”."),
    )
    plan_issued_on = _date_field(_("Plan issued on"), required=False)
    special_units = forms.BooleanField(
        label=_("Units that sum up their year later (finish by 15/01, HD 43 mục 4.1)"),
        required=False,
    )
    note = forms.CharField(label=_("Note"), widget=TEXT, required=False)

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = units
        if not self.is_bound:
            self.fields["year"].initial = today().year


class SelfAssessmentForm(forms.Form):
    score_general = forms.DecimalField(
        label=_("General criteria (max 30)"),
        min_value=Decimal(0),
        max_value=rules.GENERAL_MAX,
        decimal_places=1,
    )
    score_tasks = forms.DecimalField(
        label=_("Task results (max 70)"),
        min_value=Decimal(0),
        max_value=rules.TASKS_MAX,
        decimal_places=1,
    )
    tasks_total = forms.IntegerField(label=_("Tasks of the period"), min_value=0, initial=0)
    tasks_completed = forms.IntegerField(label=_("of which completed"), min_value=0, initial=0)
    tasks_on_time = forms.IntegerField(
        label=_("completed on time, with quality"), min_value=0, initial=0
    )
    tasks_exceeding = forms.IntegerField(
        label=_("completed beyond requirements"), min_value=0, initial=0
    )
    shortcomings_before = forms.IntegerField(
        label=_("Shortcomings pointed out at the previous review"), min_value=0, initial=0
    )
    shortcomings_remedied = forms.IntegerField(label=_("of which remedied"), min_value=0, initial=0)
    category = forms.ChoiceField(label=_("Category"), choices=CategoryChoice.choices)
    assessed_on = _date_field(_("Self-assessed on"))
    note = forms.CharField(
        label=_("Strengths, shortcomings and their causes"), widget=TEXT, required=False
    )

    def __init__(self, *args, collective: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if collective:
            del self.fields["category"]

    def clean(self):
        data = super().clean()
        counts = [
            data.get("tasks_total"),
            data.get("tasks_completed"),
            data.get("tasks_on_time"),
            data.get("tasks_exceeding"),
        ]
        if None not in counts:
            total, completed, on_time, exceeding = counts
            if not exceeding <= on_time <= completed <= total:
                raise forms.ValidationError(
                    _(
                        "Task counts must satisfy: beyond requirements ≤ on time ≤ completed ≤ "
                        "tasks of the period."
                    )
                )
        before, remedied = data.get("shortcomings_before"), data.get("shortcomings_remedied")
        if before is not None and remedied is not None and remedied > before:
            raise forms.ValidationError(
                _("Remedied shortcomings cannot be more than those pointed out.")
            )
        return data

    def tasks(self) -> rules.Tasks:
        d = self.cleaned_data
        return rules.Tasks(
            total=d["tasks_total"],
            completed=d["tasks_completed"],
            on_time=d["tasks_on_time"],
            exceeding=d["tasks_exceeding"],
            shortcomings_before=d["shortcomings_before"],
            shortcomings_remedied=d["shortcomings_remedied"],
        )


class ProposalForm(forms.Form):
    level = forms.ChoiceField(label=_("Proposed level"), choices=LevelChoice.choices)
    proposed_on = _date_field(_("Proposed on"))
    note = forms.CharField(label=_("Verification and proposal"), widget=TEXT, required=False)
    reason = forms.CharField(
        label=_("Reason (required above the cap from records)"), widget=TEXT, required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, OPINIONS + 1):
            self.fields[f"source_{i}"] = forms.CharField(
                label=_("Opinion %(n)s: from") % {"n": i}, max_length=200, required=False
            )
            self.fields[f"opinion_{i}"] = forms.CharField(
                label=_("Opinion %(n)s: what it says") % {"n": i}, max_length=2000, required=False
            )

    def clean(self):
        data = super().clean()
        for i in range(1, OPINIONS + 1):
            source, text = data.get(f"source_{i}", ""), data.get(f"opinion_{i}", "")
            if bool(source.strip()) != bool(text.strip()):
                raise forms.ValidationError(
                    _("Opinion %(n)s needs both who gave it and what it says.") % {"n": i}
                )
        return data

    def opinions(self) -> list[tuple[str, str]]:
        d = self.cleaned_data
        return [
            (d[f"source_{i}"], d[f"opinion_{i}"])
            for i in range(1, OPINIONS + 1)
            if d.get(f"source_{i}", "").strip()
        ]


class DecisionForm(forms.Form):
    level = forms.ChoiceField(label=_("Decided level"), choices=LevelChoice.choices)
    decided_on = _date_field(_("Decided on"))
    decision_symbol = forms.CharField(
        label=_("Decision number and symbol"), max_length=60, required=False
    )
    reason = forms.CharField(
        label=_("Reason (required when the decision goes against a rule)"),
        widget=TEXT,
        required=False,
    )


class SessionForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=_("Collective holding the session"))
    held_on = _date_field(pgettext_lazy("rating", "Held on"))
    chaired_by = forms.CharField(label=_("Chaired by"), max_length=200, required=False)
    present = forms.IntegerField(label=_("Present"), min_value=0, required=False)
    expected = forms.IntegerField(label=_("Expected"), min_value=0, required=False)
    minutes = forms.CharField(label=_("Minutes"), widget=TEXT, required=False)

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class PointForm(forms.Form):
    evaluation = forms.ModelChoiceField(queryset=None, label=_("Subject"))
    kind = forms.ChoiceField(label=_("Kind"), choices=PointKind.choices)
    text = forms.CharField(label=_("Point raised"), widget=TEXT)
    raised_by = forms.CharField(label=_("Raised by"), max_length=200, required=False)
    catalogue_item = forms.ModelChoiceField(
        queryset=None, label=_("Manifestation or prohibition concerned"), required=False
    )

    def __init__(self, *args, subjects=None, items=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evaluation"].queryset = subjects
        self.fields["catalogue_item"].queryset = items
        self.fields["catalogue_item"].label_from_instance = lambda i: (
            f"{i.catalogue.code} · {i.code}. {i.label}"
        )


class CommitmentForm(forms.Form):
    signed_on = _date_field(_("Signed on"))
    summary = forms.CharField(label=_("Summary"), widget=TEXT, required=False)

    def __init__(self, *args, points=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["points"] = forms.ModelMultipleChoiceField(
            queryset=points, label=_("Points the commitment answers"),
            widget=forms.CheckboxSelectMultiple,
        )  # fmt: skip
        for i in range(1, ITEMS + 1):
            self.fields[f"item_{i}"] = forms.CharField(
                label=_("Item %(n)s: what will be corrected") % {"n": i},
                max_length=1000,
                required=i == 1,
            )
            self.fields[f"due_{i}"] = _date_field(
                _("Item %(n)s: deadline") % {"n": i}, required=i == 1
            )

    def clean(self):
        data = super().clean()
        for i in range(1, ITEMS + 1):
            if bool((data.get(f"item_{i}") or "").strip()) != bool(data.get(f"due_{i}")):
                raise forms.ValidationError(
                    _("Item %(n)s needs both a text and a deadline.") % {"n": i}
                )
        return data

    def items(self) -> list[tuple[str, dt.date]]:
        d = self.cleaned_data
        return [
            (d[f"item_{i}"], d[f"due_{i}"])
            for i in range(1, ITEMS + 1)
            if (d.get(f"item_{i}") or "").strip()
        ]


class OutstandingForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=_("Organisation"))
    share_pct = forms.DecimalField(
        label=_("Share of those rated good (%)"), min_value=Decimal(0), max_value=Decimal(100)
    )
    decision_symbol = forms.CharField(label=_("Decision number and symbol"), max_length=60)
    decided_on = _date_field(_("Decided on"))
    reason = forms.CharField(label=_("Outstanding achievements"), widget=TEXT)

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class QuotaSettingForm(forms.Form):
    rule_set = forms.ChoiceField(
        label=_("Rule set"), choices=[(r.code, r.title) for r in rules.RULE_SETS]
    )
    share_pct = forms.DecimalField(
        label=_("Share of those rated good (%)"), min_value=Decimal(0), max_value=Decimal(100)
    )
    source = forms.CharField(label=_("Source"), max_length=300)
    unconfirmed = forms.BooleanField(label=_("Unconfirmed"), required=False, initial=True)
    note = forms.CharField(label=_("Note"), widget=TEXT, required=False)


class FigureForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=_("Party organisation"))
    year = forms.IntegerField(label=_("Year"), min_value=2018, max_value=2100)

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class BatchProposeForm(forms.Form):
    proposed_on = _date_field(_("Proposed on"))
    source = forms.CharField(label=_("Opinion from"), max_length=200, required=False)
    opinion = forms.CharField(label=_("What it says"), max_length=2000, required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("source", "").strip()) != bool(data.get("opinion", "").strip()):
            raise forms.ValidationError(_("An opinion needs both who gave it and what it says."))
        return data


class BatchDecideForm(forms.Form):
    decided_on = _date_field(_("Decided on"))
    decision_symbol = forms.CharField(
        label=_("Decision number and symbol"), max_length=60, required=False
    )
