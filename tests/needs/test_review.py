import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from needs.models import Allocation, AuditEntry, Frame, NeedReport, RuleException
from partnerships.models import Scheme

from .conftest import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(cast):
    cast.alice.email = "alice@example.no"
    cast.alice.save()
    cast.ulla.email = "ulla@example.no"
    cast.ulla.save()
    return make_report(
        cast.partnership_a,
        measures=[(40_000, 60_000), (20_000, 30_000)],
        status=NeedReport.Status.SUBMITTED,
    )


def alloc_url(cast, year=2024, code="dekom"):
    return reverse("needs:allocation", args=[cast.county_a.pk, code, year])


def test_queue_lists_own_county_submitted_reports_with_totals(login, cast, submitted):
    draft = make_report(cast.partnership_a, scheme_code="rekom", measures=[(1, 1)])
    other = make_report(cast.partnership_b, measures=[(5, 5)], status=NeedReport.Status.SUBMITTED)
    response = login(cast.olga).get(reverse("needs:queue"))
    reports = response.context["reports"]
    assert [r.pk for r in reports] == [submitted.pk]
    assert draft.pk not in [r.pk for r in reports] and other.pk not in [r.pk for r in reports]
    assert response.context["totals"] == {"owner": 60_000, "uh": 90_000, "total": 150_000}
    assert "✓" in response.content.decode()


def test_queue_shows_findings_at_a_glance(login, cast):
    make_report(cast.partnership_a, measures=[(625_000, 919_000)], status="submitted")
    page = login(cast.olga).get(reverse("needs:queue")).content.decode()
    assert "59,5 %" in page.replace("\u00a0", " ")
    assert "7 400 kr" in page.replace("\u00a0", " ")


@pytest.mark.parametrize("count", [5, 50])
def test_queue_query_count_is_constant(login, cast, count, django_assert_num_queries):
    from tests.factories import make_partnership

    for i in range(count):
        partnership = make_partnership(cast.region_a, f"P{i}")
        make_report(partnership, measures=[(10, 20), (5, 5)], status="submitted")
    client = login(cast.olga)
    client.get(reverse("needs:queue"))
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("needs:queue"))
    assert len(response.context["reports"]) == count


# Session, user (with its roles), the filter choices (offices, schemes, years, regions and
# partnerships in one query), the page with its exceptions and rule settings and the totals
# of the filter (one query: needs/queue_sql.py).
QUEUE_QUERIES = 4


def test_queue_and_allocation_are_for_officers_only(login, cast, submitted):
    for who in ("alice", "ulla", "bob"):
        client = login(getattr(cast, who))
        assert client.get(reverse("needs:queue")).status_code == 403
        assert client.get(alloc_url(cast)).status_code == 403
    # Another county's officer: the allocation page of Nordland does not exist for them.
    assert login(cast.otto).get(alloc_url(cast)).status_code == 404
    assert login(cast.otto).get(reverse("needs:detail", args=[submitted.pk])).status_code == 404


def test_return_notifies_coordinators_and_reopens(
    login, cast, submitted, django_capture_on_commit_callbacks
):
    client = login(cast.olga)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("needs:review_action", args=[submitted.pk]),
            {"action": "return", "message": "Flytt mer til UH"},
        )
    submitted.refresh_from_db()
    assert submitted.status == NeedReport.Status.RETURNED
    assert [m.to for m in mail.outbox] == [["alice@example.no"]]
    assert "Flytt mer til UH" in mail.outbox[0].body
    assert AuditEntry.objects.filter(report=submitted, new_value="Returnert for endringer").exists()
    # The coordinator can edit again.
    measure = submitted.measures.first()
    response = login(cast.alice).post(
        reverse("measures:edit", args=[submitted.pk, measure.pk]),
        {"name": "Endret", "owner_amount": "1", "uh_amount": "2", "version": measure.lock_version},
    )
    assert response.status_code == 302


def test_members_cannot_review(login, cast, submitted):
    for who in ("alice", "ulla"):
        response = login(getattr(cast, who)).post(
            reverse("needs:review_action", args=[submitted.pk]), {"action": "reviewed"}
        )
        assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == NeedReport.Status.SUBMITTED


def test_exception_is_recorded_and_shown(login, cast):
    submitted = make_report(cast.partnership_a, measures=[(50_000, 50_000)], status="submitted")
    client = login(cast.olga)
    client.post(
        reverse("needs:review_action", args=[submitted.pk]),
        {
            "action": "exception",
            "code": "uh_share_below_minimum",
            "justification": "Avtalt økt eierandel",
        },
    )
    assert RuleException.objects.get(report=submitted).justification == "Avtalt økt eierandel"
    page = login(cast.alice).get(reverse("needs:detail", args=[submitted.pk])).content.decode()
    assert "Avtalt økt eierandel" in page


def _frame(cast, amount, committed=0):
    return Frame.objects.create(
        county_office=cast.county_a,
        scheme=Scheme.objects.get(code="dekom"),
        year=2024,
        amount=amount,
        committed=committed,
    )


