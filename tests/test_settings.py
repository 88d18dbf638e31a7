"""Settings that keep an unconfigured server safe and stable."""

import os
import stat
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from podstudio.settings import env_bool, env_int, stored_secret_key


def test_a_secret_key_is_made_once_and_kept(tmp_path):
    path = tmp_path / "var" / "secret_key"
    first = stored_secret_key(path)
    assert len(first) >= 50
    assert stored_secret_key(path) == first  # the next worker or restart reads the same key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind


def test_an_empty_key_file_is_refused(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("")
    with pytest.raises(ImproperlyConfigured, match="empty"):
        stored_secret_key(path)


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_bad_boolean_stops_start_up(monkeypatch, value):
    monkeypatch.setenv("DEBUG", value)
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be a boolean"):
        env_bool("DEBUG")


def test_a_bad_integer_stops_start_up(monkeypatch):
    monkeypatch.setenv("SECURE_HSTS_SECONDS", "a year")
    with pytest.raises(ImproperlyConfigured, match="must be an integer"):
        env_int("SECURE_HSTS_SECONDS", 0)


def test_migrate_makes_the_folder_of_the_embedded_database(tmp_path):
    """A fresh checkout has no var/: with a secret key set (so nothing else makes var/), the
    first ``migrate`` must still find somewhere to put the SQLite file."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    database = tmp_path / "var" / "nested" / "podstudio.sqlite3"
    env = {
        **os.environ,
        "SECRET_KEY": "a-test-secret-key-that-is-long-enough-for-django-checks-0123456789",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert database.is_file()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PODSTUDIO_SANDBOX_ACTIONS_PER_MINUTE", "0"),
        ("PODSTUDIO_SANDBOX_MAX_NAMESPACES", "-1"),
        ("PODSTUDIO_SANDBOX_TIMEOUT", "0"),
    ],
)
def test_a_sandbox_limit_out_of_range_stops_start_up(name, value):
    env = {**os.environ, name: value, "DJANGO_SETTINGS_MODULE": "podstudio.settings"}
    started = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode != 0
    assert f"{name} must be at least" in started.stderr
