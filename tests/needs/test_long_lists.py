"""The long lists at national scale (issue 9): paged, with totals of the whole filtered set
computed in the database, and a query count that does not grow with the rows."""

import pytest
from django.urls import reverse

from needs.commitments import carry_over
from needs.listing import totals_of
from needs.models import Allocation, Commitment, Frame, NeedReport, RuleException
from needs.totals import refresh_totals
from needs.views import LIST_PAGE_SIZE
from needs.views_allocation import ALLOCATION_PAGE_SIZE
from needs.views_review import QUEUE_PAGE_SIZE
from partnerships.models import Scheme
from tests.factories import make_partnership

from .conftest import allocation_post, make_allocation, make_measure, make_report
from .test_review import QUEUE_QUERIES

pytestmark = pytest.mark.django_db


def many_reports(cast, count, *, status="submitted", measures=((10_000, 20_000),), **extra):
    """`count` reports in county A (one partnership each), named so they sort by number."""
    reports = []
    for i in range(count):
        partnership = make_partnership(cast.region_a, f"Nettverk {i:03d}")
        reports.append(make_report(partnership, measures=measures, status=status, **extra))
    return reports


def test_need_report_list_is_paged_with_totals_of_everything(login, cast):
    many_reports(cast, LIST_PAGE_SIZE + 3, measures=[(10_000, 20_000), (1_000, 0)])
    make_report(cast.partnership_b, measures=[(5, 5)], status="submitted")  # other county
    client = login(cast.olga)

    first = client.get(reverse("needs:list"), {"year": "2024"})
    assert [r.partnership.name for r in first.context["reports"]][:2] == [
        "Nettverk 000",
        "Nettverk 001",
    ]
    assert len(first.context["reports"]) == LIST_PAGE_SIZE
    count = LIST_PAGE_SIZE + 3
    assert first.context["totals"] == {
        "count": count,
        "owner": 11_000 * count,
        "uh": 20_000 * count,
        "total": 31_000 * count,
    }
    page = first.content.decode().replace("\u00a0", " ")
    assert f"{31_000 * count:,} kr".replace(",", " ") in page
    assert "?year=2024&amp;page=2" in page

    second = client.get(reverse("needs:list"), {"year": "2024", "page": "2"})
    assert [r.partnership.name for r in second.context["reports"]] == [
        "Nettverk 050",
        "Nettverk 051",
        "Nettverk 052",
    ]
    assert second.context["reports"][0].requested_owner == 11_000
    # Out of range: the last page, not an error.
    assert client.get(reverse("needs:list"), {"page": "99"}).status_code == 200


def test_need_report_list_totals_follow_the_filter_and_access(login, cast):
    many_reports(cast, 3)
    make_report(cast.partnership_a, scheme_code="rekom", measures=[(7, 3)])  # a draft
    coordinator = login(cast.alice).get(reverse("needs:list"), {"year": "all"})
    assert coordinator.context["totals"]["count"] == 1  # only partnership A's own draft
    assert coordinator.context["totals"]["total"] == 10
    officer = login(cast.olga).get(reverse("needs:list"), {"year": "all", "scheme": "dekom"})
    assert officer.context["totals"]["count"] == 3  # never the draft, only Dekom
    assert login(cast.otto).get(reverse("needs:list")).context["totals"]["count"] == 0


@pytest.mark.parametrize("count", [3, LIST_PAGE_SIZE + 5])
def test_need_report_list_query_count_is_constant(login, cast, count, django_assert_num_queries):
    many_reports(cast, count, measures=[(10, 20), (5, 5)])
    client = login(cast.olga)
    client.get(reverse("needs:list"))
    # Session, user, its roles, years, totals, the page, schemes.
    with django_assert_num_queries(7):
        response = client.get(reverse("needs:list"))
    assert len(response.context["reports"]) == min(count, LIST_PAGE_SIZE)


def test_totals_count_reports_without_measures():
    assert totals_of(NeedReport.objects.none()) == {"count": 0, "owner": 0, "uh": 0, "total": 0}


