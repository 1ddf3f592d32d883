"""Directive registry: list with search by symbol or words, and detail with the cascade."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from giamsat.directives.scoping import directives_in_scope


@login_required
def directive_list(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:100]
    items = directives_in_scope(request.user).search(text).select_related("issuing_unit")
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(request, "directives/list.html", {"page": page, "q": text})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    visible = directives_in_scope(request.user)
    directive = visible.filter(pk=pk).select_related("implements", "replaced_by").first()
    if directive is None:
        raise Http404
    context = {
        "directive": directive,
        "cascade_up": [d for d in directive.cascade_up() if visible.filter(pk=d.pk).exists()],
        "implementing": visible.filter(implements=directive).select_related("issuing_unit"),
    }
    return render(request, "directives/detail.html", context)
