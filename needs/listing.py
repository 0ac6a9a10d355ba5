"""Reads for the long lists of need reports (the list page and the review queue).

A county-year can hold hundreds of reports and ten years thousands, so the lists are paged:
the page's rows get their sums from correlated subqueries, which PostgreSQL evaluates only for
the rows of the page (no GROUP BY over every report), and the totals of the whole filtered set
come from one aggregate query.
"""

import functools
from collections import defaultdict
from types import SimpleNamespace

from django.db import connection
from django.db.models import CharField, Count, F, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from measures.models import Measure
from partnerships.models import CountyOffice, Partnership, Region, Scheme
from portal.sql import column, prepared_cursor, table

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
    the county offices (for the allocation links), the schemes, the years with submitted
    reports of the offices (`reports`: that set, as the queue defines it), and the offices'
    regions and partnerships, each in the order of its own list.

    Returns {"offices": [ns(pk, name, county)], "schemes": [ns(pk, code, short_name)],
    "years": [year, newest first], "regions": [ns(pk, name)], "partnerships": [(pk, name)]}.

    On PostgreSQL the union is written out and runs prepared (the ORM took 3 ms to compile
    it on every queue page); `_filter_choice_rows_orm` is the same query through the ORM, for
    SQLite, and the tests check that the two agree.
    """
    if connection.vendor == "postgresql":
        rows = _filter_choice_rows_sql(office_ids)
    else:
        rows = _filter_choice_rows_orm(office_ids, reports)
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


def _filter_choice_rows_sql(office_ids):
    """`office_ids`: a list, or for an administrator a queryset of every office."""
    all_offices = not isinstance(office_ids, list | tuple | set)
    offices = [all_offices, [] if all_offices else list(office_ids)]
    with prepared_cursor() as cursor:
        cursor.execute(_filter_choices_sql(), offices * 4)
        return cursor.fetchall()


@functools.cache
def _filter_choices_sql():
    """(kind, sort, key, text, extra) rows; parameters: all offices?, the office ids."""
    c, s, r, g, p = CountyOffice, Scheme, NeedReport, Region, Partnership
    in_offices = "(%s OR {} = ANY(%s))"  # four times: the parameters come in four pairs
    office = in_offices.format(f"c.{column(c, 'id')}")
    office_of_region = in_offices.format(f"g.{column(g, 'county_office')}")
    partnership_region = f"p.{column(p, 'region')} = g.{column(g, 'id')}"
    return (
        f"SELECT {OFFICE}, 0, c.{column(c, 'id')}, c.{column(c, 'name')}, "  # noqa: S608
        f"c.{column(c, 'county')} FROM {table(c)} c "
        f"WHERE {office} "
        f"UNION ALL SELECT {SCHEME}, s.{column(s, 'order')}, s.{column(s, 'id')}, "
        f"s.{column(s, 'code')}, s.{column(s, 'short_name')} FROM {table(s)} s "
        f"UNION ALL (SELECT DISTINCT {YEAR}, -r.{column(r, 'year')}, r.{column(r, 'year')}, "
        f"'', '' FROM {table(r)} r "
        f"JOIN {table(p)} p ON p.{column(p, 'id')} = r.{column(r, 'partnership')} "
        f"JOIN {table(g)} g ON {partnership_region} "
        f"WHERE {office_of_region} AND r.{column(r, 'status')} <> "
        f"'{NeedReport.Status.DRAFT.value}') "
        f"UNION ALL SELECT {REGION}, 0, g.{column(g, 'id')}, g.{column(g, 'name')}, '' "
        f"FROM {table(g)} g WHERE {office_of_region} "
        f"UNION ALL SELECT {PARTNERSHIP}, 0, p.{column(p, 'id')}, p.{column(p, 'name')}, '' "
        f"FROM {table(p)} p JOIN {table(g)} g ON {partnership_region} "
        f"WHERE {office_of_region} "
        "ORDER BY 1, 2, 4"
    )


def _filter_choice_rows_orm(office_ids, reports):
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
    return list(
        offices.union(schemes, years, regions, partnerships, all=True).order_by(
            "c_kind", "c_sort", "name"
        )
    )


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
