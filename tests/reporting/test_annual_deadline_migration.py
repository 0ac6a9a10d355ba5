"""reporting 0010: each AnnualReportDeadline (county office, year) becomes Deadline rows of
kind annual_report, one per scheme of the county's year; one set per scheme on the
deadlines page is kept; and back when the migration is reversed."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from partnerships.models import Scheme
from tests.reporting import annual_helpers

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

need = annual_helpers.need

BEFORE = [("reporting", "0009_norwegian_names_and_constraint_messages")]
AFTER = [("reporting", "0010_annual_deadlines_in_deadline")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest():
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())


def test_annual_deadlines_move_to_deadline_per_scheme(cast, need):
    annual_helpers.allocated_report(cast.partnership_a, scheme_code="rekom")
    old = migrate(BEFORE)
    Old = old.get_model("reporting", "AnnualReportDeadline")
    Deadline = old.get_model("reporting", "Deadline")
    rekom = Scheme.objects.get(code="rekom")
    Old.objects.create(
        county_office_id=cast.county_a.pk, year=2024, due_date=date(2025, 2, 1), set_by=None
    )
    Old.objects.create(county_office_id=cast.county_b.pk, year=2023, due_date=date(2024, 2, 1))
    # Set already on the deadlines page for Rekom: kept as it is.
    Deadline.objects.create(
        county_office_id=cast.county_a.pk,
        scheme_id=rekom.pk,
        year=2024,
        kind="annual_report",
        due_date=date(2025, 3, 1),
    )

    new = migrate(AFTER)
    rows = set(
        new.get_model("reporting", "Deadline")
        .objects.filter(kind="annual_report")
        .values_list("county_office_id", "scheme__code", "year", "due_date")
    )
    a, b = cast.county_a.pk, cast.county_b.pk
    assert {r for r in rows if r[0] == a} == {
        (a, "dekom", 2024, date(2025, 2, 1)),
        (a, "rekom", 2024, date(2025, 3, 1)),
    }
    # No need reports in Vestland's 2023: the date is kept for every scheme.
    assert {r[1] for r in rows if r[0] == b} == set(Scheme.objects.values_list("code", flat=True))
    assert {r[3] for r in rows if r[0] == b} == {date(2024, 2, 1)}

    # And back again: one date per county and year, the earliest of its schemes'.
    old = migrate(BEFORE)
    assert set(
        old.get_model("reporting", "AnnualReportDeadline").objects.values_list(
            "county_office_id", "year", "due_date"
        )
    ) == {(a, 2024, date(2025, 2, 1)), (b, 2023, date(2024, 2, 1))}
    migrate_to_latest()
