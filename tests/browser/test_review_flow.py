"""Statsforvalteren and a coordinator in two browsers: return for changes, resubmit
(version 2), allocate within the frame, decide; the coordinator sees the allocation.

UI text is matched through ``ui()``: the bokmål text from the catalog the live server
uses, or the English msgid when there is no translation.
"""

import re

from django.utils import translation
from playwright.sync_api import expect

from needs.models import Frame
from needs.services import need_report_submit
from tests.factories import (
    make_county,
    make_org,
    make_partnership,
    make_region,
    make_user,
    scheme,
)
from tests.needs.conftest import make_report

PARTNERSHIP = "Nettverk Helgelandskysten"
RETURN_MESSAGE = "Tiltak 1 mangler egenandel. Reduser eierdelen til 30 000 kr."


def ui(msgid):
    """A regex for the whole UI text of ``msgid``: its bokmål translation or the msgid."""
    with translation.override("nb"):
        translated = translation.gettext(msgid)
    options = {re.escape(msgid), re.escape(translated)}
    return re.compile(r"^\s*(?:" + "|".join(sorted(options)) + r")\s*$")


def kr(amount):
    """A regex for an amount as the portal shows it ("100 000 kr", no-break spaces or not)."""
    return re.compile(r"^\s*" + amount.replace(" ", r"[\s\u00a0\u202f]") + r"[\s\u00a0]kr\s*$")


def is_autosave(request):
    return request.method == "POST" and request.headers.get("x-requested-with") == "autosave"


def fill_and_autosave(page, selector, value):
    """Fill a text field, leave it, and wait until the autosave that follows has finished,
    so that pressing Save next cannot race an autosave."""
    field = page.locator(selector)
    field.fill(value)
    with page.expect_request(is_autosave):
        field.blur()
    expect(page.locator("[data-autosave-status]")).to_have_text(ui("All changes saved"))


