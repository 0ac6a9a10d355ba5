import pytest

from measures.models import Measure
from needs.models import Allocation, CodeterminationParticipant, NeedReport
from needs.totals import refresh_totals
from partnerships.models import Scheme


def make_report(partnership, scheme_code="dekom", year=2024, measures=(), complete=True, **extra):
    fields = {}
    if complete:
        fields = {
            "owner_contact_name": "Tone Dalen",
            "owner_contact_email": "tone@example.no",
            "owner_org_number": "938712441",
            "owner_account_number": "45162794918",
            "uh_contact_name": "Kjersti Håland",
            "uh_contact_email": "kjersti@example.no",
            "uh_org_number": "918108467",
            "uh_account_number": "76940500660",
            "codetermination_discussed": False,
        }
    fields.update(extra)
    report = NeedReport.objects.create(
        partnership=partnership, scheme=Scheme.objects.get(code=scheme_code), year=year, **fields
    )
    for position, (owner, uh) in enumerate(measures, start=1):
        make_measure(report, owner, uh, position=position, complete=complete)
    return report


def make_allocation(measure, owner, uh):
    """An allocation written directly (as the county office's page would), totals kept."""
    allocation = Allocation.objects.create(measure=measure, owner_amount=owner, uh_amount=uh)
    refresh_totals(measure.report_id)
    return allocation


def make_measure(report, owner, uh, position=1, complete=True, **extra):
    fields = {}
    if complete:
        fields = {
            "name": f"Tiltak {position}",
            "purpose": Measure.Purpose.IMPLEMENTATION,
            "owner_use": "Frikjøp",
            "uh_use": "Veiledning",
            "target_group": "Alle ansatte",
            "coordinator_funds_needed": False,
            "autumn_this_year": True,
        }
    fields.update(extra)
    measure = Measure.objects.create(
        report=report, owner_amount=owner, uh_amount=uh, position=position, **fields
    )
    refresh_totals(report)
    return measure


def add_participant(report):
    CodeterminationParticipant.objects.create(report=report, role="HTV", name="Trond")


@pytest.fixture
def report_a(cast):
    return make_report(cast.partnership_a, measures=[(40_000, 60_000), (10_000, 0)])
