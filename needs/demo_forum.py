"""Demo data for the samarbeidsforum and change requests (issue 20, points 3 and 4), through
the same services users go through:

- forum.nordland sits in Nordland's samarbeidsforum and has declared a tie to HINN;
- sf2.nordland is a second case officer with a declared tie to Alstahaug kommune (so is
  refused ranking, allocating and deciding God opplæring for alle's reports);
- the forum's recommendation for Rekom 2024 (the allocated report first), in which both
  stepped aside;
- a change request to the allocated Rekom 2024 report (10 000 kr from the owner's part to
  UH's, and 10 000 kr more for UH next year), filed by koordinator.goa and waiting for
  uh.hinn to confirm (then sf.nordland approves it).

Re-runnable: nothing is created twice, and nothing a user changed is overwritten.
"""

from datetime import date

from partnerships.models import CountyMembership, ForumMembership, Organisation, Tie

from .changes import change_create, change_save, change_submit, current_values
from .forum import recommendation_record, recommendation_reports
from .models import ChangeRequest, ForumRecommendation


def load_forum_demo(*, county_office, users, report):
    """`report`: the allocated need report of the demo (Rekom 2024), or None."""
    forum, officer = users["forum.nordland"], users["sf2.nordland"]
    ForumMembership.objects.get_or_create(county_office=county_office, user=forum)
    CountyMembership.objects.get_or_create(county_office=county_office, user=officer)
    hinn = Organisation.objects.get(name="Høgskolen i Innlandet (HINN), SePU")
    alstahaug = Organisation.objects.get(name="Alstahaug kommune")
    if not Tie.objects.filter(user=forum).exists():
        Tie.objects.create(user=forum, organisation=hinn, description="Ansatt ved SePU")
    if not Tie.objects.filter(user=officer).exists():
        Tie.objects.create(
            user=officer, organisation=alstahaug, description="Gift med kommunalsjefen"
        )
    if report is None:
        return
    _recommendation(county_office, report, users["sf.nordland"])
    _change_request(report, users["koordinator.goa"])


def _recommendation(county_office, report, officer):
    scheme, year = report.scheme, report.year
    if ForumRecommendation.objects.filter(
        county_office=county_office, scheme=scheme, year=year
    ).exists():
        return
    reports = recommendation_reports(county_office, scheme, year)
    entries = {r.pk: (i, r.priority_note) for i, r in enumerate(reports, 1)}
    entries[report.pk] = (1, "Godt forankret i kommunene; tydelig UH-rolle.")
    recommendation_record(
        county_office=county_office,
        scheme=scheme,
        year=year,
        meeting_date=date(year, 3, 15),
        note="Forumet anbefaler tildeling i prioritert rekkefølge.",
        entries=entries,
        user=officer,
        expected_version=None,
    )


def _change_request(report, coordinator):
    if ChangeRequest.objects.filter(report=report).exists():
        return
    measures = list(report.measures.select_related("allocation").order_by("position", "pk"))
    if not measures or not hasattr(measures[0], "allocation"):
        return
    proposed = {m.pk: current_values(m) for m in measures}
    first = proposed[measures[0].pk]
    moved = min(10_000, first["alloc_owner"])
    first["alloc_owner"] -= moved  # to UH's part (of the last measure)
    proposed[measures[-1].pk]["alloc_uh"] += moved
    first["cont1_uh"] += 10_000
    change = change_create(report=report, user=coordinator)
    change_save(
        change=change,
        user=coordinator,
        reason="Mer veiledning fra UH i andre tiltak; ett ekstra semester neste år.",
        proposed=proposed,
        expected_version=change.lock_version,
    )
    change_submit(change=change, user=coordinator)