def _allocation_post(report, values):
    data = {"save_allocations": "1"}
    for measure, (owner, uh) in zip(report.measures.all(), values, strict=True):
        data[f"owner_{measure.pk}"] = str(owner)
        data[f"uh_{measure.pk}"] = str(uh)
    return data


def test_allocation_within_frame_saves_and_exceeding_is_refused(login, cast, submitted):
    _frame(cast, 200_000, committed=30_000)
    client = login(cast.olga)
    response = client.post(
        alloc_url(cast), _allocation_post(submitted, [(40_000, 60_000), (20_000, 30_000)])
    )
    assert response.status_code == 302
    assert sum(a.total for a in Allocation.objects.all()) == 150_000
    response = client.get(alloc_url(cast))
    assert response.context["remaining"] == 20_000

    response = client.post(
        alloc_url(cast),
        _allocation_post(submitted, [(40_000, 90_000), (20_000, 30_000)]),
        follow=True,
    )
    page = response.content.decode().replace("\u00a0", " ")
    for figure in ["180 000 kr", "30 000 kr", "210 000 kr", "10 000 kr", "200 000 kr"]:
        assert figure in page, figure
    # Nothing changed.
    assert sum(a.total for a in Allocation.objects.all()) == 150_000
    assert AuditEntry.objects.filter(subject__startswith="Tildeling").count() == 2


def test_bad_amount_in_allocation_keeps_everything(login, cast, submitted):
    _frame(cast, 1_000_000)
    response = login(cast.olga).post(
        alloc_url(cast), _allocation_post(submitted, [("abc", 60_000), (20_000, 30_000)])
    )
    assert response.status_code == 200
    assert "owner_" + str(submitted.measures.first().pk) in response.context["errors"]
    assert not Allocation.objects.exists()


def test_rescale_previews_then_applies(login, cast, submitted):
    frame = _frame(cast, 150_000)
    client = login(cast.olga)
    client.post(alloc_url(cast), _allocation_post(submitted, [(40_000, 60_000), (20_000, 30_000)]))
    url = reverse("needs:rescale", args=[cast.county_a.pk, "dekom", 2024])
    response = client.get(url, {"new_amount": "135 000"})
    assert response.context["preview"]["new_total"] == 135_000
    assert sum(a.total for a in Allocation.objects.all()) == 150_000  # preview changes nothing
    client.post(url, {"new_amount": "135000"})
    frame.refresh_from_db()
    assert frame.amount == 135_000
    amounts = sorted((a.owner_amount, a.uh_amount) for a in Allocation.objects.all())
    assert amounts == [(18_000, 27_000), (36_000, 54_000)]


