"""Report pages: list, create, detail (the document with live or frozen figures), edit, the
workflow actions, drill-down of a figure, comparison with today's figures, downloads,
completeness and consistency."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import get_in_scope_or_404, has_capability
from giamsat.audit.models import AccessKind
from giamsat.audit.services import record_access
from giamsat.core.dates import parse_date, today
from giamsat.core.models import ConcurrentEditError
from giamsat.core.text import search_key
from giamsat.reports import permissions, services
from giamsat.reports.completeness import completeness, consistency
from giamsat.reports.content import content_of, render_html, spec_for_report
from giamsat.reports.documents import (
    ConversionUnavailableError,
    appendices_xlsx,
    convert,
    report_docx,
)
from giamsat.reports.figures import RecordSet, compute_figure, find_indicator
from giamsat.reports.forms import (
    ActionForm,
    ReportCreateForm,
    ReportHeaderForm,
    SectionsForm,
    SignForm,
    TypedFiguresForm,
    units_for,
)
from giamsat.reports.models import Report, ReportSource, ReportStatus
from giamsat.reports.views.common import (
    PAGE_SIZE,
    get_report,
    hidden_capabilities,
    indicator_page_url,
    record_headers,
    record_rows,
)
from giamsat.units.models import Unit


def _conflict_message() -> str:
    return _(
        "Someone else changed this report while you were working on it. Nothing was saved: "
        "the page now shows the latest version; apply your change again."
    )


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    reports = Report.objects.visible_to(request.user).select_related("unit")
    status = request.GET.get("status", "")
    if status in ReportStatus.values:
        reports = reports.filter(status=status)
    text = request.GET.get("q", "").strip()[:100]
    if text:
        reports = reports.filter(unit__name_search__contains=search_key(text))
    page = Paginator(reports.order_by("-updated_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "q": text,
        "status": status,
        "statuses": ReportStatus.choices,
        "can_create": has_capability(request.user, Cap.MANAGE_REPORTS),
    }
    return render(request, "reports/list.html", context)


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, Cap.MANAGE_REPORTS):
        raise Http404
    services.sync_builtin_templates()
    initial = {"template": services.default_template()}
    if request.GET.get("unit", "").isdigit():
        initial["unit"] = int(request.GET["unit"])
    if request.GET.get("delegation", "").isdigit():
        initial["delegation"] = int(request.GET["delegation"])
    form = ReportCreateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.generate_report(
                unit=data["unit"],
                start=data["period_start"],
                end=data["period_end"],
                directives=data["directives"],
                template=data["template"],
                delegation=data["delegation"],
                source=data["source"],
                require_children_first=data["require_children_first"],
                acting_user=request.user,
            )
        except services.ReportError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The draft report was generated from records."))
            return redirect(report)
    return render(request, "reports/create.html", {"form": form})


def _figure_link(report: Report):
    def link(code: str) -> str | None:
        return reverse("reports:figure", args=[report.pk, code])

    return link


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report(request, pk)
    content = content_of(report)
    link = _figure_link(report)
    sections = [
        (s.heading, render_html(s.text, content.figures, content.fields, link))
        for s in content.sections
    ]
    capabilities = {p.capability for a in content.appendices for p in a.parts}
    hidden = hidden_capabilities(request.user, report, capabilities)
    user = request.user
    context = {
        "report": report,
        "content": content,
        "sections": sections,
        "subject": content.rendered_subject,
        "figures": sorted(content.figures.values(), key=lambda f: f.code),
        "appendices": content.appendices,
        "hidden": hidden,
        "events": report.events.select_related("actor"),
        "recommendations": report.recommendations.select_related("unit"),
        "can_edit": permissions.can_edit_report(user, report),
        "can_submit": report.status in ("draft", "returned")
        and permissions.can_take(user, report, "submit"),
        "can_review": report.status == "submitted" and permissions.can_take(user, report, "return"),
        "can_sign": report.status == "accepted" and permissions.can_take(user, report, "sign"),
        "action_form": ActionForm(initial={"version": report.version}),
        "sign_form": SignForm(
            initial={
                "version": report.version,
                "number": report.number or services.next_number(report.issuer_code, report.unit),
                "document_date": report.document_date or today(),
                "signer_name": report.signer_name,
            }
        ),
        "verified": services.verify_frozen(report) if report.is_frozen else None,
        "is_typed": report.source == ReportSource.TYPED,
        "children_waiting": (
            services.children_not_ready(report)
            if report.require_children_first and report.is_editable
            else []
        ),
    }
    return render(request, "reports/detail.html", context)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report(request, pk)
    if not permissions.can_edit_report(request.user, report):
        raise PermissionDenied
    current = [(s.heading, s.text) for s in report.sections.all()]
    header_initial = {
        "version": report.version,
        **{f: getattr(report, f) for f in services.HEADER_FIELDS if f != "doc_title"},
    }
    header = ReportHeaderForm(request.POST or None, initial=header_initial, prefix="h")
    sections = SectionsForm(request.POST or None, sections=current, prefix="s")
    if request.method == "POST" and header.is_valid() and sections.is_valid():
        data = dict(header.cleaned_data)
        version = data.pop("version")
        try:
            services.update_report(
                report=report,
                expected_version=version,
                acting_user=request.user,
                sections=sections.sections(),
                **data,
            )
        except ConcurrentEditError:
            messages.error(request, _conflict_message())
            return redirect("reports:edit", pk=report.pk)
        except services.ReportError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The report was saved."))
            return redirect(report)
    codes = sorted(
        {i.code for i in _all_indicators()},
    )
    return render(
        request,
        "reports/edit.html",
        {"report": report, "header": header, "sections": sections, "codes": codes},
    )


def _all_indicators():
    from giamsat.indicators.registry import indicators

    return indicators()


@login_required
def typed_figures(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report(request, pk)
    if report.source != ReportSource.TYPED or not permissions.can_edit_report(request.user, report):
        raise PermissionDenied
    existing = {f.code: f for f in report.figures.filter(typed=True)}
    codes = list(report.template.figure_codes) if report.template else []
    codes += [c for c in existing if c not in codes]
    labels = {}
    for code in codes:
        indicator = find_indicator(code)
        labels[code] = f"{indicator.label} ({code})" if indicator else code
    initial = {"version": report.version}
    for i, code in enumerate(codes):
        if code in existing and existing[code].value is not None:
            fig = existing[code]
            initial[f"figure_{i}"] = (
                str(fig.value.normalize()) if fig.is_rate else str(int(fig.value))
            )
    form = TypedFiguresForm(request.POST or None, codes=codes, labels=labels, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_typed_figures(
                report=report,
                expected_version=form.cleaned_data["version"],
                acting_user=request.user,
                figures=form.figures(),
                note=form.cleaned_data["note"],
            )
        except ConcurrentEditError:
            messages.error(request, _conflict_message())
            return redirect("reports:typed_figures", pk=report.pk)
        except services.ReportError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The figures were saved."))
            return redirect(report)
    return render(request, "reports/typed_figures.html", {"report": report, "form": form})


ACTIONS = {
    "submit": (
        services.submit_report,
        gettext_lazy("The report was submitted to the level above."),
    ),
    "return": (services.return_report, gettext_lazy("The report was returned with your comments.")),
    "accept": (services.accept_report, gettext_lazy("The report was accepted.")),
}


def _form_errors(form) -> str:
    parts = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return "; ".join(parts)


@login_required
@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    report = get_report(request, pk)
    if name == "sign":
        form = SignForm(request.POST)
    elif name in ACTIONS:
        form = ActionForm(request.POST)
    else:
        raise Http404
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(report)
    data = form.cleaned_data
    common = {"report": report, "expected_version": data["version"], "acting_user": request.user}
    try:
        if name == "sign":
            services.sign_report(
                **common,
                number=data["number"],
                document_date=data["document_date"],
                signer_name=data["signer_name"],
            )
            done = _("The report was signed and frozen.")
        else:
            service, done = ACTIONS[name]
            service(**common, comment=data["comment"])
    except ConcurrentEditError:
        messages.error(request, _conflict_message())
    except services.ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect(report)


@login_required
def figure(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The records behind one figure: the frozen list of a signed report, live otherwise."""
    report = get_report(request, pk)
    content = content_of(report)
    fig = content.figures.get(code)
    if fig is None:
        raise Http404
    indicator = find_indicator(code)
    capability = str(indicator.capability) if indicator else ""
    allowed = permissions.can_see_records(request.user, capability, report.unit)
    spec = spec_for_report(report)
    rows, total, page = [], 0, None
    if allowed and not fig.typed and fig.available:
        if report.is_frozen and fig.records is not None:
            ids = fig.records.ids()
            total = len(ids)
            page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
            model = fig.records.model_class()
            found = model._base_manager.filter(pk__in=list(page)) if model else []
            rows = record_rows(code, found, list(page))
        elif indicator is not None:
            records = indicator.records(spec.query).order_by("pk")
            page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
            total = page.paginator.count
            rows = record_rows(code, list(page))
        record_access(
            actor=request.user,
            kind=AccessKind.READ,
            obj=report,
            unit=report.unit,
            request=request,
            label=f"{report} · {code}",
        )
    context = {
        "report": report,
        "figure": fig,
        "indicator": indicator,
        "allowed": allowed,
        "headers": record_headers(code),
        "rows": rows,
        "total": total,
        "page": page,
        "indicator_url": indicator_page_url(code, spec.query),
    }
    return render(request, "reports/figure.html", context)


