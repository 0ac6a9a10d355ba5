"""Stored PDFs of submitted versions, and the county office's bulk export jobs."""

import hashlib
import io
import zipfile
from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from reporting import pdf, tasks
from reporting.models import ExportJob, StoredPdf
from tests.factories import make_partnership, make_user, scheme
from tests.needs.conftest import make_report
from tests.reporting import pdf_helpers
from tests.reporting.pdf_helpers import (
    FAKE_PDF,
    Status,
    allocate,
    body,
    pdf_text,
    submit,
    submit_ready,
)

pytestmark = pytest.mark.django_db

# Fixtures shared with the other PDF modules (media is autouse).
media = pdf_helpers.media
fast_render = pdf_helpers.fast_render
report_a = pdf_helpers.report_a


# Drafts and submitted versions -------------------------------------------------------------


def test_draft_carries_utkast_and_submitted_state_does_not(cast, report_a, login):
    client = login(cast.alice)
    url = reverse("reporting:report_pdf", args=[report_a.pk])

    draft = client.get(url)
    assert "UTKAST" in pdf_text(draft.content)
    assert draft["Content-Disposition"].endswith('-utkast.pdf"')

    submit(report_a, cast.alice)
    current = client.get(url)
    assert "UTKAST" not in pdf_text(current.content)
    assert current["Content-Disposition"].endswith('-dekom-2024.pdf"')


def test_submitted_version_is_rendered_once_and_served_identically(
    cast, report_a, login, monkeypatch
):
    submit(report_a, cast.alice)
    client = login(cast.alice)
    url = reverse("reporting:version_pdf", args=[report_a.pk, 1])

    first = client.get(url)
    assert first.status_code == 200
    assert first["Content-Disposition"] == (
        'attachment; filename="behovsmelding-god-opplaering-for-alle-dekom-2024-v1.pdf"'
    )
    first_bytes = body(first)
    stored = StoredPdf.objects.get(version__report=report_a, version__number=1)
    assert stored.sha256 == hashlib.sha256(first_bytes).hexdigest()
    text = pdf_text(first_bytes)
    assert "Tiltak 1" in text or "Measure 1" in text
    assert "UTKAST" not in text
    assert "Side 1/" in text

    def no_render(*args, **kwargs):
        raise AssertionError("a stored version must not be rendered again")

    monkeypatch.setattr(pdf, "render_need_report", no_render)
    second = login(cast.olga).get(url)
    assert body(second) == first_bytes
    assert second["ETag"] == f'"{stored.sha256}"'
    assert StoredPdf.objects.count() == 1


def test_stored_version_is_served_without_reading_the_snapshot(
    cast, report_a, login, django_assert_num_queries, fast_render
):
    submit(report_a, cast.alice)
    client = login(cast.alice)
    url = reverse("reporting:version_pdf", args=[report_a.pk, 1])
    assert body(client.get(url)) == FAKE_PDF  # rendered from the (deferred) snapshot
    # Session, user, its roles, the report, the version, its stored PDF.
    with django_assert_num_queries(6) as queries:
        assert body(client.get(url)) == FAKE_PDF
    assert not any('"snapshot"' in query["sql"] for query in queries.captured_queries)


def test_version_pdf_comes_from_the_snapshot_not_the_live_report(cast, report_a, login):
    submit(report_a, cast.alice)
    report_a.status = Status.RETURNED
    report_a.save()
    report_a.measures.update(name="Endret etter innsending")

    content = body(login(cast.alice).get(reverse("reporting:version_pdf", args=[report_a.pk, 1])))

    text = pdf_text(content)
    assert "Tiltak 1" in text
    assert "Endret etter innsending" not in text


def test_rendering_a_version_is_deterministic(cast, report_a):
    version = submit(report_a, cast.alice).versions.get()
    stored = pdf.stored_version_pdf(version)

    assert pdf.render_version(version) == stored.file.open("rb").read()


def test_lost_stored_file_is_rendered_again(cast, report_a, login):
    version = submit(report_a, cast.alice).versions.get()
    stored = pdf.stored_version_pdf(version)
    stored.file.storage.delete(stored.file.name)

    response = login(cast.alice).get(reverse("reporting:version_pdf", args=[report_a.pk, 1]))

    assert body(response).startswith(b"%PDF")
    assert StoredPdf.objects.get().sha256 == stored.sha256


# Bulk export -------------------------------------------------------------------------------


def test_second_request_while_one_is_active_does_not_start_a_duplicate(cast, login, report_a):
    submit_ready(report_a)  # an empty ZIP cannot be ordered
    client = login(cast.olga)
    data = {"county_office": cast.county_a.pk, "scheme": scheme("dekom").pk, "year": 2024}

    assert client.post(reverse("reporting:pdf_exports"), data).status_code == 302
    assert client.post(reverse("reporting:pdf_exports"), data).status_code == 302
    job = ExportJob.objects.get()
    job.status = ExportJob.Status.RUNNING
    job.save()
    again, created = tasks.export_request(
        county_office=cast.county_a, scheme=scheme("dekom"), year=2024, user=cast.root
    )

    assert (again, created) == (job, False)
    assert ExportJob.objects.count() == 1


