"""The statistics page's figures: requested and allocated kroner, UH shares and statuses.

Everything comes from one query grouped by year, scheme, region, status and UH-share bucket:
the database sums each report's measures once, buckets the report, then adds the reports
up per group. Python only rolls the few group rows up into the page's tables.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from needs.models import NeedReport
from partnerships.models import CountyOffice, Region, Scheme
from portal.access import officer_county_ids
from portal.money import format_percent

from .selectors import Filters, officer_reports, require_officer

Status = NeedReport.Status
qn = connection.ops.quote_name


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

    def add(self, group):
        self.reports += group.reports
        self.requested_owner += group.requested_owner
        self.requested_uh += group.requested_uh
        self.allocated_owner += group.allocated_owner
        self.allocated_uh += group.allocated_uh


@dataclass
class CountRow:
    key: str
    label: str
    count: int


# The UH share of each report's request, in buckets around the usual 60 % minimum:
# (key, label, upper bound in per cent, exclusive; None for the last).
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


class Group(NamedTuple):
    """One row of the statistics query: the reports of one year, scheme, region, status
    and UH-share bucket."""

    year: int
    scheme_id: int
    region_id: int
    county_office_id: int
    status: str
    bucket: str
    region: str
    reports: int
    requested_owner: int
    requested_uh: int
    allocated_owner: int
    allocated_uh: int


def _bucket_sql():
    """CASE expression of the bucket over the per-report sums "owner" and "uh"; integer
    arithmetic, so a share of exactly 60 % lands in "60 % to under 70 %"."""
    whens = [f"WHEN owner + uh = 0 THEN '{NO_AMOUNT[0]}'"]
    for key, _label, upper in SHARE_BUCKETS:
        if upper is None:
            whens.append(f"ELSE '{key}'")
        else:
            whens.append(f"WHEN uh * 100 < (owner + uh) * {int(upper)} THEN '{key}'")
    return "CASE " + " ".join(whens) + " END"


def _groups(reports):
    """Sum each report's measures (and, once allocated, allocations) in an ORM query,
    then count and add the reports per group around it: one round trip, a few hundred
    rows at most, however many measures there are."""
    allocated = Q(status=Status.ALLOCATED)
    per_report = (
        reports.order_by()
        .values(
            "pk",
            "year",
            "scheme_id",
            "status",
            "partnership__region_id",
            "partnership__region__county_office_id",
        )
        .annotate(
            owner=Sum("measures__owner_amount", default=0),
            uh=Sum("measures__uh_amount", default=0),
            allocated_owner=Sum("measures__allocation__owner_amount", filter=allocated, default=0),
            allocated_uh=Sum("measures__allocation__uh_amount", filter=allocated, default=0),
        )
    )
    inner, params = per_report.query.sql_with_params()
    # The region's name is looked up per group, not carried through the join of measures.
    region = Region._meta
    region_name = (
        f"(SELECT {qn(region.get_field('name').column)} FROM {qn(region.db_table)} "  # noqa: S608 - names from model metadata
        f'WHERE {qn(region.pk.column)} = "partnership__region_id")'
    )
    sql = (
        'SELECT "year", "scheme_id", "partnership__region_id", '  # noqa: S608 - constants and the ORM's SQL, values as parameters
        f'"partnership__region__county_office_id", "status", {_bucket_sql()}, {region_name}, '
        "COUNT(*), SUM(owner)::bigint, SUM(uh)::bigint, "
        "SUM(allocated_owner)::bigint, SUM(allocated_uh)::bigint "
        f"FROM ({inner}) per_report GROUP BY 1, 2, 3, 4, 5, 6"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(map(Group._make, cursor.fetchall()))


def _roll_up(groups, key, label):
    rows = {}
    for group in groups:
        row = rows.get(key(group))
        if row is None:
            row = rows[key(group)] = AmountRow(label=label(group))
        row.add(group)
    return list(rows.values())


def statistics(user, filters):
    """The statistics page's figures for a case officer (their counties) or an admin (all).

    Amounts and UH shares count submitted reports only (never drafts); the status counts
    show an admin's drafts too. The year filter applies to everything but the trend."""
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
    schemes = list(Scheme.objects.all())
    groups = _groups(filters.apply(scope, year=False))
    years = {g.year for g in groups}
    if filters.scheme or filters.county is not None:
        # The year list offers every year of the user's reports, not only the filtered ones.
        years.update(scope.order_by().values_list("year", flat=True).distinct())

    in_year = [g for g in groups if filters.year is None or g.year == filters.year]
    submitted = [g for g in groups if g.status != Status.DRAFT]
    selected = [g for g in in_year if g.status != Status.DRAFT]
    scheme_by_id = {scheme.pk: scheme for scheme in schemes}

    county_names = {county.pk: county.county for county in counties}

    def region_label(group):
        if many_counties:
            return f"{group.region} ({county_names[group.county_office_id]})"
        return group.region

    total = AmountRow(label=str(_("Sum")))
    for group in selected:
        total.add(group)
    return Statistics(
        filters=filters,
        years=sorted(years, reverse=True),
        schemes=schemes,
        counties=counties,
        many_counties=many_counties,
        by_scheme=_roll_up(
            sorted(selected, key=lambda g: scheme_by_id[g.scheme_id].order),
            lambda g: g.scheme_id,
            lambda g: scheme_by_id[g.scheme_id].short_name,
        ),
        by_region=sorted(
            _roll_up(selected, lambda g: g.region_id, region_label), key=lambda row: row.label
        ),
        by_year=_roll_up(
            sorted(submitted, key=lambda g: g.year), lambda g: g.year, lambda g: str(g.year)
        ),
        total=total,
        uh_share=_count_rows(
            selected,
            lambda g: g.bucket,
            [(key, label) for key, label, _upper in SHARE_BUCKETS] + [NO_AMOUNT],
        ),
        by_status=_status_rows(in_year),
    )


def _count_rows(groups, key, choices):
    counts = {}
    for group in groups:
        counts[key(group)] = counts.get(key(group), 0) + group.reports
    return [CountRow(value, str(label), counts.get(value, 0)) for value, label in choices]


def _status_rows(groups):
    """Every status but draft, and draft too when there are drafts (admins see them)."""
    has_drafts = any(g.status == Status.DRAFT for g in groups)
    choices = [(s, label) for s, label in Status.choices if s != Status.DRAFT or has_drafts]
    return _count_rows(groups, lambda g: g.status, choices)
