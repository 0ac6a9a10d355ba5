"""The county office's side: review, exceptions, frames, priorities, allocation, decision.

Services are keyword-only and atomic; every change is written to the audit log.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from measures.models import Measure
from portal.money import format_kroner
from portal.notifications import notify, recipients_for
from portal.workflow import Refused, acting_on, lock_each, locked_transaction

from . import rules
from .commitments import refresh_commitments, refresh_frames
from .conflicts import refuse_if_tied
from .findings import rule_title
from .models import Activity, Allocation, AuditEntry, Frame, NeedReport, RuleException
from .rescale import fit
from .selectors import ruleset_for
from .services import record_activity, workflow_reports
from .totals import refresh_totals

Status = NeedReport.Status
ALLOCATABLE = NeedReport.workflow.states_allowing("allocate")


class ReviewError(Refused):
    """A refused action, with a message for the case officer."""


def audit(*, actor, county_office, subject, old="", new="", report=None):
    AuditEntry.objects.create(
        actor=actor,
        county_office=county_office,
        report=report,
        subject=subject,
        old_value="" if old is None else str(old),
        new_value="" if new is None else str(new),
    )


def _set_status(report, action, actor):
    """The state the workflow's table leads `action` to, with its line in the change log."""
    old = report.get_status_display()
    report.status = report.workflow.target(action)
    report.lock_version += 1
    audit(
        actor=actor,
        county_office=report.partnership.region.county_office,
        report=report,
        subject=_("Status"),
        old=old,
        new=report.get_status_display(),
    )


def _url(report):
    return reverse("needs:detail", args=[report.pk])


def report_return(*, report, user, message):
    with acting_on(workflow_reports(), report.pk, "return", user) as report:
        report.return_message = message
        _set_status(report, "return", user)
        report.save()
        record_activity(report=report, actor=user, kind=Activity.Kind.RETURNED)
    notify(
        "returned",
        report,
        recipients_for(report.partnership, ["coordinator"]),
        message=message,
        url=_url(report),
    )
    return report


def report_mark_reviewed(*, report, user):
    with acting_on(workflow_reports(), report.pk, "mark_reviewed", user) as report:
        _set_status(report, "mark_reviewed", user)
        report.save()
    return report


def exception_record(*, report, user, code, justification):
    with acting_on(workflow_reports(), report.pk, "record_exception", user) as report:
        exception, created = RuleException.objects.update_or_create(
            report=report, code=code, defaults={"justification": justification, "created_by": user}
        )
        audit(
            actor=user,
            county_office=report.partnership.region.county_office,
            report=report,
            subject=_("Exception: %(rule)s") % {"rule": rule_title(code)},
            old="" if created else _("(changed)"),
            new=justification,
        )
    return exception


@transaction.atomic
def frame_set(*, county_office, scheme, year, amount, user):
    """Set the year's frame. What it has committed is the sum of its commitments
    (needs.commitments), never typed."""
    _frame, created = Frame.objects.get_or_create(
        county_office=county_office, scheme=scheme, year=year
    )
    frame = _lock_frame(county_office, scheme, year)
    if frame.amount != amount:
        audit(
            actor=user,
            county_office=county_office,
            subject=f"{_('Frame')} {scheme.short_name} {year}",
            old=format_kroner(frame.amount),
            new=format_kroner(amount),
        )
        frame.amount = amount
        frame.save(update_fields=["amount"])
    if created:
        refresh_frames({(county_office.pk, scheme.pk, year)})
        frame.refresh_from_db()
    return frame


def priorities_set(*, reports, entries, user):
    """entries: {report_id: (priority or None, note)} for reports of one county. All are
    saved, or none when one of the reports may no longer be prioritised."""
    ids = [r.pk for r in reports if r.pk in entries]
    with locked_transaction():
        for report in lock_each(workflow_reports(), ids, "prioritise", user):
            _priority_set(report, *entries[report.pk], user)


def _priority_set(report, priority, note, user):
    if (report.priority, report.priority_note) == (priority, note):
        return
    refuse_if_tied(report, user)
    audit(
        actor=user,
        county_office=report.partnership.region.county_office,
        report=report,
        subject=_("Priority"),
        old=f"{report.priority or '–'} {report.priority_note}".strip(),
        new=f"{priority or '–'} {note}".strip(),
    )
    NeedReport.objects.filter(pk=report.pk).update(priority=priority, priority_note=note)


