"""A URLconf for audit tests: the real site plus a page and an API endpoint that call a service,
standing in for the apps under construction (so the actor of a change is tested through every
path a change can take: page, API with a bearer token, API with a session)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST
from ninja import NinjaAPI

from giamsat.accounts.api_auth import ApiTokenAuth, SessionAuth
from giamsat.units.models import Unit
from giamsat.units.services import rename_unit
from giamsat.urls import urlpatterns as site_urlpatterns

test_api = NinjaAPI(
    title="audit test API", urls_namespace="audit_test_api", auth=[ApiTokenAuth(), SessionAuth()]
)


@test_api.post("/units/{pk}/rename")
def api_rename(request, pk: int, name: str):
    unit = Unit.objects.get(pk=pk)
    rename_unit(unit=unit, name=name, date=dt.date(2024, 1, 1))
    return {"ok": True}


@login_required
@require_POST
def page_rename(request, pk: int):
    unit = Unit.objects.get(pk=pk)
    rename_unit(unit=unit, name=request.POST["name"], date=dt.date(2024, 1, 1))
    return HttpResponse("renamed")


urlpatterns = [
    path("test-rename/<int:pk>/", page_rename),
    path("test-api/", test_api.urls),
    *site_urlpatterns,
]
