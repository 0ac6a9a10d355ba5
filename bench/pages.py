"""The pages `manage.py bench` times, with what each must contain. To benchmark another
page, add a row to PAGES."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from bench import dataset
from bench.figures import MEDIAN_TARGET_MS


@dataclass(frozen=True)
class Page:
    name: str
    user: str  # an attribute of BenchData: "coordinator", "officer", "large_officer", …
    url: Callable  # BenchData -> path
    expect: Callable  # BenchData -> strings (HTML) or bytes (files) the answer must contain
    target_ms: float | None = MEDIAN_TARGET_MS  # None: set at run time (the PDF's)
    repeat: int | None = None  # fewer timed requests for slow downloads
    throughput: bool = True  # also measured under gunicorn (not the slow downloads)


def _list(year):
    return f"{reverse('needs:list')}?year={year}"


PAGES = [
    Page(
        "Dashboard",
        "coordinator",
        lambda d: reverse("portal:dashboard"),
        lambda d: [d.partnership.name],
    ),
    Page(
        "Dashboard, county officer",
        "large_officer",
        lambda d: reverse("portal:dashboard"),
        lambda d: [d.large_office.name],
    ),
    Page(
        "Need reports, county officer, one year (300)",
        "large_officer",
        lambda d: _list(dataset.LARGE_YEAR),
        lambda d: ["Kompetansenettverk", "page=6"],  # 300 reports, 50 to a page
    ),
    Page(
        "Need reports, county officer, all years",
        "large_officer",
        lambda d: _list("all"),
        lambda d: ["Kompetansenettverk", str(dataset.YEARS[-1])],
    ),
    Page(
        "Need reports, coordinator",
        "coordinator",
        lambda d: reverse("needs:list"),
        lambda d: [d.partnership.name],
    ),
    Page(
        "Report page (30 measures)",
        "coordinator",
        lambda d: d.big_report.get_absolute_url(),
        lambda d: [dataset.big_measure_name(1), dataset.big_measure_name(30)],
    ),
    Page(
        "Measure edit page",
        "coordinator",
        lambda d: d.big_measure.get_absolute_url(),
        lambda d: [d.big_measure.name],
    ),
    Page(
        "Review queue, county-year of 300",
        "large_officer",
        lambda d: f"{reverse('needs:queue')}?year={dataset.LARGE_YEAR}",
        lambda d: ["Kompetansenettverk", "page=6"],
    ),
    Page(
        "Allocation page, a scheme of the 300",
        "large_officer",
        lambda d: reverse(
            "needs:allocation",
            args=[d.large_office.pk, d.large_scheme.code, dataset.LARGE_YEAR],
        ),
        lambda d: ["Kompetansenettverk", 'name="save_allocations"', "page=2"],
    ),
    Page(
        "Partnerships, county officer",
        "large_officer",
        lambda d: reverse("partnerships:list"),
        lambda d: ["Kompetansenettverk", "page=2"],
    ),
    Page(
        "Exports page",
        "large_officer",
        lambda d: reverse("reporting:exports"),
        lambda d: ["measures.xlsx"],
    ),
    Page(
        "Statistics, county officer",
        "large_officer",
        lambda d: reverse("reporting:statistics"),
        lambda d: [d.large_office.county],
    ),
    Page(
        "Measures XLSX, county-year of 300",
        "large_officer",
        lambda d: (
            f"{reverse('reporting:export_measures', args=['xlsx'])}"
            f"?year={dataset.LARGE_YEAR}&county={d.large_office.pk}"
        ),
        lambda d: [b"PK"],
        target_ms=2000,
        repeat=5,
        throughput=False,
    ),
    Page(
        "PDF of the seed report",
        "seed_coordinator",
        lambda d: reverse("reporting:report_pdf", args=[d.seed_report.pk]),
        lambda d: [b"%PDF"],
        target_ms=None,
        repeat=10,
        throughput=False,
    ),
    Page(
        "Stored PDF (submitted version)",
        "seed_coordinator",
        lambda d: reverse("reporting:version_pdf", args=[d.seed_report.pk, 1]),
        lambda d: [b"%PDF"],
    ),
]
PDF_PAGE = "PDF of the seed report"
PDF_FACTOR = 1.2  # the PDF view may take at most this times WeasyPrint's own rendering
