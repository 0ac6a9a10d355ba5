"""Bulk PDF exports: a queue in the database (ExportJob) and the job that builds the ZIP.

A request queues a job; `manage.py run_export_jobs` claims queued jobs one at a time
(`SELECT … FOR UPDATE SKIP LOCKED`, so several workers never take the same one) and builds
the ZIP under MEDIA_ROOT. A partial unique constraint allows one queued or running job per
county, scheme and year, so a second request while one runs gets the running one.
"""

import logging
import tempfile
import zipfile
from datetime import timedelta

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from needs.models import NeedReport

from . import pdf
from .models import ExportJob, LetterSettings

logger = logging.getLogger(__name__)

# A running job whose heartbeat is older than this has lost its worker.
STALE_AFTER = timedelta(minutes=10)


def export_request(*, county_office, scheme, year, user):
    """Queue an export, or return the one already queued or running: (job, created)."""
    with transaction.atomic():
        active = (
            ExportJob.objects.active()
            .select_for_update()
            .filter(county_office=county_office, scheme=scheme, year=year)
            .first()
        )
        if active is not None and active.status == ExportJob.Status.RUNNING:
            if active.heartbeat_at < timezone.now() - STALE_AFTER:
                _fail(active, _("The export stopped unexpectedly. Start it again."))
                active = None
        if active is not None:
            return active, False
        try:
            with transaction.atomic():
                job = ExportJob.objects.create(
                    county_office=county_office, scheme=scheme, year=year, requested_by=user
                )
        except IntegrityError:
            # Another request queued the same export between our check and our insert.
            job = ExportJob.objects.active().get(
                county_office=county_office, scheme=scheme, year=year
            )
            return job, False
    return job, True


def claim_next_job():
    """Mark the oldest queued job running and return it (None when the queue is empty)."""
    with transaction.atomic():
        job = (
            ExportJob.objects.filter(status=ExportJob.Status.QUEUED)
            .select_for_update(skip_locked=True)
            .order_by("created_at", "pk")
            .first()
        )
        if job is None:
            return None
        job.status = ExportJob.Status.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at", "heartbeat_at"])
    return job


def process_queued(limit=None):
    """Run queued jobs until the queue is empty (or `limit` jobs ran). Returns the count."""
    count = 0
    while limit is None or count < limit:
        job = claim_next_job()
        if job is None:
            break
        run_export_job(job)
        count += 1
    return count


def export_reports(job):
    return list(
        NeedReport.objects.filter(
            partnership__region__county_office=job.county_office,
            scheme=job.scheme,
            year=job.year,
        )
        .exclude(status=NeedReport.Status.DRAFT)
        .select_related("partnership__region__county_office", "scheme")
        .order_by("partnership__name", "pk")
    )


def report_documents(report):
    """[(filename, bytes)]: the latest submitted version (stored), and the allocation letter."""
    documents = []
    version = report.versions.order_by("-number").first()
    if version is not None:
        version.report = report
        stored = pdf.stored_version_pdf(version)
        with stored.file.open("rb") as handle:
            documents.append((pdf.version_filename(version), handle.read()))
    else:
        content, filename = pdf.current_report_pdf(report)
        documents.append((filename, content))
    if report.status == NeedReport.Status.ALLOCATED:
        settings = LetterSettings.for_letter(
            report.partnership.region.county_office_id, report.scheme_id, report.year
        )
        documents.append(
            (pdf.letter_filename(report), pdf.render_allocation_letter(report, settings))
        )
    return documents


def _unique(name, used, report):
    if name in used:
        stem = name.removesuffix(".pdf")
        name = f"{stem}-{report.pk}.pdf"
    used.add(name)
    return name


def run_export_job(job):
    """Build the job's ZIP, updating its progress after each report."""
    try:
        reports = export_reports(job)
        job.total = len(reports)
        job.progress = 0
        job.save(update_fields=["total", "progress", "heartbeat_at"])
        used = set()
        with tempfile.TemporaryFile() as buffer:
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for report in reports:
                    for name, content in report_documents(report):
                        archive.writestr(_unique(name, used, report), content)
                    job.progress += 1
                    ExportJob.objects.filter(pk=job.pk).update(
                        progress=job.progress, heartbeat_at=timezone.now()
                    )
            buffer.seek(0)
            job.file.save(job.filename, File(buffer), save=False)
        job.status = ExportJob.Status.DONE
        job.finished_at = timezone.now()
        job.save()
    except Exception:
        logger.exception("PDF export %s failed", job.pk)
        _fail(job, _("The export failed. Try again, or contact the administrator."))
    return job


def _fail(job, message):
    job.status = ExportJob.Status.FAILED
    job.error = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at", "heartbeat_at"])
