"""The log-in limit in the database (django-axes): one count for every worker process, kept
over a restart, lifted by a password reset, with a warning before the last attempt; and the
limit on password-reset mails per address and hour."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/accounts/login/"
WARNING = "Du har ett forsøk igjen"
BLOCKED = "For mange mislykkede innloggingsforsøk"
TOO_MANY_LINKS = "Det er bedt om flere lenker til denne adressen den siste timen"


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_another_process_shares_the_count(cast):
    """Four failures in another process (another gunicorn worker), the fifth here: locked."""
    sd = connection.settings_dict
    url = f"postgres://{sd['USER']}@{sd['HOST'] or '127.0.0.1'}:{sd['PORT'] or 5432}/{sd['NAME']}"
    if sd.get("PASSWORD"):
        url = url.replace("@", f":{sd['PASSWORD']}@", 1)
    code = (
        "import django; django.setup()\n"
        "from django.test.utils import setup_test_environment; setup_test_environment()\n"
        "from django.test import Client\n"
        "client = Client()\n"
        "for _ in range(4):\n"
        "    print(client.post('/accounts/login/', {'username': 'alice', 'password': 'wrong'},"
        " REMOTE_ADDR='10.0.0.1').status_code)\n"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200"] * 4

    response = attempt(Client(), "alice", "wrong")
    assert response.status_code == 429
    assert BLOCKED in response.content.decode()
    assert attempt(Client(), "alice", "pw").status_code == 429


@pytest.mark.django_db
def test_the_count_survives_a_restart(cast):
    for _ in range(4):
        assert attempt(Client(), "alice", "wrong").status_code == 200
    cache.clear()  # what a restarted worker has: an empty memory
    assert attempt(Client(), "alice", "wrong").status_code == 429
    cache.clear()
    assert attempt(Client(), "alice", "pw").status_code == 429


@pytest.mark.django_db
def test_the_page_warns_when_one_attempt_is_left(client, cast):
    for _ in range(3):
        response = attempt(client, "alice", "wrong")
        assert WARNING not in response.content.decode()
    response = attempt(client, "alice", "wrong")  # the fourth
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vennligst oppgi korrekt brukernavn og passord" in page
    assert WARNING in page and "15 minutter" in page
    assert attempt(client, "alice", "wrong").status_code == 429


@pytest.mark.django_db
def test_the_warning_is_in_nynorsk_for_a_nynorsk_user(client, cast):
    client.cookies["django_language"] = "nn"
    for _ in range(4):
        response = attempt(client, "alice", "wrong")
    assert "Du har eitt forsøk att" in response.content.decode()


def reset_link(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("password_reset_confirm", args=[uid, token])


@pytest.mark.django_db
def test_a_password_reset_lifts_the_lock(client, cast):
    for address in ("10.0.0.1", "10.0.0.2"):
        for _ in range(5):
            attempt(Client(), "alice", "wrong", address=address)
        assert attempt(Client(), "alice", "pw", address=address).status_code == 429

    form_url = client.get(reset_link(cast.alice))["Location"]  # the link, then the form
    password = "Et-nytt-langt-passord-2025"
    response = client.post(form_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302

    for address in ("10.0.0.1", "10.0.0.2"):
        assert attempt(Client(), "alice", password, address=address).status_code == 302


@pytest.mark.django_db
def test_reset_mails_are_limited_per_address_and_hour_without_revealing_the_address(
    cast, settings, django_capture_on_commit_callbacks
):
    cast.alice.email = "alice@example.no"
    cast.alice.save()
    answers = {}
    for email in ("alice@example.no", "ingen@example.no"):
        statuses = []
        for _ in range(settings.PASSWORD_RESET_LIMIT + 1):
            with django_capture_on_commit_callbacks(execute=True):
                response = Client().post(reverse("password_reset"), {"email": email})
            statuses.append(response.status_code)
        answers[email] = (statuses, TOO_MANY_LINKS in response.content.decode())
    # The same answers for an address with an account and one without.
    assert answers["alice@example.no"] == answers["ingen@example.no"]
    assert answers["alice@example.no"] == ([302] * settings.PASSWORD_RESET_LIMIT + [429], True)
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT
    # Counted per address, case-insensitively; another address is not limited.
    response = Client().post(reverse("password_reset"), {"email": "ALICE@example.no"})
    assert response.status_code == 429
    assert Client().post(reverse("password_reset"), {"email": "bob@example.no"}).status_code == 302
