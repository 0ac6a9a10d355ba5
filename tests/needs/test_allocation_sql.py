"""The allocation page's hand-written queries (needs/allocation_sql.py) against the ORM."""

import pytest
from django.db.models import Count, Sum
from django.urls import reverse

from needs.allocation_sql import allocation_figures, allocation_head
from needs.models import Frame, NeedReport
from needs.review import allocation_queryset
from partnerships.models import RuleSettings, Scheme
from tests.needs.conftest import make_allocation

from ..factories import make_partnership
from .conftest import make_report

pytestmark = pytest.mark.django_db

Status = NeedReport.Status


def _orm_figures(office, scheme, year):
    return allocation_queryset(office, scheme, year).aggregate(
        count=Count("pk", distinct=True),
        requested_owner=Sum("measures__owner_amount", default=0),
        requested_uh=Sum("measures__uh_amount", default=0),
        allocated_owner=Sum("measures__allocation__owner_amount", default=0),
        allocated_uh=Sum("measures__allocation__uh_amount", default=0),
    )


def _allocate(report, *amounts):
    for measure, (owner, uh) in zip(report.measures.order_by("position"), amounts, strict=False):
        make_allocation(measure, owner, uh)


def test_figures_equal_the_orm_aggregate(cast):
    dekom = Scheme.objects.get(code="dekom")
    submitted = make_report(
        cast.partnership_a, measures=[(40_000, 60_000), (20_000, 30_000)], status=Status.SUBMITTED
    )
    _allocate(submitted, (35_000, 55_000))  # the second measure has no allocation
    # A report without measures still counts; so does one that is allocated.
    second = make_partnership(cast.region_a, "Salten", owners=[cast.owner_a2], uh=[cast.uh])
    make_report(second, status=Status.REVIEWED)
    # Not in the scheme-year of county A: a draft, another scheme, another year, another county.
    make_report(cast.partnership_a, scheme_code="rekom", measures=[(1, 2)], status=Status.SUBMITTED)
    make_report(cast.partnership_a, year=2025, measures=[(3, 4)], status=Status.SUBMITTED)
    make_report(cast.partnership_b, measures=[(5, 6)], status=Status.SUBMITTED)

    figures = allocation_figures(cast.county_a, dekom, 2024)

    assert figures == _orm_figures(cast.county_a, dekom, 2024)
    assert figures == {
        "count": 2,
        "requested_owner": 60_000,
        "requested_uh": 90_000,
        "allocated_owner": 35_000,
        "allocated_uh": 55_000,
    }


def test_figures_of_an_empty_scheme_year_are_zero(cast):
    kompetanseloftet = Scheme.objects.get(code="kompetanseloftet")
    make_report(cast.partnership_a, scheme_code="dekom", measures=[(1, 2)], status=Status.DRAFT)

    figures = allocation_figures(cast.county_a, kompetanseloftet, 2024)

    assert figures == _orm_figures(cast.county_a, kompetanseloftet, 2024)
    assert set(figures.values()) == {0}


def test_head_holds_frame_and_settings_when_set(cast):
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

    office, scheme, got_frame, got_settings = allocation_head(cast.county_a.pk, "dekom", 2024)

    assert (office, office.name) == (cast.county_a, cast.county_a.name)
    assert (scheme, scheme.code) == (dekom, "dekom")
    assert (got_frame.pk, got_frame.amount, got_frame.committed) == (frame.pk, 900_000, 50_000)
    assert got_frame.county_office == cast.county_a and got_frame.scheme == dekom
    assert (got_settings.pk, got_settings.min_uh_share_percent) == (settings.pk, 55)


def test_head_without_frame_or_settings_gives_defaults(cast):
    office, scheme, frame, settings = allocation_head(cast.county_a.pk, "rekom", 2024)

    assert frame is None
    assert settings.pk is None
    expected = RuleSettings.for_report(office, scheme, 2024)
    assert (settings.county_office_id, settings.scheme_id, settings.year) == (
        cast.county_a.pk,
        scheme.pk,
        2024,
    )
    assert settings.min_uh_share_percent == expected.min_uh_share_percent == 60
    assert settings.cofinancing_percent == expected.cofinancing_percent
    assert settings.coordinator_cap == expected.coordinator_cap


def test_head_of_unknown_office_or_scheme_is_none(cast):
    assert allocation_head(cast.county_a.pk, "nope", 2024) is None
    missing = max(cast.county_a.pk, cast.county_b.pk) + 100
    assert allocation_head(missing, "dekom", 2024) is None


def test_allocation_page_of_unknown_scheme_or_office_is_404(login, cast):
    client = login(cast.olga)
    assert (
        client.get(reverse("needs:allocation", args=[cast.county_a.pk, "nope", 2024])).status_code
        == 404
    )
    # Olga is not an officer of county B: its page does not exist for her.
    assert (
        client.get(reverse("needs:allocation", args=[cast.county_b.pk, "dekom", 2024])).status_code
        == 404
    )
    rescale = reverse("needs:rescale", args=[cast.county_a.pk, "dekom", 2024])
    assert client.get(rescale).status_code == 404  # no frame for Dekom 2024: nothing to rescale
