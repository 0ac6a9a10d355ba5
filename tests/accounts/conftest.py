"""A real OpenID Connect provider on the loopback for the log-in tests.

``oidc_provider`` starts tools/oidc-provider/server.js (the npm package oidc-provider, installed
by `make test` / .ci/run with `npm ci`) once per test session on a free port, and configures
the portal with it as the provider "test" for each test that uses it. ``oidc_login(client,
subject)`` logs a Django test client in through it over HTTP, the way a browser would: the
portal's start, the provider's log-in form, the portal's callback.
"""

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import requests

TOOL_DIR = Path(__file__).resolve().parents[2] / "tools" / "oidc-provider"
CLIENT_ID = "kompetanseportalen"
CLIENT_SECRET = "test-secret-not-for-production"
LABEL = "Logg inn med Testleverandøren"


def _missing():
    if shutil.which("node") is None:
        return "Node.js (node) is not installed"
    if not (TOOL_DIR / "node_modules" / "oidc-provider").exists():
        return f"oidc-provider is not installed: cd {TOOL_DIR} && npm ci"
    return None


@pytest.fixture(scope="session")
def oidc_server():
    problem = _missing()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem, pytrace=False)
        pytest.skip(problem)
    env = {
        **os.environ,
        "OIDC_TEST_CLIENT_ID": CLIENT_ID,
        "OIDC_TEST_CLIENT_SECRET": CLIENT_SECRET,
        "NODE_NO_WARNINGS": "1",
    }
    process = subprocess.Popen(
        ["node", "server.js"],
        cwd=TOOL_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline()
        match = re.match(r"listening (http://\S+)", line)
        if not match:
            raise RuntimeError(f"the OpenID provider did not start: {line!r}")
        yield match.group(1)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def oidc_provider(oidc_server, settings):
    """The portal configured with the loopback provider as "test" (and only it)."""
    settings.OIDC_PROVIDERS = {
        "test": {
            "issuer": oidc_server,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "scopes": "openid email profile",
            "label": LABEL,
            "name": "Testleverandøren",
        }
    }
    return SimpleNamespace(issuer=oidc_server, slug="test", label=LABEL)


class _Forms(HTMLParser):
    """The forms of a page: [(action, {name: value})]."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs.get("action") or "", {}))
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1][1][attrs["name"]] = attrs.get("value") or ""


def provider_log_in(authorize_url, subject):
    """Log in at the provider's development pages as `subject`; return the URL it sends the
    browser back to (the portal's callback with code and state), without following it."""
    session = requests.Session()
    response = session.get(authorize_url, allow_redirects=True, timeout=10)
    for _ in range(5):
        if response.is_redirect and "/accounts/oidc/callback/" in response.headers["Location"]:
            return response.headers["Location"]
        parser = _Forms()
        parser.feed(response.text)
        if not parser.forms:
            raise AssertionError(f"no form at the provider: {response.text[:500]}")
        action, fields = parser.forms[0]
        fields.update({"login": subject, "password": "anything"})
        response = session.post(
            urljoin(response.url, action), data=fields, allow_redirects=False, timeout=10
        )
        while (
            response.is_redirect and "/accounts/oidc/callback/" not in response.headers["Location"]
        ):
            response = session.get(
                urljoin(response.url, response.headers["Location"]),
                allow_redirects=False,
                timeout=10,
            )
    raise AssertionError("the provider never sent the browser back")


def start_log_in(client, slug="test"):
    """The portal's start: returns the provider's authorization URL."""
    response = client.get(f"/accounts/oidc/{slug}/")
    assert response.status_code == 302, response.status_code
    return response["Location"]


def callback_path(url):
    parsed = urlparse(url)
    return f"{parsed.path}?{parsed.query}"


@pytest.fixture
def oidc_login(oidc_provider):
    """``oidc_login(client, subject)``: the whole code flow for a Django test client; returns
    the portal's response to the callback."""

    def _login(client, subject):
        back = provider_log_in(start_log_in(client), subject)
        assert parse_qs(urlparse(back).query).get("code"), back
        return client.get(callback_path(back))

    return _login
