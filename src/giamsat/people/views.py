"""People list (Vietnamese order, diacritic-free search) and person page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from giamsat.people.models import Person
from giamsat.people.sections import sections_for


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:100]
    people = Person.objects.visible_to(request.user).search(text).order_vi()
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "people/list.html", {"page": page, "q": text})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = Person.objects.visible_to(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404
    context = {
        "person": person,
        "memberships": person.memberships.select_related("unit").order_by("-valid_from"),
        "posts": person.posts.select_related("unit").order_by("-valid_from"),
        "sections": sections_for(request, person),
    }
    return render(request, "people/detail.html", context)
