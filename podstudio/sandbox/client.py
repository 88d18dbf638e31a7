"""A small client for the sandbox cluster's API server.

The kubeconfig (and optional context) come from settings, so only the server ever holds the
credentials. The ``kubernetes`` package reads the kubeconfig (certificates, tokens, exec plugins
as kind, k3d and minikube write them); requests are plain JSON over its connection pool, so the
API server's answer reaches the learner as it was sent: status code, body and warnings.

Every request has short connect and read timeouts and no retries: an unreachable or slow cluster
turns into ``SandboxUnavailable`` with a message for people within a few seconds. A page's work
in the cluster (several requests when a namespace is set up) runs inside ``time_budget``: all its
requests share one deadline, so a slow or hung cluster holds a server thread for about
PODSTUDIO_SANDBOX_TIMEOUT seconds, never a multiple of it. And once a request has timed out, the
cluster is left alone for PODSTUDIO_SANDBOX_COOLDOWN_SECONDS: meanwhile requests fail at once, then
one request tries again. And at most PODSTUDIO_SANDBOX_CONCURRENCY requests per server process
wait on the cluster at once (by default half of gunicorn's threads); one more fails at once. So
a cluster that hangs or crawls, with every learner's panel polling it, can never take all of a
process's threads: the rest of the site keeps answering.
"""

import json
import os
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import urllib3
from django.conf import settings
from kubernetes import client as k8s_client
from kubernetes import config as k8s_config

CONNECT_TIMEOUT_SECONDS = 2  # TCP connect and TLS handshake
CLIENT_MAX_AGE_SECONDS = 300  # short-lived credentials (exec plugins) are read again
MIN_REQUEST_SECONDS = 0.05  # less time than this left in a budget: do not start a request


class SandboxUnavailable(Exception):
    """The cluster cannot be used right now. The message is one sentence for the learner."""


class SandboxNotConfigured(SandboxUnavailable):
    """No kubeconfig is set: the sandbox is off."""


@dataclass
class ApiAnswer:
    """One response of the API server: status code, decoded JSON body and its warnings."""

    status: int
    body: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    text: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


_WARNING = re.compile(r'^\s*\d{3}\s+\S+\s+"((?:[^"\\]|\\.)*)"')


def parse_warnings(values: list[str]) -> list[str]:
    """Reads RFC 7234 ``Warning`` headers (``299 - "text"``) as the API server sends them.

    The server writes the text in UTF-8 and Python's HTTP client reads header bytes as Latin-1,
    so a value such as ``é`` is read back into UTF-8 before it is shown.
    """
    warnings = []
    for value in values:
        with suppress(UnicodeError):  # not UTF-8 bytes after all: kept as read
            value = value.encode("latin-1").decode("utf-8")
        match = _WARNING.match(value)
        text = match.group(1) if match else value
        warnings.append(re.sub(r"\\(.)", r"\1", text))
    return warnings


def path(*segments: str) -> str:
    """Builds an API path, quoting each name so no segment can change the path."""
    return "/" + "/".join(quote(segment, safe="") for segment in segments)


