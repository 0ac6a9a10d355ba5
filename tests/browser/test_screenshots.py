"""`make screenshots`: the main pages of each role at desktop (1366 px) and phone (390 px)
width, into docs/screenshots/. Skipped unless SCREENSHOTS=1 (it writes files; it asserts
only that each page answers)."""

import os
from pathlib import Path

import pytest

from needs.models import NeedReport
from tests.factories import submit_directly

pytestmark = [
    pytest.mark.usefixtures("demo_data"),
    pytest.mark.skipif(os.environ.get("SCREENSHOTS") != "1", reason="make screenshots"),
]

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def pages():
    report = NeedReport.objects.select_related("partnership__region").get(
        partnership__name="God opplæring for alle", scheme__code="dekom", year=2024
    )
    measure = report.measures.order_by("position").first()
    county = report.partnership.region.county_office_id
    return {
        "koordinator.goa": [
            ("coordinator-overview", "/"),
            ("coordinator-report", f"/needs/{report.pk}/"),
            ("coordinator-measure", f"/needs/{report.pk}/measures/{measure.pk}/"),
            ("coordinator-activity-plan", "/activity-plan/"),
        ],
        "uh.hinn": [("uh-report", f"/needs/{report.pk}/")],
        "sf.nordland": [
            ("officer-overview", "/"),
            ("officer-queue", "/needs/review/"),
            ("officer-report", f"/needs/{report.pk}/"),
            ("officer-allocation", f"/needs/allocation/{county}/dekom/2024/"),
        ],
    }, report


def test_take_screenshots(new_page, log_in):
    OUT.mkdir(parents=True, exist_ok=True)
    by_role, report = pages()
    for role, shots in by_role.items():
        if role == "sf.nordland":
            submit_directly(report)
        for width, viewport in WIDTHS.items():
            page = new_page(viewport=viewport)
            log_in(page, role)
            for name, path in shots:
                response = page.goto(path)
                assert response.status == 200, path
                page.screenshot(path=str(OUT / f"{name}-{width}.png"))
            if width == "phone":
                page.goto("/does-not-exist/")
                page.screenshot(path=str(OUT / f"error-404-{role.split('.')[0]}-phone.png"))
