"""The UH-share buckets of the statistics page, computed with one subquery per report."""

import pytest

from needs.models import NeedReport
from reporting.selectors import _uh_share_buckets
from tests.factories import make_partnership
from tests.needs.conftest import make_report

pytestmark = pytest.mark.django_db


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
    counts = {row.key: row.count for row in _uh_share_buckets(NeedReport.objects.all())}
    assert counts == {"lt50": 1, "50-60": 2, "60-70": 1, "70-80": 1, "80+": 1, "none": 2}
