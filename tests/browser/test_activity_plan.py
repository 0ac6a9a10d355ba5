"""A coordinator plans a network meeting in the browser and finds it in the half-year plan,
linked to the measure that funds it (the demo's Ytre Helgeland partnership)."""

import re

from playwright.sync_api import expect

MEASURE = "Dekom 2024: Tverrkommunalt nettverk 5.–10. trinn i språk, lesing og skriving"


def test_create_an_activity_and_see_it_in_the_half_year_plan(
    page, demo_data, log_in, assert_accessible
):
    log_in(page, "koordinator.goa")
    page.goto("/activity-plan/?year=2025&half=spring")
    page.get_by_role("link", name="Ny aktivitet").click()
    expect(page).to_have_url(re.compile(r"/activity-plan/partnerships/\d+/new/$"))
    assert_accessible(page)

    page.get_by_label("Tittel", exact=True).fill("Ekstra nettverkssamling: lesing i alle fag")
    page.get_by_label("Type", exact=True).select_option(label="Nettverkssamling")
    page.get_by_label("Dato", exact=True).fill("2025-03-19")
    page.get_by_label("Fra kl.").fill("09:00")
    page.get_by_label("Til kl.").fill("08:00")  # before the start: refused with a message
    page.get_by_label("Sted", exact=True).fill("Sandnessjøen")
    page.get_by_label("Forberedelse (lesebestilling/oppgave)").fill("Les artikkelen om lesing")
    page.get_by_label(MEASURE).check()
    page.get_by_role("button", name="Lagre aktivitet").click()

    expect(page.locator("#err-end_time")).to_contain_text("Aktiviteten slutter før den begynner")
    title = page.get_by_label("Tittel", exact=True)
    expect(title).to_have_value("Ekstra nettverkssamling: lesing i alle fag")
    expect(page.get_by_label(MEASURE)).to_be_checked()
    page.get_by_label("Til kl.").fill("15:00")
    page.get_by_role("button", name="Lagre aktivitet").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ekstra nettverkssamling: lesing i alle fag"
    )
    expect(page.get_by_test_id("when")).to_contain_text("19.03.2025")
    page.get_by_role("link", name=re.compile("^Aktivitetsplan: God opplæring for alle")).click()

    table = page.get_by_test_id("plan-table")
    row = table.locator("tr", has_text="Ekstra nettverkssamling: lesing i alle fag")
    expect(row).to_contain_text("19.03.2025")
    expect(row).to_contain_text("kl. 09.00–15.00")
    expect(row).to_contain_text("Les artikkelen om lesing")
    expect(row.get_by_role("link", name=re.compile("Tverrkommunalt nettverk 5"))).to_be_visible()
    assert_accessible(page)