@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """A signed report's frozen figures against today's live figures, differences marked."""
    report = get_report(request, pk)
    if not report.is_frozen:
        raise Http404
    frozen = content_of(report)
    query = spec_for_report(report).query
    rows = []
    for code in sorted(frozen.figures):
        old = frozen.figures[code]
        if old.typed:
            continue
        new = compute_figure(code, query, with_records=True)
        old_ids = set(old.records.ids()) if old.records else set()
        new_ids = set(new.records.ids()) if new.records else set()
        rows.append(
            {
                "code": code,
                "label": old.label or new.label or code,
                "old": old,
                "new": new,
                "changed": (old.available, old.value) != (new.available, new.value)
                or old_ids != new_ids,
                "added": sorted(new_ids - old_ids),
                "removed": sorted(old_ids - new_ids),
            }
        )
    selected = request.GET.get("code")
    detail_rows = None
    if selected:
        row = next((r for r in rows if r["code"] == selected), None)
        indicator = find_indicator(selected)
        capability = str(indicator.capability) if indicator else ""
        if row and permissions.can_see_records(request.user, capability, report.unit):
            model = (row["old"].records or row["new"].records or RecordSet("")).model_class()
            ids = row["added"][:PAGE_SIZE] + row["removed"][:PAGE_SIZE]
            found = list(model._base_manager.filter(pk__in=ids)) if model else []
            detail_rows = {
                "code": selected,
                "headers": record_headers(selected),
                "added": record_rows(selected, found, row["added"][:PAGE_SIZE]),
                "removed": record_rows(selected, found, row["removed"][:PAGE_SIZE]),
            }
    context = {
        "report": report,
        "rows": rows,
        "changed": sum(1 for r in rows if r["changed"]),
        "detail": detail_rows,
        "verified": services.verify_frozen(report),
        "today": today(),
    }
    return render(request, "reports/compare.html", context)


