"""Pages: criticism, remedial commitments (items, evidence, follow-up), overdue lists per
unit, and the page of one subject (unit or person) that shows the whole loop: inspection →
conclusion → commitment → verification → re-inspection."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import get_in_scope_or_404, has_capability, unit_in_scope
from giamsat.core.dates import parse_date, today
from giamsat.core.models import Attachment
from giamsat.directives.scoping import directives_in_scope
from giamsat.oversight import forms as f
from giamsat.oversight import services
from giamsat.oversight.access import (
    cases_for,
    commitment_items_for,
    commitments_for,
    criticisms_for,
)
from giamsat.oversight.models import (
    CaseStatus,
    Commitment,
    CommitmentItemStatus,
    CommitmentOrigin,
    Criticism,
)
from giamsat.oversight.views import _case_for, _error, people_for, require_manage, units_for
from giamsat.people.models import Person
from giamsat.units.models import Unit

# --- criticism -------------------------------------------------------------------------------


@login_required
def criticism_list(request: HttpRequest) -> HttpResponse:
    criticisms = criticisms_for(request.user).select_related(
        "by_unit", "subject_unit", "subject_person"
    )
    page = Paginator(criticisms, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "oversight/criticism_list.html",
        {"page": page, "can_manage": has_capability(request.user, Cap.MANAGE_OVERSIGHT)},
    )


@login_required
def criticism_new(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, Cap.MANAGE_OVERSIGHT):
        raise Http404
    case = None
    if request.GET.get("case"):
        case = _case_for(request, int(request.GET["case"]))
    form = f.CriticismForm(
        request.POST or None,
        initial={"date": today(), "by_unit": case.conducting_unit_id if case else None},
        units=units_for(request.user, Cap.MANAGE_OVERSIGHT),
        people=people_for(request.user),
        directives=directives_in_scope(request.user),
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        require_manage(request.user, cd["by_unit"])
        try:
            criticism = services.record_criticism(case=case, acting_user=request.user, **cd)
        except services.OversightError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Criticism recorded."))
            return redirect(criticism)
    return render(request, "oversight/criticism_form.html", {"form": form, "case": case})


@login_required
def criticism_detail(request: HttpRequest, pk: int) -> HttpResponse:
    criticism = get_in_scope_or_404(
        Criticism.objects.select_related("by_unit", "subject_unit", "subject_person", "case"),
        request.user,
        Cap.VIEW_OVERSIGHT,
        "by_unit",
        pk=pk,
    )
    commitments = commitments_for(request.user).filter(
        origin_type__model="criticism", origin_id=criticism.pk
    )
    return render(
        request,
        "oversight/criticism_detail.html",
        {
            "criticism": criticism,
            "commitments": commitments.prefetch_related("items"),
            "can_manage": services.can_manage(request.user, criticism.by_unit),
        },
    )


# --- commitments -----------------------------------------------------------------------------


def _origin_from(request: HttpRequest):
    """The record a new commitment follows (``?criticism=`` or ``?case=``), in scope."""
    if request.GET.get("criticism"):
        return CommitmentOrigin.CRITICISM, get_in_scope_or_404(
            Criticism.objects.all(),
            request.user,
            Cap.VIEW_OVERSIGHT,
            "by_unit",
            pk=request.GET["criticism"],
        )
    if request.GET.get("case"):
        return CommitmentOrigin.CONCLUSION, _case_for(request, int(request.GET["case"]))
    return CommitmentOrigin.OTHER, None


@login_required
def commitment_new(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, Cap.MANAGE_OVERSIGHT):
        raise Http404
    origin_kind, origin = _origin_from(request)
    initial: dict = {"origin_kind": origin_kind, "signed_on": today()}
    if isinstance(origin, Criticism):
        initial.update(
            supervising_unit=origin.by_unit_id,
            subject_unit=origin.subject_unit_id,
            subject_person=origin.subject_person.party_card_number if origin.subject_person else "",
        )
    elif origin is not None:
        subject = origin.subjects.first()
        initial.update(
            supervising_unit=origin.conducting_unit_id,
            subject_unit=subject.unit_id if subject else None,
            subject_person=subject.person.party_card_number if subject and subject.person else "",
        )
    form = f.CommitmentForm(
        request.POST or None,
        initial=initial,
        units=units_for(request.user, Cap.MANAGE_OVERSIGHT),
        people=people_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        require_manage(request.user, cd["supervising_unit"])
        specs = []
        problems = []
        for number, text, due in form.item_specs():
            if not text or due is None:
                problems.append(_("Item %(n)s needs both a text and a deadline.") % {"n": number})
            else:
                specs.append(services.ItemSpec(text, due))
        if problems:
            for problem in problems:
                messages.error(request, problem)
        else:
            try:
                commitment = services.create_commitment(
                    supervising_unit=cd["supervising_unit"],
                    origin_kind=cd["origin_kind"],
                    origin=origin,
                    signed_on=cd["signed_on"],
                    subject_unit=cd["subject_unit"],
                    subject_person=cd["subject_person"],
                    summary=cd["summary"],
                    items=specs,
                    acting_user=request.user,
                )
            except services.OversightError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("The commitment is recorded."))
                return redirect(commitment)
    return render(request, "oversight/commitment_form.html", {"form": form, "origin": origin})


def _commitment_for(request: HttpRequest, pk: int) -> Commitment:
    return get_in_scope_or_404(
        Commitment.objects.select_related("subject_unit", "subject_person", "supervising_unit"),
        request.user,
        Cap.VIEW_OVERSIGHT,
        "supervising_unit",
        pk=pk,
    )


def _render_commitment(request, commitment: Commitment, status: int = 200, **forms) -> HttpResponse:
    items = list(commitment.items.select_related("closed_by"))
    files: dict[int, list[Attachment]] = {}
    for a in Attachment.objects.filter(
        content_type__model="commitmentitem", object_id__in=[i.pk for i in items]
    ):
        files.setdefault(a.object_id, []).append(a)
    day = today()
    context = {
        "commitment": commitment,
        "origin": commitment.origin(),
        "items": [
            (
                i,
                files.get(i.pk, []),
                i.is_overdue(day),
                forms["close_form"]
                if forms.get("close_item_id") == i.pk
                else f.CloseItemForm(prefix=f"close-{i.pk}", initial={"closed_on": day}),
            )
            for i in items
        ],
        "follow_ups": commitment.follow_ups.select_related("by_unit", "item", "case"),
        "can_manage": services.can_manage(request.user, commitment.supervising_unit),
        "item_form": forms.get("item_form") or f.CommitmentItemForm(),
        "follow_form": forms.get("follow_form")
        or f.FollowUpForm(
            initial={"date": day, "by_unit": commitment.supervising_unit_id},
            units=units_for(request.user, Cap.MANAGE_OVERSIGHT),
            items=commitment.items.all(),
            cases=cases_for(request.user),
        ),
    }
    return render(request, "oversight/commitment_detail.html", context, status=status)


@login_required
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_commitment(request, _commitment_for(request, pk))


def _commitment_action(request: HttpRequest, pk: int) -> Commitment:
    commitment = _commitment_for(request, pk)
    require_manage(request.user, commitment.supervising_unit)
    return commitment


@login_required
@require_POST
def commitment_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _commitment_action(request, pk)
    form = f.CommitmentItemForm(request.POST)
    if form.is_valid():
        try:
            services.add_commitment_item(
                commitment=commitment, acting_user=request.user, **form.cleaned_data
            )
        except services.OversightError as exc:
            _error(request, exc)
            return _render_commitment(request, commitment, 400, item_form=form)
        messages.success(request, _("Item added."))
        return redirect(commitment)
    return _render_commitment(request, commitment, 400, item_form=form)


@login_required
@require_POST
def commitment_item_close(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    commitment = _commitment_action(request, pk)
    item = commitment.items.filter(pk=item_pk).first()
    if item is None:
        raise Http404
    form = f.CloseItemForm(request.POST, request.FILES, prefix=f"close-{item.pk}")
    if form.is_valid():
        cd = form.cleaned_data
        try:
            services.close_commitment_item(
                item=item,
                closed_on=cd["closed_on"],
                justification=cd["justification"],
                evidence=cd["evidence"],
                acting_user=request.user,
            )
        except services.OversightError as exc:
            _error(request, exc)
            return _render_commitment(
                request, commitment, 400, close_form=form, close_item_id=item.pk
            )
        messages.success(request, _("The item is closed."))
        return redirect(commitment)
    return _render_commitment(request, commitment, 400, close_form=form, close_item_id=item.pk)


@login_required
@require_POST
def commitment_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _commitment_action(request, pk)
    form = f.FollowUpForm(
        request.POST,
        units=units_for(request.user, Cap.MANAGE_OVERSIGHT),
        items=commitment.items.all(),
        cases=cases_for(request.user),
    )
    if form.is_valid():
        cd = form.cleaned_data
        try:
            services.record_follow_up(commitment=commitment, acting_user=request.user, **cd)
        except services.OversightError as exc:
            _error(request, exc)
            return _render_commitment(request, commitment, 400, follow_form=form)
        messages.success(request, _("Follow-up recorded."))
        return redirect(commitment)
    return _render_commitment(request, commitment, 400, follow_form=form)


@login_required
def commitment_list(request: HttpRequest) -> HttpResponse:
    """Commitment items, with the overdue list per unit (``?overdue=1&unit=…&on=…``)."""
    if not has_capability(request.user, Cap.VIEW_OVERSIGHT):
        raise Http404
    day = today()
    if request.GET.get("on"):
        try:
            day = parse_date(request.GET["on"])
        except ValueError:
            messages.error(request, _("The date must be dd/mm/yyyy."))
    items = commitment_items_for(request.user).select_related(
        "commitment__subject_unit", "commitment__subject_person", "commitment__supervising_unit"
    )
    unit = None
    if request.GET.get("unit", "").isdigit():
        unit = Unit.objects.filter(pk=int(request.GET["unit"])).first()
        if unit is None or not unit_in_scope(request.user, unit, Cap.VIEW_OVERSIGHT):
            raise Http404
        from giamsat.units.models import subtree_q

        items = items.filter(
            subtree_q("commitment__supervising_unit", unit, unit.reference_date(day))
            | subtree_q("commitment__subject_unit", unit, unit.reference_date(day))
        ).distinct()
    state = request.GET.get("state", "overdue" if request.GET.get("overdue") else "")
    if state == "overdue":
        items = items.overdue_on(day)
    elif state == "open":
        items = items.open_on(day)
    elif state == "closed":
        items = items.closed_by(day)
    items = items.order_by("due_on", "pk")
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "oversight/commitment_list.html",
        {"page": page, "day": day, "unit": unit, "state": state},
    )


# --- the subject page: the whole loop --------------------------------------------------------


def _timeline(user, *, unit: Unit | None = None, person: Person | None = None) -> list[dict]:
    """Every visible record about the subject, oldest first, as (date, kind, record) rows."""
    subject_q = Q(subjects__unit=unit) if unit else Q(subjects__person=person)
    rows: list[dict] = []
    cases = (
        cases_for(user)
        .filter(subject_q)
        .exclude(status=CaseStatus.CANCELLED)
        .select_related("conducting_unit", "reinspection_of")
        .distinct()
    )
    for case in cases:
        rows.append({"date": case.decided_on, "kind": "case", "record": case})
        if case.concluded_on:
            rows.append({"date": case.concluded_on, "kind": "conclusion", "record": case})
    crit_q = Q(subject_unit=unit) if unit else Q(subject_person=person)
    for criticism in criticisms_for(user).filter(crit_q).select_related("by_unit"):
        rows.append({"date": criticism.date, "kind": "criticism", "record": criticism})
    commit_q = Q(subject_unit=unit) if unit else Q(subject_person=person)
    commitments = (
        commitments_for(user)
        .filter(commit_q)
        .select_related("supervising_unit")
        .prefetch_related("items", "follow_ups__case", "follow_ups__by_unit")
    )
    for commitment in commitments:
        rows.append({"date": commitment.signed_on, "kind": "commitment", "record": commitment})
        for item in commitment.items.all():
            if item.closed_on and item.status == CommitmentItemStatus.CLOSED:
                rows.append({"date": item.closed_on, "kind": "item_closed", "record": item})
        for follow in commitment.follow_ups.all():
            rows.append({"date": follow.date, "kind": "follow_up", "record": follow})
    rows.sort(key=lambda r: (r["date"], r["kind"]))
    return rows


@login_required
def subject_unit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_in_scope_or_404(Unit.objects.all(), request.user, Cap.VIEW_OVERSIGHT, "pk", pk=pk)
    return _subject_page(request, unit=unit)


@login_required
def subject_person(request: HttpRequest, pk: int) -> HttpResponse:
    person = Person.objects.visible_to(request.user, Cap.VIEW_OVERSIGHT).filter(pk=pk).first()
    if person is None:
        raise Http404
    return _subject_page(request, person=person)


def _subject_page(request: HttpRequest, **subject) -> HttpResponse:
    rows = _timeline(request.user, **subject)
    day = today()
    open_items = [
        i
        for r in rows
        if r["kind"] == "commitment"
        for i in r["record"].items.all()
        if i.status == CommitmentItemStatus.OPEN
    ]
    return render(
        request,
        "oversight/subject.html",
        {
            "subject": subject.get("unit") or subject.get("person"),
            "is_unit": "unit" in subject,
            "rows": rows,
            "open_items": open_items,
            "overdue": [i for i in open_items if i.due_on < day],
            "today": day,
        },
    )
