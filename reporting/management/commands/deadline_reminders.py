"""Remind of the deadlines set per county, scheme and year. Meant for cron, once a day:

    manage.py deadline_reminders            # send today's reminders
    manage.py deadline_reminders --dry-run  # only list who would be reminded

A reminder goes out when a deadline is exactly one of `--days` days away (default 14 and 3):
to the coordinators of the reports it still waits for, or, for the forum's recommendation, to
the county's case officers. Each is recorded (ReminderSent) and never sent twice. The mail
goes out as tasks for the worker; `--queue` leaves even the choosing to the worker.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reporting.deadlines import DEFAULT_REMINDER_DAYS, reminders_send
from reporting.tasks import deadline_reminders_task


class Command(BaseCommand):
    help = "Send reminders of the deadlines (run daily from cron)."
    kinds = None  # every kind (annual_report_reminders: only the annual reports')

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, send nothing.")
        parser.add_argument(
            "--days",
            default=",".join(str(d) for d in DEFAULT_REMINDER_DAYS),
            help="Days before the deadline to remind, comma-separated (default: %(default)s).",
        )
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD).")
        parser.add_argument(
            "--queue", action="store_true", help="Queue a task for the worker; send nothing here."
        )

    def handle(self, *args, dry_run=False, days="", today=None, queue=False, **options):
        try:
            days_before = tuple(int(d) for d in days.split(",") if d.strip())
            today = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"Invalid --days or --today: {error}") from None
        if queue and not dry_run:
            deadline_reminders_task.enqueue(
                today=today.isoformat(), days_before=list(days_before), kinds=self.kinds
            )
            self.stdout.write(f"Queued the reminders of {today:%d.%m.%Y} for the worker.")
            return
        reminders = reminders_send(
            today=today, days_before=days_before, dry_run=dry_run, kinds=self.kinds
        )
        for reminder in reminders:
            deadline = reminder.deadline
            self.stdout.write(
                f"{deadline.county_office.name}, {deadline.scheme.short_name} {deadline.year}, "
                f"{deadline.kind}: frist {deadline.due_date:%d.%m.%Y} "
                f"({reminder.days_left} dager) -> {reminder.recipient.email}"
            )
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(f"{len(reminders)} reminder(s) {verb}.")
