"""Importing measures from a spreadsheet: access, the template, preview, errors and confirm."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext

from measures.models import Measure
from portal.forms import MONEY_MESSAGES
from reporting.measure_import import IMPORT_HEADERS
from tests.needs.conftest import make_report
from tests.reporting import sheets_helpers
from tests.reporting.sheets_helpers import submitted

pytestmark = pytest.mark.django_db

# Fixture shared with the other spreadsheet module.
report_a = sheets_helpers.report_a


# Import ----------------------------------------------------------------------------------


def xlsx_upload(rows, headers=IMPORT_HEADERS, name="tiltak.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    stream = io.BytesIO()
    workbook.save(stream)
    return SimpleUploadedFile(name, stream.getvalue())


def csv_upload(text, name="tiltak.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding))


def import_url(report):
    return reverse("reporting:measure_import", args=[report.pk])


def confirm_url(report):
    return reverse("reporting:measure_import_confirm", args=[report.pk])


def previewed(client, report):
    """The confirm form's data: the digest of the file last previewed for the report."""
    data = client.session.get(f"measure_import_{report.pk}") or {}
    return {"digest": data.get("digest", "")}


GOOD_ROWS = [
    [
        "Nettverk språk",
        "120 000",
        125000,
        "gjennomføring av tiltak",
        "Alle ansatte",
        "Frikjøp",
        "Veiledning",
        None,
        "Ja",
        "ja",
        "",
    ],
    [
        "Pedagogisk analyse",
        "kr 50 000",
        "241 000 kr",
        "Vurdering/analyse",
        "",
        "",
        "",
        "",
        "",
        "x",
        "nei",
    ],
    ["Koordinator", 70000, 0, "planning", "", "", "", "70 000", "", "", ""],
]


@pytest.mark.parametrize(
    "who,status",
    [("alice", 200), ("ulla", 403), ("bob", 404), ("olga", 404), ("otto", 404), ("root", 403)],
)
def test_import_only_for_coordinators_of_editable_reports(login, cast, report_a, who, status):
    client = login(getattr(cast, who))
    assert client.get(import_url(report_a)).status_code == status
    response = client.post(import_url(report_a), {"file": xlsx_upload(GOOD_ROWS)})
    assert response.status_code == status
    expected = 302 if status == 200 else status
    assert client.post(confirm_url(report_a), previewed(client, report_a)).status_code == expected
    assert report_a.measures.count() == (5 if who == "alice" else 2)


def test_import_refused_once_submitted(login, cast, report_a):
    submitted(report_a)
    assert login(cast.alice).get(import_url(report_a)).status_code == 403
    assert login(cast.olga).get(import_url(report_a)).status_code == 403


def test_links_on_the_report_page(login, cast, report_a):
    page = login(cast.alice).get(reverse("needs:detail", args=[report_a.pk])).content.decode()
    assert reverse("reporting:report_measures", args=[report_a.pk, "xlsx"]) in page
    assert import_url(report_a) in page
    page = login(cast.ulla).get(reverse("needs:detail", args=[report_a.pk])).content.decode()
    assert reverse("reporting:report_measures", args=[report_a.pk, "xlsx"]) in page
    assert import_url(report_a) not in page


