"""The page cache (portal/pagecache.py): a hit only while nothing has changed, and only for
the session it was made for.

These tests commit (transactional database): the cache steps aside inside a transaction,
where the request's own writes do not move PostgreSQL's snapshot.
"""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from measures.models import Measure
from partnerships.models import Membership
from portal.pagecache import database_state

from ..needs.conftest import make_report

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the page cache works on PostgreSQL only",
    ),
]


@pytest.fixture(autouse=True)
def empty_page_cache():
    from django.core.cache import caches

    caches["pages"].clear()


@pytest.fixture
def report(cast):
    return make_report(cast.partnership_a, measures=[(40_000, 60_000), (10_000, 0)])


def client_of(user, **options):
    client = Client(**options)
    client.force_login(user)
    return client


def get(client, url):
    """(response, the SQL of the queries it made)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [q["sql"] for q in queries.captured_queries]


def warm(client, url):
    """The first answer sets the CSRF cookie; the second is made with it and kept."""
    client.get(url)
    response, queries = get(client, url)
    assert response.status_code == 200
    return response, queries


def is_hit(queries):
    # Session, user and the snapshot: the view itself ran no query.
    return len(queries) == 3 and "pg_current_snapshot" in queries[-1]


def test_an_unchanged_page_is_served_from_the_cache(cast, report):
    client = client_of(cast.alice)
    url = report.get_absolute_url()
    rendered, queries = warm(client, url)
    assert not is_hit(queries)

    hit, queries = get(client, url)
    assert is_hit(queries)
    assert hit.content == rendered.content
    assert hit["Content-Type"] == rendered["Content-Type"]
    assert "Tiltak 1" in hit.content.decode()


def test_a_committed_change_shows_at_once(cast, report):
    client = client_of(cast.alice)
    url = report.get_absolute_url()
    warm(client, url)
    Measure.objects.filter(report=report, position=1).update(name="Lesing i alle fag")

    response, queries = get(client, url)
    assert not is_hit(queries)
    assert "Lesing i alle fag" in response.content.decode()
    again, queries = get(client, url)
    assert is_hit(queries)
    assert "Lesing i alle fag" in again.content.decode()


def test_a_save_through_the_portal_shows_at_once(cast, report):
    client = client_of(cast.alice)
    measure = report.measures.get(position=1)
    warm(client, report.get_absolute_url())
    page = client.get(measure.get_absolute_url()).content.decode()
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    form = {
        "name": measure.name,
        "owner_amount": "41 000",
        "uh_amount": "60 000",
        "purpose": measure.purpose,
        "version": version,
    }
    response = client.post(
        measure.get_absolute_url(), form, headers={"X-Requested-With": "autosave"}
    )
    assert response.status_code == 200
    assert Measure.objects.get(pk=measure.pk).owner_amount == 41_000

    page, queries = get(client, report.get_absolute_url())
    assert not is_hit(queries)
    assert "41 000" in page.content.decode() or "41\xa0000" in page.content.decode()


def test_each_session_gets_its_own_pages(cast, report):
    url = report.get_absolute_url()
    first, second = client_of(cast.alice), client_of(cast.alice)  # both log in first
    warm(first, url)

    other_session, queries = warm(second, url)
    assert not is_hit(queries)
    assert other_session.status_code == 200

    outsider = client_of(cast.bob)
    outsider.get(url)
    assert outsider.get(url).status_code == 404
    reader, queries = warm(client_of(cast.ulla), url)
    assert not is_hit(queries)
    assert reader.context["can_edit"] is False


def test_a_revoked_membership_answers_404_at_once(cast, report):
    client = client_of(cast.alice)
    url = report.get_absolute_url()
    warm(client, url)
    Membership.objects.filter(user=cast.alice).delete()

    assert client.get(url).status_code == 404


def test_waiting_messages_are_shown_once(cast):
    report = make_report(cast.partnership_a)  # no measures: submitting is refused
    client = client_of(cast.alice)
    url = report.get_absolute_url()
    warm(client, url)
    with translation.override("nb"):
        refused = translation.gettext("The report was not submitted. Fix the points above.")

    client.post(reverse("needs:submit", args=[report.pk]))
    shown, queries = get(client, url)
    assert not is_hit(queries)
    assert refused in shown.content.decode()
    after, _ = get(client, url)
    assert refused not in after.content.decode()


def test_the_csrf_token_of_a_cached_page_is_accepted(cast, report):
    client = client_of(cast.alice, enforce_csrf_checks=True)
    url = report.get_absolute_url()
    warm(client, url)
    hit, queries = get(client, url)
    assert is_hit(queries)
    assert settings.CSRF_COOKIE_NAME in hit.cookies  # renewed, as for a rendered page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', hit.content.decode())

    response = client.post(
        reverse("needs:submit", args=[report.pk]), {"csrfmiddlewaretoken": token.group(1)}
    )
    assert response.status_code == 302
    refused = client.post(reverse("needs:submit", args=[report.pk]))
    assert refused.status_code == 403


def test_the_language_is_part_of_the_key(cast, report):
    client = client_of(cast.alice)
    url = report.get_absolute_url()
    warm(client, url)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"

    response, queries = get(client, url)
    assert not is_hit(queries)
    assert '<html lang="nn">' in response.content.decode()


def test_the_query_string_is_part_of_the_key(cast, report):
    client = client_of(cast.alice)
    url = reverse("needs:list")
    warm(client, f"{url}?year=2024")

    other_year, queries = get(client, f"{url}?year=2023")
    assert not is_hit(queries)
    assert other_year.context["reports"] == []


@pytest.mark.django_db  # inside the test's transaction
def test_nothing_is_cached_inside_a_transaction(cast, report):
    client = client_of(cast.alice)
    url = report.get_absolute_url()
    assert database_state() is None
    warm(client, url)
    Measure.objects.filter(report=report, position=1).update(name="Ny plan")

    response, queries = get(client, url)
    assert not is_hit(queries)
    assert "Ny plan" in response.content.decode()


def test_page_cache_off_renders_every_time(cast, report, settings):
    settings.PAGE_CACHE = False
    client = client_of(cast.alice)
    url = report.get_absolute_url()
    warm(client, url)

    _, queries = get(client, url)
    assert not is_hit(queries)
    assert not any("pg_current_snapshot" in sql for sql in queries)


def test_fragment_requests_are_kept_apart(cast, report):
    client = client_of(cast.alice)
    url = report.get_absolute_url()
    warm(client, url)

    _, queries = get(client, url)
    assert is_hit(queries)
    with CaptureQueriesContext(connection) as captured:
        client.get(url, headers={"HX-Request": "true"})
    assert not is_hit([q["sql"] for q in captured.captured_queries])
