"""A coordinator writes a need report in the browser: creates it, adds two measures, sees the
totals and the split finding change as they type, fixes the split and submits.

The partnership has owners but no UH partner, so no UH contact (and no UH confirmation) is
needed for submission. UI text is matched through ``ui()``: the bokmål text from the catalog
the live server uses, or the English msgid when there is no translation.
"""

import re

from django.utils import translation
from playwright.sync_api import expect

from tests.factories import make_county, make_org, make_partnership, make_region, make_user

PARTNERSHIP = "Nettverk Helgelandskysten"
REPORT_URL = re.compile(r"/needs/\d+/$")
MEASURE_URL = re.compile(r"/needs/\d+/measures/\d+/$")


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
    """Fill a text field with a new value, leave it, and wait for the autosave to finish.

    Leaving a text field whose value changed since it got focus always starts a save (its
    change event marks the form dirty and focusout saves at once), so a request is sure to
    come. Afterwards nothing is pending and no field has focus, so pressing Save next
    cannot race an autosave. (Pressing Save while a field still has focus does race it:
    see the report of this test's author; the app re-renders the form without a message.)
    """
    field = page.locator(selector)
    field.fill(value)
    with page.expect_request(is_autosave):
        field.blur()
    expect(page.locator("[data-autosave-status]")).to_have_text(ui("All changes saved"))


def fill_measure(page, name, owner, uh, *, check_finding=None):
    """On a measure page: fill what submission needs, wait for autosave, save and go back."""
    page.locator("#id_name").fill(name)
    page.locator("#id_owner_amount").fill(owner)
    page.locator("#id_uh_amount").fill(uh)
    total = f"{int(owner.replace(' ', '')) + int(uh.replace(' ', '')):,}".replace(",", " ")
    expect(page.locator("[data-live-total]")).to_have_text(kr(total))
    fill_and_autosave(page, "#id_uh_amount", uh)
    summary = page.locator("#report-summary")
    if check_finding:
        expect(summary.locator(f"[data-finding='{check_finding}']")).to_be_visible()

    page.locator("input[name=purpose][value=implementation]").check()
    page.locator("#id_owner_use").fill("Frikjøp av lærere til nettverkssamlinger.")
    page.locator("#id_uh_use").fill("Faglig innhold og veiledning mellom samlingene.")
    page.locator("[data-field=coordinator_funds_needed]").get_by_role(
        "radio", name=ui("No")
    ).check()
    page.locator("#id_autumn_this_year").check()
    fill_and_autosave(page, "#id_target_group", "Alle ansatte i skolene")

    page.get_by_role("button", name=ui("Save and go back to the report")).click()
    expect(page).to_have_url(REPORT_URL)


