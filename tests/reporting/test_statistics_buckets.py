"""The UH-share buckets of the statistics page: each report's measures summed once, then
bucketed in the database with integer arithmetic (so the edges are exact)."""

import pytest

from reporting.selectors import Filters
from reporting.statistics_selectors import statistics
from tests.factories import make_partnership
from tests.needs.conftest import make_report

pytestmark = pytest.mark.django_db


def buckets(user, **filters):
    return {row.key: row.count for row in statistics(user, Filters(**filters)).uh_share}


def test_every_bucket_and_its_edges(cast):
    cases = [
        [(60, 40)],  # 40 %: under 50
        [(50, 50)],  # 50 %: 50 to under 60
        [(41, 59)],  # 59 %
        [(40, 60)],  # exactly 60 %: 60 to under 70
        [(30, 60), (0, 10)],  # 70 % over two measures
        [(20, 80)],  # 80 % or more
        [(0, 0)],  # no amounts
        [],  # no measures at all
    ]
    for i, measures in enumerate(cases):
        partnership = make_partnership(cast.region_a, f"P{i}")
        make_report(partnership, measures=measures, status="submitted")
    make_report(cast.partnership_a, measures=[(1, 99)])  # a draft: never counted
    assert buckets(cast.root) == {
        "lt50": 1,
        "50-60": 2,
        "60-70": 1,
        "70-80": 1,
        "80+": 1,
        "none": 2,
    }


@pytest.mark.parametrize(
    ("owner", "uh", "bucket"),
    [
        (500_001, 499_999, "lt50"),  # 49,9999 %
        (1, 1, "50-60"),  # exactly 50 %
        (400_001, 599_999, "50-60"),  # 59,9999 %: never rounded up to 60
        (2, 3, "60-70"),  # exactly 60 %
        (300_001, 699_999, "60-70"),
        (3, 7, "70-80"),  # exactly 70 %
        (200_001, 799_999, "70-80"),
        (1, 4, "80+"),  # exactly 80 %
        (0, 5, "80+"),  # all to UH
        (5, 0, "lt50"),  # nothing to UH
        (10**12, 10**12 - 1, "lt50"),  # the largest amounts a measure may hold
    ],
)
def test_exact_edges(cast, owner, uh, bucket):
    make_report(cast.partnership_a, measures=[(owner, uh)], status="submitted")
    expected = {"lt50": 0, "50-60": 0, "60-70": 0, "70-80": 0, "80+": 0, "none": 0, bucket: 1}
    assert buckets(cast.olga) == expected


def test_a_report_is_bucketed_by_its_sums_not_by_its_measures(cast):
    # 90 % and 10 % measures: 50 % in all, one report in one bucket.
    make_report(cast.partnership_a, measures=[(10, 90), (90, 10)], status="reviewed")
    assert buckets(cast.olga)["50-60"] == 1
    assert sum(buckets(cast.olga).values()) == 1


def test_filters_and_years(cast):
    make_report(cast.partnership_a, year=2024, measures=[(1, 9)], status="submitted")
    make_report(cast.partnership_a, year=2025, measures=[(9, 1)], status="submitted")
    make_report(cast.partnership_a, year=2025, scheme_code="rekom", measures=[(1, 1)])
    assert buckets(cast.olga, year=2024)["80+"] == 1
    assert sum(buckets(cast.olga, year=2024).values()) == 1
    assert buckets(cast.olga, year=2025)["lt50"] == 1
    assert sum(buckets(cast.olga, year=2025).values()) == 1  # the Rekom draft is not counted
    assert sum(buckets(cast.olga, scheme="rekom").values()) == 0