def test_totals_count_a_report_without_measures_once(cast):
    make_report(cast.partnership_a, measures=[])
    make_report(cast.partnership_a, scheme_code="rekom", measures=[(1, 2), (3, 4)])
    assert totals_of(NeedReport.objects.all()) == {"count": 2, "owner": 4, "uh": 6, "total": 10}


def test_queue_is_paged_with_totals_of_everything(login, cast):
    many_reports(cast, QUEUE_PAGE_SIZE + 2)
    client = login(cast.olga)
    first = client.get(reverse("needs:queue"))
    count = QUEUE_PAGE_SIZE + 2
    assert len(first.context["reports"]) == QUEUE_PAGE_SIZE
    assert first.context["count"] == count
    assert first.context["totals"] == {
        "owner": 10_000 * count,
        "uh": 20_000 * count,
        "total": 30_000 * count,
    }
    second = client.get(reverse("needs:queue"), {"page": "2", "sort": "partnership"})
    assert [r.partnership.name for r in second.context["reports"]] == [
        f"Nettverk {QUEUE_PAGE_SIZE:03d}",
        f"Nettverk {QUEUE_PAGE_SIZE + 1:03d}",
    ]
    assert "66,7 %" in second.content.decode().replace("\u00a0", " ")


def test_queue_partnership_filter_options_are_escaped_and_selected(login, cast):
    evil = make_partnership(cast.region_a, '<script>alert("x")</script>')
    make_report(evil, measures=[(1, 2)], status="submitted")
    page = login(cast.olga).get(reverse("needs:queue"), {"partnership": evil.pk})
    html = page.content.decode()
    assert "<script>alert" not in html
    assert f'<option value="{evil.pk}" selected>&lt;script&gt;' in html
    assert [r.pk for r in page.context["reports"]] == [evil.need_reports.get().pk]


def _frame(cast, amount):
    return Frame.objects.create(
        county_office=cast.county_a,
        scheme=Scheme.objects.get(code="dekom"),
        year=2024,
        amount=amount,
    )


def alloc_url(cast, **query):
    url = reverse("needs:allocation", args=[cast.county_a.pk, "dekom", 2024])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_allocation_page_is_paged_and_totals_cover_every_page(login, cast):
    reports = many_reports(cast, ALLOCATION_PAGE_SIZE + 2, measures=[(10_000, 20_000)])
    _frame(cast, 10_000_000)
    make_allocation(reports[0].measures.get(), 1, 2)
    client = login(cast.olga)
    first = client.get(alloc_url(cast))
    assert len(first.context["reports"]) == ALLOCATION_PAGE_SIZE
    assert first.context["requested"] == 30_000 * (ALLOCATION_PAGE_SIZE + 2)
    assert first.context["allocated"] == 3
    assert first.context["allocated_elsewhere"] == 0
    second = client.get(alloc_url(cast, page=2))
    assert [r.pk for r in second.context["reports"]] == [r.pk for r in reports[-2:]]
    assert second.context["allocated"] == 3
    assert second.context["allocated_elsewhere"] == 3  # on page 1
    assert 'data-elsewhere="3"' in second.content.decode()

    # Saving page 2 saves its reports only, and comes back to page 2.
    amounts = {report.measures.get(): ("10 000", "20000") for report in reports[-2:]}
    response = client.post(
        alloc_url(cast, page=2), allocation_post(client, alloc_url(cast, page=2), amounts)
    )
    assert response.status_code == 302 and response["Location"].endswith("?page=2")
    assert Allocation.objects.count() == 3
    assert client.get(alloc_url(cast)).context["allocated"] == 3 + 2 * 30_000


def test_allocation_frame_check_counts_the_other_pages(login, cast):
    reports = many_reports(cast, ALLOCATION_PAGE_SIZE + 1, measures=[(10_000, 20_000)])
    _frame(cast, 50_000)
    make_allocation(reports[0].measures.get(), 10_000, 20_000)
    measure = reports[-1].measures.get()
    client = login(cast.olga)
    url = alloc_url(cast, page=2)
    data = allocation_post(client, url, {measure: ("10000", "20000")})
    response = client.post(url, data, follow=True)
    assert not Allocation.objects.filter(measure=measure).exists()  # 60 000 > 50 000
    assert "50 000 kr" in response.content.decode().replace("\u00a0", " ")


