"""Issue 22 in the browser: the measure's save button works on the first click whatever
autosave is doing, and the organisation import's preview shows an update old → new while an
empty cell keeps the stored value."""

import re

from django.utils import translation
from playwright.sync_api import expect

from partnerships.models import Organisation
from tests.factories import (
    make_county,
    make_org,
    make_partnership,
    make_region,
    make_user,
)
from tests.needs.conftest import make_report

REPORT_URL = re.compile(r"/needs/\d+/$")


def ui(msgid):
    with translation.override("nb"):
        return translation.gettext(msgid)


def _measure_page(page, log_in):
    county = make_county("Statsforvalteren i Nordland", officer=make_user("saksbehandler"))
    region = make_region(county, "Salten")
    coordinator = make_user("koordinator")
    partnership = make_partnership(
        region, "Salten-nettverket", owners=[make_org(county=county)], coordinators=[coordinator]
    )
    report = make_report(partnership, measures=[(50_000, 90_000)])
    measure = report.measures.get()
    log_in(page, "koordinator", "pw")
    page.goto(f"/needs/{report.pk}/measures/{measure.pk}/")
    return measure


def test_save_and_go_back_works_on_the_first_click_after_typing(page, live_db, log_in):
    measure = _measure_page(page, log_in)
    field = page.locator("#id_target_group")
    field.fill("Alle lærere på 5.–7. trinn")
    # Type, wait (the debounced autosave may run), click once: the click also moves the
    # focus off the field, which starts another save while the form is being sent.
    page.wait_for_timeout(300)
    page.get_by_role("button", name=ui("Save and go back to the report")).click()
    expect(page).to_have_url(REPORT_URL)
    expect(page.get_by_text(ui("The measure was saved."))).to_be_visible()
    measure.refresh_from_db()
    assert measure.target_group == "Alle lærere på 5.–7. trinn"

    # Again, with the autosave finished before the click.
    page.goto(f"/needs/{measure.report_id}/measures/{measure.pk}/")
    page.locator("#id_owner_use").fill("Frikjøp")
    page.wait_for_timeout(1200)
    page.get_by_role("button", name=ui("Save and go back to the report")).click()
    expect(page).to_have_url(REPORT_URL)
    expect(page.get_by_text(ui("The measure was saved."))).to_be_visible()
    measure.refresh_from_db()
    assert measure.owner_use == "Frikjøp"


def test_import_preview_shows_old_to_new_and_keeps_what_an_empty_cell_leaves(
    page, live_db, log_in, tmp_path
):
    county = make_county("Statsforvalteren i Nordland", officer=make_user("saksbehandler"))
    bodo = make_org("Bodø kommune", county=county)
    account = bodo.account_number
    bodo.payment_reference = "Kompetansemidler"
    bodo.save()
    upload = tmp_path / "organisasjoner.csv"
    upload.write_text(
        "\ufeffNavn;Type;Organisasjonsnummer;Kontonummer;Merking\r\n"
        f"Bodø kommune oppvekst;Kommune;{bodo.org_number};;\r\n",
        encoding="utf-8",
    )
    log_in(page, "saksbehandler", "pw")
    page.goto("/partnerships/organisations/import/")
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_role("button", name=ui("Preview")).click()
    row = page.locator("[data-import-preview] tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("oppdatering av Bodø kommune")
    expect(row).to_contain_text("Bodø kommune → Bodø kommune oppvekst")
    expect(row).not_to_contain_text("Kontonummer")  # the empty cell changes nothing
    bodo.refresh_from_db()
    assert bodo.name == "Bodø kommune"  # nothing written yet

    page.get_by_role("button", name=ui("Confirm import")).click()
    expect(page.get_by_role("status").first).to_contain_text("1")
    bodo = Organisation.objects.get(pk=bodo.pk)
    assert (bodo.name, bodo.account_number, bodo.payment_reference) == (
        "Bodø kommune oppvekst",
        account,
        "Kompetansemidler",
    )
