"""Issue 20, point 4: change requests to an allocated report (endringssøknader)."""

import pytest
from django.core import mail
from django.urls import reverse

from needs.changes import (
    change_approve,
    change_confirm_uh,
    change_create,
    change_reject,
    change_save,
    change_submit,
    current_values,
)
from needs.models import (
    Allocation,
    AuditEntry,
    ChangeRequest,
    Commitment,
    Frame,
    NeedReport,
)
from needs.review import allocations_save, report_decide
from partnerships.models import CountyMembership, Scheme, Tie
from portal.workflow import Refused
from reporting.selectors import payment_lines
from tests.factories import make_user

from .conftest import make_measure, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def allocated(cast):
    """Dekom 2024, allocated: measure 1 (40 000 / 60 000, continuation 30 000 + 20 000 in
    2025) and measure 2 (20 000 / 30 000)."""
    dekom = Scheme.objects.get(code="dekom")
    for year in (2024, 2025):
        Frame.objects.create(county_office=cast.county_a, scheme=dekom, year=year, amount=10**6)
    report = make_report(cast.partnership_a, status=NeedReport.Status.SUBMITTED)
    first = make_measure(report, 40_000, 60_000, position=1, cont1_owner=30_000, cont1_uh=20_000)
    second = make_measure(report, 20_000, 30_000, position=2)
    allocations_save(
        county_office=cast.county_a,
        scheme=dekom,
        year=2024,
        entries={first.pk: (40_000, 60_000), second.pk: (20_000, 30_000)},
        user=cast.olga,
    )
    report_decide(report=report, user=cast.olga, allocate=True)
    report.refresh_from_db()
    report.first, report.second = first, second
    return report


def proposal(report, changes=None):
    """Every measure as it is now, with `changes` {measure: {key: value}} over it."""
    changes = {getattr(m, "pk", m): v for m, v in (changes or {}).items()}
    values = {}
    for measure in report.measures.select_related("allocation"):
        values[measure.pk] = {**current_values(measure), **changes.get(measure.pk, {})}
    return values


def filed(cast, report):
    """A change request moving 10 000 from measure 1's owner part to measure 2's UH part and
    raising measure 1's continuation, filed and confirmed by UH."""
    change = change_create(report=report, user=cast.alice)
    assert change_save(
        change=change,
        user=cast.alice,
        reason="Mer veiledning fra UH",
        proposed=proposal(
            report,
            {
                report.first: {"alloc_owner": 30_000, "cont1_uh": 40_000, "autumn_this_year": True},
                report.second: {"alloc_uh": 40_000},
            },
        ),
        expected_version=1,
    )
    change_submit(change=change, user=cast.alice)
    change_confirm_uh(change=change, user=cast.ulla)
    change.refresh_from_db()
    return change


def test_an_approved_change_updates_allocation_totals_payments_and_commitments(
    cast, allocated, django_capture_on_commit_callbacks
):
    for measure in (allocated.first, allocated.second):
        measure.refresh_from_db()
    assert Commitment.objects.get(year=2025).amount == 50_000
    change = filed(cast, allocated)
    assert change.status == ChangeRequest.Status.UH_CONFIRMED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        change_approve(change=change, user=cast.olga, reason="I tråd med planen")
    change.refresh_from_db()
    allocated.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPROVED and change.decided_by == cast.olga
    first = Allocation.objects.get(measure=allocated.first)
    second = Allocation.objects.get(measure=allocated.second)
    assert (first.owner_amount, first.uh_amount) == (30_000, 60_000)
    assert (second.owner_amount, second.uh_amount) == (20_000, 40_000)
    assert (allocated.allocated_owner, allocated.allocated_uh) == (50_000, 100_000)
    allocated.first.refresh_from_db()
    assert allocated.first.cont1_uh == 40_000 and allocated.first.autumn_this_year
    # The commitment into 2025 follows the new estimate, and next year's frame shows it.
    assert Commitment.objects.get(year=2025).amount == 70_000
    assert Frame.objects.get(year=2025).committed == 70_000
    # The payment list pays the new owner and UH totals.
    amounts = {line.kind: line.amount for line in payment_lines(cast.olga, _no_filter())}
    assert amounts == {"Eier": 50_000, "UH": 100_000}
    # Audited, step by step and value by value; the partnership is told.
    subjects = list(AuditEntry.objects.values_list("subject", flat=True))
    assert sum(f"Change request {change.pk}" in s for s in subjects) >= 6
    assert {m.to[0] for m in mail.outbox} >= {"alice@example.no", "ulla@example.no"}


def _no_filter():
    class Everything:
        def apply(self, reports):
            return reports

    return Everything()


def test_money_moves_only_within_the_allocation(cast, allocated):
    change = change_create(report=allocated, user=cast.alice)
    with pytest.raises(Refused) as refused:
        change_save(
            change=change,
            user=cast.alice,
            reason="",
            proposed=proposal(allocated, {allocated.first: {"alloc_uh": 70_000}}),
            expected_version=1,
        )
    assert "150 000" in str(refused.value).replace("\u00a0", " ")
    assert not change.lines.exists()


