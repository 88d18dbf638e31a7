"""The session store: Django's database sessions, read with one prepared query.

Every keystroke in the builder reads the session to learn who the learner is. Django builds that
query through the ORM each time, which costs more than running it; this store sends the same
SELECT as plain SQL. Everything else (writes, expiry, ``clearsessions``) is Django's own.
"""

from functools import cache

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone


@cache
def _select_sql() -> str:
    quote = connection.ops.quote_name
    meta = Session._meta
    data = quote(meta.get_field("session_data").column)
    key = quote(meta.get_field("session_key").column)
    expires = quote(meta.get_field("expire_date").column)
    table = quote(meta.db_table)
    return f"SELECT {data} FROM {table} WHERE {key} = %s AND {expires} > %s"  # noqa: S608 (names)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Session | None:
        expires_after = Session._meta.get_field("expire_date").get_db_prep_value(
            timezone.now(), connection
        )
        with connection.cursor() as cursor:
            cursor.execute(_select_sql(), [self.session_key, expires_after])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # a made-up or expired key: a new one is made on save
            return None
        return Session(session_key=self.session_key, session_data=row[0])