def test_database_refuses_two_active_exports(cast):
    fields = {"county_office": cast.county_a, "scheme": scheme("dekom"), "year": 2024}
    ExportJob.objects.create(**fields)
    with pytest.raises(IntegrityError):
        ExportJob.objects.create(**fields, status=ExportJob.Status.RUNNING)


def test_finished_or_stalled_exports_do_not_block_a_new_one(cast):
    fields = {"county_office": cast.county_a, "scheme": scheme("dekom"), "year": 2024}
    ExportJob.objects.create(**fields, status=ExportJob.Status.DONE)
    stalled = ExportJob.objects.create(**fields, status=ExportJob.Status.RUNNING)
    ExportJob.objects.filter(pk=stalled.pk).update(
        heartbeat_at=timezone.now() - tasks.STALE_AFTER - timedelta(minutes=1)
    )

    job, created = tasks.export_request(**fields, user=cast.olga)

    assert created and job != stalled
    stalled.refresh_from_db()
    assert stalled.status == ExportJob.Status.FAILED


@pytest.mark.parametrize("part_size", [10, 1])
def test_export_job_builds_a_zip_of_pdfs(
    cast, report_a, part_size, monkeypatch, django_capture_on_commit_callbacks
):
    """The job runs on the real database task worker, in one part or in one per report."""
    monkeypatch.setattr(tasks, "EXPORT_PART_SIZE", part_size)
    submit(report_a, cast.alice)
    carol = make_user("carol")
    other = make_partnership(
        cast.region_a, "Helgeland nord", owners=[cast.owner_a2], uh=[cast.uh], coordinators=[carol]
    )
    allocated = allocate(submit_ready(make_report(other, measures=[(10_000, 20_000)])))
    make_report(make_partnership(cast.region_a, "Utkastnettverket"), measures=[(1, 1)])  # draft
    make_report(cast.partnership_b, measures=[(5, 5)], status=Status.SUBMITTED)  # other county
    make_report(cast.partnership_a, "rekom", measures=[(5, 5)], status=Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):  # the worker runs on commit
        job, _ = tasks.export_request(
            county_office=cast.county_a, scheme=scheme("dekom"), year=2024, user=cast.olga
        )

    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert (job.progress, job.total) == (2, 2)
    assert (job.parts_done, job.parts_total) == ((1, 1) if part_size == 10 else (2, 2))
    with zipfile.ZipFile(job.file.open("rb")) as archive:
        names = sorted(archive.namelist())
        assert names == [
            "behovsmelding-god-opplaering-for-alle-dekom-2024-v1.pdf",
            "behovsmelding-helgeland-nord-dekom-2024.pdf",
            "tildelingsbrev-helgeland-nord-dekom-2024.pdf",
        ]
        for name in names:
            content = archive.read(name)
            assert content.startswith(b"%PDF")
            assert len(PdfReader(io.BytesIO(content)).pages) >= 1
        version = report_a.versions.get()
        assert archive.read(names[0]) == pdf.stored_version_pdf(version).file.open("rb").read()
    assert allocated.partnership.name == "Helgeland nord"


def test_failed_export_is_retried_then_marked_failed(
    cast, report_a, monkeypatch, django_capture_on_commit_callbacks
):
    submit_ready(report_a)
    calls = []

    def broken(report):
        calls.append(report.pk)
        return 1 / 0

    monkeypatch.setattr(tasks, "report_documents", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = tasks.export_request(
            county_office=cast.county_a, scheme=scheme("dekom"), year=2024, user=cast.olga
        )

    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.error and job.progress == 0
    assert len(calls) == tasks.PART_ATTEMPTS  # the part was retried once
    failed = DBTaskResult.objects.filter(task_path__endswith="export_part_task")
    assert [r.status for r in failed] == ["FAILED"] * tasks.PART_ATTEMPTS
    assert "ZeroDivisionError" in failed[0].traceback


def test_exports_page_lists_jobs_with_progress_in_few_queries(
    cast, login, django_assert_num_queries
):
    client = login(cast.olga)
    for year, status, progress in [(2022, "done", 3), (2023, "failed", 0), (2024, "running", 2)]:
        ExportJob.objects.create(
            county_office=cast.county_a,
            scheme=scheme("dekom"),
            year=year,
            status=status,
            progress=progress,
            total=3,
            requested_by=cast.olga,
        )
    ExportJob.objects.create(county_office=cast.county_b, scheme=scheme("dekom"), year=2024)

    # session, user, its roles, latest year, jobs, two select lists (each read twice by
    # crispy).
    with django_assert_num_queries(9):
        page = client.get(reverse("reporting:pdf_exports")).content.decode()

    assert page.count("<tr>") == 4  # header + three jobs of Nordland, none of Vestland
    assert 'max="3" value="2"' in page
    assert 'hx-trigger="every 3s"' in page  # follows the running job
    assert cast.county_b.name not in page.split('data-testid="export-jobs"')[1]
