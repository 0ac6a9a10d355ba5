"""Change requests (endringssøknader) to an allocated need report.

The coordinator proposes (draft → submitted), the UH contact confirms (uh_confirmed), the
county office approves (approved: the change is applied) or rejects with a reason. Each step
is the workflow's CHANGE_REQUEST_STEPS, taken under the change request's row lock
(acting_on); approving also locks the report (its "apply_change", refused to an officer with
a declared tie), checks that what the request was based on is still so, writes the measures
and allocations, refreshes the stored totals and the commitments, and logs each change.
Every step is in the county office's change log and notified.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from measures.models import Measure
from portal.money import format_kroner
from portal.notifications import notify, officers_for, recipients_for
from portal.workflow import Refused, acting_on, lock_each

from . import rules
from .commitments import refresh_commitments
from .conflicts import refuse_if_tied
from .models import Allocation, ChangeLine, ChangeRequest
from .review import allocated_split_findings, audit
from .selectors import ruleset_for
from .services import workflow_reports
from .totals import refresh_totals

MONEY, TEXT, FLAG = "money", "text", "flag"

# key -> (label, kind): what a change request may change on a measure. "alloc_*" are the
# measure's allocation, the rest the measure's own fields.
FIELDS = {
    "alloc_owner": (gettext_lazy("Allocated owner"), MONEY),
    "alloc_uh": (gettext_lazy("Allocated UH"), MONEY),
    "name": (gettext_lazy("Name of the measure"), TEXT),
    "target_group": (gettext_lazy("Target group"), TEXT),
    "spring_this_year": (gettext_lazy("Spring"), FLAG),
    "autumn_this_year": (gettext_lazy("Autumn"), FLAG),
    "spring_next_year": (gettext_lazy("Spring next year"), FLAG),
    "cont1_owner": (gettext_lazy("Continuation next year, owner"), MONEY),
    "cont1_uh": (gettext_lazy("Continuation next year, UH"), MONEY),
}
MEASURE_FIELDS = [key for key in FIELDS if not key.startswith("alloc_")]


class ChangeRefused(Refused):
    pass


def workflow_changes():
    return ChangeRequest.objects.select_related(
        "report__partnership__region__county_office", "report__scheme"
    )


def current_values(measure):
    """The measure as it is now, keyed as FIELDS (needs `allocation` loaded)."""
    allocation = getattr(measure, "allocation", None)
    values = {key: getattr(measure, key) for key in MEASURE_FIELDS}
    values["alloc_owner"] = allocation.owner_amount if allocation else 0
    values["alloc_uh"] = allocation.uh_amount if allocation else 0
    for key in ("cont1_owner", "cont1_uh"):
        values[key] = values[key] or 0
    return values


def report_measures(report):
    return list(
        Measure.objects.filter(report=report)
        .select_related("allocation")
        .order_by("position", "pk")
    )


@dataclass
class Difference:
    key: str
    label: str
    kind: str
    before: object
    after: object


def differences(line):
    """What a line changes, in FIELDS' order."""
    return [
        Difference(key, str(label), kind, line.before.get(key), line.after.get(key))
        for key, (label, kind) in FIELDS.items()
        if key in line.after and line.before.get(key) != line.after.get(key)
    ]


def _url(change):
    return reverse("needs:change_request", args=[change.pk])


def _log(change, user, subject, old="", new=""):
    audit(
        actor=user,
        county_office=change.report.partnership.region.county_office,
        report=change.report,
        subject=subject,
        old=old,
        new=new,
    )


def _set_status(change, action, user, subject):
    old = change.get_status_display()
    change.status = change.workflow.target(action)
    change.lock_version += 1
    _log(change, user, subject, old, change.get_status_display())


def change_create(*, report, user):
    """A new draft change request to an allocated report (or the open one, if there is)."""
    with acting_on(workflow_reports(), report.pk, "request_change", user) as report:
        open_one = report.change_requests.filter(status__in=ChangeRequest.OPEN).first()
        if open_one is not None:
            return open_one
        change = ChangeRequest.objects.create(report=report, created_by=user)
        change.report = report
        _log(change, user, _("Change request %(number)s started") % {"number": change.pk})
    return change


def check_totals(report, proposed):
    """Refuse unless the proposed allocations keep the report's allocated total and are not
    negative. proposed: {measure id: {key: value}} for every measure of the report."""
    total = sum(v["alloc_owner"] + v["alloc_uh"] for v in proposed.values())
    if total != report.allocated_total:
        raise ChangeRefused(
            _(
                "Money can only be moved between the measures within the allocation: the "
                "allocations add up to %(total)s, the allocation is %(allocated)s."
            )
            % {
                "total": format_kroner(total),
                "allocated": format_kroner(report.allocated_total),
            }
        )


def change_save(*, change, user, reason, proposed, expected_version):
    """The draft's reason and lines. proposed: {measure id: {key: value}} for each measure of
    the report (as the form shows them); a line is kept for each measure that changes.
    Returns False (nothing saved) when someone saved the draft since `expected_version`."""
    with acting_on(workflow_changes(), change.pk, "edit", user) as change:
        if change.lock_version != expected_version:
            return False
        measures = {m.pk: m for m in report_measures(change.report)}
        check_totals(change.report, {pk: proposed[pk] for pk in measures if pk in proposed})
        change.lines.all().delete()
        lines = []
        for pk, measure in measures.items():
            before = current_values(measure)
            after = {k: v for k, v in proposed.get(pk, {}).items() if before.get(k) != v}
            if after:
                lines.append(
                    ChangeLine(change_request=change, measure=measure, before=before, after=after)
                )
        ChangeLine.objects.bulk_create(lines)
        change.reason = reason
        change.lock_version += 1
        change.save()
    return True


