"""Deterministic demo data: Statsforvalteren i Nordland, its regions, owners, UH,
partnerships, rule settings and the demo accounts (password "demo").

Re-runnable: every object is looked up by a natural key and updated in place.
Org.nr and account numbers from seed 002 are real; the others are made up,
valid MOD11 numbers (derived from the name, so they are the same every run).
"""

import hashlib

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.services import demo_second_factor
from needs.demo import load_frames, load_seed_reports
from needs.demo_forum import load_forum_demo
from partnerships.identifiers import ACCOUNT_WEIGHTS, ORG_WEIGHTS, with_check_digit
from partnerships.models import (
    ContactPerson,
    CountyMembership,
    CountyOffice,
    Membership,
    Organisation,
    Partnership,
    Region,
    RuleSettings,
    Scheme,
)
from plans.demo import load_activity_plans
from reporting.demo import load_annual_demo, load_deadlines

DEMO_PASSWORD = "demo"  # noqa: S105 - demo accounts only, documented in the README

REGIONS = {
    "Salten": [
        "Beiarn",
        "Bodø",
        "Fauske",
        "Gildeskål",
        "Hamarøy",
        "Meløy",
        "Rødøy",
        "Saltdal",
        "Steigen",
        "Sørfold",
    ],
    "Lofoten": ["Flakstad", "Moskenes", "Røst", "Vestvågøy", "Værøy", "Vågan"],
    "Ytre Helgeland": ["Alstahaug", "Leirfjord", "Lurøy", "Træna"],
}

# From seed 002.
SEED_NUMBERS = {
    "Alstahaug kommune": ("938712441", "45162794918", "God opplæring for alle"),
    "Høgskolen i Innlandet (HINN), SePU": ("918108467", "76940500660", "God opplæring for alle"),
}

PARTNERSHIPS = [
    (
        "God opplæring for alle",
        "Ytre Helgeland",
        REGIONS["Ytre Helgeland"],
        ["Høgskolen i Innlandet (HINN), SePU"],
    ),
    ("Kompetanseutvikling i Salten", "Salten", REGIONS["Salten"], ["Nord universitet"]),
    ("Kompetansenettverk Lofoten", "Lofoten", REGIONS["Lofoten"], ["Nord universitet"]),
]

USERS = [
    # username, first name, last name, e-mail
    ("koordinator.goa", "Tone", "Dalen", "tone.dalen@alstahaug.kommune.no"),
    ("uh.hinn", "Kjersti", "Håland", "kjersti.haland@inn.no"),
    ("koordinator.salten", "Sigrid", "Saltvik", "koordinator@rkk-salten.no"),
    ("sf.nordland", "Nora", "Nordland", "sf.nordland@statsforvalteren.no"),
    ("sf.osloviken", "Olav", "Viken", "sf.osloviken@statsforvalteren.no"),
    ("admin", "Ada", "Admin", "admin@kompetanseportalen.no"),
    ("forum.nordland", "Frida", "Forum", "forum.nordland@example.no"),
    ("sf2.nordland", "Sverre", "Nordland", "sf2.nordland@statsforvalteren.no"),
]


def synthetic_number(name, weights):
    """A valid MOD11 number derived from a name: the same every run."""
    digest = int(hashlib.sha256(name.encode()).hexdigest(), 16)
    length = len(weights)
    for attempt in range(100):
        prefix = str(9 * 10 ** (length - 1) + (digest + attempt) % 10 ** (length - 1))
        number = with_check_digit(prefix, weights)
        if number:
            return number
    raise RuntimeError("no valid number found")  # pragma: no cover


def upsert_organisation(name, kind, county_office):
    org_number, account, reference = SEED_NUMBERS.get(
        name,
        (
            synthetic_number(name, ORG_WEIGHTS),
            synthetic_number("konto " + name, ACCOUNT_WEIGHTS),
            "Kompetanseutvikling",
        ),
    )
    organisation = Organisation.objects.filter(org_number=org_number).first() or Organisation(
        org_number=org_number
    )
    organisation.name = name
    organisation.kind = kind
    organisation.account_number = account
    organisation.payment_reference = reference
    organisation.county_office = county_office
    organisation.full_clean()
    organisation.save()
    return organisation


