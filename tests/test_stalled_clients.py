"""A client that stops sending in the middle of a request is cut off: a few such connections
must not hold every thread of the server (``podstudio.serving``)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthz(port: int, timeout: float) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=timeout) as answer:
        return answer.status


@pytest.fixture
def server(tmp_path):
    """gunicorn with the repository's settings: one worker of two threads, and a stalled read
    given up after one second."""
    port = _free_port()
    env = {
        **os.environ,
        "PODSTUDIO_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "PODSTUDIO_THREADS": "2",
        "PODSTUDIO_STALLED_READ_SECONDS": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SECRET_KEY": "s" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "podstudio.settings",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "podstudio.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            _healthz(port, timeout=1)
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("gunicorn did not start")
            time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=20)


def test_half_sent_requests_are_cut_off_and_the_server_answers_again(server):
    stalled = []
    for _ in range(4):  # more than the worker's two threads
        sock = socket.create_connection(("127.0.0.1", server))
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: sent")
        stalled.append(sock)
    try:
        time.sleep(0.3)
        assert _healthz(server, timeout=10) == 200
        for sock in stalled:  # each was closed by the server, not left waiting
            sock.settimeout(10)
            assert sock.recv(100) == b""
    finally:
        for sock in stalled:
            sock.close()
