"""Log-in through an OpenID Connect provider: start, callback, log-out, invitation links.

The start stores state, nonce and the PKCE verifier in the session under the state (with
mozilla-django-oidc's helper, plus the provider's name); the callback takes that entry out
once, so an answer is used at most once and only in the browser that asked for it.
"""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import get_random_string
from django.views.decorators.http import require_GET
from mozilla_django_oidc.utils import (
    add_state_and_verifier_and_nonce_to_session,
    generate_code_challenge,
)
from mozilla_django_oidc.views import get_next_url

from . import backends, providers, services
from .models import Invitation
from .oidc import ProviderClient
from .providers import LoginRefused

logger = logging.getLogger("portal.security")

INVITATION_KEY = "accounts_invitation"
LOGIN_KEY = "accounts_oidc_login"  # {"provider": slug, "id_token": …} for the log-out


def _provider_or_404(slug):
    provider = providers.get(slug)
    if provider is None:
        raise Http404
    return provider


@login_not_required
@require_GET
def oidc_start(request, provider):
    """Send the browser to the provider: authorization code flow with PKCE (S256)."""
    provider = _provider_or_404(provider)
    try:
        endpoint = provider.endpoint("authorization_endpoint")
    except LoginRefused as refusal:
        return refused(request, refusal.code, provider)
    state = get_random_string(32)
    verifier = get_random_string(64)
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": request.build_absolute_uri(reverse("accounts:oidc_callback")),
        "scope": provider.scopes,
        "state": state,
        "nonce": get_random_string(32),
        "code_challenge": generate_code_challenge(verifier, "S256"),
        "code_challenge_method": "S256",
        "ui_locales": translation.get_language() or settings.LANGUAGE_CODE,
    }
    if provider.acr_values:
        params["acr_values"] = provider.acr_values
    add_state_and_verifier_and_nonce_to_session(request, state, params, verifier)
    request.session["oidc_states"][state]["provider"] = provider.slug
    request.session["oidc_states"][state]["next"] = get_next_url(request, "next")
    request.session.modified = True
    return redirect(f"{endpoint}?{urlencode(params)}")


def refused(request, code, provider=None, status=400):
    logger.warning(
        "OpenID Connect log-in refused (%s) from %s",
        code,
        provider.slug if provider else "an unknown provider",
    )
    context = {"code": code, "provider": provider}
    return render(request, "accounts/oidc_refused.html", context, status=status)


@login_not_required
@require_GET
def oidc_callback(request):
    """The provider's answer: check it, find the account, log in (or say whom to ask)."""
    states = request.session.get("oidc_states")
    state = request.GET.get("state", "")
    entry = states.pop(state, None) if isinstance(states, dict) and state else None
    if entry is None:
        return refused(request, "state")
    request.session.modified = True
    provider = providers.get(entry.get("provider"))
    if provider is None:
        return refused(request, "unreachable")
    if request.GET.get("error"):
        return refused(request, "cancelled", provider)
    # RFC 9207: a provider that names itself in the answer must be the one we asked.
    if "iss" in request.GET and request.GET["iss"] != provider.issuer:
        return refused(request, "issuer", provider)
    try:
        client = ProviderClient(provider)
        claims, id_token = client.claims_for(
            request,
            code=request.GET.get("code", ""),
            code_verifier=entry.get("code_verifier"),
            nonce=entry.get("nonce"),
        )
    except LoginRefused as refusal:
        logger.info("OpenID Connect refusal detail: %s", refusal)
        return refused(request, refusal.code, provider)
    subject = claims.get(provider.subject_claim)
    if not subject or not isinstance(subject, str | int):
        return refused(request, "token", provider)
    user = services.user_for_login(
        provider=provider.slug,
        subject=str(subject),
        claims=claims,
        invitation_token=request.session.get(INVITATION_KEY, ""),
    )
    if user is None:
        logger.info("OpenID Connect log-in of an unknown person at %s", provider.slug)
        return render(request, "accounts/oidc_unknown.html", {"provider": provider}, status=403)
    login(request, user, backend=backends.PATH)
    request.session.pop(INVITATION_KEY, None)
    request.session[LOGIN_KEY] = {"provider": provider.slug, "id_token": id_token}
    return redirect(entry.get("next") or settings.LOGIN_REDIRECT_URL)


class PortalLogoutView(LogoutView):
    """Django's log-out (POST); after a log-in through a provider, the browser then goes on to
    log out there too (RP-initiated logout) and comes back to the log-in page."""

    def post(self, request, *args, **kwargs):
        oidc = request.session.get(LOGIN_KEY) or {}
        response = super().post(request, *args, **kwargs)
        provider = providers.get(oidc.get("provider"))
        if provider is None:
            return response
        url = provider.end_session_url(
            id_token=oidc.get("id_token"),
            post_logout_redirect_uri=request.build_absolute_uri(reverse("login")),
        )
        if not url:
            return response
        return render(request, "accounts/logout_provider.html", {"provider": provider, "url": url})


@login_not_required
@require_GET
def invitation_accept(request, token):
    """The link in an invitation: remember it in this browser and offer the providers."""
    invitation = (
        Invitation.objects.pending()
        .with_token(token)
        .select_related("partnership", "county_office")
        .first()
    )
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    request.session[INVITATION_KEY] = token
    return render(request, "accounts/invitation_accept.html", {"invitation": invitation})
