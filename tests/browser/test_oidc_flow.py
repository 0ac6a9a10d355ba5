"""Log-in through OpenID Connect in Chromium, against the real provider on the loopback
(tools/oidc-provider, started by tests/accounts/conftest.py): a case officer invites a person,
the person follows the e-mail's link, logs in at the provider, lands in the portal with the
invited role, logs out (of the portal and, RP-initiated, of the provider) and logs in again."""

import re
from urllib.parse import urlparse

from django.core import mail
from playwright.sync_api import expect

from accounts.models import ExternalIdentity
from tests.accounts.conftest import LABEL, oidc_provider, oidc_server  # noqa: F401

PARTNERSHIP = "God opplæring for alle"
LOGIN_PAGE = re.compile(r"/accounts/login/$")
NOT_LOOPBACK = re.compile(r"^https?://(?!127\.0\.0\.1|localhost)")


def offline(page):
    """The provider's development pages ask for a web font: nothing leaves the machine."""
    page.route(NOT_LOOPBACK, lambda route: route.abort())
    return page


def at_provider_log_in(page, subject):
    page.locator("input[name=login]").fill(subject)
    page.locator("input[name=password]").fill("anything")
    with page.expect_navigation():
        page.locator("button[type=submit]").click()


def test_invited_person_logs_in_and_out_through_the_provider(
    new_page,
    demo_data,
    log_in,
    log_out,
    oidc_provider,  # noqa: F811 - the fixture imported above
    assert_accessible,
):
    officer = offline(new_page())
    log_in(officer, "sf.nordland")
    officer.goto("/accounts/invitations/")
    assert_accessible(officer)
    officer.get_by_label("E-post").fill("ny.koordinator@alstahaug.kommune.no")
    officer.get_by_label("Rolle").select_option("coordinator")
    officer.get_by_label("Partnerskap").select_option(label=PARTNERSHIP)
    with officer.expect_navigation():
        officer.get_by_role("button", name="Send invitasjon").click()
    expect(officer.get_by_text("Invitasjonen er sendt")).to_be_visible()
    link = re.search(r"http://\S+/accounts/invitation/\S+/", mail.outbox[-1].body).group(0)

    person = offline(new_page())
    person.goto(urlparse(link).path)
    expect(person.get_by_role("heading", name="Invitasjon til Kompetanseportalen")).to_be_visible()
    assert_accessible(person)
    with person.expect_navigation():
        person.get_by_role("link", name=LABEL).click()
    assert person.url.startswith(oidc_provider.issuer)
    at_provider_log_in(person, "ny-person")
    person.wait_for_url(re.compile(r"/$"))
    expect(person.locator("main")).to_contain_text(PARTNERSHIP)
    identity = ExternalIdentity.objects.get(provider="test", subject="ny-person")
    assert identity.user.email == "ny.koordinator@alstahaug.kommune.no"

    # Log out: the portal, then the provider (its confirmation page), back to our log-in page.
    log_out(person)
    person.wait_for_url(re.compile(re.escape(oidc_provider.issuer) + r"/session/end"))
    with person.expect_navigation():
        person.get_by_role("button", name="Yes, sign me out").click()
    person.wait_for_url(LOGIN_PAGE)
    person.goto("/")
    assert "/accounts/login/" in person.url

    # Again, from the log-in page's button: the provider asks again, the portal knows them.
    person.goto("/accounts/login/")
    with person.expect_navigation():
        person.get_by_role("link", name=LABEL).click()
    at_provider_log_in(person, "ny-person")
    person.wait_for_url(re.compile(r"/$"))
    expect(person.locator("main")).to_contain_text(PARTNERSHIP)


def test_a_stranger_gets_a_page_saying_whom_to_ask(
    page,
    live_db,
    oidc_provider,  # noqa: F811 - the fixture imported above
    assert_accessible,
):
    offline(page)
    page.goto("/accounts/login/")
    assert_accessible(page)  # with the providers' buttons
    with page.expect_navigation():
        page.get_by_role("link", name=LABEL).click()
    at_provider_log_in(page, "a-stranger")
    expect(page.get_by_role("heading", name="Du har ikke tilgang ennå")).to_be_visible()
    expect(page.locator("main")).to_contain_text("koordinatoren")
    assert_accessible(page)
    page.goto("/")
    assert "/accounts/login/" in page.url
