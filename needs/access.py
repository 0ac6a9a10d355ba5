from functools import cache

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.shortcuts import get_object_or_404

from partnerships.models import (
    CountyOffice,
    Partnership,
    Region,
    RuleSettings,
    Scheme,
)
from portal.sql import column, fetch_one, from_row, select_list, table

from .models import NeedReport


def can_comment(user, report):
    return report.allows("comment", user)


def can_confirm(user, report):
    return report.allows("confirm_uh", user)


def can_edit_report(user, report):
    return report.allows("edit", user)


def get_report_for_user(request, pk, write=False):
    """404 outside the user's reach; 403 on a write by someone who may only read.

    The report comes with its partnership, region, county office and scheme, and `has_uh`;
    on PostgreSQL also with `loaded_rule_settings`, the rule settings in force (unsaved
    defaults when the county set none) that `ruleset_for` takes instead of a query of its
    own. On PostgreSQL one hand-written query loads them (the ORM took 2 ms of Python to compile
    it, on every page of a report) and `NeedReport.is_visible_to` applies the rule of
    `visible_to` to the loaded report (tests check that the two agree).
    """
    if connection.vendor != "postgresql":
        report = get_object_or_404(
            NeedReport.objects.visible_to(request.user)
            .select_related("partnership__region__county_office", "scheme")
            .with_uh_flag(),
            pk=pk,
        )
    else:
        report = _load_report(pk)
        if report is None or not report.is_visible_to(request.user):
            raise Http404
    if write and not can_edit_report(request.user, report):
        raise PermissionDenied
    return report


def _load_report(pk):
    row = fetch_one(_report_sql(), [pk])
    if row is None:
        return None
    report, at = from_row(NeedReport, row)
    partnership, at = from_row(Partnership, row, at)
    region, at = from_row(Region, row, at)
    county_office, at = from_row(CountyOffice, row, at)
    scheme, at = from_row(Scheme, row, at)
    region.county_office = county_office
    partnership.region = region
    report.partnership = partnership
    report.scheme = scheme
    report.has_uh = row[at]
    at += 1
    if row[at] is not None:  # the settings' id: None when the LEFT JOIN found none
        report.loaded_rule_settings, at = from_row(RuleSettings, row, at)
    else:
        report.loaded_rule_settings = RuleSettings(
            county_office_id=county_office.pk, scheme_id=scheme.pk, year=report.year
        )
    return report


@cache
def _report_sql():
    uh = Partnership.uh_partners.through

    def join(model, alias, on):
        return f"JOIN {table(model)} {alias} ON {alias}.{column(model, 'id')} = {on} "

    return (
        f"SELECT {select_list(NeedReport, 'r')}, {select_list(Partnership, 'p')}, "  # noqa: S608
        f"{select_list(Region, 'g')}, {select_list(CountyOffice, 'c')}, "
        f"{select_list(Scheme, 's')}, "
        f"EXISTS(SELECT 1 FROM {table(uh)} u "
        f"WHERE u.{column(uh, 'partnership')} = r.{column(NeedReport, 'partnership')}), "
        f"{select_list(RuleSettings, 'rs')} "
        f"FROM {table(NeedReport)} r "
        + join(Partnership, "p", f"r.{column(NeedReport, 'partnership')}")
        + join(Region, "g", f"p.{column(Partnership, 'region')}")
        + join(CountyOffice, "c", f"g.{column(Region, 'county_office')}")
        + join(Scheme, "s", f"r.{column(NeedReport, 'scheme')}")
        + f"LEFT JOIN {table(RuleSettings)} rs "
        f"ON rs.{column(RuleSettings, 'county_office')} = g.{column(Region, 'county_office')} "
        f"AND rs.{column(RuleSettings, 'scheme')} = r.{column(NeedReport, 'scheme')} "
        f"AND rs.{column(RuleSettings, 'year')} = r.{column(NeedReport, 'year')} "
        + f"WHERE r.{column(NeedReport, 'id')} = %s"
    )
