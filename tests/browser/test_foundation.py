"""Foundation in a real browser: log in and out, language switch, keyboard use, accessibility."""

import re

import pytest
from playwright.sync_api import expect

GOA = "God opplæring for alle"
LOGIN_URL = re.compile(r"/accounts/login/(\?.*)?$")
DASHBOARD_URL = re.compile(r"://[^/]+/$")
SKIP_LINK = "a.ds-skip-link[href='#main']"

pytestmark = pytest.mark.usefixtures("demo_data")


def test_log_in_and_out(page, log_in, log_out):
    log_in(page, "koordinator.goa", "demo")
    expect(page).to_have_url(DASHBOARD_URL)
    expect(page.locator("main").get_by_role("link", name=GOA, exact=True)).to_be_visible()

    log_out(page)
    expect(page).to_have_url(LOGIN_URL)
    expect(page.locator("#id_username")).to_be_visible()
    # The session is gone: the dashboard sends us back to the login page.
    page.goto("/")
    expect(page).to_have_url(LOGIN_URL)


def test_wrong_password_stays_on_login_page(page, log_in):
    log_in(page, "koordinator.goa", "not-the-password")
    expect(page).to_have_url(LOGIN_URL)
    expect(page.locator("main .ds-alert[data-color=danger]")).to_be_visible()
    expect(page.locator("#id_username")).to_have_value("koordinator.goa")
    expect(page.locator("header form[action$='/logout/']")).to_have_count(0)


def test_language_switch(page, log_in):
    log_in(page, "koordinator.goa", "demo")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "nb")

    footer_form = page.locator("footer form:has(#language-select)")
    for language in ("nn", "nb"):
        page.locator("#language-select").select_option(language)
        with page.expect_navigation():
            footer_form.locator("[type=submit]").click()
        expect(html).to_have_attribute("lang", language)
        expect(page.locator("#language-select")).to_have_value(language)
        expect(page).to_have_url(DASHBOARD_URL)


def test_pages_are_accessible(page, log_in, assert_accessible):
    """axe-core (WCAG 2.0/2.1 A and AA) finds no serious or critical violation."""
    problems = []

    def check():
        try:
            assert_accessible(page)
        except AssertionError as error:
            problems.append(str(error))

    page.goto("/accounts/login/")
    check()

    log_in(page, "sf.nordland", "demo")
    expect(page).to_have_url(DASHBOARD_URL)
    check()

    page.goto("/partnerships/")
    check()
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=GOA, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(GOA)
    check()

    for path in (
        "/partnerships/organisations/",
        "/partnerships/rules/",
        "/partnerships/organisations/import/",
        "/partnerships/organisations/new/",
    ):
        response = page.goto(path)
        assert response.status == 200, f"{path}: HTTP {response.status}"
        check()

    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


def press_until_focused(page, selector, key="Tab", max_presses=10):
    """Press ``key`` until ``selector`` has focus (at most ``max_presses`` times)."""
    target = page.locator(selector)
    for _ in range(max_presses):
        page.keyboard.press(key)
        if target.evaluate("element => element === document.activeElement"):
            return
    expect(target).to_be_focused(timeout=0)  # fails with Playwright's message


def test_keyboard_only_login(page):
    page.goto("/accounts/login/")
    username = page.locator("#id_username")
    # Django's login form autofocuses the username field, so keyboard users start there.
    expect(username).to_be_focused()

    # The skip link comes first in the tab order: back to it, then forward to the form.
    press_until_focused(page, SKIP_LINK, key="Shift+Tab", max_presses=3)
    expect(page.locator(SKIP_LINK)).to_be_visible()  # visually hidden until focused
    press_until_focused(page, "#id_username", max_presses=5)

    page.keyboard.type("koordinator.goa")
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type("demo")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page).to_have_url(DASHBOARD_URL)
    expect(page.locator("main").get_by_role("link", name=GOA, exact=True)).to_be_visible()


def test_skip_link_moves_focus_to_main(page, log_in):
    log_in(page, "koordinator.goa", "demo")
    # No autofocus on the dashboard: the first Tab lands on the skip link, Enter follows it.
    page.keyboard.press("Tab")
    expect(page.locator(SKIP_LINK)).to_be_focused()
    expect(page.locator(SKIP_LINK)).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab goes into the content, past the navbar: to the first link in <main>.
    page.keyboard.press("Tab")
    expect(page.locator("main a").first).to_be_focused()