def _filename(report: Report, ext: str) -> str:
    from giamsat.core.files import sanitise_name

    symbol = report.symbol.replace("/", "-").replace("…", "x")
    return sanitise_name(f"bao-cao-{report.unit.code}-{symbol}.{ext}")


@login_required
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in ("docx", "xlsx", "pdf"):
        raise Http404
    report = get_report(request, pk)
    content = content_of(report)
    capabilities = {p.capability for a in content.appendices for p in a.parts}
    hidden = hidden_capabilities(request.user, report, capabilities)
    if fmt == "xlsx":
        data = appendices_xlsx(content, hidden=hidden)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        data = report_docx(content, hidden=hidden)
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if fmt == "pdf":
            try:
                data = convert(data, "pdf")
            except ConversionUnavailableError:
                messages.error(
                    request,
                    _("PDF is not available on this server (LibreOffice is not installed)."),
                )
                return redirect(report)
            mime = "application/pdf"
    record_access(
        actor=request.user,
        kind=AccessKind.EXPORT,
        obj=report,
        unit=report.unit,
        request=request,
        label=f"{report} ({fmt})",
    )
    response = HttpResponse(data, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, fmt)}"'
    return response


def _period_from(request: HttpRequest) -> tuple[dt.date | None, dt.date | None]:
    try:
        start = parse_date(request.GET["from"]) if request.GET.get("from") else None
        end = parse_date(request.GET["to"]) if request.GET.get("to") else None
    except ValueError:
        return None, None
    return start, end


@login_required
def completeness_view(request: HttpRequest) -> HttpResponse:
    """Which sub-units have reported for a period (one unit, one period)."""
    units = units_for(request.user, Cap.VIEW_REPORTS)
    unit = None
    if request.GET.get("unit", "").isdigit():
        unit = get_in_scope_or_404(
            Unit.objects.all(), request.user, Cap.VIEW_REPORTS, "pk", pk=int(request.GET["unit"])
        )
    start, end = _period_from(request)
    rows = []
    if unit is not None and start and end and start <= end:
        rows = completeness(unit, start, end, all_levels=request.GET.get("all") == "1")
    context = {
        "units": units[:500],
        "unit": unit,
        "start": start,
        "end": end,
        "rows": rows,
        "missing": sum(1 for r in rows if not r.has_submitted),
        "all_levels": request.GET.get("all") == "1",
    }
    return render(request, "reports/completeness.html", context)


@login_required
def consistency_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report(request, pk)
    rows = consistency(report)
    context = {
        "report": report,
        "rows": rows,
        "inconsistent": sum(1 for r in rows if not r.consistent),
    }
    return render(request, "reports/consistency.html", context)
