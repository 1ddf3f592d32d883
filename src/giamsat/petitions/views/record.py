"""The record page of a petition and the actions on it (one POST view per action)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from giamsat.accounts.roles import Cap
from giamsat.accounts.scoping import scope_q
from giamsat.audit.models import AccessKind
from giamsat.audit.services import record_access
from giamsat.core.dates import today
from giamsat.core.deadlines import STATE_LABELS
from giamsat.core.files import attachments_of
from giamsat.core.models import ConcurrentEditError, LinkKind, RecordLink
from giamsat.people.models import Person
from giamsat.petitions import access, forms, services
from giamsat.petitions.models import (
    GrantStatus,
    Petition,
    PetitionClass,
)
from giamsat.units.models import Unit, UnitAncestry, UnitKind

LINKABLE_APPS = ("oversight", "discipline")


# --- the record page --------------------------------------------------------------------------


def _transfer_units(user, petition: Petition) -> QuerySet[Unit]:
    """Where a letter can go: organisations in the user's scope, the holder's ancestors and
    their committee organs (e.g. the higher inspection commission)."""
    day = today()
    ref = petition.unit.reference_date(day)
    ancestors = UnitAncestry.objects.filter(
        descendant=petition.unit, valid_from__lte=ref, valid_to__gte=ref
    ).values("ancestor_id")
    organs_above = UnitAncestry.objects.filter(
        ancestor_id__in=ancestors, depth=1, valid_from__lte=day, valid_to__gte=day
    ).values("descendant_id")
    return (
        Unit.objects.valid_on(day)
        .filter(
            scope_q(user, Cap.HANDLE_PETITIONS)
            | Q(pk__in=ancestors)
            | Q(pk__in=organs_above, kind=UnitKind.ORGAN)
        )
        .exclude(kind=UnitKind.CELL)
        .exclude(pk=petition.unit_id)
        .order_by("kind", "name_sort")
    )


def _handlers(petition: Petition) -> QuerySet:
    from giamsat.accounts.models import User

    ids = [u.pk for u in access.handlers_for(petition)]
    return User.objects.filter(pk__in=ids).order_by("first_name", "username")


def _link_types() -> list[tuple[str, str]]:
    types = ContentType.objects.filter(app_label__in=LINKABLE_APPS).order_by("app_label", "model")
    return [
        (f"{ct.app_label}.{ct.model}", str(ct.model_class()._meta.verbose_name).capitalize())
        for ct in types
        if ct.model_class() is not None and hasattr(ct.model_class(), "unit")
    ]


def _links(user, petition: Petition) -> list[dict]:
    ct = ContentType.objects.get_for_model(Petition)
    found = []
    for link in RecordLink.objects.filter(source_type=ct, source_id=petition.pk).select_related(
        "target_type"
    ):
        model = link.target_type.model_class()
        target = model._base_manager.filter(pk=link.target_id).first() if model else None
        unit = getattr(target, "unit", None)
        visible = isinstance(unit, Unit) and (
            Unit.objects.filter(scope_q(user, Cap.VIEW_UNITS), pk=unit.pk).exists()
        )
        found.append(
            {
                "kind": link.get_kind_display(),
                "type": model._meta.verbose_name if model else link.target_type.model,
                "id": link.target_id,
                "label": str(target) if visible else "",
                "url": target.get_absolute_url()
                if visible and hasattr(target, "get_absolute_url")
                else "",
            }
        )
    return found


def _forms(request: HttpRequest, petition: Petition) -> dict[str, object]:
    v = {"version": petition.version}
    day = today()
    handlers = _handlers(petition)
    visible_people = Person.objects.visible_to(request.user, Cap.VIEW_PETITIONS)
    visible_units = Unit.objects.filter(scope_q(request.user, Cap.VIEW_PETITIONS))
    return {
        "classify": forms.ClassifyForm(
            initial={
                **v,
                "petition_class": petition.petition_class
                if petition.petition_class != PetitionClass.UNCLASSIFIED
                else petition.declared_class
                if petition.declared_class != PetitionClass.UNCLASSIFIED
                else "",
                "matter": petition.matter,
                "topic": petition.topic,
                "summary": petition.summary,
                "admissible": "1" if petition.is_admissible is not False else "0",
                "reasons": petition.not_handled_reasons,
                "note": petition.not_handled_note,
                "complexity": petition.complexity,
                "remote_area": petition.remote_area,
                "signer_count": petition.signer_count,
                "representative_count": petition.representative_count,
            },
            people=visible_people,
            units=visible_units,
        ),
        "split": forms.SplitForm(initial=v),
        "transfer": forms.TransferForm(
            initial={**v, "slip_date": day}, units=_transfer_units(request.user, petition)
        ),
        "receipt": forms.ReceiptForm(initial={**v, "received_on": day}),
        "accept": forms.AcceptForm(
            initial={
                **v,
                "accepted_on": day,
                "handler": request.user.pk
                if handlers.filter(pk=request.user.pk).exists()
                else None,
            },
            handlers=handlers,
        ),
        "assign": forms.AssignForm(
            initial={**v, "handler": petition.handler_id}, handlers=handlers
        ),
        "extend": forms.ExtendForm(initial={**v, "decided_on": day}),
        "suspend": forms.SuspendForm(initial={**v, "start": day}),
        "conclude": forms.ConcludeForm(initial={**v, "concluded_on": day}),
        "answer": forms.AnswerForm(initial={**v, "answered_on": day, "text": petition.answer_text}),
        "withdraw": forms.WithdrawForm(initial={**v, "on": day}),
        "link": forms.LinkForm(
            kinds=[(k.value, k.label) for k in (LinkKind.GAVE_RISE_TO, LinkKind.INFORMATION_FOR)],
            types=_link_types(),
        ),
        "grant": forms.GrantRequestForm(),
        "hot_spot": forms.ReasonForm(),
    }


def _detail(
    request: HttpRequest,
    petition: Petition,
    *,
    bound: dict[str, object] | None = None,
    open_action: str = "",
    status: int = 200,
) -> HttpResponse:
    day = today()
    can_handle = access.can_handle(request.user, petition)
    action_forms = _forms(request, petition) if can_handle else {}
    if bound:
        action_forms.update(bound)
    for name, form in action_forms.items():
        form.auto_id = f"{name}-%s"  # several forms on one page: unique ids for the labels
    explanation = petition.explanation()
    process = petition.process_explanation_obj()
    my_grants = petition.grants.filter(grantee=request.user).order_by("-requested_at")
    state = petition.deadline_state(day)
    context = {
        "petition": petition,
        "state": str(state or ""),
        "state_label": str(STATE_LABELS[state]) if state else "",
        "explanation": explanation.lines() if explanation else [],
        "process_lines": process.lines() if process else [],
        "process_state": _process_state(petition, day),
        "transfers": petition.transfers.select_related("from_unit", "to_unit"),
        "extensions": petition.extensions.all(),
        "suspensions": petition.suspensions.all(),
        "events": petition.events.select_related("actor"),
        "follow_ups": petition.follow_ups.all(),
        "attachments": attachments_of(petition),
        "links": _links(request.user, petition),
        "contents": access.petitions_for(request.user).filter(parent=petition),
        "alerts": access.alerts_for(request.user).filter(petitions=petition),
        "subject_people": petition.subject_people.all(),
        "subject_units": petition.subject_units.all(),
        "can_handle": can_handle,
        "forms": action_forms,
        "open_action": open_action,
        "my_grants": my_grants,
        "active_grant": services.active_grant(request.user, petition),
        "can_decide": services.can_decide_grants(request.user, petition),
        "pending_grants": petition.grants.filter(status=GrantStatus.REQUESTED).count(),
        "suggested": _suggested(petition),
        "representative_warning": _representatives_warning(petition),
    }
    response = render(request, "petitions/detail.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _process_state(petition: Petition, day: dt.date) -> str:
    """Where the processing deadline (classify and route) stands: done on the day the letter
    was classified, transferred or accepted."""
    from giamsat.core.deadlines import state_of

    if petition.process_due_on is None:
        return ""
    done = [d for d in (petition.classified_on, petition.accepted_on, petition.closed_on) if d]
    first_slip = (
        petition.transfers.order_by("slip_date").values_list("slip_date", flat=True).first()
    )
    if first_slip:
        done.append(first_slip)
    state = state_of(petition.process_due_on, day, done_on=min(done) if done else None)
    return str(STATE_LABELS[state])


def _suggested(petition: Petition) -> list[str]:
    from giamsat.petitions.models import NotHandledReason
    from giamsat.petitions.rules import IntakeFacts, suggested_reasons

    facts = IntakeFacts(
        petition_class=petition.petition_class
        if petition.petition_class != PetitionClass.UNCLASSIFIED
        else petition.declared_class,
        has_name=not petition.is_anonymous,
        has_address=petition.identity_id is not None,
        signer_count=petition.signer_count,
        content_length=len(petition.content),
    )
    labels = dict(NotHandledReason.choices)
    return [str(labels[r]) for r in suggested_reasons(facts)]


def _representatives_warning(petition: Petition) -> str:
    from giamsat.petitions.rules import representative_problem

    problem = representative_problem(petition.signer_count, petition.representative_count)
    return {
        None: "",
        "no_representatives": _(
            "A letter signed by 5 or more people should name its representatives "
            "(Nghị định 124/2020/NĐ-CP Điều 6)."
        ),
        "too_many_for_5_to_10": _(
            "5 to 10 signers choose at most 2 representatives (Nghị định 124/2020/NĐ-CP Điều 6)."
        ),
        "more_than_5": _("At most 5 representatives (Nghị định 124/2020/NĐ-CP Điều 6)."),
    }[problem]


@login_required
@never_cache
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    petition = access.get_petition_or_404(request.user, pk)
    record_access(
        actor=request.user, kind=AccessKind.READ, obj=petition, unit=petition.unit, request=request
    )
    return _detail(request, petition)


def _conflict_message(exc: ConcurrentEditError) -> str:
    return _(
        "Someone else changed this petition while you were working on it (you started from "
        "version %(mine)d, it is now version %(now)s). Nothing was saved: your input is kept "
        "below — check the current record and submit again."
    ) % {"mine": exc.expected, "now": exc.actual}


def _action(
    request: HttpRequest,
    pk: int,
    name: str,
    form_class,
    run,
    *,
    success: str,
    form_kwargs=None,
) -> HttpResponse:
    """The common shape of an action: check access, validate, call the service, report."""
    petition = access.get_petition_or_404(request.user, pk, Cap.HANDLE_PETITIONS)
    kwargs = form_kwargs(petition) if form_kwargs else {}
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        try:
            run(petition, form.cleaned_data)
        except ConcurrentEditError as exc:
            messages.error(request, _conflict_message(exc))
            fresh = access.get_petition_or_404(request.user, pk)
            return _detail(request, fresh, bound={name: form}, open_action=name, status=409)
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, success)
            return redirect(petition.get_absolute_url())
    return _detail(request, petition, bound={name: form}, open_action=name, status=400)


def _version(data) -> int:
    return data["version"]


@login_required
@require_POST
def classify(request: HttpRequest, pk: int) -> HttpResponse:
    def run(petition, data):
        services.classify(
            petition=petition,
            acting_user=request.user,
            expected_version=_version(data),
            petition_class=data["petition_class"],
            matter=data["matter"],
            admissible=data["admissible"],
            reasons=data["reasons"],
            note=data["note"],
            topic=data["topic"],
            summary=data["summary"],
            subject_people=list(data["subject_people"]),
            subject_units=list(data["subject_units"]),
            complexity=data["complexity"],
            remote_area=data["remote_area"],
            signer_count=data["signer_count"],
            representative_count=data["representative_count"],
        )

    return _action(
        request,
        pk,
        "classify",
        forms.ClassifyForm,
        run,
        success=_("The letter is classified."),
        form_kwargs=lambda p: {
            "people": Person.objects.visible_to(request.user, Cap.VIEW_PETITIONS),
            "units": Unit.objects.filter(scope_q(request.user, Cap.VIEW_PETITIONS)),
        },
    )


@login_required
@require_POST
def split(request: HttpRequest, pk: int) -> HttpResponse:
    def run(petition, data):
        form = forms.SplitForm(request.POST)
        form.is_valid()
        services.split_contents(
            petition=petition,
            acting_user=request.user,
            expected_version=_version(data),
            contents=form.contents(),
        )

    return _action(
        request, pk, "split", forms.SplitForm, run, success=_("The letter is split by content.")
    )


@login_required
@require_POST
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    def run(petition, data):
        services.transfer(
            petition=petition,
            acting_user=request.user,
            expected_version=_version(data),
            to_unit=data["to_unit"],
            to_body=data["to_body"],
            slip_number=data["slip_number"],
            slip_date=data["slip_date"],
            reason=data["reason"],
        )

    return _action(
        request,
        pk,
        "transfer",
        forms.TransferForm,
        run,
        success=_("The letter is transferred."),
        form_kwargs=lambda p: {"units": _transfer_units(request.user, p)},
    )


@login_required
@require_POST
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    def run(petition, data):
        services.confirm_transfer_receipt(
            petition=petition,
            acting_user=request.user,
            expected_version=_version(data),
            received_on=data["received_on"],
        )

    return _action(request, pk, "receipt", forms.ReceiptForm, run, success=_("Receipt recorded."))


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    def run(petition, data):
        services.accept(
            petition=petition,
            acting_user=request.user,
            expected_version=_version(data),
            accepted_on=data["accepted_on"],
            handler=data["handler"],
        )

    return _action(
        request,
        pk,
        "accept",
        forms.AcceptForm,
        run,
        success=_("The letter is accepted for handling; the time limit runs."),
        form_kwargs=lambda p: {"handlers": _handlers(p)},
    )


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    def run(petition, data):
        services.assign_handler(
            petition=petition,
            acting_user=request.user,
            expected_version=_version(data),
            handler=data["handler"],
        )

    return _action(
        request,
        pk,
        "assign",
        forms.AssignForm,
        run,
        success=_("Handler assigned."),
        form_kwargs=lambda p: {"handlers": _handlers(p)},
    )


@login_required
@require_POST
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    def run(petition, data):
        services.extend(
            petition=petition,
            acting_user=request.user,
            expected_version=_version(data),
            days=data["days"],
            decided_on=data["decided_on"],
            reason=data["reason"],
            decision_ref=data["decision_ref"],
        )

    return _action(request, pk, "extend", forms.ExtendForm, run, success=_("Time limit extended."))


@login_required
@require_POST
def suspend(request: HttpRequest, pk: int) -> HttpResponse:
    def run(petition, data):
        services.suspend(
            petition=petition,
            acting_user=request.user,
            expected_version=_version(data),
            start=data["start"],
            end=data["end"],
            reason=data["reason"],
        )

    return _action(
        request, pk, "suspend", forms.SuspendForm, run, success=_("Suspension recorded.")
    )


@login_required
@require_POST
def conclude(request: HttpRequest, pk: int) -> HttpResponse:
    def run(petition, data):
        services.conclude(
            petition=petition,
            acting_user=request.user,
            expected_version=_version(data),
            concluded_on=data["concluded_on"],
            outcome=data["outcome"],
            conclusion=data["conclusion"],
        )

    return _action(
        request, pk, "conclude", forms.ConcludeForm, run, success=_("Conclusion recorded.")
    )


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    def run(petition, data):
        services.answer(
            petition=petition,
            acting_user=request.user,
            expected_version=_version(data),
            answered_on=data["answered_on"],
            text=data["text"],
        )

    return _action(
        request,
        pk,
        "answer",
        forms.AnswerForm,
        run,
        success=_("Answer recorded: the petitioner reads it with the receipt code."),
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    def run(petition, data):
        services.withdraw(
            petition=petition,
            acting_user=request.user,
            expected_version=_version(data),
            on=data["on"],
            note=data["note"],
        )

    return _action(
        request, pk, "withdraw", forms.WithdrawForm, run, success=_("Withdrawal recorded.")
    )


@login_required
@require_POST
def link(request: HttpRequest, pk: int) -> HttpResponse:
    def run(petition, data):
        app_label, _dot, model = data["target_type"].partition(".")
        ct = ContentType.objects.filter(app_label=app_label, model=model).first()
        model_class = ct.model_class() if ct else None
        target = (
            model_class._base_manager.filter(pk=data["target_id"]).first() if model_class else None
        )
        if target is None:
            raise ValidationError(_("No record with this number."))
        services.link_case(
            petition=petition,
            acting_user=request.user,
            target=target,
            kind=data["kind"],
            note=data["note"],
        )

    return _action(
        request,
        pk,
        "link",
        forms.LinkForm,
        run,
        success=_("Link recorded."),
        form_kwargs=lambda p: {
            "kinds": [
                (k.value, k.label) for k in (LinkKind.GAVE_RISE_TO, LinkKind.INFORMATION_FOR)
            ],
            "types": _link_types(),
        },
    )


@login_required
@require_POST
def mark_hot_spot(request: HttpRequest, pk: int) -> HttpResponse:
    def run(petition, data):
        services.mark_petition_hot_spot(
            petition=petition, acting_user=request.user, reason=data["reason"]
        )

    return _action(
        request, pk, "hot_spot", forms.ReasonForm, run, success=_("Marked as a hot spot.")
    )


@login_required
def subject_search(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: people and units matching a search, as checkboxes for the classification form."""
    access.get_petition_or_404(request.user, pk, Cap.HANDLE_PETITIONS)
    text = request.GET.get("subject_q", "").strip()[:100]
    people = units = []
    if len(text) >= 2:
        people = list(
            Person.objects.visible_to(request.user, Cap.VIEW_PETITIONS).search(text).order_vi()[:15]
        )
        units = list(
            Unit.objects.filter(scope_q(request.user, Cap.VIEW_PETITIONS))
            .search(text)
            .order_vi()[:15]
        )
    return render(
        request, "petitions/_subject_results.html", {"people": people, "units": units, "q": text}
    )
