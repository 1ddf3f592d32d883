"""A stand-in for the records several people edit (cases, petitions, reports), whose table the
tests create and drop themselves (the real models arrive with their apps)."""

from __future__ import annotations

from django import forms
from django.db import connection, models

from giamsat.core.forms import VersionedFormMixin
from giamsat.core.models import VersionedModel


class Dossier(VersionedModel):
    title = models.CharField("title", max_length=100)
    notes = models.TextField("notes", blank=True)
    status = models.CharField(
        "status", max_length=10, choices=[("open", "open"), ("closed", "closed")], default="open"
    )
    counter = models.IntegerField(default=0)

    class Meta:
        app_label = "security_tests"

    def __str__(self) -> str:
        return self.title


class DossierForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Dossier
        fields = ["title", "notes", "status"]


def create_table() -> None:
    with connection.schema_editor() as editor:
        editor.create_model(Dossier)


def drop_table() -> None:
    with connection.schema_editor() as editor:
        editor.delete_model(Dossier)
