"""Acceptance: the demo's activity plans (seed 002's gatherings for 2024–25, seed 003's)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from measures.models import Measure
from partnerships.models import Partnership, PlannedActivity
from tests.partnerships.plan_helpers import parse_ics

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo", verbosity=0)


def feed_events(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    response = client.post(reverse("plan:feed_settings"), {"action": "create"})
    path = response.context["feed_url"].removeprefix("http://testserver")
    client.logout()
    response = client.get(path)
    assert response.status_code == 200
    return parse_ics(response.content.decode())


def test_ytre_helgeland_plan_shows_the_competence_day_linked_to_measure_4(client, demo):
    goa = Partnership.objects.get(name="God opplæring for alle")
    measure_4 = Measure.objects.get(
        report__partnership=goa, report__scheme__code="dekom", report__year=2024, position=4
    )
    client.force_login(get_user_model().objects.get(username="koordinator.goa"))
    response = client.get(
        reverse("plan:half_year"), {"year": 2024, "half": "autumn", "partnership": goa.pk}
    )
    rows = [a for _, activities in response.context["months"] for a in activities]
    day = next(a for a in rows if a.kind == PlannedActivity.Kind.COMPETENCE_DAY)
    assert day.start_date.isoformat() == "2024-08-13"
    assert list(day.measures.all()) == [measure_4]
    page = response.content.decode()
    assert "13.08.2024" in page
    assert f'href="{measure_4.get_absolute_url()}"' in page
    assert "Kompetansedag / arbeidsverksted språk, lesing og skriving" in page


def test_four_network_meetings_per_network_in_2024_25(demo):
    goa = Partnership.objects.get(name="God opplæring for alle")
    for position in (2, 3):
        measure = Measure.objects.get(
            report__partnership=goa, report__scheme__code="dekom", position=position
        )
        meetings = measure.planned_activities.filter(kind=PlannedActivity.Kind.NETWORK_MEETING)
        assert meetings.count() == 4


def test_demo_plans_are_created_once(demo):
    count = PlannedActivity.objects.count()
    call_command("demo", verbosity=0)
    assert PlannedActivity.objects.count() == count
    assert PlannedActivity.objects.filter(partnership__name="Kompetansenettverk Lofoten").count()


def test_the_competence_day_is_in_koordinator_goa_feed_but_not_in_salten(client, demo):
    events = feed_events(client, "koordinator.goa")
    day = [e for e in events if e["DTSTART"] == (["VALUE=DATE"], "20240813")]
    assert len(day) == 1
    assert day[0]["SUMMARY"][1] == "Felles kompetansedag: språk, lesing og skriving"
    assert day[0]["DTEND"] == (["VALUE=DATE"], "20240814")
    assert "Kompetansedag / arbeidsverksted" in day[0]["DESCRIPTION"][1]

    salten = feed_events(client, "koordinator.salten")
    assert salten, "Salten has its own activities"
    assert not [e for e in salten if e["DTSTART"][1] == "20240813"]
    assert not [e for e in salten if "kompetansedag" in e["SUMMARY"][1].lower()]
