"""Demo activity plans: the seed 002 partnership's gatherings for 2024–25 (four network meetings
per network, the competence day on 13 August 2024), a few of seed 003's (Vest-Lofoten, 2020)
and one in Salten. Created through the same service as the plan's form; re-running keeps
what users changed (an activity is looked up by partnership, title and start)."""

from datetime import date, time

from measures.models import Measure
from needs.models import NeedReport
from partnerships.models import Scheme
from partnerships.models_plan import PlannedActivity, local_datetime
from partnerships.services_plan import planned_activity_save

Kind = PlannedActivity.Kind

NETWORK_1_4 = "Tverrkommunalt nettverk barnehage og 1.–4. trinn: språk, lesing og skriving"
NETWORK_5_10 = "Tverrkommunalt nettverk 5.–10. trinn i språk, lesing og skriving"
COMPETENCE_DAY = "Kompetansedag / arbeidsverksted språk, lesing og skriving"
SURVEY = "Datainnsamling for å analysere egne behov"
MAGIC_MONTH = "Magisk måned"

NETWORK_THEMES = [
    "Kvalitet i overganger barnehage – skole, mellom trinn og mellom skoler",
    "Omsetting av føringer i rammeplan / LP20 til kommunale og lokale språk-, lese- og "
    "skriveplaner",
    "Engasjement for språk, lesing og skriving: erfaringsdeling fra arbeid med Magisk måned "
    "(felles samling for begge nettverkene)",
    "Ledelse av profesjonsutvikling og kollektive læringsprosesser",
]

# (title, kind, day, from, to, place, online, theme, participants, responsible, preparation,
#  measure names)
YTRE_HELGELAND = [
    (
        "Felles kompetansedag: språk, lesing og skriving",
        Kind.COMPETENCE_DAY,
        date(2024, 8, 13),
        None,
        None,
        "Sandnessjøen",
        False,
        "Faglig kompetanseheving og felles referanseramme for utviklingsarbeidet i språk, "
        "lesing og skriving 2024/25. Arbeidsverksted på tvers av skoler og kommuner.",
        "Alle skoleansatte, skoleledere og PP-ansatte i regionen",
        "Koordinator, Norskseksjonen HINN og SePU",
        "Forberedelsesoppgave sendes skolene i juni. Etterarbeid med valgt tema på "
        "kompetansedag på egen skole.",
        [COMPETENCE_DAY],
    ),
    (
        "Workshop: resultater fra spørreundersøkelsen",
        Kind.SEMINAR,
        date(2025, 1, 15),
        time(9, 0),
        time(14, 0),
        "Teams",
        True,
        "Resultatene fra høstens spørreundersøkelse presenteres, analyseres og drøftes.",
        "Skoleledere, styrere og kommunalsjefer",
        "SePU",
        "Les rapporten for egen enhet før workshopen.",
        [SURVEY],
    ),
]
NETWORK_DAYS = {
    NETWORK_1_4: [date(2024, 9, 17), date(2024, 11, 12), date(2025, 2, 11), date(2025, 4, 22)],
    NETWORK_5_10: [date(2024, 9, 18), date(2024, 11, 13), date(2025, 2, 11), date(2025, 4, 23)],
}

# Seed 003: Vestvågøy's calendar (Vest-Lofoten), spring and autumn 2020.
LOFOTEN = [
    (
        "Ledermøte KULG: utviklingsplan 2020–2021",
        Kind.MEETING,
        date(2020, 5, 14),
        time(13, 0),
        time(15, 0),
        "Teams",
        True,
        "Gjennomgang av planutkast. Drøfte veien videre.",
        "Kommunalsjef, enhetsledere, pedstab, utviklingsveiledere",
        "Kommunalsjef",
        "Gå gjennom utkastet til utviklingsplan og noter kommentarer og spørsmål.",
    ),
    (
        "Fagdag: Ledelse og Fagfornyelsen",
        Kind.LEADER_MEETING,
        date(2020, 6, 3),
        time(12, 0),
        time(15, 0),
        "",
        False,
        "Ledersamling. Den kommunale utviklingsplanen presenteres for alle lederne.",
        "Enhetsledere/ass. rektorer, avdelingsledere, pedstab, utviklingsveiledere, PPT, "
        "hovedtillitsvalgte, styrere private barnehager, rektorer private skoler",
        "Kommunalsjef",
        "",
    ),
    (
        "Fagdag 1: Om støttesystemer",
        Kind.PROFESSIONAL_DAY,
        date(2020, 9, 9),
        time(8, 30),
        time(15, 0),
        "Kommunestyresalen",
        False,
        "08.30–11.30: Om støttesystemer. 12.00–15.00: Nettverksgruppene jobber med modul 1 "
        "«Støttesystemer».",
        "Skoleeiere, barnehageeiere, styrere, skoleledere, PPT",
        "SePU",
        "Alle ledere logger seg inn på kompetansepakken og gjør seg kjent med «Støttesystemer».",
    ),
    (
        "Fagdag 2: Nettverkssamling for gruppeledere og veiledere",
        Kind.NETWORK_MEETING,
        date(2020, 9, 10),
        time(9, 0),
        time(14, 30),
        "Kommunestyresalen, 2C",
        False,
        "Overordnet mål i pedagogisk analyse denne høsten. Sammenhengen mellom pedagogisk "
        "analyse og støttesystemene på eier- og ledernivå.",
        "Veiledere, gruppeledere",
        "SePU",
        "Innspill om faglig påfyll i forkant (gruppelederrollen, veilederrollen, pedagogisk "
        "analyse, bruk av data).",
    ),
]

