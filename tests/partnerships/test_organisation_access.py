"""Organisations: who may change which (Organisation.editable_by), through the form and the
import; a change of org.nr or account number is logged and e-mailed to the counties using it."""

import pytest
from django.core import mail
from django.urls import reverse

from needs.models import AuditEntry
from partnerships.identifiers import format_org_number
from partnerships.models import Organisation
from tests.factories import make_account_number, make_county, make_org, make_user

from .test_views import _csv, _upload

pytestmark = pytest.mark.django_db


def _form_data(org, **changes):
    data = {
        "name": org.name,
        "kind": org.kind,
        "org_number": org.org_number,
        "account_number": org.account_number,
        "payment_reference": org.payment_reference,
        "county_office": org.county_office_id or "",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def _snapshot(org):
    org.refresh_from_db()
    return (org.name, org.kind, org.org_number, org.account_number, org.county_office_id)


def _edit(org):
    return reverse("partnerships:organisation_edit", args=[org.pk])


@pytest.mark.parametrize("officer", ["olga", "otto"])
def test_an_officer_cannot_change_a_shared_uh_organisation(login, cast, officer):
    """The UH without a county (used by A's and B's partnerships): administrators only."""
    before = _snapshot(cast.uh)
    client = login(getattr(cast, officer))
    data = _form_data(cast.uh, account_number=make_account_number(), county_office=cast.county_a.pk)
    assert client.post(_edit(cast.uh), data).status_code in (403, 404)
    assert client.get(_edit(cast.uh)).status_code in (403, 404)
    assert _snapshot(cast.uh) == before
    assert not AuditEntry.objects.exists()


def test_an_officer_of_another_county_gets_404_on_an_organisation_and_nothing_changes(login, cast):
    before = _snapshot(cast.owner_a1)
    data = _form_data(cast.owner_a1, account_number=make_account_number())
    assert login(cast.otto).post(_edit(cast.owner_a1), data).status_code == 404
    assert _snapshot(cast.owner_a1) == before


def test_the_admin_changes_a_shared_uh_organisation(login, cast):
    account = make_account_number()
    response = login(cast.root).post(_edit(cast.uh), _form_data(cast.uh, account_number=account))
    assert response.status_code == 302
    cast.uh.refresh_from_db()
    assert cast.uh.account_number == account


def test_an_officer_cannot_move_an_organisation_to_another_county(login, cast):
    before = _snapshot(cast.owner_a1)
    client = login(cast.olga)
    page = client.get(_edit(cast.owner_a1))
    offered = set(page.context["form"].fields["county_office"].queryset)
    assert offered == {cast.county_a}
    response = client.post(
        _edit(cast.owner_a1), _form_data(cast.owner_a1, county_office=cast.county_b.pk)
    )
    assert response.status_code == 200
    assert "county_office" in response.context["form"].errors
    assert _snapshot(cast.owner_a1) == before


def test_an_officer_cannot_change_the_kind_of_a_used_organisation(login, cast):
    client = login(cast.olga)
    page = client.get(_edit(cast.owner_a1))
    assert page.context["form"].fields["kind"].disabled
    data = _form_data(cast.owner_a1, kind=Organisation.Kind.PRIVATE_OWNER, name="Nytt navn")
    assert client.post(_edit(cast.owner_a1), data).status_code == 302
    cast.owner_a1.refresh_from_db()
    assert (cast.owner_a1.name, cast.owner_a1.kind) == ("Nytt navn", Organisation.Kind.MUNICIPALITY)


def test_an_officer_changes_the_kind_of_an_unused_organisation(login, cast):
    unused = make_org("Rødøy kommune", county=cast.county_a)
    data = _form_data(unused, kind=Organisation.Kind.PRIVATE_OWNER)
    assert login(cast.olga).post(_edit(unused), data).status_code == 302
    unused.refresh_from_db()
    assert unused.kind == Organisation.Kind.PRIVATE_OWNER


def test_the_admin_moves_an_organisation_and_changes_a_used_ones_kind(login, cast):
    data = _form_data(
        cast.owner_a1, county_office=cast.county_b.pk, kind=Organisation.Kind.PRIVATE_OWNER
    )
    assert login(cast.root).post(_edit(cast.owner_a1), data).status_code == 302
    cast.owner_a1.refresh_from_db()
    assert (cast.owner_a1.county_office, cast.owner_a1.kind) == (
        cast.county_b,
        Organisation.Kind.PRIVATE_OWNER,
    )


def test_an_account_number_change_is_logged_and_mailed_to_the_counties_using_it(
    login, cast, django_capture_on_commit_callbacks
):
    old = cast.uh.account_number
    new = make_account_number()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.root).post(_edit(cast.uh), _form_data(cast.uh, account_number=new))
    assert response.status_code == 302
    entries = AuditEntry.objects.filter(report=None)
    assert {(e.county_office, e.old_value, e.new_value) for e in entries} == {
        (cast.county_a, old, new),
        (cast.county_b, old, new),
    }
    assert all(e.actor == cast.root and cast.uh.name in e.subject for e in entries)
    assert sorted(m.to[0] for m in mail.outbox) == ["olga@example.no", "otto@example.no"]
    assert new in mail.outbox[0].body and old in mail.outbox[0].body
    # The organisation's page shows the change log of the officer's own county.
    page = login(cast.olga).get(reverse("partnerships:organisation_list"))
    assert page.status_code == 200
    response = login(cast.root).get(_edit(cast.uh))
    assert [e.new_value for e in response.context["audit"]] == [new, new]


