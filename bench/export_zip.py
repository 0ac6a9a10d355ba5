"""The bulk PDF ZIP of a county-year of 300 reports, through the task worker (`manage.py bench`).

The large county-year (LARGE_COUNTY, LARGE_YEAR: 300 reports over the three schemes) is
exported as the exports page would: one ExportJob per scheme, queued at once, built by
`manage.py db_worker` processes started here (as many as the machine has cores, or
--export-workers). The time runs from the requests until the last ZIP is done.

The baseline is WeasyPrint alone on the same documents: for a sample of the reports, the
time spent inside `pdf.html_to_pdf` while building exactly the documents the ZIP holds.
Target: ≤ 1.2 × 300 × that time per report ÷ the number of workers.
"""

import os
import signal
import statistics
import subprocess
import sys
import time
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from needs.models import NeedReport
from partnerships.models import CountyOffice, Scheme
from reporting import pdf, tasks
from reporting.models import ExportJob

from . import figures
from .rows import LARGE_COUNTY, LARGE_YEAR

FACTOR = 1.2
SAMPLE = 20
TIMEOUT = 1800  # seconds: a worker that never finishes fails the bench, it does not hang it


@dataclass
class ExportResult:
    reports: int
    documents: int
    workers: int
    seconds: float
    bare_per_report_ms: float
    zip_bytes: int
    load_average: str = ""
    date: str = ""

    @property
    def target_seconds(self):
        return FACTOR * self.reports * self.bare_per_report_ms / 1000 / self.workers

    @property
    def ok(self):
        return self.seconds <= self.target_seconds

    def markdown(self):
        mark = "✓" if self.ok else "✗"
        return "\n".join(
            [
                "## Bulk PDF export through the task worker",
                "",
                f"The ZIPs of a county-year of {self.reports} reports ({LARGE_COUNTY} "
                f"{LARGE_YEAR}, one export per scheme, queued at once) built by {self.workers} "
                f"`db_worker` process(es), {self.documents} PDFs, "
                f"{self.zip_bytes / 1e6:.1f} MB of ZIP.",
                "",
                f"- Date: {self.date}; machine: {os.cpu_count()} cores; load average "
                f"{self.load_average} (1 / 5 / 15 min; other work on the machine slows the "
                "workers and the baseline alike, but not always equally)",
                "",
                "| figure | value |",
                "|---|---|",
                f"| WeasyPrint alone, per report (mean of a sample of {SAMPLE}) | "
                f"{self.bare_per_report_ms:.0f} ms |",
                f"| Target: {FACTOR} × {self.reports} × that ÷ {self.workers} worker(s) | "
                f"{self.target_seconds:.1f} s |",
                f"| Request to the last ZIP done | {self.seconds:.1f} s {mark} |",
                f"| Ratio to WeasyPrint alone × reports ÷ workers | "
                f"{self.seconds / (self.target_seconds / FACTOR):.2f} |",
                "",
            ]
        )


def export_reports():
    office = CountyOffice.objects.get(county=LARGE_COUNTY)
    reports = list(
        NeedReport.objects.filter(partnership__region__county_office=office, year=LARGE_YEAR)
        .exclude(status=NeedReport.Status.DRAFT)
        .select_related("partnership__region__county_office", "scheme")
        .order_by("scheme__order", "partnership__name", "pk")
    )
    return office, reports


def bare_ms_per_report(reports, sample=SAMPLE):
    """Mean WeasyPrint time (ms) of the documents of a spread sample of the reports."""
    step = max(1, len(reports) // sample)
    chosen = reports[::step][:sample]
    spent = [0.0]
    original = pdf.html_to_pdf

    def timed(html):
        start = time.perf_counter()
        try:
            return original(html)
        finally:
            spent[-1] += time.perf_counter() - start

    pdf.html_to_pdf = timed
    try:
        tasks.report_documents(chosen[0])  # warm fonts and templates
        spent.clear()
        for report in chosen:
            spent.append(0.0)
            tasks.report_documents(report)
    finally:
        pdf.html_to_pdf = original
    return statistics.mean(spent) * 1000


@contextmanager
def task_workers(count, *, database_url, media_root, secret_key, log):
    """`count` `manage.py db_worker` processes on the bench database, stopped on exit."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DEBUG="0",
        SECRET_KEY=secret_key,
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media_root),
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0.1",
        "-v0",
    ]
    processes = [
        subprocess.Popen(  # noqa: S603
            command,
            env=env,
            cwd=Path(settings.BASE_DIR),
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        for _ in range(count)
    ]
    try:
        yield processes
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)


def run(*, workers, database_url, media_root, secret_key, user, log, say):
    load_at_start = figures.load_average()
    office, reports = export_reports()
    say(f"Bulk export: {len(reports)} reports; WeasyPrint alone on a sample of {SAMPLE}…")
    bare = bare_ms_per_report(reports)
    say(f"Bulk export: WeasyPrint alone {bare:.0f} ms per report; {workers} worker(s)…")
    with task_workers(
        workers,
        database_url=database_url,
        media_root=media_root,
        secret_key=secret_key,
        log=log,
    ) as processes:
        time.sleep(2)  # the workers have started (Django set up) before the clock starts
        start = time.perf_counter()
        jobs = [
            tasks.export_request(county_office=office, scheme=scheme, year=LARGE_YEAR, user=user)[0]
            for scheme in Scheme.objects.order_by("order")
        ]
        pending = {job.pk for job in jobs}
        while pending:
            if time.perf_counter() - start > TIMEOUT:
                raise RuntimeError(f"The exports did not finish within {TIMEOUT} s.")
            if any(process.poll() is not None for process in processes):
                raise RuntimeError("A task worker exited during the export.")
            states = dict(ExportJob.objects.filter(pk__in=pending).values_list("pk", "status"))
            failed = [pk for pk, status in states.items() if status == ExportJob.Status.FAILED]
            if failed:
                raise RuntimeError(f"Export job(s) {failed} failed.")
            pending = {pk for pk, status in states.items() if status != ExportJob.Status.DONE}
            if pending:
                time.sleep(0.1)
        seconds = time.perf_counter() - start
    documents, size = 0, 0
    for job in ExportJob.objects.filter(pk__in=[job.pk for job in jobs]):
        with job.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
            documents += len(archive.namelist())
        size += job.file.size
    if documents < len(reports):
        raise RuntimeError(f"The ZIPs hold {documents} PDFs for {len(reports)} reports.")
    return ExportResult(
        reports=len(reports),
        documents=documents,
        workers=workers,
        seconds=seconds,
        bare_per_report_ms=bare,
        zip_bytes=size,
        load_average=f"{load_at_start} at the start, {figures.load_average()} at the end",
        date=f"{timezone.localtime():%Y-%m-%d %H:%M %Z}",
    )
