"""Demo data for the annual report: the partnership's Rekom 2024 need report is submitted
and allocated through the same services users go through, so `koordinator.goa` can start
its annual report; Statsforvalteren i Nordland's deadline is 1 February (seed 004).

The seed report (Dekom 2024) stays a draft: other demos depend on it. Re-runnable: a report
that is no longer a draft is left as it is.
"""

from datetime import date

from django.utils import timezone

from needs.collaboration import uh_confirm
from needs.models import NeedReport
from needs.review import allocations_save, report_decide
from needs.services import SubmissionRefused, need_report_submit
from partnerships.models import Scheme

from .annual import deadline_set as annual_deadline_set
from .deadlines import deadline_set
from .models_deadlines import Deadline

DEADLINE = (2024, date(2025, 2, 1))


def load_annual_demo(*, partnership, users, county_office):
    """Returns the allocated need report ready for its annual report (or None)."""
    year, due = DEADLINE
    if not county_office.deadlines.filter(year=year, kind=Deadline.Kind.ANNUAL_REPORT).exists():
        annual_deadline_set(
            county_office=county_office, year=year, due_date=due, user=users["sf.nordland"]
        )
    report = NeedReport.objects.filter(
        partnership=partnership, scheme__code=Scheme.REKOM, year=year
    ).first()
    if report is None or report.status != NeedReport.Status.DRAFT:
        return report
    uh_confirm(subject=report, user=users["uh.hinn"])
    try:
        need_report_submit(report=report, user=users["koordinator.goa"])
    except SubmissionRefused:
        return None  # changed by hand in the demo so it can no longer be submitted: leave it
    officer = users["sf.nordland"]
    allocations_save(
        county_office=county_office,
        scheme=report.scheme,
        year=year,
        entries={m.pk: (m.owner_amount, m.uh_amount) for m in report.measures.all()},
        user=officer,
    )
    report.refresh_from_db()
    return report_decide(report=report, user=officer, allocate=True)


def load_deadlines(*, county_office, user, today=None):
    """Nordland's deadlines (seed 004): need reports 1 February, the forum's recommendation
    15 March, annual reports 1 February the year after; for 2024 and for the next round
    (the coming 1 February), so the dashboards show both what is overdue and days left."""
    today = today or timezone.localdate()
    next_round = today.year if today < date(today.year, 2, 1) else today.year + 1
    dates = {
        Deadline.Kind.NEED_REPORT: lambda year: date(year, 2, 1),
        Deadline.Kind.FORUM_RECOMMENDATION: lambda year: date(year, 3, 15),
        Deadline.Kind.ANNUAL_REPORT: lambda year: date(year + 1, 2, 1),
    }
    for scheme in Scheme.objects.all():
        for year in sorted({2024, next_round}):
            for kind, due in dates.items():
                if not Deadline.objects.filter(
                    county_office=county_office, scheme=scheme, year=year, kind=kind
                ).exists():
                    deadline_set(
                        county_office=county_office,
                        scheme=scheme,
                        year=year,
                        kind=kind,
                        due_date=due(year),
                        user=user,
                    )
