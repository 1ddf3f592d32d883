"""Forms of working delegations (fields validated one by one, errors in Vietnamese)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from giamsat.accounts.models import User
from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import scope_q
from giamsat.delegations.models import MemberRole, RequestKind
from giamsat.directives.scoping import directives_in_scope
from giamsat.reports.forms import StyledForm, UnitChoiceField, date_field
from giamsat.reports.lookup import UnitLookupError, resolve_unit
from giamsat.units.models import Unit, UnitKind


def deciding_bodies(user):
    """Bodies (organs included, e.g. Ban Bí thư) at which the user manages delegations."""
    return (
        Unit.objects.filter(scope_q(user, Cap.MANAGE_DELEGATIONS))
        .exclude(kind=UnitKind.CELL)
        .order_vi()
    )


class DelegationForm(StyledForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=300,
        help_text=_("E.g. Đoàn kiểm tra số 5 của Ban Bí thư Trung ương Đảng"),
    )
    number = forms.CharField(label=_("Delegation number"), max_length=20, required=False)
    deciding_body = UnitChoiceField(label=_("Deciding body"), queryset=Unit.objects.none())
    decision_symbol = forms.CharField(
        label=_("Decision (number and symbol)"),
        max_length=40,
        help_text=_("E.g. 75-QĐ/TW; spaces, “TƯ” and “QD” are corrected."),
    )
    decision_date = date_field(_("Decision date"))
    purpose = forms.CharField(
        label=_("Purpose and content"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    review_start = date_field(_("Period under review from"))
    review_end = date_field(_("Period under review to"))
    work_start = date_field(_("Works from"))
    work_end = date_field(_("Works until"))
    directives = forms.ModelMultipleChoiceField(
        label=_("Directives in scope"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    targets = forms.CharField(
        label=_("Target units (one a line: code or name)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, user=None, with_targets: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["deciding_body"].queryset = deciding_bodies(user)
        self.fields["directives"].queryset = directives_in_scope(user).order_by("-issued_on")
        if not with_targets:
            del self.fields["targets"]

    def clean_targets(self) -> list[Unit]:
        visible = Unit.objects.filter(scope_q(self.user, Cap.VIEW_UNITS)).exclude(
            kind=UnitKind.ORGAN
        )
        units: list[Unit] = []
        errors = []
        for number, line in enumerate(self.cleaned_data.get("targets", "").splitlines(), 1):
            if not line.strip():
                continue
            try:
                unit = resolve_unit(line, visible)
            except UnitLookupError as exc:
                names = "; ".join(u.name for u in exc.candidates[:5])
                errors.append(
                    _("line %(n)d “%(text)s”: %(reason)s")
                    % {"n": number, "text": line.strip(), "reason": names or str(exc)}
                )
                continue
            if unit not in units:
                units.append(unit)
        if errors:
            raise forms.ValidationError(errors)
        return units

    def clean(self):
        data = super().clean()
        for a, b in (("review_start", "review_end"), ("work_start", "work_end")):
            if data.get(a) and data.get(b) and data[a] > data[b]:
                self.add_error(b, _("The end is before the start."))
        return data


class MemberForm(StyledForm):
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    post_title = forms.CharField(label=_("Post"), max_length=300, required=False)
    agency = forms.CharField(label=_("Agency"), max_length=200, required=False)
    username = forms.CharField(
        label=_("giamsat user (optional)"),
        max_length=150,
        required=False,
        help_text=_("Linked users see the target units during the working period."),
    )

    def clean_username(self):
        username = self.cleaned_data.get("username", "").strip()
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user is called “%(u)s”.") % {"u": username})
        return user


class TargetForm(StyledForm):
    unit = forms.CharField(label=_("Unit (code or name)"), max_length=255)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_unit(self) -> Unit:
        visible = Unit.objects.filter(scope_q(self.user, Cap.VIEW_UNITS)).exclude(
            kind=UnitKind.ORGAN
        )
        try:
            return resolve_unit(self.cleaned_data["unit"], visible)
        except UnitLookupError as exc:
            names = "; ".join(u.name for u in exc.candidates[:5])
            raise forms.ValidationError(names or str(exc)) from None


def _targets(delegation):
    return Unit.objects.filter(pk__in=delegation.targets.values("unit_id")).order_vi()


class SessionForm(StyledForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    date = date_field(_("Date"))
    place = forms.CharField(label=_("Venue"), max_length=200, required=False)
    content = forms.CharField(
        label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Delegation side"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    hosts = forms.CharField(
        label=_("Host side (one a line: name — post)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, delegation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _targets(delegation)
        self.fields["members"].queryset = delegation.members.all()
        self.fields["members"].widget.attrs.pop("class", None)

    def clean_hosts(self) -> list[tuple[str, str]]:
        rows = []
        for line in self.cleaned_data.get("hosts", "").splitlines():
            if not line.strip():
                continue
            for sep in ("—", " - ", ","):
                if sep in line:
                    name, post = line.split(sep, 1)
                    break
            else:
                name, post = line, ""
            rows.append((name.strip(), post.strip()))
        return rows


class RequestForm(StyledForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=RequestKind.choices)
    text = forms.CharField(label=_("Request"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = date_field(_("Deadline"))
    session = forms.ModelChoiceField(label=_("Working session"), queryset=None, required=False)

    def __init__(self, *args, delegation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _targets(delegation)
        self.fields["session"].queryset = delegation.sessions.all()


class AnswerForm(StyledForm):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))
    answered_on = date_field(_("Answered on"))


class ConclusionForm(StyledForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    concluded_on = date_field(_("Concluded on"))
    strengths = forms.CharField(
        label=_("Strengths"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    limitations = forms.CharField(
        label=_("Limitations"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    requests = forms.CharField(
        label=_("Requests"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, delegation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _targets(delegation)


class SummaryForm(StyledForm):
    summary = forms.CharField(
        label=_("Summary to the deciding body"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    submitted_on = date_field(_("Submitted on (empty: still a draft)"), required=False)


class NewsForm(StyledForm):
    title = forms.CharField(label=_("Headline"), max_length=300)
    lead = forms.CharField(label=_("Lead"), widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(label=_("Body"), widget=forms.Textarea(attrs={"rows": 14}))
    approve = forms.BooleanField(label=_("Approve for publication"), required=False)
