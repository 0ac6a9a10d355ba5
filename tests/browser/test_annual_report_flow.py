"""The annual report in the browser, with the demo data: koordinator.goa opens the allocated
Rekom 2024 report, starts the annual report, types a negative amount (kept, with an error),
corrects it, spends more than allocated (a finding, not an error), comments, is refused
submission until uh.hinn has confirmed the UH part, and submits;
sf.nordland finds it in the status list, sees the comment as unread, approves it and decides
that the unused funds are carried over.
"""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from needs.models import NeedReport
from reporting.models import AnnualReport

pytestmark = pytest.mark.usefixtures("demo_data")


def ui(msgid):
    """A regex for the whole UI text of ``msgid``: its bokmål translation or the msgid."""
    with translation.override("nb"):
        translated = translation.gettext(msgid)
    options = {re.escape(msgid), re.escape(translated)}
    return re.compile(r"^\s*(?:" + "|".join(sorted(options)) + r")\s*$")


def nb(msgid):
    with translation.override("nb"):
        return translation.gettext(msgid)


def test_coordinator_reports_and_county_office_approves(new_page, log_in, assert_accessible):
    need = NeedReport.objects.get(partnership__name="God opplæring for alle", scheme__code="rekom")
    page = new_page()
    log_in(page, "koordinator.goa")
    page.goto(need.get_absolute_url())
    page.get_by_test_id("annual-report-link").get_by_role("link").click()
    expect(page.get_by_test_id("annual-status")).to_have_text(ui("Not started"))
    page.get_by_role("button", name=ui("Start the annual report")).click()
    assert_accessible(page)

    # A negative amount is refused; everything else typed is kept.
    page.locator("input[name$='-owner_used']").fill("-500")
    page.locator("input[name$='-uh_used']").fill("800 000")
    page.locator("textarea[name$='-effect']").fill("Barna leker mer med språk")
    page.locator("textarea[name$='-process']").fill("Seks samlinger med SePU")
    page.locator("textarea[name$='-structure']").fill("Språkplan i alle barnehager")
    page.get_by_role("button", name=ui("Save")).click()
    expect(page.locator("[data-error-for$='-owner_used']")).not_to_be_empty()
    expect(page.locator("textarea[name$='-effect']")).to_have_value("Barna leker mer med språk")

    page.locator("input[name$='-owner_used']").fill("500 000")
    page.locator("textarea[name='unused_note']").fill("Reisene ble billigere")
    page.get_by_role("button", name=ui("Save")).click()

    # On the annual report page: used/unused and the finding with its figures.
    table = page.get_by_test_id("spending-table")
    expect(table).to_contain_text(re.compile(r"5[\s\u00a0]000[\s\u00a0]kr"))
    expect(page.get_by_test_id("findings")).to_contain_text(
        re.compile(r"6[\s\u00a0]000[\s\u00a0]kr")
    )
    assert_accessible(page)
    # A comment in the thread the need report uses too.
    page.locator("#comments textarea[name='text']").fill("Reisene ble billigere enn planlagt")
    page.get_by_role("button", name=ui("Post comment")).click()
    expect(page.get_by_test_id("comments")).to_contain_text("Reisene ble billigere enn planlagt")
    # The partnership has a UH partner: without the UH contact's confirmation the annual
    # report is refused, with the reason.
    expect(page.get_by_test_id("problems")).to_contain_text(
        nb("The UH contact has not yet confirmed the UH part of this version.")
    )
    page.get_by_role("button", name=ui("Submit annual report")).click()
    expect(page.get_by_test_id("annual-status")).to_have_text(ui("Draft"))
    expect(page.get_by_role("alert").first).to_contain_text(
        nb("The UH contact has not yet confirmed the UH part of this version.")
    )
    assert AnnualReport.objects.get(need_report=need).status == "draft"

    uh = new_page()
    log_in(uh, "uh.hinn")
    uh.goto(page.url)
    uh.get_by_role("button", name=ui("Confirm the UH spending")).click()
    expect(uh.get_by_test_id("uh-confirmed")).to_be_visible()

    page.reload()
    page.get_by_role("button", name=ui("Submit annual report")).click()
    expect(page.get_by_test_id("annual-status")).to_have_text(ui("Submitted"))

    officer = new_page()
    log_in(officer, "sf.nordland")
    officer.locator("header summary", has_text=ui("County office")).click()
    officer.locator("header").get_by_role("link", name=ui("Annual reports")).click()
    row = officer.get_by_test_id("annual-status").locator("tr", has_text="God opplæring for alle")
    expect(row).to_contain_text(nb("Submitted"))
    assert_accessible(officer)
    row.get_by_role("link").click()
    # The coordinator's comment is new to the officer.
    expect(officer.get_by_test_id("unread-count")).to_be_visible()
    officer.get_by_label(ui("Carried over to next year")).check()
    officer.get_by_role("button", name=ui("Approve")).click()
    expect(officer.get_by_test_id("annual-status")).to_have_text(ui("Approved"))
    annual = AnnualReport.objects.get(need_report=need)
    assert (annual.status, annual.unused_handling) == ("approved", "carried_over")
