"""The OpenID Connect providers, as configured in the environment (portal/settings.py,
OIDC_PROVIDERS): none is written into the code.

    OIDC_PROVIDERS=idporten,feide
    OIDC_IDPORTEN_ISSUER=https://idporten.no           (the discovery document is read from
    OIDC_IDPORTEN_CLIENT_ID=...                          <issuer>/.well-known/openid-configuration)
    OIDC_IDPORTEN_CLIENT_SECRET=...
    OIDC_IDPORTEN_SCOPES=openid profile                (default: openid)
    OIDC_IDPORTEN_LABEL=Logg inn med ID-porten         (the button's text)
    OIDC_IDPORTEN_NAME=ID-porten                       (the service's name in sentences)
    OIDC_IDPORTEN_SUBJECT_CLAIM=sub                    (the stable claim people are known by)
    OIDC_IDPORTEN_ACR_VALUES=idporten-loa-substantial  (optional: the level asked for)
    OIDC_IDPORTEN_ACCEPTED_ACR=idporten-loa-substantial idporten-loa-high
                                                       (the ID token's `acr` must be one of
                                                        these; default: ACR_VALUES)
"""

from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.cache import cache

DISCOVERY_CACHE_SECONDS = 3600


class LoginRefused(Exception):  # noqa: N818 - a refusal, not a program error
    """A log-in through a provider that the portal does not accept; `code` names the reason
    (accounts/views.py turns it into a Norwegian page)."""

    def __init__(self, code, detail=""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass(frozen=True)
class Provider:
    slug: str
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    label: str
    name: str
    subject_claim: str
    acr_values: str
    accepted_acr: str

    def metadata(self):
        """The provider's discovery document (cached for an hour). Its issuer must be the
        configured one, exactly (OpenID Connect Discovery 1.0, section 4.3)."""
        key = "oidc-discovery:" + self.issuer
        document = cache.get(key)
        if document is None:
            url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
            try:
                response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
                response.raise_for_status()
                document = response.json()
            except (requests.RequestException, ValueError) as error:
                raise LoginRefused("unreachable", str(error)) from error
            if not isinstance(document, dict) or document.get("issuer") != self.issuer:
                raise LoginRefused("issuer", "discovery document of another issuer")
            cache.set(key, document, DISCOVERY_CACHE_SECONDS)
        return document

    def endpoint(self, name):
        value = self.metadata().get(name)
        if not value:
            raise LoginRefused("unreachable", f"no {name} in the discovery document")
        return value

    def end_session_url(self, *, id_token, post_logout_redirect_uri):
        """Where to send the browser to log out at the provider too (RP-initiated logout),
        or "" when the provider has no end_session_endpoint."""
        try:
            endpoint = self.metadata().get("end_session_endpoint")
        except LoginRefused:
            return ""
        if not endpoint:
            return ""
        query = {"post_logout_redirect_uri": post_logout_redirect_uri, "client_id": self.client_id}
        if id_token:
            query["id_token_hint"] = id_token
        return f"{endpoint}?{urlencode(query)}"


def configured():
    """Every provider in OIDC_PROVIDERS that has an issuer and a client id, in their order."""
    providers = []
    for slug, config in (getattr(settings, "OIDC_PROVIDERS", None) or {}).items():
        issuer = (config.get("issuer") or "").strip()
        client_id = (config.get("client_id") or "").strip()
        if not (issuer and client_id):
            continue
        providers.append(
            Provider(
                slug=slug,
                issuer=issuer,
                client_id=client_id,
                client_secret=config.get("client_secret") or "",
                scopes=config.get("scopes") or "openid",
                label=config.get("label") or config.get("name") or slug,
                name=config.get("name") or config.get("label") or slug,
                subject_claim=config.get("subject_claim") or "sub",
                acr_values=config.get("acr_values") or "",
                accepted_acr=config.get("accepted_acr") or config.get("acr_values") or "",
            )
        )
    return providers


def get(slug):
    return next((provider for provider in configured() if provider.slug == slug), None)
