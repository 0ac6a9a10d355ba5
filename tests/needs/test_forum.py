"""Issue 20, point 3: the samarbeidsforum, declared ties and the forum's recommendation."""

import io

import pytest
from django.urls import reverse

from needs.forum import recommendation_record
from needs.models import AuditEntry, Frame, NeedReport, Recusal
from needs.review import allocations_save, priorities_set, report_decide
from partnerships.models import CountyMembership, Tie
from portal.workflow import Refused
from tests.factories import make_user, scheme

from .conftest import allocation_post, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(cast):
    return make_report(
        cast.partnership_a, measures=[(40_000, 60_000)], status=NeedReport.Status.SUBMITTED
    )


@pytest.fixture
def sam(cast):
    """A second case officer of county A, with a declared tie to one of A's owners."""
    sam = make_user("sam", first_name="Sam", last_name="Habil")
    CountyMembership.objects.create(county_office=cast.county_a, user=sam)
    Tie.objects.create(user=sam, organisation=cast.owner_a1, description="Gift med rådmannen")
    return sam


def test_forum_member_reads_the_countys_submitted_reports_only(cast, submitted):
    draft = make_report(cast.partnership_a, scheme_code="rekom")
    other = make_report(cast.partnership_b, status=NeedReport.Status.SUBMITTED)
    visible = set(NeedReport.objects.visible_to(cast.fiona).values_list("pk", flat=True))
    assert submitted.pk in visible
    assert draft.pk not in visible and other.pk not in visible


def test_forum_member_comments_but_decides_nothing(login, cast, submitted):
    client = login(cast.fiona)
    response = client.post(reverse("needs:comment_add", args=[submitted.pk]), {"text": "Bra!"})
    assert response.status_code == 302
    assert submitted.comments.get().author == cast.fiona
    response = client.post(
        reverse("needs:review_action", args=[submitted.pk]),
        {"action": "allocate", "confirmed": "1"},
    )
    assert response.status_code == 403
    assert not submitted.allows("decide", cast.fiona)
    with pytest.raises(Refused):
        report_decide(report=submitted, user=cast.fiona, allocate=True)


def test_ties_page_declares_and_removes_a_tie(login, cast):
    client = login(cast.fiona)
    response = client.post(
        reverse("partnerships:ties"), {"organisation": cast.owner_a2.pk, "description": "Ansatt"}
    )
    assert response.status_code == 302
    tie = Tie.objects.get(user=cast.fiona)
    assert tie.organisation == cast.owner_a2
    assert "Ansatt" in client.get(reverse("partnerships:ties")).content.decode()
    # Both an organisation and a partnership: refused, what was typed is kept.
    response = client.post(
        reverse("partnerships:ties"),
        {
            "organisation": cast.owner_a2.pk,
            "partnership": cast.partnership_a.pk,
            "description": "X",
        },
    )
    assert response.status_code == 200 and Tie.objects.count() == 1
    assert client.post(reverse("partnerships:tie_delete", args=[tie.pk])).status_code == 302
    assert not Tie.objects.exists()
    # Coordinators declare no ties (they are parties).
    assert login(cast.alice).get(reverse("partnerships:ties")).status_code == 403


def test_officer_with_a_tie_cannot_decide_rank_or_allocate(login, cast, submitted, sam):
    with pytest.raises(Refused) as refused:
        report_decide(report=submitted, user=sam, allocate=True)
    assert "Alstahaug kommune" in str(refused.value) and "Gift med rådmannen" in str(refused.value)
    with pytest.raises(Refused):
        priorities_set(reports=[submitted], entries={submitted.pk: (1, "")}, user=sam)
    Frame.objects.create(
        county_office=cast.county_a, scheme=scheme("dekom"), year=2024, amount=1_000_000
    )
    measure = submitted.measures.get()
    with pytest.raises(Refused):
        allocations_save(
            county_office=cast.county_a,
            scheme=scheme("dekom"),
            year=2024,
            entries={measure.pk: (40_000, 60_000)},
            user=sam,
        )
    submitted.refresh_from_db()
    assert submitted.priority is None and submitted.allocated_total == 0
    # The UI says why: the report page and the allocation page (no inputs for the report).
    page = login(sam).get(submitted.get_absolute_url()).content.decode()
    assert "Gift med rådmannen" in page
    response = login(sam).get(reverse("needs:allocation", args=[cast.county_a.pk, "dekom", 2024]))
    assert f'data-testid="tie-{submitted.pk}"' in response.content.decode()
    assert response.context["measure_forms"].by_row() == {}
    # Another officer, without a tie, allocates and decides.
    allocations_save(
        county_office=cast.county_a,
        scheme=scheme("dekom"),
        year=2024,
        entries={measure.pk: (40_000, 60_000)},
        user=cast.olga,
    )
    report_decide(report=submitted, user=cast.olga, allocate=True)
    submitted.refresh_from_db()
    assert submitted.status == NeedReport.Status.ALLOCATED


def test_the_decision_post_is_refused_with_the_reason(login, cast, submitted, sam):
    client = login(sam)
    response = client.post(
        reverse("needs:review_action", args=[submitted.pk]),
        {"action": "allocate", "confirmed": "1"},
        follow=True,
    )
    assert "forvaltningsloven § 6" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == NeedReport.Status.SUBMITTED


