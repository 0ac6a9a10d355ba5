"""Helpers shared by the annual report tests: an allocated need report and its annual report,
the edit form's data, submitting, reading pages and PDFs."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from needs.models import NeedReport
from reporting.annual import annual_report_start
from reporting.models import AnnualReport
from tests.needs.conftest import make_allocation, make_measure, make_report

Status = AnnualReport.Status


def allocated_report(partnership, scheme_code="dekom", year=2024, amounts=None):
    """An allocated need report: measures (name, owner, UH) allocated as requested."""
    amounts = amounts or [("Leseløft", 40_000, 60_000), ("Koordinator", 10_000, 0)]
    report = make_report(
        partnership, scheme_code=scheme_code, year=year, status=NeedReport.Status.ALLOCATED
    )
    for position, (name, owner, uh) in enumerate(amounts, start=1):
        measure = make_measure(report, owner, uh, position=position, name=name)
        make_allocation(measure, owner, uh)
    return report


@pytest.fixture
def need(cast):
    return allocated_report(cast.partnership_a)


@pytest.fixture
def annual(cast, need):
    return annual_report_start(need_report=need, user=cast.alice)


def url(name, report, *args):
    return reverse(f"reporting:{name}", args=[report.pk, *args])


def page(response):
    return response.content.decode().replace("\u00a0", " ")


def line_prefixes(annual):
    return [f"m{line.pk}" for line in annual.lines.order_by("measure__position")]


def form_data(annual, lines, unused_note="", version=None):
    """lines: [(owner_used, uh_used, effect, process, structure)] in measure order."""
    data = {"version": version or annual.lock_version, "unused_note": unused_note}
    for prefix, values in zip(line_prefixes(annual), lines, strict=True):
        for name, value in zip(
            ["owner_used", "uh_used", "effect", "process", "structure"], values, strict=True
        ):
            data[f"{prefix}-{name}"] = value
    return data


COMPLETE = [
    ("40 000", "60 000", "Bedre leseferdigheter", "Fire samlinger", "Forankret i planen"),
    ("10 000", "", "Koordinert", "Månedlige møter", "Videreføres"),
]


def fill_in(annual, lines=COMPLETE, **extra):
    client_data = form_data(annual, lines, **extra)
    return client_data


def confirm_by_uh(annual):
    """The partnership's UH contact confirms the UH part (as their page would)."""
    from partnerships.models import Membership
    from reporting.annual import annual_report_confirm_uh

    membership = annual.need_report.partnership.memberships.filter(
        role=Membership.Role.UH_CONTACT
    ).first()
    if membership is not None:
        annual_report_confirm_uh(annual=annual, user=membership.user)


def submit(client, annual):
    need = annual.need_report
    client.post(url("annual_edit", need), fill_in(annual))
    confirm_by_uh(annual)
    return client.post(url("annual_submit", need))


def pdf_text(content):
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.replace("\u00a0", " ").split())
