"""Hot-spot alerts: list, the letters behind one, marking a hot spot, closing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import has_capability
from giamsat.core.dates import today
from giamsat.core.deadlines import STATE_LABELS
from giamsat.petitions import access, forms, services
from giamsat.petitions.models import AlertStatus, HotSpotAlert
from giamsat.petitions.views.lists import _row

PAGE_SIZE = 50


# --- hot spots --------------------------------------------------------------------------------


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, Cap.VIEW_PETITIONS):
        raise Http404
    items = access.alerts_for(request.user).select_related("unit")
    status = request.GET.get("status", "active")
    if status == "active":
        items = items.filter(status__in=[AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED])
    elif status in AlertStatus.values:
        items = items.filter(status=status)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "petitions/alerts.html", {"page": page, "status": status})


def _get_alert(request: HttpRequest, pk: int) -> HotSpotAlert:
    alert = access.alerts_for(request.user).filter(pk=pk).select_related("unit").first()
    if alert is None:
        raise Http404
    return alert


@login_required
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _get_alert(request, pk)
    petitions = access.petitions_for(request.user).filter(alerts=alert).select_related("unit")
    day = today()
    context = {
        "alert": alert,
        "rows": [_row(p, day) for p in petitions],
        "state_labels": STATE_LABELS,
        "flag_form": forms.HotSpotForm(initial={"is_hot_spot": "1"}, auto_id="flag-%s"),
        "close_form": forms.ReasonForm(auto_id="close-%s"),
        "can_act": has_capability(request.user, Cap.HANDLE_PETITIONS),
    }
    return render(request, "petitions/alert.html", context)


@login_required
@require_POST
def alert_flag(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _get_alert(request, pk)
    form = forms.HotSpotForm(request.POST)
    if form.is_valid():
        try:
            services.flag_hot_spot(
                alert=alert,
                acting_user=request.user,
                is_hot_spot=form.cleaned_data["is_hot_spot"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Recorded."))
        except PermissionDenied:
            raise Http404 from None
    else:
        messages.error(request, _("Choose whether it is a hot spot and give the reason."))
    return redirect(alert.get_absolute_url())


@login_required
@require_POST
def alert_close(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _get_alert(request, pk)
    form = forms.ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.close_alert(
                alert=alert, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Alert closed."))
        except PermissionDenied:
            raise Http404 from None
    else:
        messages.error(request, _("Give the reason for closing the alert."))
    return redirect(alert.get_absolute_url())
