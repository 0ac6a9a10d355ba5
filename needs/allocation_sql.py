"""The allocation page's two hand-written queries (portal.sql): its county office, scheme,
frame and rule settings in one, and the scheme-year's totals in another.

They replace five ORM queries that cost about 4 ms of Python to compile on every view of the
page (the aggregate over reports, measures and allocations alone took 2 ms); the SQL is
written once per process and, on PostgreSQL, prepared per connection. Both are plain SQL
that SQLite runs too. tests/needs/test_allocation_sql.py checks them against the ORM.
"""

from functools import cache

from measures.models import Measure
from partnerships.models import CountyOffice, Partnership, Region, RuleSettings, Scheme
from portal.sql import column, fetch_one, from_row, select_list, table

from .models import Allocation, Frame, NeedReport
from .review import ALLOCATABLE


def allocation_head(office_pk, scheme_code, year):
    """(office, scheme, frame or None, rule settings in force), or None when there is no
    such county office or scheme. The settings are unsaved defaults when none are set."""
    row = fetch_one(_head_sql(), [year, year, office_pk, scheme_code])
    if row is None:
        return None
    office, at = from_row(CountyOffice, row)
    scheme, at = from_row(Scheme, row, at)
    frame = settings = None
    if row[at] is not None:  # the frame's id: None when the LEFT JOIN found none
        frame, at = from_row(Frame, row, at)
        frame.county_office, frame.scheme = office, scheme
    else:
        at += len(Frame._meta.concrete_fields)
    if row[at] is not None:
        settings, at = from_row(RuleSettings, row, at)
    else:
        settings = RuleSettings(county_office_id=office.pk, scheme_id=scheme.pk, year=year)
    return office, scheme, frame, settings


def allocation_figures(office, scheme, year):
    """Totals of every allocatable report of the county, scheme and year: count, requested
    owner and UH, allocated owner and UH (what `allocation_queryset` holds)."""
    row = fetch_one(_figures_sql(), [office.pk, scheme.pk, year, *ALLOCATABLE])
    keys = ("count", "requested_owner", "requested_uh", "allocated_owner", "allocated_uh")
    return {key: int(value) for key, value in zip(keys, row, strict=True)}


@cache
def _head_sql():
    def on(model, alias):
        return (
            f"{alias}.{column(model, 'county_office')} = o.{column(CountyOffice, 'id')} "
            f"AND {alias}.{column(model, 'scheme')} = s.{column(Scheme, 'id')} "
            f"AND {alias}.{column(model, 'year')} = %s"
        )

    return (
        f"SELECT {select_list(CountyOffice, 'o')}, {select_list(Scheme, 's')}, "  # noqa: S608
        f"{select_list(Frame, 'f')}, {select_list(RuleSettings, 'rs')} "
        f"FROM {table(CountyOffice)} o CROSS JOIN {table(Scheme)} s "
        f"LEFT JOIN {table(Frame)} f ON {on(Frame, 'f')} "
        f"LEFT JOIN {table(RuleSettings)} rs ON {on(RuleSettings, 'rs')} "
        f"WHERE o.{column(CountyOffice, 'id')} = %s AND s.{column(Scheme, 'code')} = %s"
    )


@cache
def _figures_sql():
    statuses = ", ".join(["%s"] * len(ALLOCATABLE))
    return (
        f"SELECT COUNT(DISTINCT r.{column(NeedReport, 'id')}), "  # noqa: S608
        f"COALESCE(SUM(m.{column(Measure, 'owner_amount')}), 0), "
        f"COALESCE(SUM(m.{column(Measure, 'uh_amount')}), 0), "
        f"COALESCE(SUM(a.{column(Allocation, 'owner_amount')}), 0), "
        f"COALESCE(SUM(a.{column(Allocation, 'uh_amount')}), 0) "
        f"FROM {table(NeedReport)} r "
        f"JOIN {table(Partnership)} p "
        f"ON p.{column(Partnership, 'id')} = r.{column(NeedReport, 'partnership')} "
        f"JOIN {table(Region)} g ON g.{column(Region, 'id')} = p.{column(Partnership, 'region')} "
        f"LEFT JOIN {table(Measure)} m "
        f"ON m.{column(Measure, 'report')} = r.{column(NeedReport, 'id')} "
        f"LEFT JOIN {table(Allocation)} a "
        f"ON a.{column(Allocation, 'measure')} = m.{column(Measure, 'id')} "
        f"WHERE g.{column(Region, 'county_office')} = %s "
        f"AND r.{column(NeedReport, 'scheme')} = %s AND r.{column(NeedReport, 'year')} = %s "
        f"AND r.{column(NeedReport, 'status')} IN ({statuses})"
    )