_budget = threading.local()


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Every cluster request in this block (on this thread) ends within ``seconds`` in all.

    Nested budgets keep the earlier deadline. A request that would start with no time left
    raises ``SandboxUnavailable`` at once.
    """
    previous = getattr(_budget, "deadline", None)
    deadline = time.monotonic() + seconds
    _budget.deadline = deadline if previous is None else min(previous, deadline)
    try:
        yield
    finally:
        _budget.deadline = previous


def seconds_left() -> float | None:
    """Time left in the current budget, or ``None`` outside any budget."""
    deadline = getattr(_budget, "deadline", None)
    return None if deadline is None else deadline - time.monotonic()


class Cluster:
    """The API server behind one kubeconfig context."""

    def __init__(
        self,
        api_client: k8s_client.ApiClient,
        timeout: float,
        cooldown: float = 0,
        concurrency: int = 0,
    ):
        self.api_client = api_client
        self.host = api_client.configuration.host.rstrip("/")
        self.timeout = (min(CONNECT_TIMEOUT_SECONDS, timeout), timeout)
        self.cooldown = cooldown
        self._slots = threading.BoundedSemaphore(concurrency) if concurrency else None
        self._username: str | None = None
        self._breaker = threading.Lock()
        self._resting_until = 0.0  # monotonic time; 0 while the cluster answers
        self._trying = False  # one request is trying a resting cluster again

    def _admit(self) -> bool:
        """Whether this request may go; ``True`` when it is the one trying a resting cluster."""
        with self._breaker:
            if not self._resting_until:
                return False
            now = time.monotonic()
            if now < self._resting_until or self._trying:
                wait = max(1, round(self._resting_until - now))
                raise SandboxUnavailable(
                    f"The sandbox cluster at {self.host} did not answer a moment ago; Pod Studio "
                    f"tries it again in {wait} s."
                )
            self._trying = True
            return True

    def _settle(self, *, trying: bool, timed_out: bool) -> None:
        with self._breaker:
            if trying:
                self._trying = False
            if timed_out and self.cooldown:
                self._resting_until = time.monotonic() + self.cooldown
            elif not timed_out:
                self._resting_until = 0.0

    def _timeouts(self) -> tuple[float, float]:
        connect, read = self.timeout
        left = seconds_left()
        if left is None:
            return connect, read
        if left < MIN_REQUEST_SECONDS:
            raise SandboxUnavailable(
                f"The sandbox cluster at {self.host} is too slow to answer; try again in a moment."
            )
        return min(connect, left), min(read, left)

    def username(self) -> str:
        """Who this cluster's credentials are, as the API server sees it (SelfSubjectReview)."""
        if self._username is None:
            answer = self.request(
                "POST",
                "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                body={"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"},
            )
            name = answer.body.get("status", {}).get("userInfo", {}).get("username")
            if not answer.ok or not isinstance(name, str):
                raise SandboxUnavailable(
                    f"The sandbox cluster at {self.host} did not say who Pod Studio is "
                    f"(SelfSubjectReview answered HTTP {answer.status})."
                )
            self._username = name
        return self._username

    def request(
        self,
        method: str,
        api_path: str,
        *,
        query: dict[str, str] | None = None,
        body: Any = None,
        content_type: str = "application/json",
        accept: str = "application/json",
    ) -> ApiAnswer:
        url = self.host + api_path + (f"?{urlencode(query)}" if query else "")
        headers = {"Accept": accept, "User-Agent": "podstudio"}
        if body is not None:
            # The connection pool serialises dict bodies as JSON for every JSON or YAML media
            # type (JSON is valid YAML, so apply patches go the same way).
            headers["Content-Type"] = content_type
        self.api_client.update_params_for_auth(headers, None, ["BearerToken"], None, None, None)
        timeouts = self._timeouts()
        if self._slots is not None and not self._slots.acquire(blocking=False):
            raise SandboxUnavailable(
                f"The sandbox cluster at {self.host} is slow to answer and Pod Studio is waiting "
                "on it for other learners already; try again in a moment."
            )
        try:
            trying = self._admit()
        except SandboxUnavailable:
            if self._slots is not None:
                self._slots.release()
            raise
        timed_out = False
        try:
            response = self.api_client.call_api(
                method, url, header_params=headers, body=body, _request_timeout=timeouts
            )
            raw = response.read()
        except (urllib3.exceptions.HTTPError, k8s_client.ApiException, OSError) as exc:
            # A request that waited at least half its full timeout says the cluster hangs; one
            # cut short by the page's time budget says little.
            waited_long = timeouts[1] >= self.timeout[1] / 2 and timeouts[0] >= self.timeout[0] / 2
            timed_out = is_timeout(exc) and waited_long
            raise SandboxUnavailable(describe_failure(exc, self.host)) from None
        finally:
            self._settle(trying=trying, timed_out=timed_out)
            if self._slots is not None:
                self._slots.release()
        text = raw.decode("utf-8", errors="replace") if raw else ""
        decoded: dict[str, Any] = {}
        if text and "json" in (response.headers.get("Content-Type") or ""):
            try:
                loaded = json.loads(text)
                decoded = loaded if isinstance(loaded, dict) else {}
            except (ValueError, RecursionError):
                decoded = {}
        warnings = parse_warnings(response.headers.getlist("Warning"))
        return ApiAnswer(status=response.status, body=decoded, warnings=warnings, text=text)


