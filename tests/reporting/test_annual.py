"""The annual report (rapport): every view for every role of the cast, the services behind
them, the county office's status list and export, the PDF and the reminder command."""

import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from needs.models import Allocation, NeedReport
from reporting.annual import annual_report_start
from reporting.models import AnnualReport, AnnualReportDeadline, AnnualReportVersion
from tests.factories import make_partnership, make_region, make_user
from tests.needs.conftest import make_measure, make_report

pytestmark = pytest.mark.django_db

Status = AnnualReport.Status


def allocated_report(partnership, scheme_code="dekom", year=2024, amounts=None):
    """An allocated need report: measures (name, owner, UH) allocated as requested."""
    amounts = amounts or [("Leseløft", 40_000, 60_000), ("Koordinator", 10_000, 0)]
    report = make_report(
        partnership, scheme_code=scheme_code, year=year, status=NeedReport.Status.ALLOCATED
    )
    for position, (name, owner, uh) in enumerate(amounts, start=1):
        measure = make_measure(report, owner, uh, position=position, name=name)
        Allocation.objects.create(measure=measure, owner_amount=owner, uh_amount=uh)
    return report


@pytest.fixture
def need(cast):
    return allocated_report(cast.partnership_a)


@pytest.fixture
def annual(cast, need):
    return annual_report_start(need_report=need, user=cast.alice)


def url(name, report, *args):
    return reverse(f"reporting:{name}", args=[report.pk, *args])


def page(response):
    return response.content.decode().replace("\u00a0", " ")


def line_prefixes(annual):
    return [f"m{line.pk}" for line in annual.lines.order_by("measure__position")]


def form_data(annual, lines, unused_note="", version=None):
    """lines: [(owner_used, uh_used, effect, process, structure)] in measure order."""
    data = {"version": version or annual.lock_version, "unused_note": unused_note}
    for prefix, values in zip(line_prefixes(annual), lines, strict=True):
        for name, value in zip(
            ["owner_used", "uh_used", "effect", "process", "structure"], values, strict=True
        ):
            data[f"{prefix}-{name}"] = value
    return data


COMPLETE = [
    ("40 000", "60 000", "Bedre leseferdigheter", "Fire samlinger", "Forankret i planen"),
    ("10 000", "", "Koordinert", "Månedlige møter", "Videreføres"),
]


def fill_in(annual, lines=COMPLETE, **extra):
    client_data = form_data(annual, lines, **extra)
    return client_data


def submit(client, annual):
    need = annual.need_report
    client.post(url("annual_edit", need), fill_in(annual))
    return client.post(url("annual_submit", need))


def pdf_text(content):
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.replace("\u00a0", " ").split())


# The annual report page -------------------------------------------------------------------


def test_detail_anonymous_is_sent_to_login(client, need):
    response = client.get(url("annual_detail", need))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["bob", "otto"])
def test_detail_outsiders_get_404(cast, login, need, annual, who):
    assert login(getattr(cast, who)).get(url("annual_detail", need)).status_code == 404


def test_detail_of_a_need_report_that_is_not_allocated_is_404(cast, login):
    draft = make_report(cast.partnership_a)
    assert login(cast.alice).get(url("annual_detail", draft)).status_code == 404


def test_not_started_coordinator_may_start_others_only_see_the_status(cast, login, need):
    text = page(login(cast.alice).get(url("annual_detail", need)))
    assert "Start rapporteringen" in text or url("annual_start", need) in text
    for user in (cast.ulla, cast.olga):
        text = page(login(user).get(url("annual_detail", need)))
        assert url("annual_start", need) not in text
        assert 'data-testid="not-started"' in text


def test_start_creates_a_line_per_measure(cast, login, need):
    response = login(cast.alice).post(url("annual_start", need))
    assert response.status_code == 302
    annual = AnnualReport.objects.get(need_report=need)
    assert annual.status == Status.DRAFT
    assert [line.measure.name for line in annual.lines.all()] == ["Leseløft", "Koordinator"]
    # Starting again changes nothing.
    login(cast.alice).post(url("annual_start", need))
    assert annual.lines.count() == 2


