"""Deadlines per county office, scheme and year: setting them, what is pending or overdue,
the dashboard's panel, and reminders (`manage.py deadline_reminders`, daily from cron).

What is pending at a deadline:
- need reports: reports of the county, scheme and year still open (draft or returned);
- annual reports: allocated need reports whose annual report is not submitted or approved;
- the forum's recommendation: the county office's own task (its case officers are reminded).

The annual-report deadline has this one home (kind annual_report); the annual office page
sets it for every scheme of the county's year at once (annual_deadline_set).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from needs.models import NeedReport
from partnerships.models import CountyOffice, Membership, Scheme
from portal.notifications import notify

from .annual_models import AnnualReport
from .models_deadlines import Deadline, ReminderSent

Kind = Deadline.Kind
DEFAULT_REMINDER_DAYS = (14, 3)
KIND = "deadline_reminder"  # the notification (portal.notifications.KINDS)
# Muting this one too still silences annual-report reminders (their own path until 0010).
ANNUAL_KIND = "annual_reminder"
UPCOMING_DAYS = 120  # the dashboard shows deadlines this far ahead
SHOWN = 10  # of each list on the dashboard
DONE_ANNUAL = (AnnualReport.Status.SUBMITTED, AnnualReport.Status.APPROVED)


def deadline_set(*, county_office, scheme, year, kind, due_date, user):
    deadline, _created = Deadline.objects.update_or_create(
        county_office=county_office,
        scheme=scheme,
        year=year,
        kind=kind,
        defaults={"due_date": due_date, "set_by": user},
    )
    return deadline


def annual_schemes(county_office, year):
    """The schemes an annual-report deadline of the county's year is set for: those with
    need reports there that year, or, before there are any, every scheme."""
    used = Scheme.objects.filter(
        needreport__partnership__region__county_office=county_office, needreport__year=year
    ).distinct()
    return list(used) or list(Scheme.objects.all())


@transaction.atomic
def annual_deadline_set(*, county_office, year, due_date, user):
    """The annual office page's deadline: the same Deadline rows (kind annual_report) as
    /reporting/deadlines/, one per scheme of the county's year (annual_schemes)."""
    return [
        deadline_set(
            county_office=county_office,
            scheme=scheme,
            year=year,
            kind=Kind.ANNUAL_REPORT,
            due_date=due_date,
            user=user,
        )
        for scheme in annual_schemes(county_office, year)
    ]


def _passed(kind, today):
    """A condition on need reports: a deadline of `kind` for their county, scheme and year
    has passed."""
    return Exists(
        Deadline.objects.filter(
            county_office=OuterRef("partnership__region__county_office"),
            scheme=OuterRef("scheme"),
            year=OuterRef("year"),
            kind=kind,
            due_date__lt=today,
        )
    )


def _open_reports():
    return Q(status__in=NeedReport.EDITABLE_STATUSES)


def _annual_pending():
    done = AnnualReport.objects.filter(need_report=OuterRef("pk"), status__in=DONE_ANNUAL)
    return Q(status=NeedReport.Status.ALLOCATED) & ~Exists(done)


def pending_reports(deadline):
    """The need reports a deadline still waits for (none for the forum's recommendation)."""
    reports = NeedReport.objects.filter(
        partnership__region__county_office=deadline.county_office_id,
        scheme=deadline.scheme_id,
        year=deadline.year,
    )
    if deadline.kind == Kind.NEED_REPORT:
        return reports.filter(_open_reports())
    if deadline.kind == Kind.ANNUAL_REPORT:
        return reports.filter(_annual_pending())
    return reports.none()


def overdue_need_reports(user, today):
    """The user's need reports (as they see them) still open after their deadline."""
    return NeedReport.objects.visible_to(user).filter(
        _open_reports(), _passed(Kind.NEED_REPORT, today)
    )


def overdue_annual_reports(user, today):
    """Allocated need reports (as the user sees them) whose annual report is late."""
    return NeedReport.objects.visible_to(user).filter(
        _annual_pending(), _passed(Kind.ANNUAL_REPORT, today)
    )


def _rows(queryset):
    return list(
        queryset.select_related("partnership", "scheme")
        .only("year", "status", "partnership__name", "scheme__short_name")
        .order_by("year", "partnership__name", "scheme__order")[: SHOWN + 1]
    )


