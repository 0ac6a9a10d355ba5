"""Helpers shared by the PDF tests: read a PDF's text, submit and allocate a report, skip
WeasyPrint, and keep stored files in a temporary MEDIA_ROOT."""

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from needs.models import Allocation, NeedReport
from needs.services import need_report_submit
from needs.totals import refresh_totals
from reporting import pdf
from tests.factories import confirm_uh
from tests.needs.conftest import make_report

Status = NeedReport.Status
FAKE_PDF = b"%PDF-1.7 fake for permission tests"


def pdf_text(content):
    """All text of a PDF, with no-break spaces and line breaks as plain single spaces."""
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\u00a0", " ").split())


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def fast_render(monkeypatch):
    """Skip WeasyPrint where a test is about access, not about the document."""
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: FAKE_PDF)


@pytest.fixture
def report_a(cast):
    # 40 000 / 60 000: exactly 60 % to UH, so it can be submitted.
    return make_report(cast.partnership_a, measures=[(40_000, 60_000)])


def submit(report, user):
    confirm_uh(report)
    need_report_submit(report=report, user=user)
    report.refresh_from_db()
    return report


def allocate(report):
    for measure in report.measures.all():
        Allocation.objects.create(
            measure=measure, owner_amount=measure.owner_amount, uh_amount=measure.uh_amount
        )
    refresh_totals(report)
    report.status = Status.ALLOCATED
    report.decided_at = timezone.now()
    report.save()
    return report


def submit_ready(report):
    report.status = Status.SUBMITTED
    report.save()
    return report
