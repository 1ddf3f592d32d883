"""Forms of reports, good practices and recommendations (clear Vietnamese errors, by field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import scope_q
from giamsat.directives.scoping import directives_in_scope
from giamsat.reports.models import (
    AddresseeLevel,
    RecommendationStatus,
    ReportSource,
    ReportTemplate,
)
from giamsat.units.models import Unit, UnitKind

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def bootstrap(form: forms.Form) -> None:
    """Bootstrap classes on every widget (the templates render fields one by one)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        classes = widget.attrs.get("class", "").split()
        if css not in classes:
            widget.attrs["class"] = " ".join([*classes, css])


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


def date_field(label, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, input_formats=DATE_FORMATS, widget=DateInput()
    )


def units_for(user, capability: Cap | str):
    """Organisations (not organs, not cells) in ``user``'s scope for ``capability``."""
    return (
        Unit.objects.filter(scope_q(user, capability))
        .exclude(kind__in=[UnitKind.ORGAN, UnitKind.CELL])
        .order_vi()
    )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        if obj.valid_to:
            return _("%(name)s (until %(date)s)") % {
                "name": obj.name,
                "date": obj.valid_to.strftime("%d/%m/%Y"),
            }
        return obj.name


class ReportCreateForm(StyledForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    period_start = date_field(_("From"))
    period_end = date_field(_("To"))
    directives = forms.ModelMultipleChoiceField(
        label=_("Directives"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    template = forms.ModelChoiceField(
        label=_("Template"), queryset=ReportTemplate.objects.all(), required=True
    )
    delegation = forms.ModelChoiceField(
        label=_("For the working delegation"), queryset=None, required=False
    )
    source = forms.ChoiceField(
        label=_("Figures"), choices=ReportSource.choices, initial=ReportSource.GENERATED
    )
    require_children_first = forms.BooleanField(
        label=_("All sub-units report first"), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from giamsat.delegations.models import Delegation

        self.fields["unit"].queryset = units_for(user, Cap.MANAGE_REPORTS)
        self.fields["directives"].queryset = directives_in_scope(user).order_by("-issued_on")
        self.fields["delegation"].queryset = Delegation.objects.visible_to(user)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", _("The end of the period is before its start."))
        return data


class ReportHeaderForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    subject = forms.CharField(label=_("Subject line"), max_length=600)
    superior_body = forms.CharField(label=_("Superior body"), max_length=200, required=False)
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=200)
    issuer_code = forms.CharField(label=_("Issuer code"), max_length=20)
    place = forms.CharField(label=_("Place name (date line)"), max_length=80, required=False)
    document_date = date_field(_("Document date"), required=False)
    authority = forms.CharField(label=_("Authority"), max_length=80)
    signer_title = forms.CharField(label=_("Signer's post"), max_length=80)
    signer_name = forms.CharField(label=_("Signer"), max_length=120, required=False)
    recipients = forms.CharField(
        label=_("Recipients (one a line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    require_children_first = forms.BooleanField(
        label=_("All sub-units report first"), required=False
    )


class SectionsForm(StyledForm):
    """One heading and one text per section, plus an empty section to add one."""

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.count = len(sections) + 1
        for i in range(self.count):
            heading, text = sections[i] if i < len(sections) else ("", "")
            self.fields[f"heading_{i}"] = forms.CharField(
                label=_("Heading"), max_length=300, required=False, initial=heading
            )
            self.fields[f"text_{i}"] = forms.CharField(
                label=_("Text"),
                required=False,
                initial=text,
                widget=forms.Textarea(attrs={"rows": 6, "class": "gs-narrative"}),
            )
        bootstrap(self)

    def pairs(self):
        for i in range(self.count):
            yield self[f"heading_{i}"], self[f"text_{i}"]

    def sections(self) -> list[tuple[str, str]]:
        result = []
        for i in range(self.count):
            heading = self.cleaned_data.get(f"heading_{i}", "").strip()
            text = self.cleaned_data.get(f"text_{i}", "").strip()
            if heading or text:
                result.append((heading, text))
        return result


class TypedFiguresForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Source of the figures (document, date)"), max_length=300, required=False
    )

    def __init__(self, *args, codes=(), labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = labels or {}
        self.codes = list(codes)
        for i, code in enumerate(self.codes):
            self.fields[f"figure_{i}"] = forms.CharField(
                label=labels.get(code) or code, required=False, max_length=30
            )
        bootstrap(self)

    def figures(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"figure_{i}", "") for i, code in enumerate(self.codes)}


class ActionForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class SignForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    number = forms.IntegerField(label=_("Number"), min_value=1, required=False)
    document_date = date_field(_("Document date"), required=False)
    signer_name = forms.CharField(label=_("Signer"), max_length=120)


class GoodPracticeForm(StyledForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Name of the good practice"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.CharField(
        label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    period_start = date_field(_("From"))
    period_end = date_field(_("To"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user, Cap.MANAGE_REPORTS)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", _("The end of the period is before its start."))
        return data


class RecommendationForm(StyledForm):
    unit = UnitChoiceField(label=_("Recommending unit"), queryset=Unit.objects.none())
    addressee_level = forms.ChoiceField(label=_("Addressed to"), choices=AddresseeLevel.choices)
    addressee_body = forms.CharField(
        label=_("Addressee (as written)"),
        max_length=300,
        help_text=_("E.g. Tỉnh ủy Thanh Hóa; Ban Chấp hành Trung ương, Bộ Chính trị, Ban Bí thư"),
    )
    topic = forms.CharField(label=_("Topic"), max_length=200)
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 4}))
    made_on = date_field(_("Made on"))
    due_on = date_field(_("Answer due (empty: by the rule)"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user, Cap.MANAGE_REPORTS)


class AnswerForm(StyledForm):
    status = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (RecommendationStatus.ACCEPTED, RecommendationStatus.ACCEPTED.label),
            (RecommendationStatus.UNDER_STUDY, RecommendationStatus.UNDER_STUDY.label),
            (RecommendationStatus.ANSWERED, RecommendationStatus.ANSWERED.label),
        ],
    )
    response = forms.CharField(
        label=_("Text of the answer"), widget=forms.Textarea(attrs={"rows": 4})
    )
    responded_on = date_field(_("Answered on"))
