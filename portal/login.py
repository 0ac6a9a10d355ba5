"""Log-in with a limit on failed attempts (django-axes), and password reset with a limit on mails.

After LOGIN_FAILURE_LIMIT failed attempts for one username from one address, that username is
refused from that address (HTTP 429, the form with a message) for LOGIN_FAILURE_WINDOW
seconds, without checking the password. django-axes keeps the count in the database
(AccessAttempt), so every worker sees one count and a restart forgets nothing. A successful
log-in clears it, and so does a successful password reset (for every address). The page warns
when one attempt is left.

A password-reset mail goes out at most PASSWORD_RESET_LIMIT times per e-mail address per hour.
Requests are counted whether or not the address belongs to anyone, so the answer (the same
for every address) reveals nothing.
"""

import hashlib
import logging
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials
from axes.utils import reset as axes_reset
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.views import LoginView, PasswordResetConfirmView, PasswordResetView
from django.db import transaction
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import PasswordResetRequest
from .tasks import queue_mail

logger = logging.getLogger("portal.security")


# django-axes' hooks (named in settings) -----------------------------------------------------


def client_address(request):
    """The client's IP address: REMOTE_ADDR, or behind a trusted proxy the last address in
    the header named by CLIENT_IP_HEADER (the one our own proxy added)."""
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header:
        forwarded = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR", "")


def normalise_username(username):
    return (username or "").strip().casefold()


def axes_username(request, credentials):
    """Usernames count case-insensitively and without surrounding spaces."""
    source = credentials if credentials is not None else request.POST
    # No username is longer than the user model's 150 characters; axes stores at most 255.
    return normalise_username(source.get("username"))[:150]


def failure_limit(request, credentials):
    return settings.LOGIN_FAILURE_LIMIT


def cool_off(request=None):
    return timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)


def lockout_response(request, original_response=None, credentials=None):
    """django-axes locked the username out at this attempt: show the log-in page (429)."""
    return RateLimitedLoginView.as_view()(request)


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check before any password is checked. A log-in without a request (code
    such as `Client.login` in tests, never a page) has no address to count, so it is let
    through to the next backend instead of raising."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lift_lock(user):
    """Forget the failed attempts for a user's username, from every address."""
    return axes_reset(username=normalise_username(user.get_username()))


# Log-in --------------------------------------------------------------------------------------


def _minutes():
    return max(1, settings.LOGIN_FAILURE_WINDOW // 60)


class RateLimitedAuthenticationForm(AuthenticationForm):
    def blocked_message(self):
        minutes = _minutes()
        return ngettext(
            "Too many failed log-in attempts. Wait %(minutes)d minute and try again.",
            "Too many failed log-in attempts. Wait %(minutes)d minutes and try again.",
            minutes,
        ) % {"minutes": minutes}

    def last_attempt_message(self):
        minutes = _minutes()
        return ngettext(
            "You have one attempt left. After one more wrong password, log-in with this "
            "username is closed for %(minutes)d minute.",
            "You have one attempt left. After one more wrong password, log-in with this "
            "username is closed for %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}

    def _credentials(self, username):
        return get_credentials(username)

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        credentials = self._credentials(username)
        self.blocked = bool(username) and AxesProxyHandler.is_locked(self.request, credentials)
        if self.blocked:
            raise forms.ValidationError(self.blocked_message(), code="too_many_attempts")
        try:
            return super().clean()  # django-axes counts a failure through its signal
        except forms.ValidationError as error:
            if not username:
                raise
            if AxesProxyHandler.is_locked(self.request, credentials):
                self.blocked = True
                logger.warning("Log-in locked for a username from %s", client_address(self.request))
                raise forms.ValidationError(
                    self.blocked_message(), code="too_many_attempts"
                ) from None
            failures = AxesProxyHandler.get_failures(self.request, credentials)
            if failures == settings.LOGIN_FAILURE_LIMIT - 1:
                raise forms.ValidationError(
                    [*error.error_list, forms.ValidationError(self.last_attempt_message())]
                ) from None
            raise


class RateLimitedLoginView(LoginView):
    authentication_form = RateLimitedAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(form, "blocked", False):
            response.status_code = 429
        # django-axes has answered this request through us already.
        self.request.axes_locked_out = False
        return response


# Password reset ------------------------------------------------------------------------------


def _address_digest(email):
    return hashlib.sha256(email.strip().casefold().encode()).hexdigest()


class LimitedPasswordResetForm(PasswordResetForm):
    """Django's reset form with a limit per address, mail through the task queue."""

    too_many = _(
        "Several links have been requested for this address in the last hour. Wait an hour "
        "and try again, or use the newest link you received."
    )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = loader.render_to_string(subject_template_name, context)
        body = loader.render_to_string(email_template_name, context)
        html_body = (
            loader.render_to_string(html_email_template_name, context)
            if html_email_template_name
            else ""
        )
        queue_mail(
            subject=subject,
            body=body,
            to=[to_email],
            from_email=from_email or "",
            html_body=html_body,
        )


def reset_mail_allowed(email):
    """Count a reset request for this address; False when the hour's limit is reached."""
    digest = _address_digest(email)
    since = timezone.now() - timedelta(hours=1)
    with transaction.atomic():
        PasswordResetRequest.objects.filter(created_at__lt=since).delete()
        # One row lock per address (its first request this hour, if any) serialises
        # concurrent requests for it, so two workers never both pass the last free slot.
        recent = list(
            PasswordResetRequest.objects.select_for_update()
            .filter(address=digest, created_at__gte=since)
            .values_list("pk", flat=True)
        )
        if len(recent) >= settings.PASSWORD_RESET_LIMIT:
            return False
        PasswordResetRequest.objects.create(address=digest)
    return True


class LimitedPasswordResetView(PasswordResetView):
    form_class = LimitedPasswordResetForm

    def form_valid(self, form):
        if not reset_mail_allowed(form.cleaned_data["email"]):
            logger.warning(
                "Password-reset limit reached for an address from %s", client_address(self.request)
            )
            form.add_error(None, forms.ValidationError(form.too_many, code="too_many_requests"))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


class UnlockingPasswordResetConfirmView(PasswordResetConfirmView):
    """A new password set through a reset link also lifts a log-in lock on the username."""

    def form_valid(self, form):
        response = super().form_valid(form)
        lift_lock(form.user)
        return response
