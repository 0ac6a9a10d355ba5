"""The annual report at the county office: review, the status list, deadline and export, the
reminder command, and the demo's acceptance run."""

import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from needs.models import NeedReport
from reporting.annual import annual_report_start, deadline_set
from reporting.models import AnnualReport, AnnualReportVersion, Deadline, ReminderSent
from tests.factories import make_partnership, make_region, make_user, scheme
from tests.reporting import annual_helpers
from tests.reporting.annual_helpers import (
    Status,
    allocated_report,
    confirm_by_uh,
    fill_in,
    form_data,
    page,
    pdf_text,
    submit,
    url,
)

pytestmark = pytest.mark.django_db

# Fixtures shared with the other annual report module.
need = annual_helpers.need
annual = annual_helpers.annual


# The county office ----------------------------------------------------------------------------


def test_officer_returns_with_a_message_and_the_coordinator_can_edit_again(
    cast, login, need, annual, django_capture_on_commit_callbacks
):
    cast.alice.email = "alice@example.no"
    cast.alice.save()
    submit(login(cast.alice), annual)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.olga).post(
            url("annual_review", need), {"action": "return", "message": "Mer om UH"}
        )
    annual.refresh_from_db()
    assert annual.status == Status.RETURNED and annual.return_message == "Mer om UH"
    assert mail.outbox[0].to == ["alice@example.no"] and "Mer om UH" in mail.outbox[0].body
    assert login(cast.alice).get(url("annual_edit", need)).status_code == 200
    submit(login(cast.alice), annual)
    annual.refresh_from_db()
    assert annual.status == Status.SUBMITTED and annual.versions.count() == 2


def test_approval_needs_a_decision_on_unused_funds(cast, login, need, annual):
    client = login(cast.alice)
    lines = [("30 000", "60 000", "a", "b", "c"), ("10 000", "", "d", "e", "f")]
    client.post(url("annual_edit", need), form_data(annual, lines, unused_note="Avlyst"))
    confirm_by_uh(annual)
    client.post(url("annual_submit", need))
    officer = login(cast.olga)
    officer.post(url("annual_review", need), {"action": "approve"})
    annual.refresh_from_db()
    assert annual.status == Status.SUBMITTED
    officer.post(url("annual_review", need), {"action": "approve", "unused_handling": "returned"})
    annual.refresh_from_db()
    assert (annual.status, annual.unused_handling) == (Status.APPROVED, "returned")
    assert annual.decided_by == cast.olga


@pytest.mark.parametrize("who,status", [("alice", 403), ("ulla", 403), ("otto", 404), ("bob", 404)])
def test_only_the_county_office_reviews(cast, login, need, annual, who, status):
    submit(login(cast.alice), annual)
    client = login(getattr(cast, who))
    assert client.post(url("annual_review", need), {"action": "approve"}).status_code == status
    annual.refresh_from_db()
    assert annual.status == Status.SUBMITTED


def test_a_draft_cannot_be_approved(cast, login, need, annual):
    # An officer's review reaches the workflow, which refuses it under the lock with a
    # message (a page loaded before someone else acted gets the same answer).
    response = login(cast.olga).post(url("annual_review", need), {"action": "approve"}, follow=True)
    assert "Dette kunne ikke gjøres: rapporten er nå «Utkast»." in page(response)
    annual.refresh_from_db()
    assert annual.status == Status.DRAFT
    assert annual.decided_at is None


# Status list, deadline, export -------------------------------------------------------------


def test_status_list_for_the_county_office(cast, login, need, annual):
    other = make_partnership(make_region(cast.county_a), "Saltennettverket")
    allocated_report(other)
    submit(login(cast.alice), annual)
    response = login(cast.olga).get(reverse("reporting:annual_status"))
    text = page(response)
    rows = {row.report.partnership.name: row for row in response.context["rows"]}
    assert rows["God opplæring for alle"].status == Status.SUBMITTED
    assert rows["Saltennettverket"].status == "not_started"
    assert rows["God opplæring for alle"].totals.used == 110_000
    assert "Saltennettverket" in text and "110 000 kr" in text


