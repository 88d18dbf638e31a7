"""A small client for the sandbox cluster's API server.

The kubeconfig (and optional context) come from settings, so only the server ever holds the
credentials. The ``kubernetes`` package reads the kubeconfig (certificates, tokens, exec plugins
as kind, k3d and minikube write them); requests are plain JSON over its connection pool, so the
API server's answer reaches the learner as it was sent: status code, body and warnings.

Every request has short connect and read timeouts and no retries: an unreachable or slow cluster
turns into ``SandboxUnavailable`` with a message for people within a few seconds.
"""

import json
import os
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import urllib3
from django.conf import settings
from kubernetes import client as k8s_client
from kubernetes import config as k8s_config

CONNECT_TIMEOUT_SECONDS = 2
CLIENT_MAX_AGE_SECONDS = 300  # short-lived credentials (exec plugins) are read again


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
    """Reads RFC 7234 ``Warning`` headers (``299 - "text"``) as the API server sends them."""
    warnings = []
    for value in values:
        match = _WARNING.match(value)
        text = match.group(1) if match else value
        warnings.append(re.sub(r"\\(.)", r"\1", text))
    return warnings


def path(*segments: str) -> str:
    """Builds an API path, quoting each name so no segment can change the path."""
    return "/" + "/".join(quote(segment, safe="") for segment in segments)


class Cluster:
    """The API server behind one kubeconfig context."""

    def __init__(self, api_client: k8s_client.ApiClient, timeout: float):
        self.api_client = api_client
        self.host = api_client.configuration.host.rstrip("/")
        self.timeout = (min(CONNECT_TIMEOUT_SECONDS, timeout), timeout)

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
        try:
            response = self.api_client.call_api(
                method, url, header_params=headers, body=body, _request_timeout=self.timeout
            )
            raw = response.read()
        except (urllib3.exceptions.HTTPError, k8s_client.ApiException, OSError) as exc:
            raise SandboxUnavailable(describe_failure(exc, self.host)) from None
        text = raw.decode("utf-8", errors="replace") if raw else ""
        decoded: dict[str, Any] = {}
        if text and "json" in (response.headers.get("Content-Type") or ""):
            try:
                loaded = json.loads(text)
                decoded = loaded if isinstance(loaded, dict) else {}
            except ValueError:
                decoded = {}
        warnings = parse_warnings(response.headers.getlist("Warning"))
        return ApiAnswer(status=response.status, body=decoded, warnings=warnings, text=text)


def describe_failure(exc: Exception, host: str) -> str:
    text = str(exc)
    if isinstance(exc, urllib3.exceptions.ReadTimeoutError) or "Read timed out" in text:
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
    key = (kubeconfig, context, mtime, settings.PODSTUDIO_SANDBOX_TIMEOUT)
    with _lock:
        cached = _cached.get(key)
        if cached and time.monotonic() - cached[0] < CLIENT_MAX_AGE_SECONDS:
            return cached[1]
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
        cluster = Cluster(k8s_client.ApiClient(configuration), settings.PODSTUDIO_SANDBOX_TIMEOUT)
        _cached.clear()
        _cached[key] = (time.monotonic(), cluster)
        return cluster
