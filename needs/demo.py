"""The seed 002 need report (Ytre Helgeland, Dekom 2024) and its sibling reports, for the demo."""

from measures.models import Measure
from partnerships.models import Scheme

from .commitments import carry_over
from .models import CodeterminationParticipant, Frame, NeedReport
from .services import need_report_create
from .totals import refresh_totals

LONG_TERM_PLAN = (
    "Langsiktig plan 2023–2026 for kompetanseutvikling i Nordland: personalet jobber kontinuerlig "
    "med et godt og inkluderende læringsmiljø, og skolen har et profesjonsfaglig fellesskap som "
    "reflekterer over felles verdier og videreutvikler sin praksis til elevenes beste."
)
TEACHER_EDUCATION = (
    "SePU er sterkt inne i undervisningen i lærerutdanningen, både grunnskolelærerutdanningen "
    "1.–7. og 5.–10. trinn, rektorutdanningen og master i utdanningsledelse. Erfaringer fra "
    "partnerskapet trekkes inn i disse utdanningene."
)

A, P, G = Measure.Purpose.ASSESSMENT, Measure.Purpose.PLANNING, Measure.Purpose.IMPLEMENTATION

# name, owner, UH, purpose, anchoring, owner use, UH use, target group, half-years, coordinator
SEED_MEASURES = [
    (
        "Datainnsamling for å analysere egne behov",
        50_000,
        174_000,
        A,
        "Høst 2024 gjennomføres spørreundersøkelse i barnehage og skole utviklet av HINN/SePU. "
        "Resultatene brukes for å kartlegge behov (kvalitetsvurdering) og iverksette tiltak "
        "(kvalitetsutvikling). Det er fjerde gang kommunene i partnerskapet gjennomfører "
        "undersøkelsene.",
        "Planlegging og gjennomføring av kartleggingsundersøkelsen i alle skoler. Analyseprosess "
        "av resultat i etterkant: på hver enkelt skole, på kommunenivå og på regionsnivå.",
        "Klargjøring av undersøkelsen og oppfølging av brukerne før, under og etter "
        "gjennomføring. Workshops hvor resultatene presenteres, analyseres og drøftes.",
        "Alle elever, alle ansatte, ledere, foresatte",
        (False, True, True),
        True,
    ),
    (
        "Tverrkommunalt nettverk barnehage og 1.–4. trinn: språk, lesing og skriving",
        120_000,
        125_000,
        G,
        "Videreutvikling av tiltak fra 2023. Alle barnehager og skoler i regionen har språk, "
        "lesing og skriving som satsingsområde. Nettverket har fire samlinger med "
        "ressurspersoner og deres ledere.",
        "Deltakelse for ressurspersoner og ledere, utprøving på egen arbeidsplass.",
        "Norskseksjonen og SePU har faglig ansvar for samlingene i nettverket.",
        "Ressurspersoner og ledere i barnehage og 1.–4. trinn",
        (True, True, True),
        False,
    ),
    (
        "Tverrkommunalt nettverk 5.–10. trinn i språk, lesing og skriving",
        120_000,
        125_000,
        G,
        "Nettverk for lærere på 5.–10. trinn med fire samlinger i året, koblet til "
        "utviklingsarbeid på den enkelte skole.",
        "Deltakelse for ressurspersoner og ledere, utprøving på egen arbeidsplass.",
        "Faglig ansvar for samlingene, veiledning mellom samlingene.",
        "Ressurslærere og ledere på 5.–10. trinn",
        (True, True, True),
        False,
    ),
    (
        "Kompetansedag / arbeidsverksted språk, lesing og skriving",
        75_000,
        114_000,
        G,
        "Felles kompetansedag 13. august 2024 for alle ansatte i regionens barnehager og skoler.",
        "Lokaler, reise og frikjøp for deltakerne.",
        "Faglig innhold og forelesere på kompetansedagen og arbeidsverkstedene.",
        "Alle ansatte i barnehager og skoler",
        (False, True, False),
        False,
    ),
    (
        "Pedagogisk analyse",
        50_000,
        241_000,
        P,
        "Skolene og barnehagene bruker pedagogisk analyse som verktøy for å forstå "
        "utfordringer og velge tiltak, med veiledning fra SePU.",
        "Tid til analysearbeid i personalet.",
        "Opplæring i og veiledning på pedagogisk analyse.",
        "Alle ansatte, ledere",
        (False, True, True),
        False,
    ),
    (
        "Prøve ut arbeidsmåter innenfor språk, lesing og skriving (inkludering)",
        90_000,
        90_000,
        G,
        "Utprøving av arbeidsmåter i klasserommet med vekt på inkludering.",
        "Frikjøp til utprøving og erfaringsdeling.",
        "Faglig støtte og observasjon i utprøvingen.",
        "Alle elever",
        (False, True, True),
        False,
    ),
    (
        "Magisk måned",
        50_000,
        50_000,
        G,
        "En måned med felles engasjement for språk, lesing og skriving i alle barnehager og "
        "skoler.",
        "Materiell og arrangementer.",
        "Faglige innspill og evaluering.",
        "Alle ansatte i regionens skoler",
        (True, True, True),
        False,
    ),
    (
        "Koordinator",
        70_000,
        0,
        P,
        "Kommunene i partnerskapet er små, med svært begrenset ressurs for å drive "
        "utviklingsarbeid. Koordinatorfunksjonen er helt avgjørende for å utvikle og "
        "gjennomføre forbedringsarbeid.",
        "Lønn koordinator.",
        "",
        "Alle deltakere i partnerskapet",
        (True, True, True),
        True,
    ),
]

