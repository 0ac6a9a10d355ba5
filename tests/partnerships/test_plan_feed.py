"""The activity plan in iCalendar: the personal feed, its token, and the download."""

from datetime import date

import pytest
from django.urls import reverse

from partnerships.models import CalendarFeedToken, Membership
from tests.partnerships import plan_helpers
from tests.partnerships.plan_helpers import (
    make_activity,
    parse_ics,
)

pytestmark = pytest.mark.django_db

# Fixture shared with the other activity-plan modules.
plan = plan_helpers.plan


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
    # token, its last use, the user's roles (one query), activities, their measures
    with django_assert_num_queries(5):
        response = client.get(path)
    assert len(parse_ics(response.content.decode())) == 10
