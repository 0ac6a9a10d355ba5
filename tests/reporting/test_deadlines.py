"""Deadlines as data per county, scheme and year: the officer's form, the dashboards (days
left, what is overdue) and reminders recorded so that none goes out twice."""

import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from needs.models import NeedReport
from reporting.deadlines import dashboard_deadlines, deadline_set, reminders_send
from reporting.models import AnnualReport, Deadline, ReminderSent
from tests.factories import make_partnership, scheme
from tests.needs.conftest import make_report

pytestmark = pytest.mark.django_db

TODAY = date(2025, 1, 18)
NEED, FORUM, ANNUAL = (
    Deadline.Kind.NEED_REPORT,
    Deadline.Kind.FORUM_RECOMMENDATION,
    (Deadline.Kind.ANNUAL_REPORT),
)


def _deadline(cast, kind, due, code="dekom", year=2025, office=None):
    return deadline_set(
        county_office=office or cast.county_a,
        scheme=scheme(code),
        year=year,
        kind=kind,
        due_date=due,
        user=cast.olga,
    )


@pytest.fixture
def emails(cast):
    for user in (cast.alice, cast.ulla, cast.bob, cast.olga, cast.otto):
        user.email = f"{user.username}@example.no"
        user.save()


def test_the_officer_sets_a_deadline_and_setting_it_again_changes_the_date(login, cast):
    client = login(cast.olga)
    data = {
        "county_office": cast.county_a.pk,
        "scheme": scheme("dekom").pk,
        "year": 2025,
        "kind": NEED,
        "due_date": "2025-02-01",
    }
    assert client.post(reverse("reporting:deadlines"), data).status_code == 302
    assert client.post(reverse("reporting:deadlines"), {**data, "due_date": "2025-02-03"})
    assert list(Deadline.objects.values_list("due_date", flat=True)) == [date(2025, 2, 3)]
    # Another county's officer cannot set Nordland's deadlines; members have no such page.
    response = login(cast.otto).post(reverse("reporting:deadlines"), data)
    assert response.status_code == 200 and "county_office" in response.context["form"].errors
    assert login(cast.alice).get(reverse("reporting:deadlines")).status_code == 403


def test_the_dashboard_shows_days_left_and_what_is_overdue(login, cast):
    today = timezone.localdate()
    _deadline(cast, NEED, today + timedelta(days=10), year=today.year + 1)
    _deadline(cast, NEED, today - timedelta(days=1), year=2024)
    _deadline(cast, ANNUAL, today - timedelta(days=1), code="rekom", year=2024)
    late = make_report(cast.partnership_a, year=2024, status=NeedReport.Status.RETURNED)
    make_report(cast.partnership_a, year=2023)  # no deadline for 2023
    allocated = make_report(cast.partnership_a, "rekom", 2024, status=NeedReport.Status.ALLOCATED)

    page = login(cast.alice).get(reverse("portal:dashboard"))
    context = page.context
    assert [d.days_left for d in context["deadlines_upcoming"]] == [10]
    assert [r.pk for r in context["deadlines_overdue"]] == [late.pk]
    assert [r.pk for r in context["deadlines_overdue_annual"]] == [allocated.pk]
    assert "10 dager igjen" in page.content.decode()
    # Once the annual report is submitted, it is no longer overdue.
    AnnualReport.objects.create(need_report=allocated, status=AnnualReport.Status.SUBMITTED)
    assert not dashboard_deadlines(cast.alice)["deadlines_overdue_annual"]
    # The officer sees the returned report (never a draft); the outsider sees nothing.
    assert [r.pk for r in dashboard_deadlines(cast.olga)["deadlines_overdue"]] == [late.pk]
    outsider = dashboard_deadlines(cast.bob)
    assert not outsider["deadlines_upcoming"] and not outsider["deadlines_overdue"]


