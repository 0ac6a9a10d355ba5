"""The data migrations of issue 20: a partnership's language becomes its lead owner's language
form (partnerships 0005), and a frame's hand-typed "committed" becomes a carried-over
commitment (needs 0006), so that nothing typed is lost."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [
    ("partnerships", "0004_planned_activities_and_feed_tokens"),
    ("needs", "0005_collaboration_annual_report"),
]
AFTER = [
    ("partnerships", "0005_language_form_per_organisation"),
    ("needs", "0006_commitment_register"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_language_and_typed_commitments_are_carried_over(cast):
    try:
        old = migrate(BEFORE)
        old.get_model("partnerships", "Partnership").objects.filter(
            pk=cast.partnership_a.pk
        ).update(language="nn")
        scheme = old.get_model("partnerships", "Scheme").objects.get(code="dekom")
        old.get_model("needs", "Frame").objects.create(
            county_office_id=cast.county_a.pk,
            scheme=scheme,
            year=2024,
            amount=1_000_000,
            committed=300_000,
        )

        new = migrate(AFTER)
        partnership = new.get_model("partnerships", "Partnership").objects.get(
            pk=cast.partnership_a.pk
        )
        # The first owner by name (Alstahaug) leads, and writes nynorsk as the partnership did.
        assert partnership.lead_owner_id == cast.owner_a1.pk
        assert partnership.lead_owner.language_form == "nn"
        other = new.get_model("partnerships", "Partnership").objects.get(pk=cast.partnership_b.pk)
        assert (other.lead_owner_id, other.lead_owner.language_form) == (cast.owner_b.pk, "nb")
        commitment = new.get_model("needs", "Commitment").objects.get()
        assert (commitment.amount, commitment.year, commitment.measure_id) == (300_000, 2024, None)
        assert new.get_model("needs", "Frame").objects.get().committed == 300_000
    finally:
        executor = MigrationExecutor(connection)
        migrate(executor.loader.graph.leaf_nodes())
