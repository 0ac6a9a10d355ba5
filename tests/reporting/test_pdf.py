import hashlib
import io
import zipfile
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from needs.models import Allocation, NeedReport
from needs.services import need_report_submit
from reporting import pdf, tasks
from reporting.models import ExportJob, LetterSettings, StoredPdf
from tests.factories import confirm_uh, make_partnership, make_user, scheme
from tests.needs.conftest import make_measure, make_report

pytestmark = pytest.mark.django_db

Status = NeedReport.Status
FAKE_PDF = b"%PDF-1.7 fake for permission tests"

# (name, owner, UH) of seed 002's eight measures.
SEED_MEASURES = [
    ("Datainnsamling for å analysere egne behov", 50_000, 174_000),
    (
        "Tverrkommunalt nettverk barnehage og 1.–4. trinn: språk, lesing og skriving",
        120_000,
        125_000,
    ),
    ("Tverrkommunalt nettverk 5.–10. trinn i språk, lesing og skriving", 120_000, 125_000),
    ("Kompetansedag / arbeidsverksted språk, lesing og skriving", 75_000, 114_000),
    ("Pedagogisk analyse", 50_000, 241_000),
    ("Prøve ut arbeidsmåter innenfor språk, lesing og skriving (inkludering)", 90_000, 90_000),
    ("Magisk måned", 50_000, 50_000),
    ("Koordinator", 70_000, 0),
]


def pdf_text(content):
    """All text of a PDF, with no-break spaces and line breaks as plain single spaces."""
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\u00a0", " ").split())


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def grouped(amount):
    return f"{amount:,}".replace(",", " ")


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
    report.status = Status.ALLOCATED
    report.decided_at = timezone.now()
    report.save()
    return report


# Acceptance --------------------------------------------------------------------------------


def test_acceptance_seed_report_pdf_has_measures_totals_summary_and_page_numbers(client):
    call_command("demo", verbosity=0)
    report = NeedReport.objects.get(
        partnership__name="God opplæring for alle", scheme__code="dekom", year=2024
    )
    assert client.login(username="koordinator.goa", password="demo")

    response = client.get(reverse("reporting:report_pdf", args=[report.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="behovsmelding-god-opplaering-for-alle-dekom-2024-utkast.pdf"'
    )
    text = pdf_text(response.content)
    for name, owner, uh in SEED_MEASURES:
        assert name in text
        assert f"{grouped(owner)} kr" in text
        assert f"{grouped(uh)} kr" in text
        assert f"{grouped(owner + uh)} kr" in text
    for figure in ["625 000", "919 000", "1 544 000", "1 430 000", "1 993 000", "3 423 000"]:
        assert figure in text
    assert "1 430 000 1 993 000 3 423 000" in text  # the Sum row of the summary table
    assert "Side 1/" in text
    assert "938 712 441" in text and "4516 27 94918" in text  # owner org.nr and account
    assert "Trond Ivar Myhre" in text  # co-determination
    assert "PPTYH" in text  # units included
    assert "UTKAST" in text  # the demo report is a draft


def test_pdf_embeds_our_fonts_and_keeps_norwegian_letters(cast, report_a, login):
    report_a.owner_payment_reference = "Bærum/Ås/Øksnes"
    report_a.save()
    content = login(cast.alice).get(reverse("reporting:report_pdf", args=[report_a.pk])).content

    assert "Bærum/Ås/Øksnes" in pdf_text(content)
    fonts = PdfReader(io.BytesIO(content)).pages[0]["/Resources"]["/Font"]
    for font in fonts.values():
        font = font.get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "Portal-Sans" in font["/BaseFont"]
        assert "/FontFile2" in descriptor  # embedded TrueType


def test_pdf_is_written_in_the_partnerships_language(cast, report_a, login, monkeypatch):
    seen = []
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: seen.append(html) or FAKE_PDF)
    cast.partnership_a.language = "nn"
    cast.partnership_a.save()

    login(cast.alice).get(reverse("reporting:report_pdf", args=[report_a.pk]))

    assert '<html lang="nn">' in seen[0]


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
    # Session, user with its roles, the report, the version, its stored PDF.
    with django_assert_num_queries(5) as queries:
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


# Security: user text is text, WeasyPrint loads only our static files ----------------------


def test_user_text_is_escaped_and_its_urls_are_never_fetched(cast, report_a, login, monkeypatch):
    make_measure(
        report_a,
        1_000,
        2_000,
        position=2,
        anchoring='<img src="http://example.com/x.png">',
        owner_use="file:///etc/passwd",
        uh_use='<link rel="stylesheet" href="file:///etc/passwd">',
    )
    fetched = []
    original = pdf.StaticFilesFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf.StaticFilesFetcher, "fetch", spy)

    content = login(cast.alice).get(reverse("reporting:report_pdf", args=[report_a.pk])).content

    text = pdf_text(content)
    assert '<img src="http://example.com/x.png">' in text
    assert "file:///etc/passwd" in text
    assert '<link rel="stylesheet" href="file:///etc/passwd">' in text
    assert fetched  # the CSS and the fonts
    assert all(url.startswith(pdf.STATIC_BASE_URL + "reporting/") for url in fetched)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.png",
        "https://example.com/x.css",
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "data:text/css,body{}",
        pdf.STATIC_BASE_URL + "reporting/../../etc/passwd",
        pdf.STATIC_BASE_URL + "reporting/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        pdf.STATIC_BASE_URL + "vendor/bootstrap/bootstrap.min.css",  # ours, but not for PDFs
        pdf.STATIC_BASE_URL + "reporting/does-not-exist.css",
    ],
)
def test_fetcher_refuses_everything_but_our_pdf_assets(url):
    with pytest.raises(pdf.RefusedURL):
        pdf.StaticFilesFetcher()(url)


