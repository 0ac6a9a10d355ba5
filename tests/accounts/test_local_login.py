"""Log-in by password: the second factor for case officers and administrators, and the switch
that turns passwords off. Invitations to a role."""

import re

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Invitation

pytestmark = pytest.mark.django_db


def code_of(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def password_login(client, user, next_url=""):
    return client.post(
        "/accounts/login/", {"username": user.username, "password": "pw", "next": next_url}
    )


@pytest.fixture
def otp_on(settings):
    settings.LOCAL_LOGIN_OTP = True


def test_officer_sets_up_the_app_then_logs_in_with_a_code(cast, client, otp_on):
    response = password_login(client, cast.olga, "/needs/")
    assert response["Location"] == "/accounts/second-factor/new/"
    assert "_auth_user_id" not in client.session  # not logged in by the password alone

    page = client.get("/accounts/second-factor/new/")
    text = page.content.decode()
    assert "Sett opp autentiseringsappen" in text
    assert 'src="data:image/svg+xml' in text
    device = TOTPDevice.objects.get(user=cast.olga, confirmed=False)

    wrong = client.post("/accounts/second-factor/new/", {"code": "000000"})
    assert "Koden er feil" in wrong.content.decode()
    assert "_auth_user_id" not in client.session
    throttled = client.post("/accounts/second-factor/new/", {"code": code_of(device)})
    assert "For mange feil koder" in throttled.content.decode()  # a pause after a wrong code
    device.refresh_from_db()
    device.throttle_reset()

    done = client.post("/accounts/second-factor/new/", {"code": code_of(device)})
    assert done["Location"] == "/needs/"
    assert client.session["_auth_user_id"] == str(cast.olga.pk)
    device.refresh_from_db()
    assert device.confirmed

    # Next time: the code is asked for, not the set-up.
    client.logout()
    assert password_login(client, cast.olga)["Location"] == "/accounts/second-factor/"
    assert "_auth_user_id" not in client.session
    device.refresh_from_db()
    device.last_t = -1  # the test's code of a moment ago may be given again
    device.save()
    assert client.post("/accounts/second-factor/", {"code": code_of(device)}).status_code == 302
    assert client.session["_auth_user_id"] == str(cast.olga.pk)


def test_administrator_needs_the_code_too(cast, client, otp_on):
    assert password_login(client, cast.root)["Location"] == "/accounts/second-factor/new/"


def test_coordinator_logs_in_with_the_password_alone(cast, client, otp_on):
    response = password_login(client, cast.alice)
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(cast.alice.pk)


def test_second_step_without_a_password_goes_back_to_log_in(client, otp_on):
    assert client.get("/accounts/second-factor/")["Location"] == "/accounts/login/"
    assert client.post("/accounts/second-factor/", {"code": "123456"})["Location"] == (
        "/accounts/login/"
    )


def test_admin_site_log_in_goes_through_our_page(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_passwords_can_be_turned_off(cast, client, settings):
    settings.LOCAL_LOGIN_ENABLED = False
    page = client.get("/accounts/login/").content.decode()
    assert 'name="password"' not in page
    assert "Innlogging med passord er slått av" in page
    response = password_login(client, cast.alice)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_officer_invites_a_person_by_e_mail(cast, login, django_capture_on_commit_callbacks):
    client = login(cast.olga)
    page = client.get("/accounts/invitations/").content.decode()
    assert cast.partnership_a.name in page
    assert cast.partnership_b.name not in page  # another county's partnership
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/invitations/",
            {"email": "ny@kommune.no", "role": "coordinator", "partnership": cast.partnership_a.pk},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.partnership, invitation.invited_by) == (
        "ny@kommune.no",
        cast.partnership_a,
        cast.olga,
    )
    assert mail.outbox[0].to == ["ny@kommune.no"]
    assert re.search(r"http://\S+/accounts/invitation/\S+/", mail.outbox[0].body)
    assert invitation.token_hash not in mail.outbox[0].body  # only the hash is stored


def test_officer_cannot_invite_to_another_county(cast, login):
    client = login(cast.otto)
    response = client.post(
        "/accounts/invitations/",
        {"email": "ny@kommune.no", "role": "coordinator", "partnership": cast.partnership_a.pk},
    )
    assert response.status_code == 200  # the form again, with an error
    assert not Invitation.objects.exists()


def test_an_officer_invitation_needs_the_county_office(cast, login):
    client = login(cast.olga)
    response = client.post("/accounts/invitations/", {"email": "ny@sf.no", "role": "officer"})
    assert "Velg statsforvalter" in response.content.decode()
    client.post(
        "/accounts/invitations/",
        {"email": "ny@sf.no", "role": "officer", "county_office": cast.county_a.pk},
    )
    assert Invitation.objects.get().county_office == cast.county_a


def test_invitations_are_for_officers_and_administrators(cast, login):
    assert login(cast.alice).get("/accounts/invitations/").status_code == 403
