"""Forms of the discipline pages; the services and ``discipline.rules`` validate the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from giamsat.discipline.models import (
    AppealLevel,
    AppealOutcome,
    BallotPurpose,
    DeferralReasonChoice,
    FormChoice,
    NoDisciplineReason,
    ScopeChoice,
)
from giamsat.discipline.rules import Form
from giamsat.oversight.forms import (
    CatalogueItemChoiceField,
    PersonIdField,
    StyledForm,
    UnitChoiceField,
    VietDateField,
)
from giamsat.oversight.models import CatalogueItem
from giamsat.people.models import Person, Post
from giamsat.units.models import Unit


class PostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Post) -> str:
        return f"{obj.title} — {obj.unit}"


class CaseNewForm(StyledForm):
    person = PersonIdField(
        label=_("Member: party card number"), queryset=Person.objects.none(), required=False
    )
    organisation = UnitChoiceField(
        label=_("Or a party organisation"), queryset=Unit.objects.none(), required=False
    )
    scope = forms.ChoiceField(label=_("Case"), choices=ScopeChoice.choices)
    post = PostChoiceField(
        label=_("Post held (for removal from post)"), queryset=Post.objects.none(), required=False
    )
    opened_on = VietDateField(label=_("Opened on"))
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))
    origin_note = forms.CharField(label=_("Origin"), required=False)
    exempt_from_limitation = forms.BooleanField(
        label=_("Exempt from limitation (internal politics, national security, illegal diplomas)"),
        required=False,
    )
    exemption_reason = forms.CharField(label=_("Reason for the exemption"), required=False)

    def __init__(self, *args, people, units, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["organisation"].queryset = units
        self.fields["post"].queryset = posts

    def clean(self):
        data = super().clean()
        if bool(data.get("person")) == bool(data.get("organisation")):
            raise forms.ValidationError(_("Choose either one member or one party organisation."))
        return data


class ViolationForm(StyledForm):
    prefix = "violation"
    group = CatalogueItemChoiceField(
        label=_("Violation group"), queryset=CatalogueItem.objects.none()
    )
    provisions = forms.ModelMultipleChoiceField(
        label=_("Manifestations and prohibitions concerned"),
        queryset=CatalogueItem.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 2})
    )
    started_on = VietDateField(label=_("Started on"))
    ended_on = VietDateField(label=_("Ended on"), required=False)
    is_repeat = forms.BooleanField(label=_("Repeats an earlier violation"), required=False)

    def __init__(self, *args, groups, provisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["provisions"].queryset = provisions


class DeferralForm(StyledForm):
    prefix = "deferral"
    reason = forms.ChoiceField(label=_("Reason"), choices=DeferralReasonChoice.choices)
    valid_from = VietDateField(label=_("From"))
    valid_to = VietDateField(label=_("Until"), required=False)
    child_birth = VietDateField(
        label=_("Child's birth date"),
        required=False,
        help_text=_(
            "For a child under 12 months: the deferral ends the day before the first birthday."
        ),
    )
    note = forms.CharField(label=_("Note"), required=False)


class EndDeferralForm(StyledForm):
    prefix = "resume"
    on = VietDateField(label=_("Resume on"))


class BallotForm(StyledForm):
    prefix = "ballot"
    version = forms.IntegerField(widget=forms.HiddenInput)
    body = UnitChoiceField(label=_("Voting body"), queryset=Unit.objects.none())
    held_on = VietDateField(label=_("Held on"))
    purpose = forms.ChoiceField(label=_("Purpose"), choices=BallotPurpose.choices)
    total_members = forms.IntegerField(
        label=_("All members of the body"),
        min_value=1,
        help_text=_(
            "All full members of the cell, or all members of the body — not those present."
        ),
    )
    present = forms.IntegerField(label=_("Present"), min_value=0)
    votes_none = forms.IntegerField(label=_("Votes for no discipline"), min_value=0, initial=0)

    def __init__(self, *args, units, forms_allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = units
        self.forms_allowed = list(forms_allowed)
        for form in reversed(self.forms_allowed):
            self.fields[f"votes_{form.value}"] = forms.IntegerField(
                label=_("Votes for %(form)s") % {"form": FormChoice(form.value).label},
                min_value=0,
                initial=0,
                widget=forms.NumberInput(attrs={"class": "form-control"}),
            )

    def votes(self) -> dict[Form, int]:
        return {f: self.cleaned_data.get(f"votes_{f.value}") or 0 for f in self.forms_allowed}


class DecisionForm(StyledForm):
    prefix = "decision"
    version = forms.IntegerField(widget=forms.HiddenInput)
    form = forms.ChoiceField(label=_("Form"), choices=FormChoice.choices)
    deciding_unit = UnitChoiceField(label=_("Deciding body"), queryset=Unit.objects.none())
    decided_on = VietDateField(label=_("Decided on"))
    symbol = forms.CharField(label=_("Number and symbol"), help_text=_("e.g. Số 12-QĐ/UBKTTU"))
    announced_on = VietDateField(label=_("Announced on"), required=False)
    received_on = VietDateField(label=_("Received by the subject on"), required=False)

    def __init__(self, *args, units, forms_allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deciding_unit"].queryset = units
        self.fields["form"].choices = [(f.value, FormChoice(f.value).label) for f in forms_allowed]


class AppealForm(StyledForm):
    prefix = "appeal"
    filed_on = VietDateField(label=_("Filed on"))
    received_on = VietDateField(label=_("Received by the resolving body on"))
    resolving_unit = UnitChoiceField(label=_("Resolving body"), queryset=Unit.objects.none())
    level = forms.ChoiceField(label=_("Level"), choices=AppealLevel.choices)
    central = forms.BooleanField(label=_("Resolved at the central level"), required=False)
    grounds = forms.CharField(label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolving_unit"].queryset = units


class ResolveForm(StyledForm):
    prefix = "resolve"
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (o.value, o.label)
            for o in AppealOutcome
            if o not in (AppealOutcome.PENDING, AppealOutcome.INADMISSIBLE)
        ],
    )
    resolved_on = VietDateField(label=_("Answered on"))
    new_form = forms.ChoiceField(
        label=_("New form"), choices=[("", "—"), *FormChoice.choices], required=False
    )
    new_symbol = forms.CharField(label=_("Number and symbol of the new decision"), required=False)
    note = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}))


class RehabilitationForm(StyledForm):
    prefix = "rehab"
    by_unit = UnitChoiceField(label=_("By"), queryset=Unit.objects.none())
    decided_on = VietDateField(label=_("Decided on"))
    apology_on = VietDateField(label=_("Apology made on"), required=False)
    apology_form = forms.CharField(label=_("How the apology was made"), required=False)
    rights_restored = forms.CharField(
        label=_("Rights and interests restored"), widget=forms.Textarea(attrs={"rows": 2})
    )
    document_symbol = forms.CharField(label=_("Document number and symbol"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["by_unit"].queryset = units


class CloseForm(StyledForm):
    prefix = "close"
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[(NoDisciplineReason.WITHDRAWN.value, NoDisciplineReason.WITHDRAWN.label)],
    )