def test_recording_the_recommendation_records_who_stepped_aside(cast, submitted, sam):
    other = make_report(
        cast.partnership_b, measures=[(1, 1)], status=NeedReport.Status.SUBMITTED
    )  # another county: not in the recommendation
    Tie.objects.create(user=cast.fiona, partnership=cast.partnership_a, description="Leder")
    recommendation = recommendation_record(
        county_office=cast.county_a,
        scheme=scheme("dekom"),
        year=2024,
        meeting_date=None,
        note="Enstemmig",
        entries={submitted.pk: (1, "Godt forankret"), other.pk: (1, "")},
        user=cast.olga,
        expected_version=1,
    )
    submitted.refresh_from_db()
    assert (submitted.priority, submitted.priority_note) == (1, "Godt forankret")
    recusals = {(r.user.username, r.role): r.reason for r in Recusal.objects.all()}
    assert set(recusals) == {("fiona", "forum"), ("sam", "officer")}
    assert "Leder" in recusals[("fiona", "forum")]
    assert recommendation.lock_version == 2
    assert AuditEntry.objects.filter(subject__contains="Forum recommendation").exists()
    # A form based on the old version saves nothing.
    with pytest.raises(Refused):
        recommendation_record(
            county_office=cast.county_a,
            scheme=scheme("dekom"),
            year=2024,
            meeting_date=None,
            note="Overskrevet",
            entries={},
            user=cast.olga,
            expected_version=1,
        )
    # An officer with a tie may not record a priority for that report.
    with pytest.raises(Refused):
        recommendation_record(
            county_office=cast.county_a,
            scheme=scheme("dekom"),
            year=2024,
            meeting_date=None,
            note="",
            entries={submitted.pk: (2, "")},
            user=sam,
            expected_version=2,
        )


def test_recommendation_page_and_pdf(login, cast, submitted, settings, tmp_path):
    from pypdf import PdfReader

    Tie.objects.create(user=cast.fiona, organisation=cast.uh, description="Ansatt ved HINN")
    url = reverse("needs:recommendation", args=[cast.county_a.pk, "dekom", 2024])
    client = login(cast.olga)
    data = {
        "version": "1",
        "meeting_date": "15.03.2024",
        "note": "Forumet anbefaler",
        "reports-TOTAL_FORMS": "1",
        "reports-INITIAL_FORMS": "1",
        "reports-0-report": str(submitted.pk),
        "reports-0-priority": "1",
        "reports-0-note": "Sterk forankring",
    }
    assert client.post(url, data).status_code == 302
    # The forum member reads it, cannot record it, and prints it.
    forum = login(cast.fiona)
    page = forum.get(url).content.decode()
    assert "Sterk forankring" in page and "Ansatt ved HINN" in page
    assert forum.post(url, data).status_code == 403
    response = forum.get(
        reverse("reporting:recommendation_pdf", args=[cast.county_a.pk, "dekom", 2024])
    )
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages
    ).replace("\n", " ")
    for expected in (
        "God opplæring for alle",
        "Alstahaug kommune – Høgskolen i Innlandet",  # an owner–UH pair
        "Træna kommune",
        "Sterk forankring",
        "15.03.2024",
        "Ansatt ved HINN",  # who stepped aside and why
    ):
        assert expected in text, expected
    # A missing version is not a form of ours: 400, nothing saved.
    client = login(cast.olga)  # the same test client, logged in again
    assert client.post(url, {**data, "version": ""}).status_code == 400


def test_dashboard_shows_the_forum_section(login, cast, submitted):
    page = login(cast.fiona).get(reverse("portal:dashboard")).content.decode()
    assert "Statsforvalteren i Nordland" in page
    assert reverse("partnerships:ties") in page
    assert reverse("needs:recommendation", args=[cast.county_a.pk, "dekom", 2024]) in page


def test_allocation_page_saves_other_reports_for_an_officer_with_a_tie(login, cast, submitted, sam):
    """The tied report has no inputs; the others on the page are saved."""
    from tests.factories import make_partnership

    partnership = make_partnership(cast.region_a, "Helgeland nord", owners=[cast.owner_a2])
    free = make_report(partnership, measures=[(10_000, 20_000)], status="submitted")
    Frame.objects.create(
        county_office=cast.county_a, scheme=scheme("dekom"), year=2024, amount=1_000_000
    )
    client = login(sam)
    url = reverse("needs:allocation", args=[cast.county_a.pk, "dekom", 2024])
    measure = free.measures.get()
    response = client.post(url, allocation_post(client, url, {measure: ("10 000", "20 000")}))
    assert response.status_code == 302
    free.refresh_from_db()
    submitted.refresh_from_db()
    assert free.allocated_total == 30_000 and submitted.allocated_total == 0


def test_demo_shows_forum_ties_recommendation_and_change_request():
    from django.core.management import call_command

    from needs.models import ChangeRequest, ForumRecommendation
    from partnerships.models import ForumMembership

    call_command("demo", verbosity=0)
    call_command("demo", verbosity=0)  # re-runnable: nothing twice
    assert ForumMembership.objects.filter(user__username="forum.nordland").count() == 1
    assert set(Tie.objects.values_list("user__username", flat=True)) == {
        "forum.nordland",
        "sf2.nordland",
    }
    recommendation = ForumRecommendation.objects.get()
    assert {r.user.username for r in recommendation.recusals.all()} == {
        "forum.nordland",
        "sf2.nordland",
    }
    change = ChangeRequest.objects.get()
    assert change.status == ChangeRequest.Status.SUBMITTED and change.lines.exists()
