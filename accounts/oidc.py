"""The authorization code flow against one provider, on mozilla-django-oidc's client.

mozilla-django-oidc does the token request, finds the provider's signing key in its JWKS and
checks the signature and the algorithm. Its backend reads one provider from settings; here one
client is made per provider (accounts/providers.py), and the ID token is checked further than
the library does: issuer, audience (and `azp`), expiry and issue time are required and
verified, the nonce must be the one this browser's session sent, and where the provider is
configured with security levels the token's `acr` must be one of them.
"""

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .providers import LoginRefused

SIGN_ALGORITHM = "RS256"  # ID-porten, Ansattporten and Feide sign with RS256
CLOCK_LEEWAY_SECONDS = 30
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "sub"]


class ProviderClient(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, configured for one provider (not a Django auth backend
    here: it is called by the callback view, never by `authenticate`)."""

    def __init__(self, provider):
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = provider.endpoint("token_endpoint")
        self.OIDC_OP_USER_ENDPOINT = provider.metadata().get("userinfo_endpoint")
        self.OIDC_OP_JWKS_ENDPOINT = provider.endpoint("jwks_uri")
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        self.OIDC_RP_SIGN_ALGO = SIGN_ALGORITHM
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = get_user_model()

    def get_settings(self, attr, *args):
        """The library's settings, per provider instead of from settings.py."""
        values = {
            "OIDC_USE_NONCE": True,
            "OIDC_VERIFY_SSL": True,
            "OIDC_TIMEOUT": settings.OIDC_TIMEOUT,
            "OIDC_PROXY": None,
            "OIDC_TOKEN_USE_BASIC_AUTH": True,
            "OIDC_ALLOW_UNSECURED_JWT": False,
        }
        if attr in values:
            return values[attr]
        return args[0] if args else None

    def _verify_jws(self, payload, key):
        try:
            algorithm = jwt.get_unverified_header(payload).get("alg")
        except jwt.PyJWTError as error:
            raise LoginRefused("signature", str(error)) from error
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise LoginRefused("signature", f"algorithm {algorithm!r}")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[algorithm],
                audience=self.provider.client_id,
                issuer=self.provider.issuer,
                leeway=CLOCK_LEEWAY_SECONDS,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError as error:
            raise LoginRefused("expired", str(error)) from error
        except jwt.InvalidIssuerError as error:
            raise LoginRefused("issuer", str(error)) from error
        except jwt.InvalidAudienceError as error:
            raise LoginRefused("audience", str(error)) from error
        except jwt.PyJWTError as error:
            raise LoginRefused("signature", str(error)) from error

    def verify_token(self, token, **kwargs):
        if not token:
            raise LoginRefused("token", "no ID token")
        try:
            key = self.retrieve_matching_jwk(token)
        except (SuspiciousOperation, jwt.PyJWTError, KeyError, requests.RequestException) as error:
            raise LoginRefused("signature", str(error)) from error
        claims = self._verify_jws(token, key)
        if "nonce" in kwargs:
            expected, got = kwargs["nonce"] or "", claims.get("nonce") or ""
            if not (expected and constant_time_compare(expected, got)):
                raise LoginRefused("nonce")
        accepted = self.provider.accepted_acr.split()
        if accepted and claims.get("acr") not in accepted:
            raise LoginRefused("acr", f"acr {claims.get('acr')!r}")
        azp = claims.get("azp")
        if azp and azp != self.provider.client_id:
            raise LoginRefused("audience", f"azp {azp!r}")
        return claims

    def claims_for(self, request, *, code, code_verifier, nonce):
        """Exchange the code (with the PKCE verifier) for tokens, verify the ID token, add the
        UserInfo claims of the same subject. Returns (claims, raw ID token)."""
        payload = {
            "client_id": self.provider.client_id,
            "client_secret": self.provider.client_secret,
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": request.build_absolute_uri(reverse("accounts:oidc_callback")),
            "code_verifier": code_verifier,
        }
        try:
            tokens = self.get_token(payload)
        except (requests.RequestException, ValueError) as error:
            raise LoginRefused("token", str(error)) from error
        id_token = tokens.get("id_token")
        claims = self.verify_token(id_token, nonce=nonce)
        access_token = tokens.get("access_token")
        if self.OIDC_OP_USER_ENDPOINT and access_token:
            try:
                info = self.get_userinfo(access_token, id_token, claims)
            except (requests.RequestException, ValueError):
                info = {}
            if isinstance(info, dict) and info.get("sub") == claims["sub"]:
                claims = {**info, **claims}
        return claims, id_token