def test_fetcher_serves_the_print_css_and_fonts():
    fetcher = pdf.StaticFilesFetcher()

    font = fetcher(pdf.STATIC_BASE_URL + "reporting/fonts/DejaVuSans-Bold.ttf")
    css = fetcher(pdf.STATIC_BASE_URL + "reporting/pdf.css")

    assert font.read(4) == b"\x00\x01\x00\x00"
    assert css.content_type == "text/css"
    assert b"@font-face" in css.read()


# Allocation letter -------------------------------------------------------------------------


def test_allocation_letter_has_amounts_payees_conditions_and_signature(cast, report_a, login):
    make_measure(report_a, 30_000, 0, position=2, name="Koordinering")
    allocate(submit_ready(report_a))
    LetterSettings.objects.create(
        county_office=cast.county_a,
        scheme=report_a.scheme,
        year=2024,
        conditions="Midlene skal rapporteres innen 1. februar 2025.",
        signer_name="Kari Nordmann",
        signer_title="Seniorrådgiver",
    )

    response = login(cast.ulla).get(reverse("reporting:allocation_letter", args=[report_a.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="tildelingsbrev-god-opplaering-for-alle-dekom-2024.pdf"'
    )
    text = pdf_text(response.content)
    for expected in [
        "Tiltak 1",
        "Koordinering",
        "70 000 kr",  # owner: 40 000 + 30 000
        "60 000 kr",  # UH
        "130 000",  # total
        "938 712 441",
        "4516 27 94918",
        "918 108 467",
        "Midlene skal rapporteres innen 1. februar 2025.",
        "Kari Nordmann",
        "Seniorrådgiver",
        "Statsforvalteren i Nordland",
    ]:
        assert expected in text
    assert "UTKAST" not in text


def submit_ready(report):
    report.status = Status.SUBMITTED
    report.save()
    return report


def test_letter_uses_default_conditions_until_the_county_sets_them(cast, report_a, login):
    allocate(submit_ready(report_a))

    content = login(cast.alice).get(reverse("reporting:allocation_letter", args=[report_a.pk]))

    assert "samarbeidsforum" in pdf_text(content.content)


def test_letter_preview_for_officer_before_allocation_is_marked_draft(cast, report_a, login):
    submit_ready(report_a)

    response = login(cast.olga).get(reverse("reporting:allocation_letter", args=[report_a.pk]))

    assert response.status_code == 200
    assert "UTKAST" in pdf_text(response.content)


def test_officer_edits_letter_settings(cast, login):
    client = login(cast.olga)
    url = reverse("reporting:letter_settings", args=[cast.county_a.pk, "dekom", 2024])

    page = client.get(url)
    assert page.status_code == 200
    assert "samarbeidsforum" in page.content.decode()  # the default text to start from

    response = client.post(
        url, {"conditions": "Egne vilkår.", "signer_name": "Olga S", "signer_title": "Rådgiver"}
    )

    assert response.status_code == 302
    saved = LetterSettings.objects.get()
    assert (saved.county_office, saved.scheme.code, saved.year) == (cast.county_a, "dekom", 2024)
    assert saved.conditions == "Egne vilkår."
    assert saved.updated_by == cast.olga


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


# Bulk export -------------------------------------------------------------------------------


def test_second_request_while_one_is_active_does_not_start_a_duplicate(cast, login):
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


def test_export_job_builds_a_zip_of_pdfs(cast, report_a):
    submit(report_a, cast.alice)
    carol = make_user("carol")
    other = make_partnership(
        cast.region_a, "Helgeland nord", owners=[cast.owner_a2], uh=[cast.uh], coordinators=[carol]
    )
    allocated = allocate(submit_ready(make_report(other, measures=[(10_000, 20_000)])))
    make_report(make_partnership(cast.region_a, "Utkastnettverket"), measures=[(1, 1)])  # draft
    make_report(cast.partnership_b, measures=[(5, 5)], status=Status.SUBMITTED)  # other county
    make_report(cast.partnership_a, "rekom", measures=[(5, 5)], status=Status.SUBMITTED)
    job, _ = tasks.export_request(
        county_office=cast.county_a, scheme=scheme("dekom"), year=2024, user=cast.olga
    )

    call_command("run_export_jobs", "--once", verbosity=0)

    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert (job.progress, job.total) == (2, 2)
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


def test_failed_export_is_marked_failed(cast, report_a, monkeypatch):
    submit_ready(report_a)
    monkeypatch.setattr(tasks, "report_documents", lambda report: 1 / 0)
    job, _ = tasks.export_request(
        county_office=cast.county_a, scheme=scheme("dekom"), year=2024, user=cast.olga
    )

    tasks.process_queued()

    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.error


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

    # session, user (with its roles), latest year, jobs, two select lists (each read twice
    # by crispy).
    with django_assert_num_queries(8):
        page = client.get(reverse("reporting:pdf_exports")).content.decode()

    assert page.count("<tr>") == 4  # header + three jobs of Nordland, none of Vestland
    assert 'max="3" value="2"' in page
    assert 'hx-trigger="every 3s"' in page  # follows the running job
    assert cast.county_b.name not in page.split('data-testid="export-jobs"')[1]