def test_allocation_rows_escape_measure_names(login, cast):
    report = make_report(cast.partnership_a, status="submitted")
    make_measure(report, 1_000, 2_000, name='"><img src=x onerror=alert(1)>')
    html = login(cast.olga).get(alloc_url(cast)).content.decode()
    assert "<img src=x" not in html
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'name="measures-0-owner"' in html and 'value="1 000"' in html


def with_exceptions(reports):
    for report in reports:
        RuleException.objects.create(
            report=report, code="uh_share_below_minimum", justification="Avtalt"
        )
    return reports


@pytest.mark.parametrize("count", [2, QUEUE_PAGE_SIZE + 3])
def test_queue_query_count_is_constant_with_exceptions(
    login, cast, count, django_assert_num_queries
):
    with_exceptions(many_reports(cast, count, measures=[(10, 5), (5, 5)]))
    client = login(cast.olga)
    client.get(reverse("needs:queue"))
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("needs:queue"))
    assert all(r.findings_shown[0][2] for r in response.context["reports"])  # excepted


@pytest.mark.parametrize("count", [2, ALLOCATION_PAGE_SIZE + 3])
def test_allocation_query_count_is_constant(login, cast, count, django_assert_num_queries):
    reports = many_reports(cast, count, measures=[(10, 20), (5, 5)])
    with_exceptions(reports)
    _frame(cast, 1_000_000)
    # As many commitments into this frame from the year before's multi-year measures.
    for this_year in reports:
        report = make_report(this_year.partnership, year=2023, measures=[(10, 20)])
        measure = report.measures.get()
        carry_over(county_office=cast.county_a, scheme=report.scheme, year=2024, amount=7)
        Commitment.objects.create(
            report=report,
            measure=measure,
            county_office=cast.county_a,
            scheme=report.scheme,
            year=2024,
            amount=30,
        )
    client = login(cast.olga)
    client.get(alloc_url(cast))
    # Session, user, its roles, office, scheme, frame, rule settings, totals of the
    # scheme-year (stored on the reports), the page (with whether the split rule has an
    # exception), its measures with their allocations, the officer's declared ties (a report
    # they have a tie to gets no inputs), the commitments into the frame.
    with django_assert_num_queries(12):
        response = client.get(alloc_url(cast))
    assert len(response.context["reports"]) == min(count, ALLOCATION_PAGE_SIZE)


@pytest.mark.parametrize("count", [2, 60])
def test_partnership_list_is_paged_with_constant_queries(
    login, cast, count, django_assert_num_queries
):
    for i in range(count):
        make_partnership(cast.region_a, f"Nettverk {i:03d}")
    client = login(cast.olga)
    client.get(reverse("partnerships:list"))
    # Session, user, count, its roles, the page.
    with django_assert_num_queries(5):
        response = client.get(reverse("partnerships:list"))
    names = [p.name for p in response.context["partnerships"]]
    assert len(names) == min(count + 1, 50)  # and partnership A
    assert "Sunnhordland-nettverket" not in names  # county B's
    assert response.context["partnerships"][0].owner_count >= 0


def test_dashboard_shows_the_first_unread_reports_and_counts_the_rest(login, cast):
    from needs.models import Comment, CommentRead
    from portal.views import UNREAD_SHOWN

    reports = many_reports(cast, UNREAD_SHOWN + 2)
    for report in reports:
        Comment.objects.create(report=report, author=cast.alice, text="Hei")
    read = reports[0]
    CommentRead.objects.create(
        user=cast.olga, report=read, last_read_at=read.comments.get().created_at
    )
    client = login(cast.olga)
    response = client.get(reverse("portal:dashboard"))
    shown = [r.pk for r in response.context["unread_reports"]]
    assert len(shown) == UNREAD_SHOWN and read.pk not in shown
    assert all(r.unread == 1 for r in response.context["unread_reports"])
    assert response.context["unread_more"] == 1
    assert 'data-testid="unread-more"' in response.content.decode()
    # A newer comment after the read mark makes it unread again.
    Comment.objects.create(report=read, author=cast.alice, text="Ny")
    assert client.get(reverse("portal:dashboard")).context["unread_more"] == 2


