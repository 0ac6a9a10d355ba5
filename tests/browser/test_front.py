"""The front of house (issue 19): every main page of each role at phone width (390 px) and at
desktop width without the page sliding sideways and with no serious or critical axe finding;
the menu marks where you are and fits at 1280 px; the error pages; the officer's message kept
with "Mark as reviewed"; the autosave status after a field error.
"""

import re

import pytest
from playwright.sync_api import expect

from needs.models import NeedReport
from tests.factories import submit_directly

pytestmark = pytest.mark.usefixtures("demo_data")

GOA = "God opplæring for alle"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def seed_report():
    return NeedReport.objects.select_related("partnership__region").get(
        partnership__name=GOA, scheme__code="dekom", year=2024
    )


def main_pages(role):
    report = seed_report()
    measure = report.measures.order_by("position").first()
    base = f"/needs/{report.pk}"
    county = report.partnership.region.county_office_id
    pages = {
        "koordinator.goa": [
            "/",
            "/needs/",
            f"{base}/",
            f"{base}/measures/{measure.pk}/",
            f"{base}/details/",
            f"{base}/versions/",
            "/partnerships/",
            "/activity-plan/",
            "/reporting/exports/",
            "/accessibility/",
        ],
        "uh.hinn": ["/", "/needs/", f"{base}/", "/activity-plan/"],
        "sf.nordland": [
            "/",
            "/needs/review/",
            f"{base}/",
            f"/needs/allocation/{county}/dekom/2024/",
            "/reporting/annual/",
            "/reporting/statistics/",
            "/reporting/exports/",
            "/reporting/exports/pdf/",
            "/partnerships/organisations/",
            "/partnerships/rules/",
        ],
    }
    return pages[role]


def no_sideways_scroll(page):
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("role", ["koordinator.goa", "uh.hinn", "sf.nordland"])
def test_main_pages_fit_a_phone_and_pass_axe_at_both_widths(
    new_page, log_in, assert_accessible, role
):
    if role == "sf.nordland":
        submit_directly(seed_report())
    problems = []
    for viewport in (PHONE, DESKTOP):
        page = new_page(viewport=viewport)
        log_in(page, role)
        for path in main_pages(role):
            response = page.goto(path)
            assert response.status == 200, f"{path}: HTTP {response.status}"
            expect(page.locator("main h1")).to_be_visible()
            if not no_sideways_scroll(page):
                width = page.evaluate("document.scrollingElement.scrollWidth")
                problems.append(f"{path} at {viewport['width']} px: page is {width} px wide")
            try:
                assert_accessible(page)
            except AssertionError as error:
                problems.append(f"at {viewport['width']} px: {error}")
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_the_menu_marks_where_you_are_and_fits_for_an_officer(page, log_in):
    log_in(page, "sf.nordland")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/needs/review/")
    current = page.locator(".site-nav [aria-current=page]")
    expect(current).to_have_count(1)
    expect(current).to_have_text("Behandlingskø")
    nav = page.locator(".site-nav__list")
    # One line of menu entries, none cut off at the right.
    tops = nav.locator(":scope > li").evaluate_all("els => els.map(e => e.offsetTop)")
    assert len(set(tops)) == 1, tops
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    expect(page.locator("[data-testid=affiliation]")).to_contain_text("Nordland")
    # The County office menu opens without Bootstrap's JavaScript.
    page.locator(".site-nav__menu summary").click()
    expect(page.get_by_role("link", name="Statistikk")).to_be_visible()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_error_pages_are_norwegian_with_a_way_back(new_page, log_in, assert_accessible, viewport):
    page = new_page(viewport=viewport)
    log_in(page, "koordinator.goa")
    response = page.goto("/needs/999999/")
    assert response.status == 404
    expect(page.locator("main h1")).to_have_text("Fant ikke siden")
    expect(page.locator(".site-nav")).to_be_visible()
    back = page.locator("[data-testid=way-back] a")
    expect(back).to_have_text("Gå til oversikten")
    assert no_sideways_scroll(page)
    assert_accessible(page)
    # A page for officers only, for a coordinator: 403 in the layout.
    county = seed_report().partnership.region.county_office_id
    response = page.goto(f"/needs/allocation/{county}/dekom/2024/")
    assert response.status in (403, 404)
    expect(page.locator("[data-testid=way-back] a")).to_be_visible()
    back.click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_the_officers_message_is_kept_when_marking_as_reviewed(page, log_in):
    report = seed_report()
    submit_directly(report)
    log_in(page, "sf.nordland")
    page.goto(f"/needs/{report.pk}/")
    page.locator("#return-message").fill("Fint arbeid, husk egenandelen i tiltak 3.")
    with page.expect_navigation():
        page.get_by_role("button", name="Merk som gjennomgått").click()
    expect(page.locator("main")).to_contain_text("Meldingen din ble lagt inn som en kommentar")
    expect(page.locator("main")).to_contain_text("Fint arbeid, husk egenandelen i tiltak 3.")
    report.refresh_from_db()
    assert report.status == "reviewed"
    assert report.comments.filter(text__contains="egenandelen").exists()


