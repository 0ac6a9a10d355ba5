"""The statistics page's figures: requested and allocated kroner, UH shares and statuses.

Everything comes from one query grouped by year, scheme, region, status and UH-share bucket:
the database sums each report's measures once, buckets the report, then adds the reports
up per group. Python only rolls the few group rows up into the page's tables.
"""

from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from measures.models import Measure
from needs.models import Allocation, NeedReport
from partnerships.models import CountyOffice, Partnership, Region, Scheme
from portal.access import officer_county_ids
from portal.money import format_percent
from portal.sql import column, prepared_cursor, table

from .selectors import Filters, officer_reports, require_officer

Status = NeedReport.Status


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
    """`counties`: the county offices the user may choose between (none if only one)."""

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

    # (value, label) of the filters' options
    @property
    def year_choices(self):
        return [(year, year) for year in self.years]

    @property
    def scheme_choices(self):
        return [(scheme.code, scheme.short_name) for scheme in self.schemes]

    @property
    def county_choices(self):
        return [(county.pk, county.name) for county in self.counties]


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


@cache
def _groups_sql(counties, scheme, county):
    """The statistics query, for `counties` county offices (0: all, for an admin) and with
    or without a scheme and a county filter. Plain SQL that PostgreSQL and SQLite both run:
    the ORM took longer to compile it (~2 ms) than the database to plan it."""
    r, p, g, m, a = NeedReport, Partnership, Region, Measure, Allocation
    where = []
    if counties:
        # selectors.officer_reports: the officer's counties, never drafts.
        placeholders = ", ".join(["%s"] * counties)
        where.append(f"g.{column(g, 'county_office')} IN ({placeholders})")
        where.append(f"r.{column(r, 'status')} <> %s")
    if scheme:
        where.append(f"r.{column(r, 'scheme')} = %s")
    if county:
        where.append(f"g.{column(g, 'county_office')} = %s")

    def allocated(name):  # allocations count once the report is allocated
        return f"CASE WHEN r.{column(r, 'status')} = %s THEN a.{column(a, name)} END"

    per_report = (
        f"SELECT r.{column(r, 'id')} AS id, r.{column(r, 'year')} AS year, "  # noqa: S608 - names from model metadata, values as parameters
        f"r.{column(r, 'scheme')} AS scheme_id, p.{column(p, 'region')} AS region_id, "
        f"g.{column(g, 'county_office')} AS county_office_id, "
        f"r.{column(r, 'status')} AS status, "
        f"COALESCE(SUM(m.{column(m, 'owner_amount')}), 0) AS owner, "
        f"COALESCE(SUM(m.{column(m, 'uh_amount')}), 0) AS uh, "
        f"COALESCE(SUM({allocated('owner_amount')}), 0) AS allocated_owner, "
        f"COALESCE(SUM({allocated('uh_amount')}), 0) AS allocated_uh "
        f"FROM {table(r)} r "
        f"JOIN {table(p)} p ON p.{column(p, 'id')} = r.{column(r, 'partnership')} "
        f"JOIN {table(g)} g ON g.{column(g, 'id')} = p.{column(p, 'region')} "
        f"LEFT JOIN {table(m)} m ON m.{column(m, 'report')} = r.{column(r, 'id')} "
        f"LEFT JOIN {table(a)} a ON a.{column(a, 'measure')} = m.{column(m, 'id')} "
        + (f"WHERE {' AND '.join(where)} " if where else "")
        + "GROUP BY 1, 2, 3, 4, 5, 6"
    )
    # The region's name is looked up per group, not carried through the join of measures.
    region_name = (
        f"(SELECT {column(Region, 'name')} FROM {table(Region)} "  # noqa: S608 - names from model metadata
        f"WHERE {column(Region, 'id')} = per_report.region_id)"
    )
    return (
        "SELECT year, scheme_id, region_id, county_office_id, status, "  # noqa: S608 - names from model metadata, values as parameters
        f"{_bucket_sql()}, {region_name}, COUNT(*), CAST(SUM(owner) AS BIGINT), "
        "CAST(SUM(uh) AS BIGINT), CAST(SUM(allocated_owner) AS BIGINT), "
        "CAST(SUM(allocated_uh) AS BIGINT) "
        f"FROM ({per_report}) per_report GROUP BY 1, 2, 3, 4, 5, 6"
    )


def _groups(user, filters, schemes):
    """Sum each report's measures (and, once allocated, allocations), then count and add
    the reports per group around it: one round trip, a few hundred rows at most, however
    many measures there are. Visibility is selectors.officer_reports' (tests hold them
    equal); the year filter is left to the caller."""
    counties = [] if user.is_superuser else sorted(officer_county_ids(user))
    params = [Status.ALLOCATED.value, Status.ALLOCATED.value]
    if counties:
        params += [*counties, Status.DRAFT.value]
    scheme_id = None
    if filters.scheme:
        scheme_id = next((s.pk for s in schemes if s.code == filters.scheme), None)
        if scheme_id is None:
            return []
        params.append(scheme_id)
    if filters.county is not None:
        params.append(filters.county)
    sql = _groups_sql(len(counties), scheme_id is not None, filters.county is not None)
    with prepared_cursor() as cursor:
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
    if user.is_superuser:
        counties = list(CountyOffice.objects.all())
        county_ids = {c.pk for c in counties}
    else:
        county_ids = officer_county_ids(user)
        # The county offices to choose between: none to read for an officer of one.
        many = len(county_ids) > 1
        counties = list(CountyOffice.objects.filter(pk__in=county_ids)) if many else []
    if filters.county is not None and filters.county not in county_ids:
        filters = Filters(year=filters.year, scheme=filters.scheme)
    many_counties = filters.county is None and len(county_ids) > 1
    schemes = list(Scheme.objects.all())
    groups = _groups(user, filters, schemes)
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
