"""The gunicorn worker (``podstudio.serving``) leaves part of a burst of new connections to the
other workers, so kept-alive connections do not all end up on one core."""

import logging
import os
import selectors
import socket
import time

import pytest
from gunicorn.config import Config

from podstudio.serving import ACCEPT_PAUSE_SECONDS, SharingThreadWorker


@pytest.fixture
def listener():
    sock = socket.create_server(("127.0.0.1", 0), backlog=16)
    yield sock
    sock.close()


@pytest.fixture
def clients(listener):
    """Three connections waiting in the listener's queue, as a burst leaves them."""
    made = [socket.create_connection(listener.getsockname()) for _ in range(3)]
    yield made
    for client in made:
        client.close()


def worker_with(listener, threads: int) -> tuple[SharingThreadWorker, list]:
    """A worker as gunicorn's loop drives it, minus the threads: accepted connections are kept
    in a list instead of being served."""
    cfg = Config()
    cfg.set("threads", threads)
    worker = SharingThreadWorker(0, os.getppid(), [listener], None, 30, cfg, logging.getLogger())
    worker.poller = selectors.DefaultSelector()
    worker.method_queue.init()
    accepted = []
    worker.enqueue_req = accepted.append
    worker.set_accept_enabled(True)
    return worker, accepted


def turn(worker: SharingThreadWorker, timeout: float = 0.2) -> None:
    """One turn of gunicorn's loop: accepting is asked for again, then events are handled."""
    worker.set_accept_enabled(worker.nr_conns < worker.worker_connections)
    worker.wait_for_and_dispatch_events(timeout)


def test_a_worker_with_a_connection_per_thread_waits_before_it_accepts_another(listener, clients):
    worker, accepted = worker_with(listener, threads=2)
    turn(worker)
    turn(worker)
    assert len(accepted) == 2

    # The third connection is waiting, but this worker stands back for another to take it.
    turn(worker, timeout=0)
    assert len(accepted) == 2

    time.sleep(ACCEPT_PAUSE_SECONDS * 2)
    turn(worker)
    assert len(accepted) == 3
    for conn in accepted:
        conn.close()


def test_a_worker_with_threads_to_spare_accepts_without_waiting(listener, clients):
    worker, accepted = worker_with(listener, threads=8)
    for _ in range(3):
        turn(worker, timeout=0.2)
    assert len(accepted) == 3
    for conn in accepted:
        conn.close()


def test_the_wait_for_events_ends_when_the_pause_does(listener, clients):
    """gunicorn's loop waits up to a second for events; a paused worker must not sleep through
    a connection that is waiting for it once its pause is over."""
    worker, accepted = worker_with(listener, threads=1)
    turn(worker)
    assert len(accepted) == 1
    started = time.monotonic()
    turn(worker, timeout=1.0)  # nothing to do until the pause ends
    turn(worker, timeout=1.0)
    assert len(accepted) == 2
    assert time.monotonic() - started < 0.5
    for conn in accepted:
        conn.close()
