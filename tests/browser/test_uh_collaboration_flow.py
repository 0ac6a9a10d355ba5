"""The UH contact and the coordinator on the demo's seed 002 report, in two browsers:
the UH contact comments on measure 5 and confirms; the coordinator sees the unread comment,
moves 7 400 kr to UH (which clears the confirmation, with the reason shown); the UH contact
confirms again and the coordinator submits.
"""

import re

from django.core import mail
from playwright.sync_api import expect

from needs.models import NeedReport

from .test_need_report_flow import fill_and_autosave, ui

MEASURE_5 = "Pedagogisk analyse"


def test_comment_confirm_change_reconfirm_submit(new_page, demo_data, log_in):
    report = NeedReport.objects.get(
        partnership__name="God opplæring for alle", scheme__code="dekom", year=2024
    )
    report_path = f"/needs/{report.pk}/"
    uh, coordinator = new_page(), new_page()

    # The UH contact comments on measure 5 from the measure's page.
    log_in(uh, "uh.hinn")
    uh.goto(report_path)
    uh.get_by_test_id("measures-table").get_by_role("link", name=MEASURE_5, exact=True).click()
    expect(uh).to_have_url(re.compile(r"/measures/\d+/$"))
    # Read-only for the UH contact: the amount fields are disabled.
    expect(uh.locator("#id_owner_amount")).to_be_disabled()
    uh.get_by_label(ui("Comment")).fill("Kan analysen starte allerede i august?")
    uh.get_by_role("button", name=ui("Post comment")).click()
    expect(uh.get_by_test_id("comments")).to_contain_text("Kan analysen starte allerede i august?")

    # The coordinator sees the unread comment on the dashboard and on the report.
    log_in(coordinator, "koordinator.goa")
    unread = coordinator.get_by_test_id("unread")
    expect(unread).to_contain_text("God opplæring for alle")
    unread.get_by_role("link").first.click()
    expect(coordinator.get_by_test_id("unread-count")).to_be_visible()
    thread = coordinator.get_by_test_id("comments")
    expect(thread).to_contain_text("Kan analysen starte allerede i august?")
    expect(thread).to_contain_text(MEASURE_5)

    # The UH contact confirms the UH part.
    uh.goto(report_path)
    uh.get_by_role("button", name=ui("UH has seen the need report and confirms its part")).click()
    expect(uh.get_by_test_id("confirmation-status")).to_contain_text("Kjersti Håland")

    # The coordinator moves 7 400 kr from owner to UH in measure 5 (50 000 / 241 000).
    coordinator.goto(report_path)
    coordinator.get_by_test_id("measures-table").get_by_role(
        "link", name=MEASURE_5, exact=True
    ).click()
    coordinator.locator("#id_owner_amount").fill("42 600")
    fill_and_autosave(coordinator, "#id_uh_amount", "248 400")
    expect(coordinator.get_by_test_id("confirmation-cleared")).to_be_visible()
    coordinator.get_by_role("button", name=ui("Save and go back to the report")).click()
    expect(coordinator).to_have_url(re.compile(report_path + "$"))
    status = coordinator.get_by_test_id("confirmation-status")
    expect(status).to_contain_text(MEASURE_5)
    expect(status).to_contain_text(re.compile(r"241[\s\u00a0]000[\s\u00a0]kr"))
    expect(status).to_contain_text(re.compile(r"248[\s\u00a0]400[\s\u00a0]kr"))
    # Only the UH confirmation is missing: the report says so, and "Submit" waits for it.
    expect(coordinator.get_by_test_id("waiting-for-uh")).to_be_visible()
    expect(coordinator.get_by_test_id("problems")).to_have_count(0)
    expect(coordinator.get_by_role("button", name=ui("Submit need report"))).to_be_disabled()

    # The UH contact is told by e-mail, confirms again; the coordinator submits.
    assert any(m.to == ["kjersti.haland@inn.no"] for m in mail.outbox)
    uh.goto(report_path)
    uh.get_by_role("button", name=ui("UH has seen the need report and confirms its part")).click()
    coordinator.goto(report_path)
    expect(coordinator.get_by_test_id("problems")).to_have_count(0)
    coordinator.get_by_role("button", name=ui("Submit need report")).click()
    expect(coordinator.get_by_test_id("status")).to_have_text(ui("Submitted"))
    activity = coordinator.get_by_test_id("activity")
    for text in ["Kjersti Håland", "Tone Dalen"]:
        expect(activity).to_contain_text(text)
