"""The annual-report reminders: an alias of `manage.py deadline_reminders` for the deadlines
of kind annual_report (same options, same ReminderSent record, never sent twice). The daily
cron runs `deadline_reminders`, which includes these; this stays for old crontabs.
"""

from reporting.models_deadlines import Deadline

from .deadline_reminders import Command as DeadlineReminders


class Command(DeadlineReminders):
    help = "Send reminders of the annual-report deadlines (an alias of deadline_reminders)."
    kinds = [Deadline.Kind.ANNUAL_REPORT.value]
