"""Playwright on Debian's Chromium. Browser downloads are impossible here and never needed."""

import os
import shutil
import threading
import time

import pytest
from django.core.signals import request_finished, request_started

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Django's live_server runs in a thread; Playwright's sync API runs an event loop in this one.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


class InFlight:
    """Which requests the live server is answering. With SQLite, its threads share the test's
    database connection: a request still answered when the test's tables are emptied (an
    autosave sent by a page just closed) broke the flush with "FOREIGN KEY constraint failed".

    Kept per server thread (both signals are sent in the thread that answers), not as one
    count: a request whose "finished" never comes (the browser hung up while Django's handler
    read the rest of its body) left a count above zero, and every later test waited out the
    deadline. Such a request is forgotten once its connection's thread has ended."""

    def __init__(self):
        self.answering: set[int] = set()
        self.lock = threading.Lock()

    def started(self, **kwargs):
        with self.lock:
            self.answering.add(threading.get_ident())

    def finished(self, **kwargs):
        with self.lock:
            self.answering.discard(threading.get_ident())

    def busy(self) -> bool:
        alive = {thread.ident for thread in threading.enumerate()}
        with self.lock:
            self.answering &= alive
            return bool(self.answering)

    def wait_until_none(self, *, seconds: float = 10.0) -> None:
        """Returns once no request has been answered for 0.15 s (or after ``seconds``)."""
        deadline = time.monotonic() + seconds
        quiet = 0
        while quiet < 3 and time.monotonic() < deadline:
            quiet = 0 if self.busy() else quiet + 1
            time.sleep(0.05)


IN_FLIGHT = InFlight()
request_started.connect(IN_FLIGHT.started, dispatch_uid="browser-tests-in-flight")
request_finished.connect(IN_FLIGHT.finished, dispatch_uid="browser-tests-in-flight")


@pytest.fixture(autouse=True)
def answered_before_the_database_is_emptied():
    """Set up before (so torn down after) ``page``, whose teardown closes the browser's tabs;
    torn down before pytest-django's database fixtures flush the tables."""
    yield
    IN_FLIGHT.wait_until_none()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `apt-get install chromium` (.ci/run does this)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    # What the Content Security Policy blocks is something the page meant to do: none may be.
    violations: list[str] = []
    context.expose_binding("reportCspViolation", lambda _, text: violations.append(text))
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => window.reportCspViolation("
        "[e.violatedDirective, e.sourceFile, e.lineNumber, e.columnNumber,"
        " e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 160) : ''].join(' ')))"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert not violations, violations