def dashboard_deadlines(user, today=None):
    """The dashboard's deadline panel (templates/portal/partials/deadlines.html): the
    upcoming deadlines the user sees, with the days left, and what is overdue."""
    today = today or timezone.localdate()
    upcoming = list(
        Deadline.objects.visible_to(user)
        .filter(due_date__gte=today, due_date__lte=today + timedelta(days=UPCOMING_DAYS))
        .select_related("county_office", "scheme")
        .order_by("due_date", "county_office__name", "scheme__order", "kind")[:SHOWN]
    )
    for deadline in upcoming:
        deadline.days_left = (deadline.due_date - today).days
    overdue = _rows(overdue_need_reports(user, today))
    overdue_annual = _rows(overdue_annual_reports(user, today))
    return {
        "deadlines_upcoming": upcoming,
        "deadlines_overdue": overdue[:SHOWN],
        "deadlines_overdue_more": len(overdue) > SHOWN,
        "deadlines_overdue_annual": overdue_annual[:SHOWN],
        "deadlines_overdue_annual_more": len(overdue_annual) > SHOWN,
        "deadlines_editable": not CountyOffice.objects.editable_by(user).query.is_empty(),
    }


# Reminders -------------------------------------------------------------------------------


@dataclass
class Reminder:
    deadline: Deadline
    recipient: object
    days_left: int
    reports: list


def _coordinators(reports):
    """{user: [reports]} for the coordinators (with an e-mail) of `reports`."""
    memberships = Membership.objects.filter(
        partnership__in=[r.partnership_id for r in reports],
        role=Membership.Role.COORDINATOR,
        user__email__gt="",
    ).select_related("user")
    by_partnership = {}
    for membership in memberships:
        by_partnership.setdefault(membership.partnership_id, []).append(membership.user)
    found = {}
    for report in reports:
        for user in by_partnership.get(report.partnership_id, []):
            found.setdefault(user, []).append(report)
    return found


def reminders_due(*, today, days_before=DEFAULT_REMINDER_DAYS, kinds=None):
    """Who is reminded today, of which deadline: those whose deadline is `days_before` days
    away and who still owe something (coordinators), or the county's case officers for the
    forum's recommendation. `kinds`: only deadlines of these kinds (default: all)."""
    due_dates = {today + timedelta(days=days) for days in days_before}
    reminders = []
    deadlines = Deadline.objects.filter(due_date__in=due_dates)
    if kinds:
        deadlines = deadlines.filter(kind__in=kinds)
    deadlines = deadlines.select_related("county_office", "scheme").order_by(
        "due_date", "county_office__name", "scheme__order", "kind"
    )
    for deadline in deadlines:
        days_left = (deadline.due_date - today).days
        if deadline.kind == Kind.FORUM_RECOMMENDATION:
            for officer in deadline.county_office.officers.exclude(email=""):
                reminders.append(Reminder(deadline, officer, days_left, []))
            continue
        reports = list(
            pending_reports(deadline)
            .select_related("partnership__region__county_office", "partnership__lead_owner")
            .select_related("scheme")
            .order_by("partnership__name")
        )
        for user, theirs in _coordinators(reports).items():
            reminders.append(Reminder(deadline, user, days_left, theirs))
    return reminders


def _url(reminder):
    if reminder.deadline.kind == Kind.ANNUAL_REPORT and reminder.reports:
        return reverse("reporting:annual_detail", args=[reminder.reports[0].pk])
    if reminder.reports:
        return reminder.reports[0].get_absolute_url()
    return reverse("portal:dashboard")


def _muted(reminder):
    """Turned off in the user's notification settings."""
    muted = set(reminder.recipient.muted_notifications or [])
    if reminder.deadline.kind == Kind.ANNUAL_REPORT and ANNUAL_KIND in muted:
        return True
    return KIND in muted


def reminders_send(*, today, days_before=DEFAULT_REMINDER_DAYS, dry_run=False, kinds=None):
    """Send today's reminders, each recorded in ReminderSent; one already recorded (an
    earlier run, or a run at the same time) is not sent again. Returns those sent (on a dry
    run: those that would be). The one reminder path for every kind of deadline."""
    sent = []
    for reminder in reminders_due(today=today, days_before=days_before, kinds=kinds):
        if _muted(reminder):
            continue
        if dry_run:
            if not ReminderSent.objects.filter(
                deadline=reminder.deadline,
                recipient=reminder.recipient,
                days_before=reminder.days_left,
            ).exists():
                sent.append(reminder)
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    deadline=reminder.deadline,
                    recipient=reminder.recipient,
                    days_before=reminder.days_left,
                    email=reminder.recipient.email,
                    reports=", ".join(
                        f"{r.partnership.name} {r.scheme.short_name} {r.year}"
                        for r in reminder.reports
                    ),
                )
                notify(
                    KIND,
                    reminder.reports[0] if reminder.reports else None,
                    [reminder.recipient],
                    deadline=reminder.deadline,
                    days_left=reminder.days_left,
                    reports=reminder.reports,
                    url=_url(reminder),
                )
        except IntegrityError:
            continue  # recorded meanwhile by another run: sent there
        sent.append(reminder)
    return sent
