"""The PDF documents' content: the need report, its fonts and language, what WeasyPrint
may load, and the allocation letter."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from needs.models import NeedReport
from reporting import pdf
from reporting.models import LetterSettings
from tests.needs.conftest import make_measure
from tests.reporting import pdf_helpers
from tests.reporting.pdf_helpers import (
    FAKE_PDF,
    allocate,
    pdf_text,
    submit_ready,
)

pytestmark = pytest.mark.django_db

# Fixtures shared with the other PDF modules (media is autouse).
media = pdf_helpers.media
report_a = pdf_helpers.report_a


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


def grouped(amount):
    return f"{amount:,}".replace(",", " ")


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


def test_pdf_is_written_in_the_lead_owners_language_form(cast, report_a, login, monkeypatch):
    seen = []
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: seen.append(html) or FAKE_PDF)
    cast.owner_a2.language_form = "nn"  # Træna writes nynorsk; Alstahaug (first) bokmål
    cast.owner_a2.save()
    cast.partnership_a.lead_owner = cast.owner_a2
    cast.partnership_a.save()

    login(cast.alice).get(reverse("reporting:report_pdf", args=[report_a.pk]))

    assert '<html lang="nn">' in seen[0]


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
        pdf.STATIC_BASE_URL + "vendor/designsystemet/theme.css",  # ours, but not for PDFs
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


def test_letter_without_a_named_signer_is_signed_by_the_deciding_officer_with_a_reference(
    cast, report_a, login
):
    """Issue 19: no "Statsforvalteren i Nordland" twice as the signature, and a reference."""
    allocate(submit_ready(report_a))
    NeedReport.objects.filter(pk=report_a.pk).update(decided_by=cast.olga)

    text = pdf_text(
        login(cast.alice).get(reverse("reporting:allocation_letter", args=[report_a.pk])).content
    )

    assert f"Vår ref.: 2024/KP-{report_a.pk}" in text
    assert (cast.olga.get_full_name() or cast.olga.username) in text
    assert "Saksbehandler" in text
    LetterSettings.objects.create(
        county_office=cast.county_a,
        scheme=report_a.scheme,
        year=2024,
        conditions="Vilkår.",
        case_number="2024/4711",
        signer_name="Kari Nordmann",
    )
    text = pdf_text(
        login(cast.alice).get(reverse("reporting:allocation_letter", args=[report_a.pk])).content
    )
    assert "Vår ref.: 2024/4711" in text and "Kari Nordmann" in text
