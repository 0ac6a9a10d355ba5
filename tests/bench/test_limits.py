"""bench/limits.py builds what it times: the largest file the import accepts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bench import limits
from reporting.measure_import import MAX_ROWS, read_measure_file
from tests.reporting import sheets_helpers

pytestmark = pytest.mark.django_db
report_a = sheets_helpers.report_a


def test_the_largest_import_file_is_accepted_by_the_reader(report_a):
    content = limits.largest_import_file(report_a)
    assert len(content) <= limits.UPLOAD_LIMIT
    dataset = read_measure_file(SimpleUploadedFile("tiltak.xlsx", content))
    assert len(dataset) == MAX_ROWS
