"""Reads for the long lists of need reports (the list page and the review queue).

A county-year can hold hundreds of reports and ten years thousands, so the lists are paged:
the page's rows get their sums from correlated subqueries, which PostgreSQL evaluates only for
the rows of the page (no GROUP BY over every report), and the totals of the whole filtered set
come from one aggregate query.
"""

import functools
from collections import defaultdict
from types import SimpleNamespace

from django.db.models import CharField, Count, F, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from measures.models import Measure
from partnerships.models import CountyOffice, Partnership, Region, Scheme

from .models import NeedReport, RuleException


@functools.cache
def measure_sum(amount, report_ref="pk"):
    """The sum of one amount over a report's measures, as a correlated subquery (0 if none).

    Built once per amount: a query that uses an expression resolves a copy of it.
    """
    return Coalesce(
        Subquery(
            Measure.objects.filter(report=OuterRef(report_ref))
            .order_by()
            .values("report")
            .annotate(total=Sum(amount))
            .values("total")
        ),
        0,
    )


def with_sums(reports, *amounts):
    """Annotate owner_sum and uh_sum (and e.g. coordinator_sum) from the measures."""
    names = amounts or ("owner_amount", "uh_amount")
    return reports.annotate(
        **{name.replace("_amount", "_sum"): measure_sum(name) for name in names}
    )


def totals_of(reports):
    """{"count", "owner", "uh", "total"} of the whole filtered set: one query."""
    totals = reports.order_by().aggregate(
        count=Count("pk", distinct=True),
        owner=Sum("measures__owner_amount", default=0),
        uh=Sum("measures__uh_amount", default=0),
    )
    totals["total"] = totals["owner"] + totals["uh"]
    return totals


def url_maker(name):
    """A function pk -> the URL named `name` with that pk: reverse() once, not once a row."""
    sentinel = 987654321
    pattern = reverse(name, args=[sentinel])
    return lambda pk: pattern.replace(str(sentinel), str(int(pk)))


def status_labels():
    """{status: its translated label}, for lists that show a status in every row."""
    return {value: str(label) for value, label in NeedReport.Status.choices}


def exception_codes(reports):
    """{report id: {codes of its recorded rule exceptions}} for a page of reports: one query,
    without building a related manager and a queryset per report as prefetch_related does."""
    codes = defaultdict(set)
    pairs = RuleException.objects.filter(report__in=[r.pk for r in reports])
    for report_id, code in pairs.values_list("report_id", "code"):
        codes[report_id].add(code)
    return codes


OFFICE, SCHEME, YEAR, REGION, PARTNERSHIP = range(5)


def _kind(kind, **more):
    """The constant columns of one part of filter_choices' union."""
    return {"c_kind": Value(kind, output_field=IntegerField()), **more}


def filter_choices(office_ids, reports):
    """What the review queue offers to filter by, in one query (UNION ALL) instead of five:
    the county offices (for the allocation links), the schemes, the years with `reports`,
    and the offices' regions and partnerships, each in the order of its own list.

    Every part gives (kind, sort, key, text, extra); the union is ordered by kind, sort and
    text. Returns {"offices": [ns(pk, name, county)], "schemes": [ns(pk, code, short_name)],
    "years": [year, newest first], "regions": [ns(pk, name)], "partnerships": [(pk, name)]}.
    """
    zero = Value(0, output_field=IntegerField())
    blank = Value("", output_field=CharField())
    offices = (
        CountyOffice.objects.filter(pk__in=office_ids)
        .order_by()
        .annotate(**_kind(OFFICE, c_sort=zero))
        .values_list("c_kind", "c_sort", "pk", "name", "county")
    )
    schemes = (
        Scheme.objects.order_by()
        .annotate(**_kind(SCHEME))
        .values_list("c_kind", "order", "pk", "code", "short_name")
    )
    years = (
        reports.order_by()
        .annotate(**_kind(YEAR, c_sort=-F("year"), c_text=blank, c_extra=blank))
        .values_list("c_kind", "c_sort", "year", "c_text", "c_extra")
        .distinct()
    )
    regions = (
        Region.objects.filter(county_office__in=office_ids)
        .order_by()
        .annotate(**_kind(REGION, c_sort=zero, c_extra=blank))
        .values_list("c_kind", "c_sort", "pk", "name", "c_extra")
    )
    partnerships = (
        Partnership.objects.filter(region__county_office__in=office_ids)
        .order_by()
        .annotate(**_kind(PARTNERSHIP, c_sort=zero, c_extra=blank))
        .values_list("c_kind", "c_sort", "pk", "name", "c_extra")
    )
    rows = offices.union(schemes, years, regions, partnerships, all=True).order_by(
        "c_kind", "c_sort", "name"
    )
    choices = {"offices": [], "schemes": [], "years": [], "regions": [], "partnerships": []}
    for kind, _sort, key, text, extra in rows:
        if kind == OFFICE:
            choices["offices"].append(SimpleNamespace(pk=key, name=text, county=extra))
        elif kind == SCHEME:
            choices["schemes"].append(SimpleNamespace(pk=key, code=text, short_name=extra))
        elif kind == YEAR:
            choices["years"].append(key)
        elif kind == REGION:
            choices["regions"].append(SimpleNamespace(pk=key, name=text))
        else:
            choices["partnerships"].append((key, text))
    return choices


QUEUE_FIELDS = (
    "pk",
    "year",
    "status",
    "priority",
    "cofinancing_amount",
    "scheme_id",
    "scheme__short_name",
    "partnership__name",
    "partnership__region__name",
    "partnership__region__county_office_id",
    "owner_sum",
    "uh_sum",
    "coordinator_sum",
)


def queue_rows(reports, ordering):
    """The review queue's rows, ordered (e.g. by "-total_sum"): a queryset of tuples for the
    paginator; queue_row() makes the page's tuples into rows. Four model instances a row
    (report, partnership, region, scheme) cost more than the query itself."""
    rows = with_sums(reports, "owner_amount", "uh_amount", "coordinator_amount")
    if "-total_sum" in ordering:
        rows = rows.alias(total_sum=F("owner_sum") + F("uh_sum"))
    return rows.order_by(*ordering, "pk").values_list(*QUEUE_FIELDS)


def queue_row(values):
    """A row of the queue from one tuple of queue_rows(), with the attributes of a report
    (report.partnership.region.name, report.owner_sum, …)."""
    (pk, year, status, priority, cofinancing, scheme_id, scheme_name, partnership_name,
     region_name, office_id, owner_sum, uh_sum, coordinator_sum) = values  # fmt: skip
    return SimpleNamespace(
        pk=pk,
        year=year,
        status=status,
        priority=priority,
        cofinancing_amount=cofinancing,
        scheme_id=scheme_id,
        scheme=SimpleNamespace(pk=scheme_id, short_name=scheme_name),
        partnership=SimpleNamespace(
            name=partnership_name,
            region=SimpleNamespace(name=region_name, county_office_id=office_id),
        ),
        owner_sum=owner_sum,
        uh_sum=uh_sum,
        coordinator_sum=coordinator_sum,
        total_sum=owner_sum + uh_sum,
    )
