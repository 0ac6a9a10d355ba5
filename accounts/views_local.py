"""Log-in by password: the demo's way in and the fallback an administrator can turn off
(LOCAL_LOGIN_ENABLED), with a second factor (TOTP, django-otp) for case officers and
administrators (LOCAL_LOGIN_OTP).

After a right password such a person is not logged in yet: the session holds who they are
for a few minutes, and the log-in happens after the one-time code (or, the first time, after
the authenticator app has been set up with a code from it).
"""

import time
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnerships.models import CountyOffice
from portal.login import RateLimitedLoginView

from . import providers
from .forms import OneTimeCodeForm

PENDING_KEY = "accounts_second_factor"
PENDING_SECONDS = 300
DEVICE_NAME = "Kompetanseportalen"


def needs_second_factor(user):
    if not settings.LOCAL_LOGIN_OTP:
        return False
    return user.is_superuser or user.is_staff or CountyOffice.objects.editable_by(user).exists()


class LocalLoginView(RateLimitedLoginView):
    """The log-in page: the providers' buttons, and the password form while it is on."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["local_login_enabled"] = settings.LOCAL_LOGIN_ENABLED
        context["providers"] = providers.configured()
        return context

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_LOGIN_ENABLED:
            response = self.get(request, *args, **kwargs)
            response.status_code = 403
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        if not needs_second_factor(user):
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "until": time.time() + PENDING_SECONDS,
        }
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            return redirect("accounts:otp_verify")
        return redirect("accounts:otp_enrol")


def _pending(request):
    """(user, pending data) of a right password waiting for its code, or (None, None)."""
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict) or data.get("until", 0) < time.time():
        return None, None
    user = get_user_model().objects.filter(pk=data.get("user"), is_active=True).first()
    return (user, data) if user else (None, None)


def _finish(request, user, data):
    request.session.pop(PENDING_KEY, None)
    login(request, user, backend=data["backend"])
    return redirect(data.get("next") or settings.LOGIN_REDIRECT_URL)


@login_not_required
@never_cache
@csrf_protect
@sensitive_post_parameters("code")
def otp_verify(request):
    user, data = _pending(request)
    if user is None:
        return redirect("login")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect("accounts:otp_enrol")
    form = OneTimeCodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        return _finish(request, user, data)
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_not_required
@never_cache
@csrf_protect
@sensitive_post_parameters("code")
def otp_enrol(request):
    """First log-in of an officer or administrator: scan the code (or type the key) into an
    authenticator app, then give one code from it."""
    user, data = _pending(request)
    if user is None:
        return redirect("login")
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:otp_verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    form = OneTimeCodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return _finish(request, user, data)
    secret = b32encode(device.bin_key).decode().rstrip("=")
    context = {
        "form": form,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=5),
    }
    return render(request, "accounts/otp_enrol.html", context)
