"""Form helpers shared by the apps.

``VersionedFormMixin`` puts optimistic locking (``core.models.VersionedModel``) into a form: the
form carries the version the user started from in a hidden field; a save that finds the record
moved on is refused with ``ConcurrentEditError`` and a standard Vietnamese message, the user's
input stays in the form, and the form shows which fields someone else changed (saved value next
to the user's). Usage in a view::

    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        if form.try_save() is not None:          # or services.update_case(..., expected_version=
            return redirect(case)                 #    form.expected_version) + add_conflict_error
    return render(request, "...", {"form": form})  # template: {% include "includes/version_conflict.html" %}

After a conflict the hidden version is moved to the saved one: submitting again (after reading
the differences) saves the user's values on top — knowingly, never by accident.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giamsat.core.models import ConcurrentEditError, VersionedModel

VERSION_FIELD = "version"


def conflict_message(exc: ConcurrentEditError) -> str:
    """The standard message for a refused save (the record changed or was deleted meanwhile)."""
    if exc.actual is None:
        return _(
            "This record was deleted by someone else while you were editing it. Your changes "
            "have not been saved; they are still in the form below so that you can copy them."
        )
    return _(
        "Someone else saved this record while you were editing it (you started from version "
        "%(expected)s, it is now at version %(actual)s). Your changes have NOT been saved and "
        "are still in the form below. Compare them with the saved values shown, then press "
        "Save again to keep yours."
    ) % {"expected": exc.expected, "actual": exc.actual}


@dataclass(frozen=True)
class FieldDifference:
    label: str
    saved: Any
    yours: Any


class VersionedFormMixin:
    """For a ``ModelForm`` of a ``VersionedModel`` (put it before ``forms.ModelForm``)."""

    conflict: ConcurrentEditError | None = None
    differences: list[FieldDifference]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        instance: VersionedModel = self.instance
        self.differences = []
        self.fields[VERSION_FIELD] = forms.IntegerField(
            widget=forms.HiddenInput,
            min_value=1,
            required=instance.pk is not None,
            initial=instance.version if instance.pk is not None else None,
            error_messages={
                "required": gettext_lazy(
                    "The form lost its version number: reload the page and enter the changes again."
                )
            },
        )

    @property
    def expected_version(self) -> int:
        return self.cleaned_data.get(VERSION_FIELD) or 1

    def add_conflict_error(self, exc: ConcurrentEditError) -> None:
        """Show the standard message and the differences; keep the user's input."""
        self.conflict = exc
        self.add_error(None, conflict_message(exc))
        model = type(self.instance)
        saved = model._base_manager.filter(pk=self.instance.pk).first()
        if saved is None:
            return
        self.differences = self._differences(saved)
        data = self.data.copy()
        data[self.add_prefix(VERSION_FIELD)] = str(saved.version)
        self.data = data

    def _differences(self, saved: models.Model) -> list[FieldDifference]:
        found = []
        for name, field in self.fields.items():
            if name == VERSION_FIELD or name not in self.cleaned_data:
                continue
            try:
                model_field = saved._meta.get_field(name)
            except Exception:  # noqa: S112 - a form-only field has no saved value
                continue
            saved_value = model_field.value_from_object(saved)
            yours = self.cleaned_data[name]
            if isinstance(yours, models.Model):
                yours = yours.pk
            if saved_value != yours:
                display = getattr(saved, f"get_{name}_display", None)
                found.append(
                    FieldDifference(
                        str(field.label or name), display() if display else saved_value, yours
                    )
                )
        return found

    def save(self, commit: bool = True):
        """Save through ``save_versioned``; raises ConcurrentEditError (see ``try_save``)."""
        obj = super().save(commit=False)
        if commit:
            obj.save_versioned(expected_version=self.expected_version)
            self.save_m2m()
        return obj

    def try_save(self):
        """Save, or add the conflict to the form and return None."""
        try:
            return self.save()
        except ConcurrentEditError as exc:
            self.add_conflict_error(exc)
            return None
