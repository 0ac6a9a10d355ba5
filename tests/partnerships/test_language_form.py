"""Language form per organisation (språklova § 15): set in the form, the import and the admin;
a partnership's documents and mail use its lead owner's form."""

import pytest
from django.core import mail
from django.urls import reverse

from needs.review import report_return
from partnerships.models import Organisation
from tests.needs.conftest import make_report

from .test_organisation_access import _edit, _form_data
from .test_views import _upload, previewed_organisations

pytestmark = pytest.mark.django_db


def test_a_partnership_writes_in_its_lead_owners_form(login, cast):
    partnership = cast.partnership_a
    assert partnership.language == "nb"  # no lead owner yet: bokmål
    cast.owner_a2.language_form = "nn"
    cast.owner_a2.save()
    partnership.lead_owner = cast.owner_a2
    partnership.save()
    assert partnership.language == "nn"
    # The form makes the first owner the lead owner when none is chosen.
    login(cast.olga).post(
        reverse("partnerships:edit", args=[partnership.pk]),
        {"name": "GOA", "region": cast.region_a.pk, "owners": [cast.owner_a2.pk]},
    )
    partnership.refresh_from_db()
    assert (partnership.lead_owner, partnership.language) == (cast.owner_a2, "nn")


def test_the_officer_sets_the_form_in_the_organisation_form(login, cast):
    client = login(cast.olga)
    response = client.post(_edit(cast.owner_a2), _form_data(cast.owner_a2, language_form="nn"))
    assert response.status_code == 302
    cast.owner_a2.refresh_from_db()
    assert cast.owner_a2.language_form == "nn"
    # A post without the field (an older form) keeps it.
    client.post(_edit(cast.owner_a2), _form_data(cast.owner_a2, name="Træna"))
    cast.owner_a2.refresh_from_db()
    assert (cast.owner_a2.name, cast.owner_a2.language_form) == ("Træna", "nn")


def test_the_lead_owner_must_be_an_owner(login, cast):
    response = login(cast.olga).post(
        reverse("partnerships:edit", args=[cast.partnership_a.pk]),
        {
            "name": "GOA",
            "region": cast.region_a.pk,
            "owners": [cast.owner_a1.pk],
            "uh_partners": [cast.uh.pk],
            "lead_owner": cast.owner_a2.pk,
        },
    )
    assert response.status_code == 200
    assert "lead_owner" in response.context["form"].errors


def _import(client, rows):
    header = "Navn,Type,Organisasjonsnummer,Kontonummer,Merking,Målform\n"
    content = header + "\n".join(",".join(row) for row in rows) + "\n"
    return client.post(reverse("partnerships:organisation_import"), {"file": _upload(content)})


def test_the_import_reads_the_language_form(login, cast):
    client = login(cast.olga)
    org = cast.owner_a1
    response = _import(client, [[org.name, "kommune", org.org_number, "", "", "Nynorsk"]])
    assert not response.context.get("errors")
    client.post(
        reverse("partnerships:organisation_import_confirm"), previewed_organisations(client)
    )
    org.refresh_from_db()
    assert org.language_form == "nn"
    # An empty cell keeps it; an unknown word is an error on its row.
    _import(client, [[org.name, "kommune", org.org_number, "", "", ""]])
    client.post(
        reverse("partnerships:organisation_import_confirm"), previewed_organisations(client)
    )
    org.refresh_from_db()
    assert org.language_form == "nn"
    response = _import(client, [[org.name, "kommune", org.org_number, "", "", "samisk"]])
    assert [e.row for e in response.context["errors"]] == [2]


def test_mail_to_a_partnership_is_in_its_lead_owners_form(cast, django_capture_on_commit_callbacks):
    cast.alice.email = "alice@example.no"
    cast.alice.save()
    Organisation.objects.filter(pk=cast.owner_a1.pk).update(language_form="nn")
    cast.partnership_a.lead_owner = cast.owner_a1
    cast.partnership_a.save()
    report = make_report(cast.partnership_a, measures=[(10, 10)], status="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        report_return(report=report, user=cast.olga, message="Flytt midlar")
    assert "har sendt behovsmeldinga tilbake for endringar" in mail.outbox[0].body
