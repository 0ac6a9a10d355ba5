"""Reads for exports: what the user may see, aggregated in the database (statistics are in
statistics_selectors.py).

Every function here runs a fixed number of queries, however many reports there are.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Subquery, Window
from django.db.models.functions import RowNumber

from measures.models import Measure
from needs.models import NeedReport
from partnerships.access import managed_county_offices
from partnerships.models import Organisation
from portal import params

Status = NeedReport.Status

EXPORT_ORDER = ["year", "partnership__region__county_office__name", "partnership__name"]


def _order(prefix=""):
    """Newest year first, then county office, partnership and scheme."""
    return [
        ("-" if name == "year" else "") + prefix + name for name in [*EXPORT_ORDER, "scheme__order"]
    ]


@dataclass(frozen=True)
class Filters:
    """Year, scheme and county office from the query string; None means all."""

    year: int | None = None
    scheme: str | None = None
    county: int | None = None

    @classmethod
    def from_request(cls, request):
        return cls(
            year=params.query_year(request, blank=("", "all")),
            scheme=request.GET.get("scheme", "").strip() or None,
            county=params.query_id(request, "county"),
        )

    def apply(self, reports, *, year=True):
        if year and self.year is not None:
            reports = reports.filter(year=self.year)
        if self.scheme:
            reports = reports.filter(scheme__code=self.scheme)
        if self.county is not None:
            reports = reports.filter(partnership__region__county_office_id=self.county)
        return reports


def is_officer(user):
    """Someone with a county office to work for (CountyOffice.editable_by)."""
    return not managed_county_offices(user).query.is_empty()


def require_officer(user):
    """Case officers and admins only; others 403."""
    if not is_officer(user):
        raise PermissionDenied


def officer_reports(user):
    """NeedReport.reviewable_by: the reports of the user's counties, never drafts."""
    return NeedReport.objects.reviewable_by(user)


# Exports ---------------------------------------------------------------------------------


def export_reports(user, filters):
    """Need reports the user may see, with their stored totals (one query)."""
    return (
        filters.apply(NeedReport.objects.visible_to(user))
        .select_related("partnership__region__county_office", "scheme")
        .order_by(*_order())
    )


# What the measure and allocation exports read (reporting/resources.py): the rest of the
# report's forty columns stays in the database, which makes a big export much faster.
EXPORTED_MEASURE_FIELDS = [
    "report__year",
    "report__status",
    "report__scheme__short_name",
    "report__partnership__name",
    "report__partnership__region__name",
    "report__partnership__region__county_office__name",
    "position",
    "name",
    "purpose",
    "owner_amount",
    "uh_amount",
    "coordinator_amount",
    "spring_this_year",
    "autumn_this_year",
    "spring_next_year",
    "target_group",
    "owner_use",
    "uh_use",
    "anchoring",
    "collective_development",
    "teacher_education",
    "long_term_plan",
]
EXPORTED_ALLOCATION_FIELDS = ["allocation__owner_amount", "allocation__uh_amount"]


def export_measures(user, filters, *, report=None, allocations=False):
    """Measures of the reports the user may see (one query), numbered within their report."""
    if report is not None:
        measures = Measure.objects.filter(report=report)
    else:
        reports = filters.apply(NeedReport.objects.visible_to(user))
        measures = Measure.objects.filter(report__in=reports.values("pk"))
    related = ["report__partnership__region__county_office", "report__scheme"]
    if allocations:
        related.append("allocation")
        # Allocations are shown where NeedReport.allocations_shown_to allows (same query).
        shown = NeedReport.objects.allocations_shown_to(user).filter(pk=OuterRef("report_id"))
        measures = measures.annotate(allocation_shown=Exists(shown))
    return (
        measures.select_related(*related)
        .only(*EXPORTED_MEASURE_FIELDS, *(EXPORTED_ALLOCATION_FIELDS if allocations else ()))
        .annotate(
            number=Window(
                RowNumber(), partition_by=[F("report_id")], order_by=[F("position"), F("pk")]
            )
        )
        .order_by(*_order("report__"), "report_id", "position", "pk")
    )


@dataclass(frozen=True)
class PaymentLine:
    name: str
    kind: str
    org_number: str
    account_number: str
    payment_reference: str
    scheme: str
    year: int
    amount: int
    partnership: str
    county_office: str


def _payee_name(relation, number_field):
    return Subquery(
        Organisation.objects.filter(
            **{relation: OuterRef("partnership"), "org_number": OuterRef(number_field)}
        ).values("name")[:1]
    )


def payment_lines(user, filters):
    """One line per payee (owner, UH) of each allocated report in the officer's counties."""
    require_officer(user)
    reports = (
        filters.apply(officer_reports(user).filter(status=Status.ALLOCATED))
        .select_related("partnership__region__county_office", "scheme")
        .annotate(
            owner_name=_payee_name("owner_partnerships", "owner_org_number"),
            uh_name=_payee_name("uh_partnerships", "uh_org_number"),
        )
        .order_by(*_order())
    )
    lines = []
    for report in reports:
        for kind, prefix in (("Eier", "owner"), ("UH", "uh")):
            amount = getattr(report, f"allocated_{prefix}")
            if not amount:
                continue
            lines.append(
                PaymentLine(
                    name=getattr(report, f"{prefix}_name") or report.partnership.name,
                    kind=kind,
                    org_number=getattr(report, f"{prefix}_org_number"),
                    account_number=getattr(report, f"{prefix}_account_number"),
                    payment_reference=getattr(report, f"{prefix}_payment_reference"),
                    scheme=report.scheme.short_name,
                    year=report.year,
                    amount=amount,
                    partnership=report.partnership.name,
                    county_office=report.partnership.region.county_office.name,
                )
            )
    return lines