def upsert_user(username, first_name, last_name, email):
    User = get_user_model()
    user, _ = User.objects.get_or_create(username=username)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.is_superuser = user.is_staff = username == "admin"
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


@transaction.atomic
def load_demo(stdout=None):
    def say(text):
        if stdout is not None:
            stdout.write(text)

    users = {row[0]: upsert_user(*row) for row in USERS}
    say(f"{len(users)} demo accounts")

    nordland, _ = CountyOffice.objects.update_or_create(
        name="Statsforvalteren i Nordland", defaults={"county": "Nordland"}
    )
    viken, _ = CountyOffice.objects.update_or_create(
        name="Statsforvalteren i Oslo og Viken", defaults={"county": "Oslo og Viken"}
    )
    CountyMembership.objects.get_or_create(county_office=nordland, user=users["sf.nordland"])
    CountyMembership.objects.get_or_create(county_office=viken, user=users["sf.osloviken"])
    for username in ("sf.nordland", "sf.osloviken", "admin"):
        demo_second_factor(users[username])  # used when LOCAL_LOGIN_OTP is on (README)

    regions = {}
    owners = {}
    for region_name, municipalities in REGIONS.items():
        regions[region_name], _ = Region.objects.get_or_create(
            county_office=nordland, name=region_name
        )
        for municipality in municipalities:
            owners[municipality] = upsert_organisation(
                f"{municipality} kommune", Organisation.Kind.MUNICIPALITY, nordland
            )
    Region.objects.get_or_create(county_office=viken, name="Follo")
    universities = {
        name: upsert_organisation(name, Organisation.Kind.UH, None)
        for name in ["Høgskolen i Innlandet (HINN), SePU", "Nord universitet"]
    }
    say(f"{len(owners)} municipalities, {len(universities)} universities")

    ContactPerson.objects.update_or_create(
        organisation=owners["Alstahaug"],
        name="Tone Dalen",
        defaults={
            "role": "Koordinator",
            "phone": "41564665",
            "email": "tone.dalen@alstahaug.kommune.no",
        },
    )
    ContactPerson.objects.update_or_create(
        organisation=universities["Høgskolen i Innlandet (HINN), SePU"],
        name="Kjersti Håland",
        defaults={
            "role": "Prosjektleder fra SePU",
            "phone": "90037049",
            "email": "Kjersti.haland@inn.no",
        },
    )

    partnerships = {}
    for name, region_name, owner_names, uh_names in PARTNERSHIPS:
        partnership, _ = Partnership.objects.get_or_create(region=regions[region_name], name=name)
        partnership.owners.set([owners[o] for o in owner_names])
        partnership.uh_partners.set([universities[u] for u in uh_names])
        if partnership.lead_owner_id is None:  # its documents use the lead owner's form
            partnership.lead_owner = owners[owner_names[0]]
            partnership.save(update_fields=["lead_owner"])
        partnerships[name] = partnership
    goa = partnerships["God opplæring for alle"]
    salten = partnerships["Kompetanseutvikling i Salten"]
    Membership.objects.get_or_create(
        partnership=goa, user=users["koordinator.goa"], role=Membership.Role.COORDINATOR
    )
    Membership.objects.get_or_create(
        partnership=goa, user=users["uh.hinn"], role=Membership.Role.UH_CONTACT
    )
    Membership.objects.get_or_create(
        partnership=salten, user=users["koordinator.salten"], role=Membership.Role.COORDINATOR
    )
    say(f"{len(partnerships)} partnerships")

    for scheme in Scheme.objects.all():
        for year in (2024, 2025, 2026):
            RuleSettings.objects.update_or_create(
                county_office=nordland,
                scheme=scheme,
                year=year,
                defaults={
                    "min_uh_share_percent": 60,
                    "cofinancing_percent": 30 if scheme.code == Scheme.DEKOM else None,
                },
            )
    load_frames(nordland)
    reports = load_seed_reports(goa, users["koordinator.goa"])
    say(f"{len(reports)} need reports created")
    allocated = load_annual_demo(partnership=goa, users=users, county_office=nordland)
    load_forum_demo(county_office=nordland, users=users, report=allocated)
    load_deadlines(county_office=nordland, user=users["sf.nordland"])
    activities = load_activity_plans(partnerships, users)
    say(f"{activities} planned activities created")
    return {"users": users, "partnerships": partnerships, "county_office": nordland}
