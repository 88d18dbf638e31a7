"""Production static files: hashed names, compressed copies, cached for a year."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHECK = """
import django, json
django.setup()
from django.test import Client
client = Client()
page = client.get("/").content.decode()
import re
css = re.search(r'href="(/static/css/site\\.[0-9a-f]+\\.css)"', page).group(1)
response = client.get(css, HTTP_ACCEPT_ENCODING="gzip")
print(json.dumps({"css": css, "status": response.status_code,
                  "cache": response.headers.get("Cache-Control", ""),
                  "encoding": response.headers.get("Content-Encoding", "")}))
"""


def test_collected_files_have_hashed_names_and_are_served_compressed_for_a_year(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "podstudio.settings",
        "DEBUG": "false",
        "STATIC_HASHED": "true",
        "STATIC_ROOT": str(tmp_path / "static"),
        "SECRET_KEY": "static-files-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    collected = {path.name for path in (tmp_path / "static" / "css").iterdir()}
    hashed = [name for name in collected if name.startswith("site.") and name.endswith(".css")]
    assert len(hashed) == 2  # site.css and site.<hash>.css
    assert any(name.endswith(".css.gz") for name in collected)
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    served = json.loads(result.stdout.strip().splitlines()[-1])
    assert served["status"] == 200
    assert "max-age=315360000" in served["cache"] and "immutable" in served["cache"]
    assert served["encoding"] == "gzip"
