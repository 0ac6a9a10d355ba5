"""The one place that sends e-mail notifications.

Views and services call `notify(kind, report, recipients, **context)`; the kinds are
listed in KINDS, and each user can turn kinds off (User.muted_notifications). Mail is
rendered in the recipient partnership's language from templates/notifications/<kind>.txt,
whose first line is the subject. Each mail is a task (portal.tasks.queue_mail) written in the
caller's transaction: sent by the worker after commit, retried when the mail server is down.
"""

from django.conf import settings
from django.db import models
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .tasks import queue_mail

KINDS = {
    "comment": _("New comment"),
    "confirmation": _("UH confirmation given or cleared"),
    "confirmation_request": _("A coordinator asks the UH contact to confirm"),
    "submitted": _("Need report submitted"),
    "returned": _("Need report returned for changes"),
    "decided": _("Allocation decided"),
    # No mail of its own: muting it silences the reminders of the annual-report deadlines
    # (sent as deadline_reminder, reporting.deadlines).
    "annual_reminder": _("Reminder: annual report deadline"),
    "deadline_reminder": _("Reminder: a deadline is near"),
    "annual_submitted": _("Annual report submitted"),
    "annual_decided": _("Annual report returned or approved"),
    "annual_confirmation": _("Annual report waiting for the UH confirmation"),
    "organisation_changed": _("Organisation number or account number changed"),
    "change_request": _("Change request filed, confirmed or decided"),
}


def recipients_for(partnership, roles=None):
    """Coordinators and/or UH contacts of a partnership, with an e-mail address."""
    memberships = partnership.memberships.select_related("user")
    if roles:
        memberships = memberships.filter(role__in=roles)
    return [m.user for m in memberships if m.user.email]


def officers_for(county_office):
    """The case officers of a county office, with an e-mail address."""
    return [user for user in county_office.officers.all() if user.email]


def _one_line(value):
    return " ".join(value.split())


class _OneLineNames:
    """A model instance as a template sees it, with every short text field (CharField: names,
    titles) on one line, so a name typed with a line break cannot split the subject line.
    Long texts (TextField: comments, reasons) keep their lines."""

    def __init__(self, instance):
        self._instance = instance

    def __getattr__(self, name):
        value = getattr(self._instance, name)
        if isinstance(value, models.Model):
            return _OneLineNames(value)
        if isinstance(value, str):
            try:
                field = self._instance._meta.get_field(name)
            except Exception:
                return value
            if isinstance(field, models.CharField):
                return _one_line(value)
        return value

    def __str__(self):
        return _one_line(str(self._instance))


def _safe_context(context):
    return {
        key: _OneLineNames(value) if isinstance(value, models.Model) else value
        for key, value in context.items()
    }


def notify(kind, report, recipients, *, exclude=None, **context):
    """Queue one e-mail per recipient, sent when the current transaction commits. `report`
    may be None for a notice about no report (then in the portal's language)."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind: {kind}")
    language = (report.partnership.language if report else None) or settings.LANGUAGE_CODE
    if str(context.get("url", "")).startswith("/"):
        # Mail is read outside the portal: links must carry the host.
        context["url"] = settings.SITE_URL.rstrip("/") + context["url"]
    count = 0
    seen = set()
    for user in recipients:
        if user.pk in seen or user == exclude or not user.email:
            continue
        seen.add(user.pk)
        if kind in (user.muted_notifications or []):
            continue
        with translation.override(language):
            body = render_to_string(
                f"notifications/{kind}.txt",
                _safe_context({"report": report, "user": user, **context}),
            )
        subject, _sep, text = body.strip().partition("\n")
        queue_mail(subject=subject, body=text.strip(), to=[user.email])
        count += 1
    return count
