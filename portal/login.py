"""Log-in with a limit on failed attempts, counted in Django's cache.

After LOGIN_FAILURE_LIMIT failed attempts for one username from one address within
LOGIN_FAILURE_WINDOW seconds, that username is refused from that address (HTTP 429, the form
with a message) until the window has passed, without checking the password. A successful
log-in clears the count. The window starts at the first failure (a fixed window).
"""

import hashlib
import logging

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.utils.translation import ngettext

logger = logging.getLogger("portal.security")


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


def _key(request, username):
    raw = f"{username.strip().casefold()}|{client_address(request)}"
    return "login-failures:" + hashlib.sha256(raw.encode()).hexdigest()


def failures(request, username):
    return cache.get(_key(request, username), 0)


def is_blocked(request, username):
    return failures(request, username) >= settings.LOGIN_FAILURE_LIMIT


def record_failure(request, username):
    key = _key(request, username)
    cache.add(key, 0, timeout=settings.LOGIN_FAILURE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW)
        count = 1
    if count == settings.LOGIN_FAILURE_LIMIT:
        logger.warning(
            "Log-in blocked after %d failures for a username from %s",
            count,
            client_address(request),
        )
    return count


def clear_failures(request, username):
    cache.delete(_key(request, username))


class RateLimitedAuthenticationForm(AuthenticationForm):
    def blocked_message(self):
        minutes = max(1, settings.LOGIN_FAILURE_WINDOW // 60)
        return ngettext(
            "Too many failed log-in attempts. Wait %(minutes)d minute and try again.",
            "Too many failed log-in attempts. Wait %(minutes)d minutes and try again.",
            minutes,
        ) % {"minutes": minutes}

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        self.blocked = bool(username) and is_blocked(self.request, username)
        if self.blocked:
            raise forms.ValidationError(self.blocked_message(), code="too_many_attempts")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username and record_failure(self.request, username) >= (
                settings.LOGIN_FAILURE_LIMIT
            ):
                self.blocked = True
                raise forms.ValidationError(
                    self.blocked_message(), code="too_many_attempts"
                ) from None
            raise
        clear_failures(self.request, username)
        return cleaned


class RateLimitedLoginView(LoginView):
    authentication_form = RateLimitedAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(form, "blocked", False):
            response.status_code = 429
        return response
