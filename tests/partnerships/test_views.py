import pytest
from django.urls import reverse

from partnerships.models import (
    CountyMembership,
    Membership,
    Organisation,
    Partnership,
    RuleSettings,
)
from tests.factories import make_account_number, make_org_number, make_partnership, scheme

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client, cast):
    for url in [
        reverse("portal:dashboard"),
        reverse("partnerships:list"),
        reverse("partnerships:detail", args=[cast.partnership_a.pk]),
        reverse("partnerships:organisation_list"),
        reverse("partnerships:rules_list"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


def test_list_shows_only_visible_partnerships(login, cast):
    response = login(cast.alice).get(reverse("partnerships:list"))
    assert [p.name for p in response.context["partnerships"]] == ["God opplæring for alle"]
    assert "Sunnhordland-nettverket" not in response.content.decode()

    response = login(cast.olga).get(reverse("partnerships:list"))
    assert [p.name for p in response.context["partnerships"]] == ["God opplæring for alle"]

    response = login(cast.root).get(reverse("partnerships:list"))
    assert {p.name for p in response.context["partnerships"]} == {
        "God opplæring for alle",
        "Sunnhordland-nettverket",
    }


def test_list_rows_link_escape_and_count_owners(login, cast):
    odd = make_partnership(cast.region_a, '<b>"Nett" & verk</b>', owners=[cast.owner_a1])
    # Olga is an officer of county A and also a member of a partnership there: listed once.
    Membership.objects.create(partnership=odd, user=cast.olga, role=Membership.Role.COORDINATOR)
    assert CountyMembership.objects.filter(user=cast.olga).exists()
    response = login(cast.olga).get(reverse("partnerships:list"))
    rows = {p.name: p for p in response.context["partnerships"]}
    assert sorted(p.name for p in response.context["partnerships"]) == [
        '<b>"Nett" & verk</b>',
        "God opplæring for alle",
    ]
    assert rows['<b>"Nett" & verk</b>'].owner_count == 1
    assert rows["God opplæring for alle"].owner_count == cast.partnership_a.owners.count()
    page = response.content.decode()
    assert (
        f'<td><a href="{odd.get_absolute_url()}">&lt;b&gt;&quot;Nett&quot; &amp; verk&lt;/b&gt;</a>'
        "</td><td>Ytre Helgeland</td>"
        f"<td>{cast.region_a.county_office.name}</td>"
        '<td class="num">1</td>'
    ) in page
    assert "<b>" not in page.split("<tbody>")[1].split("</tbody>")[0]


def test_detail_shows_owners_uh_and_numbers(login, cast):
    response = login(cast.ulla).get(reverse("partnerships:detail", args=[cast.partnership_a.pk]))
    page = response.content.decode()
    assert "Alstahaug kommune" in page
    assert "Høgskolen i Innlandet" in page
    org = cast.owner_a1.org_number
    assert f"{org[:3]} {org[3:6]} {org[6:]}" in page


@pytest.mark.parametrize("who", ["bob", "otto"])
def test_outsiders_get_404(login, cast, who):
    client = login(getattr(cast, who))
    assert (
        client.get(reverse("partnerships:detail", args=[cast.partnership_a.pk])).status_code == 404
    )
    assert client.get(reverse("partnerships:edit", args=[cast.partnership_a.pk])).status_code == 404


@pytest.mark.parametrize("who", ["alice", "ulla"])
def test_members_cannot_manage(login, cast, who):
    client = login(getattr(cast, who))
    assert client.get(reverse("partnerships:edit", args=[cast.partnership_a.pk])).status_code == 403
    assert client.get(reverse("partnerships:organisation_list")).status_code == 403
    assert client.get(reverse("partnerships:rules_list")).status_code == 403
    assert client.get(reverse("partnerships:create")).status_code == 403


def test_officer_edits_partnership_of_own_county(login, cast):
    client = login(cast.olga)
    url = reverse("partnerships:edit", args=[cast.partnership_a.pk])
    response = client.post(
        url,
        {
            "name": "GOA",
            "region": cast.region_a.pk,
            "owners": [cast.owner_a1.pk],
            "uh_partners": [cast.uh.pk],
            "lead_owner": cast.owner_a1.pk,
        },
    )
    assert response.status_code == 302
    cast.partnership_a.refresh_from_db()
    assert cast.partnership_a.name == "GOA"
    assert cast.partnership_a.lead_owner == cast.owner_a1
    assert list(cast.partnership_a.owners.all()) == [cast.owner_a1]


def test_officer_cannot_put_partnership_in_other_county(login, cast):
    response = login(cast.olga).post(
        reverse("partnerships:create"),
        {"name": "Snik", "region": cast.region_b.pk},
    )
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert not Partnership.objects.filter(name="Snik").exists()


def test_organisation_form_accepts_spaces_and_rejects_bad_check_digit(login, cast):
    client = login(cast.olga)
    good = make_org_number()
    response = client.post(
        reverse("partnerships:organisation_create"),
        {
            "name": "Leirfjord kommune",
            "kind": "municipality",
            "org_number": f"{good[:3]} {good[3:6]} {good[6:]}",
            "account_number": "7694.05.00660",
            "payment_reference": "GOA",
            "county_office": cast.county_a.pk,
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "0",
            "contacts-0-name": "Kari",
            "contacts-0-role": "Kommunalsjef",
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    org = Organisation.objects.get(name="Leirfjord kommune")
    assert org.org_number == good
    assert org.account_number == "76940500660"
    assert org.contacts.get().name == "Kari"

    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    response = client.post(
        reverse("partnerships:organisation_create"),
        {
            "name": "Feil kommune",
            "kind": "municipality",
            "org_number": bad,
            "account_number": "",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["org_number"]
    assert "kontrollsifferet" in errors[0]
    # What the user typed stays in the form.
    assert response.context["form"]["name"].value() == "Feil kommune"


def test_officer_cannot_edit_other_countys_organisation(login, cast):
    client = login(cast.olga)
    assert (
        client.get(reverse("partnerships:organisation_edit", args=[cast.owner_b.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("partnerships:organisation_edit", args=[cast.owner_a1.pk])).status_code
        == 200
    )


def test_rules_are_edited_by_own_county_only(login, cast):
    dekom = scheme("dekom")
    rules_b = RuleSettings.objects.create(county_office=cast.county_b, scheme=dekom, year=2025)
    client = login(cast.olga)
    response = client.post(
        reverse("partnerships:rules_create"),
        {
            "county_office": cast.county_a.pk,
            "scheme": dekom.pk,
            "year": 2025,
            "min_uh_share_percent": 65,
            "cofinancing_percent": 30,
            "coordinator_cap": "",
        },
    )
    assert response.status_code == 302
    rules = RuleSettings.for_report(cast.county_a, dekom, 2025)
    assert (rules.min_uh_share_percent, rules.cofinancing_percent) == (65, 30)
    assert client.get(reverse("partnerships:rules_edit", args=[rules_b.pk])).status_code == 404
    response = client.get(reverse("partnerships:rules_list"))
    assert list(response.context["rules"]) == [rules]


def test_rule_defaults_apply_when_county_set_none(cast):
    rules = RuleSettings.for_report(cast.county_a, scheme("rekom"), 2030)
    assert rules.pk is None
    assert rules.min_uh_share_percent == 60
    assert rules.cofinancing_percent is None


def test_rule_share_cannot_exceed_100(login, cast):
    response = login(cast.olga).post(
        reverse("partnerships:rules_create"),
        {
            "county_office": cast.county_a.pk,
            "scheme": scheme("rekom").pk,
            "year": 2025,
            "min_uh_share_percent": 120,
        },
    )
    assert response.status_code == 200
    assert (
        "min_uh_share_percent" in response.context["form"].errors
        or response.context["form"].non_field_errors()
    )
    assert not RuleSettings.objects.exists()


def _csv(rows):
    header = "Navn,Type,Organisasjonsnummer,Kontonummer,Merking\n"
    return header + "\n".join(",".join(row) for row in rows) + "\n"


def _upload(content, name="orgs.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")


def test_import_with_a_bad_row_changes_nothing(login, cast):
    client = login(cast.olga)
    before = Organisation.objects.count()
    content = _csv(
        [
            ["Lurøy kommune", "kommune", make_org_number(), make_account_number(), "GOA"],
            ["Ødelagt kommune", "kommune", "938712442", "", ""],
            ["Ukjent", "skole", make_org_number(), "", ""],
        ]
    )
    response = client.post(reverse("partnerships:organisation_import"), {"file": _upload(content)})
    errors = response.context["errors"]
    assert {e.row for e in errors} == {3, 4}  # the spreadsheet's rows: heading = 1
    assert any("kontrollsifferet" in e.message for e in errors)
    assert any("skole" in e.message for e in errors)
    assert Organisation.objects.count() == before
    assert (
        client.post(
            reverse("partnerships:organisation_import_confirm"), previewed_organisations(client)
        ).status_code
        == 302
    )
    assert Organisation.objects.count() == before


def test_clean_import_previews_then_imports_all_rows(login, cast):
    client = login(cast.olga)
    numbers = [make_org_number(), make_org_number()]
    content = _csv(
        [
            ["Lurøy kommune", "kommune", numbers[0], make_account_number(), "GOA"],
            [
                "Nord universitet",
                "UH",
                f"{numbers[1][:3]} {numbers[1][3:6]} {numbers[1][6:]}",
                "",
                "",
            ],
        ]
    )
    response = client.post(reverse("partnerships:organisation_import"), {"file": _upload(content)})
    assert response.context["preview"].totals["new"] == 2
    assert not Organisation.objects.filter(org_number__in=numbers).exists()

    response = client.post(
        reverse("partnerships:organisation_import_confirm"), previewed_organisations(client)
    )
    assert response.status_code == 302
    imported = Organisation.objects.filter(org_number__in=numbers).order_by("name")
    assert [(o.name, o.kind, o.county_office_id) for o in imported] == [
        ("Lurøy kommune", "municipality", cast.county_a.pk),
        ("Nord universitet", "uh", None),
    ]


def test_import_cannot_overwrite_other_countys_organisation(login, cast):
    content = _csv([["Kapret", "kommune", cast.owner_b.org_number, "", ""]])
    response = login(cast.olga).post(
        reverse("partnerships:organisation_import"), {"file": _upload(content)}
    )
    assert response.context["errors"]
    cast.owner_b.refresh_from_db()
    assert cast.owner_b.name == "Stord kommune"


def test_rule_errors_are_sentences_in_norwegian(login, cast):
    """No English field names or constraint names: the label, a too high share, a duplicate."""
    dekom = scheme("dekom")
    RuleSettings.objects.create(county_office=cast.county_a, scheme=dekom, year=2025)
    client = login(cast.olga)
    page = client.get(reverse("partnerships:rules_create")).content.decode()
    assert "County office" not in page and "Statsforvalteren" in page
    data = {"county_office": cast.county_a.pk, "scheme": dekom.pk, "year": 2026}
    response = client.post(
        reverse("partnerships:rules_create"), {**data, "min_uh_share_percent": 150}
    )
    text = response.content.decode()
    assert "min_uh_share_percent_lte_100" not in text and "mer enn 100 prosent" in text
    response = client.post(
        reverse("partnerships:rules_create"), {**data, "year": 2025, "min_uh_share_percent": 60}
    )
    text = response.content.decode()
    assert "County office" not in text and "har allerede regler" in text


def previewed_organisations(client):
    """The confirm form's data: the digest of the organisation file last previewed."""
    data = client.session.get("organisation_import") or {}
    return {"digest": data.get("digest", "")}
