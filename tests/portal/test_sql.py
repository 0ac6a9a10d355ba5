"""portal.sql: the hand-written queries are prepared on PostgreSQL after a few runs."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.sql import fetch_one

pytestmark = pytest.mark.django_db


def _prepared(statement):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement = %s",
            [statement.replace("%s", "$1")],
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_a_hand_written_query_is_prepared_after_a_few_runs():
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    assert threshold is not None and threshold <= 5  # Django's default is None: never
    # A statement of this run alone: the test connection lives across tests.
    statement = f"SELECT %s::int + 1 /* {uuid.uuid4()} */"
    for _ in range(threshold):
        assert _prepared(statement) == 0
        assert fetch_one(statement, [41]) == (42,)
    with CaptureQueriesContext(connection) as logged:
        assert fetch_one(statement, [41]) == (42,)
    assert _prepared(statement) == 1
    # The query log still names it (psycopg forgets the text of a prepared statement).
    assert logged.captured_queries[0]["sql"] == statement.replace("%s", "$1")
