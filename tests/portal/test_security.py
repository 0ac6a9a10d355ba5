"""Production settings, the log-in limit, upload size and the Content-Security-Policy's
promise that no template has inline scripts. (Who may open which URL: test_permission_matrix.)"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from portal.middleware import DEFAULT_CSP

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


# Production settings -----------------------------------------------------------------------

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "p" * 10 + "roduction-like-key-for-the-deploy-check-0123456789abcdefXYZ",
    "ALLOWED_HOSTS": "portal.example.no",
    "DJANGO_SETTINGS_MODULE": "portal.settings",
}


def run_with_production_settings(*args):
    # A clean environment: nothing of the test run (e.g. the browser tests'
    # DJANGO_ALLOW_ASYNC_UNSAFE) or of a developer's shell leaks into the check.
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", ""), **PRODUCTION_ENV}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_with_production_settings(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_values():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.CSRF_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_SSL_REDIRECT, "
        "s.X_FRAME_OPTIONS, s.SESSION_COOKIE_AGE, s.DATA_UPLOAD_MAX_MEMORY_SIZE, "
        "s.MAX_REQUEST_SIZE, s.LOGIN_FAILURE_LIMIT, s.LOGIN_FAILURE_WINDOW)"
    )
    result = run_with_production_settings("-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "True",
        "True",
        "True",
        "True",
        "True",
        "DENY",
        str(8 * 3600),
        str(5 * 1024 * 1024),
        str(10 * 1024 * 1024),
        "5",
        "900",
    ]


@pytest.mark.django_db
def test_every_response_has_the_security_headers(client, cast):
    client.force_login(cast.alice)
    response = client.get(reverse("portal:dashboard"))
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Content-Security-Policy"] == DEFAULT_CSP


def test_csp_allows_no_inline_scripts_or_foreign_origins():
    directives = {
        part.split()[0]: part.split()[1:] for part in DEFAULT_CSP.split(";") if part.strip()
    }
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert "unsafe-inline" not in DEFAULT_CSP and "unsafe-eval" not in DEFAULT_CSP


# The CSP forbids inline scripts: so must our templates --------------------------------------

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*?\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def inline_script_problems(text):
    problems = []
    for match in SCRIPT_TAG.finditer(text):
        attributes, body = match.group(1), match.group(2)
        if "src=" not in attributes.replace(" ", "") or body.strip():
            problems.append(f"inline <script>: {match.group(0)[:80]!r}")
    problems += [f"event handler: {m.group(0)[-60:]!r}" for m in EVENT_HANDLER.finditer(text)]
    problems += [f"javascript: URL: {m.group(0)!r}" for m in JS_URL.finditer(text)]
    return problems


def test_the_scanner_finds_what_the_csp_would_block():
    assert inline_script_problems('<script>alert(1)</script><button onclick="x()">')
    assert inline_script_problems('<a href="javascript:void(0)">')
    assert inline_script_problems("<script type=module>\nimport x from 'y'\n</script>")
    assert not inline_script_problems(
        '<script src="/static/portal/autosave.js"></script><p>Online, one=1</p>'
    )


def test_no_template_has_inline_scripts_or_event_handlers():
    """The Content-Security-Policy (script-src 'self') would block them in the browser: put
    JavaScript in static/ and attach it with addEventListener."""
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for problem in inline_script_problems(path.read_text(encoding="utf-8")):
            found.append(f"{path.relative_to(ROOT)}: {problem}")
    assert not found, "\n".join(found)


# The log-in limit --------------------------------------------------------------------------


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_login_is_refused_after_five_failures(client, cast):
    for _ in range(4):
        response = attempt(client, "alice", "wrong")
        assert response.status_code == 200
        assert "Vennligst oppgi korrekt brukernavn og passord" in response.content.decode()

    response = attempt(client, "alice", "wrong")  # the fifth
    assert response.status_code == 429
    page = response.content.decode()
    assert "For mange mislykkede innloggingsforsøk. Vent 15 minutter" in page
    # Now even the right password is refused, without being checked.
    response = attempt(client, "alice", "pw")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_limit_is_per_username_and_address(client, cast):
    for _ in range(5):
        attempt(client, "alice", "wrong", address="10.0.0.1")
    assert attempt(client, "alice", "pw", address="10.0.0.1").status_code == 429
    # Another address, or another username from the same address, is not blocked.
    assert attempt(client, "alice", "pw", address="10.0.0.2").status_code == 302
    assert attempt(Client(), "bob", "pw", address="10.0.0.1").status_code == 302


@pytest.mark.django_db
def test_the_block_ends_with_the_window(client, cast, settings):
    settings.LOGIN_FAILURE_WINDOW = 1
    for _ in range(5):
        attempt(client, "alice", "wrong")
    assert attempt(client, "alice", "pw").status_code == 429
    time.sleep(1.2)  # the window (the counter's timeout in the cache) passes
    assert attempt(client, "alice", "pw").status_code == 302


@pytest.mark.django_db
def test_a_successful_login_clears_the_count(client, cast):
    for _ in range(4):
        attempt(client, "alice", "wrong")
    assert attempt(client, "alice", "pw").status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "alice", "wrong").status_code == 200
    assert attempt(client, "alice", "pw").status_code == 302


@pytest.mark.django_db
def test_usernames_count_case_insensitively(client, cast):
    for username in ["alice", "Alice", "ALICE", "alice ", "aLiCe"]:
        attempt(client, username, "wrong")
    assert attempt(client, "alice", "pw").status_code == 429


@pytest.mark.django_db
def test_behind_a_proxy_the_forwarded_address_counts(client, cast, settings):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": "alice", "password": "wrong"},
            REMOTE_ADDR="10.9.9.9",  # the proxy
            HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.7",  # spoofed part, then the real client
        )
    blocked = client.post(
        LOGIN,
        {"username": "alice", "password": "pw"},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="5.6.7.8, 192.0.2.7",  # spoofing the first part does not help
    )
    assert blocked.status_code == 429
    other_client = client.post(
        LOGIN,
        {"username": "alice", "password": "pw"},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="192.0.2.8",
    )
    assert other_client.status_code == 302


@pytest.mark.django_db
def test_login_page_in_nynorsk_says_it_too(client, cast):
    client.cookies["django_language"] = "nn"
    for _ in range(5):
        response = attempt(client, "alice", "wrong")
    assert "For mange mislukka innloggingsforsøk. Vent 15 minutt" in response.content.decode()


# Upload size -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_request_body_above_the_limit_is_refused(client, cast, settings):
    settings.MAX_REQUEST_SIZE = 1024
    client.force_login(cast.olga)
    big = b"x" * 2048
    response = client.post(
        reverse("partnerships:organisation_import"),
        {"file": SimpleUploadedFile("orgs.csv", big, content_type="text/csv")},
    )
    assert response.status_code == 413
    assert "for stor" in response.content.decode()
    # Below the limit the form runs as usual (and says what is wrong with the file).
    settings.MAX_REQUEST_SIZE = 10 * 1024 * 1024
    response = client.post(
        reverse("partnerships:organisation_import"),
        {"file": SimpleUploadedFile("orgs.txt", b"name", content_type="text/plain")},
    )
    assert response.status_code == 200
    assert "Last opp en .csv- eller .xlsx-fil" in response.content.decode()


# Sessions ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_session_expires(client, cast, settings):
    response = attempt(client, "alice", "pw")
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE == 8 * 3600
    assert cookie["httponly"]
    assert client.session.get_expiry_age() == 8 * 3600


def _without_secret(*args):
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    return subprocess.run(
        [sys.executable, *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )


def test_without_a_secret_key_the_server_refuses_to_start_but_commands_run():
    server = _without_secret("-c", "import portal.wsgi")
    assert server.returncode != 0
    assert "ImproperlyConfigured" in server.stderr and "SECRET_KEY" in server.stderr
    check = _without_secret("manage.py", "makemigrations", "--check", "--dry-run")
    assert check.returncode == 0, check.stderr
    assert "No changes detected" in check.stdout
