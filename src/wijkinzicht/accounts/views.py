"""Login's second step, two-factor set-up, the account page with API keys, password pages, lockout."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from . import services
from .forms import ApiKeyForm, CodeForm, SetupCodeForm
from .models import ApiToken
from .policy import two_factor_required


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def verify(request):
    """Second login step: a code from the authenticator app or a recovery code."""
    if not request.user.is_authenticated:
        return redirect("login")
    if not services.has_two_factor(request.user):
        return redirect(f"{reverse('accounts:setup')}?{urlencode({'next': _next(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.two_factor_verify(user=request.user, code=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            request.session.cycle_key()
            return redirect(_next(request))
        form.add_error("code", _("This code is not right (or too many tries: wait a moment and try again)."))
    return render(request, "accounts/verify.html", {"form": form, "next": _next(request)})


def setup(request):
    """Add an authenticator app: QR code and key, confirmed with a code; then the recovery codes."""
    if not request.user.is_authenticated:
        return redirect("login")
    if services.has_two_factor(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': _next(request)})}")
    device = services.totp_device_pending(user=request.user)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = services.totp_confirm(user=request.user, code=form.cleaned_data["code"])
        if confirmed is not None:
            device, codes = confirmed
            otp_login(request, device)
            request.session.cycle_key()
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error(
            "code", _("This code is not right. Check the time on your phone and try the next code.")
        )
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/setup.html", {
        "form": form,
        "next": _next(request),
        "qr": segno.make(device.config_url, error="m").svg_inline(
            scale=4, title=_("QR code to add Wijkinzicht to an authenticator app")),
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "required": two_factor_required(request.user),
    })


def account(request):
    """The user's own account: two factors, recovery codes, API keys, password."""
    new_key = None
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.api_token_issue(user=request.user, name=form.cleaned_data["name"])
        form = ApiKeyForm()  # an empty form for the next key
    return render(request, "accounts/account.html", {
        "has_two_factor": services.has_two_factor(request.user),
        "required": two_factor_required(request.user),
        "tokens": ApiToken.objects.filter(user=request.user),
        "form": form,
        "new_key": new_key,
        "key_days": settings.API_TOKEN_DAYS,
    })


@require_POST
def token_revoke(request, pk: int):
    services.api_token_revoke(user=request.user, pk=pk)
    messages.success(request, _("The API key was revoked."))
    return redirect("accounts:account")


@require_POST
def recovery_codes(request):
    if not services.has_two_factor(request.user):
        return redirect("accounts:setup")
    codes = services.recovery_codes_renew(user=request.user)
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("accounts:account")}
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.api_tokens_void_for(self.request.user)
        messages.success(self.request, _("Your password was changed. Your API keys no longer work."))
        return response


@login_not_required
def password_reset(request, *args, **kwargs):
    return auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done"),
    )(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.api_tokens_void_for(form.user)
        return response


def locked_out(request, response=None, credentials=None, *args, **kwargs):
    """django-axes' answer after too many failed logins: 429 with the cool-off period."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path.startswith("/api/"):
        from wijkinzicht.core.api import problem_http_response

        problem = problem_http_response(
            429, _("Too many failed logins"),
            _("This account is locked for %(minutes)d minutes after too many failed logins.")
            % {"minutes": minutes},
        )
        problem["Retry-After"] = str(minutes * 60)
        return problem
    html = render_to_string("accounts/locked.html", {"minutes": minutes}, request=request)
    result = HttpResponse(html, status=429)
    result["Retry-After"] = str(minutes * 60)
    return result
