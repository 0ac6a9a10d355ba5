"""The review queue's page and totals in one hand-written query (PostgreSQL).

Through the ORM the queue asks twice: an aggregate over the filtered reports and their
measures for the totals, and the page's rows with their sums. Each of the two took about a
millisecond to plan and as long again to compile in Python, and the measures were read twice.
Here one query reads them once: each report's sums come from a LATERAL subquery, the count
and the totals of the whole filter from window functions over the same rows, and only the
page's rows leave the server. The SQL is written once per sort, and psycopg prepares it per
connection (portal.sql), so PostgreSQL stops planning it.

`queue_page` answers as listing.queue_rows() with listing.totals_of() do, which stay the
path on SQLite; tests/needs/test_queue_sql.py checks that the two agree.
"""

from collections import defaultdict
from functools import cache
from types import SimpleNamespace

from django.db import connection

from measures.models import Measure
from partnerships.models import Partnership, Region, RuleSettings, Scheme
from portal.paging import get_page
from portal.sql import column, prepared_cursor, table

from . import listing, rules
from .models import NeedReport, RuleException

FILTERS = ("year", "scheme", "region", "status", "partnership")  # in the query's order


def queue_page(request, reports, filters, office_ids, ordering, *, per_page):
    """The queue's page: (page of QUEUE_FIELDS tuples, {"count", "owner", "uh", "total"} of
    the whole filter, {report id: codes of its rule exceptions} and {(office id, scheme id,
    year): RuleSet} for the page's reports).

    `reports`: the filtered queryset (what SQLite runs); `filters`: the same filter as values
    (year, scheme, region, status, partnership); `office_ids`: a list, or for an
    administrator a queryset of every office; `ordering`: one of views_review.SORTS.
    """
    if connection.vendor != "postgresql":
        return _queue_page_orm(request, reports, office_ids, ordering, per_page=per_page)
    all_offices = not isinstance(office_ids, list | tuple | set)
    params = [all_offices, [] if all_offices else list(office_ids)]
    for name in FILTERS:  # each twice: "(%s IS NULL OR column = %s)"
        params += [filters[name] or None] * 2
    rows = _FetchedRows(_queue_sql(tuple(ordering)), params)
    number = request.GET.get("page", "")
    # A first guess at the page (the paginator settles it); absurd numbers are past the end.
    number = min(int(number), 10**6) if number.isdigit() and int(number) > 0 else 1
    rows.fetch((number - 1) * per_page, per_page)
    if rows.count is None:  # past the last page, or nothing at all: the first page tells
        rows.fetch(0, per_page)
    # The paginator takes the page it settles on (the last one, if asked for one past it)
    # from what was fetched, or fetches that slice.
    page = get_page(request, rows, per_page=per_page, count=rows.count or 0)
    fields = len(listing.QUEUE_FIELDS)
    excepted, rulesets = defaultdict(set), {}
    for row in page.object_list:
        # After QUEUE_FIELDS: the total (for sorting), the exception codes, the settings.
        excepted[row[0]].update(row[fields + 1])
        settings_id, min_share, cofinancing, cap = row[fields + 2 : fields + 6]
        if settings_id is not None:  # keyed (office, scheme, year) as in QUEUE_FIELDS
            rulesets[row[9], row[5], row[1]] = rules.RuleSet(min_share, cofinancing, cap)
    page.object_list = [row[:fields] for row in page.object_list]
    owner, uh = rows.totals or (0, 0)
    totals = {"count": rows.count or 0, "owner": owner, "uh": uh, "total": owner + uh}
    return page, totals, excepted, rulesets


def _queue_page_orm(request, reports, office_ids, ordering, *, per_page):
    """queue_page through the ORM: the totals, the page, its exceptions, the rule settings."""
    totals = listing.totals_of(reports)
    rows = listing.queue_rows(reports, ordering)
    page = get_page(request, rows, per_page=per_page, count=totals["count"])
    excepted = listing.exception_codes([SimpleNamespace(pk=row[0]) for row in page.object_list])
    years = {row[1] for row in page.object_list}
    settings = RuleSettings.objects.filter(county_office__in=office_ids, year__in=years)
    rulesets = {
        (office_id, scheme_id, year): rules.RuleSet(min_share, cofinancing, cap)
        for office_id, scheme_id, year, min_share, cofinancing, cap in settings.values_list(
            "county_office_id",
            "scheme_id",
            "year",
            "min_uh_share_percent",
            "cofinancing_percent",
            "coordinator_cap",
        )  # fmt: skip
    }
    return page, totals, excepted, rulesets