def test_autosave_does_not_say_all_saved_while_a_field_has_an_error(page, log_in):
    report = seed_report()
    measure = report.measures.order_by("position").first()
    log_in(page, "koordinator.goa")
    page.goto(f"/needs/{report.pk}/measures/{measure.pk}/")
    status = page.locator("[data-autosave-status]")
    page.locator("#id_owner_amount").fill("mange kroner")
    page.locator("#id_name").focus()
    expect(status).to_have_text(re.compile("Ikke alt ble lagret"))
    expect(page.locator("#id_owner_amount")).to_have_attribute("aria-invalid", "true")
    page.locator("#id_owner_amount").fill("60 000")
    page.locator("#id_name").focus()
    expect(status).to_have_text("Alle endringer er lagret")


def test_the_plans_filters_show_the_period_of_the_heading(page, log_in):
    from django.utils import timezone

    from plans.selectors import half_year_label, half_year_of

    today = timezone.localdate()
    year, half = half_year_of(today)
    log_in(page, "koordinator.goa")
    page.goto("/activity-plan/")
    expect(page.locator("main h1")).to_contain_text(str(half_year_label(year, half)))
    expect(page.locator("#id_year")).to_have_value(str(year))
    expect(page.locator("#id_half")).to_have_value(half)
    # "Show" without changing anything stays on the same period.
    with page.expect_navigation():
        page.get_by_role("button", name="Vis").click()
    expect(page.locator("main h1")).to_contain_text(str(half_year_label(year, half)))
    # The month view of the current half-year opens this month, not its first.
    with page.expect_navigation():
        page.get_by_role("link", name="Månedsvisning").click()
    expect(page).to_have_url(re.compile(rf"month={today.month}\b"))
    expect(page.locator("#id_month")).to_have_value(str(today.month))


def test_a_coordinator_waiting_only_for_the_uh_can_ask_and_submit_waits(page, log_in):
    from django.core import mail

    from needs.totals import refresh_totals

    report = seed_report()
    # Move the 7 400 kr the seed report lacks to UH: then only the UH confirmation is missing.
    first = report.measures.order_by("position").first()
    first.owner_amount -= 7_400
    first.uh_amount += 7_400
    first.save()
    refresh_totals(report)
    log_in(page, "koordinator.goa")
    page.goto(f"/needs/{report.pk}/")
    expect(page.get_by_test_id("waiting-for-uh")).to_be_visible()
    submit = page.get_by_role("button", name="Send inn behovsmelding")
    expect(submit).to_be_disabled()
    expect(submit).to_have_attribute("aria-describedby", "submit-waits")
    mail.outbox.clear()
    with page.expect_navigation():
        page.get_by_role("button", name="Be UH-kontakten bekrefte").click()
    expect(page.locator("main")).to_contain_text("UH-kontakten er bedt om å bekrefte UH-delen.")
    assert any("Bekreft UH-delen" in message.subject for message in mail.outbox)
