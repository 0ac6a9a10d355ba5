"""Bulk PDF exports: ExportJob (the status the exports page shows) and the tasks that build
the ZIP on the task worker (django-tasks, `manage.py db_worker`).

A request creates the job and queues `start_export_task` in one transaction. That task marks
the job running and splits its reports into parts of EXPORT_PART_SIZE, one `export_part_task`
each, so that several workers render PDFs side by side; each part writes a ZIP of its PDFs
beside the job's file, and the part that finishes last assembles the job's ZIP. A part that
fails is retried (PART_ATTEMPTS in all), then fails the job. A partial unique constraint
allows one queued or running job per county, scheme and year, so a second request while one
runs gets the running one.
"""

import logging
import tempfile
import zipfile
from datetime import date, timedelta

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from needs.models import NeedReport

from . import pdf
from .models import ExportJob, LetterSettings

logger = logging.getLogger(__name__)

# A running job whose heartbeat is older than this has lost its worker.
STALE_AFTER = timedelta(minutes=10)
# Reports per part task: small enough to spread a county-year over the workers, large
# enough that the queue's own work stays small beside the rendering.
EXPORT_PART_SIZE = 10
PART_ATTEMPTS = 2
REMINDER_ATTEMPTS = 3
REMINDER_RETRY_AFTER = timedelta(minutes=10)


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
        start_export_task.enqueue(job_id=job.pk)
    return job, True


@task()
def start_export_task(*, job_id):
    """Mark a queued job running and queue its parts (or finish it when it has no reports)."""
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update()
            .filter(pk=job_id, status=ExportJob.Status.QUEUED)
            .first()
        )
        if job is None:
            return 0  # gone, or already started by another worker
        report_ids = [report.pk for report in export_reports(job)]
        parts = [
            report_ids[i : i + EXPORT_PART_SIZE]
            for i in range(0, len(report_ids), EXPORT_PART_SIZE)
        ]
        job.status = ExportJob.Status.RUNNING
        job.started_at = timezone.now()
        job.total = len(report_ids)
        job.progress = 0
        job.parts_total = len(parts)
        job.parts_done = 0
        job.save()
        for number, ids in enumerate(parts):
            export_part_task.enqueue(job_id=job.pk, part=number, report_ids=ids)
    if not parts:
        assemble(job)
    return len(parts)


def _part_name(job, part):
    return f"exports/parts/job-{job.pk}-{part}.zip"


@task()
def export_part_task(*, job_id, part, report_ids, attempt=1):
    """Render one part's PDFs into a ZIP of its own; the last part assembles the job."""
    job = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).first()
    if job is None:
        return 0  # failed or finished meanwhile
    done = 0
    try:
        reports = {report.pk: report for report in export_reports(job, ids=report_ids)}
        with tempfile.TemporaryFile() as buffer:
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
                for pk in report_ids:
                    report = reports.get(pk)
                    if report is not None:
                        for name, content in report_documents(report):
                            archive.writestr(f"{pk}/{name}", content)
                    ExportJob.objects.filter(pk=job.pk).update(
                        progress=F("progress") + 1, heartbeat_at=timezone.now()
                    )
                    done += 1
            buffer.seek(0)
            name = _part_name(job, part)
            default_storage.delete(name)
            default_storage.save(name, File(buffer))
    except Exception:
        if attempt < PART_ATTEMPTS:
            logger.warning("PDF export %s, part %s failed; retrying", job_id, part, exc_info=True)
            ExportJob.objects.filter(pk=job.pk).update(
                progress=F("progress") - done, heartbeat_at=timezone.now()
            )
            export_part_task.enqueue(
                job_id=job_id, part=part, report_ids=report_ids, attempt=attempt + 1
            )
        else:
            logger.exception("PDF export %s, part %s failed", job_id, part)
            _fail(job, _("The export failed. Try again, or contact the administrator."))
        raise
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job_id)
        job.parts_done += 1
        job.save(update_fields=["parts_done", "heartbeat_at"])
        last = job.parts_done == job.parts_total and job.status == ExportJob.Status.RUNNING
    if last:
        assemble(job)
    return len(report_ids)


def assemble(job):
    """Build the job's ZIP from its parts (in order), then mark it done."""
    try:
        used = set()
        with tempfile.TemporaryFile() as buffer:
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for part in range(job.parts_total):
                    with (
                        default_storage.open(_part_name(job, part), "rb") as handle,
                        zipfile.ZipFile(handle) as source,
                    ):
                        for entry in source.infolist():
                            pk, _sep, name = entry.filename.partition("/")
                            archive.writestr(_unique(name, used, pk), source.read(entry))
            buffer.seek(0)
            job.file.save(job.filename, File(buffer), save=False)
        job.status = ExportJob.Status.DONE
        job.progress = job.total
        job.finished_at = timezone.now()
        job.save()
    except Exception:
        logger.exception("PDF export %s failed while assembling", job.pk)
        _fail(job, _("The export failed. Try again, or contact the administrator."))
        raise
    finally:
        for part in range(job.parts_total):
            default_storage.delete(_part_name(job, part))
    return job


def export_reports(job, ids=None):
    reports = NeedReport.objects.all() if ids is None else NeedReport.objects.filter(pk__in=ids)
    return list(
        reports.filter(
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


def _unique(name, used, pk):
    if name in used:
        stem = name.removesuffix(".pdf")
        name = f"{stem}-{pk}.pdf"
    used.add(name)
    return name


def _fail(job, message):
    job.status = ExportJob.Status.FAILED
    job.error = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at", "heartbeat_at"])


@task()
def deadline_reminders_task(*, today=None, days_before=None, attempt=1, kinds=None):
    """Send today's deadline reminders on the worker (`manage.py deadline_reminders --queue`).
    Each reminder is recorded (ReminderSent) in the transaction that queues its mail, so a
    retry never sends one twice. `kinds`: only deadlines of these kinds (default: all)."""
    from .deadlines import DEFAULT_REMINDER_DAYS as DEADLINE_DAYS
    from .deadlines import reminders_send as deadline_reminders_send

    day = date.fromisoformat(today) if today else timezone.localdate()
    days = tuple(days_before or DEADLINE_DAYS)
    try:
        with transaction.atomic():
            reminders = deadline_reminders_send(today=day, days_before=days, kinds=kinds)
    except Exception:
        if attempt < REMINDER_ATTEMPTS:
            logger.warning("Deadline reminders for %s failed; retrying", day, exc_info=True)
            deadline_reminders_task.using(run_after=timezone.now() + REMINDER_RETRY_AFTER).enqueue(
                today=day.isoformat(), days_before=list(days), attempt=attempt + 1, kinds=kinds
            )
        else:
            logger.exception("Deadline reminders for %s failed %d times", day, attempt)
        raise
    logger.info("Deadline reminders for %s: %d sent", day, len(reminders))
    return len(reminders)
