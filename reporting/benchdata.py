"""National-scale data for the benchmarks (`manage.py bench`). Never run against real data.

One call, `generate(scale=1)`, fills an empty, migrated database with:
10 county offices (one case officer each), 3 competence regions per county, all 357
municipalities as owners, 10 UH, 90 × scale partnerships (one UH partner, a coordinator and a UH
contact each), one need report per partnership × scheme × year for 2017–2026 with about 8
measures each, and one special draft report with exactly 30 measures for the report page.
Past years are decided (mostly allocated, with an allocation per measure); the last full
year is under review; the current year is being written. Reports have comments.

One county-year is large at every scale: Oslo og Viken's queue for LARGE_YEAR holds exactly
LARGE_COUNTY_REPORTS reports (new partnerships that report only that year make up the
difference), for the queue, allocation and export targets. The seed 002 report (Ytre
Helgeland, Dekom 2024) is loaded through the demo's own code, with a submitted version,
for the PDF targets.

Everything goes in with bulk_create, so 1× takes seconds, not minutes.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from measures.models import Measure
from needs.demo import load_seed_reports
from needs.models import (
    Allocation,
    CodeterminationParticipant,
    Comment,
    Frame,
    NeedReport,
    OtherParty,
    ReportVersion,
)
from needs.selectors import report_summary
from needs.services import build_snapshot
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


@dataclass
class BenchData:
    """What the page benchmarks need to find again: users, a busy county, the big report."""

    scale: int
    coordinator: object = None
    uh_contact: object = None
    officer: object = None
    partnership: object = None
    county_office: object = None
    big_report: object = None
    big_measure: object = None
    officer_year: int = YEARS[-2]
    large_officer: object = None  # case officer of LARGE_COUNTY
    large_office: object = None
    large_scheme: object = None  # the scheme with the most reports in the large county-year
    seed_coordinator: object = None
    seed_report: object = None  # seed 002's Dekom 2024 report, with a submitted version 1
    load_measures: list = field(default_factory=list)  # (coordinator, measure) for `loadtest`
    counts: dict = field(default_factory=dict)


def _numbers(start, weights, length):
    """Valid MOD11 numbers with `length` digits, counting up from the prefix `start`."""
    prefix = start
    while True:
        number = with_check_digit(str(prefix).zfill(length - 1), weights)
        prefix += 1
        if number is not None:
            yield number


def _users(prefix, count, first_name):
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


def _report_status(rng, year):
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


def _measure(rng, report, position, name):
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


def _organisations(offices):
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


def _rules_and_frames(offices, schemes, partnerships_of):
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


def _allocations(rng, measures):
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


def _comments(rng, report, measures, authors):
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


@transaction.atomic
def generate(scale=1, seed=2017, stdout=None):
    """Fill an empty, migrated database. Returns a BenchData."""
    rng = random.Random(seed)  # noqa: S311 (repeatable test data, not security)
    data = BenchData(scale=scale)
    schemes = list(Scheme.objects.order_by("order"))
    if {s.code for s in schemes} != {Scheme.REKOM, Scheme.DEKOM, Scheme.KOMPETANSELOFTET}:
        raise RuntimeError("The scheme rows from the migrations are missing.")

    offices = CountyOffice.objects.bulk_create(
        [CountyOffice(name=f"Statsforvalteren i {c}", county=c) for c in COUNTIES]
    )
    officers = _users("officer", len(offices), "Saksbehandler")
    CountyMembership.objects.bulk_create(
        [CountyMembership(county_office=o, user=u) for o, u in zip(offices, officers, strict=True)]
    )
    regions = Region.objects.bulk_create(
        [
            Region(county_office=office, name=f"{office.county} region {r + 1}")
            for office in offices
            for r in range(REGIONS_PER_COUNTY)
        ]
    )
    municipalities, universities = _organisations(offices)
    by_county = {office.pk: [] for office in offices}
    for org in municipalities:
        by_county[org.county_office_id].append(org)

    # The regular partnerships, spread evenly over the regions, and the large county's
    # new partnerships that report only in LARGE_YEAR (so that its queue holds exactly
    # LARGE_COUNTY_REPORTS reports at every scale).
    count = PARTNERSHIPS_PER_SCALE * scale
    region_office = {r.pk: r.county_office_id for r in regions}
    large = offices[COUNTIES.index(LARGE_COUNTY)]
    large_regions = [r for r in regions if r.county_office_id == large.pk]
    regular_in_large = sum(
        1 for i in range(count) if region_office[regions[i % len(regions)].pk] == large.pk
    )
    extra = max(0, LARGE_COUNTY_REPORTS // len(schemes) - regular_in_large)
    partnerships = Partnership.objects.bulk_create(
        [
            Partnership(
                name=f"Kompetansenettverk {i + 1:04d}",
                region=regions[i % len(regions)],
                language=Partnership.Language.NN if i % 7 == 3 else Partnership.Language.NB,
            )
            for i in range(count)
        ]
        + [
            Partnership(
                name=f"Nytt nettverk {i + 1:04d}",
                region=large_regions[i % len(large_regions)],
                language=Partnership.Language.NB,
            )
            for i in range(extra)
        ],
        batch_size=BATCH,
    )
    owners_of, uh_of = {}, {}
    owner_rows, uh_rows = [], []
    partnerships_of = {office.pk: 0 for office in offices}
    for i, p in enumerate(partnerships):
        partnerships_of[region_office[p.region_id]] += 1
        pool = by_county[region_office[p.region_id]]
        owners = [pool[(i * 4 + k) % len(pool)] for k in range(rng.randint(3, 5))]
        owners = list({o.pk: o for o in owners}.values())
        owners_of[p.pk] = owners
        uh_of[p.pk] = universities[i % len(universities)]
        owner_rows += [Partnership.owners.through(partnership=p, organisation=o) for o in owners]
        uh_rows.append(Partnership.uh_partners.through(partnership=p, organisation=uh_of[p.pk]))
    Partnership.owners.through.objects.bulk_create(owner_rows, batch_size=BATCH)
    Partnership.uh_partners.through.objects.bulk_create(uh_rows, batch_size=BATCH)

    coordinators = _users("coordinator", len(partnerships), "Koordinator")
    uh_contacts = _users("uh", len(partnerships), "UH-kontakt")
    Membership.objects.bulk_create(
        [
            Membership(partnership=p, user=u, role=Membership.Role.COORDINATOR)
            for p, u in zip(partnerships, coordinators, strict=True)
        ]
        + [
            Membership(partnership=p, user=u, role=Membership.Role.UH_CONTACT)
            for p, u in zip(partnerships, uh_contacts, strict=True)
        ],
        batch_size=BATCH,
    )
    _rules_and_frames(offices, schemes, partnerships_of)

    big_scheme = next(s for s in schemes if s.code == BIG_REPORT_SCHEME)
    totals = {"need reports": 0, "measures": 0, "comments": 0, "allocations": 0}
    pending_reports = []
    people = {p.pk: (c, u) for p, c, u in zip(partnerships, coordinators, uh_contacts, strict=True)}

    def flush():
        reports = NeedReport.objects.bulk_create(pending_reports, batch_size=BATCH)
        measures, participants, parties = [], [], []
        for report in reports:
            big = report.partnership_id == partnerships[0].pk and (
                report.scheme_id == big_scheme.pk and report.year == BIG_REPORT_YEAR
            )
            if big:
                data.big_report = report
                n = BIG_REPORT_MEASURES
            else:
                n = rng.randint(*MEASURES_PER_REPORT)
            report.new_measures = []
            for position in range(1, n + 1):
                name = (
                    big_measure_name(position)
                    if big
                    else f"{MEASURE_NAMES[(position - 1) % len(MEASURE_NAMES)]} ({position})"
                )
                report.new_measures.append(_measure(rng, report, position, name))
            measures += report.new_measures
            participants += [
                CodeterminationParticipant(
                    report=report, role="Tillitsvalgt", name="Utdanningsforbundet"
                ),
                CodeterminationParticipant(report=report, role="Rektor", name="Rektorforum"),
            ]
            parties += [
                OtherParty(
                    report=report, name=o.name, contact_person=f"Kontakt {o.name}", kind="owner"
                )
                for o in owners_of[report.partnership_id][1:]
            ]
        Measure.objects.bulk_create(measures, batch_size=BATCH)
        CodeterminationParticipant.objects.bulk_create(participants, batch_size=BATCH)
        OtherParty.objects.bulk_create(parties, batch_size=BATCH)
        allocations, comments = [], []
        for report in reports:
            if report.status == NeedReport.Status.ALLOCATED:
                allocations += _allocations(rng, report.new_measures)
            if report.status != NeedReport.Status.DRAFT or report.year == YEARS[-1]:
                comments += _comments(
                    rng, report, report.new_measures, people[report.partnership_id]
                )
        Allocation.objects.bulk_create(allocations, batch_size=BATCH)
        Comment.objects.bulk_create(comments, batch_size=BATCH)
        totals["need reports"] += len(reports)
        totals["measures"] += len(measures)
        totals["allocations"] += len(allocations)
        totals["comments"] += len(comments)
        pending_reports.clear()

    for i, p in enumerate(partnerships):
        coordinator, uh_contact = people[p.pk]
        owner, uh = owners_of[p.pk][0], uh_of[p.pk]
        in_large = region_office[p.region_id] == large.pk
        for scheme in schemes:
            for year in YEARS if i < count else [LARGE_YEAR]:
                big = p is partnerships[0] and scheme is big_scheme and year == BIG_REPORT_YEAR
                status = NeedReport.Status.DRAFT if big else _report_status(rng, year)
                if in_large and year == LARGE_YEAR and status == NeedReport.Status.DRAFT:
                    status = NeedReport.Status.SUBMITTED
                submitted = status != NeedReport.Status.DRAFT
                decided = status in (NeedReport.Status.ALLOCATED, NeedReport.Status.REJECTED)
                pending_reports.append(
                    NeedReport(
                        partnership=p,
                        scheme=scheme,
                        year=year,
                        status=status,
                        created_by=coordinator,
                        submitted_at=(
                            timezone.make_aware(datetime(year, 1, 25, 12)) if submitted else None
                        ),
                        submitted_by=coordinator if submitted else None,
                        decided_at=(
                            timezone.make_aware(datetime(year, 4, 28, 12)) if decided else None
                        ),
                        decision_reason="Avslått etter prioritering i samarbeidsforum."
                        if status == NeedReport.Status.REJECTED
                        else "",
                        owner_contact_name=str(coordinator.get_full_name()),
                        owner_contact_role="Koordinator",
                        owner_contact_phone="75 00 00 01",
                        owner_contact_email=coordinator.email,
                        owner_account_number=owner.account_number,
                        owner_org_number=owner.org_number,
                        owner_payment_reference=owner.payment_reference,
                        uh_contact_name=str(uh_contact.get_full_name()),
                        uh_contact_role="Førsteamanuensis",
                        uh_contact_phone="75 00 00 02",
                        uh_contact_email=uh_contact.email,
                        uh_account_number=uh.account_number,
                        uh_org_number=uh.org_number,
                        uh_payment_reference=uh.payment_reference,
                        codetermination_discussed=True,
                        municipal_kindergartens=rng.randint(2, 20),
                        private_kindergartens=rng.randint(0, 10),
                        public_schools=rng.randint(2, 15),
                        private_schools=rng.randint(0, 2),
                        pp_services="PPT for regionen",
                    )
                )
        if len(pending_reports) >= 300:
            flush()
    if pending_reports:
        flush()

    seed_user = _users("seed", 1, "Koordinator")[0]
    data.seed_coordinator = seed_user
    data.seed_report = add_seed_report(offices, regions, universities, seed_user)

    data.counts = {
        "county offices": len(offices),
        "regions": len(regions),
        "organisations": len(municipalities) + len(universities),
        "partnerships": len(partnerships) + 1,
        "users": len(officers) + len(coordinators) + len(uh_contacts) + 1,
        **totals,
    }
    data.counts["need reports"] += 3  # the seed partnership's
    data.counts["measures"] += data.seed_report.measures.count() + 2

    data.partnership = partnerships[0]
    data.coordinator = coordinators[0]
    data.uh_contact = uh_contacts[0]
    data.county_office = offices[0]
    data.officer = officers[0]
    data.large_office = large
    data.large_officer = officers[COUNTIES.index(LARGE_COUNTY)]
    data.large_scheme = big_scheme
    data.big_measure = data.big_report.measures.get(position=BIG_REPORT_MEASURES)
    return data


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
