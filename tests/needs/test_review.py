import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from needs.models import Allocation, AuditEntry, Frame, NeedReport, RuleException
from partnerships.models import Partnership, Scheme

from .conftest import allocation_post, make_report

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


# Session, user, its roles, the filter choices (offices, schemes, years, regions and
# partnerships in one query), the totals of the filter (stored on the reports), the page,
# its rule exceptions, its rule settings.
QUEUE_QUERIES = 8


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


def _allocation_post(client, cast, report, values):
    measures = report.measures.order_by("position")
    return allocation_post(client, alloc_url(cast), dict(zip(measures, values, strict=True)))


def test_allocation_within_frame_saves_and_exceeding_is_refused(login, cast, submitted):
    _frame(cast, 200_000, committed=30_000)
    client = login(cast.olga)
    response = client.post(
        alloc_url(cast),
        _allocation_post(client, cast, submitted, [(40_000, 60_000), (20_000, 30_000)]),
    )
    assert response.status_code == 302
    assert sum(a.total for a in Allocation.objects.all()) == 150_000
    response = client.get(alloc_url(cast))
    assert response.context["remaining"] == 20_000

    response = client.post(
        alloc_url(cast),
        _allocation_post(client, cast, submitted, [(40_000, 90_000), (20_000, 30_000)]),
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
    client = login(cast.olga)
    response = client.post(
        alloc_url(cast),
        _allocation_post(client, cast, submitted, [("abc", 60_000), (20_000, 30_000)]),
    )
    assert response.status_code == 200
    first = submitted.measures.order_by("position").first()
    assert response.context["measure_forms"].by_row()[first.pk].errors.keys() == {"owner"}
    assert not Allocation.objects.exists()


def test_rescale_previews_then_applies(login, cast, submitted):
    frame = _frame(cast, 150_000)
    client = login(cast.olga)
    client.post(
        alloc_url(cast),
        _allocation_post(client, cast, submitted, [(40_000, 60_000), (20_000, 30_000)]),
    )
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
    client.post(
        alloc_url(cast),
        _allocation_post(client, cast, submitted, [(40_000, 60_000), (20_000, 30_000)]),
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("needs:review_action", args=[submitted.pk]),
            {"action": "allocate", "confirmed": "1"},
        )
    submitted.refresh_from_db()
    assert submitted.status == NeedReport.Status.ALLOCATED
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.no", "ulla@example.no"]
    page = login(cast.alice).get(reverse("needs:detail", args=[submitted.pk])).content.decode()
    assert "Tildelt eier" in page


def test_allocation_breaking_split_rule_blocks_decision(login, cast, submitted):
    _frame(cast, 1_000_000)
    client = login(cast.olga)
    client.post(
        alloc_url(cast),
        _allocation_post(client, cast, submitted, [(60_000, 40_000), (20_000, 30_000)]),
    )
    client.post(
        reverse("needs:review_action", args=[submitted.pk]),
        {"action": "allocate", "confirmed": "1"},
    )
    submitted.refresh_from_db()
    assert submitted.status == NeedReport.Status.SUBMITTED


def test_reject_needs_reason(login, cast, submitted):
    client = login(cast.olga)
    client.post(
        reverse("needs:review_action", args=[submitted.pk]), {"action": "reject", "confirmed": "1"}
    )
    submitted.refresh_from_db()
    assert submitted.status == NeedReport.Status.SUBMITTED
    client.post(
        reverse("needs:review_action", args=[submitted.pk]),
        {"action": "reject", "confirmed": "1", "reason": "Utenfor ordningen"},
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


def test_queue_rows_show_each_report_escaped_with_its_findings(login, cast):
    from tests.factories import make_partnership

    evil = make_partnership(cast.region_a, '<b>"Nett" & verk</b>')
    flagged = make_report(evil, measures=[(60_000, 40_000)], status="submitted", priority=2)
    RuleException.objects.create(report=flagged, code="uh_share_below_minimum", justification="-")
    make_report(cast.partnership_a, measures=[(10_000, 90_000)], status="reviewed")  # ✓ OK
    empty = make_partnership(cast.region_a, "Tomt nettverk")
    make_report(empty, measures=[], status="submitted", cofinancing_amount=5)  # 0 kr
    response = login(cast.olga).get(reverse("needs:queue"), {"sort": "priority"})
    reports = response.context["reports"]
    assert [r.priority for r in reports] == [2, None, None]
    html = response.content.decode()
    assert "&lt;b&gt;&quot;Nett&quot; &amp; verk&lt;/b&gt;</a> <span" in html
    assert 'data-testid="priority">Prioritet 2</span>' in html
    assert html.count("finding-excepted") == 1 and "✓ OK" in html
    assert "Unntak:" in html  # the exception, in Norwegian
    rows = html.replace("\u00a0", " ")
    assert '60 000 kr</td><td class="num">40 000 kr</td><td class="num">100 000 kr' in rows
    assert '<td class="num">40,0 %</td>' in rows


def test_queue_filter_options_keep_the_choice(login, cast, submitted):
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


def test_filter_choices_for_every_kind_of_officer(cast):
    """The queue's filter choices (one UNION query): each officer's offices, regions,
    partnerships and the years of their submitted reports; every scheme."""
    from needs import listing
    from partnerships.models import CountyMembership, CountyOffice
    from portal.models import User
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
    expected_years = {
        "olga": [2024, 2023],
        "otto": [2022],
        "root": [2024, 2023, 2022],
        "alice": [2022],
    }
    for name, years in expected_years.items():
        user = User.objects.get(pk=getattr(cast, name).pk)
        offices = CountyOffice.objects.editable_by(user)
        scope = NeedReport.objects.reviewable_by(user).exclude(status="draft")
        choices = listing.filter_choices(offices, scope)
        assert choices["years"] == years, name
        assert [s.code for s in choices["schemes"]] == list(
            Scheme.objects.order_by("order").values_list("code", flat=True)
        )
        offices = {o.pk for o in choices["offices"]}
        assert {p for p, _name in choices["partnerships"]} == set(
            Partnership.objects.filter(region__county_office__in=offices).values_list(
                "pk", flat=True
            )
        )
    olga = listing.filter_choices(
        CountyOffice.objects.editable_by(cast.olga), NeedReport.objects.reviewable_by(cast.olga)
    )
    assert olga["years"] == [2024, 2023]
    assert [name for _pk, name in olga["partnerships"]] == [
        "God opplæring for alle",
        "Salten-nettverket",
    ]


@pytest.mark.parametrize("action", ["allocate", "reject"])
def test_a_decision_asks_for_confirmation_naming_who_is_notified(login, cast, submitted, action):
    _frame(cast, 1_000_000)
    client = login(cast.olga)
    client.post(
        alloc_url(cast),
        _allocation_post(client, cast, submitted, [(40_000, 60_000), (20_000, 30_000)]),
    )
    url = reverse("needs:review_action", args=[submitted.pk])
    response = client.post(url, {"action": action, "reason": "Utenfor ordningen"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "alice@example.no" in page and "ulla@example.no" in page
    assert "kan ikke angres" in page
    assert 'name="confirmed" value="1"' in page and 'value="Utenfor ordningen"' in page
    if action == "allocate":
        assert "150\u00a0000\u00a0kr" in page or "150 000 kr" in page
    submitted.refresh_from_db()
    assert submitted.status == NeedReport.Status.SUBMITTED  # nothing decided yet
    client.post(url, {"action": action, "reason": "Utenfor ordningen", "confirmed": "1"})
    submitted.refresh_from_db()
    assert submitted.status == (
        NeedReport.Status.ALLOCATED if action == "allocate" else NeedReport.Status.REJECTED
    )