def test_status_list_hides_other_counties_and_refuses_members(cast, login, need, annual):
    assert login(cast.otto).get(reverse("reporting:annual_status")).context["rows"] == []
    for user in (cast.alice, cast.ulla, cast.bob):
        assert login(user).get(reverse("reporting:annual_status")).status_code == 403


def test_status_list_does_not_show_draft_figures(cast, login, need, annual):
    login(cast.alice).post(url("annual_edit", need), fill_in(annual))
    row = login(cast.olga).get(reverse("reporting:annual_status")).context["rows"][0]
    assert row.status == Status.DRAFT and row.totals is None


def _status_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reporting:annual_status"), {"year": 2024})
    assert response.status_code == 200
    return len(queries), len(response.context["rows"])


def test_status_list_query_count_is_constant(cast, login, django_assert_max_num_queries):
    client = login(cast.olga)

    def add_reports(count):
        for _i in range(count):
            partnership = make_partnership(make_region(cast.county_a), coordinators=[cast.alice])
            report = allocated_report(partnership)
            # A fresh user object: the cast's caches alice's roles from before this membership.
            alice = type(cast.alice).objects.get(pk=cast.alice.pk)
            annual = annual_report_start(need_report=report, user=alice)
            annual.lines.update(owner_used=1, uh_used=1)
            AnnualReport.objects.filter(pk=annual.pk).update(status=Status.SUBMITTED)

    add_reports(3)
    few, rows = _status_queries(client)
    assert rows == 3
    add_reports(4)
    many, rows = _status_queries(client)
    assert rows == 7
    assert few == many
    with django_assert_max_num_queries(few):
        client.get(reverse("reporting:annual_status"), {"year": 2024})


def test_officer_sets_the_deadline(cast, login, need):
    response = login(cast.olga).post(
        reverse("reporting:annual_deadline", args=[cast.county_a.pk, 2024]),
        {f"office{cast.county_a.pk}-due_date": "2025-02-01"},
    )
    assert response.status_code == 302
    # One Deadline of kind annual_report per scheme of the county's year (here: Dekom).
    deadline = Deadline.objects.get()
    assert (deadline.kind, deadline.scheme.code, deadline.year) == ("annual_report", "dekom", 2024)
    assert deadline.due_date == date(2025, 2, 1)
    assert "01.02.2025" in page(login(cast.alice).get(url("annual_detail", need)))


def test_the_annual_page_and_the_deadlines_page_set_the_same_deadline(cast, login, need):
    """One home: the annual office page's date is the Deadline the deadlines page edits, and
    a change on either is what the other, the annual report and the reminders read."""
    client = login(cast.olga)
    client.post(
        reverse("reporting:annual_deadline", args=[cast.county_a.pk, 2024]),
        {f"office{cast.county_a.pk}-due_date": "2025-02-01"},
    )
    data = {
        "county_office": cast.county_a.pk,
        "scheme": scheme("dekom").pk,
        "year": 2024,
        "kind": "annual_report",
        "due_date": "2025-03-01",
    }
    assert client.post(reverse("reporting:deadlines"), data).status_code == 302
    assert list(Deadline.objects.values_list("kind", "due_date")) == [
        ("annual_report", date(2025, 3, 1))
    ]
    status = page(client.get(reverse("reporting:annual_status"), {"year": 2024}))
    assert "01.03.2025" in status and "01.02.2025" not in status
    assert "01.03.2025" in page(login(cast.alice).get(url("annual_detail", need)))
    # And back from the annual page: the same row again, not a second one.
    client = login(cast.olga)
    client.post(
        reverse("reporting:annual_deadline", args=[cast.county_a.pk, 2024]),
        {f"office{cast.county_a.pk}-due_date": "2025-02-15"},
    )
    assert list(Deadline.objects.values_list("due_date", flat=True)) == [date(2025, 2, 15)]
    assert "15. februar 2025" in page(client.get(reverse("reporting:deadlines")))


