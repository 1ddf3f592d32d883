"""Sections other apps add to the person page (a small registry).

An app registers a ``PersonSection`` in its ``AppConfig.ready``; the person page renders, in
``order``, every section whose ``context(request, person)`` returns a dict (None hides it, e.g.
when the user may not see that part of the person's record). The section's template receives
that dict as ``section``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class PersonSection:
    key: str
    template: str
    context: Callable[[HttpRequest, Any], dict | None]
    order: int = 100


SECTIONS: dict[str, PersonSection] = {}


def register(section: PersonSection) -> PersonSection:
    SECTIONS[section.key] = section
    return section


def sections_for(request: HttpRequest, person) -> list[tuple[PersonSection, dict]]:
    shown = []
    for section in sorted(SECTIONS.values(), key=lambda s: (s.order, s.key)):
        data = section.context(request, person)
        if data is not None:
            shown.append((section, data))
    return shown
