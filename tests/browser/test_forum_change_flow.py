"""Issue 20's closing flow, in real browsers: a forum member comments → the officer records
the forum's recommendation, with a member who stepped aside → an officer with a declared tie
is refused → another officer allocates and decides → the coordinator files a change request
→ the UH contact confirms → the officer approves → the payment list and next year's
committed frame show the change."""

import re

import pytest
from playwright.sync_api import expect

from needs.models import Frame, NeedReport
from needs.services import need_report_submit
from partnerships.models import CountyMembership, ForumMembership, Organisation, Tie
from tests.browser.test_review_flow import kr, ui
from tests.factories import make_county, make_org, make_partnership, make_region, make_user, scheme
from tests.needs.conftest import make_measure, make_report

pytestmark = pytest.mark.browser

PARTNERSHIP = "Nettverk Helgelandskysten"


def test_forum_recommendation_conflict_and_change_request(new_page, live_db, log_in):
    olga = make_user("saksbehandler", first_name="Nora", last_name="Nordland")
    sam = make_user("habil", first_name="Sverre", last_name="Inhabil")
    forum = make_user("forum", first_name="Frida", last_name="Forum")
    coordinator = make_user("koordinator", first_name="Tone", last_name="Dalen")
    uh_contact = make_user("uhkontakt", first_name="Kjersti", last_name="Håland")
    county = make_county("Statsforvalteren i Nordland", officer=olga)
    CountyMembership.objects.create(county_office=county, user=sam)
    ForumMembership.objects.create(county_office=county, user=forum)
    region = make_region(county, "Ytre Helgeland")
    alstahaug = make_org("Alstahaug kommune", county=county)
    hinn = make_org("Høgskolen i Innlandet", kind=Organisation.Kind.UH)
    partnership = make_partnership(
        region,
        PARTNERSHIP,
        owners=[alstahaug, make_org("Træna kommune", county=county)],
        uh=[hinn],
        coordinators=[coordinator],
        uh_contacts=[uh_contact],
    )
    Tie.objects.create(user=sam, organisation=alstahaug, description="Gift med kommunalsjefen")
    Tie.objects.create(user=forum, organisation=hinn, description="Ansatt ved SePU")
    report = make_report(partnership, "dekom", 2024)
    make_measure(report, 40_000, 60_000, position=1, cont1_owner=30_000, cont1_uh=20_000)
    make_measure(report, 20_000, 80_000, position=2)
    from tests.factories import confirm_uh

    confirm_uh(report, uh_contact)
    need_report_submit(report=report, user=coordinator)
    for year in (2024, 2025):
        Frame.objects.create(county_office=county, scheme=scheme("dekom"), year=year, amount=10**6)
    report_path = f"/needs/{report.pk}/"

    # A forum member reads the submitted report and comments.
    forum_page = new_page()
    log_in(forum_page, "forum", "pw")
    forum_page.goto(report_path)
    forum_page.locator("#comment-text").fill("Forumet støtter tiltakene.")
    forum_page.get_by_role("button", name=ui("Post comment")).click()
    expect(forum_page.locator("main")).to_contain_text("Forumet støtter tiltakene.")
    expect(forum_page.get_by_role("button", name=ui("Decide: allocate"))).to_have_count(0)

    # The officer records the forum's recommendation; the forum member stepped aside.
    officer = new_page()
    log_in(officer, "saksbehandler", "pw")
    officer.goto(f"/needs/forum/{county.pk}/dekom/2024/")
    officer.locator("#id_meeting_date").fill("2024-03-15")
    officer.locator("#id_note").fill("Enstemmig anbefalt.")
    officer.locator("input[name='reports-0-priority']").fill("1")
    officer.locator("input[name='reports-0-note']").fill("Godt forankret")
    officer.get_by_role("button", name=ui("Record the recommendation")).click()
    recusals = officer.get_by_test_id("recusals")
    expect(recusals).to_contain_text("Frida Forum")
    expect(recusals).to_contain_text("Ansatt ved SePU")
    expect(recusals).to_contain_text("Sverre Inhabil")
    with officer.expect_download() as download:
        officer.get_by_role("link", name=ui("Print the recommendation (PDF)")).click()
    assert download.value.suggested_filename.startswith("innstilling-")

    # An officer with a declared tie is refused, with the reason.
    tied = new_page()
    log_in(tied, "habil", "pw")
    tied.goto(report_path)
    expect(tied.get_by_test_id("tie-reason")).to_contain_text("Gift med kommunalsjefen")
    tied.get_by_role("button", name=ui("Decide: allocate")).click()
    expect(tied.locator("main")).to_contain_text("forvaltningsloven § 6")
    expect(tied.get_by_test_id("status")).to_have_text(ui("Submitted"))

    # Another officer allocates what was requested and decides.
    officer.goto(f"/needs/allocation/{county.pk}/dekom/2024/")
    with officer.expect_navigation():
        officer.get_by_role("button", name=ui("Save priorities and allocations")).click()
    expect(officer.get_by_test_id("allocated")).to_have_text(kr("200 000"))
    officer.goto(report_path)
    officer.get_by_role("button", name=ui("Decide: allocate")).click()
    expect(officer.get_by_test_id("status")).to_have_text(ui("Allocated"))

    # The coordinator files a change request: 10 000 kr from measure 1's owner part to
    # measure 2's UH part, and 10 000 kr more for UH next year in measure 1.
    coord = new_page()
    log_in(coord, "koordinator", "pw")
    coord.goto(report_path)
    coord.get_by_role("button", name=ui("Request a change")).click()
    expect(coord).to_have_url(re.compile(r"/needs/changes/\d+/edit/$"))
    coord.locator("#id_reason").fill("Mer veiledning fra UH.")
    measures = list(report.measures.order_by("position"))
    coord.locator(f"#id_m{measures[0].pk}-alloc_owner").fill("30 000")
    coord.locator(f"#id_m{measures[0].pk}-cont1_uh").fill("30 000")
    coord.locator(f"#id_m{measures[1].pk}-alloc_uh").fill("90 000")
    coord.get_by_role("button", name=ui("Save the change request")).click()
    expect(coord).to_have_url(re.compile(r"/needs/changes/\d+/$"))
    change_url = coord.url
    diff = coord.get_by_test_id("change-diff")
    expect(diff).to_contain_text("90 000")
    coord.get_by_role("button", name=ui("Send to the UH contact")).click()
    expect(coord.get_by_test_id("change-status")).to_have_text(ui("Waiting for UH"))

    # The UH contact confirms.
    uh = new_page()
    log_in(uh, "uhkontakt", "pw")
    uh.goto(change_url)
    uh.get_by_role("button", name=ui("Confirm the change request")).click()
    expect(uh.get_by_test_id("change-status")).to_have_text(ui("Confirmed by UH"))

    # The tied officer may not approve; the other officer approves.
    tied.goto(change_url)
    expect(tied.get_by_test_id("tie-reason")).to_be_visible()
    officer.goto(change_url)
    officer.locator("#change-reason").fill("I tråd med planen.")
    officer.get_by_role("button", name=ui("Approve the change")).click()
    expect(officer.get_by_test_id("change-status")).to_have_text(ui("Approved"))
    report.refresh_from_db()
    assert report.status == NeedReport.Status.ALLOCATED
    assert (report.allocated_owner, report.allocated_uh) == (50_000, 150_000)

    # The payment list pays the new split.
    payments = officer.request.get("/reporting/exports/payments.csv?year=2024").text()
    assert "50000" in payments and "150000" in payments, payments
    # Next year's frame: measure 1 now commits 30 000 + 30 000 into 2025.
    officer.goto(f"/needs/allocation/{county.pk}/dekom/2025/")
    expect(officer.get_by_test_id("commitments")).to_contain_text("60 000")