def test_the_annual_page_shows_each_schemes_date_when_they_differ(cast, login, need):
    allocated_report(cast.partnership_a, scheme_code="rekom")
    deadline_set(county_office=cast.county_a, year=2024, due_date=date(2025, 2, 1), user=None)
    assert Deadline.objects.count() == 2  # Dekom and Rekom, the schemes of the year
    Deadline.objects.filter(scheme__code="rekom").update(due_date=date(2025, 3, 1))
    status = page(login(cast.olga).get(reverse("reporting:annual_status"), {"year": 2024}))
    assert "Dekom 01.02.2025" in status and "Rekom 01.03.2025" in status


def test_deadline_of_another_county_or_by_members_is_refused(cast, login):
    args = [cast.county_a.pk, 2024]
    data = {f"office{cast.county_a.pk}-due_date": "2025-02-01"}
    assert (
        login(cast.otto).post(reverse("reporting:annual_deadline", args=args), data).status_code
        == 404
    )
    assert (
        login(cast.alice).post(reverse("reporting:annual_deadline", args=args), data).status_code
        == 403
    )
    assert not Deadline.objects.exists()


def test_export_has_the_status_and_the_submitted_evaluations(cast, login, need, annual):
    submit(login(cast.alice), annual)
    response = login(cast.olga).get(reverse("reporting:annual_export"), {"year": 2024})
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    status, measures = (list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets)
    assert status[1][0] == "God opplæring for alle" and status[1][6] == 50_000
    assert measures[1][2] == "Leseløft" and measures[1][7] == "Bedre leseferdigheter"
    assert login(cast.alice).get(reverse("reporting:annual_export")).status_code == 403


def test_export_leaves_out_drafts(cast, login, need, annual):
    login(cast.alice).post(url("annual_edit", need), fill_in(annual))
    response = login(cast.olga).get(reverse("reporting:annual_export"), {"year": 2024})
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    measures = list(book.worksheets[1].iter_rows(values_only=True))
    assert len(measures) == 1  # the header only


# Reminders --------------------------------------------------------------------------------------


@pytest.fixture
def reminder_world(cast, need):
    cast.alice.email = "alice@example.no"
    cast.alice.save()
    cast.ulla.email = "ulla@example.no"
    cast.ulla.save()
    today = date(2025, 1, 18)
    # A second allocated report whose annual report is already submitted: not reminded.
    done = allocated_report(cast.partnership_a, scheme_code="rekom")
    deadline_set(
        county_office=cast.county_a, year=2024, due_date=today + timedelta(days=14), user=None
    )
    annual = annual_report_start(need_report=done, user=cast.alice)
    AnnualReport.objects.filter(pk=annual.pk).update(status=Status.SUBMITTED)
    return today


def test_reminder_dry_run_says_who_and_sends_nothing(cast, reminder_world):
    out = io.StringIO()
    call_command("annual_report_reminders", "--dry-run", f"--today={reminder_world}", stdout=out)
    assert "alice@example.no" in out.getvalue()
    assert "ulla@example.no" not in out.getvalue()  # coordinators are reminded
    assert "Dekom" in out.getvalue() and "Rekom" not in out.getvalue()
    assert mail.outbox == []


