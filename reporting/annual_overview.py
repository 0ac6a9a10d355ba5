"""The dashboard's annual-report overview: what waits for the user (to write, to confirm, to
review) and what is overdue. Its own context function for its own partial
(templates/portal/partials/annual_overview.html); reads start from the access QuerySets."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from needs.models import NeedReport
from partnerships.models import CountyOffice, Partnership
from portal.workflow import UH_CONTACT

from .annual_models import AnnualReport
from .annual_selectors import allocated_reports, uh_amounts_filled_in, uh_confirmation
from .models_deadlines import Deadline

Status = AnnualReport.Status
DONE = [Status.SUBMITTED, Status.APPROVED]
SHOWN = 10


@dataclass
class Waiting:
    report: NeedReport
    status_label: str
    due_date: date | None
    overdue: bool


@dataclass
class Overdue:
    county_office: CountyOffice
    year: int
    due_date: date
    count: int


def _deadlines(reports):
    """{(county office id, scheme id, year): due date} for the reports' annual reports."""
    keys = {(r.partnership.region.county_office_id, r.scheme_id, r.year) for r in reports}
    if not keys:
        return {}
    # Deadlines are public dates (a few per county, scheme and year): those of the years,
    # matched to the reports' counties and schemes here.
    found = Deadline.objects.filter(
        kind=Deadline.Kind.ANNUAL_REPORT, year__in={k[2] for k in keys}
    ).values_list("county_office_id", "scheme_id", "year", "due_date")
    return {(o, s, y): due for o, s, y, due in found if (o, s, y) in keys}


def _to_write(user, today):
    reports = list(
        NeedReport.objects.visible_to(user)
        .filter(
            status=NeedReport.Status.ALLOCATED,
            partnership__in=Partnership.objects.coordinated_by(user),
        )
        .exclude(annual_report__status__in=DONE)
        .select_related("partnership__region", "scheme", "annual_report")
        .order_by("year", "partnership__name", "scheme__order")[:SHOWN]
    )
    due = _deadlines(reports)
    rows = []
    for report in reports:
        annual = getattr(report, "annual_report", None)
        due_date = due.get(
            (report.partnership.region.county_office_id, report.scheme_id, report.year)
        )
        label = annual.get_status_display() if annual else _("Not started")
        rows.append(Waiting(report, label, due_date, bool(due_date and due_date < today)))
    return rows


def _to_confirm(user):
    """Annual reports whose UH part the user (a UH contact) must confirm now."""
    annuals = (
        AnnualReport.objects.visible_to(user)
        .filter(
            status__in=AnnualReport.EDITABLE_STATUSES,
            need_report__partnership__in=Partnership.objects.member_of(user),
        )
        .select_related("need_report__partnership__region", "need_report__scheme")
        .order_by("need_report__year", "need_report__partnership__name")[:SHOWN]
    )
    waiting = []
    for annual in annuals:
        if UH_CONTACT not in annual.roles_of(user):
            continue
        state = uh_confirmation(annual)
        if state.required and not state.valid and uh_amounts_filled_in(annual):
            waiting.append(annual)
    return waiting


def _to_review(user, offices):
    if not offices:
        return []
    return list(
        AnnualReport.objects.visible_to(user)
        .filter(
            status=Status.SUBMITTED,
            need_report__partnership__region__county_office__in=offices,
        )
        .select_related("need_report__partnership", "need_report__scheme")
        .order_by("submitted_at")[:SHOWN]
    )


def _overdue(offices, today):
    """Per county office and year whose annual-report deadline (of a scheme) has passed:
    the allocated need reports of those schemes without a submitted annual report, with the
    earliest of the passed deadlines."""
    deadlines = Deadline.objects.filter(
        county_office__in=offices, kind=Deadline.Kind.ANNUAL_REPORT, due_date__lt=today
    ).select_related("county_office")
    passed = {}
    for deadline in deadlines.order_by("-year", "county_office__name", "due_date"):
        key = (deadline.county_office, deadline.year)
        if key not in passed and len(passed) == SHOWN:
            break
        passed.setdefault(key, []).append(deadline)
    rows = []
    for (office, year), theirs in passed.items():
        count = (
            allocated_reports([office], year)
            .filter(scheme__in=[d.scheme_id for d in theirs])
            .exclude(annual_report__status__in=DONE)
            .count()
        )
        if count:
            rows.append(Overdue(office, year, min(d.due_date for d in theirs), count))
    return rows


def annual_overview_context(user, today=None, offices=None):
    """The partial's context: `annual_overview` with to_write, to_confirm, to_review and
    overdue (each a short list), and `any`. `offices`: CountyOffice.editable_by(user), when
    the caller has it (its results are then read once for both)."""
    today = today or timezone.localdate()
    offices = list(CountyOffice.objects.editable_by(user) if offices is None else offices)
    overview = {
        "to_write": _to_write(user, today),
        "to_confirm": _to_confirm(user),
        "to_review": _to_review(user, offices),
        "overdue": _overdue(offices, today) if offices else [],
    }
    overview["any"] = any(overview.values())
    return {"annual_overview": overview}
