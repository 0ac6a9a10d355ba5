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


def allocation_post(client, url, amounts=None, priorities=None):
    """The allocation page's form as a browser sends it: every input as the page at `url`
    shows it, with `amounts` {measure: (owner, UH)} and `priorities` {report: (priority,
    note)} typed over it (values as typed, e.g. "40 000")."""
    context = client.get(url).context
    data = {"save_allocations": "1"}
    for formset in (context["measure_forms"], context["report_forms"]):
        for form in (formset.management_form, *formset):
            for name in form.fields:
                value = form[name].value()
                data[form.add_prefix(name)] = "" if value is None else value
    forms = context["measure_forms"].by_row()
    for measure, (owner, uh) in (amounts or {}).items():
        form = forms[getattr(measure, "pk", measure)]
        data[form.add_prefix("owner")], data[form.add_prefix("uh")] = str(owner), str(uh)
    forms = context["report_forms"].by_row()
    for report, (priority, note) in (priorities or {}).items():
        form = forms[getattr(report, "pk", report)]
        data[form.add_prefix("priority")], data[form.add_prefix("note")] = str(priority), note
    return data