def test_template_has_the_import_headings(login, cast):
    client = login(cast.alice)
    response = client.get(reverse("reporting:measure_import_template", args=["xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.worksheets[0][1]] == IMPORT_HEADERS
    assert book.worksheets[0].max_row == 1
    assert book.worksheets[1].title == "Veiledning"
    response = client.get(reverse("reporting:measure_import_template", args=["csv"]))
    assert response.content.decode("utf-8-sig").splitlines() == [";".join(IMPORT_HEADERS)]


def test_clean_file_previews_then_imports_all_rows(login, cast, report_a):
    client = login(cast.alice)
    response = client.post(import_url(report_a), {"file": xlsx_upload(GOOD_ROWS)})
    assert response.status_code == 200
    preview = response.context["preview"]
    assert [m.name for m in preview["new"]] == [
        "Nettverk språk",
        "Pedagogisk analyse",
        "Koordinator",
    ]
    assert preview["total"] == 110_000 + 245_000 + 291_000 + 70_000
    assert report_a.measures.count() == 2  # the preview saves nothing

    response = client.post(confirm_url(report_a), previewed(client, report_a))
    assert response.status_code == 302 and response.url == reverse(
        "needs:detail", args=[report_a.pk]
    )
    measures = list(report_a.measures.order_by("position"))
    assert [m.position for m in measures] == [1, 2, 3, 4, 5]
    network, analysis, coordinator = measures[2:]
    assert (network.owner_amount, network.uh_amount) == (120_000, 125_000)
    assert network.purpose == Measure.Purpose.IMPLEMENTATION
    assert (network.spring_this_year, network.autumn_this_year, network.spring_next_year) == (
        True,
        True,
        False,
    )
    assert (network.target_group, network.owner_use, network.uh_use) == (
        "Alle ansatte",
        "Frikjøp",
        "Veiledning",
    )
    assert (analysis.owner_amount, analysis.uh_amount) == (50_000, 241_000)
    assert analysis.purpose == Measure.Purpose.ASSESSMENT and analysis.autumn_this_year
    assert coordinator.purpose == Measure.Purpose.PLANNING
    assert coordinator.coordinator_amount == 70_000 and coordinator.coordinator_funds_needed

    page = client.get(response.url)
    assert "3" in str(list(page.context["messages"])[0])
    assert page.context["summary"].shown  # the rules' findings are on the report page
    # A second confirm has nothing left to import.
    response = client.post(confirm_url(report_a), previewed(client, report_a))
    assert response.url == import_url(report_a)
    assert report_a.measures.count() == 5


def test_one_bad_row_changes_nothing_and_names_row_and_reason(login, cast, report_a):
    rows = [
        GOOD_ROWS[0],
        ["", "1 000", "2 000", "", "", "", "", "", "", "", ""],
        ["Dyrt tiltak", "12,50", "abc", "Kurs", "", "", "", "", "", "", ""],
        [None] * 11,
        ["Negativt", "-5", "", "", "", "", "", "", "", "", ""],
    ]
    client = login(cast.alice)
    response = client.post(import_url(report_a), {"file": xlsx_upload(rows)})
    assert response.status_code == 200
    errors = {(e.row, e.field, e.message) for e in response.context["errors"]}
    assert errors == {
        (3, "Navn", gettext("The measure needs a name.")),
        (4, "Eier (kr)", str(MONEY_MESSAGES["decimals"])),
        (4, "UH (kr)", str(MONEY_MESSAGES["invalid"])),
        (
            4,
            "Formål",
            gettext("Unknown purpose “%(value)s”. Use %(choices)s.")
            % {
                "value": "Kurs",
                "choices": "Vurdering/analyse, Planlegging av tiltak, Gjennomføring av tiltak",
            },
        ),
        (6, "Eier (kr)", str(MONEY_MESSAGES["negative"])),
    }
    assert "preview" not in response.context
    assert report_a.measures.count() == 2
    assert client.post(confirm_url(report_a), previewed(client, report_a)).status_code == 302
    assert report_a.measures.count() == 2
    page = response.content.decode()
    assert "Kurs" in page and "Eier (kr)" in page


def test_semicolon_csv_from_norwegian_excel(login, cast, report_a):
    text = "Navn;Eier (kr);UH (kr);Formål\r\nLesing;50 000;75 000;PLANLEGGING AV TILTAK\r\n\r\n"
    client = login(cast.alice)
    response = client.post(import_url(report_a), {"file": csv_upload(text, encoding="cp1252")})
    assert [m.name for m in response.context["preview"]["new"]] == ["Lesing"]
    client.post(confirm_url(report_a), previewed(client, report_a))
    measure = report_a.measures.get(name="Lesing")
    assert (measure.owner_amount, measure.uh_amount, measure.position) == (50_000, 75_000, 3)
    assert measure.purpose == Measure.Purpose.PLANNING


def test_the_measure_export_imports_back(login, cast, report_a):
    client = login(cast.alice)
    exported = client.get(reverse("reporting:report_measures", args=[report_a.pk, "xlsx"])).content
    other = make_report(cast.partnership_a, year=2025)
    response = client.post(import_url(other), {"file": SimpleUploadedFile("t.xlsx", exported)})
    assert [(m.name, m.owner_amount, m.uh_amount) for m in response.context["preview"]["new"]] == [
        ("Tiltak 1", 40_000, 60_000),
        ("Tiltak 2", 10_000, 0),
    ]


def test_file_without_name_column_or_rows(login, cast, report_a):
    client = login(cast.alice)
    response = client.post(import_url(report_a), {"file": csv_upload("Tittel,Eier\nA,1\n")})
    assert response.context["form"].errors["file"]
    response = client.post(import_url(report_a), {"file": csv_upload("Navn,Eier (kr)\n")})
    assert response.context["form"].errors["file"]
    response = client.post(import_url(report_a), {"file": csv_upload("x", name="tiltak.txt")})
    assert response.context["form"].errors["file"]
    assert report_a.measures.count() == 2


def test_an_amount_above_the_ceiling_is_refused_with_the_spreadsheets_row(login, cast, report_a):
    rows = [GOOD_ROWS[0], ["Skrivefeil", "999 999 999 999", "60 000"] + [""] * 8]
    response = login(cast.alice).post(import_url(report_a), {"file": xlsx_upload(rows)})
    [error] = response.context["errors"]
    assert (error.row, error.field) == (3, "Eier (kr)")
    assert "50 000 000 kr" in error.message
    assert report_a.measures.count() == 2


def test_the_preview_lists_each_row_as_new_with_the_spreadsheets_row(login, cast, report_a):
    rows = [GOOD_ROWS[0], [None] * 11, GOOD_ROWS[1]]
    response = login(cast.alice).post(import_url(report_a), {"file": xlsx_upload(rows)})
    assert [m.file_row for m in response.context["preview"]["new"]] == [2, 4]
    assert "<td>2</td><td>ny</td>" in response.content.decode()
    assert report_a.measures.count() == 2  # nothing written before the confirmation
