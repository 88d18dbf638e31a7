"""A client's bad request is logged in one line; a server error keeps its traceback."""

import logging
import sys

import pytest

from podstudio.logs import WithoutClientTraceback


def _record(name: str, status: int | None) -> logging.LogRecord:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord(name, logging.ERROR, __file__, 1, "message", (), sys.exc_info())
    if status is not None:
        record.status_code = status
    return record


@pytest.mark.parametrize(
    ("name", "status", "traceback"),
    [
        ("django.security.DisallowedHost", None, False),
        ("django.request", 400, False),
        ("django.request", 500, True),
        ("podstudio.sandbox", None, True),
    ],
)
def test_only_the_servers_own_errors_keep_their_traceback(name, status, traceback):
    record = _record(name, status)
    assert WithoutClientTraceback().filter(record)
    shown = logging.Formatter().format(record)
    assert ("Traceback" in shown) is traceback
    assert "message" in shown


def test_a_request_with_a_bad_host_writes_one_line(client, caplog, settings):
    settings.ALLOWED_HOSTS = ["pods.example.org"]
    handler = logging.StreamHandler()
    handler.addFilter(WithoutClientTraceback())
    lines = []
    handler.emit = lambda record: lines.append(handler.format(record))
    logging.getLogger("django.security").addHandler(handler)
    try:
        response = client.get("/lessons/", HTTP_HOST="evil.example")
    finally:
        logging.getLogger("django.security").removeHandler(handler)
    assert response.status_code == 400
    assert lines and all("Traceback" not in line for line in lines)
