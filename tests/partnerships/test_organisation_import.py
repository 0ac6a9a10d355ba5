"""The organisation import never erases: empty cells keep stored values, one row per org.nr,
only organisations the user may change are updated, a used organisation keeps its kind, and
the preview lists per row what happens (old → new) before anything is written."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerships.identifiers import format_account_number
from partnerships.models import ContactPerson, Organisation
from tests.factories import make_account_number, make_org, make_org_number
from tests.partnerships.test_views import previewed_organisations

pytestmark = pytest.mark.django_db

HEADER = "Navn;Type;Organisasjonsnummer;Kontonummer;Merking;Kontaktperson;Kontaktperson e-post"


def _semicolons(rows, bom=True):
    text = "\n".join([HEADER, *(";".join(row) for row in rows)]) + "\n"
    return SimpleUploadedFile(
        "orgs.csv", (("\ufeff" if bom else "") + text).encode(), content_type="text/csv"
    )


def _preview(client, rows):
    return client.post(reverse("partnerships:organisation_import"), {"file": _semicolons(rows)})


def test_an_empty_cell_keeps_the_stored_value_and_the_preview_shows_old_and_new(login, cast):
    org = cast.owner_a1
    org.account_number = make_account_number()
    org.payment_reference = "GOA-midler"
    org.save()
    client = login(cast.olga)
    response = _preview(client, [["Alstahaug kommune (ny)", "", org.org_number, "", "", "", ""]])
    plan = response.context["preview"]
    [row] = plan.rows
    assert row.row == 2 and not row.is_new and row.name_before == "Alstahaug kommune"
    assert [(c.old, c.new) for c in row.changes] == [
        ("Alstahaug kommune", "Alstahaug kommune (ny)")
    ]
    page = response.content.decode()
    assert "oppdatering av Alstahaug kommune" in page
    assert "Alstahaug kommune → Alstahaug kommune (ny)" in page
    org.refresh_from_db()
    assert org.name == "Alstahaug kommune"  # nothing written before the confirmation

    assert (
        client.post(
            reverse("partnerships:organisation_import_confirm"), previewed_organisations(client)
        ).status_code
        == 302
    )
    org.refresh_from_db()
    assert org.name == "Alstahaug kommune (ny)"
    assert org.account_number and org.payment_reference == "GOA-midler"
    assert org.kind == Organisation.Kind.MUNICIPALITY


def test_the_same_org_number_twice_is_refused_with_both_rows(login, cast):
    number = make_org_number()
    response = _preview(
        login(cast.olga),
        [
            ["Lurøy kommune", "kommune", number, "", "", "", ""],
            ["Rødøy kommune", "kommune", number, "", "", "", ""],
        ],
    )
    [error] = response.context["errors"]
    assert error.row == 3 and "rad 2" in error.message and "rad 3" in error.message
    assert not Organisation.objects.filter(org_number=number).exists()


def test_a_kind_change_of_a_used_organisation_is_refused_even_for_an_administrator(login, cast):
    org = cast.owner_a1
    response = _preview(login(cast.root), [[org.name, "privat", org.org_number, "", "", "", ""]])
    [error] = response.context["errors"]
    assert error.row == 2 and org.name in error.message


def test_a_kind_change_of_an_unused_organisation_is_shown(login, cast):
    org = make_org("Privat barnehage AS", county=cast.county_a)
    response = _preview(login(cast.olga), [["", "privat", org.org_number, "", "", "", ""]])
    [row] = response.context["preview"].rows
    assert [(c.old, c.new) for c in row.changes] == [("Kommune", "Privat eier")]


def test_another_countys_organisation_is_refused(login, cast):
    response = _preview(
        login(cast.olga), [["Kapret", "kommune", cast.owner_b.org_number, "", "", "", ""]]
    )
    assert response.context["errors"][0].row == 2
    cast.owner_b.refresh_from_db()
    assert cast.owner_b.name == "Stord kommune"


def test_new_rows_need_a_name_and_a_kind(login, cast):
    response = _preview(login(cast.olga), [["", "", make_org_number(), "", "", "", ""]])
    assert {e.field for e in response.context["errors"]} == {"Navn", "Type"}


def test_a_contact_is_added_and_filled_in_but_never_erased(login, cast):
    org = cast.owner_a1
    ContactPerson.objects.create(organisation=org, name="Kari Nordmann", phone="75 00 00 00")
    client = login(cast.olga)
    _preview(client, [["", "", org.org_number, "", "", "Kari Nordmann", "kari@example.no"]])
    client.post(
        reverse("partnerships:organisation_import_confirm"), previewed_organisations(client)
    )
    contact = org.contacts.get()
    assert (contact.phone, contact.email) == ("75 00 00 00", "kari@example.no")
    _preview(client, [["", "", org.org_number, "", "", "Per Hansen", ""]])
    client.post(
        reverse("partnerships:organisation_import_confirm"), previewed_organisations(client)
    )
    assert sorted(org.contacts.values_list("name", flat=True)) == ["Kari Nordmann", "Per Hansen"]


def test_new_organisations_get_the_officers_county(login, cast):
    number = make_org_number()
    account = make_account_number()
    client = login(cast.olga)
    response = _preview(
        client, [["Lurøy kommune", "Kommune", number, format_account_number(account), "", "", ""]]
    )
    assert "ny" in response.content.decode()
    client.post(
        reverse("partnerships:organisation_import_confirm"), previewed_organisations(client)
    )
    org = Organisation.objects.get(org_number=number)
    assert (org.county_office, org.account_number) == (cast.county_a, account)


def test_the_templates_are_csv_with_bom_and_semicolons_and_xlsx(login, cast):
    client = login(cast.olga)
    csv_bytes = client.get(reverse("partnerships:organisation_import_template")).content
    assert csv_bytes.startswith("\ufeff".encode())
    header = csv_bytes.decode("utf-8-sig").splitlines()[0]
    assert header.split(";")[:3] == ["Navn", "Type", "Organisasjonsnummer"]
    assert "Kontaktperson" in header
    response = client.get(reverse("partnerships:organisation_import_template_xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:3] == ["Navn", "Type", "Organisasjonsnummer"]
