"""The user's roles load in one query per request, and nothing is kept between requests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import CountyMembership, Membership
from portal.access import member_roles, officer_county_ids
from portal.models import User


def _user(pk):
    """The user as a request gets it: a fresh instance, active users only."""
    return User.objects.filter(pk=pk, is_active=True).first()


def test_roles_come_in_one_query(cast):
    cast.alice.is_superuser = False
    CountyMembership.objects.create(county_office=cast.county_b, user=cast.alice)
    Membership.objects.create(
        partnership=cast.partnership_b, user=cast.alice, role=Membership.Role.UH_CONTACT
    )
    user = _user(cast.alice.pk)
    with CaptureQueriesContext(connection) as queries:
        roles = member_roles(user)
        counties = officer_county_ids(user)
    assert len(queries) == 1
    assert roles == {
        cast.partnership_a.pk: {Membership.Role.COORDINATOR},
        cast.partnership_b.pk: {Membership.Role.UH_CONTACT},
    }
    assert counties == {cast.county_b.pk}


def test_a_user_without_roles_has_empty_ones(cast):
    user = _user(cast.root.pk)
    assert member_roles(user) == {}
    assert officer_county_ids(user) == set()


def test_a_role_taken_away_counts_from_the_next_request(login, cast):
    client = login(cast.alice)
    report_list = reverse("partnerships:detail", args=[cast.partnership_a.pk])
    assert client.get(report_list).status_code == 200
    Membership.objects.filter(user=cast.alice).delete()
    assert client.get(report_list).status_code == 404


def test_the_session_store_reads_live_sessions_only(cast):
    from datetime import timedelta

    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    store = SessionStore()
    store["answer"] = 42
    store.create()
    assert SessionStore(store.session_key).load() == {"answer": 42}

    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None  # a new session is made, the old key is not reused
    assert SessionStore("nosuchsessionkeyatallxyz").load() == {}


def test_logging_out_ends_the_session_at_once(login, cast):
    client = login(cast.alice)
    url = reverse("partnerships:detail", args=[cast.partnership_a.pk])
    assert cast.partnership_a.name in client.get(url).content.decode()
    cookie = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    client.cookies["sessionid"] = cookie  # replaying the old cookie
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_deactivated_user_is_logged_out_on_the_next_request(login, cast):
    client = login(cast.bob)
    url = reverse("portal:dashboard")
    assert client.get(url).status_code == 200
    cast.bob.is_active = False
    cast.bob.save()
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
