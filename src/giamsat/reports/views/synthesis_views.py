"""The synthesis of recommendations for a delegation or a higher committee, with exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import get_in_scope_or_404
from giamsat.audit.models import AccessKind
from giamsat.audit.services import record_access
from giamsat.reports.forms import units_for
from giamsat.reports.models import AddresseeLevel, Recommendation
from giamsat.reports.synthesis import DEFAULT_THRESHOLD, synthesise
from giamsat.reports.synthesis_documents import synthesis_docx, synthesis_xlsx
from giamsat.reports.views.report_views import _period_from
from giamsat.units.models import Unit, subtree_q

MAX_ITEMS = 3000


def _threshold(request: HttpRequest) -> float:
    try:
        value = float(request.GET.get("threshold", DEFAULT_THRESHOLD))
    except ValueError:
        return DEFAULT_THRESHOLD
    return min(0.9, max(0.1, value))


@login_required
def synthesis(request: HttpRequest) -> HttpResponse:
    from giamsat.delegations.models import Delegation

    items = Recommendation.objects.visible_to(request.user).select_related("unit")
    delegation = unit = None
    start, end = _period_from(request)
    if request.GET.get("delegation", "").isdigit():
        delegation = (
            Delegation.objects.visible_to(request.user)
            .filter(pk=int(request.GET["delegation"]))
            .select_related("deciding_body")
            .first()
        )
        if delegation is None:
            raise Http404
        items = items.filter(delegation=delegation)
    elif request.GET.get("unit", "").isdigit() and start and end and start <= end:
        unit = get_in_scope_or_404(
            Unit.objects.all(), request.user, Cap.VIEW_REPORTS, "pk", pk=int(request.GET["unit"])
        )
        items = items.filter(
            subtree_q("unit", unit, unit.reference_date(end)), made_on__gte=start, made_on__lte=end
        )
    else:
        items = items.none()
    level = request.GET.get("level", "")
    if level in AddresseeLevel.values:
        items = items.filter(addressee_level=level)
    threshold = _threshold(request)
    selected = list(items.order_by("pk")[:MAX_ITEMS])
    groups = synthesise(selected, threshold) if selected else []
    fmt = request.GET.get("format", "")
    if fmt in ("xlsx", "docx") and (delegation or unit):
        record_access(
            actor=request.user,
            kind=AccessKind.EXPORT,
            obj=delegation,
            unit=unit,
            request=request,
            label=f"synthesis ({fmt})",
        )
        if fmt == "xlsx":
            data = synthesis_xlsx(groups)
            mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            data = synthesis_docx(groups, delegation=delegation, unit=unit)
            mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        response = HttpResponse(data, content_type=mime)
        response["Content-Disposition"] = f'attachment; filename="tong-hop-kien-nghi.{fmt}"'
        return response
    context = {
        "delegation": delegation,
        "unit": unit,
        "start": start,
        "end": end,
        "level": level,
        "levels": AddresseeLevel.choices,
        "threshold": threshold,
        "groups": groups,
        "count": len(selected),
        "truncated": len(selected) >= MAX_ITEMS,
        "units": units_for(request.user, Cap.VIEW_REPORTS)[:500],
        "delegations": Delegation.objects.visible_to(request.user)[:200],
        "query": request.GET.urlencode(),
    }
    return render(request, "reports/synthesis.html", context)