@pytest.mark.parametrize("count", [3, 12])
def test_the_panel_asks_a_fixed_number_of_queries(cast, count, django_assert_num_queries):
    today = timezone.localdate()
    for i in range(count):
        partnership = make_partnership(cast.region_a, f"P{i}", coordinators=[cast.alice])
        make_report(partnership, year=2024, status=NeedReport.Status.RETURNED)
        make_report(partnership, "rekom", 2024, status=NeedReport.Status.ALLOCATED)
    for code in ("dekom", "rekom", "kompetanseloftet"):
        _deadline(cast, NEED, today - timedelta(days=3), code=code, year=2024)
        _deadline(cast, ANNUAL, today - timedelta(days=3), code=code, year=2024)
        _deadline(cast, FORUM, today + timedelta(days=3), code=code, year=2025)
    dashboard_deadlines(cast.alice)  # the user's roles, cached per user
    with django_assert_num_queries(3):  # upcoming, overdue, overdue annual
        dashboard_deadlines(cast.alice)


def test_reminders_go_to_who_still_owes_once_and_are_recorded(
    cast, emails, django_capture_on_commit_callbacks
):
    _deadline(cast, NEED, TODAY + timedelta(days=14))
    _deadline(cast, NEED, TODAY + timedelta(days=14), code="rekom")
    _deadline(cast, FORUM, TODAY + timedelta(days=3))
    make_report(cast.partnership_a, year=2025)  # a Dekom draft: alice is reminded
    make_report(cast.partnership_a, "rekom", 2025, status=NeedReport.Status.SUBMITTED)  # sent
    _deadline(cast, NEED, TODAY + timedelta(days=14), office=cast.county_b)
    make_report(cast.partnership_b, year=2025, status=NeedReport.Status.RETURNED)  # bob

    out = io.StringIO()
    call_command("deadline_reminders", "--dry-run", f"--today={TODAY}", stdout=out)
    assert "3 reminder(s) would be sent" in out.getvalue() and not mail.outbox

    with django_capture_on_commit_callbacks(execute=True):
        sent = reminders_send(today=TODAY)
    assert sorted(r.recipient.username for r in sent) == ["alice", "bob", "olga"]
    assert sorted(mail.outbox[i].to[0] for i in range(3)) == [
        "alice@example.no",
        "bob@example.no",
        "olga@example.no",
    ]
    alice_mail = next(m for m in mail.outbox if m.to == ["alice@example.no"])
    assert "God opplæring for alle, Dekom 2025" in alice_mail.body
    assert "14 dager" in alice_mail.body
    record = ReminderSent.objects.get(recipient=cast.alice)
    assert (record.days_before, record.email) == (14, "alice@example.no")
    assert "God opplæring for alle Dekom 2025" in record.reports

    # Never twice: a second run the same day sends nothing and records nothing more.
    mail.outbox.clear()
    assert reminders_send(today=TODAY) == []
    assert not mail.outbox and ReminderSent.objects.count() == 3


def test_a_muted_reminder_is_neither_sent_nor_recorded(cast, emails):
    cast.alice.muted_notifications = ["deadline_reminder"]
    cast.alice.save()
    _deadline(cast, NEED, TODAY + timedelta(days=3))
    make_report(cast.partnership_a, year=2025)
    assert reminders_send(today=TODAY) == []
    assert not mail.outbox and not ReminderSent.objects.exists()


def test_annual_reminders_skip_submitted_annual_reports(cast, emails):
    _deadline(cast, ANNUAL, TODAY + timedelta(days=3), code="rekom", year=2024)
    done = make_report(cast.partnership_a, "rekom", 2024, status=NeedReport.Status.ALLOCATED)
    AnnualReport.objects.create(need_report=done, status=AnnualReport.Status.SUBMITTED)
    assert reminders_send(today=TODAY) == []
    AnnualReport.objects.filter(need_report=done).update(status=AnnualReport.Status.RETURNED)
    assert [r.recipient for r in reminders_send(today=TODAY)] == [cast.alice]


def test_the_worker_sends_queued_reminders_once(cast, emails, django_capture_on_commit_callbacks):
    _deadline(cast, NEED, TODAY + timedelta(days=3))
    make_report(cast.partnership_a, year=2025)
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("deadline_reminders", "--queue", f"--today={TODAY}", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["alice@example.no"]]
    assert ReminderSent.objects.get().days_before == 3
