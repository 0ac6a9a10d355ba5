"""axe-core (WCAG 2.0/2.1 A and AA) on the main pages for each role, with the demo data;
keyboard order on the measure form, and the main flow (log in, open a report, change an
amount, save) by keyboard alone.

Every page is checked before the test fails, so one run lists all serious and critical
violations (rule, impact, element).
"""

import re

import pytest
from playwright.sync_api import expect

from needs.models import Allocation, NeedReport
from needs.totals import refresh_totals
from tests.factories import submit_directly

GOA = "God opplæring for alle"

pytestmark = pytest.mark.usefixtures("demo_data")


def seed_report():
    """The seed 002 report: Dekom 2024 of "God opplæring for alle" (a draft in the demo)."""
    return NeedReport.objects.select_related("partnership__region").get(
        partnership__name=GOA, scheme__code="dekom", year=2024
    )


def mark_submitted(report):
    """The seed report is 7 400 kr short of the 60 % UH share, so the submit service would
    (rightly) refuse it: straight in the database."""
    return submit_directly(report)


class PageChecker:
    """Open pages and run axe on each; collect the violations, fail once at the end."""

    def __init__(self, page, assert_accessible):
        self.page = page
        self.assert_accessible = assert_accessible
        self.problems = []

    def check(self, path, ready=None):
        response = self.page.goto(path)
        assert response.status == 200, f"{path}: HTTP {response.status}"
        expect(self.page.locator("main h1")).to_be_visible()
        if ready is not None:
            expect(self.page.locator(ready).first).to_be_visible()
        try:
            self.assert_accessible(self.page)
        except AssertionError as error:
            self.problems.append(str(error))

    def finish(self):
        if self.problems:
            pytest.fail("\n\n".join(self.problems), pytrace=False)


def test_coordinator_pages_are_accessible(page, log_in, assert_accessible):
    report = seed_report()
    measure = report.measures.order_by("position").first()
    base = f"/needs/{report.pk}"
    log_in(page, "koordinator.goa")
    checker = PageChecker(page, assert_accessible)

    checker.check("/needs/", ready=f"main a[href='{base}/']")
    checker.check(f"{base}/", ready="[data-testid=measures-table]")
    checker.check(f"{base}/measures/{measure.pk}/", ready="#id_owner_amount")
    checker.check(f"{base}/details/", ready="#id_owner_contact_name")
    checker.check(f"{base}/versions/")
    checker.finish()


def test_officer_pages_are_accessible(page, log_in, assert_accessible):
    report = seed_report()
    mark_submitted(report)
    Allocation.objects.bulk_create(
        Allocation(measure=m, owner_amount=m.owner_amount, uh_amount=m.uh_amount)
        for m in report.measures.all()
    )
    refresh_totals(report)
    county = report.partnership.region.county_office_id
    base = f"/needs/{report.pk}"
    log_in(page, "sf.nordland")
    checker = PageChecker(page, assert_accessible)

    checker.check("/needs/review/", ready=f"[data-testid=queue] a[href='{base}/']")
    checker.check(f"{base}/", ready="#review-heading")
    checker.check(f"{base}/versions/", ready="#cmp-a")
    checker.check(f"{base}/versions/?a=1&b=current", ready="[data-testid=diff]")
    checker.check(f"{base}/versions/1/")
    checker.check(f"/needs/allocation/{county}/dekom/2024/", ready="input[data-alloc]")
    checker.check(
        f"/needs/allocation/{county}/dekom/2024/rescale/?new_amount=9000000",
        ready="[data-testid=new-total]",
    )
    checker.finish()


