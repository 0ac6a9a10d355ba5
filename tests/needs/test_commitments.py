"""The commitment register: allocated multi-year measures bind later years' frames."""

import pytest
from django.urls import reverse

from needs.commitments import carry_over, commitment_adjust, refresh_commitments, refresh_frames
from needs.models import AuditEntry, Commitment, Frame, NeedReport
from needs.review import allocations_save, frame_set, report_decide
from partnerships.models import Scheme
from portal.workflow import Refused

from .conftest import make_measure, make_report

pytestmark = pytest.mark.django_db


def _frame(cast, year, amount=1_000_000):
    """A frame, with what is committed to it (as frame_set sets it)."""
    frame = Frame.objects.create(
        county_office=cast.county_a,
        scheme=Scheme.objects.get(code="dekom"),
        year=year,
        amount=amount,
    )
    refresh_frames({(cast.county_a.pk, frame.scheme_id, year)})
    frame.refresh_from_db()
    return frame


@pytest.fixture
def allocated(cast):
    """A Dekom 2024 report, allocated: measure 1 estimates autumn 2025 (30 000 + 20 000) and
    2026 (10 000); measure 2 has no estimates."""
    _frame(cast, 2024)
    report = make_report(cast.partnership_a, status=NeedReport.Status.SUBMITTED)
    first = make_measure(
        report, 40_000, 60_000, position=1, cont1_owner=30_000, cont1_uh=20_000, cont2_uh=10_000
    )
    second = make_measure(report, 20_000, 30_000, position=2)
    allocations_save(
        county_office=cast.county_a,
        scheme=report.scheme,
        year=2024,
        entries={first.pk: (40_000, 60_000), second.pk: (20_000, 30_000)},
        user=cast.olga,
    )
    report_decide(report=report, user=cast.olga, allocate=True)
    report.refresh_from_db()
    report.first, report.second = first, second
    return report


def _committed(cast, year):
    return Frame.objects.get(county_office=cast.county_a, scheme__code="dekom", year=year).committed


def test_an_allocated_measure_commits_its_estimates_to_the_next_years(cast, allocated):
    rows = sorted(Commitment.objects.values_list("measure_id", "year", "amount"))
    assert rows == [(allocated.first.pk, 2025, 50_000), (allocated.first.pk, 2026, 10_000)]
    # A frame set later starts with what is committed to it.
    frame = frame_set(
        county_office=cast.county_a,
        scheme=allocated.scheme,
        year=2025,
        amount=900_000,
        user=cast.olga,
    )
    assert (frame.committed, frame.available) == (50_000, 850_000)


def test_nothing_is_committed_before_the_decision_or_after_a_rejection(cast):
    _frame(cast, 2025)
    report = make_report(cast.partnership_a, status=NeedReport.Status.SUBMITTED)
    make_measure(report, 10_000, 10_000, cont1_owner=5_000)
    refresh_commitments(report)
    assert not Commitment.objects.exists()
    report_decide(report=report, user=cast.olga, allocate=False, reason="Utenfor ordningen")
    assert not Commitment.objects.exists()
    assert _committed(cast, 2025) == 0


def test_frames_follow_allocations_and_an_unallocated_measure_releases(cast, allocated):
    frame = _frame(cast, 2025)
    refresh_commitments(allocated)
    frame.refresh_from_db()
    assert frame.committed == 50_000
    allocations_save(
        county_office=cast.county_a,
        scheme=allocated.scheme,
        year=2024,
        entries={allocated.first.pk: (0, 0)},
        user=cast.olga,
    )
    assert not Commitment.objects.exists()
    assert _committed(cast, 2025) == 0


def test_an_adjustment_needs_a_reason_is_audited_and_survives_a_refresh(cast, allocated):
    _frame(cast, 2025)
    row = Commitment.objects.get(year=2025)
    with pytest.raises(Refused):
        commitment_adjust(commitment=row, amount=1, reason=" ", user=cast.olga)
    commitment_adjust(commitment=row, amount=35_000, reason="Lavere deltakelse", user=cast.olga)
    assert _committed(cast, 2025) == 35_000
    entry = AuditEntry.objects.get(subject__contains="2025")
    assert entry.actor == cast.olga and "Lavere deltakelse" in entry.new_value
    refresh_commitments(allocated)
    row.refresh_from_db()
    assert (row.amount, row.adjusted_amount, row.effective_amount) == (50_000, 35_000, 35_000)
    # Another county's officer may not.
    with pytest.raises((Refused, Commitment.DoesNotExist)):
        commitment_adjust(commitment=row, amount=0, reason="x", user=cast.otto)


def test_ending_early_releases_this_and_later_years_through_the_page(login, cast, allocated):
    _frame(cast, 2025)
    _frame(cast, 2026)
    row = Commitment.objects.get(year=2025)
    url = reverse("needs:commitment", args=[row.pk])
    for who, status in [(cast.alice, 403), (cast.ulla, 403), (cast.otto, 404)]:
        assert login(who).post(url, {"action": "release", "reason": "x"}).status_code == status
    client = login(cast.olga)
    response = client.post(url, {"action": "release", "reason": ""})
    assert response.status_code == 200  # refused: no reason; the page shows the form again
    assert _committed(cast, 2025) == 50_000
    response = client.post(url, {"action": "release", "reason": "Tiltaket avsluttes våren 2025"})
    assert response.status_code == 302
    assert (_committed(cast, 2025), _committed(cast, 2026)) == (0, 0)
    assert Commitment.objects.filter(released_at__isnull=False).count() == 2
    assert AuditEntry.objects.filter(new_value__contains="avsluttes").count() == 2


def test_a_bad_amount_is_kept_as_typed(login, cast, allocated):
    row = Commitment.objects.get(year=2025)
    client = login(cast.olga)
    response = client.post(
        reverse("needs:commitment", args=[row.pk]),
        {"action": "adjust", "amount": "12,50", "reason": "Ny plan"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="12,50"' in html and "Ny plan" in html
    row.refresh_from_db()
    assert row.adjusted_amount is None


def test_the_frame_page_lists_what_is_committed(login, cast, allocated):
    _frame(cast, 2025)
    carry_over(county_office=cast.county_a, scheme=allocated.scheme, year=2025, amount=100_000)
    url = reverse("needs:allocation", args=[cast.county_a.pk, "dekom", 2025])
    response = login(cast.olga).get(url)
    assert response.context["committed"] == 150_000
    page = response.content.decode().replace("\u00a0", " ")
    assert "God opplæring for alle" in page and "Tiltak 1" in page
    assert "150 000 kr" in page
    assert 'id="frame-committed"' not in page