def allocation_queryset(county_office, scheme, year):
    return NeedReport.objects.filter(
        partnership__region__county_office=county_office,
        scheme=scheme,
        year=year,
        status__in=ALLOCATABLE,
    )


def allocated_total(county_office, scheme, year):
    """What the scheme-year's reports have allocated, from their stored totals."""
    reports = allocation_queryset(county_office, scheme, year)
    return reports.aggregate(total=Sum("allocated_total", default=0))["total"]


class FrameExceeded(ReviewError):
    def __init__(self, *, frame, committed, allocated):
        self.figures = {
            "frame": frame,
            "committed": committed,
            "allocated": allocated,
            "excess": committed + allocated - frame,
        }
        super().__init__(
            _(
                "The allocations were not saved: %(allocated)s allocated plus %(committed)s "
                "committed is %(sum)s, which is %(excess)s more than the frame of %(frame)s."
            )
            % {
                "allocated": format_kroner(allocated),
                "committed": format_kroner(committed),
                "sum": format_kroner(allocated + committed),
                "excess": format_kroner(self.figures["excess"]),
                "frame": format_kroner(frame),
            }
        )


def _lock_frame(county_office, scheme, year):
    frame = (
        Frame.objects.select_for_update()
        .filter(county_office=county_office, scheme=scheme, year=year)
        .first()
    )
    if frame is None:
        raise ReviewError(_("Set the year's frame for the scheme before allocating."))
    return frame


def allocations_save(*, county_office, scheme, year, entries, user):
    """entries: {measure_id: (owner, uh)}. All saved, or none if the frame would be exceeded.

    Locks the frame, then the reports concerned (each must still allow "allocate").
    """
    with locked_transaction():
        frame = _lock_frame(county_office, scheme, year)
        measures = Measure.objects.filter(
            report__in=allocation_queryset(county_office, scheme, year), pk__in=entries.keys()
        )
        report_ids = set(measures.values_list("report_id", flat=True))
        locked = {r.pk: r for r in lock_each(workflow_reports(), report_ids, "allocate", user)}
        changed = 0
        for measure in measures.filter(report_id__in=locked).select_related("allocation"):
            measure.report = locked[measure.report_id]
            changed += _allocation_set(measure, *entries[measure.pk], county_office, user)
        refresh_totals(*locked)
        for report in locked.values():
            refresh_commitments(report)
        allocated = allocated_total(county_office, scheme, year)
        if allocated + frame.committed > frame.amount:
            raise FrameExceeded(frame=frame.amount, committed=frame.committed, allocated=allocated)
    return changed


def _allocation_set(measure, owner, uh, county_office, user):
    """Set one measure's allocation; 1 if it changed (and is in the audit log), else 0."""
    allocation = getattr(measure, "allocation", None)
    old = (allocation.owner_amount, allocation.uh_amount) if allocation else None
    if old == (owner, uh):
        return 0
    refuse_if_tied(measure.report, user)
    if allocation is None:
        allocation = Allocation(measure=measure)
    allocation.owner_amount, allocation.uh_amount = owner, uh
    allocation.save()
    audit(
        actor=user,
        county_office=county_office,
        report=measure.report,
        subject=_("Allocation: %(measure)s") % {"measure": measure.name},
        old=f"{format_kroner(old[0])} / {format_kroner(old[1])}" if old else "–",
        new=f"{format_kroner(owner)} / {format_kroner(uh)}",
    )
    return 1


@dataclass
class RescaleLine:
    allocation: Allocation
    old_owner: int
    old_uh: int
    new_owner: int
    new_uh: int


def rescale_preview(*, county_office, scheme, year, new_amount, distribute=False):
    """What `rescale_apply` would do with a new frame (rescale.fit on the owner and UH part
    of every allocation in the scheme-year, against the new frame minus what is committed)."""
    frame = Frame.objects.get(county_office=county_office, scheme=scheme, year=year)
    allocations = list(
        Allocation.objects.filter(
            measure__report__in=allocation_queryset(county_office, scheme, year)
        )
        .select_related("measure__report__partnership")
        .order_by("measure__report__partnership__name", "measure__position", "pk")
    )
    lines = {}
    for alloc in allocations:
        lines[(alloc.pk, 0)] = (alloc.owner_amount, alloc.measure.owner_amount)
        lines[(alloc.pk, 1)] = (alloc.uh_amount, alloc.measure.uh_amount)
    available = max(new_amount - frame.committed, 0)
    case, fitted = fit(lines, available, distribute)
    old_total = sum(a for a, _r in lines.values())
    new_total = sum(fitted.values())
    return {
        "frame": frame,
        "new_amount": new_amount,
        "committed": frame.committed,
        "available": available,
        "distribute": distribute,
        "case": case,
        "old_total": old_total,
        "new_total": new_total,
        "unallocated": available - new_total,
        "lines": [
            RescaleLine(
                alloc,
                alloc.owner_amount,
                alloc.uh_amount,
                fitted[(alloc.pk, 0)],
                fitted[(alloc.pk, 1)],
            )
            for alloc in allocations
        ],
    }


