"""The REST API (django-ninja) under /api/v1, OpenAPI documentation at /api/docs.

Every router lives in its app (``giamsat/<app>/api.py``, a ``router``) and scopes every query
through ``giamsat.accounts.scoping`` exactly like the pages.
"""

from __future__ import annotations

from importlib import import_module

from django.utils.module_loading import module_has_submodule
from ninja import NinjaAPI

from giamsat.accounts.api_auth import ApiTokenAuth, SessionAuth

api = NinjaAPI(
    title="giamsat API",
    version="1",
    description=(
        "Read (and, where an integrating system needs it, write) access to giamsat records. "
        "Authenticate with a bearer token (Authorization: Bearer <token>) or a browser session. "
        "Every endpoint answers only for the units in the caller's scope; anything else is 404."
    ),
    auth=[ApiTokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)

API_ROUTERS = [
    ("units", "/v1/units"),
    ("people", "/v1/people"),
    ("directives", "/v1/directives"),
    ("indicators", "/v1/indicators"),
    ("implementation", "/v1/implementation"),
    ("study", "/v1/study"),
    ("imports", "/v1/imports"),
    ("oversight", "/v1/oversight"),
    ("discipline", "/v1/discipline"),
    ("petitions", "/v1/petitions"),
    ("evaluation", "/v1/evaluation"),
    ("delegations", "/v1/delegations"),
    ("reports", "/v1/reports"),
    ("audit", "/v1/audit"),
]

for app, prefix in API_ROUTERS:
    package = import_module(f"giamsat.{app}")
    if module_has_submodule(package, "api"):
        api.add_router(prefix, import_module(f"giamsat.{app}.api").router)


@api.exception_handler(OverflowError)
def number_out_of_range(request, exc):
    """An id or number too large for the database (SQLite refuses integers beyond 64 bits):
    the caller's input is wrong, not the server (422, like any other invalid parameter)."""
    return api.create_response(
        request,
        {"detail": [{"type": "out_of_range", "msg": "A number in the request is out of range."}]},
        status=422,
    )
