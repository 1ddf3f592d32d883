"""Forms of the public hotline and of the staff pages. Validation messages are specific and in
Vietnamese (gettext); files are checked by ``core.files.validate_upload``."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from giamsat.core.files import validate_upload
from giamsat.petitions.models import (
    Channel,
    Complexity,
    NotHandledReason,
    Outcome,
    PetitionClass,
    Topic,
)

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, input_formats=DATE_FORMATS, widget=DateInput(), **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, each checked for size and type."""

    def __init__(self, *args, max_files: int = 5, max_mb: int | None = None, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        self.max_files = max_files
        self.max_mb = max_mb
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        items = [f for f in items if f]
        if len(items) > self.max_files:
            raise ValidationError(
                _("Attach at most %(n)d files (you chose %(got)d).")
                % {"n": self.max_files, "got": len(items)}
            )
        cleaned = []
        errors = []
        for upload in items:
            upload = super().clean(upload, initial)
            try:
                validate_upload(upload, max_mb=self.max_mb)
            except ValidationError as exc:
                errors.append(
                    _("%(name)s: %(reason)s")
                    % {"name": upload.name, "reason": " ".join(exc.messages)}
                )
                continue
            cleaned.append(upload)
        if errors:
            raise ValidationError(errors)
        return cleaned


class StyledForm(forms.Form):
    """Bootstrap classes on every widget; phone-friendly input modes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()

    def style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(
                widget, (forms.CheckboxInput, forms.RadioSelect | forms.CheckboxSelectMultiple)
            ):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")


class IdentityFields(forms.Form):
    """The petitioner's identity: all optional, sealed on save."""

    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=120, required=False)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=300, required=False)
    phone = forms.CharField(
        label=gettext_lazy("Telephone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        max_length=200,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    id_number = forms.CharField(
        label=gettext_lazy("Identity card number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    representatives = forms.CharField(
        label=gettext_lazy("Representatives (group letters: one name per line)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @sensitive_variables()
    def identity(self):
        from giamsat.petitions.services import IdentityData

        data = self.cleaned_data
        return IdentityData(
            full_name=data.get("full_name", ""),
            address=data.get("address", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            id_number=data.get("id_number", ""),
            representatives=tuple(
                line.strip()
                for line in data.get("representatives", "").splitlines()
                if line.strip()
            ),
        )


PUBLIC_KINDS = [
    (PetitionClass.DENUNCIATION, gettext_lazy("Denunciation (a violation by a person or body)")),
    (PetitionClass.COMPLAINT, gettext_lazy("Complaint (a decision or act against your rights)")),
    (PetitionClass.PROPOSAL, gettext_lazy("Proposal or report (information, an opinion)")),
    (PetitionClass.UNCLASSIFIED, gettext_lazy("I am not sure")),
]


class HotlineForm(StyledForm, IdentityFields):
    unit = forms.ChoiceField(label=gettext_lazy("Send to"))
    declared_class = forms.ChoiceField(
        label=gettext_lazy("What kind of matter is it?"),
        choices=PUBLIC_KINDS,
        widget=forms.RadioSelect,
        initial=PetitionClass.DENUNCIATION,
    )
    content = forms.CharField(
        label=gettext_lazy("Content"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "What happened, when and where, who was involved, what you ask for. Do not write "
            "your own name or address here: use the identity section, which is encrypted."
        ),
    )
    subject_text = forms.CharField(
        label=gettext_lazy("Person or organisation concerned"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("Name, post and workplace, as far as you know them."),
    )
    place = forms.CharField(
        label=gettext_lazy("Place (ward, commune, address of the matter)"),
        max_length=255,
        required=False,
    )
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), choices=Topic.choices, required=False)
    signer_count = forms.IntegerField(
        label=gettext_lazy("Number of people sending this letter"),
        min_value=1,
        max_value=100000,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    files = MultipleFileField(label=gettext_lazy("Attachments"))
    confirm = forms.BooleanField(
        label=gettext_lazy("I confirm that what I write is true to the best of my knowledge.")
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        self.fields["unit"].choices = [("", _("— choose —"))] + [(str(u.pk), u.name) for u in units]
        if len(self.units) == 1:
            self.fields["unit"].widget = forms.HiddenInput()
            self.fields["unit"].initial = next(iter(self.units))
        self.fields["content"].max_length = settings.GIAMSAT_HOTLINE_MAX_TEXT
        self.fields["content"].widget.attrs["maxlength"] = settings.GIAMSAT_HOTLINE_MAX_TEXT
        self.fields["files"].max_files = settings.GIAMSAT_HOTLINE_MAX_FILES
        self.fields["files"].max_mb = settings.GIAMSAT_HOTLINE_MAX_FILE_MB
        self.fields["files"].help_text = _(
            "Up to %(n)d files of at most %(mb)d MB each: PDF, Word, Excel, images, text."
        ) % {"n": settings.GIAMSAT_HOTLINE_MAX_FILES, "mb": settings.GIAMSAT_HOTLINE_MAX_FILE_MB}

    def clean_content(self):
        text = self.cleaned_data["content"].strip()
        if len(text) < 10:
            raise ValidationError(
                _("Describe the matter in a few sentences (at least 10 characters).")
            )
        return text

    def clean_unit(self):
        value = self.cleaned_data["unit"]
        if value not in self.units:
            raise ValidationError(_("Choose where to send the letter."))
        return self.units[value]


class LookupForm(StyledForm):
    code = forms.CharField(
        label=gettext_lazy("Receipt code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "1234 5678 …"}
        ),
    )


class FollowUpForm(StyledForm):
    code = forms.CharField(widget=forms.HiddenInput, max_length=40)
    text = forms.CharField(
        label=gettext_lazy("Additional information"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    files = MultipleFileField(label=gettext_lazy("Attachments"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].max_length = settings.GIAMSAT_HOTLINE_MAX_TEXT
        self.fields["files"].max_files = settings.GIAMSAT_HOTLINE_MAX_FILES
        self.fields["files"].max_mb = settings.GIAMSAT_HOTLINE_MAX_FILE_MB


# --- staff ------------------------------------------------------------------------------------


class VersionForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


STAFF_CHANNELS = [(c.value, c.label) for c in Channel if c != Channel.HOTLINE_WEB]


class IntakeForm(StyledForm, IdentityFields):
    unit = forms.ModelChoiceField(label=gettext_lazy("Received by"), queryset=None)
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), choices=STAFF_CHANNELS)
    received_on = date_field(gettext_lazy("Received on"))
    declared_class = forms.ChoiceField(
        label=gettext_lazy("Kind stated by the sender"),
        choices=PetitionClass.choices,
        initial=PetitionClass.UNCLASSIFIED,
    )
    summary = forms.CharField(label=gettext_lazy("Summary"), max_length=300, required=False)
    content = forms.CharField(
        label=gettext_lazy("Content"), widget=forms.Textarea(attrs={"rows": 6})
    )
    subject_text = forms.CharField(
        label=gettext_lazy("Person or organisation concerned"), max_length=500, required=False
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=255, required=False)
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), choices=Topic.choices, required=False)
    signer_count = forms.IntegerField(
        label=gettext_lazy("Number of signers"), min_value=1, max_value=100000, initial=1
    )
    representative_count = forms.IntegerField(
        label=gettext_lazy("Number of representatives"), min_value=0, max_value=1000, initial=0
    )
    sender_body = forms.CharField(
        label=gettext_lazy("Forwarded by (transferred letters)"), max_length=255, required=False
    )
    sender_reference = forms.CharField(
        label=gettext_lazy("Forwarding slip (number, date)"), max_length=100, required=False
    )
    files = MultipleFileField(label=gettext_lazy("Scanned letter and attachments"), max_files=20)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        from giamsat.core.dates import today

        if day > today():
            raise ValidationError(_("The date received cannot be in the future."))
        return day

    def clean(self):
        data = super().clean()
        if data.get("channel") == Channel.TRANSFERRED and not data.get("sender_body", "").strip():
            self.add_error("sender_body", _("Say which body transferred the letter."))
        return data


class ClassifyForm(VersionForm):
    petition_class = forms.ChoiceField(
        label=gettext_lazy("Class (by content, not by the title)"),
        choices=[c for c in PetitionClass.choices if c[0] != PetitionClass.UNCLASSIFIED],
    )
    matter = forms.ChoiceField(
        label=gettext_lazy("Party or state matter"),
        choices=[
            ("party", gettext_lazy("party matter")),
            ("state", gettext_lazy("state matter")),
            ("undetermined", gettext_lazy("not yet determined")),
        ],
    )
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), choices=Topic.choices, required=False)
    summary = forms.CharField(label=gettext_lazy("Summary"), max_length=300, required=False)
    admissible = forms.TypedChoiceField(
        label=gettext_lazy("Handled?"),
        choices=[
            ("1", gettext_lazy("Handled (meets the conditions)")),
            ("0", gettext_lazy("Not handled (does not meet the conditions)")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reasons = forms.MultipleChoiceField(
        label=gettext_lazy("Reasons it is not handled"),
        choices=NotHandledReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=gettext_lazy("Note on the reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    subject_people = forms.ModelMultipleChoiceField(queryset=None, required=False)
    subject_units = forms.ModelMultipleChoiceField(queryset=None, required=False)
    complexity = forms.ChoiceField(
        label=gettext_lazy("Complexity"), choices=Complexity.choices, required=False
    )
    remote_area = forms.BooleanField(label=gettext_lazy("Remote area"), required=False)
    signer_count = forms.IntegerField(
        label=gettext_lazy("Number of signers"), min_value=1, max_value=100000
    )
    representative_count = forms.IntegerField(
        label=gettext_lazy("Number of representatives"), min_value=0, max_value=1000
    )

    def __init__(self, *args, people=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_people"].queryset = people
        self.fields["subject_units"].queryset = units

    def clean(self):
        data = super().clean()
        admissible = data.get("admissible")
        reasons = data.get("reasons") or []
        if admissible is False and not reasons:
            self.add_error("reasons", _("Give at least one reason why the letter is not handled."))
        if admissible is True and reasons:
            self.add_error(
                "reasons", _("A letter that is handled has no reason for not being handled.")
            )
        if "other" in reasons and not data.get("note", "").strip():
            self.add_error("note", _("Explain the other reason in the note."))
        return data


class SplitForm(VersionForm):
    def __init__(self, *args, rows: int = 4, **kwargs):
        super().__init__(*args, **kwargs)
        classes = [c for c in PetitionClass.choices if c[0] not in ("unclassified", "mixed")]
        for i in range(rows):
            self.fields[f"class_{i}"] = forms.ChoiceField(
                label=_("Class of content %(n)d") % {"n": i + 1}, choices=classes, required=False
            )
            self.fields[f"text_{i}"] = forms.CharField(
                label=_("Content %(n)d") % {"n": i + 1},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.rows = rows
        self.style()

    def contents(self) -> list[tuple[str, str]]:
        return [
            (
                self.cleaned_data.get(f"class_{i}") or "proposal",
                self.cleaned_data.get(f"text_{i}", ""),
            )
            for i in range(self.rows)
        ]


class TransferForm(VersionForm):
    to_unit = forms.ModelChoiceField(
        label=gettext_lazy("To a party organisation in giamsat"), queryset=None, required=False
    )
    to_body = forms.CharField(
        label=gettext_lazy("Or to another body (e.g. a state inspectorate)"),
        max_length=255,
        required=False,
    )
    slip_number = forms.CharField(label=gettext_lazy("Slip number"), max_length=60, required=False)
    slip_date = date_field(gettext_lazy("Slip date"))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = units

    def clean(self):
        data = super().clean()
        if bool(data.get("to_unit")) == bool(data.get("to_body", "").strip()):
            raise ValidationError(_("Choose a party organisation or name another body, not both."))
        return data


class ReceiptForm(VersionForm):
    received_on = date_field(gettext_lazy("Received on"))


class AcceptForm(VersionForm):
    accepted_on = date_field(gettext_lazy("Accepted for handling on"))
    handler = forms.ModelChoiceField(label=gettext_lazy("Handler"), queryset=None, required=False)

    def __init__(self, *args, handlers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers


class AssignForm(VersionForm):
    handler = forms.ModelChoiceField(label=gettext_lazy("Handler"), queryset=None, required=False)

    def __init__(self, *args, handlers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers


class ExtendForm(VersionForm):
    days = forms.IntegerField(label=gettext_lazy("Days"), min_value=1, max_value=365)
    decided_on = date_field(gettext_lazy("Decided on"))
    decision_ref = forms.CharField(label=gettext_lazy("Decision"), max_length=100, required=False)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)


class SuspendForm(VersionForm):
    start = date_field(gettext_lazy("From"))
    end = date_field(gettext_lazy("To"))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("A suspension ends after it starts."))
        return data


class ConcludeForm(VersionForm):
    concluded_on = date_field(gettext_lazy("Concluded on"))
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"), choices=[c for c in Outcome.choices if c[0]]
    )
    conclusion = forms.CharField(
        label=gettext_lazy("Conclusion"), widget=forms.Textarea(attrs={"rows": 5})
    )


class AnswerForm(VersionForm):
    answered_on = date_field(gettext_lazy("Answered on"))
    text = forms.CharField(
        label=gettext_lazy("Answer the petitioner reads with the receipt code"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Do not name the petitioner or anyone not concerned."),
    )


class WithdrawForm(VersionForm):
    on = date_field(gettext_lazy("Withdrawn on"))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)


class LinkForm(StyledForm):
    kind = forms.ChoiceField(label=gettext_lazy("Link"))
    target_type = forms.ChoiceField(label=gettext_lazy("Kind of record"))
    target_id = forms.IntegerField(label=gettext_lazy("Record number"), min_value=1)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args, kinds=(), types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        self.fields["target_type"].choices = types


class GrantRequestForm(StyledForm):
    reason = forms.CharField(
        label=gettext_lazy("Why do you need the petitioner's identity?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class GrantDecisionForm(StyledForm):
    approve = forms.TypedChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("1", gettext_lazy("Approve")), ("0", gettext_lazy("Refuse"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    days = forms.IntegerField(label=gettext_lazy("Access for (days)"), min_value=1, initial=7)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)


class ReasonForm(StyledForm):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)


class HotSpotForm(StyledForm):
    is_hot_spot = forms.TypedChoiceField(
        label=gettext_lazy("Hot spot?"),
        choices=[("1", gettext_lazy("Mark as a hot spot")), ("0", gettext_lazy("Not a hot spot"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)


class ListFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    status = forms.ChoiceField(required=False)
    petition_class = forms.ChoiceField(required=False)
    channel = forms.ChoiceField(required=False)
    deadline = forms.ChoiceField(required=False)
    group = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from giamsat.core.deadlines import STATE_LABELS
        from giamsat.petitions.models import Status

        blank = [("", "—")]
        self.fields["status"].choices = [*blank, ("open", _("open")), *list(Status.choices)]
        self.fields["petition_class"].choices = blank + list(PetitionClass.choices)
        self.fields["channel"].choices = blank + list(Channel.choices)
        self.fields["deadline"].choices = blank + [(k.value, v) for k, v in STATE_LABELS.items()]
