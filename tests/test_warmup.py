"""A server's master process renders what every worker would render on its first requests, so a
worker forked (or recycled) from it answers at once instead of after 0.4 s of rendering."""

import importlib.util
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from lessons import catalog, views
from podstudio import warmup

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _no_connection_checks():
    """As Django's test client does: another test's connection is not checked at each request
    (the check itself needs the database, which these tests must not touch)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_public_page_is_warmed_without_touching_the_database():
    # No database fixture: a page that read the database here would fail and be reported.
    views._lesson_frame.cache_clear()
    assert warmup.warm_process(get_wsgi_application()) == []
    warmed = views._lesson_frame.cache_info().currsize
    assert warmed == len(catalog.course().lessons)


def test_a_page_that_fails_is_reported_not_raised(monkeypatch):
    monkeypatch.setattr(warmup, "_public_paths", lambda: ["/lessons/", "/no-such-page/"])
    assert warmup.warm_process(get_wsgi_application()) == ["/no-such-page/"]


def test_gunicorn_warms_the_master_before_it_forks(monkeypatch):
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    assert conf.preload_app is True  # the hook runs in the master only when the app is loaded there
    calls = []
    monkeypatch.setattr(warmup, "warm_process", lambda app: calls.append(app) or ["/x"])

    class Log:
        messages: list[str] = []

        def warning(self, text, *args):
            self.messages.append(text % args)

    server = type("Server", (), {"log": Log()})()
    conf.when_ready(server)
    assert len(calls) == 1
    assert server.log.messages == ["warm-up: /x did not answer 200"]


@pytest.mark.parametrize(
    "hosts, expected",
    [
        (["*"], "localhost"),
        ([".example.org", "pods.example.org"], "pods.example.org"),
        ([], "localhost"),
    ],
)
def test_the_warm_up_asks_as_a_host_the_site_accepts(settings, hosts, expected):
    settings.ALLOWED_HOSTS = hosts
    assert warmup._host() == expected