class _FetchedRows:
    """The queue's rows as the paginator slices them: each slice one query, kept."""

    def __init__(self, sql, params):
        self.sql, self.params = sql, params
        self.slices = {}
        self.count = self.totals = None  # known after a fetch that returned rows

    def fetch(self, offset, limit):
        with prepared_cursor() as cursor:
            cursor.execute(self.sql, [*self.params, limit, offset])
            fetched = cursor.fetchall()
        if fetched:
            count, owner, uh = fetched[0][-3:]
            self.count, self.totals = count, (int(owner), int(uh))
        rows = [tuple(row[:-3]) for row in fetched]
        self.slices[offset] = (limit, rows)
        return rows

    def __getitem__(self, part):
        # The last page is sliced to the count ([100:112]), not to a full page ([100:150]).
        limit, rows = self.slices.get(part.start, (0, []))
        if part.stop - part.start <= limit:
            return rows[: part.stop - part.start]
        return self.fetch(part.start, part.stop - part.start)

    def __len__(self):
        return self.count or 0


def _order_sql():
    """The SQL of each ORM ordering term the queue's sorts use (views_review.SORTS); a sort
    with a term missing here fails in the tests, which try every sort."""
    return {
        "partnership__name": f"p.{column(Partnership, 'name')}",
        "scheme__order": f"s.{column(Scheme, 'order')}",
        "status": f"r.{column(NeedReport, 'status')}",
        "priority": f"r.{column(NeedReport, 'priority')}",
        "-total_sum": "total_sum DESC",
    }


@cache
def _queue_sql(ordering):
    """QUEUE_FIELDS, the total, the report's rule exception codes, its rule settings (id
    or None, minimum UH share, co-financing, coordinator cap), then the filter's count,
    owner and UH totals in every row.
    Parameters: all offices?, the office ids, each of FILTERS twice (None for any), then
    LIMIT and OFFSET."""
    r, m = NeedReport, Measure
    order_sql = _order_sql()
    order = ", ".join([*(order_sql[term] for term in ordering), f"r.{column(r, 'id')}"])
    filtered = {
        "year": (f"r.{column(r, 'year')}", "integer"),
        "scheme": (f"s.{column(Scheme, 'code')}", "text"),
        "region": (f"p.{column(Partnership, 'region')}", "integer"),
        "status": (f"r.{column(r, 'status')}", "text"),
        "partnership": (f"r.{column(r, 'partnership')}", "integer"),
    }
    optional = " ".join(
        f"AND (%s::{kind} IS NULL OR {expression} = %s::{kind})"
        for expression, kind in (filtered[name] for name in FILTERS)
    )
    sums = ", ".join(
        f"SUM(mm.{column(m, f'{name}_amount')})::bigint AS {name}"
        for name in ("owner", "uh", "coordinator")
    )
    return (
        f"SELECT r.{column(r, 'id')}, r.{column(r, 'year')}, r.{column(r, 'status')}, "  # noqa: S608
        f"r.{column(r, 'priority')}, r.{column(r, 'cofinancing_amount')}, "
        f"r.{column(r, 'scheme')}, s.{column(Scheme, 'short_name')}, "
        f"p.{column(Partnership, 'name')}, g.{column(Region, 'name')}, "
        f"g.{column(Region, 'county_office')}, "
        "COALESCE(sums.owner, 0), COALESCE(sums.uh, 0), COALESCE(sums.coordinator, 0), "
        "COALESCE(sums.owner, 0) + COALESCE(sums.uh, 0) AS total_sum, "
        f"ARRAY(SELECT e.{column(RuleException, 'code')} FROM {table(RuleException)} e "
        f"WHERE e.{column(RuleException, 'report')} = r.{column(r, 'id')}), "
        f"rs.{column(RuleSettings, 'id')}, rs.{column(RuleSettings, 'min_uh_share_percent')}, "
        f"rs.{column(RuleSettings, 'cofinancing_percent')}, "
        f"rs.{column(RuleSettings, 'coordinator_cap')}, "
        "COUNT(*) OVER (), COALESCE(SUM(sums.owner) OVER (), 0), "
        "COALESCE(SUM(sums.uh) OVER (), 0) "
        f"FROM {table(r)} r "
        f"JOIN {table(Partnership)} p "
        f"ON p.{column(Partnership, 'id')} = r.{column(r, 'partnership')} "
        f"JOIN {table(Region)} g ON g.{column(Region, 'id')} = p.{column(Partnership, 'region')} "
        f"JOIN {table(Scheme)} s ON s.{column(Scheme, 'id')} = r.{column(r, 'scheme')} "
        f"LEFT JOIN LATERAL (SELECT {sums} FROM {table(m)} mm "
        f"WHERE mm.{column(m, 'report')} = r.{column(r, 'id')}) sums ON TRUE "
        f"LEFT JOIN {table(RuleSettings)} rs "
        f"ON rs.{column(RuleSettings, 'county_office')} = g.{column(Region, 'county_office')} "
        f"AND rs.{column(RuleSettings, 'scheme')} = r.{column(r, 'scheme')} "
        f"AND rs.{column(RuleSettings, 'year')} = r.{column(r, 'year')} "
        f"WHERE (%s OR g.{column(Region, 'county_office')} = ANY(%s)) "
        f"AND r.{column(r, 'status')} <> '{NeedReport.Status.DRAFT.value}' {optional} "
        f"ORDER BY {order} LIMIT %s OFFSET %s"
    )
