"""The dashboard's annual-report overview: what waits for each user and what is overdue."""

import datetime

import pytest
from django.urls import reverse

from reporting.annual import deadline_set
from tests.reporting import annual_helpers
from tests.reporting.annual_helpers import confirm_by_uh, fill_in, url

pytestmark = pytest.mark.django_db

need = annual_helpers.need
annual = annual_helpers.annual


def _dashboard(client):
    response = client.get(reverse("portal:dashboard"))
    return response.context["annual_overview"], response.content.decode()


def test_the_coordinator_sees_what_to_write_and_that_it_is_overdue(cast, login, need):
    deadline_set(
        county_office=cast.county_a,
        year=need.year,
        due_date=datetime.date(2025, 2, 1),
        user=cast.olga,
    )
    overview, page = _dashboard(login(cast.alice))
    assert [row.report for row in overview["to_write"]] == [need]
    assert overview["to_write"][0].overdue
    assert 'data-testid="annual-overdue"' in page and "01.02.2025" in page
    assert not overview["to_confirm"] and not overview["to_review"]


def test_the_uh_contact_sees_what_to_confirm(cast, login, need, annual):
    _overview, _page = _dashboard(login(cast.ulla))
    assert not _overview["to_confirm"]  # nothing filled in yet
    login(cast.alice).post(url("annual_edit", need), fill_in(annual))
    overview, page = _dashboard(login(cast.ulla))
    assert overview["to_confirm"] == [annual]
    assert 'data-testid="annual-to-confirm"' in page
    confirm_by_uh(annual)
    overview, _page = _dashboard(login(cast.ulla))
    assert not overview["to_confirm"]


def test_the_officer_sees_what_to_review_and_what_is_overdue(cast, login, need, annual):
    deadline_set(
        county_office=cast.county_a,
        year=need.year,
        due_date=datetime.date(2025, 2, 1),
        user=cast.olga,
    )
    overview, page = _dashboard(login(cast.olga))
    assert [(row.county_office, row.count) for row in overview["overdue"]] == [(cast.county_a, 1)]
    assert "1 rapport ikke sendt inn" in page
    annual_helpers.submit(login(cast.alice), annual)
    overview, page = _dashboard(login(cast.olga))
    assert overview["to_review"] == [annual] and not overview["overdue"]
    assert 'data-testid="annual-to-review"' in page
    # The other county's officer sees none of it.
    overview, _page = _dashboard(login(cast.otto))
    assert not overview["any"]


def test_the_annual_pdf_link_says_it_follows_the_partnerships_language_form(
    cast, login, need, annual
):
    client = login(cast.alice)
    page = client.get(url("annual_detail", need), HTTP_ACCEPT_LANGUAGE="nn").content.decode()
    assert 'data-testid="language-note"' in page and "på bokmål" in page
    page = client.get(url("annual_detail", need), HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert 'data-testid="language-note"' not in page


def test_the_calendar_says_it_follows_the_partnerships_language_form(cast, login):
    from partnerships.models import Organisation

    Organisation.objects.filter(pk=cast.owner_a1.pk).update(language_form="nn")
    cast.partnership_a.lead_owner = cast.owner_a1
    cast.partnership_a.save()
    client = login(cast.alice)
    page = client.get(
        reverse("plan:half_year") + f"?partnership={cast.partnership_a.pk}",
        HTTP_ACCEPT_LANGUAGE="nb",
    ).content.decode()
    assert 'data-testid="language-note"' in page and "på nynorsk" in page
    page = client.get(reverse("plan:feed_settings")).content.decode()
    assert 'data-testid="language-note"' in page