def rescale_apply(*, county_office, scheme, year, new_amount, user, distribute=False):
    with locked_transaction():
        frame = _lock_frame(county_office, scheme, year)
        reports = allocation_queryset(county_office, scheme, year).values_list("pk", flat=True)
        locked = lock_each(workflow_reports(), list(reports), "allocate", user)
        preview = rescale_preview(
            county_office=county_office,
            scheme=scheme,
            year=year,
            new_amount=new_amount,
            distribute=distribute,
        )
        if new_amount < frame.committed:
            raise ReviewError(_("The new frame is smaller than what is already committed."))
        for line in preview["lines"]:
            if (line.old_owner, line.old_uh) != (line.new_owner, line.new_uh):
                Allocation.objects.filter(pk=line.allocation.pk).update(
                    owner_amount=line.new_owner, uh_amount=line.new_uh
                )
        refresh_totals(*locked)
        for report in locked:
            refresh_commitments(report)
        _rescale_audit(frame, preview, new_amount, county_office, scheme, year, user)
    return preview


def _rescale_audit(frame, preview, new_amount, county_office, scheme, year, user):
    audit(
        actor=user,
        county_office=county_office,
        subject=_("Frame changed and allocations rescaled: %(scheme)s %(year)s")
        % {"scheme": scheme.short_name, "year": year},
        old=f"{format_kroner(frame.amount)} ({format_kroner(preview['old_total'])})",
        new=f"{format_kroner(new_amount)} ({format_kroner(preview['new_total'])})",
    )
    frame.amount = new_amount
    frame.save(update_fields=["amount"])


def allocation_findings(report, measures, ruleset):
    """The split rule applied to what is allocated, as it is to what was requested."""
    owner = sum(m.allocation.owner_amount for m in measures if hasattr(m, "allocation"))
    uh = sum(m.allocation.uh_amount for m in measures if hasattr(m, "allocation"))
    return allocated_split_findings(owner, uh, ruleset)


def allocated_split_findings(owner, uh, ruleset):
    """The split rule on a report's allocated owner and UH totals (none when nothing is)."""
    if owner + uh == 0:
        return []
    return rules.check_split(owner, uh, ruleset)


def decision_recipients(report):
    """Who a decision on the report is mailed to: the partnership's members with an e-mail
    address (what `_decide` notifies)."""
    return recipients_for(report.partnership)


def report_decide(*, report, user, allocate, reason=""):
    with acting_on(workflow_reports(), report.pk, "decide" if allocate else "reject", user) as r:
        return _decide(r, user, allocate, reason)


def _decide(report, user, allocate, reason):
    refuse_if_tied(report, user)
    if allocate:
        measures = list(report.measures.select_related("allocation"))
        if not any(hasattr(m, "allocation") for m in measures):
            raise ReviewError(_("Allocate amounts to the measures before deciding."))
        excepted = set(report.exceptions.values_list("code", flat=True))
        if rules.blocking(allocation_findings(report, measures, ruleset_for(report)), excepted):
            raise ReviewError(
                _("The allocation breaks the split rule. Adjust it or record an exception.")
            )
        total = sum(m.allocation.total for m in measures if hasattr(m, "allocation"))
    else:
        if not reason.strip():
            raise ReviewError(_("Give a reason for rejecting the report."))
        total = 0
    report.decision_reason = reason
    report.decided_at = timezone.now()
    report.decided_by = user
    _set_status(report, "decide" if allocate else "reject", user)
    report.save()
    refresh_commitments(report)
    kind = Activity.Kind.ALLOCATED if allocate else Activity.Kind.REJECTED
    record_activity(report=report, actor=user, kind=kind)
    notify("decided", report, decision_recipients(report), total=total, url=_url(report))
    return report
