import pytest
from django.core.management import call_command
from django.urls import reverse

from measures.models import Measure
from needs.models import Comment, NeedReport, ReportVersion, RuleException
from needs.services import need_report_create
from needs.totals import refresh_totals
from partnerships.models import Partnership, RuleSettings, Scheme
from tests.factories import confirm_uh

from .conftest import make_measure, make_report

pytestmark = pytest.mark.django_db


def detail(report):
    return reverse("needs:detail", args=[report.pk])


def test_anonymous_goes_to_login(client, report_a):
    for url in [detail(report_a), reverse("needs:list"), reverse("needs:edit", args=[report_a.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who", ["bob", "otto"])
def test_outsiders_get_404_everywhere(login, cast, report_a, who):
    client = login(getattr(cast, who))
    measure = report_a.measures.first()
    urls = [
        detail(report_a),
        reverse("needs:edit", args=[report_a.pk]),
        reverse("needs:summary", args=[report_a.pk]),
        reverse("needs:versions", args=[report_a.pk]),
        reverse("measures:edit", args=[report_a.pk, measure.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("needs:submit", args=[report_a.pk])).status_code == 404
    assert (
        client.post(
            reverse("measures:edit", args=[report_a.pk, measure.pk]), {"owner_amount": "1"}
        ).status_code
        == 404
    )
    assert report_a.pk not in [r.pk for r in client.get(reverse("needs:list")).context["reports"]]


def test_officer_never_sees_drafts(login, cast, report_a):
    client = login(cast.olga)
    assert client.get(detail(report_a)).status_code == 404
    report_a.status = NeedReport.Status.SUBMITTED
    report_a.save()
    response = client.get(detail(report_a))
    assert response.status_code == 200
    assert "Tiltak 1" in response.content.decode()
    assert client.post(reverse("needs:submit", args=[report_a.pk])).status_code == 403


def test_uh_contact_reads_but_cannot_write(login, cast, report_a):
    client = login(cast.ulla)
    measure = report_a.measures.first()
    response = client.get(detail(report_a))
    assert response.status_code == 200
    assert "Tiltak 1" in response.content.decode()
    assert response.context["can_edit"] is False
    url = reverse("measures:edit", args=[report_a.pk, measure.pk])
    assert client.get(url).status_code == 200
    assert (
        client.post(url, {"owner_amount": "1", "version": measure.lock_version}).status_code == 403
    )
    assert client.post(reverse("measures:create", args=[report_a.pk])).status_code == 403
    assert (
        client.post(reverse("measures:delete", args=[report_a.pk, measure.pk])).status_code == 403
    )
    assert client.get(reverse("needs:edit", args=[report_a.pk])).status_code == 403
    assert client.post(reverse("needs:submit", args=[report_a.pk])).status_code == 403
    measure.refresh_from_db()
    assert measure.owner_amount == 40_000


def test_coordinator_creates_report_once_per_combination(login, cast):
    client = login(cast.alice)
    dekom = Scheme.objects.get(code="dekom")
    data = {"partnership": cast.partnership_a.pk, "scheme": dekom.pk, "year": 2025}
    response = client.post(reverse("needs:create"), data)
    report = NeedReport.objects.get(partnership=cast.partnership_a, scheme=dekom, year=2025)
    assert response.url == detail(report)
    response = client.post(reverse("needs:create"), data)
    assert response.status_code == 200
    assert response.context["existing"] == report
    assert NeedReport.objects.filter(partnership=cast.partnership_a, year=2025).count() == 1


def test_coordinator_cannot_create_for_other_partnership(login, cast):
    response = login(cast.alice).post(
        reverse("needs:create"),
        {
            "partnership": cast.partnership_b.pk,
            "scheme": Scheme.objects.get(code="dekom").pk,
            "year": 2025,
        },
    )
    assert response.status_code == 200
    assert "partnership" in response.context["form"].errors
    assert not NeedReport.objects.filter(partnership=cast.partnership_b).exists()


def test_database_enforces_one_report_per_combination(cast, report_a):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        NeedReport.objects.create(
            partnership=cast.partnership_a, scheme=report_a.scheme, year=report_a.year
        )


def test_start_from_last_year_copies_measures_as_continuations(cast, report_a):
    new = need_report_create(
        partnership=cast.partnership_a,
        scheme=report_a.scheme,
        year=2025,
        user=cast.alice,
        copy_last_year=True,
    )
    copies = list(new.measures.all())
    originals = list(report_a.measures.all())
    assert [(m.name, m.owner_amount, m.uh_amount) for m in copies] == [
        (m.name, m.owner_amount, m.uh_amount) for m in originals
    ]
    assert all(m.is_continuation for m in copies)
    assert [m.continued_from_id for m in copies] == [m.pk for m in originals]


def test_new_report_is_prefilled_from_organisations(cast):
    report = need_report_create(
        partnership=cast.partnership_a,
        scheme=Scheme.objects.get(code="rekom"),
        year=2024,
        user=cast.alice,
    )
    assert report.owner_org_number == cast.owner_a1.org_number
    assert report.uh_account_number == cast.uh.account_number


def test_detail_shows_totals_share_and_finding(login, cast, report_a):
    # 50 000 owner / 60 000 UH -> 54,5 %: 6 000 kr short of 60 % of 110 000.
    page = login(cast.alice).get(detail(report_a)).content.decode()
    nbsp = "\u00a0"
    assert f"110{nbsp}000{nbsp}kr" in page
    assert f"54,5{nbsp}%" in page
    assert "6 000 kr" in page


def test_rule_settings_of_the_county_are_used(login, cast, report_a):
    RuleSettings.objects.create(
        county_office=cast.county_a, scheme=report_a.scheme, year=2024, min_uh_share_percent=50
    )
    response = login(cast.alice).get(detail(report_a))
    assert response.context["summary"].findings == []


def test_submit_refused_with_findings_then_accepted_after_fix(login, cast, report_a):
    client = login(cast.alice)
    response = client.post(reverse("needs:submit", args=[report_a.pk]), follow=True)
    page = response.content.decode()
    assert "6 000 kr" in page
    report_a.refresh_from_db()
    assert report_a.status == NeedReport.Status.DRAFT
    assert not report_a.versions.exists()

    Measure.objects.filter(report=report_a, position=1).update(
        owner_amount=34_000, uh_amount=66_000
    )
    refresh_totals(report_a)
    confirm_uh(report_a, cast.ulla)
    response = client.post(reverse("needs:submit", args=[report_a.pk]))
    report_a.refresh_from_db()
    assert report_a.status == NeedReport.Status.SUBMITTED
    assert report_a.submitted_by == cast.alice
    version = report_a.versions.get()
    assert version.number == 1
    assert version.snapshot["totals"] == {"owner": 44_000, "uh": 66_000, "total": 110_000}
    # The report page lists the version (a draft's page does not look for any).
    page = client.get(detail(report_a))
    assert page.context["versions"] == [version]
    assert reverse("needs:version", args=[report_a.pk, 1]) in page.content.decode()
    # Locked for the coordinator now.
    measure = report_a.measures.first()
    response = client.post(
        reverse("measures:edit", args=[report_a.pk, measure.pk]),
        {"owner_amount": "1", "version": measure.lock_version},
    )
    assert response.status_code == 403


def test_exception_lets_a_broken_rule_through(login, cast, report_a):
    RuleException.objects.create(
        report=report_a, code="uh_share_below_minimum", justification="Avtalt i samarbeidsforum"
    )
    client = login(cast.alice)
    page = client.get(detail(report_a)).content.decode()
    assert "Avtalt i samarbeidsforum" in page
    confirm_uh(report_a, cast.ulla)
    client.post(reverse("needs:submit", args=[report_a.pk]))
    report_a.refresh_from_db()
    assert report_a.status == NeedReport.Status.SUBMITTED


def test_incomplete_report_is_refused(login, cast):
    report = make_report(cast.partnership_a, measures=[], complete=False)
    client = login(cast.alice)
    client.post(reverse("needs:submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == NeedReport.Status.DRAFT
    problems = client.get(detail(report)).context["problems"]
    assert len(problems) >= 4  # zero total, contacts, co-determination, no measures


def test_versions_increase_after_return_and_can_be_compared(login, cast, report_a):
    client = login(cast.alice)
    RuleException.objects.create(report=report_a, code="uh_share_below_minimum", justification="x")
    confirm_uh(report_a, cast.ulla)
    client.post(reverse("needs:submit", args=[report_a.pk]))
    NeedReport.objects.filter(pk=report_a.pk).update(
        status=NeedReport.Status.RETURNED, return_message="Mer til UH"
    )
    assert "Mer til UH" in client.get(detail(report_a)).content.decode()
    measure = report_a.measures.get(position=2)
    measure.owner_amount = 5_000
    measure.save()
    refresh_totals(report_a)
    confirm_uh(report_a, cast.ulla)
    client.post(reverse("needs:submit", args=[report_a.pk]))
    assert list(report_a.versions.values_list("number", flat=True)) == [1, 2]
    response = client.get(reverse("needs:versions", args=[report_a.pk]), {"a": "1", "b": "2"})
    comparison = response.context["comparison"]
    changed = {name: rows for name, state, rows in comparison["measures"]}
    # Amounts as the pages show them (kroner), labels capitalised, no internal fields.
    rows = [tuple(str(v).replace("\u00a0", " ") for v in row) for row in changed["Tiltak 2"]]
    assert ("Eier (kr)", "10 000 kr", "5 000 kr") in rows
    assert not any("decided" in label or "_by" in label for label, *_ in comparison["report"])
    # The UH contact may compare too; the outsider may not.
    assert (
        login(cast.ulla)
        .get(reverse("needs:versions", args=[report_a.pk]), {"a": "1", "b": "2"})
        .status_code
        == 200
    )


def test_versions_are_immutable(cast, report_a):
    from django.utils import timezone

    version = ReportVersion.objects.create(
        report=report_a, number=1, snapshot={}, submitted_at=timezone.now()
    )
    version.snapshot = {"changed": True}
    with pytest.raises(ValueError):
        version.save()


@pytest.mark.parametrize("count", [3, 30])
def test_report_page_query_count_is_constant(login, cast, count, django_assert_num_queries):
    report = make_report(cast.partnership_a, measures=[(1000, 2000)] * count)
    client = login(cast.alice)
    client.get(detail(report))  # warm up session
    with django_assert_num_queries(QUERIES_REPORT_PAGE):
        response = client.get(detail(report))
    assert len(response.context["summary"].measures) == count


@pytest.mark.parametrize("count", [0, 50])
def test_report_page_query_count_is_constant_in_comments(
    login, cast, count, django_assert_num_queries
):
    report = make_report(cast.partnership_a, measures=[(1000, 2000)] * 3)
    measures = list(report.measures.all())
    for i in range(count):
        author = [cast.ulla, cast.alice][i % 2]
        Comment.objects.create(
            report=report,
            measure=measures[i % 4] if i % 4 < 3 else None,
            author=author,
            text=f"c{i}",
        )
    client = login(cast.alice)
    client.get(detail(report))  # warm up session; marks the comments read
    with django_assert_num_queries(QUERIES_REPORT_PAGE):
        response = client.get(detail(report))
    assert len(response.context["comments"]) == count
    assert response.context["unread_comments"] == 0


# A draft's page: session, user, its roles, report, participants, other parties, measures,
# exceptions, scheme summary, UH confirmation, comments, activity.
QUERIES_REPORT_PAGE = 12  # the rule settings come with the report (with_rule_settings)


def test_seed_report_acceptance(client):
    call_command("demo", verbosity=0)
    report = NeedReport.objects.get(
        partnership__name="God opplæring for alle", scheme__code="dekom", year=2024
    )
    assert client.login(username="koordinator.goa", password="demo")
    page = client.get(detail(report)).content.decode().replace("\u00a0", " ")
    for figure in [
        "625 000 kr",
        "919 000 kr",
        "1 544 000 kr",
        "59,5 %",
        "7 400 kr",
        "1 430 000",
        "1 993 000",
        "3 423 000",
    ]:
        assert figure in page, figure
    client.post(reverse("needs:submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == NeedReport.Status.DRAFT

    measure = report.measures.get(name="Magisk måned")
    response = client.post(
        reverse("measures:edit", args=[report.pk, measure.pk]),
        {**_form_data(measure), "owner_amount": "42 600", "uh_amount": "kr 57 400"},
    )
    assert response.status_code == 302
    # The UH contact confirms the UH part; then the coordinator can submit.
    assert client.login(username="uh.hinn", password="demo")
    assert client.post(reverse("needs:confirm", args=[report.pk])).status_code == 302
    assert client.login(username="koordinator.goa", password="demo")
    client.post(reverse("needs:submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == NeedReport.Status.SUBMITTED

    assert client.login(username="koordinator.salten", password="demo")
    assert client.get(detail(report)).status_code == 404
    assert client.login(username="uh.hinn", password="demo")
    assert client.get(detail(report)).status_code == 200


def _form_data(measure):
    from measures.forms import MeasureForm

    form = MeasureForm(instance=measure, year=measure.report.year)
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = field.prepare_value(value) if not isinstance(value, bool) else "on"
    data["coordinator_funds_needed"] = str(measure.coordinator_funds_needed)
    data["version"] = measure.lock_version
    return data


def test_partnership_fixture_unused_warning_guard(cast):
    assert Partnership.objects.count() == 2
    assert make_measure  # helper is importable for other modules


def test_details_post_without_the_form_changes_nothing(login, cast, report_a):
    response = login(cast.alice).post(reverse("needs:edit", args=[report_a.pk]), {})
    assert response.status_code == 400
    report_a.refresh_from_db()
    assert report_a.owner_contact_name == "Tone Dalen"
