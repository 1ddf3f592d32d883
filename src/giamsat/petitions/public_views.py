"""The citizens' hotline (Đường dây nóng): no login, phone-friendly, rate-limited and
size-limited on every endpoint.

What a citizen sends is stored without their address: no IP in the database, client
addresses only as keyed hashes in the rate-limit cache, identity sealed, receipt code hashed.
The receipt code never travels in a URL (forms are POSTed), pages are not cached, and POST
bodies are hidden from Django's error reports (``sensitive_post_parameters``).
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from giamsat.core.dates import today
from giamsat.core.deadlines import DeadlineState
from giamsat.petitions import ratelimit, receipts
from giamsat.petitions.forms import FollowUpForm, HotlineForm, LookupForm
from giamsat.petitions.models import Channel, EventKind, Petition, Status
from giamsat.petitions.services import NewPetition, PetitionError, add_follow_up, submit_hotline
from giamsat.units.models import Unit, UnitKind

HOUR = 3600


def hotline_units() -> list[Unit]:
    """The bodies the public form offers (``GIAMSAT_HOTLINE_UNITS``, else provincial ones)."""
    units = Unit.objects.valid_on(today())
    codes = settings.GIAMSAT_HOTLINE_UNITS
    if codes:
        found = {u.code: u for u in units.filter(code__in=codes)}
        return [found[c] for c in codes if c in found]
    found = units.filter(kind__in=[UnitKind.UNDER_CENTRE, UnitKind.CENTRAL_COMMITTEE])
    # Provincial organisations first: most letters belong there, not at the Centre.
    return sorted(found, key=lambda u: (u.kind != UnitKind.UNDER_CENTRE, u.name_sort))


def _limits(request: HttpRequest, action: str) -> list[ratelimit.Limit]:
    limits = [ratelimit.Limit("page", settings.GIAMSAT_HOTLINE_PAGES_PER_MINUTE, 60)]
    if request.method == "POST":
        per_hour, global_per_hour = {
            "submit": (
                settings.GIAMSAT_HOTLINE_SUBMITS_PER_HOUR,
                settings.GIAMSAT_HOTLINE_GLOBAL_SUBMITS_PER_HOUR,
            ),
            "lookup": (
                settings.GIAMSAT_HOTLINE_LOOKUPS_PER_HOUR,
                settings.GIAMSAT_HOTLINE_GLOBAL_LOOKUPS_PER_HOUR,
            ),
            "follow_up": (
                settings.GIAMSAT_HOTLINE_FOLLOWUPS_PER_HOUR,
                settings.GIAMSAT_HOTLINE_GLOBAL_SUBMITS_PER_HOUR,
            ),
        }[action]
        limits.append(ratelimit.Limit(action, per_hour, HOUR))
        limits.append(ratelimit.Limit(f"{action}-all", global_per_hour, HOUR, per_client=False))
    return limits


def public_endpoint(action: str):
    """Rate limit, size limit, CSRF (after the size check), no caching, same-origin referrer."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            wait = ratelimit.first_exceeded(request, _limits(request, action))
            if wait is not None:
                minutes = max(1, (wait + 59) // 60)
                response = render(
                    request, "petitions/public/limited.html", {"minutes": minutes}, status=429
                )
                response["Retry-After"] = str(wait)
            elif request.method == "POST" and _too_large(request):
                response = render(
                    request,
                    "petitions/public/too_large.html",
                    {"limit": settings.GIAMSAT_HOTLINE_MAX_REQUEST_MB},
                    status=413,
                )
            else:
                refused = None
                if request.method == "POST":
                    refused = CsrfViewMiddleware(lambda r: HttpResponse()).process_view(
                        request, None, (), {}
                    )
                response = refused or view(request, *args, **kwargs)
            response["Referrer-Policy"] = "same-origin"
            response["X-Robots-Tag"] = "noindex, nofollow"
            return response

        # Checked by hand after the size limit, so a huge body is refused before it is parsed.
        return csrf_exempt(never_cache(sensitive_post_parameters()(wrapper)))

    return decorator


def _too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > settings.GIAMSAT_HOTLINE_MAX_REQUEST_MB * 1024 * 1024


@public_endpoint("submit")
@sensitive_variables()
def home(request: HttpRequest) -> HttpResponse:
    """The hotline form; on submit, the receipt page (shown once) with the receipt code."""
    units = hotline_units()
    if request.method == "POST":
        form = HotlineForm(request.POST, request.FILES, units=units)
        if form.is_valid():
            data = form.cleaned_data
            spec = NewPetition(
                unit=data["unit"],
                channel=Channel.HOTLINE_WEB,
                content=data["content"],
                received_on=today(),
                declared_class=data["declared_class"],
                subject_text=data.get("subject_text", ""),
                place=data.get("place", ""),
                topic=data.get("topic", ""),
                signer_count=data["signer_count"],
                identity=form.identity(),
            )
            try:
                petition, code = submit_hotline(spec=spec, files=data["files"])
            except PetitionError as exc:
                form.add_error(None, exc)
            else:
                context = {
                    "code": receipts.format_code(code),
                    "unit": petition.unit,
                    "received_on": petition.received_on,
                    "anonymous": petition.is_anonymous,
                }
                return render(request, "petitions/public/receipt.html", context)
    else:
        form = HotlineForm(units=units)
    return render(request, "petitions/public/home.html", {"form": form, "configured": bool(units)})


PUBLIC_STATUS = {
    Status.RECEIVED: "received",
    Status.AWAITING_RECEIPT: "transferred",
    Status.IN_HANDLING: "in_handling",
    Status.CONCLUDED: "concluded",
    Status.ANSWERED: "answered",
    Status.NOT_HANDLED: "not_handled",
    Status.TRANSFERRED_OUT: "transferred_out",
    Status.WITHDRAWN: "withdrawn",
    Status.SPLIT: "split",
}


# Public events whose note the petitioner may read (where the letter went, why it is not
# handled, how long an extension is); other notes are internal.
PUBLIC_NOTES = (EventKind.TRANSFERRED, EventKind.NOT_HANDLED, EventKind.EXTENDED)


def _status_context(petition: Petition) -> dict:
    state = petition.deadline_state(today())
    events = [
        (e.day, e.get_kind_display(), e.note if e.kind in PUBLIC_NOTES else "")
        for e in petition.events.filter(public=True).order_by("day", "at")
    ]
    contents = [
        {
            "public_status": PUBLIC_STATUS[Status(child.status)],
            "answer": child.answer_text,
            "answered_on": child.answered_on,
        }
        for child in petition.contents.order_by("pk")
    ]
    return {
        "petition": petition,
        "public_status": PUBLIC_STATUS[Status(petition.status)],
        "events": events,
        "contents": contents,
        "follow_ups": petition.follow_ups.count(),
        "due_on": petition.due_on if petition.status == Status.IN_HANDLING else None,
        "late": state in (DeadlineState.OVERDUE, DeadlineState.LONG_OVERDUE),
    }


def _find(code_text: str) -> Petition | None:
    code = receipts.normalise(code_text)
    if code is None:
        return None
    return (
        Petition.objects.filter(receipt_hash=receipts.hash_code(code))
        .select_related("unit")
        .first()
    )


@public_endpoint("lookup")
@sensitive_variables()
def status(request: HttpRequest) -> HttpResponse:
    """Read the status and the answer with the receipt code (POSTed, never in the URL)."""
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        petition = _find(form.cleaned_data["code"])
        if petition is not None:
            context = _status_context(petition)
            context["follow_form"] = FollowUpForm(initial={"code": form.cleaned_data["code"]})
            return render(request, "petitions/public/status.html", context)
        # Same answer for a malformed and an unknown code: nothing to learn by probing.
        form.add_error("code", _("No letter has this receipt code. Check the digits."))
    return render(request, "petitions/public/lookup.html", {"form": form})


@public_endpoint("follow_up")
@sensitive_variables()
def follow_up(request: HttpRequest) -> HttpResponse:
    """Add information to a letter with its receipt code."""
    if request.method != "POST":
        return render(request, "petitions/public/lookup.html", {"form": LookupForm()})
    form = FollowUpForm(request.POST, request.FILES)
    petition = _find(request.POST.get("code", ""))
    if petition is None:
        return render(
            request, "petitions/public/lookup.html", {"form": LookupForm(), "not_found": True}
        )
    saved = False
    if form.is_valid():
        try:
            add_follow_up(
                petition=petition, text=form.cleaned_data["text"], files=form.cleaned_data["files"]
            )
            saved = True
        except PetitionError as exc:
            form.add_error(None, exc)
    context = _status_context(petition)
    context["follow_form"] = (
        FollowUpForm(initial={"code": request.POST.get("code", "")}) if saved else form
    )
    context["saved"] = saved
    return render(request, "petitions/public/status.html", context)