def test_decide_allocates_and_notifies_members(
    login, cast, submitted, django_capture_on_commit_callbacks
):
    _frame(cast, 1_000_000)
    client = login(cast.olga)
    client.post(alloc_url(cast), _allocation_post(submitted, [(40_000, 60_000), (20_000, 30_000)]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("needs:review_action", args=[submitted.pk]), {"action": "allocate"})
    submitted.refresh_from_db()
    assert submitted.status == NeedReport.Status.ALLOCATED
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.no", "ulla@example.no"]
    page = login(cast.alice).get(reverse("needs:detail", args=[submitted.pk])).content.decode()
    assert "Tildelt eier" in page


def test_allocation_breaking_split_rule_blocks_decision(login, cast, submitted):
    _frame(cast, 1_000_000)
    client = login(cast.olga)
    client.post(alloc_url(cast), _allocation_post(submitted, [(60_000, 40_000), (20_000, 30_000)]))
    client.post(reverse("needs:review_action", args=[submitted.pk]), {"action": "allocate"})
    submitted.refresh_from_db()
    assert submitted.status == NeedReport.Status.SUBMITTED


def test_reject_needs_reason(login, cast, submitted):
    client = login(cast.olga)
    client.post(reverse("needs:review_action", args=[submitted.pk]), {"action": "reject"})
    submitted.refresh_from_db()
    assert submitted.status == NeedReport.Status.SUBMITTED
    client.post(
        reverse("needs:review_action", args=[submitted.pk]),
        {"action": "reject", "reason": "Utenfor ordningen"},
    )
    submitted.refresh_from_db()
    assert submitted.status == NeedReport.Status.REJECTED
    assert submitted.decision_reason == "Utenfor ordningen"


def test_demo_frame_and_other_county_officer(client):
    call_command("demo", verbosity=0)
    assert client.login(username="sf.osloviken", password="demo")
    report = NeedReport.objects.get(
        scheme__code="dekom", year=2024, partnership__name="God opplæring for alle"
    )
    NeedReport.objects.filter(pk=report.pk).update(status="submitted")
    assert client.get(reverse("needs:detail", args=[report.pk])).status_code == 404
    assert client.login(username="sf.nordland", password="demo")
    assert client.get(reverse("needs:detail", args=[report.pk])).status_code == 200


# The queue's rows as the template loop wrote them before they were built in Python
# (needs/templatetags/review_tables.py): the two must give the same markup.
QUEUE_LOOP = """{% load i18n portal_tags %}{% for report in reports %}
  <tr>
    <td><a href="{{ report.url }}">{{ report.partnership.name }}</a>{% if report.priority %} <span class="badge text-bg-light">#{{ report.priority }}</span>{% endif %}</td>
    <td>{{ report.partnership.region.name }}</td>
    <td>{{ report.scheme.short_name }}</td>
    <td>{{ report.status_label }}</td>
    <td class="num">{{ report.owner_sum|kr }}</td><td class="num">{{ report.uh_sum|kr }}</td><td class="num">{{ report.total_sum|kr }}</td>
    <td class="num">{{ report.uh_share }}</td>
    <td>{% for title, text, excepted in report.findings_shown %}<div class="small {% if excepted %}text-body-secondary{% else %}text-danger-emphasis{% endif %}">{% if excepted %}{% translate "Exception:" %} {% endif %}{{ text }}</div>{% empty %}<span class="text-success">✓ {% translate "OK" %}</span>{% endfor %}</td>
  </tr>
  {% endfor %}"""  # noqa: E501


def test_queue_rows_are_the_markup_of_the_template_loop(login, cast):
    from django.template import Context, Template
    from django.utils import translation

    from needs.templatetags.review_tables import queue_rows
    from tests.factories import make_partnership

    evil = make_partnership(cast.region_a, '<b>"Nett" & verk</b>')
    flagged = make_report(evil, measures=[(60_000, 40_000)], status="submitted", priority=2)
    RuleException.objects.create(report=flagged, code="uh_share_below_minimum", justification="-")
    make_report(cast.partnership_a, measures=[(10_000, 90_000)], status="reviewed")  # ✓ OK
    empty = make_partnership(cast.region_a, "Tomt nettverk")
    make_report(empty, measures=[], status="submitted", cofinancing_amount=5)  # 0 kr
    with translation.override("nb"):
        response = login(cast.olga).get(reverse("needs:queue"), {"sort": "priority"})
        reports = response.context["reports"]
        expected = Template(QUEUE_LOOP).render(Context({"reports": reports}))
        assert str(queue_rows(reports)) == expected
    assert [r.priority for r in reports] == [2, None, None]
    html = response.content.decode()
    assert expected in html
    assert "&lt;b&gt;&quot;Nett&quot; &amp; verk&lt;/b&gt;</a> <span" in html
    assert html.count("text-body-secondary") == 1 and "✓" in html


def test_queue_filter_options_keep_the_choice(login, cast, submitted):
    from needs.templatetags.review_tables import options

    assert options([(1, "a<"), (2, "b")], 2) == (
        '<option value="1">a&lt;</option><option value="2" selected>b</option>'
    )
    html = (
        login(cast.olga)
        .get(
            reverse("needs:queue"),
            {"year": "2024", "scheme": "dekom", "region": cast.region_a.pk, "status": "submitted"},
        )
        .content.decode()
    )
    assert '<option value="2024" selected>2024</option>' in html
    assert '<option value="dekom" selected>Dekom</option>' in html
    assert f'<option value="{cast.region_a.pk}" selected>' in html
    assert '<option value="submitted" selected>' in html
    assert reverse("needs:allocation", args=[cast.county_a.pk, "dekom", 2024]) in html


def test_filter_choices_written_out_agree_with_the_orm(cast):
    """The queue's filter choices: the hand-written union (PostgreSQL) and the ORM's."""
    from needs import listing
    from needs.views_review import _office_ids
    from partnerships.models import CountyMembership
    from portal.backends import PortalBackend
    from tests.factories import make_partnership, make_region

    region = make_region(cast.county_a, "Salten")
    other = make_partnership(region, "Salten-nettverket", owners=[cast.owner_a1], uh=[cast.uh])
    for partnership, year, status in [
        (cast.partnership_a, 2023, "submitted"),
        (cast.partnership_a, 2024, "allocated"),
        (other, 2025, "draft"),  # a draft: its year is not offered
        (cast.partnership_b, 2022, "returned"),
    ]:
        make_report(partnership, year=year, status=status)
    CountyMembership.objects.create(county_office=cast.county_b, user=cast.alice)
    for user in (cast.olga, cast.otto, cast.root, cast.alice):
        office_ids = _office_ids(PortalBackend().get_user(user.pk))
        scope = NeedReport.objects.filter(
            partnership__region__county_office__in=office_ids
        ).exclude(status=NeedReport.Status.DRAFT)
        written = [tuple(row) for row in listing._filter_choice_rows_sql(office_ids)]
        assert written == [tuple(row) for row in listing._filter_choice_rows_orm(office_ids, scope)]
        assert len(written) > 5
    olga = listing.filter_choices([cast.county_a.pk], None)
    assert olga["years"] == [2024, 2023]
    assert [name for _pk, name in olga["partnerships"]] == [
        "God opplæring for alle",
        "Salten-nettverket",
    ]
