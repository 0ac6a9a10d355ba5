"""Uploads are read as a stream and stop at the limits; the confirm step imports exactly the
file that was previewed (issue 18)."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerships.models import Organisation
from portal import spreadsheets
from reporting.measure_import import IMPORT_HEADERS, MAX_ROWS
from tests.factories import make_org_number
from tests.reporting import sheets_helpers

pytestmark = pytest.mark.django_db
report_a = sheets_helpers.report_a


def huge_xlsx(rows=200_000):
    """A small XLSX whose sheet claims 16 384 columns by a million rows and holds `rows`
    rows stored inline (no shared strings): the file that took 30 s and 640 MB."""
    book = openpyxl.Workbook()
    book.active.append(IMPORT_HEADERS)
    stream = io.BytesIO()
    book.save(stream)
    source = zipfile.ZipFile(io.BytesIO(stream.getvalue()))
    body = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>T</t></is></c></row>'
        for n in range(2, rows + 2)
    )
    header = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
        for i, h in enumerate(IMPORT_HEADERS)
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<dimension ref="A1:XFD1048576"/><sheetData>'
        f'<row r="1">{header}</row>{body}</sheetData></worksheet>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode()
            target.writestr(item.filename, data)
    return out.getvalue()


def test_a_huge_sheet_stops_after_the_row_limit_without_reading_the_rest():
    content = huge_xlsx()
    assert len(content) < 2 * 1024 * 1024  # passes the form's size check
    with pytest.raises(spreadsheets.SheetTooLarge) as refused:
        spreadsheets.read_rows(SimpleUploadedFile("t.xlsx", content), max_rows=MAX_ROWS)
    assert refused.value.rows_read <= MAX_ROWS + 2  # not 200 000, not a million
    assert "500" in str(refused.value)


def test_the_import_page_refuses_a_huge_sheet_with_a_norwegian_message(login, cast, report_a):
    response = login(cast.alice).post(
        reverse("reporting:measure_import", args=[report_a.pk]),
        {"file": SimpleUploadedFile("t.xlsx", huge_xlsx(5_000))},
    )
    assert response.status_code == 200
    assert "Filen har mer enn 500 rader" in " ".join(response.context["form"].errors["file"])
    assert report_a.measures.count() == 2


def test_too_many_columns_and_too_long_cells_are_refused():
    wide = ",".join(f"k{i}" for i in range(spreadsheets.MAX_COLUMNS + 5)) + "\n"
    with pytest.raises(spreadsheets.SheetTooLarge):
        spreadsheets.read_rows(SimpleUploadedFile("t.csv", wide.encode()), max_rows=10)
    long_cell = "Navn\n" + "x" * (spreadsheets.MAX_CELL_CHARS + 1) + "\n"
    with pytest.raises(spreadsheets.SheetTooLarge) as refused:
        spreadsheets.read_rows(SimpleUploadedFile("t.csv", long_cell.encode()), max_rows=10)
    assert refused.value.rows_read == 2


def _measure_csv(name):
    return SimpleUploadedFile("t.csv", f"Navn,Eier (kr)\n{name},1000\n".encode())


def test_confirm_imports_the_file_that_was_previewed_not_the_last_upload(login, cast, report_a):
    client = login(cast.alice)
    url = reverse("reporting:measure_import", args=[report_a.pk])
    confirm = reverse("reporting:measure_import_confirm", args=[report_a.pk])
    digest_a = client.post(url, {"file": _measure_csv("Fil A")}).context["digest"]
    digest_b = client.post(url, {"file": _measure_csv("Fil B")}).context["digest"]
    assert digest_a != digest_b
    response = client.post(confirm, {"digest": digest_a}, follow=True)
    assert "ikke lenger den som ble forhåndsvist" in response.content.decode()
    assert not report_a.measures.filter(name__in=["Fil A", "Fil B"]).exists()
    client.post(confirm, {"digest": digest_b})
    assert list(
        report_a.measures.filter(name__startswith="Fil ").values_list("name", flat=True)
    ) == ["Fil B"]


def test_organisation_confirm_refuses_another_files_digest(login, cast):
    client = login(cast.olga)
    url = reverse("partnerships:organisation_import")

    def upload(name):
        header = "Navn,Type,Organisasjonsnummer,Kontonummer,Merking"
        text = f"{header}\n{name},kommune,{make_org_number()},,\n"
        return SimpleUploadedFile("o.csv", text.encode())

    digest_a = client.post(url, {"file": upload("Kommune A")}).context["digest"]
    client.post(url, {"file": upload("Kommune B")})
    client.post(reverse("partnerships:organisation_import_confirm"), {"digest": digest_a})
    assert not Organisation.objects.filter(name__in=["Kommune A", "Kommune B"]).exists()
