"""The review queue's hand-written query (needs/queue_sql.py) against the ORM's answer
(_queue_page_orm, what SQLite runs): the same rows in the same order, the same totals,
exceptions and rule settings, for every sort, the filters, the pages and the roles."""

import itertools

import pytest
from django.test import RequestFactory

from needs import queue_sql
from needs.models import RuleException
from needs.views_review import SORTS, _office_ids, filtered, queue_scope
from partnerships.models import RuleSettings, Scheme
from portal.backends import PortalBackend
from tests.factories import make_partnership, make_region

from .conftest import make_measure, make_report

pytestmark = pytest.mark.django_db

PER_PAGE = 4


@pytest.fixture
def queue_data(cast):
    """Eleven reports in county A over two regions, years and schemes, in every status but
    draft (plus a draft and county B's report, which the queue never shows to Olga); equal
    names and totals, so ties fall to the id; a report without measures; exceptions and
    rule settings on some."""
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
        report = make_report(
            partnership,
            scheme_code=scheme,
            year=year,
            measures=measures,
            status=statuses[i % len(statuses)],
            priority=None if i % 4 == 0 else i % 3,
            cofinancing_amount=100 * i,
        )
        reports.append(report)
    for report in reports[::3]:
        RuleException.objects.create(
            report=report, code="uh_share_below_minimum", justification="x"
        )
    RuleException.objects.create(report=reports[0], code="cofinancing_missing", justification="y")
    dekom = Scheme.objects.get(code="dekom")
    RuleSettings.objects.create(
        county_office=cast.county_a, scheme=dekom, year=2024, min_uh_share_percent=55,
        cofinancing_percent=10, coordinator_cap=50_000,
    )  # fmt: skip
    make_report(partnerships[0], scheme_code="dekom", year=2023, measures=[(1, 1)])  # a draft
    make_report(cast.partnership_b, measures=[(7, 7)], status="submitted")
    make_measure(reports[0], 0, 0, position=3, coordinator_amount=400)
    return {"salten": salten, "partnerships": partnerships, "reports": reports}


def both(user, filters, sort, page=None):
    """(the hand-written answer, the ORM's) as plain values."""
    office_ids = _office_ids(PortalBackend().get_user(user.pk))
    filters = {"year": None, "scheme": "", "region": None, "status": "", "partnership": None,
               **filters}  # fmt: skip
    request = RequestFactory().get("/", {} if page is None else {"page": page})
    reports = filtered(queue_scope(office_ids), filters)
    ordering = SORTS[sort]
    written = queue_sql.queue_page(
        request, reports, filters, office_ids, ordering, per_page=PER_PAGE
    )
    orm = queue_sql._queue_page_orm(request, reports, office_ids, ordering, per_page=PER_PAGE)
    return plain(written), plain(orm)


def plain(answer):
    page, totals, excepted, rulesets = answer
    rows = [tuple(row) for row in page.object_list]
    # What the page's rows look up: (office, scheme, year).
    keys = {(row[9], row[5], row[1]) for row in rows}
    return {
        "number": page.number,
        "pages": page.paginator.num_pages,
        "rows": rows,
        "totals": totals,
        "excepted": {pk: codes for pk, codes in excepted.items() if codes},
        "rulesets": {key: rulesets[key] for key in keys if key in rulesets},
    }


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_every_sort_agrees_on_every_page(cast, queue_data, sort):
    pages = set()
    for page in ["1", "2", "3", "4", "99", "0", "9" * 30, "x"]:
        written, orm = both(cast.olga, {}, sort, page)
        assert written == orm
        assert written["rows"]
        pages.add(tuple(row[0] for row in written["rows"]))
    assert written["number"] == 1  # "x": the first page
    assert written["pages"] == 5  # 17 reports, 4 to a page
    assert len(pages) == 5


@pytest.mark.parametrize(
    "filters",
    [
        {"year": 2024},
        {"year": 2025, "scheme": "rekom"},
        {"status": "returned"},
        {"partnership": 0},  # nothing
        {"year": 2024, "status": "allocated", "scheme": "dekom"},
    ],
)
def test_filters_agree(cast, queue_data, filters):
    for sort in ("partnership", "total"):
        written, orm = both(cast.olga, filters, sort)
        assert written == orm


def test_region_and_partnership_filters_agree(cast, queue_data):
    for filters in (
        {"region": queue_data["salten"].pk},
        {"partnership": queue_data["partnerships"][2].pk},
    ):
        written, orm = both(cast.olga, filters, "scheme", "2")
        assert written == orm
        assert written["totals"]["count"] > 0


def test_totals_exceptions_and_rule_settings_are_those_of_the_reports(cast, queue_data):
    reports = queue_data["reports"]
    written, _orm = both(cast.olga, {"year": 2024, "scheme": "dekom"}, "partnership")
    shown = [r for r in reports if r.year == 2024 and r.scheme.code == "dekom"]
    owner = sum(m.owner_amount for r in shown for m in r.measures.all())
    uh = sum(m.uh_amount for r in shown for m in r.measures.all())
    assert written["totals"] == {"count": len(shown), "owner": owner, "uh": uh, "total": owner + uh}
    assert written["excepted"][reports[0].pk] == {"uh_share_below_minimum", "cofinancing_missing"}
    settings = written["rulesets"][cast.county_a.pk, reports[0].scheme_id, 2024]
    assert (settings.min_uh_share_percent, settings.coordinator_cap) == (55, 50_000)
    coordinator = next(row for row in written["rows"] if row[0] == reports[0].pk)
    assert coordinator[-1] == 400  # coordinator_sum


def test_other_county_and_administrator(cast, queue_data):
    otto, _orm = both(cast.otto, {}, "partnership")
    assert [row[7] for row in otto["rows"]] == [cast.partnership_b.name]
    written, orm = both(cast.root, {}, "total", "5")
    assert written == orm
    assert written["totals"]["count"] == 18  # both counties, no draft


def test_an_empty_queue(cast):
    written, orm = both(cast.olga, {}, "partnership", "3")
    assert written == orm
    assert written["totals"] == {"count": 0, "owner": 0, "uh": 0, "total": 0}
    assert written["rows"] == []
