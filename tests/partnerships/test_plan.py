"""The activity plan: views per role, the form's date rules, iCalendar feed and download, PDF."""

import io
from datetime import date, time

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from pypdf import PdfReader

from needs.models import NeedReport
from partnerships.models import CalendarFeedToken, Membership, PlannedActivity
from partnerships.models_plan import local_datetime
from tests.needs.conftest import make_measure, make_report
from tests.partnerships.plan_helpers import make_activity, parse_ics

pytestmark = pytest.mark.django_db

AUTUMN_2024 = {"year": 2024, "half": "autumn"}


@pytest.fixture
def plan(cast):
    """Partnership A's Dekom 2024 report (a draft) with two measures, and activities in A and B."""
    report = make_report(cast.partnership_a, measures=[(40_000, 60_000)])
    network = report.measures.get()
    competence_day = make_measure(report, 75_000, 114_000, position=2, name="Kompetansedag")
    report_b = make_report(cast.partnership_b, measures=[(10_000, 20_000)])
    day = make_activity(
        cast.partnership_a,
        date(2024, 8, 13),
        None,
        None,
        title="Kompetansedag for alle",
        kind=PlannedActivity.Kind.COMPETENCE_DAY,
        measures=[competence_day],
        created_by=cast.alice,
        preparation="Les kapittel 3",
    )
    meeting = make_activity(
        cast.partnership_a,
        date(2024, 9, 17),
        title="Nettverkssamling 1",
        measures=[network],
        created_by=cast.ulla,
        place="Sandnessjøen",
    )
    other = make_activity(cast.partnership_b, date(2024, 9, 18), title="Stord-samling")
    return type(
        "Plan",
        (),
        {
            "report": report,
            "network": network,
            "competence_day": competence_day,
            "report_b": report_b,
            "day": day,
            "meeting": meeting,
            "other": other,
        },
    )


def half_year(client, **params):
    return client.get(reverse("plan:half_year"), {**AUTUMN_2024, **params})


def titles(response):
    return [a.title for _, activities in response.context["months"] for a in activities]


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


# Who sees what -------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, plan, cast):
    urls = [
        reverse("plan:half_year"),
        reverse("plan:month"),
        reverse("plan:pdf"),
        reverse("plan:choose"),
        reverse("plan:create", args=[cast.partnership_a.pk]),
        reverse("plan:detail", args=[plan.day.pk]),
        reverse("plan:edit", args=[plan.day.pk]),
        reverse("plan:delete", args=[plan.day.pk]),
        reverse("plan:partnership_calendar", args=[cast.partnership_a.pk]),
        reverse("plan:feed_settings"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("alice", ["Kompetansedag for alle", "Nettverkssamling 1"]),
        ("ulla", ["Kompetansedag for alle", "Nettverkssamling 1"]),
        ("olga", ["Kompetansedag for alle", "Nettverkssamling 1"]),
        ("bob", ["Stord-samling"]),
        ("otto", ["Stord-samling"]),
        ("root", ["Kompetansedag for alle", "Nettverkssamling 1", "Stord-samling"]),
    ],
)
def test_half_year_view_shows_what_each_role_may_see(login, cast, plan, user, expected):
    response = half_year(login(getattr(cast, user)))
    assert titles(response) == expected
    page = response.content.decode()
    assert "Høst 2024" in page
    if "Kompetansedag for alle" not in expected:
        assert "Kompetansedag for alle" not in page


def test_half_year_view_shows_the_calendar_table(login, cast, plan):
    page = half_year(login(cast.alice)).content.decode()
    assert "13.08.2024" in page
    assert "Les kapittel 3" in page
    assert "Sandnessjøen" in page
    assert reverse("measures:edit", args=[plan.report.pk, plan.competence_day.pk]) in page
    assert "kl. 09.00–15.00" in page


def test_other_half_year_is_empty(login, cast, plan):
    response = login(cast.alice).get(reverse("plan:half_year"), {"year": 2024, "half": "spring"})
    assert titles(response) == []
    assert "Vår 2024" in response.content.decode()


def test_paging_past_the_years_with_activities_keeps_the_year(login, cast, plan):
    response = login(cast.alice).get(reverse("plan:half_year"), {"year": 2015, "half": "autumn"})
    page = response.content.decode()
    assert "Høst 2015" in page
    assert "year=2015&amp;half=spring" in page  # the link to the previous half-year
    response = login(cast.alice).get(reverse("plan:half_year"), {"year": 1066, "half": "x"})
    assert response.context["title"].startswith(("Vår", "Høst"))  # ignored: this half-year


