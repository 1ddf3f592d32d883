"""Identity grants (request, decide, revoke), the logged reveal, and the reveal log."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_POST

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import has_capability, scope_q
from giamsat.audit.models import AccessEvent, AccessKind
from giamsat.petitions import access, forms, services
from giamsat.petitions.models import (
    GrantStatus,
    IdentityGrant,
    Petition,
)
from giamsat.petitions.views.record import _detail

PAGE_SIZE = 50


# --- identity ---------------------------------------------------------------------------------


@login_required
@require_POST
def request_grant(request: HttpRequest, pk: int) -> HttpResponse:
    petition = access.get_petition_or_404(request.user, pk, Cap.HANDLE_PETITIONS)
    form = forms.GrantRequestForm(request.POST)
    if form.is_valid():
        try:
            services.request_identity_grant(
                petition=petition, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your request is sent to the identity custodian."))
            return redirect(petition.get_absolute_url())
    return _detail(request, petition, bound={"grant": form}, open_action="grant", status=400)


@login_required
@require_POST
@never_cache
@sensitive_variables()
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the petitioner's identity under an approved, unexpired grant (logged)."""
    petition = access.get_petition_or_404(request.user, pk)
    try:
        identity = services.reveal_identity(
            petition=petition, acting_user=request.user, request=request
        )
    except services.IdentityAccessRefused:
        messages.error(
            request,
            _("You have no approved, unexpired access to this identity. The attempt is logged."),
        )
        return redirect(petition.get_absolute_url())
    grant = services.active_grant(request.user, petition)
    response = render(
        request,
        "petitions/reveal.html",
        {"petition": petition, "identity": identity, "grant": grant},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def grants(request: HttpRequest) -> HttpResponse:
    """Requests for identity access awaiting the custodian, and recent decisions."""
    if not has_capability(request.user, Cap.APPROVE_IDENTITY_GRANTS):
        raise Http404
    visible = access.petitions_for(request.user, Cap.APPROVE_IDENTITY_GRANTS)
    items = IdentityGrant.objects.filter(petition__in=visible).select_related(
        "petition", "grantee", "decided_by"
    )
    context = {
        "pending": items.filter(status=GrantStatus.REQUESTED).order_by("requested_at"),
        "decided": items.exclude(status=GrantStatus.REQUESTED)[:50],
        "form": forms.GrantDecisionForm(),
        "now": dt.datetime.now(tz=dt.UTC),
    }
    return render(request, "petitions/grants.html", context)


@login_required
@require_POST
def decide_grant(request: HttpRequest, pk: int) -> HttpResponse:
    visible = access.petitions_for(request.user, Cap.APPROVE_IDENTITY_GRANTS)
    grant = IdentityGrant.objects.filter(pk=pk, petition__in=visible).first()
    if grant is None:
        raise Http404
    form = forms.GrantDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_identity_grant(
                grant=grant,
                acting_user=request.user,
                approve=form.cleaned_data["approve"],
                reason=form.cleaned_data["reason"],
                days=form.cleaned_data["days"],
            )
            messages.success(request, _("Decision recorded."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied:
            raise Http404 from None
    else:
        messages.error(request, _("Choose approve or refuse, and give the reason."))
    return redirect("petitions:grants")


@login_required
@require_POST
def revoke_grant(request: HttpRequest, pk: int) -> HttpResponse:
    visible = access.petitions_for(request.user, Cap.APPROVE_IDENTITY_GRANTS)
    grant = IdentityGrant.objects.filter(pk=pk, petition__in=visible).first()
    if grant is None:
        raise Http404
    try:
        services.revoke_identity_grant(
            grant=grant, acting_user=request.user, reason=request.POST.get("reason", "")
        )
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Access revoked."))
    return redirect("petitions:grants")


@login_required
def reveal_log(request: HttpRequest) -> HttpResponse:
    """Every reveal of (and refused attempt at) a petitioner's identity, for the inspection
    commission of the units in scope."""
    if not has_capability(request.user, Cap.VIEW_AUDIT):
        raise Http404
    events = AccessEvent.objects.filter(
        scope_q(request.user, Cap.VIEW_AUDIT, "unit"),
        object_type=Petition._meta.label,
        kind__in=[AccessKind.REVEAL_IDENTITY, AccessKind.REFUSED],
    ).select_related("unit")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "petitions/reveal_log.html", {"page": page})
