"""The session store: Django's database sessions, read with one prepared query.

Every page and every keystroke in the builder reads the session to learn who the learner is.
Django builds that query through the ORM each time and wraps the row in a model instance,
which costs more than running it; this store sends the same SELECT as plain SQL and decodes
the data straight from the row. Everything else (writes, expiry, ``clearsessions``) is
Django's own.
"""

import json
import threading
from functools import cache

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone


@cache
def session_row_sql(before: str = "", after: str = "") -> str:
    """The SELECT of an unexpired session's data by key (parameters: the key and
    ``expiry_param()``), with other columns (SQL) ``before`` and ``after`` the data: for a
    query that reads the session together with other rows (``lessons.progress``)."""
    quote = connection.ops.quote_name
    meta = Session._meta
    data = quote(meta.get_field("session_data").column)
    key = quote(meta.get_field("session_key").column)
    expires = quote(meta.get_field("expire_date").column)
    table = quote(meta.db_table)
    selected = ", ".join(column for column in (before, data, after) if column)
    return f"SELECT {selected} FROM {table} WHERE {key} = %s AND {expires} > %s"  # noqa: S608


def expiry_param() -> object:
    """Now, as the database compares it with a session's expiry date."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


class ProcessMemo:
    """What this process remembers of sessions it has seen, shared by its threads; past
    ``limit`` entries the oldest is forgotten, so memory stays bounded however many visit.

    With ``longest``, a text key (and its value, which is about as large) is remembered only up
    to that many characters: a session can hold a large removed list entry for Undo, and 20,000
    of those would take gigabytes."""

    def __init__(self, limit: int, longest: int | None = None) -> None:
        self._limit = limit
        self._longest = longest
        self._items: dict = {}
        self._lock = threading.Lock()

    def get(self, key):
        return self._items.get(key)

    def put(self, key, value) -> None:
        if self._longest is not None and len(key) > self._longest:
            return
        if self._items.get(key) == value:
            return
        with self._lock:
            if len(self._items) >= self._limit:
                del self._items[next(iter(self._items))]
            self._items[key] = value


# Session data already checked and decoded, by its stored text (signature included): a learner's
# session rarely changes between their pages, and checking the signature and unpacking it again
# costs as much as reading the row. Each request still gets a dict of its own (parsed afresh).
_decoded = ProcessMemo(limit=20_000, longest=2048)  # some 80 MB at most


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key: str | None) -> bool:
        """Only a key this store could have made (Django makes 32 ASCII letters and digits; the
        column holds 40) is looked up: a cookie can carry anything, and a NUL in it (``"\\000"``
        in a quoted cookie) makes PostgreSQL refuse the query with an error."""
        return bool(key) and 8 <= len(key) <= 40 and key.isascii() and key.isalnum()

    def decode(self, session_data: str) -> dict:
        known = _decoded.get(session_data)
        if known is not None:
            return json.loads(known)
        data = super().decode(session_data)
        if data:  # never a refused one: Django answers {} for a bad signature
            _decoded.put(session_data, json.dumps(data))
        return data

    def load(self) -> dict:
        data = self._session_data_from_db()
        return self.decode(data) if data is not None else {}

    @property
    def loaded(self) -> bool:
        return hasattr(self, "_session_cache")

    def load_data(self, data: str | None) -> None:
        """Takes the stored data (None: no such unexpired session) from a query that read it
        together with other rows (``session_row_sql``), as ``load`` would have read it."""
        if data is None:
            self._session_key = None
        self._session_cache = self.decode(data) if data is not None else {}

    def _session_data_from_db(self) -> str | None:
        """The stored data of an unexpired session with this key, or None."""
        if not self.session_key:
            return None
        with connection.cursor() as cursor:
            cursor.execute(session_row_sql(), [self.session_key, expiry_param()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # a made-up or expired key: a new one is made on save
            return None
        return row[0]
