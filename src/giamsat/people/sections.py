"""Extra sections of the person page, contributed by other apps.

The person page shows memberships and posts itself; history kept by other apps (study
attendance, discipline, evaluation, ...) appears as sections registered here, e.g. in the
other app's ``AppConfig.ready()``::

    from giamsat.people.sections import PersonSection, register

    register(PersonSection(
        key="study",
        title=_("Study history"),
        template="study/_person_section.html",
        context=lambda request, person: {"sessions": ...} or None,  # None hides the section
        capability=Cap.VIEW_INDICATORS,
        order=20,
    ))

The template is rendered with the page context plus ``section`` (the data returned by
``context``); ``people/_section_list.html`` is a ready-made one for a simple list
(``{"rows": [{"text": ..., "url": ..., "note": ...}], "empty": ...}``). ``capability`` is checked over the person's units with the same scoping as the
page (``Person.objects.visible_to(user, capability)``); out of scope, the section is not shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise

SectionContext = Callable[[HttpRequest, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class PersonSection:
    key: str
    title: str | Promise
    template: str
    context: SectionContext
    capability: str | None = None
    order: int = 100


@dataclass(frozen=True)
class RenderedSection:
    key: str
    title: str | Promise
    template: str
    data: dict[str, Any]


_SECTIONS: dict[str, PersonSection] = {}


def register(section: PersonSection) -> PersonSection:
    """Add (or replace, by key) a section of the person page."""
    _SECTIONS[section.key] = section
    return section


def unregister(key: str) -> None:
    _SECTIONS.pop(key, None)


def registered() -> list[PersonSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def sections_for(request: HttpRequest, person) -> list[RenderedSection]:
    """The sections ``request.user`` may see for ``person``, in order, with their data."""
    from giamsat.accounts.scoping import has_capability
    from giamsat.people.models import Person

    shown: list[RenderedSection] = []
    for section in registered():
        if section.capability is not None:
            if not has_capability(request.user, section.capability):
                continue
            visible = Person.objects.visible_to(request.user, section.capability)
            if not visible.filter(pk=person.pk).exists():
                continue
        data = section.context(request, person)
        if data is None:
            continue
        shown.append(RenderedSection(section.key, section.title, section.template, data))
    return shown
