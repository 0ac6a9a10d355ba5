"""Log-in through a real OpenID Connect provider on the loopback (tests/accounts/conftest.py):
binding by invitation, and every answer the portal must refuse, each with a Norwegian page."""

from urllib.parse import parse_qs, urlencode, urlparse, urlunparse

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import TestCase

from accounts import backends, services
from accounts.models import ExternalIdentity, Invitation
from partnerships.models import Membership

from .conftest import callback_path, provider_log_in, start_log_in

pytestmark = pytest.mark.django_db


def invite(cast, email="ny.koordinator@kommune.no", role=Invitation.Role.COORDINATOR):
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.invitation_create(
            email=email, role=role, partnership=cast.partnership_a, invited_by=cast.olga
        )
    body = mail.outbox[-1].body
    return next(line for line in body.splitlines() if "/accounts/invitation/" in line).strip()


def logged_in_user(client):
    return client.session.get("_auth_user_id")


def test_invited_person_is_bound_and_known_next_time(cast, client, oidc_login):
    link = invite(cast)
    page = client.get(urlparse(link).path)
    assert page.status_code == 200
    assert "Logg inn med Testleverandøren" in page.content.decode()

    response = oidc_login(client, "person-1")
    assert response.status_code == 302, response.content[:500]
    identity = ExternalIdentity.objects.get(provider="test", subject="person-1")
    user = identity.user
    assert user.email == "ny.koordinator@kommune.no"
    assert not user.has_usable_password()
    assert Membership.objects.filter(
        user=user, partnership=cast.partnership_a, role=Membership.Role.COORDINATOR
    ).exists()
    assert client.session["_auth_user_backend"] == backends.PATH
    assert client.get("/").content.decode().count(cast.partnership_a.name) >= 1
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user

    # Next time: no invitation, the same account.
    client.logout()
    assert oidc_login(client, "person-1").status_code == 302
    assert logged_in_user(client) == str(user.pk)
    assert get_user_model().objects.filter(email="ny.koordinator@kommune.no").count() == 1


def test_invitation_to_an_existing_account_binds_to_it(cast, client, oidc_login):
    link = invite(cast, email=cast.ulla.email, role=Invitation.Role.UH_CONTACT)
    client.get(urlparse(link).path)
    assert oidc_login(client, "ulla-at-feide").status_code == 302
    assert logged_in_user(client) == str(cast.ulla.pk)
    assert ExternalIdentity.objects.get(subject="ulla-at-feide").user == cast.ulla


def test_unknown_person_gets_a_norwegian_page_and_no_account(cast, client, oidc_login):
    users = get_user_model().objects.count()
    response = oidc_login(client, "a-stranger")
    assert response.status_code == 403
    text = response.content.decode()
    assert "Du har ikke tilgang ennå" in text
    assert "koordinator" in text and "Statsforvalteren" in text
    assert logged_in_user(client) is None
    assert get_user_model().objects.count() == users
    assert not ExternalIdentity.objects.exists()


def test_a_used_invitation_link_cannot_bind_another_person(cast, client, oidc_login):
    link = invite(cast)
    client.get(urlparse(link).path)
    oidc_login(client, "person-1")
    other = type(client)()
    assert other.get(urlparse(link).path).status_code == 404
    assert oidc_login(other, "person-2").status_code == 403


def test_verified_email_matches_a_pending_invitation(cast, client, oidc_login):
    # The provider verifies the addresses of subjects named verified* (server.js).
    invite(cast, email="verified-anne@example.no")
    assert oidc_login(client, "verified-anne").status_code == 302
    assert ExternalIdentity.objects.get(subject="verified-anne").user.email == (
        "verified-anne@example.no"
    )


def test_unverified_email_matches_nothing(cast, client, oidc_login):
    invite(cast, email="anne@example.no")  # the provider does not vouch for anne's address
    assert oidc_login(client, "anne").status_code == 403
    assert Invitation.objects.get().accepted_at is None


def refused_text(response):
    assert response.status_code == 400, response.status_code
    text = response.content.decode()
    assert "Innloggingen ble avvist" in text
    return text


@pytest.mark.parametrize(
    ("subject", "says"),
    [
        ("wrong-issuer", "kom ikke fra innloggingstjenesten"),
        ("wrong-audience", "var ment for en annen tjeneste"),
        ("expired", "har gått ut"),
    ],
)
def test_tokens_the_portal_must_refuse(cast, client, oidc_login, subject, says):
    ExternalIdentity.objects.create(user=cast.alice, provider="test", subject=subject)
    text = refused_text(oidc_login(client, subject))
    assert says in text
    assert logged_in_user(client) is None


def test_a_lower_security_level_than_required_is_refused(cast, client, oidc_login, settings):
    settings.OIDC_PROVIDERS["test"]["accepted_acr"] = "idporten-loa-high"
    ExternalIdentity.objects.create(user=cast.alice, provider="test", subject="alice")
    assert "lavere sikkerhetsnivå" in refused_text(oidc_login(client, "alice"))
    assert logged_in_user(client) is None


def test_wrong_state_is_refused(cast, client, oidc_provider):
    ExternalIdentity.objects.create(user=cast.alice, provider="test", subject="alice")
    back = provider_log_in(start_log_in(client), "alice")
    parsed = urlparse(back)
    query = parse_qs(parsed.query)
    query["state"] = ["not-the-state-we-sent"]
    url = urlunparse(parsed._replace(query=urlencode(query, doseq=True)))
    text = refused_text(client.get(callback_path(url)))
    assert "hører ikke til en innlogging" in text
    assert logged_in_user(client) is None


def test_an_answer_is_used_once(cast, client, oidc_provider):
    ExternalIdentity.objects.create(user=cast.alice, provider="test", subject="alice")
    back = provider_log_in(start_log_in(client), "alice")
    assert client.get(callback_path(back)).status_code == 302
    client.logout()
    refused_text(client.get(callback_path(back)))


def test_wrong_nonce_is_refused(cast, client, oidc_provider):
    ExternalIdentity.objects.create(user=cast.alice, provider="test", subject="alice")
    authorize = urlparse(start_log_in(client))
    query = parse_qs(authorize.query)
    query["nonce"] = ["a-nonce-this-browser-never-sent"]
    back = provider_log_in(
        urlunparse(authorize._replace(query=urlencode(query, doseq=True))), "alice"
    )
    text = refused_text(client.get(callback_path(back)))
    assert "stemmer ikke med innloggingen" in text
    assert logged_in_user(client) is None


def test_the_flow_uses_pkce_and_asks_for_the_configured_scopes(client, oidc_provider):
    query = parse_qs(urlparse(start_log_in(client)).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert query["scope"] == ["openid email profile"]
    assert query["response_type"] == ["code"]
    assert query["state"][0] and query["nonce"][0]


def test_unknown_provider_is_404(client, oidc_provider):
    assert client.get("/accounts/oidc/nobody/").status_code == 404


def test_log_out_goes_on_to_the_provider(cast, client, oidc_login, oidc_provider):
    ExternalIdentity.objects.create(user=cast.alice, provider="test", subject="alice")
    oidc_login(client, "alice")
    response = client.post("/accounts/logout/")
    assert response.status_code == 200
    text = response.content.decode()
    assert f'content="0; url={oidc_provider.issuer}/session/end?' in text
    assert "id_token_hint=" in text and "post_logout_redirect_uri=" in text
    assert logged_in_user(client) is None


def test_log_out_after_a_password_log_in_stays_here(cast, client):
    client.force_login(cast.alice)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