def test_steps_are_taken_in_order_by_their_roles(cast, allocated):
    change = change_create(report=allocated, user=cast.alice)
    # The same open request is returned, not a second one.
    assert change_create(report=allocated, user=cast.alice).pk == change.pk
    with pytest.raises(Refused):
        change_submit(change=change, user=cast.alice)  # changes nothing yet
    with pytest.raises(Refused):
        change_create(report=allocated, user=cast.ulla)
    change_save(
        change=change,
        user=cast.alice,
        reason="Navnebytte",
        proposed=proposal(allocated, {allocated.second: {"name": "Ny tittel"}}),
        expected_version=1,
    )
    with pytest.raises(Refused):
        change_confirm_uh(change=change, user=cast.ulla)  # not submitted yet
    change_submit(change=change, user=cast.alice)
    with pytest.raises(Refused):
        change_approve(change=change, user=cast.olga)  # UH has not confirmed
    with pytest.raises(Refused):
        change_confirm_uh(change=change, user=cast.alice)
    change_confirm_uh(change=change, user=cast.ulla)
    with pytest.raises(Refused):
        change_reject(change=change, user=cast.olga, reason="")
    change_reject(change=change, user=cast.olga, reason="Ikke begrunnet")
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.REJECTED
    allocated.second.refresh_from_db()
    assert allocated.second.name != "Ny tittel"
    with pytest.raises(Refused):
        change_approve(change=change, user=cast.olga)


def test_a_stale_draft_saves_nothing(cast, allocated):
    change = change_create(report=allocated, user=cast.alice)
    values = proposal(allocated, {allocated.second: {"name": "A"}})
    assert change_save(
        change=change, user=cast.alice, reason="", proposed=values, expected_version=1
    )
    assert not change_save(
        change=change, user=cast.alice, reason="gammel", proposed=values, expected_version=1
    )


def test_approval_is_refused_when_the_allocation_changed_meanwhile(cast, allocated):
    change = filed(cast, allocated)
    allocations_save(
        county_office=cast.county_a,
        scheme=allocated.scheme,
        year=2024,
        entries={allocated.first.pk: (35_000, 65_000)},
        user=cast.olga,
    )
    with pytest.raises(Refused):
        change_approve(change=change, user=cast.olga)
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.UH_CONFIRMED


def test_an_officer_with_a_tie_cannot_approve(cast, allocated):
    sam = make_user("sam")
    CountyMembership.objects.create(county_office=cast.county_a, user=sam)
    Tie.objects.create(user=sam, partnership=cast.partnership_a, description="Prosjektleder")
    change = filed(cast, allocated)
    with pytest.raises(Refused) as refused:
        change_approve(change=change, user=sam)
    assert "Prosjektleder" in str(refused.value)
    change_approve(change=change, user=cast.olga)


def test_the_pages_take_the_whole_flow_and_show_the_diff(login, cast, allocated):
    client = login(cast.alice)
    response = client.post(reverse("needs:change_create", args=[allocated.pk]))
    change = ChangeRequest.objects.get()
    assert response["Location"] == reverse("needs:change_edit", args=[change.pk])
    edit = client.get(response["Location"])
    data = {"version": "1", "reason": "Flytte til UH"}
    for form in edit.context["lines"]:
        for name in form.fields:
            value = form[name].value()
            if value not in (None, False):
                data[form.add_prefix(name)] = "on" if value is True else str(value)
    first = f"m{allocated.first.pk}"
    second = f"m{allocated.second.pk}"
    data[f"{first}-alloc_owner"] = "30 000"
    data[f"{second}-alloc_uh"] = "40 000"
    # A wrong amount: nothing saved, what was typed is shown again.
    bad = {**data, f"{second}-alloc_uh": "førti"}
    page = client.post(response["Location"], bad)
    assert page.status_code == 200 and "førti" in page.content.decode()
    assert not change.lines.exists()
    assert client.post(response["Location"], data).status_code == 302
    detail = reverse("needs:change_request", args=[change.pk])
    client.post(reverse("needs:change_act", args=[change.pk]), {"action": "submit"})
    login(cast.ulla).post(reverse("needs:change_act", args=[change.pk]), {"action": "confirm_uh"})
    olga = login(cast.olga)
    page = olga.get(detail).content.decode().replace("\u00a0", " ")
    assert "40 000 kr" in page and "30 000 kr" in page  # before and after
    olga.post(reverse("needs:change_act", args=[change.pk]), {"action": "approve"})
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPROVED
    # The annual report compares spending with the allocation as changed.
    client = login(cast.alice)
    client.post(reverse("reporting:annual_start", args=[allocated.pk]))
    page = client.get(reverse("reporting:annual_detail", args=[allocated.pk])).content.decode()
    assert 'data-testid="changed-allocation"' in page
    assert login(cast.bob).get(detail).status_code == 404