@pytest.mark.parametrize("who,status", [("ulla", 403), ("olga", 403), ("root", 403), ("bob", 404)])
def test_start_by_others_is_refused(cast, login, need, who, status):
    assert login(getattr(cast, who)).post(url("annual_start", need)).status_code == status
    assert not AnnualReport.objects.exists()


def test_draft_content_for_members_but_not_for_the_county_office(cast, login, need, annual):
    line = annual.lines.first()
    line.effect = "Elevene leser mer"
    line.save()
    for user in (cast.alice, cast.ulla):
        assert "Elevene leser mer" in page(login(user).get(url("annual_detail", need)))
    text = page(login(cast.olga).get(url("annual_detail", need)))
    assert "Elevene leser mer" not in text
    assert 'data-testid="draft-hidden"' in text


# Writing: never lose input -----------------------------------------------------------------


def test_edit_saves_valid_fields_and_keeps_the_rest_with_an_error(cast, login, need, annual):
    client = login(cast.alice)
    data = form_data(
        annual,
        [("abc", "50 000", "Bra effekt", "", ""), ("-5", "", "", "", "")],
    )
    response = client.post(url("annual_edit", need), data)
    assert response.status_code == 200
    text = page(response)
    assert "Skriv beløpet i hele kroner" in text or "whole kroner" in text
    assert "abc" in text  # what was typed is still in the form
    first, second = annual.lines.order_by("measure__position")
    assert (first.owner_used, first.uh_used, first.effect) == (None, 50_000, "Bra effekt")
    assert second.owner_used is None  # negative spending is rejected
    # The form carries the version saved now, so the next save is not a false conflict.
    annual.refresh_from_db()
    assert str(response.context["form"]["version"].value()) == str(annual.lock_version)
    data = form_data(annual, COMPLETE, version=response.context["form"]["version"].value())
    assert client.post(url("annual_edit", need), data).status_code == 302


def test_negative_spending_is_rejected_with_a_message(cast, login, need, annual):
    data = form_data(annual, [("-1 000", "0", "", "", ""), ("0", "0", "", "", "")])
    text = page(login(cast.alice).post(url("annual_edit", need), data))
    assert "Beløpet kan ikke være negativt" in text or "cannot be negative" in text
    assert annual.lines.order_by("measure__position").first().owner_used is None


def test_spending_over_the_allocation_is_saved_and_shown_as_a_finding(cast, login, need, annual):
    client = login(cast.alice)
    data = form_data(annual, [("50 000", "60 000", "", "", ""), ("10 000", "0", "", "", "")])
    assert client.post(url("annual_edit", need), data).status_code == 302
    text = page(client.get(url("annual_detail", need)))
    assert 'data-testid="findings"' in text
    assert "50 000 kr" in text and "10 000 kr" in text and "40 000 kr" in text


def test_a_stale_version_saves_nothing_and_says_so(cast, login, need, annual):
    client = login(cast.alice)
    stale = annual.lock_version
    client.post(url("annual_edit", need), form_data(annual, COMPLETE))
    data = form_data(annual, [("1", "2", "x", "y", "z"), ("3", "", "", "", "")], version=stale)
    response = client.post(url("annual_edit", need), data)
    assert response.status_code == 200
    assert 'role="alert"' in page(response)
    assert annual.lines.order_by("measure__position").first().owner_used == 40_000


@pytest.mark.parametrize("who,status", [("ulla", 403), ("olga", 403), ("bob", 404), ("otto", 404)])
def test_edit_by_others_is_refused(cast, login, need, annual, who, status):
    client = login(getattr(cast, who))
    assert client.get(url("annual_edit", need)).status_code == status
    assert client.post(url("annual_edit", need), fill_in(annual)).status_code == status
    assert annual.lines.first().owner_used is None


