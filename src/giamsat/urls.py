"""Root URL configuration: each app mounts under its own prefix and namespace."""

from __future__ import annotations

from importlib import import_module

from django.contrib import admin
from django.urls import include, path
from django.utils.module_loading import module_has_submodule

from giamsat.api import api

# (app, URL prefix). Each app's urls.py sets app_name = its label.
APP_URLS = [
    ("accounts", "accounts/"),
    ("units", "units/"),
    ("people", "people/"),
    ("directives", "directives/"),
    ("indicators", "figures/"),
    ("implementation", "implementation/"),
    ("study", "study/"),
    ("imports", "import/"),
    ("oversight", "oversight/"),
    ("discipline", "discipline/"),
    ("petitions", "petitions/"),
    ("evaluation", "evaluation/"),
    ("delegations", "delegations/"),
    ("reports", "reports/"),
    ("audit", "audit/"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("", include("giamsat.core.urls")),
]

for app, prefix in APP_URLS:
    package = import_module(f"giamsat.{app}")
    if module_has_submodule(package, "urls"):
        urlpatterns.append(path(prefix, include(f"giamsat.{app}.urls")))

# The citizens' hotline is public (no login) and lives in the petitions app.
if module_has_submodule(import_module("giamsat.petitions"), "public_urls"):
    urlpatterns.append(path("hotline/", include("giamsat.petitions.public_urls")))
