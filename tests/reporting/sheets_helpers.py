"""Helpers shared by the spreadsheet export and import tests."""

import pytest

from needs.models import NeedReport
from tests.needs.conftest import make_report

Status = NeedReport.Status


def submitted(report):
    report.status = Status.SUBMITTED
    report.save()
    return report


@pytest.fixture
def report_a(cast):
    return make_report(cast.partnership_a, measures=[(40_000, 60_000), (10_000, 0)])
