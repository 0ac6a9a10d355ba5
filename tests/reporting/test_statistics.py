import io
import re
from collections import Counter

import openpyxl
import pytest
from django.urls import reverse

from needs.models import NeedReport
from partnerships.models import CountyMembership, Region
from reporting import charts, statistics_selectors
from reporting.selectors import Filters, officer_reports
from reporting.statistics_selectors import CountRow
from tests.factories import make_partnership, make_region
from tests.needs.conftest import make_allocation, make_report

pytestmark = pytest.mark.django_db

Status = NeedReport.Status
URL = "/reporting/statistics/"


def allocate(report, owner, uh):
    for measure in report.measures.all():
        make_allocation(measure, owner, uh)
    report.status = Status.ALLOCATED
    report.save()


@pytest.fixture
def data(cast):
    """County A: an allocated Dekom 2024, a submitted Rekom 2024, a Dekom 2025 and a draft.
    County B: one submitted report."""
    salten = make_partnership(make_region(cast.county_a, "Salten"), "Salten-nettverket")
    dekom = make_report(cast.partnership_a, measures=[(40_000, 60_000), (10_000, 0)])
    allocate(dekom, 20_000, 30_000)  # 40 000 + 60 000 allocated
    make_report(salten, scheme_code="rekom", measures=[(100_000, 100_000)], status=Status.SUBMITTED)
    make_report(cast.partnership_a, year=2025, measures=[(1_000, 9_000)], status=Status.REVIEWED)
    make_report(salten, measures=[(999, 1)])  # draft
    make_report(cast.partnership_b, measures=[(5, 5)], status=Status.SUBMITTED)
    return cast


def test_url_name():
    assert reverse("reporting:statistics") == URL


def test_anonymous_goes_to_login(client):
    for url in [URL, reverse("reporting:statistics_xlsx")]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "who,status",
    [("alice", 403), ("ulla", 403), ("bob", 403), ("olga", 200), ("otto", 200), ("root", 200)],
)
def test_only_officers_and_admins(login, data, who, status):
    client = login(getattr(data, who))
    assert client.get(URL).status_code == status
    assert client.get(reverse("reporting:statistics_xlsx")).status_code == status


def rows(table):
    return {row.label: row for row in table}


def test_officer_sees_own_county_without_drafts(login, data):
    stats = login(data.olga).get(URL, {"year": "2024"}).context["stats"]
    by_scheme = rows(stats.by_scheme)
    assert set(by_scheme) == {"Dekom", "Rekom"}
    dekom = by_scheme["Dekom"]
    assert (dekom.reports, dekom.requested_owner, dekom.requested_uh) == (1, 50_000, 60_000)
    assert (dekom.allocated_owner, dekom.allocated_uh) == (40_000, 60_000)
    rekom = by_scheme["Rekom"]
    assert (rekom.requested, rekom.allocated) == (200_000, 0)
    assert (stats.total.reports, stats.total.requested, stats.total.allocated) == (
        2,
        310_000,
        100_000,
    )
    assert set(rows(stats.by_region)) == {"Ytre Helgeland", "Salten"}
    # Trends ignore the year filter: both years of county A, not the draft, not county B.
    by_year = rows(stats.by_year)
    assert list(by_year) == ["2024", "2025"]
    assert by_year["2025"].requested == 10_000
    assert by_year["2024"].requested_uh_share == "51,6 %"
    statuses = {row.key: row.count for row in stats.by_status}
    assert statuses == {
        "submitted": 1,
        "returned": 0,
        "reviewed": 0,
        "allocated": 1,
        "rejected": 0,
    }
    shares = {row.key: row.count for row in stats.uh_share}
    assert shares == {"lt50": 0, "50-60": 2, "60-70": 0, "70-80": 0, "80+": 0, "none": 0}


def test_admin_sees_every_county_and_drafts_in_the_status_count(login, data):
    stats = login(data.root).get(URL).context["stats"]
    assert stats.total.reports == 4  # drafts are never counted in the amounts
    assert {row.key: row.count for row in stats.by_status}["draft"] == 1
    assert {row.label for row in stats.by_region} == {
        "Ytre Helgeland (Nordland)",
        "Salten (Nordland)",
        "Sunnhordland (Vestland)",
    }
    stats = login(data.root).get(URL, {"county": data.county_b.pk}).context["stats"]
    assert stats.total.reports == 1 and {r.label for r in stats.by_region} == {"Sunnhordland"}


