"""The review queue through the ORM: the rows in the order of every sort on every page, the
filters, the totals of the whole filter, the exceptions and rule settings of a page, and
what each role sees, checked against the reports themselves (issue 17 moved these from the
tests of the hand-written queue query)."""

import itertools

import pytest
from django.urls import reverse

from needs import views_review
from needs.models import NeedReport, RuleException
from needs.views_review import SORTS, _exceptions_and_rulesets
from partnerships.models import RuleSettings, Scheme
from tests.factories import make_partnership, make_region

from .conftest import make_measure, make_report

pytestmark = pytest.mark.django_db

PER_PAGE = 2
URL = reverse("needs:queue")


@pytest.fixture
def queue_data(cast, monkeypatch):
    """Reports in county A over two regions, years and schemes, in every status but draft
    (plus a draft and county B's report, which the queue never shows to Olga); equal names
    and totals, so ties fall to the id; a report without measures; exceptions and rule
    settings on some. Two reports to a page."""
    monkeypatch.setattr(views_review, "QUEUE_PAGE_SIZE", PER_PAGE)
    salten = make_region(cast.county_a, "Salten")
    partnerships = [
        make_partnership(cast.region_a, "Nettverk B"),
        make_partnership(cast.region_a, "Nettverk A"),
        make_partnership(salten, "Nettverk A"),  # the same name in another region
        make_partnership(salten, "Bodø-nettverket"),
    ]
    statuses = ["submitted", "returned", "reviewed", "allocated", "rejected"]
    reports = []
    for i, (partnership, scheme, year) in enumerate(
        itertools.product(partnerships, ["dekom", "rekom", "kompetanseloftet"], [2024, 2025])
    ):
        if i % 2 and i > 10:
            continue  # leave some gaps
        measures = [] if i == 3 else [(1_000 * (i % 3), 2_000), (500, 100 * i)]
        reports.append(
            make_report(
                partnership,
                scheme_code=scheme,
                year=year,
                measures=measures,
                status=statuses[i % len(statuses)],
                priority=None if i % 4 == 0 else i % 3,
                cofinancing_amount=100 * i,
            )
        )
    for report in reports[::3]:
        RuleException.objects.create(
            report=report, code="uh_share_below_minimum", justification="x"
        )
    RuleException.objects.create(report=reports[0], code="cofinancing_missing", justification="y")
    RuleSettings.objects.create(
        county_office=cast.county_a, scheme=Scheme.objects.get(code="dekom"), year=2024,
        min_uh_share_percent=55, cofinancing_percent=10, coordinator_cap=50_000,
    )  # fmt: skip
    make_report(partnerships[0], scheme_code="dekom", year=2023, measures=[(1, 1)])  # a draft
    make_report(cast.partnership_b, measures=[(7, 7)], status="submitted")
    make_measure(reports[0], 0, 0, position=3, coordinator_amount=400)
    return {"salten": salten, "partnerships": partnerships, "reports": reports}


SORT_KEYS = {
    "partnership": lambda r: (r.partnership.name, r.scheme.order, r.pk),
    "scheme": lambda r: (r.scheme.order, r.partnership.name, r.pk),
    "status": lambda r: (r.status, r.partnership.name, r.pk),
    "total": lambda r: (-r.requested_total, r.partnership.name, r.pk),
    # PostgreSQL puts NULL last in an ascending sort
    "priority": lambda r: (r.priority is None, r.priority or 0, r.partnership.name, r.pk),
}


def requested(report):
    """The report's sums, from its measures (not its stored totals)."""
    measures = list(report.measures.all())
    return sum(m.owner_amount for m in measures), sum(m.uh_amount for m in measures)


def expected(office, **filters):
    reports = NeedReport.objects.filter(partnership__region__county_office=office).exclude(
        status=NeedReport.Status.DRAFT
    )
    return list(reports.filter(**filters).select_related("partnership", "scheme"))


