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

from django.db import transaction
from django.utils import timezone

from measures.models import Measure
from needs.models import (
    Allocation,
    CodeterminationParticipant,
    Comment,
    NeedReport,
    OtherParty,
)
from needs.totals import refresh_totals
from partnerships.models import (
    CountyMembership,
    CountyOffice,
    Membership,
    Partnership,
    Region,
    Scheme,
)

from .rows import (  # noqa: F401 - the sizes are read as dataset.LARGE_YEAR etc.
    BATCH,
    BIG_REPORT_MEASURES,
    BIG_REPORT_SCHEME,
    BIG_REPORT_YEAR,
    COUNTIES,
    LARGE_COUNTY,
    LARGE_COUNTY_REPORTS,
    LARGE_YEAR,
    MEASURE_NAMES,
    MEASURES_PER_REPORT,
    PARTNERSHIPS_PER_SCALE,
    REGIONS_PER_COUNTY,
    YEARS,
    add_seed_report,
    big_measure_name,
    make_allocations,
    make_comments,
    make_measure,
    make_organisations,
    make_rules_and_frames,
    make_users,
    pick_report_status,
)


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
    officers = make_users("officer", len(offices), "Saksbehandler")
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
    municipalities, universities = make_organisations(offices)
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
            )
            for i in range(count)
        ]
        + [
            Partnership(
                name=f"Nytt nettverk {i + 1:04d}",
                region=large_regions[i % len(large_regions)],
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

    coordinators = make_users("coordinator", len(partnerships), "Koordinator")
    uh_contacts = make_users("uh", len(partnerships), "UH-kontakt")
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
    make_rules_and_frames(offices, schemes, partnerships_of)

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
                report.new_measures.append(make_measure(rng, report, position, name))
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
                allocations += make_allocations(rng, report.new_measures)
            if report.status != NeedReport.Status.DRAFT or report.year == YEARS[-1]:
                comments += make_comments(
                    rng, report, report.new_measures, people[report.partnership_id]
                )
        Allocation.objects.bulk_create(allocations, batch_size=BATCH)
        Comment.objects.bulk_create(comments, batch_size=BATCH)
        refresh_totals(*reports)
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
                status = NeedReport.Status.DRAFT if big else pick_report_status(rng, year)
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

    seed_user = make_users("seed", 1, "Koordinator")[0]
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
