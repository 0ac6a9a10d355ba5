"""Background work: the mail task, and running the queue.

Every e-mail the portal sends goes through `queue_mail` (notifications, password reset,
anything else): the mail becomes a task row in the database in the same transaction as the
action that caused it, so it is sent only if that action is saved, and a mail server that is
down fails the task, never the request. `manage.py db_worker` (django-tasks' database worker)
sends it; a failed attempt is logged, recorded as a FAILED task result and queued again
after a back-off (RETRY_DELAYS), up to MAX_ATTEMPTS in all.
"""

import logging
import re
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# Seconds to wait before attempt 2, 3, … (after attempt 1, 2, … failed).
RETRY_DELAYS = (60, 5 * 60, 30 * 60, 2 * 3600)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1

# Line breaks of every kind (CR, LF, VT, FF, NEL, U+2028, U+2029) and other control characters.
_HEADER_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
SUBJECT_MAX = 200


def clean_subject(subject):
    """A subject that is safe in a mail header: one line, no control characters, not too
    long. Names users typed (a partnership called "A\\r\\nBcc: x") end up here."""
    subject = _HEADER_BREAKS.sub(" ", str(subject))
    subject = " ".join(subject.split())
    if len(subject) > SUBJECT_MAX:
        subject = subject[: SUBJECT_MAX - 1].rstrip() + "…"
    return subject


# Mail goes before other work (a bulk export's parts) waiting in the queue.
MAIL_PRIORITY = 10


@task(priority=MAIL_PRIORITY)
def send_mail_task(*, subject, body, to, from_email="", html_body="", attempt=1):
    """Send one e-mail. On failure: log, queue the next attempt, and fail this one."""
    message = EmailMultiAlternatives(
        clean_subject(subject), body, from_email or settings.DEFAULT_FROM_EMAIL, list(to)
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    try:
        message.send(fail_silently=False)
    except Exception:
        if attempt < MAX_ATTEMPTS:
            delay = RETRY_DELAYS[attempt - 1]
            logger.warning(
                "Mail %r to %s failed (attempt %d of %d); retrying in %d s",
                message.subject,
                len(message.to),
                attempt,
                MAX_ATTEMPTS,
                delay,
                exc_info=True,
            )
            send_mail_task.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
                subject=subject,
                body=body,
                to=list(to),
                from_email=from_email,
                html_body=html_body,
                attempt=attempt + 1,
            )
        else:
            logger.error(
                "Mail %r failed %d times; giving up", message.subject, attempt, exc_info=True
            )
        raise
    return len(message.to)


def queue_mail(*, subject, body, to, from_email="", html_body=""):
    """Queue one e-mail (sent by the worker once the current transaction commits)."""
    return send_mail_task.enqueue(
        subject=clean_subject(subject),
        body=body,
        to=list(to),
        from_email=from_email,
        html_body=html_body,
    )


def run_queued_tasks():
    """Run every task that is due now in this process with the real database worker (the
    loop of `manage.py db_worker --batch`, without its signal handlers, so that it also runs
    in a server thread), then return. For tests and cron-like use."""
    from django_tasks_db.management.commands.db_worker import Worker  # needs the apps loaded

    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"inline-{uuid.uuid4().hex[:16]}",
        excluded_queue_names=[],
    ).run()