def all_pages(client, **query):
    """The rows of every page of the queue, and the first page's response."""
    first = client.get(URL, query)
    pks = [r.pk for r in first.context["reports"]]
    for number in range(2, first.context["page"].paginator.num_pages + 1):
        pks += [r.pk for r in client.get(URL, {**query, "page": number}).context["reports"]]
    return pks, first


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_every_sort_on_every_page(login, cast, queue_data, sort):
    client = login(cast.olga)
    for year in (2024, 2025):
        pks, first = all_pages(client, year=year, sort=sort)
        reports = sorted(expected(cast.county_a, year=year), key=SORT_KEYS[sort])
        assert pks == [r.pk for r in reports], (year, sort)
        assert first.context["page"].paginator.num_pages == -(-len(reports) // PER_PAGE) > 2
        assert first.context["count"] == len(reports)
    # Out of range: the last page; not a number: the first. Never an error.
    last = [r.pk for r in reports][-(len(reports) % PER_PAGE or PER_PAGE) :]
    first_page = [r.pk for r in reports][:PER_PAGE]
    for page, pks in [("99", last), ("9" * 30, last), ("0", last), ("x", first_page)]:
        response = client.get(URL, {"year": 2025, "sort": sort, "page": page})
        assert [r.pk for r in response.context["reports"]] == pks, page


@pytest.mark.parametrize(
    "query,lookups",
    [
        ({"year": 2024}, {"year": 2024}),
        ({"year": 2025, "scheme": "rekom"}, {"year": 2025, "scheme__code": "rekom"}),
        ({"year": 2024, "status": "returned"}, {"year": 2024, "status": "returned"}),
        ({"year": 2024, "partnership": 0}, {"year": 2024}),  # 0 is no filter: all
        (
            {"year": 2024, "status": "allocated", "scheme": "dekom"},
            {"year": 2024, "status": "allocated", "scheme__code": "dekom"},
        ),
    ],
)
def test_filters_and_their_totals(login, cast, queue_data, query, lookups):
    client = login(cast.olga)
    reports = expected(cast.county_a, **lookups)
    for sort in ("partnership", "total"):
        pks, first = all_pages(client, sort=sort, **query)
        assert sorted(pks) == sorted(r.pk for r in reports)
        owner = sum(requested(r)[0] for r in reports)
        uh = sum(requested(r)[1] for r in reports)
        assert first.context["totals"] == {"owner": owner, "uh": uh, "total": owner + uh}
        assert first.context["count"] == len(reports)


def test_region_and_partnership_filters(login, cast, queue_data):
    client = login(cast.olga)
    salten, partnership = queue_data["salten"], queue_data["partnerships"][2]
    for query, lookups in [
        ({"region": salten.pk}, {"partnership__region": salten}),
        ({"partnership": partnership.pk}, {"partnership": partnership}),
    ]:
        pks, first = all_pages(client, year=2024, sort="scheme", **query)
        reports = sorted(expected(cast.county_a, year=2024, **lookups), key=SORT_KEYS["scheme"])
        assert pks == [r.pk for r in reports] and pks


def test_exceptions_rule_settings_and_coordinator_sum_of_a_page(login, cast, queue_data):
    reports = queue_data["reports"]
    query = {"year": 2024, "scheme": "dekom", "partnership": reports[0].partnership_id}
    response = login(cast.olga).get(URL, query)
    shown = response.context["reports"]
    first = next(r for r in shown if r.pk == reports[0].pk)
    assert first.requested_coordinator == 400
    excepted, rulesets = _exceptions_and_rulesets(shown, cast.olga)
    assert excepted[reports[0].pk] == {"uh_share_below_minimum", "cofinancing_missing"}
    assert all(
        excepted[r.pk] == ({"uh_share_below_minimum"} if r in reports[3::3] else set())
        for r in shown
        if r.pk != reports[0].pk
    )
    settings = rulesets[cast.county_a.pk, reports[0].scheme_id, 2024]
    assert (settings.min_uh_share_percent, settings.coordinator_cap) == (55, 50_000)


def test_other_county_and_administrator(login, cast, queue_data):
    otto = login(cast.otto).get(URL, {"year": 2024}).context["reports"]
    assert [r.partnership.name for r in otto] == [cast.partnership_b.name]
    pks, first = all_pages(login(cast.root), year=2024, sort="total")
    both = expected(cast.county_a, year=2024) + expected(cast.county_b, year=2024)
    assert pks == [r.pk for r in sorted(both, key=SORT_KEYS["total"])]
    assert first.context["count"] == len(both)


def test_an_empty_queue(login, cast):
    response = login(cast.olga).get(URL, {"page": "3"})
    assert response.status_code == 200
    assert response.context["reports"] == [] and response.context["count"] == 0
    assert response.context["totals"] == {"owner": 0, "uh": 0, "total": 0}
