"""Reminders of the annual-report deadline (`manage.py annual_report_reminders`, for cron)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Prefetch

from needs.models import NeedReport
from partnerships.models import Membership
from portal.notifications import notify

from .annual_models import (
    AnnualReportDeadline,
)
from .annual_selectors import Status, allocated_reports, annual_url

# Reminders -------------------------------------------------------------------------------

DEFAULT_REMINDER_DAYS = (14, 3)


@dataclass
class Reminder:
    report: NeedReport
    due_date: object
    days_left: int
    recipients: list


def reminders_due(*, today, days_before=DEFAULT_REMINDER_DAYS):
    """Who is reminded today: the coordinators of every allocated need report whose annual
    report is not yet submitted, when its county's deadline is `days_before` days away."""
    due_dates = {today + timedelta(days=days) for days in days_before}
    reminders = []
    deadlines = AnnualReportDeadline.objects.filter(due_date__in=due_dates).select_related(
        "county_office"
    )
    for deadline in deadlines.order_by("due_date", "county_office__name"):
        reports = (
            allocated_reports([deadline.county_office], deadline.year)
            .exclude(annual_report__status__in=[Status.SUBMITTED, Status.APPROVED])
            .select_related("partnership__region__county_office", "scheme")
            .prefetch_related(
                Prefetch(
                    "partnership__memberships",
                    queryset=Membership.objects.filter(
                        role=Membership.Role.COORDINATOR
                    ).select_related("user"),
                )
            )
            .order_by("partnership__name", "scheme__order")
        )
        for report in reports:
            recipients = [m.user for m in report.partnership.memberships.all() if m.user.email]
            reminders.append(
                Reminder(report, deadline.due_date, (deadline.due_date - today).days, recipients)
            )
    return reminders


def reminders_send(*, today, days_before=DEFAULT_REMINDER_DAYS, dry_run=False):
    """Send the reminders that are due today (or, on a dry run, only say who would get one)."""
    reminders = reminders_due(today=today, days_before=days_before)
    if not dry_run:
        for reminder in reminders:
            notify(
                "annual_reminder",
                reminder.report,
                reminder.recipients,
                due_date=reminder.due_date,
                days_left=reminder.days_left,
                url=annual_url(reminder.report),
            )
    return reminders