def test_need_report_list_rows_show_each_report_escaped(login, cast):
    evil = make_partnership(cast.region_a, '<i>"Nett" & verk</i>')
    shown = make_report(evil, measures=[(1_000, 2_000)], status="submitted")
    make_report(cast.partnership_a, measures=[], status="allocated", year=2023)
    response = login(cast.olga).get(reverse("needs:list"), {"year": "all"})
    assert len(response.context["reports"]) == 2
    html = response.content.decode().replace("\u00a0", " ")
    assert (
        f'<td><a href="/needs/{shown.pk}/">&lt;i&gt;&quot;Nett&quot; &amp; verk&lt;/i&gt;</a></td>'
        in html
    )
    assert '<td class="num">3 000 kr</td>' in html and '<td class="num">66,7 %</td>' in html
    assert "<td>Sendt inn</td>" in html and "<td>Tildelt</td>" in html


def test_allocation_sections_show_forms_totals_and_findings(login, cast):
    _frame(cast, 10_000_000)
    excepted, plain, empty = many_reports(cast, 3, measures=[(10_000, 20_000), (5_000, 5_000)])
    empty.measures.all().delete()
    refresh_totals(empty)
    NeedReport.objects.filter(pk=excepted.pk).update(priority=1, priority_note='<"Først">')
    with_exceptions([excepted])
    for report in (excepted, plain):  # allocated 20 000 / 5 000: UH 20 %, below 60 %
        first = report.measures.get(position=1)
        make_allocation(first, 20_000, 5_000)
    make_measure(plain, 0, 0, position=3, name="<b>Tom & tiltak</b>")
    response = login(cast.olga).get(alloc_url(cast))
    reports = response.context["reports"]
    assert [r.pk for r in reports] == [excepted.pk, plain.pk, empty.pk]
    assert [len(r.allocation_findings) for r in reports] == [1, 1, 0]
    assert [r.allocation_findings[0][1] for r in reports[:2]] == [True, False]
    # A form per measure (allocated, or else requested) and per report, in the page's order.
    forms = response.context["measure_forms"]
    assert [form.initial for form in forms] == [
        {"measure": m.pk, "owner": owner, "uh": uh}
        for m, (owner, uh) in zip(
            [*excepted.measures.order_by("position"), *plain.measures.order_by("position")],
            [(20_000, 5_000), (5_000, 5_000), (20_000, 5_000), (5_000, 5_000), (0, 0)],
            strict=True,
        )
    ]
    assert len(response.context["report_forms"].forms) == 3
    html = response.content.decode()
    assert html.count("(unntak gitt)") == 1 and "&lt;b&gt;Tom &amp; tiltak&lt;/b&gt;" in html
    assert 'value="&lt;&quot;Først&quot;&gt;"' in html
    text = html.replace("\u00a0", " ")
    assert f'data-sum="owner-{plain.pk}">20 000 kr</td>' in text
    assert f'data-sum="uh-{plain.pk}">5 000 kr</td>' in text
    assert '<td class="num" colspan="2">40 000 kr</td>' in text  # requested, excepted's
    assert text.count('data-alloc="') == 2 * 5


def test_need_report_list_year_options_keep_the_choice(login, cast):
    many_reports(cast, 1)
    make_report(cast.partnership_a, measures=[], year=2023, status="submitted")
    html = login(cast.olga).get(reverse("needs:list"), {"year": "2024"}).content.decode()
    assert '<option value="2024" selected>2024</option>' in html
    assert '<option value="2023">2023</option>' in html