def test_reminder_sends_to_the_coordinators(
    cast, reminder_world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("annual_report_reminders", f"--today={reminder_world}", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["alice@example.no"]]
    assert "01.02.2025" in mail.outbox[0].body


def test_the_reminders_run_twice_send_once(
    cast, reminder_world, django_capture_on_commit_callbacks
):
    """One reminder path: the alias, the daily command and the queued task all record in
    ReminderSent, so however often (or by whichever name) they run, one mail goes out."""
    for command in ("annual_report_reminders", "deadline_reminders", "deadline_reminders"):
        with django_capture_on_commit_callbacks(execute=True):
            call_command(command, f"--today={reminder_world}", stdout=io.StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "annual_report_reminders", "--queue", f"--today={reminder_world}", stdout=io.StringIO()
        )
    assert [m.to for m in mail.outbox] == [["alice@example.no"]]
    sent = ReminderSent.objects.get()
    assert (sent.deadline.kind, sent.deadline.scheme.code, sent.days_before) == (
        "annual_report",
        "dekom",
        14,
    )


def test_no_reminder_on_other_days_or_for_muted_users(
    cast, reminder_world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        out = io.StringIO()
        call_command(
            "annual_report_reminders", f"--today={reminder_world + timedelta(days=1)}", stdout=out
        )
        assert "0 reminder(s) sent" in out.getvalue()
        cast.alice.muted_notifications = ["annual_reminder"]
        cast.alice.save()
        out = io.StringIO()
        call_command("annual_report_reminders", f"--today={reminder_world}", stdout=out)
        assert "0 reminder(s) sent" in out.getvalue()
    assert mail.outbox == [] and not ReminderSent.objects.exists()


# The demo: acceptance ----------------------------------------------------------------------------


def test_acceptance_demo_coordinator_reports_and_county_office_approves(client):
    call_command("demo", verbosity=0)
    call_command("demo", verbosity=0)  # idempotent
    seed = NeedReport.objects.get(partnership__name="God opplæring for alle", scheme__code="dekom")
    assert seed.status == NeedReport.Status.DRAFT
    need = NeedReport.objects.get(partnership__name="God opplæring for alle", scheme__code="rekom")
    assert need.status == NeedReport.Status.ALLOCATED

    assert client.login(username="koordinator.goa", password="demo")
    assert url("annual_detail", need) in page(client.get(need.get_absolute_url()))
    client.post(url("annual_start", need))
    annual = AnnualReport.objects.get(need_report=need)
    lines = [("500 000", "790 000", "Barna leker mer med språk", "Seks samlinger", "Plan i alle")]
    client.post(
        url("annual_edit", need), form_data(annual, lines, unused_note="Reise ble billigere")
    )
    assert client.login(username="uh.hinn", password="demo")
    client.post(url("annual_confirm", need))
    assert client.login(username="koordinator.goa", password="demo")
    client.post(url("annual_submit", need))
    annual.refresh_from_db()
    assert annual.status == Status.SUBMITTED

    assert client.login(username="sf.nordland", password="demo")
    status_page = page(client.get(reverse("reporting:annual_status")))
    assert "God opplæring for alle" in status_page and "Sendt inn" in status_page
    client.post(
        url("annual_review", need), {"action": "approve", "unused_handling": "carried_over"}
    )
    annual.refresh_from_db()
    assert annual.status == Status.APPROVED
    text = pdf_text(client.get(url("annual_pdf", need)).content)
    for expected in ["Barna leker mer med språk", "Seks samlinger", "Plan i alle"]:
        assert expected in text
    assert "505 000 500 000 5 000" in text and "794 000 790 000 4 000" in text
    assert AnnualReportVersion.objects.filter(annual_report=annual).count() == 1


def test_demo_officer_of_another_county_sees_nothing(client):
    call_command("demo", verbosity=0)
    need = NeedReport.objects.get(partnership__name="God opplæring for alle", scheme__code="rekom")
    assert client.login(username="sf.osloviken", password="demo")
    assert client.get(url("annual_detail", need)).status_code == 404
    assert client.get(reverse("reporting:annual_status")).context["rows"] == []


def test_user_without_any_role_is_refused_the_status_list(client):
    user = make_user("nobody")
    client.force_login(user)
    assert client.get(reverse("reporting:annual_status")).status_code == 403