def test_plan_changes_only_for_multi_year_measures(cast, login, need, annual):
    measure = need.measures.get(name="Leseløft")
    measure.cont2_uh = 50_000
    measure.save()
    text = page(login(cast.alice).get(url("annual_edit", need)))
    first, second = line_prefixes(annual)
    assert f'name="{first}-plan_changes"' in text
    assert f'name="{second}-plan_changes"' not in text


# Submitting --------------------------------------------------------------------------------


def test_an_incomplete_report_is_not_submitted(cast, login, need, annual):
    response = login(cast.alice).post(url("annual_submit", need))
    assert response.status_code == 302
    annual.refresh_from_db()
    assert annual.status == Status.DRAFT
    assert not annual.versions.exists()


def test_submit_makes_an_immutable_version_and_locks_it(
    cast, login, need, annual, django_capture_on_commit_callbacks
):
    cast.olga.email = "olga@example.no"
    cast.olga.save()
    client = login(cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, annual)
    annual.refresh_from_db()
    assert annual.status == Status.SUBMITTED
    version = annual.versions.get()
    assert version.snapshot["lines"][0]["used_owner"] == 40_000
    assert version.snapshot["lines"][0]["effect"] == "Bedre leseferdigheter"
    with pytest.raises(ValueError):
        version.save()
    assert [m.to for m in mail.outbox] == [["olga@example.no"]]
    assert client.get(url("annual_edit", need)).status_code == 403
    assert client.post(url("annual_submit", need)).status_code == 403


def test_unused_funds_must_be_explained_before_submission(cast, login, need, annual):
    client = login(cast.alice)
    lines = [("30 000", "60 000", "a", "b", "c"), ("10 000", "", "d", "e", "f")]
    client.post(url("annual_edit", need), form_data(annual, lines))
    text = page(client.get(url("annual_detail", need)))
    assert "10 000 kr" in text
    client.post(url("annual_submit", need))
    annual.refresh_from_db()
    assert annual.status == Status.DRAFT
    client.post(url("annual_edit", need), form_data(annual, lines, unused_note="Avlyst samling"))
    client.post(url("annual_submit", need))
    annual.refresh_from_db()
    assert annual.status == Status.SUBMITTED


@pytest.mark.parametrize("who,status", [("ulla", 403), ("olga", 403), ("bob", 404)])
def test_submit_by_others_is_refused(cast, login, need, annual, who, status):
    login(cast.alice).post(url("annual_edit", need), fill_in(annual))
    assert login(getattr(cast, who)).post(url("annual_submit", need)).status_code == status
    annual.refresh_from_db()
    assert annual.status == Status.DRAFT


# UH confirmation and comments ----------------------------------------------------------------


def test_uh_confirms_and_a_changed_uh_amount_clears_it(cast, login, need, annual):
    login(cast.alice).post(url("annual_edit", need), fill_in(annual))
    assert login(cast.ulla).post(url("annual_confirm", need)).status_code == 302
    annual.refresh_from_db()
    assert annual.uh_confirmed_by == cast.ulla
    assert 'data-testid="uh-confirmed"' in page(login(cast.ulla).get(url("annual_detail", need)))

    # An owner amount changes: the confirmation stands.
    lines = [COMPLETE[0], ("9 000", "", "Koordinert", "Månedlige møter", "Videreføres")]
    login(cast.alice).post(url("annual_edit", need), form_data(annual, lines))
    annual.refresh_from_db()
    assert annual.uh_confirmed_at is not None
    # A UH amount changes: it is cleared.
    lines = [("40 000", "55 000", "a", "b", "c"), lines[1]]
    login(cast.alice).post(url("annual_edit", need), form_data(annual, lines))
    annual.refresh_from_db()
    assert annual.uh_confirmed_at is None and annual.uh_confirmation_cleared_at is not None


def test_uh_cannot_confirm_before_the_uh_amounts_are_filled_in(cast, login, need, annual):
    login(cast.ulla).post(url("annual_confirm", need))
    annual.refresh_from_db()
    assert annual.uh_confirmed_at is None


@pytest.mark.parametrize("who,status", [("alice", 403), ("olga", 403), ("bob", 404)])
def test_only_uh_contacts_confirm(cast, login, need, annual, who, status):
    assert login(getattr(cast, who)).post(url("annual_confirm", need)).status_code == status


