"""Browser tests: Debian's Chromium driven by Playwright's sync API against pytest-django's
live server.

Fixtures (details in their docstrings):

- ``browser``            session-wide Chromium (skipped if /usr/bin/chromium is missing,
                         a hard failure when CI=true)
- ``live_db``            pytest-django's live_server + serialized rollback (keeps migration data)
- ``new_page(**kw)``     factory: a fresh context + page on the live server (several users at once)
- ``page``               one fresh page per test (locale nb-NO, 1280x900, base URL = live server)
- ``demo_data``          loads ``manage.py demo`` (accounts with password "demo")
- ``log_in(page, username, password="demo")``   fills /accounts/login/ and waits for navigation
- ``log_out(page)``      clicks the header's "Log out" (a POST form) and waits for navigation
- ``axe(page, tags=WCAG_TAGS)``  runs the vendored axe-core, returns the violations (list of dicts)
- ``assert_accessible(page, impacts=("serious", "critical"))``  fails with a readable list

``page.goto("/partnerships/")`` works: the context's base URL is the live server.

Pages are served with the real Content-Security-Policy (``script-src 'self'``). The context does
not bypass it, so the tests see what users see; axe is evaluated through the DevTools protocol,
which the page's CSP does not govern.
"""

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio event loop running in the main thread, and Django
# refuses ORM calls from a thread with a running loop unless this is set. It has to be set
# before the first browser starts, and stays set for the rest of the session.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BROWSER_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BROWSER_DIR.parent.parent
AXE_PATH = PROJECT_ROOT / "static" / "vendor" / "axe" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
DEMO_PASSWORD = "demo"
# Playwright's default timeouts are 30 s; a local server answers in milliseconds, so fail fast.
ACTION_TIMEOUT_MS = 10_000


MISSING_CHROMIUM = f"Chromium not found at {CHROMIUM}; install Debian's chromium package"


def pytest_collection_modifyitems(config, items):
    """Mark every test in this directory (and only there) with ``browser``; skip them up front
    when Chromium is missing (except on CI, where the ``browser`` fixture fails instead)."""
    skip = not Path(CHROMIUM).exists() and os.environ.get("CI") != "true"
    for item in items:
        if BROWSER_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if skip:
                item.add_marker(pytest.mark.skip(reason=MISSING_CHROMIUM))


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{MISSING_CHROMIUM} (CI=true: browser tests must run)", pytrace=False)
        pytest.skip(MISSING_CHROMIUM)
    from django.db import connections
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=ACTION_TIMEOUT_MS)
    # Django keeps its connections in an asgiref Local: thread-local while no event loop runs,
    # context-local once one does. Playwright's loop would hand the tests fresh connection
    # objects, without the serialized migration data that django_db_setup stored on the
    # originals (so the first flush would wipe it for good). Keep the same objects.
    originals = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in originals.items():
            connections[alias] = connection
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_db(live_server, django_db_serialized_rollback):
    """The live server with a transactional database whose migration data (schemes and other
    rows created by data migrations) is restored before each test. Without serialized
    rollback the flush after the first live-server test would empty those tables."""
    return live_server


@pytest.fixture
def new_page(browser, live_db):
    """Factory: ``new_page(**context_options)`` opens a fresh context (own cookies) and page.

    Defaults: locale nb-NO, viewport 1280x900, base URL = the live server. Every context is
    closed at the end of the test. Use it for two users at once; most tests want ``page``.
    """
    contexts = []

    def _new_page(**options):
        options = {
            "base_url": live_db.url,
            "locale": "nb-NO",
            "viewport": {"width": 1280, "height": 900},
            **options,
        }
        context = browser.new_context(**options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def demo_data(live_db):
    """The demo data (``manage.py demo``): accounts koordinator.goa, uh.hinn,
    koordinator.salten, sf.nordland, sf.osloviken, admin, all with password "demo"."""
    from django.core.management import call_command

    call_command("demo", verbosity=0)


def _log_in(page, username, password=DEMO_PASSWORD):
    """Fill the login form at /accounts/login/, submit it and wait for the next page.

    Does not assert success: after a wrong password the page is the login page again.
    """
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    submit = page.locator("form:has(#id_username) [type=submit]")
    with page.expect_navigation():
        submit.click()
    return page


def _log_out(page):
    """Click "Log out" in the header (a POST form) and wait for the next page."""
    button = page.locator("header form[action$='/logout/'] [type=submit]")
    with page.expect_navigation():
        button.click()
    return page


@pytest.fixture
def log_in():
    """``log_in(page, username, password="demo")``."""
    return _log_in


@pytest.fixture
def log_out():
    """``log_out(page)``."""
    return _log_out


_axe_source = None


def run_axe(page, tags=WCAG_TAGS):
    """Run axe-core on the current page; return its violations (a list of dicts with
    id, impact, help, helpUrl and nodes[].target)."""
    global _axe_source
    if not page.evaluate("typeof window.axe === 'object'"):
        if _axe_source is None:
            _axe_source = AXE_PATH.read_text(encoding="utf-8")
        # add_script_tag(content=...) would be an inline script, which the CSP blocks; a
        # DevTools evaluation is not subject to the page's CSP, so the CSP stays in force.
        page.evaluate(_axe_source)
        if not page.evaluate("typeof window.axe === 'object'"):
            raise RuntimeError(f"axe-core did not load from {AXE_PATH}")
    return page.evaluate(
        """async (tags) => {
            const results = await window.axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations'],
            });
            return results.violations;
        }""",
        list(tags),
    )


def format_violations(violations, url="", max_targets=3):
    """One readable line per violation: rule id, impact, help text, the first few targets."""
    lines = [f"axe: {len(violations)} violation(s) on {url}" if url else "axe violations:"]
    for violation in violations:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        shown = ", ".join(targets[:max_targets])
        more = f" (+{len(targets) - max_targets} more)" if len(targets) > max_targets else ""
        lines.append(
            f"  - {violation['id']} [{violation['impact']}] {violation['help']}: "
            f"{shown}{more}  <{violation['helpUrl']}>"
        )
        summary = violation["nodes"][0].get("failureSummary") or ""
        summary = re.sub(r"\s+", " ", summary).strip()
        if summary:
            lines.append(f"      first node: {summary}")
    return "\n".join(lines)


def check_accessible(page, impacts=("serious", "critical"), tags=WCAG_TAGS):
    """Raise AssertionError listing every axe violation whose impact is in ``impacts``."""
    violations = [v for v in run_axe(page, tags) if v["impact"] in impacts]
    if violations:
        raise AssertionError(format_violations(violations, url=page.url))


@pytest.fixture
def axe():
    """``axe(page, tags=WCAG_TAGS) -> list[dict]``: the axe-core violations on the page."""
    return run_axe


@pytest.fixture
def assert_accessible():
    """``assert_accessible(page, impacts=("serious", "critical"))``: fail with a readable list."""
    return check_accessible
