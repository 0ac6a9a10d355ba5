"""Writes of the collaboration on a report: comments, read marks and the UH confirmation.

The only code that writes these rows. Each service takes a `subject`: a need report, or its
annual report (whose rows are kept with its need report, `annual_report` set). Every write
takes the subject's workflow lock (portal.workflow.acting_on, actions "comment" and
"confirm_uh"). On a need report the services also record its activity and send the
notification through portal.notifications, so views stay thin and nothing is sent from a view.
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from partnerships.models import Membership
from portal.notifications import notify, officers_for, recipients_for
from portal.workflow import acting_on

from .models import Activity, Comment, CommentRead, NeedReport, UhConfirmation
from .selectors import confirmation_state, current_amounts, thread_of
from .services import record_activity, workflow_reports

# Told to whoever changed the amounts (measure page, report page, import).
CONFIRMATION_CLEARED_MESSAGE = _lazy(
    "You changed amounts after the UH contact confirmed the UH part. The confirmation was "
    "cleared; the UH contact must confirm again before the report can be submitted."
)


def _acting(subject, action, user):
    """`with _acting(subject, action, user) as subject:` – the subject locked for `action`."""
    if isinstance(subject, NeedReport):
        return acting_on(workflow_reports(), subject.pk, action, user)
    annuals = type(subject).objects.select_related("need_report__partnership__region")
    return acting_on(annuals, subject.pk, action, user)


def _tell(subject, kind, notice, *, user, to, measure=None, **context):
    """Activity and the notice to the users `to(report)` gives, for a need report (annual
    reports have neither)."""
    if not isinstance(subject, NeedReport):
        return
    record_activity(report=subject, actor=user, kind=kind, measure=measure)
    url = (measure or subject).get_absolute_url()
    notify(
        notice, subject, to(subject), exclude=user, actor=user, measure=measure, url=url, **context
    )


def _members(*roles):
    return lambda report: [u for role in roles for u in recipients_for(report.partnership, [role])]


def _commenters(report):
    recipients = recipients_for(report.partnership)
    if report.status != NeedReport.Status.DRAFT:
        recipients += officers_for(report.partnership.region.county_office)
    return recipients


# Comments --------------------------------------------------------------------------------


def comment_create(*, subject, user, text, measure=None):
    with _acting(subject, "comment", user) as subject:
        thread = thread_of(subject)
        comment = Comment.objects.create(**thread, measure=measure, author=user, text=text)
        # Writing is reading: the author has seen everything up to their own comment.
        mark_comments_read(user=user, subject=subject, at=comment.created_at)
        _tell(
            subject,
            Activity.Kind.COMMENTED,
            "comment",
            user=user,
            to=_commenters,
            measure=measure,
            comment=comment,
        )
        return comment


def _authoring(comment, user):
    """The comment's subject locked for "comment"; only its author changes it, until deleted."""
    if comment.author_id != user.pk or comment.is_deleted:
        raise PermissionDenied
    return _acting(comment.annual_report or comment.report, "comment", user)


def comment_edit(*, comment, user, text):
    with _authoring(comment, user):
        comment.text = text
        comment.edited_at = timezone.now()
        comment.save(update_fields=["text", "edited_at"])
        return comment


def comment_delete(*, comment, user):
    """Kept as 'deleted' in the thread; the text is no longer shown."""
    with _authoring(comment, user):
        comment.deleted_at = timezone.now()
        comment.save(update_fields=["deleted_at"])
        return comment


def mark_comments_read(*, user, subject, at=None):
    CommentRead.objects.update_or_create(
        user=user, **thread_of(subject), defaults={"last_read_at": at or timezone.now()}
    )


# UH confirmation -------------------------------------------------------------------------


def uh_confirm(*, subject, user, check=None):
    """The UH confirms the amounts of the version to be submitted, as they are under the
    subject's lock. None if that is already confirmed. `check(subject)` may refuse first."""
    with _acting(subject, "confirm_uh", user) as subject:
        if check is not None:
            check(subject)
        if confirmation_state(subject).valid:
            return None
        confirmation = UhConfirmation.objects.create(
            **thread_of(subject),
            version_number=subject.next_version_number(),
            amounts=current_amounts(subject)[0],
            confirmed_by=user,
        )
        _tell(
            subject,
            Activity.Kind.CONFIRMED,
            "confirmation",
            user=user,
            to=_members(Membership.Role.COORDINATOR),
            confirmation=confirmation,
        )
        return confirmation


def confirmation_request(*, report, user):
    """A coordinator asks the partnership's UH contacts to confirm the UH part: a
    notification only (the report does not change). Returns how many were told."""
    with _acting(report, "comment", user) as report:
        return notify(
            "confirmation_request",
            report,
            recipients_for(report.partnership, [Membership.Role.UH_CONTACT]),
            exclude=user,
            actor=user,
            url=report.get_absolute_url() + "#confirmation",
        )


def amount_changes(confirmed, current, measures, fields):
    """What changed between two amount maps, as UhConfirmation.cleared_changes rows."""
    numbers = {str(m.pk): (i, m.name) for i, m in enumerate(measures, start=1)}
    changes = []
    for key in sorted(set(confirmed) | set(current), key=lambda k: numbers.get(k, (0, ""))[0]):
        number, name = numbers.get(key, (None, ""))
        if current.get(key) is None and key not in numbers:
            changes.append({"id": key, "number": None, "measure": "", "field": ""})
            continue
        old = confirmed.get(key) or [0] * len(fields)
        new = current.get(key) or [0] * len(fields)
        for field, before, after in zip(fields, old, new, strict=True):
            if before != after:
                changes.append(
                    {"number": number, "measure": name, "field": field, "old": before, "new": after}
                )
    return changes


def clear_confirmation_if_changed(*, subject, user, deleted=None):
    """Called after every write to a subject's amounts, under its lock.

    If the UH had confirmed the version to be submitted and any amount now differs, the
    confirmation is cleared with the list of changes, so the coordinator sees why and the UH
    contact is asked to confirm again. `deleted` is (id, name) of a measure that was just
    deleted, so the explanation can name it. Returns the cleared confirmation or None.
    """
    confirmation = UhConfirmation.objects.filter(**thread_of(subject)).first()
    if confirmation is None or confirmation.version_number != subject.next_version_number():
        return None
    current, measures, fields = current_amounts(subject)
    if current == confirmation.amounts and not confirmation.is_cleared:
        return None
    changes = amount_changes(confirmation.amounts, current, measures, fields)
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
    _tell(
        subject,
        Activity.Kind.CONFIRMATION_CLEARED,
        "confirmation",
        user=user,
        to=_members(Membership.Role.UH_CONTACT, Membership.Role.COORDINATOR),
        confirmation=confirmation,
    )
    return confirmation
