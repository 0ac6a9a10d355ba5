"""Names for the few hand-written queries on hot paths, taken from the models' metadata.

The ORM spends about half a millisecond of Python compiling even a simple query; on the
queries every request makes (session, user) and on the report page's scheme summary we
write the SQL once per process instead. Names come from here, values go as parameters.

On PostgreSQL these queries run through a server-binding cursor, so psycopg prepares each
after a few runs on a connection (PREPARE_THRESHOLD in the settings: Django's own default
turns preparing off) and PostgreSQL stops planning it anew (the report loader's
five-table join took 0.7 ms to plan, longer than to run). They are logged and counted like
any other query (assertNumQueries, CaptureQueriesContext).
"""

from contextlib import contextmanager
from functools import cache

from django.db import connections


def table(model, using="default"):
    return connections[using].ops.quote_name(model._meta.db_table)


def column(model, name, using="default"):
    return connections[using].ops.quote_name(model._meta.get_field(name).column)


def select_list(model, alias, using="default"):
    """The model's columns, in the order `from_row` reads them."""
    quote = connections[using].ops.quote_name
    return ", ".join(f"{alias}.{quote(f.column)}" for f in model._meta.concrete_fields)


def from_row(model, row, start=0, using="default"):
    """(instance, next start): a model instance from `select_list`'s columns in a row,
    with the fields' own conversions (JSON and the like) as the ORM applies them."""
    connection = connections[using]
    fields = model._meta.concrete_fields
    values = [
        field.from_db_value(value, None, connection) if hasattr(field, "from_db_value") else value
        for field, value in zip(fields, row[start : start + len(fields)], strict=True)
    ]
    return model.from_db(using, [f.attname for f in fields], values), start + len(fields)


@cache
def _preparing_cursor_class():
    import psycopg

    class PreparingCursor(psycopg.Cursor):
        """psycopg's cursor, but a prepared statement keeps its text for the query log.

        psycopg leaves `_query` empty when it runs a statement it has prepared, and Django's
        log (assertNumQueries, CaptureQueriesContext, `bench --show-queries`) reads the SQL
        from there: without this every prepared query would be logged as None.
        """

        def _send_query_prepared(self, name, pgq, **options):
            self._query = pgq
            super()._send_query_prepared(name, pgq, **options)

    return PreparingCursor


@contextmanager
def prepared_cursor(using="default"):
    """A cursor whose queries PostgreSQL keeps prepared on the connection; elsewhere Django's."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    raw = _preparing_cursor_class()(connection.connection)  # server-side binding: auto-prepared
    with connection._prepare_cursor(raw) as cursor:  # Django's wrapper: logged, counted
        yield cursor


def fetch_one(sql, params, using="default"):
    """The first row of a hand-written query, or None."""
    with prepared_cursor(using) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()
