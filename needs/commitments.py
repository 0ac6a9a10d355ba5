"""The commitment register: what allocated multi-year measures bind in later years' frames.

A measure allocated in year Y with continuation estimates (autumn Y+1, Y+2, Y+3:
measures.amounts.CONTINUATION_YEARS) commits estimate i to the frame of year Y+i of the same
county and scheme. `refresh_commitments(report)` recomputes a report's commitments from its
allocation and its measures' estimates; every write that changes either (decision,
allocation, rescaling, change requests) calls it in the same transaction, with the report
locked. An officer's adjustment (amount + reason) and a release (the measure ended early)
are kept when the rows are recomputed. A frame's `committed` is the sum of its commitments,
kept by `refresh_frames`.
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from measures import amounts
from portal.money import format_kroner
from portal.workflow import COMMITTING, Refused, lock_each, locked_transaction

from .models import AuditEntry, Commitment, Frame
from .services import workflow_reports


def _estimate(measure, index):
    return (getattr(measure, f"cont{index}_owner") or 0) + (
        getattr(measure, f"cont{index}_uh") or 0
    )


def _allocated(measure):
    allocation = getattr(measure, "allocation", None)
    return allocation is not None and allocation.total > 0


def refresh_commitments(report):
    """Recompute `report`'s commitments from its allocation and its measures' continuation
    estimates, and the committed sums of the frames concerned. Call it inside the
    transaction that holds the report's lock (acting_on / lock_each).

    A report commits only in a committing state (workflow.COMMITTING: allocated); a measure
    only when something is allocated to it. A row whose basis is gone is deleted, unless an
    officer adjusted or released it: then its amount becomes 0 and the record stays.
    Returns the (county office id, scheme id, year) keys whose frames were refreshed.
    """
    office_id = report.partnership.region.county_office_id
    wanted = {}
    if report.status in COMMITTING:
        for measure in report.measures.select_related("allocation"):
            if not _allocated(measure):
                continue
            for index in amounts.CONTINUATION_YEARS:
                amount = _estimate(measure, index)
                if amount:
                    wanted[(measure.pk, report.year + index)] = amount
    existing = {
        (c.measure_id, c.year): c
        for c in Commitment.objects.select_for_update().filter(report=report)
    }
    keys = {(c.county_office_id, c.scheme_id, c.year) for c in existing.values()}
    for key, amount in wanted.items():
        row = existing.pop(key, None)
        if row is None:
            Commitment.objects.create(
                report=report,
                measure_id=key[0],
                county_office_id=office_id,
                scheme_id=report.scheme_id,
                year=key[1],
                amount=amount,
            )
        elif (row.amount, row.county_office_id, row.scheme_id) != (
            amount,
            office_id,
            report.scheme_id,
        ):
            row.amount, row.county_office_id, row.scheme_id = amount, office_id, report.scheme_id
            row.save()
        keys.add((office_id, report.scheme_id, key[1]))
    for row in existing.values():
        if row.adjusted_amount is None and row.released_at is None:
            row.delete()
        elif row.amount:
            row.amount = 0
            row.save()
    refresh_frames(keys)
    return keys


def carry_over(*, county_office, scheme, year, amount):
    """A commitment without a measure (made before the register); once per frame."""
    Commitment.objects.get_or_create(
        county_office=county_office,
        scheme=scheme,
        year=year,
        measure=None,
        report=None,
        defaults={"amount": amount},
    )
    refresh_frames({(county_office.pk, scheme.pk, year)})


def committed_total(county_office_id, scheme_id, year):
    return Commitment.objects.filter(
        county_office_id=county_office_id, scheme_id=scheme_id, year=year
    ).effective_total()


def refresh_frames(keys):
    """Store the sum of its commitments on each existing frame of `keys`
    ((county office id, scheme id, year))."""
    for office_id, scheme_id, year in keys:
        Frame.objects.filter(county_office_id=office_id, scheme_id=scheme_id, year=year).update(
            committed=committed_total(office_id, scheme_id, year)
        )


def commitments_into(county_office, scheme, year):
    """The commitments bound in a frame, with their report and measure, for the frame page."""
    return (
        Commitment.objects.filter(county_office=county_office, scheme=scheme, year=year)
        .select_related("report__partnership", "report__scheme", "measure")
        .order_by("report__partnership__name", "report__year", "measure__position", "pk")
    )


def commitments_from(report):
    """What a report's measures commit to later years."""
    return report.commitments.select_related("measure").order_by("measure__position", "year")


def _locked(commitment, user):
    """Inside `locked_transaction`: the commitment locked, its report locked first (action
    "allocate": an officer of the county, while the report is allocated)."""
    if commitment.report_id is not None:
        lock_each(workflow_reports(), [commitment.report_id], "allocate", user)
    return Commitment.objects.editable_by(user).select_for_update().get(pk=commitment.pk)


def _audit(row, user, subject, old, new):
    AuditEntry.objects.create(
        actor=user,
        county_office_id=row.county_office_id,
        report_id=row.report_id,
        subject=subject,
        old_value=old,
        new_value=new,
    )


def _label(row):
    measure = row.measure.name if row.measure else _("carried over")
    return _("Commitment %(year)s: %(measure)s") % {"year": row.year, "measure": measure}


def commitment_adjust(*, commitment, amount, reason, user):
    """Set what a commitment binds (None: back to the measure's estimate), with a reason."""
    if not reason.strip():
        raise Refused(_("Give a reason for the adjustment."))
    with locked_transaction():
        row = _locked(commitment, user)
        old = row.effective_amount
        row.adjusted_amount, row.adjustment_reason = amount, reason.strip()
        row.save()
        _audit(
            row,
            user,
            _label(row),
            format_kroner(old),
            f"{format_kroner(row.effective_amount)} ({row.adjustment_reason})",
        )
        refresh_frames({(row.county_office_id, row.scheme_id, row.year)})
    return row


def commitments_release(*, commitment, reason, user):
    """The measure ends early: release this commitment and the measure's later ones."""
    if not reason.strip():
        raise Refused(_("Give a reason for the release."))
    with locked_transaction():
        row = _locked(commitment, user)
        rows = [row]
        if row.measure_id:
            rows = list(
                Commitment.objects.select_for_update().filter(
                    Q(pk=row.pk) | Q(measure_id=row.measure_id, year__gt=row.year)
                )
            )
        now = timezone.now()
        for each in rows:
            if each.released_at is not None:
                continue
            old = each.effective_amount
            each.released_at, each.release_reason = now, reason.strip()
            each.save()
            _audit(
                each,
                user,
                _label(each),
                format_kroner(old),
                f"{format_kroner(0)} ({each.release_reason})",
            )
        refresh_frames({(c.county_office_id, c.scheme_id, c.year) for c in rows})
    return rows
