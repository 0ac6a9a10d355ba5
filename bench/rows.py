"""What the benchmark data is made of (`bench.dataset` puts it together): its sizes
and texts, and the builders of its rows (users, organisations, measures, allocations,
comments, rule settings and frames, and seed 002's report).
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from measures.models import Measure
from needs.demo import load_seed_reports
from needs.models import (
    Allocation,
    Comment,
    Frame,
    NeedReport,
    ReportVersion,
)
from needs.selectors import report_summary
from needs.services import build_snapshot
from partnerships.identifiers import ACCOUNT_WEIGHTS, ORG_WEIGHTS, with_check_digit
from partnerships.models import (
    ContactPerson,
    LanguageForm,
    Membership,
    Organisation,
    Partnership,
    RuleSettings,
    Scheme,
)

COUNTIES = [
    "Agder",
    "Innlandet",
    "Møre og Romsdal",
    "Nordland",
    "Oslo og Viken",
    "Rogaland",
    "Troms og Finnmark",
    "Trøndelag",
    "Vestfold og Telemark",
    "Vestland",
]
REGIONS_PER_COUNTY = 3
MUNICIPALITIES = 357
UNIVERSITIES = [
    "Universitetet i Agder",
    "Høgskolen i Innlandet",
    "Nord universitet",
    "NTNU",
    "Universitetet i Bergen",
    "UiT Norges arktiske universitet",
    "OsloMet",
    "Universitetet i Stavanger",
    "Universitetet i Sørøst-Norge",
    "Høgskulen på Vestlandet",
]
PARTNERSHIPS_PER_SCALE = 90
YEARS = range(2017, 2027)
MEASURES_PER_REPORT = (7, 9)  # inclusive range: 8 on average
BIG_REPORT_MEASURES = 30
BIG_REPORT_SCHEME = Scheme.DEKOM
BIG_REPORT_YEAR = YEARS[-1]
LARGE_COUNTY = "Oslo og Viken"
LARGE_YEAR = YEARS[-2]
LARGE_COUNTY_REPORTS = 300
BATCH = 2000

MEASURE_NAMES = [
    "Datainnsamling for å analysere egne behov",
    "Tverrkommunalt nettverk barnehage og 1.–4. trinn: språk, lesing og skriving",
    "Tverrkommunalt nettverk 5.–10. trinn i språk, lesing og skriving",
    "Kompetansedag og arbeidsverksted",
    "Pedagogisk analyse",
    "Prøve ut arbeidsmåter for inkludering",
    "Lærende nettverk for ledere",
    "Profesjonsfellesskap i praksis",
    "Veiledning av ressurspersoner",
    "Koordinator",
]
TARGET_GROUPS = ["Alle ansatte", "Ledere", "Ressurspersoner", "Alle elever", "Foresatte"]
ANCHORING = (
    "Tiltaket er forankret i eiers kvalitetsplan og i hver enhet gjennom ledermøter og "
    "plandager, og er planlagt sammen med UH i felles arbeidsmøter."
)
COLLECTIVE = (
    "Alle ansatte deltar i faste profesjonsfellesskap med utprøving, refleksjon og deling "
    "mellom samlingene."
)
TEACHER_EDUCATION = "UH får erfaring fra praksisfeltet som brukes i lærerutdanningen."
LONG_TERM = "Tiltaket følger opp den langsiktige planen for kompetanseregionen."


def big_measure_name(number):
    """The name of measure `number` of the 30-measure report; pages are checked for it."""
    return f"Ytelsestest tiltak {number:02d} av {BIG_REPORT_MEASURES}"


def _numbers(start, weights, length):
    """Valid MOD11 numbers with `length` digits, counting up from the prefix `start`."""
    prefix = start
    while True:
        number = with_check_digit(str(prefix).zfill(length - 1), weights)
        prefix += 1
        if number is not None:
            yield number


def make_users(prefix, count, first_name):
    password = make_password(None)
    User = get_user_model()
    return User.objects.bulk_create(
        [
            User(
                username=f"bench.{prefix}.{i:05d}",
                first_name=first_name,
                last_name=f"{i:05d}",
                email=f"{prefix}.{i:05d}@bench.invalid",
                password=password,
            )
            for i in range(count)
        ],
        batch_size=BATCH,
    )


def pick_report_status(rng, year):
    """The current year is being written, the last one reviewed, earlier ones decided."""
    Status = NeedReport.Status
    roll = rng.random()
    if year == YEARS[-1]:
        return Status.DRAFT if roll < 0.3 else Status.SUBMITTED
    if year == YEARS[-2]:
        return (
            Status.DRAFT
            if roll < 0.03
            else Status.RETURNED
            if roll < 0.06
            else Status.SUBMITTED
            if roll < 0.5
            else Status.REVIEWED
            if roll < 0.8
            else Status.ALLOCATED
        )
    if roll < 0.02:
        return Status.DRAFT
    if roll < 0.06:
        return Status.REJECTED
    return Status.ALLOCATED


def make_measure(rng, report, position, name):
    owner = rng.randrange(20, 150) * 1000
    uh = owner * 3 // 2 + rng.randrange(0, 60) * 1000
    return Measure(
        report=report,
        position=position,
        name=name,
        owner_amount=owner,
        uh_amount=uh,
        purpose=rng.choice(Measure.Purpose.values),
        anchoring=ANCHORING,
        collective_development=COLLECTIVE,
        teacher_education=TEACHER_EDUCATION,
        long_term_plan=LONG_TERM,
        owner_use="Frikjøp av ressurspersoner og vikarer på samlingsdager.",
        uh_use="Faglig innhold, veiledning og deltakelse i nettverkssamlinger.",
        coordinator_funds_needed=False,
        spring_this_year=True,
        autumn_this_year=True,
        spring_next_year=rng.random() < 0.5,
        target_group=rng.choice(TARGET_GROUPS),
        cont1_owner=owner,
        cont1_uh=uh,
    )


def make_organisations(offices):
    org_numbers = _numbers(91_000_000, ORG_WEIGHTS, 9)
    accounts = _numbers(1_503_000_000, ACCOUNT_WEIGHTS, 11)
    municipalities = [
        Organisation(
            name=f"Kommune {i + 1:03d}",
            kind=Organisation.Kind.MUNICIPALITY,
            org_number=next(org_numbers),
            account_number=next(accounts),
            payment_reference=f"Kompetanseutvikling, kommune {i + 1:03d}",
            county_office=offices[i % len(offices)],
            language_form=LanguageForm.NN if i % 7 == 3 else LanguageForm.NB,
        )
        for i in range(MUNICIPALITIES)
    ]
    universities = [
        Organisation(
            name=name,
            kind=Organisation.Kind.UH,
            org_number=next(org_numbers),
            account_number=next(accounts),
            payment_reference=f"Prosjekt {1000 + i}",
        )
        for i, name in enumerate(UNIVERSITIES)
    ]
    created = Organisation.objects.bulk_create(municipalities + universities, batch_size=BATCH)
    ContactPerson.objects.bulk_create(
        [
            ContactPerson(
                organisation=org,
                name=f"Kontakt {org.name}",
                role="Kommunalsjef" if not org.is_uh else "Seniorrådgiver",
                phone="75 00 00 00",
                email=f"post{org.pk}@bench.invalid",
            )
            for org in created
        ],
        batch_size=BATCH,
    )
    return created[:MUNICIPALITIES], created[MUNICIPALITIES:]


def make_rules_and_frames(offices, schemes, partnerships_of):
    RuleSettings.objects.bulk_create(
        [
            RuleSettings(
                county_office=office,
                scheme=scheme,
                year=year,
                min_uh_share_percent=60,
                cofinancing_percent=30 if scheme.code == Scheme.DEKOM else None,
                coordinator_cap=100_000,
            )
            for office in offices
            for scheme in schemes
            for year in YEARS
        ]
    )
    Frame.objects.bulk_create(
        [
            Frame(
                county_office=office,
                scheme=scheme,
                year=year,
                amount=partnerships_of[office.pk] * 2_000_000,
                committed=partnerships_of[office.pk] * 200_000,
            )
            for office in offices
            for scheme in schemes
            for year in YEARS
        ]
    )


def make_allocations(rng, measures):
    """Most measures granted in full, some scaled down to 80 %."""
    rows = []
    for measure in measures:
        percent = 100 if rng.random() < 0.75 else 80
        rows.append(
            Allocation(
                measure=measure,
                owner_amount=measure.owner_amount * percent // 100,
                uh_amount=measure.uh_amount * percent // 100,
            )
        )
    return rows


COMMENT_TEXTS = [
    "UH kan ta samlingene i november, men ikke i desember.",
    "Kan vi flytte litt av eiers del til UH, så vi når 60 %?",
    "Beløpet er avklart med styringsgruppa.",
    "Vi må avklare frikjøp med rektorene før vi sender inn.",
    "Oppdatert etter møtet med UH i går.",
]


def make_comments(rng, report, measures, authors):
    """0–3 comments on a report: some on the report, some on one of its measures."""
    rows = []
    for i in range(rng.choice((0, 0, 1, 1, 2, 3))):
        rows.append(
            Comment(
                report=report,
                measure=rng.choice(measures) if measures and rng.random() < 0.5 else None,
                author=authors[i % len(authors)],
                text=rng.choice(COMMENT_TEXTS),
                created_at=timezone.make_aware(datetime(report.year - 1, 12, 1 + i, 10)),
            )
        )
    return rows


def add_seed_report(offices, regions, universities, user):
    """Seed 002's partnership and its three 2024 reports, through the demo's own code.

    The Dekom report gets a submitted version 1 (written directly: the seed breaks the 60 %
    rule, and the benchmark needs a stored PDF, not a decision).
    """
    nordland = offices[COUNTIES.index("Nordland")]
    region = next(r for r in regions if r.county_office_id == nordland.pk)
    owner = Organisation.objects.filter(county_office=nordland).order_by("pk").first()
    partnership = Partnership.objects.create(name="God opplæring for alle", region=region)
    partnership.owners.set([owner])
    partnership.uh_partners.set([universities[UNIVERSITIES.index("Høgskolen i Innlandet")]])
    Membership.objects.create(partnership=partnership, user=user, role=Membership.Role.COORDINATOR)
    reports = load_seed_reports(partnership, user)
    report = next(r for r in reports if r.scheme.code == Scheme.DEKOM)
    now = timezone.now()
    report.status = NeedReport.Status.SUBMITTED
    report.submitted_at, report.submitted_by = now, user
    report.save()
    ReportVersion.objects.create(
        report=report,
        number=1,
        snapshot=build_snapshot(report, report_summary(report)),
        submitted_at=now,
        submitted_by=user,
    )
    return report
