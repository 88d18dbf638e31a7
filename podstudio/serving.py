"""The gunicorn worker Pod Studio is served by (``gunicorn.conf.py``).

Every worker process waits on the same listening socket, and Linux gives a new connection to
whichever worker reaches ``accept`` first, which is most often the one that has just been
running. A burst of connections that are then kept alive (a load balancer's pool, a class
opening the builder at once, wrk) can so land in one worker, which serves all of them on one
core while the others idle: the machine then answers at about half its speed until the
connections close (gunicorn issues #2817 and #3433). On this VM, 32 wrk connections landed in
one of four workers in about one run of six.

This worker is gunicorn's threaded worker that stands back for a moment after an accept that
leaves it holding as many connections as it has threads, so another worker takes the next.
It only ever delays an accept, never refuses one: kept-alive connections that sit idle cannot
starve the queue, as capping ``worker_connections`` would.

It also ends a connection whose client stops sending in the middle of a request for
``STALLED_READ_SECONDS``: gunicorn's thread would otherwise wait for the rest without end, and
some 36 such connections (4 workers × 8 threads) held every thread, ``/healthz`` included. A
buffering proxy in front (README, "Production deployment") is still the real guard against
clients that send a byte now and then.
"""

import errno
import os
import socket
import time

from gunicorn.workers.gthread import ThreadWorker

# How long a worker holding a full thread pool's worth of connections waits before it accepts
# another. Much longer than another worker needs to wake and accept (tens of microseconds); short
# enough that a worker alone on its machine still accepts a thousand connections a second.
ACCEPT_PAUSE_SECONDS = 0.001
# How long a thread waits for the next bytes of a request it has begun to read.
STALLED_READ_SECONDS = float(os.environ.get("PODSTUDIO_STALLED_READ_SECONDS", "15"))


class _StalledReadsEnd(socket.socket):
    """A client's socket whose blocking reads give up after ``STALLED_READ_SECONDS``, as a
    connection the client reset (which gunicorn closes quietly)."""

    __slots__ = ()

    def setblocking(self, flag: bool) -> None:
        if flag:
            self.settimeout(STALLED_READ_SECONDS)
        else:
            super().setblocking(False)

    def recv(self, size: int, flags: int = 0) -> bytes:
        try:
            return super().recv(size, flags)
        except TimeoutError:
            raise ConnectionResetError(
                errno.ECONNRESET, f"the client sent nothing for {STALLED_READ_SECONDS:.0f} s"
            ) from None


class SharingThreadWorker(ThreadWorker):
    _accept_again_at = 0.0

    def enqueue_req(self, conn) -> None:
        if type(conn.sock) is socket.socket:  # (not a TLS socket: TLS ends at the proxy)
            conn.sock.__class__ = _StalledReadsEnd
        super().enqueue_req(conn)

    def accept(self, listener) -> None:
        super().accept(listener)
        if self.nr_conns >= self.cfg.threads:
            self._accept_again_at = time.monotonic() + ACCEPT_PAUSE_SECONDS
            self.set_accept_enabled(False)

    def set_accept_enabled(self, enabled: bool) -> None:
        """gunicorn's loop turns accepting back on at every turn; not before the pause ends."""
        if enabled and time.monotonic() < self._accept_again_at:
            return
        super().set_accept_enabled(enabled)

    def wait_for_and_dispatch_events(self, timeout: float) -> None:
        """Waits no longer than the pause, so accepting resumes when it ends."""
        pause_left = self._accept_again_at - time.monotonic()
        if pause_left > 0:
            timeout = min(timeout, pause_left)
        super().wait_for_and_dispatch_events(timeout)
