"""The report loader of every report page (`needs.access.get_report_for_user`): one query,
and the same visibility as `NeedReport.objects.visible_to` for every role and status."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from needs.access import get_report_for_user
from needs.models import NeedReport
from needs.selectors import ruleset_for
from partnerships.models import Membership, RuleSettings
from portal.access import member_roles
from portal.models import User

from .conftest import make_report


def _request(user):
    request = RequestFactory().get("/")
    # As a request has it once its roles are read (one query, kept for the request).
    request.user = User.objects.get(pk=user.pk) if user else AnonymousUser()
    if user:
        member_roles(request.user)
    return request


@pytest.fixture
def reports(cast):
    made = []
    for partnership in (cast.partnership_a, cast.partnership_b):
        for year, status in enumerate(NeedReport.Status.values, start=2020):
            made.append(make_report(partnership, year=year, status=status, measures=[(1, 2)]))
    return made


def test_the_loader_agrees_with_visible_to_for_every_role_and_status(cast, reports):
    Membership.objects.create(  # a UH contact of both partnerships
        partnership=cast.partnership_b, user=cast.ulla, role=Membership.Role.UH_CONTACT
    )
    users = [cast.alice, cast.ulla, cast.bob, cast.olga, cast.otto, cast.root, None]
    checked = {True: 0, False: 0}
    for user in users:
        request = _request(user)
        visible = set(NeedReport.objects.visible_to(request.user).values_list("pk", flat=True))
        for report in reports:
            try:
                loaded = get_report_for_user(request, report.pk)
                seen = True
                assert loaded.pk == report.pk
            except Http404:
                seen = False
            assert seen == (report.pk in visible), (user, report.status, report.partnership)
            checked[seen] += 1
    assert checked[True] > 10 and checked[False] > 10


def test_the_loader_brings_the_relations_in_one_query(cast, reports):
    request = _request(cast.alice)
    report = reports[0]
    with CaptureQueriesContext(connection) as queries:
        loaded = get_report_for_user(request, report.pk)
        names = (
            loaded.partnership.name,
            loaded.partnership.region.name,
            loaded.partnership.region.county_office.name,
            loaded.scheme.short_name,
        )
    assert len(queries) == 1
    assert names == ("God opplæring for alle", "Ytre Helgeland", cast.county_a.name, "Dekom")
    assert loaded.has_uh is True
    assert loaded.year == report.year and loaded.status == report.status


def test_no_uh_partner_means_no_uh_confirmation_needed(cast, reports):
    cast.partnership_a.uh_partners.clear()
    assert get_report_for_user(_request(cast.alice), reports[0].pk).has_uh is False


def test_an_unknown_report_is_404(cast):
    with pytest.raises(Http404):
        get_report_for_user(_request(cast.root), 987654)


def test_the_rule_settings_of_the_reports_county_scheme_and_year(cast, reports):
    report = reports[0]  # Dekom 2020
    request = _request(cast.alice)
    # None set: the defaults, loaded with the report (no query of their own).
    loaded = get_report_for_user(request, report.pk)
    with CaptureQueriesContext(connection) as queries:
        assert ruleset_for(loaded).min_uh_share_percent == 60
    assert len(queries) == 0
    # Set for the report's county, scheme and year; other years, schemes and counties not.
    RuleSettings.objects.create(
        county_office=cast.county_a, scheme=report.scheme, year=report.year, min_uh_share_percent=55
    )
    RuleSettings.objects.create(
        county_office=cast.county_a, scheme=report.scheme, year=report.year + 1, coordinator_cap=1
    )
    RuleSettings.objects.create(
        county_office=cast.county_b, scheme=report.scheme, year=report.year, cofinancing_percent=9
    )
    loaded = get_report_for_user(request, report.pk)
    expected = RuleSettings.for_report(cast.county_a, report.scheme, report.year)
    with CaptureQueriesContext(connection) as queries:
        ruleset = ruleset_for(loaded)
    assert len(queries) == 0
    assert (
        (ruleset.min_uh_share_percent, ruleset.cofinancing_percent, ruleset.coordinator_cap)
        == (
            expected.min_uh_share_percent,
            expected.cofinancing_percent,
            expected.coordinator_cap,
        )
        == (55, None, None)
    )