def test_coordinator_writes_fixes_and_submits_a_need_report(page, live_db, log_in):
    county = make_county("Statsforvalteren i Nordland", officer=make_user("saksbehandler"))
    region = make_region(county, "Ytre Helgeland")
    owners = [
        make_org("Alstahaug kommune", county=county),
        make_org("Træna kommune", county=county),
    ]
    coordinator = make_user("koordinator", first_name="Tone", last_name="Dalen")
    make_partnership(region, PARTNERSHIP, owners=owners, coordinators=[coordinator])

    log_in(page, "koordinator", "pw")
    page.locator("header").get_by_role("link", name=ui("Need reports")).click()
    expect(page).to_have_url(re.compile(r"/needs/$"))
    page.get_by_role("link", name=ui("New need report")).click()
    expect(page).to_have_url(re.compile(r"/needs/new/$"))
    page.locator("#id_partnership").select_option(label=PARTNERSHIP)
    page.locator("#id_scheme").select_option(label="Dekom")
    page.locator("#id_year").fill("2025")
    page.get_by_role("button", name=ui("Create")).click()
    expect(page).to_have_url(REPORT_URL)
    report_url = page.url

    status = page.get_by_test_id("status")
    expect(status).to_have_text(ui("Draft"))
    summary = page.locator("#report-summary")
    expect(summary.locator("[data-total=total]")).to_have_text(kr("0"))

    # Measure 1: 60 000 / 40 000 (UH 40 %): the split finding appears while typing.
    page.get_by_role("button", name=ui("Add measure")).click()
    expect(page).to_have_url(MEASURE_URL)
    fill_measure(
        page,
        "Nettverk i lesing",
        "60 000",
        "40 000",
        check_finding="uh_share_below_minimum",
    )
    expect(page.get_by_test_id("measures-table").locator("tbody tr")).to_have_count(1)
    expect(summary.locator("[data-total=owner]")).to_have_text(kr("60 000"))
    expect(summary.locator("[data-total=uh]")).to_have_text(kr("40 000"))
    expect(summary.locator("[data-total=total]")).to_have_text(kr("100 000"))
    expect(summary.locator("[data-finding=uh_share_below_minimum]")).to_be_visible()

    # Measure 2: 50 000 / 50 000. Totals 110 000 / 90 000: still below 60 % UH.
    page.get_by_role("button", name=ui("Add measure")).click()
    expect(page).to_have_url(MEASURE_URL)
    fill_measure(page, "Kompetansedag", "50 000", "50 000")
    expect(page.get_by_test_id("measures-table").locator("tbody tr")).to_have_count(2)
    expect(summary.locator("[data-total=total]")).to_have_text(kr("200 000"))
    expect(summary.locator("[data-finding=uh_share_below_minimum]")).to_be_visible()

    # Report details: the owner's contact and numbers, co-determination "No".
    page.get_by_role("link", name=ui("Edit details")).click()
    expect(page).to_have_url(re.compile(r"/needs/\d+/details/$"))
    page.locator("#id_owner_contact_name").fill("Tone Dalen")
    page.locator("#id_owner_contact_email").fill("tone.dalen@alstahaug.kommune.no")
    page.locator("#id_owner_org_number").fill("938 712 441")
    page.locator("#id_owner_account_number").fill("4516 27 94918")
    page.locator("[data-field=codetermination_discussed]").get_by_role(
        "radio", name=ui("No")
    ).check()
    page.get_by_role("button", name=ui("Save")).click()
    expect(page).to_have_url(report_url)
    details = page.locator("#details-heading").locator("xpath=../..")
    expect(details).to_contain_text("938 712 441")
    expect(details).to_contain_text("4516 27 94918")

    # Only the split is left; the submit section says so.
    problems = page.get_by_test_id("problems")
    expect(problems.locator("li")).to_have_count(1)

    # Fix the split on measure 1: 20 000 / 80 000, so UH has 130 000 of 200 000 (65 %).
    page.get_by_test_id("measures-table").get_by_role(
        "link", name="Nettverk i lesing", exact=True
    ).click()
    expect(page).to_have_url(MEASURE_URL)
    page.locator("#id_owner_amount").fill("20 000")
    page.locator("#id_uh_amount").fill("80 000")
    expect(page.locator("[data-live-total]")).to_have_text(kr("100 000"))
    fill_and_autosave(page, "#id_uh_amount", "80 000")
    expect(page.locator("#report-summary [data-finding=none]")).to_be_visible()
    expect(page.locator("#report-summary [data-finding=uh_share_below_minimum]")).to_have_count(0)
    page.get_by_role("button", name=ui("Save and go back to the report")).click()
    expect(page).to_have_url(report_url)
    expect(summary.locator("[data-finding=none]")).to_be_visible()
    expect(summary.locator("[data-total=owner]")).to_have_text(kr("70 000"))
    expect(summary.locator("[data-total=uh]")).to_have_text(kr("130 000"))
    expect(problems).to_have_count(0)

    page.get_by_role("button", name=ui("Submit need report")).click()
    expect(page).to_have_url(report_url)
    expect(status).to_have_text(ui("Submitted"))
    # Locked: no submit section, no measure or details editing.
    expect(page.locator("#submit-heading")).to_have_count(0)
    expect(page.get_by_role("button", name=ui("Add measure"))).to_have_count(0)
    expect(page.locator("a[href$='/details/']")).to_have_count(0)
    expect(page.locator("a[href$='/versions/1/']")).to_be_visible()