SALTEN = [
    (
        "Ledersamling Salten: lærende nettverk på tvers av kommuner",
        Kind.LEADER_MEETING,
        date(2024, 10, 16),
        time(9, 0),
        time(15, 0),
        "Bodø",
        False,
        "Profesjonelle læringsfellesskap og lærende nettverk for skoleledere og styrere.",
        "Skoleledere og styrere i Salten",
        "RKK Salten og Nord universitet",
        "",
    ),
]


def _measures_by_name(partnership):
    report = NeedReport.objects.filter(
        partnership=partnership, scheme__code=Scheme.DEKOM, year=2024
    ).first()
    if report is None:
        return {}
    return {m.name: m for m in Measure.objects.filter(report=report)}


def _upsert(partnership, user, row, measures=()):
    title, kind, day, start, end, place, online, theme, participants, responsible, prep = row
    starts_at = local_datetime(day, start)
    if PlannedActivity.objects.filter(
        partnership=partnership, title=title, starts_at=starts_at
    ).exists():
        return None
    activity = PlannedActivity(
        partnership=partnership,
        title=title,
        kind=kind,
        starts_at=starts_at,
        ends_at=local_datetime(day, end),
        all_day=start is None,
        place=place,
        online=online,
        theme=theme,
        participants=participants,
        responsible=responsible,
        preparation=prep,
    )
    return planned_activity_save(activity=activity, measures=measures, user=user)


def _network_rows():
    """Four network meetings per network; the February one is shared by both networks."""
    rows = []
    for number, (day_1_4, day_5_10) in enumerate(zip(*NETWORK_DAYS.values(), strict=True), 1):
        theme = NETWORK_THEMES[number - 1]
        shared = day_1_4 == day_5_10
        networks = [(NETWORK_1_4, day_1_4, "barnehage og 1.–4. trinn")]
        if not shared:
            networks.append((NETWORK_5_10, day_5_10, "5.–10. trinn"))
        for measure_name, day, level in networks:
            title = (
                f"Nettverkssamling {number}: begge nettverkene"
                if shared
                else f"Nettverkssamling {number}, {level}"
            )
            names = [NETWORK_1_4, NETWORK_5_10, MAGIC_MONTH] if shared else [measure_name]
            row = (
                title,
                Kind.NETWORK_MEETING,
                day,
                time(9, 0),
                time(15, 0),
                "Sandnessjøen",
                False,
                theme,
                "Ressurspersoner og deres ledere" + ("" if shared else f", {level}"),
                "Norskseksjonen HINN og SePU; koordinator",
                "Utprøving på egen arbeidsplass siden forrige samling; ta med erfaringer.",
            )
            rows.append((row, names))
    return rows


def load_activity_plans(partnerships, users):
    """Create the demo activities that do not exist yet; returns how many were created."""
    created = 0
    goa = partnerships["God opplæring for alle"]
    measures = _measures_by_name(goa)
    rows = [(row[:-1], row[-1]) for row in YTRE_HELGELAND] + _network_rows()
    for row, names in rows:
        linked = [measures[name] for name in names if name in measures]
        created += _upsert(goa, users["koordinator.goa"], row, linked) is not None
    for row in LOFOTEN:
        created += _upsert(partnerships["Kompetansenettverk Lofoten"], None, row) is not None
    salten = partnerships["Kompetanseutvikling i Salten"]
    for row in SALTEN:
        created += _upsert(salten, users["koordinator.salten"], row) is not None
    return created
