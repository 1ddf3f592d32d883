"""The main menu: entries appear when their page exists and the user holds the capability."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import has_capability


@dataclass(frozen=True)
class MenuEntry:
    label: str | Promise
    url_name: str
    capability: Cap | tuple[Cap, ...]  # any of them shows the entry
    section: str  # first path segment, to mark the active entry

    @property
    def capabilities(self) -> tuple[Cap, ...]:
        return self.capability if isinstance(self.capability, tuple) else (self.capability,)


MENU: tuple[MenuEntry, ...] = (
    MenuEntry(_("Organisations"), "units:tree", Cap.VIEW_UNITS, "units"),
    MenuEntry(_("People"), "people:list", Cap.VIEW_PEOPLE, "people"),
    MenuEntry(_("Directives"), "directives:list", Cap.VIEW_DIRECTIVES, "directives"),
    MenuEntry(_("Implementation"), "implementation:home", Cap.VIEW_INDICATORS, "implementation"),
    MenuEntry(_("Study"), "study:list", Cap.VIEW_INDICATORS, "study"),
    MenuEntry(_("Inspection & supervision"), "oversight:home", Cap.VIEW_OVERSIGHT, "oversight"),
    MenuEntry(_("Discipline"), "discipline:list", Cap.VIEW_DISCIPLINE, "discipline"),
    MenuEntry(_("Petitions"), "petitions:list", Cap.VIEW_PETITIONS, "petitions"),
    MenuEntry(
        _("Evaluation"),
        "evaluation:home",
        (Cap.MANAGE_EVALUATION, Cap.DECIDE_EVALUATION),
        "evaluation",
    ),
    MenuEntry(_("Figures"), "indicators:home", Cap.VIEW_INDICATORS, "indicators"),
    MenuEntry(_("Reports"), "reports:list", Cap.VIEW_REPORTS, "reports"),
    MenuEntry(_("Delegations"), "delegations:list", Cap.VIEW_REPORTS, "delegations"),
    MenuEntry(_("Import"), "imports:home", Cap.IMPORT_DATA, "imports"),
    MenuEntry(_("Audit"), "audit:home", Cap.VIEW_AUDIT, "audit"),
)


def menu_for(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    section = request.path.strip("/").split("/", 1)[0]
    items = []
    for entry in MENU:
        if not any(has_capability(user, cap) for cap in entry.capabilities):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": entry.label, "url": url, "active": section == entry.section})
    return items