@pytest.mark.parametrize("who", ["olga", "otto", "root"])
def test_counts_the_reports_officer_reports_gives(data, who):
    """The statistics query writes the visibility rule in SQL: it must stay the rule of
    selectors.officer_reports (the officer's counties, no drafts; everything for admins)."""
    user = getattr(data, who)
    stats = statistics_selectors.statistics(user, Filters())
    visible = Counter(officer_reports(user).values_list("status", flat=True))
    assert {row.key: row.count for row in stats.by_status if row.count} == dict(visible)
    assert stats.total.reports == sum(n for status, n in visible.items() if status != "draft")
    assert stats.years == sorted({r.year for r in officer_reports(user)}, reverse=True)


def test_unknown_scheme_or_foreign_county_filters(login, data):
    stats = login(data.olga).get(URL, {"scheme": "nope"}).context["stats"]
    assert stats.total.reports == 0 and stats.years == [2025, 2024]
    # A county the officer does not work for is ignored, as if none were chosen.
    stats = login(data.olga).get(URL, {"county": data.county_b.pk}).context["stats"]
    assert stats.total.reports == 3 and stats.filters.county is None


def test_officer_of_two_counties_chooses_between_them(login, data, django_assert_num_queries):
    CountyMembership.objects.create(county_office=data.county_b, user=data.olga)
    client = login(data.olga)
    client.get(URL)
    # Session, user, its roles, the two county offices, schemes, the figures.
    with django_assert_num_queries(6):
        response = client.get(URL)
    stats = response.context["stats"]
    assert {c.pk for c in stats.counties} == {data.county_a.pk, data.county_b.pk}
    assert stats.total.reports == 4
    assert {row.label for row in stats.by_region} == {
        "Ytre Helgeland (Nordland)",
        "Salten (Nordland)",
        "Sunnhordland (Vestland)",
    }
    assert 'id="filter-county"' in response.content.decode()
    response = client.get(URL, {"county": data.county_b.pk})
    stats = response.context["stats"]
    assert stats.total.reports == 1 and {r.label for r in stats.by_region} == {"Sunnhordland"}
    page = response.content.decode()
    assert (
        f'<option value="{data.county_b.pk}" selected>Statsforvalteren i Vestland</option>' in page
    )
    assert f'<option value="{data.county_a.pk}">Statsforvalteren i Nordland</option>' in page


def test_officer_of_one_county_has_nothing_to_choose(login, data):
    response = login(data.olga).get(URL)
    assert response.context["stats"].counties == []
    assert 'id="filter-county"' not in response.content.decode()


def test_other_county_officer_sees_nothing_of_county_a(login, data):
    stats = login(data.otto).get(URL, {"county": data.county_a.pk}).context["stats"]
    assert stats.total.reports == 1
    assert {row.label for row in stats.by_region} == {"Sunnhordland"}


def test_scheme_filter(login, data):
    stats = login(data.olga).get(URL, {"scheme": "rekom"}).context["stats"]
    assert [row.label for row in stats.by_scheme] == ["Rekom"]
    assert stats.total.requested == 200_000


def test_page_has_accessible_svg_charts_and_tables(login, data):
    page = login(data.olga).get(URL).content.decode()
    svgs = re.findall(r"<svg[^>]*>", page)
    assert len(svgs) == 5
    for svg in svgs:
        assert 'role="img"' in svg and "aria-labelledby=" in svg
    assert page.count("<title id=") == 5 and page.count("<desc id=") == 5
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "style=" not in page  # the content security policy allows no inline styles
    for testid in ["table-scheme", "table-region", "table-year", "table-uh-share", "table-status"]:
        assert f'data-testid="{testid}"' in page
    assert "100\u00a0000\u00a0kr" in page  # Dekom allocated, in the table


