"""People list (Vietnamese order, diacritic-free search, filtered to a subtree on a date),
person page (memberships, posts and the sections other apps register) and the people forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import get_in_scope_or_404, has_capability, scope_q
from giamsat.audit.models import AccessKind
from giamsat.audit.services import record_access
from giamsat.people import services
from giamsat.people.forms import EndPostForm, NewPersonForm, PersonForm, PostForm, TransferForm
from giamsat.people.models import Membership, MembershipKind, MemberStatus, Person, Post
from giamsat.people.sections import sections_for
from giamsat.units.models import Unit, subtree_q
from giamsat.units.views import as_of_date

PAGE_SIZE = 50


def people_for(user, *, text: str = "", unit: Unit | None = None, day=None, status: str = ""):
    """People ``user`` may see, filtered like the list page (shared with the API)."""
    people = Person.objects.visible_to(user).search(text)
    if unit is not None:
        in_subtree = (
            Membership.objects.valid_on(day)
            .filter(subtree_q("unit", unit, day))
            .filter(scope_q(user, Cap.VIEW_PEOPLE, "unit"))
            .values("person_id")
        )
        people = people.filter(pk__in=in_subtree)
    if status:
        people = people.filter(status=status)
    return people.order_vi()


def _filter_unit(request: HttpRequest) -> Unit | None:
    raw = request.GET.get("unit", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return get_in_scope_or_404(Unit.objects.all(), request.user, Cap.VIEW_PEOPLE, "pk", pk=int(raw))


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, Cap.VIEW_PEOPLE):
        raise Http404
    text = request.GET.get("q", "").strip()[:100]
    unit = _filter_unit(request)
    as_of, error = as_of_date(request, default=unit.reference_date() if unit else None)
    status = request.GET.get("status", "")
    if status not in MemberStatus.values:
        status = ""
    people = people_for(
        request.user, text=text, unit=unit, day=as_of, status=status
    ).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.valid_on(as_of)
            .filter(kind=MembershipKind.REGULAR)
            .filter(scope_q(request.user, Cap.VIEW_PEOPLE, "unit"))
            .select_related("unit"),
            to_attr="cells_on_date",
        )
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": text,
        "unit": unit,
        "as_of": as_of,
        "as_of_error": error,
        "status": status,
        "statuses": MemberStatus.choices,
        "can_create": has_capability(request.user, Cap.MANAGE_PEOPLE),
    }
    return render(request, "people/list.html", context)


def _person_for(request: HttpRequest, pk: int, capability=Cap.VIEW_PEOPLE) -> Person:
    person = Person.objects.visible_to(request.user, capability).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = _person_for(request, pk)
    record_access(
        actor=user, kind=AccessKind.READ, obj=person, request=request, reason="person page"
    )
    in_scope = scope_q(user, Cap.VIEW_PEOPLE, "unit")
    can_manage = Person.objects.visible_to(user, Cap.MANAGE_PEOPLE).filter(pk=pk).exists()
    context = {
        "person": person,
        # Only the parts of a person's history that lie in the user's scope.
        "memberships": person.memberships.filter(in_scope)
        .select_related("unit")
        .order_by("-valid_from"),
        "posts": person.posts.filter(in_scope).select_related("unit").order_by("-valid_from"),
        "current": person.membership_on(),
        "sections": sections_for(request, person),
        "can_manage": can_manage,
        "manageable_post_units": set(
            Unit.objects.filter(scope_q(user, Cap.MANAGE_PEOPLE))
            .filter(posts__person=person)
            .values_list("pk", flat=True)
        )
        if can_manage
        else set(),
    }
    return render(request, "people/detail.html", context)


def _require_manage(request: HttpRequest) -> None:
    if not has_capability(request.user, Cap.MANAGE_PEOPLE):
        raise Http404


@login_required
def create(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    initial = {"status": MemberStatus.FULL, "category": "member"}
    if request.GET.get("cell", "").isdigit():
        initial["cell"] = int(request.GET["cell"])
    form = NewPersonForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.create_person(
                data=form.person_data(),
                cell=form.cleaned_data.get("cell"),
                member_from=form.cleaned_data.get("member_from"),
                acting_user=request.user,
            )
        except services.PeopleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(person)s was added.") % {"person": person})
            return redirect(person)
    return render(request, "people/form.html", {"form": form, "title": _("New person")})


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for(request, pk, Cap.MANAGE_PEOPLE)
    fields = list(PersonForm.base_fields)
    initial = {name: getattr(person, name) for name in fields}
    form = PersonForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(person=person, data=form.person_data(), acting_user=request.user)
        except services.PeopleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The details were saved."))
            return redirect(person)
    context = {"form": form, "person": person, "title": _("Edit details")}
    return render(request, "people/form.html", context)


@login_required
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for(request, pk, Cap.MANAGE_PEOPLE)
    form = TransferForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.transfer_membership(
                person=person,
                to_unit=data["to_unit"],
                date=data["date"],
                kind=data["kind"],
                note=data["note"],
                acting_user=request.user,
            )
        except services.PeopleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(person)s is a member of %(unit)s from %(date)s.")
                % {"person": person, "unit": data["to_unit"], "date": f"{data['date']:%d/%m/%Y}"},
            )
            return redirect(person)
    context = {"form": form, "person": person, "title": _("Transfer party activity")}
    return render(request, "people/form.html", context)


@login_required
def add_post(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for(request, pk, Cap.MANAGE_PEOPLE)
    form = PostForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_post(
                person=person,
                unit=data["unit"],
                title=data["title"],
                kind=data["kind"],
                is_head=data["is_head"],
                date=data["date"],
                until=data["until"],
                acting_user=request.user,
            )
        except services.PeopleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The post was recorded."))
            return redirect(person)
    context = {"form": form, "person": person, "title": _("Add a post")}
    return render(request, "people/form.html", context)


@login_required
def end_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_in_scope_or_404(
        Post.objects.select_related("person", "unit"), request.user, Cap.MANAGE_PEOPLE, pk=pk
    )
    form = EndPostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_post(
                post=post,
                last_day=form.cleaned_data["last_day"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except services.PeopleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The post was ended."))
            return redirect(post.person)
    context = {
        "form": form,
        "person": post.person,
        "title": _("End the post %(title)s in %(unit)s") % {"title": post.title, "unit": post.unit},
    }
    return render(request, "people/form.html", context)