def test_keyboard_order_on_the_measure_form(page, log_in):
    report = seed_report()
    measure = report.measures.order_by("position").first()
    log_in(page, "koordinator.goa")
    page.goto(f"/needs/{report.pk}/measures/{measure.pk}/")
    expect(page).to_have_url(re.compile(rf"/measures/{measure.pk}/$"))

    name = page.locator("#id_name")
    name.focus()
    expect(name).to_be_focused()
    # The amounts come right after the name, owner before UH: no stray stops in between.
    page.keyboard.press("Tab")
    expect(page.locator("#id_owner_amount")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#id_uh_amount")).to_be_focused()
    # And back again.
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#id_owner_amount")).to_be_focused()


def test_login_page_is_accessible(page, assert_accessible):
    checker = PageChecker(page, assert_accessible)
    checker.check("/accounts/login/", ready="#id_username")
    checker.finish()


def test_coordinator_overview_pages_are_accessible(page, log_in, assert_accessible):
    report = seed_report()
    log_in(page, "koordinator.goa")
    checker = PageChecker(page, assert_accessible)
    checker.check("/", ready=f"main a[href='/partnerships/{report.partnership_id}/']")
    checker.check("/partnerships/", ready=f"main a[href='/partnerships/{report.partnership_id}/']")
    checker.check(f"/partnerships/{report.partnership_id}/")
    checker.check("/reporting/exports/")
    checker.finish()


def test_uh_contact_pages_are_accessible(page, log_in, assert_accessible):
    """The UH contact reads the report and its measures (the form is read-only for them)."""
    report = seed_report()
    measure = report.measures.order_by("position").first()
    base = f"/needs/{report.pk}"
    log_in(page, "uh.hinn")
    checker = PageChecker(page, assert_accessible)
    checker.check("/", ready=f"main a[href='/partnerships/{report.partnership_id}/']")
    checker.check("/needs/", ready=f"main a[href='{base}/']")
    checker.check(f"{base}/", ready="[data-testid=measures-table]")
    checker.check(f"{base}/measures/{measure.pk}/", ready="#id_owner_amount")
    checker.check(f"/partnerships/{report.partnership_id}/")
    checker.finish()


def test_officer_overview_pages_are_accessible(page, log_in, assert_accessible):
    """The case officer's pages other than the report and allocation (see above)."""
    report = seed_report()
    mark_submitted(report)
    log_in(page, "sf.nordland")
    checker = PageChecker(page, assert_accessible)
    checker.check("/", ready="main .stack-list")
    checker.check("/needs/", ready=f"main a[href='/needs/{report.pk}/']")
    checker.check("/partnerships/", ready=f"main a[href='/partnerships/{report.partnership_id}/']")
    checker.check("/partnerships/organisations/", ready="main table")
    checker.check("/partnerships/rules/")
    checker.check("/reporting/statistics/", ready="main table")
    checker.check("/reporting/exports/pdf/", ready="#id_county_office")
    checker.check("/reporting/exports/")
    checker.finish()


def test_admin_pages_are_accessible(page, log_in, assert_accessible):
    log_in(page, "admin")
    checker = PageChecker(page, assert_accessible)
    checker.check("/", ready="main .stack-list")
    checker.check("/needs/review/")
    checker.check("/reporting/statistics/", ready="main table")
    checker.finish()


def tab_to(page, selector, limit=60, backwards=False):
    """Press Tab (or Shift+Tab) until the element matching ``selector`` has the focus; fail if
    it is not reached within ``limit`` presses (not reachable by keyboard)."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    focused = page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
    pytest.fail(f"{selector} not reached with {limit} x {key}; the focus is on {focused}")


def test_main_flow_by_keyboard_alone(page):
    """Log in, open the seed report from the menu, change a measure's owner amount and save:
    Tab, Shift+Tab, typing and Enter only, with a visible focus on every stop."""
    report = seed_report()
    measure = report.measures.order_by("position").first()
    page.goto("/accounts/login/")

    tab_to(page, "#id_username")
    page.keyboard.type("koordinator.goa")
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type("demo")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("main h1")).to_be_visible()

    tab_to(page, "header a[href='/needs/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/needs/$"))

    tab_to(page, f"main a[href='/needs/{report.pk}/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("[data-testid=measures-table]")).to_be_visible()

    tab_to(page, f"[data-testid=measures-table] a[href='measures/{measure.pk}/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/measures/{measure.pk}/$"))

    tab_to(page, "#id_owner_amount")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    shadow = page.evaluate("getComputedStyle(document.activeElement).boxShadow")
    assert outline != "none" or shadow != "none", "no visible focus on the amount field"
    page.keyboard.press("Control+A")
    page.keyboard.type("43 000")
    tab_to(page, "#measure-form [type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/needs/{report.pk}/$"))
    expect(page.locator("[data-testid=measures-table]")).to_contain_text("43 000")
    measure.refresh_from_db()
    assert measure.owner_amount == 43_000
