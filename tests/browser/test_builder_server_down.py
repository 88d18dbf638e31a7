"""Never lose an edit: with the server down mid-edit, the builder says the preview is stale,
keeps retrying, and once the server is back every keystroke typed is in the saved design."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from podstudio.bench import free_port, wait_until_up

ROOT = Path(__file__).resolve().parents[2]


class Server:
    """Pod Studio under gunicorn on its own port and database, as in production."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": "browser-test-secret-key-not-for-production-0123456789",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_COOKIES": "false",
            "DATABASE_URL": f"sqlite:///{workdir / 'podstudio.sqlite3'}",
            "PODSTUDIO_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "1",
            "LOG_LEVEL": "ERROR",
            "STATIC_HASHED": "false",
        }
        self.process: subprocess.Popen | None = None
        command = [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"]
        subprocess.run(command, cwd=ROOT, env=self.env, check=True)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "podstudio.wsgi"],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )
        wait_until_up(self.url + "/healthz")

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)  # as a crash would
            self.process.wait(timeout=30)
            self.process = None


@pytest.fixture
def server(tmp_path):
    server = Server(tmp_path)
    server.start()
    yield server
    server.stop()


def test_every_keystroke_typed_while_the_server_was_down_is_saved(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(server.url + "/builder/")
    page.get_by_role("button", name="New blank Pod").click()
    page.wait_for_load_state("load")
    name = page.locator('[name="metadata.name"]')
    name.fill("before")
    expect(page.locator("#yaml-code")).to_contain_text("name: before")
    design_url = page.url

    server.stop()
    name.press_sequentially("-typed-while-down", delay=20)
    status = page.locator("#save-status")
    expect(status).to_contain_text("Not saved yet")
    expect(page.locator("#preview")).to_have_class("builder-preview stale")
    time.sleep(1)
    name.press_sequentially("-and-more", delay=20)
    time.sleep(1.5)  # the last keystroke's own request fails too: only a retry can save it

    server.start()
    expect(status).to_have_text("Saved.", timeout=30_000)
    expect(page.locator("#preview")).not_to_have_class("builder-preview stale")
    expect(page.locator("#yaml-code")).to_contain_text("name: before-typed-while-down-and-more")

    # What the server kept, read as someone else would: the download of the permalink.
    with urllib.request.urlopen(design_url + "download") as response:
        saved = response.read().decode()
    assert "name: before-typed-while-down-and-more" in saved
    context.close()