def test_comments_by_members_and_by_the_county_office_once_submitted(cast, login, need, annual):
    login(cast.ulla).post(url("annual_comment", need), {"text": "Tallene stemmer for UH"})
    assert annual.comments.get().author == cast.ulla
    assert login(cast.olga).post(url("annual_comment", need), {"text": "x"}).status_code == 403
    assert login(cast.bob).post(url("annual_comment", need), {"text": "x"}).status_code == 404
    submit(login(cast.alice), annual)
    login(cast.olga).post(url("annual_comment", need), {"text": "Takk for rapporten"})
    text = page(login(cast.alice).get(url("annual_detail", need)))
    assert "Tallene stemmer for UH" in text and "Takk for rapporten" in text


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
    assert (
        login(cast.olga).post(url("annual_review", need), {"action": "approve"}).status_code == 403
    )


# PDF -------------------------------------------------------------------------------------------


def test_pdf_has_the_evaluation_and_the_used_and_unused_figures(cast, login, need, annual):
    client = login(cast.alice)
    lines = [("30 000", "60 000", "Bedre leseferdigheter", "Fire samlinger", "Forankret")]
    lines.append(("12 000", "", "Koordinert", "Møter", "Videreføres"))
    client.post(url("annual_edit", need), form_data(annual, lines, unused_note="Avlyst samling"))
    response = client.get(url("annual_pdf", need))
    assert response["Content-Type"] == "application/pdf"
    assert (
        "rapport-god-opplaering-for-alle-dekom-2024-utkast.pdf" in response["Content-Disposition"]
    )
    text = pdf_text(response.content)
    for expected in ["Bedre leseferdigheter", "Fire samlinger", "Forankret", "Avlyst samling"]:
        assert expected in text
    assert "40 000 30 000 10 000" in text  # owner: allocated, used, unused
    assert "12 000" in text and "2 000" in text  # spending over the allocation, with figures
    assert "UTKAST" in text


def test_version_pdf_and_who_may_read_it(cast, login, need, annual):
    assert login(cast.olga).get(url("annual_pdf", need)).status_code == 404  # a draft
    submit(login(cast.alice), annual)
    for user in (cast.alice, cast.ulla, cast.olga):
        response = login(user).get(url("annual_version_pdf", need, 1))
        assert "Bedre leseferdigheter" in pdf_text(response.content)
    assert login(cast.bob).get(url("annual_version_pdf", need, 1)).status_code == 404
    assert login(cast.otto).get(url("annual_pdf", need)).status_code == 404
    assert "UTKAST" not in pdf_text(login(cast.olga).get(url("annual_pdf", need)).content)


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
            partnership = make_partnership(make_region(cast.county_a))
            report = allocated_report(partnership)
            annual = annual_report_start(need_report=report, user=cast.alice)
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
    assert AnnualReportDeadline.objects.get().due_date == date(2025, 2, 1)
    assert "01.02.2025" in page(login(cast.alice).get(url("annual_detail", need)))


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
    assert not AnnualReportDeadline.objects.exists()


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
    AnnualReportDeadline.objects.create(
        county_office=cast.county_a, year=2024, due_date=today + timedelta(days=14)
    )
    # A second allocated report whose annual report is already submitted: not reminded.
    done = allocated_report(cast.partnership_a, scheme_code="rekom")
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


def test_no_reminder_on_other_days_or_for_muted_users(
    cast, reminder_world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        out = io.StringIO()
        call_command(
            "annual_report_reminders", f"--today={reminder_world + timedelta(days=1)}", stdout=out
        )
        assert "0 annual report(s)" in out.getvalue()
        cast.alice.muted_notifications = ["annual_reminder"]
        cast.alice.save()
        out = io.StringIO()
        call_command("annual_report_reminders", f"--today={reminder_world}", stdout=out)
        assert "1 annual report(s)" in out.getvalue()
    assert mail.outbox == []


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