def change_submit(*, change, user):
    with acting_on(workflow_changes(), change.pk, "submit", user) as change:
        if not change.lines.exists():
            raise ChangeRefused(_("The change request changes nothing yet."))
        if not change.reason.strip():
            raise ChangeRefused(_("Write why the change is needed."))
        change.submitted_at = timezone.now()
        _set_status(change, "submit", user, _("Change request %(number)s") % {"number": change.pk})
        change.save()
    notify(
        "change_request",
        change.report,
        recipients_for(change.report.partnership, ["uh_contact"]),
        exclude=user,
        change=change,
        url=_url(change),
    )
    return change


def change_withdraw(*, change, user):
    with acting_on(workflow_changes(), change.pk, "withdraw", user) as change:
        _set_status(
            change, "withdraw", user, _("Change request %(number)s") % {"number": change.pk}
        )
        change.save()
    return change


def change_confirm_uh(*, change, user):
    with acting_on(workflow_changes(), change.pk, "confirm_uh", user) as change:
        change.uh_confirmed_by, change.uh_confirmed_at = user, timezone.now()
        _set_status(
            change, "confirm_uh", user, _("Change request %(number)s") % {"number": change.pk}
        )
        change.save()
    office = change.report.partnership.region.county_office
    notify(
        "change_request",
        change.report,
        officers_for(office) + recipients_for(change.report.partnership, ["coordinator"]),
        exclude=user,
        change=change,
        url=_url(change),
    )
    return change


def change_reject(*, change, user, reason):
    if not reason.strip():
        raise ChangeRefused(_("Give a reason for rejecting the change request."))
    with acting_on(workflow_changes(), change.pk, "reject", user) as change:
        refuse_if_tied(change.report, user)
        change.decision_reason = reason
        change.decided_by, change.decided_at = user, timezone.now()
        _set_status(change, "reject", user, _("Change request %(number)s") % {"number": change.pk})
        change.save()
    _notify_decided(change, user)
    return change


def change_approve(*, change, user, reason=""):
    """Apply the change: lock the change request, then its report."""
    with acting_on(workflow_changes(), change.pk, "approve", user) as change:
        (report,) = lock_each(workflow_reports(), [change.report_id], "apply_change", user)
        refuse_if_tied(report, user)
        change.report = report
        _apply(change, report, user)
        change.decision_reason = reason
        change.decided_by, change.decided_at = user, timezone.now()
        _set_status(change, "approve", user, _("Change request %(number)s") % {"number": change.pk})
        change.save()
    _notify_decided(change, user)
    return change


def _apply(change, report, user):
    measures = {m.pk: m for m in report_measures(report)}
    lines = list(change.lines.all())
    proposed = {pk: current_values(m) for pk, m in measures.items()}
    for line in lines:
        now = proposed.get(line.measure_id)
        if now is None or any(now[k] != line.before.get(k) for k in line.after):
            raise ChangeRefused(
                _(
                    "The report changed after the change request was made (e.g. a new "
                    "allocation). Nothing was changed: ask the coordinator for a new request."
                )
            )
        now.update(line.after)
    check_totals(report, proposed)
    owner = sum(v["alloc_owner"] for v in proposed.values())
    uh = sum(v["alloc_uh"] for v in proposed.values())
    excepted = set(report.exceptions.values_list("code", flat=True))
    if rules.blocking(allocated_split_findings(owner, uh, ruleset_for(report)), excepted):
        raise ChangeRefused(
            _("After the change the allocation breaks the split rule. Nothing was changed.")
        )
    for line in lines:
        measure = measures[line.measure_id]
        _apply_line(measure, line, user, change)
    refresh_totals(report)
    refresh_commitments(report)


def _apply_line(measure, line, user, change):
    after = line.after
    fields = {k: v for k, v in after.items() if k in MEASURE_FIELDS}
    if fields:
        for key in ("cont1_owner", "cont1_uh"):
            if key in fields and fields[key] == 0:
                fields[key] = None
        Measure.objects.filter(pk=measure.pk).update(
            **fields, lock_version=measure.lock_version + 1, updated_at=timezone.now()
        )
    if "alloc_owner" in after or "alloc_uh" in after:
        allocation, _created = Allocation.objects.get_or_create(measure=measure)
        allocation.owner_amount = after.get("alloc_owner", allocation.owner_amount)
        allocation.uh_amount = after.get("alloc_uh", allocation.uh_amount)
        allocation.save()
    for diff in differences(line):
        _log(
            change,
            user,
            _("Change request %(number)s: %(measure)s, %(field)s")
            % {"number": change.pk, "measure": measure.name, "field": diff.label},
            _shown(diff.kind, diff.before),
            _shown(diff.kind, diff.after),
        )


def _shown(kind, value):
    if kind == MONEY:
        return format_kroner(value or 0)
    if kind == FLAG:
        return _("yes") if value else _("no")
    return value or ""


def _notify_decided(change, user):
    notify(
        "change_request",
        change.report,
        recipients_for(change.report.partnership),
        exclude=user,
        change=change,
        url=_url(change),
    )


def latest_approved(report):
    """The newest approved change request of the report, or None."""
    return (
        report.change_requests.filter(status=ChangeRequest.Status.APPROVED)
        .filter(~Q(decided_at=None))
        .order_by("-decided_at", "-pk")
        .first()
    )