# Seed 002, per measure: "Det er behov for å bruke midler til koordinator for dette tiltaket?"
# ticked Ja, with the text under "Begrunn" (measure 7 leaves it unticked).
_PLANNING = (
    "• Konkret planlegging av tiltaket\n• Samhandling og utvikling av tiltaket med HINN og SePU"
)
COORDINATOR_JUSTIFICATIONS = {
    1: "Samhandling med HINN /SePU før, under og etter gjennomføring av spørreundersøkelsen\n"
    "Samhandling med kommunene i partnerskapet\nReise- og oppholdsutgifter",
    2: _PLANNING.replace("tiltaket\n", "tiltakene\n"),
    3: _PLANNING + "\n• Koordinering og oppfølging mellom samlinger",
    4: _PLANNING,
    5: "Oppfølging i partnerskapet; mellom kommunene og med SePU",
    6: _PLANNING + "\n• Koordinering og oppfølging innenfor partnerskapet",
    8: "Se over",
}
# Totals of the seed's summary table for the partnership's other schemes in 2024.
SIBLING_REPORTS = {
    Scheme.REKOM: [("Språk og lek i barnehagen", 505_000, 794_000)],
    Scheme.KOMPETANSELOFTET: [("Inkluderende praksis og PPT", 300_000, 280_000)],
}


def _measure(report, position, name, owner, uh, purpose=G, **texts):
    return Measure(
        report=report,
        position=position,
        name=name,
        owner_amount=owner,
        uh_amount=uh,
        purpose=purpose,
        long_term_plan=LONG_TERM_PLAN,
        teacher_education=TEACHER_EDUCATION,
        collective_development=(
            "Ansatte utvikler praksis sammen i kollektive prosesser på egen arbeidsplass."
        ),
        **texts,
    )