def test_an_officer_sees_their_countys_log_on_the_organisation_page(
    login, cast, django_capture_on_commit_callbacks
):
    new = make_account_number()
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.olga).post(_edit(cast.owner_a1), _form_data(cast.owner_a1, account_number=new))
    entry = AuditEntry.objects.get()
    assert (entry.county_office, entry.new_value) == (cast.county_a, new)
    response = login(cast.olga).get(_edit(cast.owner_a1))
    assert new in response.content.decode()
    assert [m.to for m in mail.outbox] == []  # olga made it; no one else in county A


def test_an_org_number_change_is_logged(login, cast):
    from tests.factories import make_org_number

    old, new = cast.owner_a2.org_number, make_org_number()
    login(cast.olga).post(_edit(cast.owner_a2), _form_data(cast.owner_a2, org_number=new))
    entry = AuditEntry.objects.get()
    assert (entry.old_value, entry.new_value, entry.county_office) == (old, new, cast.county_a)


def test_a_name_change_is_not_logged(login, cast):
    login(cast.olga).post(_edit(cast.owner_a2), _form_data(cast.owner_a2, name="Træna"))
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("officer", ["olga", "otto"])
def test_an_import_row_with_a_shared_uh_org_number_is_refused(login, cast, officer):
    before = _snapshot(cast.uh)
    content = _csv([["Nord universitet", "UH", cast.uh.org_number, make_account_number(), ""]])
    client = login(getattr(cast, officer))
    response = client.post(reverse("partnerships:organisation_import"), {"file": _upload(content)})
    errors = response.context["errors"]
    assert [e.row for e in errors] == [2]
    grouped = format_org_number(cast.uh.org_number)
    assert "administrator" in errors[0].message and grouped in errors[0].message
    assert (
        client.post(
            reverse("partnerships:organisation_import_confirm"), previewed_organisations(client)
        ).status_code
        == 302
    )
    assert _snapshot(cast.uh) == before
    assert not AuditEntry.objects.exists()


def test_an_import_row_of_another_countys_organisation_is_refused_with_a_message(login, cast):
    before = _snapshot(cast.owner_b)
    content = _csv(
        [
            ["Lurøy kommune", "kommune", "", "", ""],
            ["Stord", "kommune", cast.owner_b.org_number, make_account_number(), ""],
        ]
    )
    response = login(cast.olga).post(
        reverse("partnerships:organisation_import"), {"file": _upload(content)}
    )
    refused = [e for e in response.context["errors"] if e.row == 3]
    assert refused and "Stord kommune" in refused[0].message
    assert _snapshot(cast.owner_b) == before


def test_an_import_cannot_change_the_kind_of_a_used_organisation(login, cast):
    content = _csv([[cast.owner_a1.name, "privat eier", cast.owner_a1.org_number, "", ""]])
    response = login(cast.olga).post(
        reverse("partnerships:organisation_import"), {"file": _upload(content)}
    )
    assert [e.row for e in response.context["errors"]] == [2]
    assert _snapshot(cast.owner_a1)[1] == Organisation.Kind.MUNICIPALITY


def test_an_imported_account_number_change_is_logged_and_mailed(
    login, cast, django_capture_on_commit_callbacks
):
    colleague = make_user("olav")
    cast.county_a.officers.add(colleague)
    new = make_account_number()
    content = _csv([[cast.owner_a1.name, "kommune", cast.owner_a1.org_number, new, ""]])
    client = login(cast.olga)
    client.post(reverse("partnerships:organisation_import"), {"file": _upload(content)})
    assert not AuditEntry.objects.exists()  # the preview changes nothing
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("partnerships:organisation_import_confirm"), previewed_organisations(client)
        )
    assert response.status_code == 302
    assert AuditEntry.objects.get().new_value == new
    assert [m.to for m in mail.outbox] == [["olav@example.no"]]


def test_the_admin_imports_over_a_shared_uh(login, cast):
    new = make_account_number()
    content = _csv([[cast.uh.name, "UH", cast.uh.org_number, new, ""]])
    client = login(cast.root)
    client.post(reverse("partnerships:organisation_import"), {"file": _upload(content)})
    assert (
        client.post(
            reverse("partnerships:organisation_import_confirm"), previewed_organisations(client)
        ).status_code
        == 302
    )
    cast.uh.refresh_from_db()
    assert cast.uh.account_number == new


def test_an_officer_of_a_third_county_does_not_see_the_other_counties_owners(cast):
    third = make_user("tora")
    make_county("Statsforvalteren i Troms", officer=third)
    seen = set(Organisation.objects.visible_to(third))
    assert seen == {cast.uh}
    assert not Organisation.objects.editable_by(third).exists()


def previewed_organisations(client):
    """The confirm form's data: the digest of the organisation file last previewed."""
    data = client.session.get("organisation_import") or {}
    return {"digest": data.get("digest", "")}
