"""The statistics page's figures: requested and allocated kroner, UH shares and statuses.

Everything comes from one query grouped by year, scheme, region, status and UH-share bucket,
over the reports' stored totals (needs/totals.py). Python only rolls the few group rows up
into the page's tables.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import BigIntegerField, Case, CharField, Count, F, Sum, Value, When
from django.db.models.lookups import LessThan
from django.utils.translation import gettext_lazy as _

from needs.models import NeedReport
from partnerships.models import CountyOffice, Scheme
from portal.money import format_percent

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


def _bucket():
    """The UH-share bucket of a report's stored request; integer arithmetic, so a share of
    exactly 60 % lands in "60 % to under 70 %"."""
    whens = [When(requested_total=0, then=Value(NO_AMOUNT[0]))]
    for key, _label, upper in SHARE_BUCKETS[:-1]:
        condition = LessThan(F("requested_uh") * 100, F("requested_total") * upper)
        whens.append(When(condition, then=Value(key)))
    return Case(*whens, default=Value(SHARE_BUCKETS[-1][0]), output_field=CharField())


def _allocated(name):
    """A stored allocated sum, counted once the report is allocated."""
    return Sum(
        Case(When(status=Status.ALLOCATED, then=F(name)), default=0),
        output_field=BigIntegerField(),
    )


def _groups(scope, filters, schemes):
    """The reports of `scope` counted and their stored totals added per group: one query, a
    few hundred rows at most, however many reports there are. The year filter is left to
    the caller."""
    if filters.scheme:
        scheme_id = next((s.pk for s in schemes if s.code == filters.scheme), None)
        if scheme_id is None:
            return []
        scope = scope.filter(scheme_id=scheme_id)
    if filters.county is not None:
        scope = scope.filter(partnership__region__county_office_id=filters.county)
    rows = (
        scope.order_by()
        .values(
            "year",
            "scheme_id",
            "status",
            region_id=F("partnership__region_id"),
            county_office_id=F("partnership__region__county_office_id"),
            bucket=_bucket(),
            region=F("partnership__region__name"),
        )
        .annotate(
            reports=Count("pk"),
            owner=Sum("requested_owner"),
            uh=Sum("requested_uh"),
            allocated_owner_sum=_allocated("allocated_owner"),
            allocated_uh_sum=_allocated("allocated_uh"),
        )
        .values_list(
            "year",
            "scheme_id",
            "region_id",
            "county_office_id",
            "status",
            "bucket",
            "region",
            "reports",
            "owner",
            "uh",
            "allocated_owner_sum",
            "allocated_uh_sum",
        )
    )
    return list(map(Group._make, rows))


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
    # The county offices to choose between (CountyOffice.choices_for): none to read for an
    # officer of one, whose reports are all of their county anyway.
    counties = list(CountyOffice.objects.choices_for(user))
    if filters.county is not None and filters.county not in {c.pk for c in counties}:
        filters = Filters(year=filters.year, scheme=filters.scheme)
    many_counties = filters.county is None and len(counties) > 1
    schemes = list(Scheme.objects.all())
    groups = _groups(scope, filters, schemes)
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