def test_xlsx_has_the_same_figures(login, data):
    response = login(data.olga).get(reverse("reporting:statistics_xlsx"), {"year": "2024"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Per ordning", "Per region", "Per år", "UH-andel", "Status"]
    sheet = book["Per ordning"]
    table = [[c.value for c in row] for row in sheet.iter_rows()]
    assert table[0][:5] == [
        "Ordning",
        "Behovsmeldinger",
        "Søkt eier (kr)",
        "Søkt UH (kr)",
        "Søkt totalt (kr)",
    ]
    dekom = next(row for row in table if row[0] == "Dekom")
    assert dekom[1] == 1 and dekom[4] == 110_000 and dekom[8] == 100_000
    assert table[-1][0] == "Sum" and table[-1][4] == 310_000
    status = {row[0].value: row[1].value for row in book["Status"].iter_rows(min_row=2)}
    assert status["Tildelt"] == 1 and status["Sendt inn"] == 1
    shares = {row[0].value: row[1].value for row in book["UH-andel"].iter_rows(min_row=2)}
    assert shares["50 % til under 60 %"] == 2 and shares["Ingen beløp"] == 0


@pytest.mark.parametrize("count", [3, 30])
def test_query_count_does_not_depend_on_reports(login, cast, django_assert_num_queries, count):
    for year in range(2000, 2000 + count):
        report = make_report(cast.partnership_a, year=year, measures=[(10, 20), (5, 5)])
        allocate(report, 1, 2)
    client = login(cast.olga)
    # session, user, its roles, schemes, and one query for every figure (amounts, UH shares,
    # statuses and years); an officer of one county office has no others to read
    with django_assert_num_queries(5):
        response = client.get(URL)
    assert response.context["stats"].total.reports == count
    assert response.context["stats"].years == list(range(1999 + count, 1999, -1))
    with django_assert_num_queries(5):
        client.get(reverse("reporting:statistics_xlsx"))
    # A scheme or county filter adds the query for the year list (all years stay offered).
    with django_assert_num_queries(6):
        response = client.get(URL, {"scheme": "rekom"})
    assert response.context["stats"].years == list(range(1999 + count, 1999, -1))
    assert response.context["stats"].total.reports == 0


def test_chart_labels_are_escaped():
    svg = str(
        charts.bar_chart(
            chart_id="c",
            title="<b>Title</b>",
            description="d & e",
            labels=['<script>alert("x")</script>'],
            series=[("A", [10]), ("B", [5])],
        )
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert '<title id="c-title">&lt;b&gt;Title&lt;/b&gt;</title>' in svg
    assert "d &amp; e" in svg


def test_table_rows_and_options_are_escaped(login, data):
    from django.template.loader import render_to_string

    rows = [CountRow("x", '<b>"A" & B</b>', 3)]
    html = render_to_string(
        "reporting/partials/_amount_table.html",
        {"rows": [], "first": "<i>", "caption": "c", "testid": "t"},
    )
    assert '<th scope="col">&lt;i&gt;</th>' in html and "Ingen behovsmeldinger." in html
    options = render_to_string(
        "portal/partials/_options.html",
        {"choices": [("a&b", "<i>"), (2024, 2024)], "selected": 2024},
    )
    assert options.strip().endswith(
        '<option value="a&amp;b">&lt;i&gt;</option><option value="2024" selected>2024</option>'
    )
    Region.objects.filter(pk=data.region_a.pk).update(name=rows[0].label)  # a region name
    page = login(data.olga).get(URL).content.decode()
    assert "&lt;b&gt;&quot;A&quot; &amp; B&lt;/b&gt;" in page and '<b>"A"' not in page


def test_line_chart_with_one_year_and_zero_values():
    svg = str(
        charts.line_chart(
            chart_id="y",
            title="t",
            description="d",
            labels=["2024"],
            series=[("A", [0]), ("B", [0])],
        )
    )
    assert svg.count("<circle") == 2 and "<polyline" not in svg


def test_nice_ticks():
    assert charts.nice_ticks(0) == [0, 1]
    assert charts.nice_ticks(3_923_000) == [0, 1_000_000, 2_000_000, 3_000_000, 4_000_000]
    assert charts.nice_ticks(7) == [0, 2, 4, 6, 8]
    assert charts.short_kroner(1_544_000) == "1,5 mill." and charts.short_kroner(500) == "500"
