"""Login (password, then TOTP for roles that require it), logout, profile and API tokens."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from giamsat.accounts.api_auth import issue_token
from giamsat.accounts.models import ApiToken
from giamsat.accounts.scoping import active_roles, requires_2fa
from giamsat.audit import signals as audit_signals
from giamsat.audit.models import AccessKind
from giamsat.audit.services import record_access


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The page shown after too many failed logins (django-axes ``AXES_LOCKOUT_CALLABLE``)."""
    minutes = max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))
    context = {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "accounts/locked_out.html", context, status=429)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return "/"


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Verify a TOTP code; a user without a confirmed device enrols one first."""
    user = request.user
    if user.is_verified():
        return redirect(_safe_next(request))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    error = ""
    if request.method == "POST":
        code = request.POST.get("code", "").strip().replace(" ", "")
        allowed, throttle = device.verify_is_allowed()
        if allowed and code.isdigit() and device.verify_token(code):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            record_access(
                actor=user,
                kind=AccessKind.LOGIN,
                obj=user,
                reason=audit_signals.REASON_SECOND_FACTOR,
                request=request,
            )
            return redirect(_safe_next(request))
        record_access(
            actor=None,
            actor_name=user.get_username(),
            kind=AccessKind.LOGIN_FAILED,
            obj=user,
            reason=audit_signals.REASON_WRONG_CODE,
            request=request,
        )
        if not allowed and throttle and throttle.get("locked_until"):
            error = _(
                "Too many wrong codes: wait %(seconds)d seconds, then enter the code your "
                "authenticator shows at that moment."
            ) % {
                "seconds": max(1, int((throttle["locked_until"] - timezone.now()).total_seconds()))
            }
        else:
            error = _(
                "The code is wrong or has expired. Enter the 6 digits your authenticator shows now."
            )
    context = {
        "enrolling": enrolling,
        "error": error,
        "next": _safe_next(request),
        "qr": _qr_data_uri(device.config_url) if enrolling else "",
        "secret": base64.b32encode(device.bin_key).decode() if enrolling else "",
    }
    return render(request, "accounts/two_factor.html", context)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    context = {
        "roles": active_roles(request.user),
        "needs_2fa": requires_2fa(request.user),
        "devices": TOTPDevice.objects.filter(user=request.user, confirmed=True),
        "tokens": ApiToken.objects.filter(user=request.user, revoked=False).order_by("-created_at"),
        "new_token": request.session.pop("new_api_token", ""),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def create_token(request: HttpRequest) -> HttpResponse:
    name = request.POST.get("name", "").strip()[:100] or _("API client")
    _token, clear = issue_token(user=request.user, name=name)
    request.session["new_api_token"] = clear
    messages.success(request, _("Token created. Copy it now: it will not be shown again."))
    return redirect("accounts:profile")


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoked = True
    token.save(update_fields=["revoked"])
    messages.success(request, _("Token revoked."))
    return redirect("accounts:profile")
