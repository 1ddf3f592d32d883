"""Directive registry: list (search by symbol or words, filters by type, status and year) and
detail (the cascade both ways, aliases, replacements, attachments)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import has_capability, is_unrestricted, scope_q
from giamsat.core.files import attachments_of, save_attachment
from giamsat.directives.models import DOC_TYPE_CHOICES, Directive, DirectiveStatus
from giamsat.directives.scoping import directives_in_scope
from giamsat.units.forms import StyledForm

PAGE_SIZE = 50
CASCADE_DEPTH = 6


def filtered_directives(user, params) -> tuple:
    """Visible directives filtered by ``q``, ``doc_type``, ``status`` and ``year`` (shared with
    the API). Returns the queryset and the cleaned filter values."""
    text = (params.get("q") or "").strip()[:100]
    doc_type = params.get("doc_type") or ""
    status = params.get("status") or ""
    year = str(params.get("year") or "")
    items = directives_in_scope(user).search(text)
    if doc_type in dict(DOC_TYPE_CHOICES):
        items = items.filter(doc_type=doc_type)
    else:
        doc_type = ""
    if status in DirectiveStatus.values:
        items = items.filter(status=status)
    else:
        status = ""
    if year.isdigit() and len(year) == 4:
        items = items.filter(issued_on__year=int(year))
    else:
        year = ""
    filters = {"q": text, "doc_type": doc_type, "status": status, "year": year}
    return items.order_by("-issued_on", "symbol"), filters


@login_required
def directive_list(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, Cap.VIEW_DIRECTIVES):
        raise Http404
    items, filters = filtered_directives(request.user, request.GET)
    page = Paginator(items.select_related("issuing_unit"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    years = [d.year for d in directives_in_scope(request.user).dates("issued_on", "year", "DESC")]
    context = {
        "page": page,
        "filters": filters,
        "q": filters["q"],
        "types": DOC_TYPE_CHOICES,
        "statuses": DirectiveStatus.choices,
        "years": years,
    }
    return render(request, "directives/list.html", context)


def cascade_down(directive: Directive, visible) -> list[tuple[int, Directive]]:
    """Implementing documents, their own implementing documents, ... as (depth, document) in
    reading order; one query per level."""
    children: dict[int, list[Directive]] = {}
    level = [directive.pk]
    seen = {directive.pk}
    for _depth in range(CASCADE_DEPTH):
        kids = [
            d
            for d in visible.filter(implements_id__in=level)
            .select_related("issuing_unit")
            .order_by("issued_on", "symbol")
            if d.pk not in seen
        ]
        if not kids:
            break
        for kid in kids:
            seen.add(kid.pk)
            children.setdefault(kid.implements_id, []).append(kid)
        level = [k.pk for k in kids]
    flat: list[tuple[int, Directive]] = []

    def walk(pk: int, depth: int) -> None:
        for kid in children.get(pk, []):
            flat.append((depth, kid))
            walk(kid.pk, depth + 1)

    walk(directive.pk, 1)
    return flat


def can_manage(user, directive: Directive) -> bool:
    """Register files on a directive: MANAGE_DIRECTIVES over its issuing organisation."""
    if is_unrestricted(user):
        return True
    if directive.issuing_unit_id is None or not has_capability(user, Cap.MANAGE_DIRECTIVES):
        return False
    return (
        Directive.objects.filter(pk=directive.pk)
        .filter(scope_q(user, Cap.MANAGE_DIRECTIVES, "issuing_unit"))
        .exists()
    )


class AttachmentForm(StyledForm):
    file = forms.FileField(label=gettext_lazy("File"))
    description = forms.CharField(label=gettext_lazy("Description"), required=False, max_length=300)


def _get_directive(request: HttpRequest, pk: int) -> Directive:
    directive = (
        directives_in_scope(request.user)
        .filter(pk=pk)
        .select_related("implements", "replaced_by", "issuing_unit")
        .first()
    )
    if directive is None:
        raise Http404
    return directive


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    directive = _get_directive(request, pk)
    visible = directives_in_scope(request.user)
    chain = directive.cascade_up()
    shown = set(visible.filter(pk__in=[d.pk for d in chain]).values_list("pk", flat=True))
    manage = can_manage(request.user, directive)
    context = {
        "directive": directive,
        "cascade_up": [d for d in chain if d.pk in shown],
        "cascade_down": cascade_down(directive, visible),
        "aliases": list(directive.aliases.all()),
        "replaces": list(visible.filter(replaced_by=directive).order_by("issued_on")),
        "replaced_by": directive.replaced_by
        if directive.replaced_by_id and visible.filter(pk=directive.replaced_by_id).exists()
        else None,
        "attachments": list(attachments_of(directive)),
        "can_manage": manage,
        "form": AttachmentForm() if manage else None,
    }
    return render(request, "directives/detail.html", context)


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    directive = _get_directive(request, pk)
    if not can_manage(request.user, directive):
        raise Http404
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            save_attachment(
                owner=directive,
                upload=form.cleaned_data["file"],
                acting_user=request.user,
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The file was attached."))
    else:
        messages.error(request, _("Choose a file to attach."))
    return redirect(directive)