def test_county_office_does_not_see_measures_of_draft_reports(login, cast, plan):
    page = half_year(login(cast.olga)).content.decode()
    assert "Kompetansedag for alle" in page
    assert reverse("measures:edit", args=[plan.report.pk, plan.competence_day.pk]) not in page
    plan.report.status = NeedReport.Status.SUBMITTED
    plan.report.save()
    page = half_year(login(cast.olga)).content.decode()
    assert reverse("measures:edit", args=[plan.report.pk, plan.competence_day.pk]) in page


def test_filters_by_partnership_measure_and_kind(login, cast, plan):
    client = login(cast.root)
    assert titles(half_year(client, partnership=cast.partnership_b.pk)) == ["Stord-samling"]
    response = half_year(client, partnership=cast.partnership_a.pk, measure=plan.network.pk)
    assert titles(response) == ["Nettverkssamling 1"]
    assert titles(half_year(client, kind="competence_day")) == ["Kompetansedag for alle"]


def test_filter_by_a_partnership_out_of_reach_is_ignored(login, cast, plan):
    response = half_year(login(cast.bob), partnership=cast.partnership_a.pk)
    assert titles(response) == ["Stord-samling"]
    response = half_year(
        login(cast.bob), partnership=cast.partnership_b.pk, measure=plan.network.pk
    )
    assert titles(response) == ["Stord-samling"]


def test_half_year_view_query_count_does_not_grow_with_rows(
    login, cast, plan, django_assert_num_queries
):
    for day in range(1, 9):
        make_activity(
            cast.partnership_a,
            date(2024, 10, day),
            title=f"Samling {day}",
            measures=[plan.network, plan.competence_day],
        )
    client = login(cast.alice)
    with django_assert_num_queries(9):
        response = half_year(client, partnership=cast.partnership_a.pk)
    assert len(titles(response)) == 10


def test_month_view_puts_activities_on_their_days(login, cast, plan, django_assert_num_queries):
    make_activity(
        cast.partnership_a,
        date(2024, 9, 30),
        title="Todagers samling",
        last_day=date(2024, 10, 1),
    )
    client = login(cast.alice)
    with django_assert_num_queries(7):
        response = client.get(reverse("plan:month"), {"year": 2024, "month": 9})
    days = {
        day: [a.title for a in activities]
        for _, week in response.context["weeks"]
        for day, in_month, activities in week
        if in_month
    }
    assert days[date(2024, 9, 17)] == ["Nettverkssamling 1"]
    assert days[date(2024, 9, 30)] == ["Todagers samling"]
    assert "Stord-samling" not in response.content.decode()
    october = client.get(reverse("plan:month"), {"year": 2024, "month": 10})
    first = [a for _, w in october.context["weeks"] for d, inside, a in w if d == date(2024, 10, 1)]
    assert [a.title for a in first[0]] == ["Todagers samling"]


def test_month_view_for_the_outsider_and_the_other_county(login, cast, plan):
    for user in (cast.bob, cast.otto):
        response = login(user).get(reverse("plan:month"), {"year": 2024, "month": 9})
        page = response.content.decode()
        assert "Stord-samling" in page
        assert "Nettverkssamling 1" not in page


@pytest.mark.parametrize(
    ("user", "status", "can_edit"),
    [
        ("alice", 200, True),
        ("ulla", 200, False),  # alice added it
        ("olga", 200, False),
        ("root", 200, False),
        ("bob", 404, None),
        ("otto", 404, None),
    ],
)
def test_detail_per_role(login, cast, plan, user, status, can_edit):
    response = login(getattr(cast, user)).get(reverse("plan:detail", args=[plan.day.pk]))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Kompetansedag for alle" in page
        assert "Les kapittel 3" in page
        assert (reverse("plan:edit", args=[plan.day.pk]) in page) is can_edit


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


# iCalendar -----------------------------------------------------------------------------


def create_feed(client):
    response = client.post(reverse("plan:feed_settings"), {"action": "create"})
    assert response.status_code == 200
    url = response.context["feed_url"]
    assert url.startswith("http://testserver/activity-plan/feed/")
    assert url in response.content.decode()
    return url.removeprefix("http://testserver")


