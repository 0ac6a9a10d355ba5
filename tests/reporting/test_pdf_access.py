"""Who may fetch which PDF, the letter settings and the exports; the links on the report page."""

import io

import pytest
from django.urls import reverse

from reporting.models import ExportJob, LetterSettings
from tests.factories import scheme
from tests.reporting import pdf_helpers
from tests.reporting.pdf_helpers import (
    FAKE_PDF,
    Status,
    allocate,
    body,
    submit,
    submit_ready,
)

pytestmark = pytest.mark.django_db

# Fixtures shared with the other PDF modules (media is autouse).
media = pdf_helpers.media
fast_render = pdf_helpers.fast_render
report_a = pdf_helpers.report_a


# Permissions -------------------------------------------------------------------------------


def urls_for(report, job=None):
    urls = {
        "report_pdf": reverse("reporting:report_pdf", args=[report.pk]),
        "version_pdf": reverse("reporting:version_pdf", args=[report.pk, 1]),
        "allocation_letter": reverse("reporting:allocation_letter", args=[report.pk]),
        "letter_settings": reverse(
            "reporting:letter_settings",
            args=[report.partnership.region.county_office_id, "dekom", 2024],
        ),
        "pdf_exports": reverse("reporting:pdf_exports"),
    }
    if job is not None:
        urls["pdf_export_download"] = reverse("reporting:pdf_export_download", args=[job.pk])
    return urls


def test_anonymous_users_are_sent_to_log_in(cast, report_a, client):
    job = ExportJob.objects.create(county_office=cast.county_a, scheme=scheme("dekom"), year=2024)
    for url in urls_for(report_a, job).values():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize(
    ("user", "expected"),
    [("alice", 200), ("ulla", 200), ("olga", 404), ("otto", 404), ("bob", 404), ("root", 200)],
)
def test_draft_pdf_access(cast, report_a, login, fast_render, user, expected):
    """Case officers do not see drafts, as on the report page."""
    response = login(getattr(cast, user)).get(reverse("reporting:report_pdf", args=[report_a.pk]))
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("user", "expected"),
    [("alice", 200), ("ulla", 200), ("olga", 200), ("otto", 404), ("bob", 404), ("root", 200)],
)
def test_submitted_report_pdf_access(cast, report_a, login, fast_render, user, expected):
    submit(report_a, cast.alice)
    client = login(getattr(cast, user))

    current = client.get(reverse("reporting:report_pdf", args=[report_a.pk]))
    version = client.get(reverse("reporting:version_pdf", args=[report_a.pk, 1]))

    assert current.status_code == expected
    assert version.status_code == expected
    if expected == 200:
        assert body(version) == FAKE_PDF


def test_unknown_version_is_404(cast, report_a, login, fast_render):
    submit(report_a, cast.alice)
    response = login(cast.alice).get(reverse("reporting:version_pdf", args=[report_a.pk, 2]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("user", "allocated", "submitted"),
    [
        ("alice", 200, 404),
        ("ulla", 200, 404),
        ("olga", 200, 200),
        ("root", 200, 200),
        ("otto", 404, 404),
        ("bob", 404, 404),
    ],
)
def test_allocation_letter_access(cast, report_a, login, fast_render, user, allocated, submitted):
    client = login(getattr(cast, user))
    url = reverse("reporting:allocation_letter", args=[report_a.pk])

    assert client.get(url).status_code == 404  # a draft has no letter
    submit_ready(report_a)
    assert client.get(url).status_code == submitted
    allocate(report_a)
    assert client.get(url).status_code == allocated


def test_rejected_report_has_no_letter(cast, report_a, login, fast_render):
    report_a.status = Status.REJECTED
    report_a.save()
    assert (
        login(cast.olga).get(reverse("reporting:allocation_letter", args=[report_a.pk])).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("user", "expected"),
    [("alice", 403), ("ulla", 403), ("bob", 403), ("olga", 200), ("otto", 404), ("root", 200)],
)
def test_letter_settings_access(cast, login, user, expected):
    url = reverse("reporting:letter_settings", args=[cast.county_a.pk, "dekom", 2024])
    client = login(getattr(cast, user))

    assert client.get(url).status_code == expected
    post = client.post(url, {"conditions": "X", "signer_name": "", "signer_title": ""})
    assert post.status_code == (302 if expected == 200 else expected)
    assert LetterSettings.objects.exists() == (expected == 200)


@pytest.mark.parametrize(
    ("user", "expected"),
    [("alice", 403), ("ulla", 403), ("bob", 403), ("olga", 200), ("otto", 200), ("root", 200)],
)
def test_exports_page_access(cast, login, user, expected):
    assert login(getattr(cast, user)).get(reverse("reporting:pdf_exports")).status_code == expected


@pytest.mark.parametrize(
    ("user", "expected"),
    [("alice", 403), ("ulla", 403), ("bob", 403), ("olga", 200), ("otto", 404), ("root", 200)],
)
def test_export_download_access(cast, login, media, user, expected):
    job = ExportJob.objects.create(
        county_office=cast.county_a, scheme=scheme("dekom"), year=2024, status="done"
    )
    job.file.save("x.zip", io.BytesIO(b"PK\x05\x06" + b"\0" * 18))

    response = login(getattr(cast, user)).get(
        reverse("reporting:pdf_export_download", args=[job.pk])
    )

    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Disposition"] == (
            f'attachment; filename="behovsmeldinger-dekom-2024-{job.pk}.zip"'
        )


def test_officer_cannot_export_another_county(cast, login):
    response = login(cast.otto).post(
        reverse("reporting:pdf_exports"),
        {"county_office": cast.county_a.pk, "scheme": scheme("dekom").pk, "year": 2024},
    )

    assert response.status_code == 200  # the form again, with an error
    assert not ExportJob.objects.exists()


def test_unfinished_export_cannot_be_downloaded(cast, login):
    job = ExportJob.objects.create(county_office=cast.county_a, scheme=scheme("dekom"), year=2024)
    response = login(cast.olga).get(reverse("reporting:pdf_export_download", args=[job.pk]))
    assert response.status_code == 404


# Links on the report page ------------------------------------------------------------------


def test_report_page_links_to_pdfs(cast, report_a, login):
    page = login(cast.alice).get(report_a.get_absolute_url()).content.decode()
    assert reverse("reporting:report_pdf", args=[report_a.pk]) in page
    assert reverse("reporting:allocation_letter", args=[report_a.pk]) not in page

    submit(report_a, cast.alice)
    allocate(report_a)
    page = login(cast.alice).get(report_a.get_absolute_url()).content.decode()
    assert reverse("reporting:version_pdf", args=[report_a.pk, 1]) in page
    assert reverse("reporting:allocation_letter", args=[report_a.pk]) in page
    assert reverse("reporting:pdf_exports") not in page

    officer_page = login(cast.olga).get(report_a.get_absolute_url()).content.decode()
    assert reverse("reporting:pdf_exports") in officer_page
    assert reverse("reporting:letter_settings", args=[cast.county_a.pk, "dekom", 2024]) in (
        officer_page
    )
