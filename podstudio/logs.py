"""Logging: one line for a client's bad request, a traceback only for the server's own errors.

Django logs each refused request (a bad ``Host``, too many fields, a broken multipart body) with
its traceback: some 40 lines that say nothing about the server, which anyone can make it write
as fast as they can send requests.
"""

import logging


class WithoutClientTraceback(logging.Filter):
    """Keeps a record, without the traceback when it is about a client's request: the
    ``django.security`` loggers, and responses below 500."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("django.security") or getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
