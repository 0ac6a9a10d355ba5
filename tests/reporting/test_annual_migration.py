"""The annual report's comments and UH confirmation move into the shared collaboration tables
(reporting 0003) and back when the migration is reversed."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.reporting import annual_helpers

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

need = annual_helpers.need
annual = annual_helpers.annual

BEFORE = [("reporting", "0002_annual_report"), ("needs", "0004_stored_totals")]
AFTER = [("reporting", "0004_remove_annual_collaboration")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest():
    """Every app back at its newest migration, as the tests after this one expect (AFTER is
    no longer the newest of reporting)."""
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())


def test_annual_comments_and_confirmation_move_to_the_shared_tables(cast, need, annual):
    old = migrate(BEFORE)
    old_annual = old.get_model("reporting", "AnnualReport").objects.get(pk=annual.pk)
    line = old_annual.lines.order_by("measure__position").first()
    old_annual.uh_confirmed_at = annual.created_at
    old_annual.uh_confirmed_by_id = cast.ulla.pk
    old_annual.uh_confirmed_amounts = {str(line.measure_id): 60_000}
    old_annual.save()
    old.get_model("reporting", "AnnualComment").objects.create(
        annual_report=old_annual, author_id=cast.ulla.pk, text="Tallene stemmer"
    )

    new = migrate(AFTER)
    comment = new.get_model("needs", "Comment").objects.get()
    assert (comment.report_id, comment.annual_report_id) == (need.pk, annual.pk)
    assert (comment.author_id, comment.text, comment.measure_id) == (
        cast.ulla.pk,
        "Tallene stemmer",
        None,
    )
    confirmation = new.get_model("needs", "UhConfirmation").objects.get()
    assert (confirmation.report_id, confirmation.annual_report_id) == (need.pk, annual.pk)
    assert confirmation.version_number == 1  # the draft's next version
    assert confirmation.amounts == {str(line.measure_id): [60_000]}
    assert confirmation.confirmed_by_id == cast.ulla.pk
    assert confirmation.cleared_at is None

    # And back again.
    old = migrate(BEFORE)
    assert old.get_model("reporting", "AnnualComment").objects.get().text == "Tallene stemmer"
    restored = old.get_model("reporting", "AnnualReport").objects.get(pk=annual.pk)
    assert restored.uh_confirmed_amounts == {str(line.measure_id): 60_000}
    assert restored.uh_confirmed_by_id == cast.ulla.pk
    migrate_to_latest()
