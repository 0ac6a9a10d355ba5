"""The one place that sends e-mail notifications.

Views and services call `notify(kind, report, recipients, **context)`; the kinds are
listed in KINDS, and each user can turn kinds off (User.muted_notifications). Mail is
rendered in the recipient partnership's language from templates/notifications/<kind>.txt.
"""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

KINDS = {
    "comment": _("New comment"),
    "confirmation": _("UH confirmation given or cleared"),
    "confirmation_request": _("A coordinator asks the UH contact to confirm"),
    "submitted": _("Need report submitted"),
    "returned": _("Need report returned for changes"),
    "decided": _("Allocation decided"),
    "annual_reminder": _("Reminder: annual report deadline"),
    "annual_submitted": _("Annual report submitted"),
    "annual_decided": _("Annual report returned or approved"),
    "organisation_changed": _("Organisation number or account number changed"),
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


def notify(kind, report, recipients, *, exclude=None, **context):
    """Queue one e-mail per recipient, sent when the current transaction commits. `report`
    may be None for a notice about no report (then in the portal's language)."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind: {kind}")
    language = (report.partnership.language if report else None) or settings.LANGUAGE_CODE
    if str(context.get("url", "")).startswith("/"):
        # Mail is read outside the portal: links must carry the host.
        context["url"] = settings.SITE_URL.rstrip("/") + context["url"]
    messages = []
    seen = set()
    for user in recipients:
        if user.pk in seen or user == exclude or not user.email:
            continue
        seen.add(user.pk)
        if kind in (user.muted_notifications or []):
            continue
        with translation.override(language):
            body = render_to_string(
                f"notifications/{kind}.txt", {"report": report, "user": user, **context}
            )
        subject, _sep, text = body.strip().partition("\n")
        messages.append((subject.strip(), text.strip(), settings.DEFAULT_FROM_EMAIL, [user.email]))
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    return len(messages)
