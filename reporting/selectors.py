"""Reads for exports and statistics: what the user may see, aggregated in the database.

Every function here runs a fixed number of queries, however many reports there are.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import gettext_lazy as _

from measures.models import Measure
from needs.models import NeedReport
from partnerships.models import CountyOffice, Organisation, Scheme
from portal.access import is_officer_of, officer_county_ids
from portal.money import format_percent

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
        def number(name):
            value = request.GET.get(name, "").strip()
            return int(value) if value.isdigit() and len(value) < 10 else None

        return cls(
            year=number("year"),
            scheme=request.GET.get("scheme", "").strip() or None,
            county=number("county"),
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
    return user.is_superuser or bool(officer_county_ids(user))


def require_officer(user):
    """Case officers and admins only; others 403."""
    if not user.is_authenticated or not is_officer(user):
        raise PermissionDenied


def officer_reports(user):
    """The reports of the user's counties (all for admins); officers never see drafts."""
    if user.is_superuser:
        return NeedReport.objects.all()
    return NeedReport.objects.filter(
        partnership__region__county_office__in=officer_county_ids(user)
    ).exclude(status=Status.DRAFT)


# Exports ---------------------------------------------------------------------------------


def export_reports(user, filters):
    """Need reports the user may see, with owner and UH totals (one query)."""
    return (
        filters.apply(NeedReport.objects.visible_to(user))
        .select_related("partnership__region__county_office", "scheme")
        .with_totals()
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


def shows_allocation(user, report):
    """Allocations are the county office's work until the decision: others see them after."""
    return report.status == Status.ALLOCATED or is_officer_of(
        user, report.partnership.region.county_office_id
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
            allocated_owner=Sum("measures__allocation__owner_amount", default=0),
            allocated_uh=Sum("measures__allocation__uh_amount", default=0),
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


# Statistics ------------------------------------------------------------------------------


@dataclass
class AmountRow:
    """Requested and allocated kroner of a group of reports."""

    label: str
    reports: int = 0
    requested_owner: int = 0
    requested_uh: int = 0
    allocated_owner: int = 0
    allocated_uh: int = 0

    @property
    def requested(self):
        return self.requested_owner + self.requested_uh

    @property
    def allocated(self):
        return self.allocated_owner + self.allocated_uh

    @property
    def requested_uh_share(self):
        return format_percent(self.requested_uh, self.requested)

    @property
    def allocated_uh_share(self):
        return format_percent(self.allocated_uh, self.allocated)

    def add(self, row):
        self.reports += row["reports"]
        self.requested_owner += row["requested_owner"]
        self.requested_uh += row["requested_uh"]
        self.allocated_owner += row["allocated_owner"]
        self.allocated_uh += row["allocated_uh"]


@dataclass
class CountRow:
    key: str
    label: str
    count: int


# The UH share of each report's request, in buckets around the usual 60 % minimum.
SHARE_BUCKETS = [
    ("lt50", _("Under 50 %"), 50),
    ("50-60", _("50 % to under 60 %"), 60),
    ("60-70", _("60 % to under 70 %"), 70),
    ("70-80", _("70 % to under 80 %"), 80),
    ("80+", _("80 % or more"), None),
]
NO_AMOUNT = ("none", _("No amounts"))


@dataclass
class Statistics:
    filters: Filters
    years: list
    schemes: list
    counties: list
    many_counties: bool
    by_scheme: list = field(default_factory=list)
    by_region: list = field(default_factory=list)
    by_year: list = field(default_factory=list)
    total: AmountRow | None = None
    uh_share: list = field(default_factory=list)
    by_status: list = field(default_factory=list)


def _amount_groups(reports):
    """Sums per year, scheme and region: one query, one row per group (not per report)."""
    allocated = Q(status=Status.ALLOCATED)
    return list(
        reports.exclude(status=Status.DRAFT)
        .order_by()
        .values(
            "year",
            "scheme__code",
            "scheme__short_name",
            "scheme__order",
            "partnership__region_id",
            "partnership__region__name",
            "partnership__region__county_office__county",
        )
        .annotate(
            reports=Count("pk", distinct=True),
            requested_owner=Sum("measures__owner_amount", default=0),
            requested_uh=Sum("measures__uh_amount", default=0),
            allocated_owner=Sum("measures__allocation__owner_amount", filter=allocated, default=0),
            allocated_uh=Sum("measures__allocation__uh_amount", filter=allocated, default=0),
        )
    )


def _roll_up(groups, key, label):
    rows = {}
    for group in groups:
        row = rows.setdefault(key(group), AmountRow(label=label(group)))
        row.add(group)
    return rows


def _uh_share_buckets(reports):
    """How many reports ask for what UH share: bucketed in the database (one query)."""
    whens = [When(total=0, then=Value(NO_AMOUNT[0]))]
    for key, _label, upper in SHARE_BUCKETS:
        if upper is None:
            whens.append(When(total__gt=0, then=Value(key)))
        else:
            whens.append(When(uh_x100__lt=F("total") * upper, then=Value(key)))
    # One subquery per report sums its measures once and picks the bucket. (With the sums
    # as separate subqueries, every WHEN evaluated them again: seconds at 10× data.)
    bucket = (
        Measure.objects.filter(report=OuterRef("pk"))
        .order_by()
        .values("report")
        .annotate(owner=Sum("owner_amount"), uh=Sum("uh_amount"))
        .annotate(total=F("owner") + F("uh"), uh_x100=F("uh") * 100)
        .annotate(bucket=Case(*whens, output_field=CharField()))
        .values("bucket")
    )
    counts = dict(
        reports.exclude(status=Status.DRAFT)
        .order_by()
        .annotate(bucket=Coalesce(Subquery(bucket), Value(NO_AMOUNT[0])))
        .values("bucket")
        .annotate(count=Count("pk"))
        .values_list("bucket", "count")
    )
    buckets = [(key, label) for key, label, _upper in SHARE_BUCKETS] + [NO_AMOUNT]
    return [CountRow(key, str(label), counts.get(key, 0)) for key, label in buckets]


def _status_counts(reports):
    counts = dict(
        reports.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return [
        CountRow(status, str(label), counts.get(status, 0))
        for status, label in Status.choices
        if status in counts or status != Status.DRAFT
    ]


def statistics(user, filters):
    """The statistics page's figures for a case officer (their counties) or an admin (all)."""
    require_officer(user)
    scope = officer_reports(user)
    counties = list(
        CountyOffice.objects.all()
        if user.is_superuser
        else CountyOffice.objects.filter(pk__in=officer_county_ids(user))
    )
    if filters.county is not None and filters.county not in {c.pk for c in counties}:
        filters = Filters(year=filters.year, scheme=filters.scheme)
    many_counties = filters.county is None and len(counties) > 1
    reports = filters.apply(scope, year=False)
    groups = _amount_groups(reports)
    years = sorted(
        {g["year"] for g in groups}
        | set(scope.order_by().values_list("year", flat=True).distinct())
    )
    selected = [g for g in groups if filters.year is None or g["year"] == filters.year]

    def region_label(group):
        name = group["partnership__region__name"]
        if many_counties:
            return f"{name} ({group['partnership__region__county_office__county']})"
        return name

    by_scheme = _roll_up(
        sorted(selected, key=lambda g: g["scheme__order"]),
        lambda g: g["scheme__code"],
        lambda g: g["scheme__short_name"],
    )
    by_region = _roll_up(selected, lambda g: g["partnership__region_id"], region_label)
    by_year = _roll_up(
        sorted(groups, key=lambda g: g["year"]), lambda g: g["year"], lambda g: str(g["year"])
    )
    total = AmountRow(label=str(_("Sum")))
    for group in selected:
        total.add(group)

    in_year = filters.apply(scope)
    return Statistics(
        filters=filters,
        years=sorted(years, reverse=True),
        schemes=list(Scheme.objects.all()),
        counties=counties,
        many_counties=many_counties,
        by_scheme=list(by_scheme.values()),
        by_region=sorted(by_region.values(), key=lambda row: row.label),
        by_year=list(by_year.values()),
        total=total,
        uh_share=_uh_share_buckets(in_year),
        by_status=_status_counts(in_year),
    )