def test_return_resubmit_allocate_decide(new_page, live_db, log_in):
    officer = make_user("saksbehandler", first_name="Nora", last_name="Nordland")
    coordinator = make_user("koordinator", first_name="Tone", last_name="Dalen")
    county = make_county("Statsforvalteren i Nordland", officer=officer)
    region = make_region(county, "Ytre Helgeland")
    owners = [
        make_org("Alstahaug kommune", county=county),
        make_org("Træna kommune", county=county),
    ]
    partnership = make_partnership(region, PARTNERSHIP, owners=owners, coordinators=[coordinator])
    # 60 000 / 140 000: UH 70 %. Submitted through the service, so it is version 1.
    report = make_report(partnership, "dekom", 2024, measures=[(40_000, 60_000), (20_000, 80_000)])
    need_report_submit(report=report, user=coordinator)
    Frame.objects.create(
        county_office=county, scheme=scheme("dekom"), year=2024, amount=1_000_000, committed=200_000
    )
    report_path = f"/needs/{report.pk}/"
    report_url = re.compile(rf"/needs/{report.pk}/$")

    officer_page = new_page()
    coordinator_page = new_page()
    log_in(officer_page, "saksbehandler", "pw")
    log_in(coordinator_page, "koordinator", "pw")

    # The officer finds the report in the review queue and returns it with a message.
    officer_page.locator("header").get_by_role("link", name=ui("Review queue")).click()
    expect(officer_page).to_have_url(re.compile(r"/needs/review/$"))
    officer_page.get_by_test_id("queue").get_by_role("link", name=PARTNERSHIP).click()
    expect(officer_page).to_have_url(report_url)
    officer_status = officer_page.get_by_test_id("status")
    expect(officer_status).to_have_text(ui("Submitted"))
    officer_page.locator("#return-message").fill(RETURN_MESSAGE)
    officer_page.get_by_role("button", name=ui("Return for changes")).click()
    expect(officer_status).to_have_text(ui("Returned for changes"))

    # The coordinator sees the message, lowers the owner part of measure 1 and resubmits.
    coordinator_page.goto(report_path)
    coordinator_status = coordinator_page.get_by_test_id("status")
    expect(coordinator_status).to_have_text(ui("Returned for changes"))
    expect(
        coordinator_page.locator("main .ds-alert[data-color=warning][role=alert]")
    ).to_contain_text(RETURN_MESSAGE)
    coordinator_page.get_by_test_id("measures-table").get_by_role(
        "link", name="Tiltak 1", exact=True
    ).click()
    expect(coordinator_page).to_have_url(re.compile(rf"/needs/{report.pk}/measures/\d+/$"))
    fill_and_autosave(coordinator_page, "#id_owner_amount", "30 000")
    coordinator_page.get_by_role("button", name=ui("Save and go back to the report")).click()
    expect(coordinator_page).to_have_url(report_url)
    summary = coordinator_page.locator("#report-summary")
    expect(summary.locator("[data-total=total]")).to_have_text(kr("190 000"))
    expect(summary.locator("[data-finding=none]")).to_be_visible()
    coordinator_page.get_by_role("button", name=ui("Submit need report")).click()
    expect(coordinator_status).to_have_text(ui("Submitted"))
    expect(coordinator_page.locator(f"a[href='/needs/{report.pk}/versions/2/']")).to_be_visible()

    # The officer allocates what was requested, within the frame (1 000 000 - 200 000).
    officer_page.reload()
    expect(officer_status).to_have_text(ui("Submitted"))
    officer_page.locator("#review-heading").locator("xpath=..").locator(
        "a[href*='/needs/allocation/']"
    ).click()
    expect(officer_page).to_have_url(re.compile(rf"/needs/allocation/{county.pk}/dekom/2024/$"))
    allocated = officer_page.get_by_test_id("allocated")
    remaining = officer_page.get_by_test_id("remaining")
    expect(allocated).to_have_text(kr("0"))
    expect(remaining).to_have_text(kr("800 000"))
    # The inputs default to the requested amounts; the totals follow what is typed.
    owner_inputs = officer_page.locator("input[data-alloc][data-side=owner]")
    uh_inputs = officer_page.locator("input[data-alloc][data-side=uh]")
    expect(owner_inputs).to_have_count(2)
    expect(owner_inputs.nth(0)).to_have_value(re.compile(r"^30[\s\u00a0]000$"))
    expect(uh_inputs.nth(1)).to_have_value(re.compile(r"^80[\s\u00a0]000$"))
    uh_inputs.nth(1).fill("70 000")
    expect(allocated).to_have_text(kr("180 000"))
    expect(remaining).to_have_text(kr("620 000"))
    uh_inputs.nth(1).fill("80 000")
    expect(allocated).to_have_text(kr("190 000"))
    expect(remaining).to_have_text(kr("610 000"))
    # A wrong amount saves nothing: every input keeps what was typed, the wrong one says why.
    owner_inputs.nth(1).fill("20 000,50")
    with officer_page.expect_navigation():
        officer_page.get_by_role("button", name=ui("Save priorities and allocations")).click()
    expect(owner_inputs.nth(1)).to_have_value("20 000,50")
    expect(owner_inputs.nth(1)).to_have_attribute("aria-invalid", "true")
    expect(owner_inputs.nth(1)).to_have_accessible_description(
        ui("Write whole kroner without øre (no decimals).")
    )
    expect(uh_inputs.nth(1)).to_have_value("80 000")
    expect(allocated).to_have_text(kr("0"))
    owner_inputs.nth(1).fill("20 000")
    expect(allocated).to_have_text(kr("190 000"))
    with officer_page.expect_navigation():
        officer_page.get_by_role("button", name=ui("Save priorities and allocations")).click()
    expect(officer_page.locator("main .ds-alert[data-color=success]")).to_have_count(1)
    expect(allocated).to_have_text(kr("190 000"))
    expect(remaining).to_have_text(kr("610 000"))

    # Back on the report, the officer decides.
    officer_page.get_by_role("link", name=PARTNERSHIP).click()
    expect(officer_page).to_have_url(report_url)
    officer_page.get_by_role("button", name=ui("Decide: allocate")).click()
    # A decision asks for confirmation first, naming who will be notified.
    expect(officer_page.get_by_test_id("decision-recipients")).to_contain_text("@")
    officer_page.get_by_role("button", name=ui("Confirm: allocate")).click()
    expect(officer_status).to_have_text(ui("Allocated"))

    # The coordinator sees the decision and the allocated amounts per measure.
    coordinator_page.reload()
    expect(coordinator_status).to_have_text(ui("Allocated"))
    table = coordinator_page.get_by_test_id("measures-table")
    expect(table.get_by_role("columnheader", name=ui("Allocated owner"))).to_be_visible()
    expect(table.get_by_role("columnheader", name=ui("Allocated UH"))).to_be_visible()
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    # Columns: #, measure, owner, UH, total, UH share, allocated owner, allocated UH.
    expect(rows.nth(0).locator("td").nth(6)).to_have_text(kr("30 000"))
    expect(rows.nth(0).locator("td").nth(7)).to_have_text(kr("60 000"))
    expect(rows.nth(1).locator("td").nth(6)).to_have_text(kr("20 000"))
    expect(rows.nth(1).locator("td").nth(7)).to_have_text(kr("80 000"))
    footer = table.locator("tfoot td")
    expect(footer.nth(4)).to_have_text(kr("50 000"))
    expect(footer.nth(5)).to_have_text(kr("140 000"))
    expect(coordinator_page.locator("#submit-heading")).to_have_count(0)
