"""Home page, global search and the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import active_roles, has_capability, scope_q
from giamsat.audit.models import AccessKind
from giamsat.audit.services import record_access
from giamsat.core.files import can_view_attachment
from giamsat.core.models import Attachment
from giamsat.people.models import Person
from giamsat.units.models import Unit

SEARCH_LIMIT = 20


@login_required
def home(request: HttpRequest) -> HttpResponse:
    roles = active_roles(request.user)
    return render(request, "core/home.html", {"roles": roles})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:100]
    results: dict[str, list] = {"units": [], "people": [], "directives": []}
    if text:
        user = request.user
        if has_capability(user, Cap.VIEW_UNITS):
            results["units"] = list(
                Unit.objects.filter(scope_q(user, Cap.VIEW_UNITS))
                .search(text)
                .order_vi()[:SEARCH_LIMIT]
            )
        if has_capability(user, Cap.VIEW_PEOPLE):
            results["people"] = list(
                Person.objects.visible_to(user).search(text).order_vi()[:SEARCH_LIMIT]
            )
        if has_capability(user, Cap.VIEW_DIRECTIVES):
            from giamsat.directives.scoping import directives_in_scope

            results["directives"] = list(directives_in_scope(user).search(text)[:SEARCH_LIMIT])
    return render(request, "core/search.html", {"q": text, "results": results})


@login_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """Serve an attachment after the owning record's access check (404 otherwise)."""
    attachment = Attachment.objects.filter(pk=pk).select_related("content_type").first()
    if attachment is None or not can_view_attachment(request.user, attachment):
        raise Http404
    record_access(
        actor=request.user, kind=AccessKind.READ, obj=attachment, request=request, reason="download"
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
