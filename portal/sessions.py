"""Django's database sessions, read with one plain query.

Every request of a logged-in user reads its session. The ORM compiles that lookup anew each
time (about 0.5 ms of Python); the same SELECT written out costs a tenth of it. Writing,
expiry and clearing are Django's own.
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from .sql import column, fetch_one, table


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        using = router.db_for_read(model)
        connection = connections[using]
        if connection.vendor != "postgresql":
            return super()._get_session_from_db()
        sql = (
            f"SELECT {column(model, 'session_data', using)} "  # noqa: S608 - names from metadata
            f"FROM {table(model, using)} WHERE {column(model, 'session_key', using)} = %s "
            f"AND {column(model, 'expire_date', using)} > %s"
        )
        row = fetch_one(sql, [self.session_key, timezone.now()], using)
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