# Continuation estimates (autumn Y+1, Y+2): seed 002's competence day asks 75 000 kr for the
# owner in autumn 2025; the Rekom network runs on into 2025 and 2026. Once allocated, they
# commit those amounts to the next years' frames (needs.commitments).
CONTINUATIONS = {
    "Kompetansedag / arbeidsverksted språk, lesing og skriving": {
        "cont1_owner": 75_000,
        "cont1_owner_reason": "Kompetansedagen er et årlig tiltak i perioden 2023–2026.",
    },
    # Seed 002's measure 8: "Høst 2025: Videreføring / Utvikling og implementering".
    "Koordinator": {"cont1_owner_reason": "Videreføring / Utvikling og implementering"},
    "Språk og lek i barnehagen": {
        "cont1_owner": 250_000,
        "cont1_owner_reason": "Nettverkene fortsetter høsten 2025.",
        "cont1_uh": 400_000,
        "cont1_uh_reason": "Veiledning i nettverkene.",
        "cont2_owner": 200_000,
        "cont2_owner_reason": "Siste år i planperioden.",
        "cont2_uh": 300_000,
        "cont2_uh_reason": "Avslutning og evaluering.",
    },
}


def _continuation(measure):
    for field, value in CONTINUATIONS.get(measure.name, {}).items():
        setattr(measure, field, value)


def load_seed_reports(partnership, user):
    """Create the three 2024 reports unless they exist (re-running keeps the user's edits)."""
    created = []
    schemes = {s.code: s for s in Scheme.objects.all()}
    for code in (Scheme.DEKOM, Scheme.REKOM, Scheme.KOMPETANSELOFTET):
        if NeedReport.objects.filter(
            partnership=partnership, scheme=schemes[code], year=2024
        ).exists():
            continue
        report = need_report_create(
            partnership=partnership, scheme=schemes[code], year=2024, user=user
        )
        report.codetermination_discussed = True
        report.public_schools = 13
        report.private_schools = 0
        report.pp_services = "PPTYH"
        report.cofinancing_amount = 187_500 if code == Scheme.DEKOM else None
        report.save()
        CodeterminationParticipant.objects.create(
            report=report, role="Hovedtillitsvalgt", name="Trond Ivar Myhre"
        )
        if code == Scheme.DEKOM:
            measures = [
                _measure(
                    report,
                    i,
                    name,
                    owner,
                    uh,
                    purpose,
                    anchoring=anchoring,
                    owner_use=owner_use,
                    uh_use=uh_use,
                    target_group=target,
                    spring_this_year=spring,
                    autumn_this_year=autumn,
                    spring_next_year=spring_next,
                    coordinator_funds_needed=i in COORDINATOR_JUSTIFICATIONS,
                    coordinator_amount=owner if name == "Koordinator" else None,
                    coordinator_justification=COORDINATOR_JUSTIFICATIONS.get(i, ""),
                )
                for i, (
                    name,
                    owner,
                    uh,
                    purpose,
                    anchoring,
                    owner_use,
                    uh_use,
                    target,
                    (spring, autumn, spring_next),
                    _coordinator,
                ) in enumerate(SEED_MEASURES, 1)
            ]
        else:
            measures = [
                _measure(
                    report,
                    i,
                    name,
                    owner,
                    uh,
                    anchoring="Forankret i styringsgruppa for God opplæring for alle.",
                    owner_use="Frikjøp og samlinger.",
                    uh_use="Faglig innhold og veiledning.",
                    target_group="Alle ansatte",
                    autumn_this_year=True,
                    coordinator_funds_needed=False,
                )
                for i, (name, owner, uh) in enumerate(SIBLING_REPORTS[code], 1)
            ]
        for measure in measures:
            _continuation(measure)
        Measure.objects.bulk_create(measures)
        refresh_totals(report)
        created.append(report)
    return created


def load_frames(county_office):
    """The 2024 and 2025 frames of every scheme (12 million kr each). In 2024, 2 million kr
    were committed by measures granted before the portal (a carried-over commitment); 2025's
    commitments come from the 2024 reports once they are allocated."""
    for scheme in Scheme.objects.all():
        for year in (2024, 2025):
            Frame.objects.get_or_create(
                county_office=county_office,
                scheme=scheme,
                year=year,
                defaults={"amount": 12_000_000},
            )
        carry_over(county_office=county_office, scheme=scheme, year=2024, amount=2_000_000)