def is_timeout(exc: Exception) -> bool:
    timeout_types = (urllib3.exceptions.TimeoutError, TimeoutError)
    return isinstance(exc, timeout_types) or "timed out" in str(exc)


def describe_failure(exc: Exception, host: str) -> str:
    text = str(exc)
    if is_timeout(exc):
        return f"The sandbox cluster at {host} is too slow to answer; try again in a moment."
    if "CERTIFICATE_VERIFY_FAILED" in text or "SSLError" in text:
        return f"The sandbox cluster at {host} has a certificate this server does not trust."
    return f"The sandbox cluster at {host} cannot be reached; is it running?"


_lock = threading.Lock()
_cached: dict[tuple, tuple[float, Cluster]] = {}


def is_configured() -> bool:
    return bool(settings.PODSTUDIO_SANDBOX_KUBECONFIG)


def get_cluster() -> Cluster:
    """The cluster the settings name, built once and reused while its kubeconfig is unchanged."""
    kubeconfig = settings.PODSTUDIO_SANDBOX_KUBECONFIG
    context = settings.PODSTUDIO_SANDBOX_CONTEXT or None
    if not kubeconfig:
        raise SandboxNotConfigured(
            "The sandbox is off: set PODSTUDIO_SANDBOX_KUBECONFIG to a kubeconfig file."
        )
    try:
        mtime = os.stat(kubeconfig).st_mtime
    except OSError:
        raise SandboxUnavailable(
            f"The sandbox kubeconfig {kubeconfig} cannot be read; is the cluster started?"
        ) from None
    key = (
        kubeconfig,
        context,
        mtime,
        settings.PODSTUDIO_SANDBOX_TIMEOUT,
        settings.PODSTUDIO_SANDBOX_COOLDOWN_SECONDS,
        settings.PODSTUDIO_SANDBOX_CONCURRENCY,
    )
    with _lock:
        cached = _cached.get(key)
        if cached and time.monotonic() - cached[0] < CLIENT_MAX_AGE_SECONDS:
            return cached[1]
        cluster = load_cluster(
            kubeconfig,
            context,
            settings.PODSTUDIO_SANDBOX_TIMEOUT,
            cooldown=settings.PODSTUDIO_SANDBOX_COOLDOWN_SECONDS,
            concurrency=settings.PODSTUDIO_SANDBOX_CONCURRENCY,
        )
        _cached.clear()
        _cached[key] = (time.monotonic(), cluster)
        return cluster


def load_cluster(
    kubeconfig: str,
    context: str | None,
    timeout: float,
    *,
    cooldown: float = 0,
    concurrency: int = 0,
) -> Cluster:
    """A new client for one kubeconfig context (tests use it for the admin's kubeconfig too)."""
    configuration = k8s_client.Configuration()
    try:
        k8s_config.load_kube_config(
            config_file=kubeconfig,
            context=context,
            client_configuration=configuration,
            persist_config=False,
        )
    except Exception as exc:  # the loader raises many types for a bad file
        raise SandboxUnavailable(
            f"The sandbox kubeconfig {kubeconfig} cannot be used: {exc}"
        ) from None
    configuration.retries = 0  # fail fast; the learner can press the button again
    return Cluster(k8s_client.ApiClient(configuration), timeout, cooldown, concurrency)
