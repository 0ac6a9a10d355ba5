"""Writes of the UH collaboration on a need report: comments and the UH confirmation.

Each service records the report's activity and sends its notification through
portal.notifications, so views stay thin and nothing is sent from a view.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from measures.models import Measure
from partnerships.models import Membership
from portal.notifications import notify, officers_for, recipients_for
from portal.workflow import acting_on

from .models import Activity, Comment, CommentRead, NeedReport, UhConfirmation
from .selectors import amounts_of, confirmation_state
from .services import record_activity, workflow_reports

# Told to whoever changed the amounts (measure page, report page, import).
CONFIRMATION_CLEARED_MESSAGE = _lazy(
    "You changed amounts after the UH contact confirmed the UH part. The confirmation was "
    "cleared; the UH contact must confirm again before the report can be submitted."
)


def _report_url(report, measure=None):
    if measure is not None:
        return reverse("measures:edit", args=[report.pk, measure.pk])
    return reverse("needs:detail", args=[report.pk])


# Comments --------------------------------------------------------------------------------


def comment_create(*, report, user, text, measure=None):
    with acting_on(workflow_reports(), report.pk, "comment", user) as report:
        return _comment_create(report, user, text, measure)


def _comment_create(report, user, text, measure):
    comment = Comment.objects.create(report=report, measure=measure, author=user, text=text)
    record_activity(report=report, actor=user, kind=Activity.Kind.COMMENTED, measure=measure)
    # Writing is reading: the author has seen everything up to their own comment.
    mark_comments_read(user=user, report=report, at=comment.created_at)
    recipients = recipients_for(report.partnership)
    if report.status != NeedReport.Status.DRAFT:
        recipients += officers_for(report.partnership.region.county_office)
    notify(
        "comment",
        report,
        recipients,
        exclude=user,
        comment=comment,
        measure=measure,
        actor=user,
        url=_report_url(report, measure),
    )
    return comment


def _check_author(comment, user):
    if comment.author_id != user.pk or comment.is_deleted:
        raise PermissionDenied


@transaction.atomic
def comment_edit(*, comment, user, text):
    _check_author(comment, user)
    comment.text = text
    comment.edited_at = timezone.now()
    comment.save(update_fields=["text", "edited_at"])
    return comment


@transaction.atomic
def comment_delete(*, comment, user):
    """Kept as 'deleted' in the thread; the text is no longer shown."""
    _check_author(comment, user)
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["deleted_at"])
    return comment


def mark_comments_read(*, user, report, at=None):
    CommentRead.objects.update_or_create(
        user=user, report=report, defaults={"last_read_at": at or timezone.now()}
    )


# UH confirmation -------------------------------------------------------------------------


def _uh_contacts(report):
    return recipients_for(report.partnership, roles=[Membership.Role.UH_CONTACT])


def _coordinators(report):
    return recipients_for(report.partnership, roles=[Membership.Role.COORDINATOR])


def uh_confirm(*, report, user):
    """'UH har sett behovsmeldingen og bekrefter sin del', for the version to be submitted:
    the amounts as they are under the report's lock. None if that is already confirmed."""
    with acting_on(workflow_reports(), report.pk, "confirm_uh", user) as report:
        measures = list(report.measures.all())
        if confirmation_state(report, measures).valid:
            return None
        return _confirm(report, user, measures)


def _confirm(report, user, measures):
    confirmation = UhConfirmation.objects.create(
        report=report,
        version_number=report.next_version_number(),
        amounts=amounts_of(measures),
        confirmed_by=user,
    )
    record_activity(report=report, actor=user, kind=Activity.Kind.CONFIRMED)
    notify(
        "confirmation",
        report,
        _coordinators(report),
        exclude=user,
        confirmation=confirmation,
        actor=user,
        url=_report_url(report),
    )
    return confirmation


def amount_changes(confirmed, current, measures):
    """What changed between two amounts_of() maps, as UhConfirmation.cleared_changes rows."""
    numbers = {str(m.pk): (i, m.name) for i, m in enumerate(measures, start=1)}
    changes = []
    for key in sorted(set(confirmed) | set(current), key=lambda k: numbers.get(k, (0, ""))[0]):
        number, name = numbers.get(key, (None, ""))
        old = confirmed.get(key)
        new = current.get(key)
        if new is None and key not in numbers:
            changes.append({"id": key, "number": None, "measure": "", "field": ""})
            continue
        old = old or [0] * len(Measure.AMOUNT_FIELDS)
        new = new or [0] * len(Measure.AMOUNT_FIELDS)
        for field, before, after in zip(Measure.AMOUNT_FIELDS, old, new, strict=True):
            if before != after:
                changes.append(
                    {"number": number, "measure": name, "field": field, "old": before, "new": after}
                )
    return changes


def clear_confirmation_if_changed(*, report, user, deleted=None):
    """Called after every write to a report's measures.

    If the UH had confirmed the version to be submitted and any amount now differs, the
    confirmation is cleared with the list of changes, so the coordinator sees why and the UH
    contact is asked to confirm again. `deleted` is (id, name) of a measure that was just
    deleted, so the explanation can name it. Returns the cleared confirmation or None.
    """
    confirmation = report.uh_confirmations.first()
    if confirmation is None or confirmation.version_number != report.next_version_number():
        return None
    measures = list(report.measures.all())
    current = amounts_of(measures)
    if current == confirmation.amounts and not confirmation.is_cleared:
        return None
    changes = amount_changes(confirmation.amounts, current, measures)
    # A deleted measure keeps its name: from this deletion, or from the earlier list.
    names = {c["id"]: c["measure"] for c in confirmation.cleared_changes if "id" in c}
    if deleted is not None:
        measure_id, name = deleted
        names[str(measure_id)] = name
    for change in changes:
        if "id" in change:
            change["measure"] = names.get(change["id"], "")
    if confirmation.is_cleared:
        # Still waiting for a new confirmation: keep the list of changes complete
        # (everything since the UH confirmed), without telling everyone again.
        if changes != confirmation.cleared_changes:
            confirmation.cleared_changes = changes
            confirmation.save(update_fields=["cleared_changes"])
        return None
    confirmation.cleared_at = timezone.now()
    confirmation.cleared_by = user
    confirmation.cleared_changes = changes
    confirmation.save(update_fields=["cleared_at", "cleared_by", "cleared_changes"])
    record_activity(report=report, actor=user, kind=Activity.Kind.CONFIRMATION_CLEARED)
    notify(
        "confirmation",
        report,
        _uh_contacts(report) + _coordinators(report),
        exclude=user,
        confirmation=confirmation,
        actor=user,
        url=_report_url(report),
    )
    return confirmation
