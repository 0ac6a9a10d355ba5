"""The allocation page's head (county office, scheme, frame, rule settings) and its totals of
the whole scheme-year, through the ORM (issue 17 moved these from the tests of the
hand-written allocation queries)."""

import pytest
from django.db.models import Count, Sum
from django.test import RequestFactory
from django.urls import reverse

from needs.models import Allocation, Frame, NeedReport
from needs.review import allocation_queryset
from needs.totals import refresh_totals
from needs.views_allocation import _head
from partnerships.models import RuleSettings, Scheme

from ..factories import make_partnership
from .conftest import make_report

pytestmark = pytest.mark.django_db

Status = NeedReport.Status


def url(office, code="dekom", year=2024):
    return reverse("needs:allocation", args=[office.pk, code, year])


def _from_the_measures(office, scheme, year):
    return allocation_queryset(office, scheme, year).aggregate(
        count=Count("pk", distinct=True),
        requested=Sum("measures__owner_amount", default=0) + Sum("measures__uh_amount", default=0),
        allocated=Sum("measures__allocation__owner_amount", default=0)
        + Sum("measures__allocation__uh_amount", default=0),
    )


def test_totals_cover_the_scheme_year_of_the_county_only(login, cast):
    dekom = Scheme.objects.get(code="dekom")
    Frame.objects.create(county_office=cast.county_a, scheme=dekom, year=2024, amount=10**6)
    submitted = make_report(
        cast.partnership_a, measures=[(40_000, 60_000), (20_000, 30_000)], status=Status.SUBMITTED
    )
    first = submitted.measures.order_by("position").first()
    Allocation.objects.create(measure=first, owner_amount=35_000, uh_amount=55_000)
    refresh_totals(submitted)  # the second measure has no allocation
    # A report without measures still counts.
    second = make_partnership(cast.region_a, "Salten", owners=[cast.owner_a2], uh=[cast.uh])
    make_report(second, status=Status.REVIEWED)
    # Not in the scheme-year of county A: a draft, another scheme, another year, another county.
    make_report(cast.partnership_a, scheme_code="rekom", measures=[(1, 2)], status=Status.SUBMITTED)
    make_report(cast.partnership_a, year=2025, measures=[(3, 4)], status=Status.SUBMITTED)
    make_report(cast.partnership_b, measures=[(5, 6)], status=Status.SUBMITTED)

    context = login(cast.olga).get(url(cast.county_a)).context
    figures = {
        "count": context["page"].paginator.count,
        "requested": context["requested"],
        "allocated": context["allocated"],
    }
    assert figures == _from_the_measures(cast.county_a, dekom, 2024)
    assert figures == {"count": 2, "requested": 150_000, "allocated": 90_000}
    assert context["remaining"] == 10**6 - 90_000


def test_an_empty_scheme_year_has_zero_totals(login, cast):
    make_report(cast.partnership_a, measures=[(1, 2)], status=Status.DRAFT)
    context = login(cast.olga).get(url(cast.county_a, "kompetanseloftet")).context
    assert (context["requested"], context["allocated"], context["remaining"]) == (0, 0, 0)
    assert context["reports"] == [] and context["frame"] is None


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_head_holds_the_years_frame_and_settings(cast):
    dekom = Scheme.objects.get(code="dekom")
    frame = Frame.objects.create(
        county_office=cast.county_a, scheme=dekom, year=2024, amount=900_000, committed=50_000
    )
    settings = RuleSettings.objects.create(
        county_office=cast.county_a, scheme=dekom, year=2024, min_uh_share_percent=55
    )
    # Another year's frame and settings must not be picked up.
    Frame.objects.create(county_office=cast.county_a, scheme=dekom, year=2025, amount=1)
    RuleSettings.objects.create(
        county_office=cast.county_a, scheme=dekom, year=2025, min_uh_share_percent=90
    )
    office, scheme, got_frame, got_settings = _head(
        _request(cast.olga), cast.county_a.pk, "dekom", 2024
    )
    assert (office, scheme) == (cast.county_a, dekom)
    assert (got_frame.pk, got_frame.amount, got_frame.committed) == (frame.pk, 900_000, 50_000)
    assert (got_settings.pk, got_settings.min_uh_share_percent) == (settings.pk, 55)


def test_without_frame_or_settings_the_defaults(cast):
    office, scheme, frame, settings = _head(_request(cast.olga), cast.county_a.pk, "rekom", 2024)
    assert frame is None and settings.pk is None
    assert (settings.county_office_id, settings.scheme_id, settings.year) == (
        cast.county_a.pk,
        scheme.pk,
        2024,
    )
    assert settings.min_uh_share_percent == 60


def test_unknown_scheme_or_another_countys_office_is_404(login, cast):
    client = login(cast.olga)
    assert client.get(url(cast.county_a, "nope")).status_code == 404
    assert client.get(url(cast.county_b)).status_code == 404  # Olga is not Vestland's officer
    missing = type(cast.county_a)(pk=max(cast.county_a.pk, cast.county_b.pk) + 100)
    assert login(cast.root).get(url(missing)).status_code == 404
    rescale = reverse("needs:rescale", args=[cast.county_a.pk, "dekom", 2024])
    assert client.get(rescale).status_code == 404  # no frame for Dekom 2024: nothing to rescale
