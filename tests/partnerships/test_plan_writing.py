"""The activity plan's form: who may add, edit and delete activities, and the date rules."""

from datetime import date, time

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from partnerships.models import PlannedActivity
from partnerships.models_plan import local_datetime
from tests.partnerships import plan_helpers
from tests.partnerships.plan_helpers import (
    half_year,
    make_activity,
    titles,
)

pytestmark = pytest.mark.django_db

# Fixture shared with the other activity-plan modules.
plan = plan_helpers.plan


def form_data(**changes):
    data = {
        "title": "Ledersamling",
        "kind": "leader_meeting",
        "start_date": "2024-10-16",
        "start_time": "09:00",
        "end_date": "",
        "end_time": "15:00",
        "place": "Bodø",
        "theme": "Lærende nettverk",
        "participants": "Skoleledere",
        "responsible": "RKK",
        "preparation": "Les notatet",
        "notes": "",
    }
    data.update(changes)
    return data


# Writing -------------------------------------------------------------------------------


def test_coordinator_creates_an_activity_linked_to_measures(login, cast, plan):
    client = login(cast.alice)
    url = reverse("plan:create", args=[cast.partnership_a.pk])
    page = client.get(url, {"measure": plan.competence_day.pk}).content.decode()
    assert "Dekom 2024: Kompetansedag" in page
    response = client.post(url, form_data(measures=[plan.network.pk, plan.competence_day.pk]))
    activity = PlannedActivity.objects.get(title="Ledersamling")
    assert response.url == activity.get_absolute_url()
    assert activity.partnership == cast.partnership_a
    assert activity.created_by == cast.alice
    assert activity.starts_at == local_datetime(date(2024, 10, 16), time(9, 0))
    assert activity.ends_at == local_datetime(date(2024, 10, 16), time(15, 0))
    assert not activity.all_day
    assert set(activity.measures.all()) == {plan.network, plan.competence_day}
    assert "Ledersamling" in titles(half_year(client))


def test_all_day_activity_over_two_days(login, cast, plan):
    client = login(cast.alice)
    client.post(
        reverse("plan:create", args=[cast.partnership_a.pk]),
        form_data(start_time="", end_time="", start_date="13.08.2025", end_date="2025-08-14"),
    )
    activity = PlannedActivity.objects.get(title="Ledersamling")
    assert activity.all_day
    assert (activity.start_date, activity.end_date) == (date(2025, 8, 13), date(2025, 8, 14))


def test_measures_of_another_partnership_are_refused(login, cast, plan):
    response = login(cast.alice).post(
        reverse("plan:create", args=[cast.partnership_a.pk]),
        form_data(measures=[plan.report_b.measures.get().pk]),
    )
    assert response.status_code == 200
    assert "measures" in response.context["form"].errors
    assert not PlannedActivity.objects.filter(title="Ledersamling").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_time": "08:00"}, "end_time"),
        ({"end_date": "2024-10-15"}, "end_date"),
        ({"start_time": "", "end_time": "", "end_date": "2024-10-01"}, "end_date"),
    ],
)
def test_end_before_start_gets_a_clear_message(login, cast, plan, changes, field):
    response = login(cast.alice).post(
        reverse("plan:create", args=[cast.partnership_a.pk]), form_data(**changes)
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [
        "Aktiviteten slutter før den begynner: sjekk siste dag og klokkeslettene."
    ]
    page = response.content.decode()
    assert "Aktiviteten slutter før den begynner" in page
    assert 'value="Lærende nettverk"' not in page  # theme is a textarea: kept as text
    assert "Lærende nettverk" in page
    assert not PlannedActivity.objects.filter(title="Ledersamling").exists()


def test_one_time_without_the_other_is_refused(login, cast, plan):
    response = login(cast.alice).post(
        reverse("plan:create", args=[cast.partnership_a.pk]), form_data(end_time="")
    )
    assert "end_time" in response.context["form"].errors
    assert not PlannedActivity.objects.filter(title="Ledersamling").exists()


def test_database_refuses_an_end_before_the_start(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_activity(cast.partnership_a, date(2024, 9, 17), time(15, 0), time(9, 0))


def test_uh_contact_adds_and_edits_own_activities_only(login, cast, plan):
    client = login(cast.ulla)
    response = client.post(reverse("plan:create", args=[cast.partnership_a.pk]), form_data())
    assert response.status_code == 302
    mine = PlannedActivity.objects.get(title="Ledersamling")
    assert mine.created_by == cast.ulla
    response = client.post(reverse("plan:edit", args=[mine.pk]), form_data(title="Endret"))
    mine.refresh_from_db()
    assert (mine.title, mine.sequence) == ("Endret", 1)
    assert client.get(reverse("plan:edit", args=[plan.day.pk])).status_code == 403
    assert client.post(reverse("plan:delete", args=[plan.day.pk])).status_code == 403
    assert PlannedActivity.objects.filter(pk=plan.day.pk).exists()


def test_coordinator_edits_and_deletes_any_activity_of_the_partnership(login, cast, plan):
    client = login(cast.alice)
    response = client.get(reverse("plan:edit", args=[plan.meeting.pk]))
    assert 'value="2024-09-17"' in response.content.decode()
    client.post(
        reverse("plan:edit", args=[plan.meeting.pk]),
        form_data(title="Nettverkssamling 1 (flyttet)", start_date="2024-09-24"),
    )
    plan.meeting.refresh_from_db()
    assert plan.meeting.title == "Nettverkssamling 1 (flyttet)"
    assert plan.meeting.start_date == date(2024, 9, 24)
    assert list(plan.meeting.measures.all()) == []  # the form's checkboxes decide
    response = client.post(reverse("plan:delete", args=[plan.meeting.pk]))
    assert response.url.startswith(reverse("plan:half_year"))
    assert not PlannedActivity.objects.filter(pk=plan.meeting.pk).exists()


@pytest.mark.parametrize(("user", "status"), [("olga", 403), ("root", 403), ("bob", 404)])
def test_others_cannot_write(login, cast, plan, user, status):
    client = login(getattr(cast, user))
    assert client.get(reverse("plan:create", args=[cast.partnership_a.pk])).status_code == status
    response = client.post(reverse("plan:create", args=[cast.partnership_a.pk]), form_data())
    assert response.status_code == status
    for name in ("plan:edit", "plan:delete"):
        assert client.post(reverse(name, args=[plan.day.pk]), form_data()).status_code == status
    assert not PlannedActivity.objects.filter(title="Ledersamling").exists()
    plan.day.refresh_from_db()
    assert plan.day.title == "Kompetansedag for alle"


def test_choose_partnership(login, cast, plan):
    response = login(cast.alice).get(reverse("plan:choose"))
    assert response.url == reverse("plan:create", args=[cast.partnership_a.pk])
    assert login(cast.olga).get(reverse("plan:choose")).status_code == 403


def test_measure_page_lists_its_activities(login, cast, plan):
    url = reverse("measures:edit", args=[plan.report.pk, plan.competence_day.pk])
    page = login(cast.alice).get(url).content.decode()
    assert "Kompetansedag for alle" in page
    assert "Nettverkssamling 1" not in page
    assert reverse("plan:create", args=[cast.partnership_a.pk]) in page
    page = login(cast.ulla).get(url).content.decode()
    assert "Kompetansedag for alle" in page
    assert login(cast.bob).get(url).status_code == 404