def test_feed_is_reachable_without_login_and_holds_what_the_user_sees(client, login, cast, plan):
    path = create_feed(login(cast.alice))
    token = CalendarFeedToken.objects.get(user=cast.alice)
    assert path.split("/")[-1].removesuffix(".ics") not in token.token_hash  # stored hashed
    client.logout()
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = {e["SUMMARY"][1]: e for e in parse_ics(response.content.decode())}
    assert set(events) == {"Kompetansedag for alle", "Nettverkssamling 1"}
    day = events["Kompetansedag for alle"]
    assert day["DTSTART"] == (["VALUE=DATE"], "20240813")
    assert day["UID"][1] == f"planned-activity-{plan.day.pk}@kompetanseportalen"
    assert "Les kapittel 3" in day["DESCRIPTION"][1]
    assert "Kompetansedag" in day["DESCRIPTION"][1]  # the measure
    assert events["Nettverkssamling 1"]["DTSTART"] == ([], "20240917T070000Z")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_feed_drops_activities_the_user_can_no_longer_see(client, login, cast, plan):
    path = create_feed(login(cast.ulla))
    client.logout()
    assert len(parse_ics(client.get(path).content.decode())) == 2
    Membership.objects.filter(user=cast.ulla).delete()
    assert parse_ics(client.get(path).content.decode()) == []
    cast.ulla.is_active = False
    cast.ulla.save()
    assert client.get(path).status_code == 404


def test_revoked_and_replaced_tokens_answer_404(client, login, cast, plan):
    alice = login(cast.alice)
    first = create_feed(alice)
    second = create_feed(alice)
    assert alice.get(first).status_code == 404
    assert alice.get(second).status_code == 200
    response = alice.post(reverse("plan:feed_settings"), {"action": "revoke"})
    assert response.status_code == 302
    client.logout()
    assert client.get(second).status_code == 404
    assert client.get(reverse("plan:feed", args=["not-a-token"])).status_code == 404
    assert not CalendarFeedToken.objects.filter(revoked_at__isnull=True).exists()


def test_feed_settings_page_shows_the_state(login, cast, plan):
    client = login(cast.olga)
    page = client.get(reverse("plan:feed_settings")).content.decode()
    assert "Lag en kalenderadresse" in page
    create_feed(client)
    page = client.get(reverse("plan:feed_settings")).content.decode()
    assert "Trekk tilbake adressen" in page
    assert "/activity-plan/feed/" not in page  # the secret is shown once only


def test_officer_feed_holds_the_county_without_draft_measures(client, login, cast, plan):
    path = create_feed(login(cast.olga))
    client.logout()
    events = {e["SUMMARY"][1]: e for e in parse_ics(client.get(path).content.decode())}
    assert set(events) == {"Kompetansedag for alle", "Nettverkssamling 1"}
    assert "Dekom 2024" not in events["Kompetansedag for alle"]["DESCRIPTION"][1]


@pytest.mark.parametrize(("user", "status"), [("alice", 200), ("olga", 200), ("bob", 404)])
def test_partnership_calendar_download(login, cast, plan, user, status):
    url = reverse("plan:partnership_calendar", args=[cast.partnership_a.pk])
    response = login(getattr(cast, user)).get(url)
    assert response.status_code == status
    if status == 200:
        assert "attachment" in response["Content-Disposition"]
        summaries = [e["SUMMARY"][1] for e in parse_ics(response.content.decode())]
        assert summaries == ["Kompetansedag for alle", "Nettverkssamling 1"]


def test_feed_query_count_does_not_grow_with_rows(
    client, login, cast, plan, django_assert_num_queries
):
    for day in range(1, 9):
        make_activity(cast.partnership_a, date(2024, 10, day), measures=[plan.network])
    path = create_feed(login(cast.alice))
    client.logout()
    # token, its last use, the user's roles (2), activities, their measures
    with django_assert_num_queries(6):
        response = client.get(path)
    assert len(parse_ics(response.content.decode())) == 10


# PDF -----------------------------------------------------------------------------------


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_printable_half_year_plan(login, cast, plan):
    response = login(cast.alice).get(
        reverse("plan:pdf"), {**AUTUMN_2024, "partnership": cast.partnership_a.pk}
    )
    assert response["Content-Type"] == "application/pdf"
    assert "aktivitetsplan-god-opplaering-for-alle-host-2024.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Høst 2024" in text
    assert "Kompetansedag for alle" in text
    assert "Les kapittel 3" in text
    assert "Stord-samling" not in text


def test_printable_plan_of_the_outsider_holds_only_their_own(login, cast, plan):
    response = login(cast.bob).get(
        reverse("plan:pdf"), {**AUTUMN_2024, "partnership": cast.partnership_a.pk}
    )
    text = pdf_text(response.content)
    assert "Stord-samling" in text
    assert "Kompetansedag for alle" not in text
