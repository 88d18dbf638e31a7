"""Playwright on Debian's Chromium. Browser downloads are impossible here and never needed."""

import os
import shutil

import pytest

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
