"""The real API server as the judge of the engine: the same manifest text goes to both.

A ``Judge`` owns three namespaces, ``agreement-<level>-<random>``, that enforce the Pod Security
levels privileged, baseline and restricted (``latest``), and the cluster objects the generated
Pods may name (a service account, a PriorityClass, two RuntimeClasses). ``server_verdict``
asks the API server with server-side dry runs (nothing is stored): the privileged namespace says
whether the Pod is accepted, its QoS class (``status.qosClass`` of the answer) and the error
fields (``details.causes[].field``); the restricted namespace names every failed control; the
baseline namespace tells baseline from privileged. ``engine_verdict`` reads the same text with
``load_manifest`` and answers the same questions with the engine.
"""

import re
import uuid

from podstudio.sandbox.client import Cluster, path
from tests.agreement import Verdict, engine_verdict

__all__ = ["Judge", "engine_verdict", "failed_controls"]

LEVELS = ("privileged", "baseline", "restricted")

# Pod Security Admission's ForbiddenReason of each check (policy/check_*.go) -> the engine's
# control name (podstudio.engine.admission.pss).
PSA_REASONS = {
    "hostProcess": "HostProcess",
    "host namespaces": "Host Namespaces",
    "privileged": "Privileged Containers",
    "non-default capabilities": "Capabilities",
    "unrestricted capabilities": "Capabilities",
    "hostPath volumes": "HostPath Volumes",
    "hostPort": "Host Ports",
    "probe or lifecycle host": "Host Probes / Lifecycle Hooks",
    "forbidden AppArmor profile": "AppArmor",
    "forbidden AppArmor profiles": "AppArmor",
    "seLinuxOptions": "SELinux",
    "procMount": "/proc Mount Type",
    "seccompProfile": "Seccomp",
    "forbidden sysctls": "Sysctls",
    "restricted volume types": "Volume Types",
    "allowPrivilegeEscalation != false": "Privilege Escalation",
    "runAsNonRoot != true": "Running as Non-root",
    "runAsUser=0": "Running as Non-root user",
}
_PSA_PREFIX = re.compile(r'violates PodSecurity "[^"]+": ')

# Cluster objects the generated Pods may name; the judge creates them so that the answer is
# about the Pod. The engine cannot see a cluster's objects and says so in its notes.
SERVICE_ACCOUNT = "agreement-builder"
PRIORITY_CLASS = "agreement-high"
PRIORITY_CLASS_VALUE = 1000
RUNTIME_CLASS = "agreement-runc"
RUNTIME_CLASS_WITH_OVERHEAD = "agreement-kata"
RUNTIME_CLASS_OVERHEAD = {"cpu": "250m", "memory": "120Mi"}
CLUSTER_OBJECTS = (
    (
        "/apis/scheduling.k8s.io/v1/priorityclasses",
        {
            "apiVersion": "scheduling.k8s.io/v1",
            "kind": "PriorityClass",
            "metadata": {"name": PRIORITY_CLASS},
            "value": PRIORITY_CLASS_VALUE,
        },
    ),
    (
        "/apis/node.k8s.io/v1/runtimeclasses",
        {
            "apiVersion": "node.k8s.io/v1",
            "kind": "RuntimeClass",
            "metadata": {"name": RUNTIME_CLASS},
            "handler": "runc",
        },
    ),
    (
        "/apis/node.k8s.io/v1/runtimeclasses",
        {
            "apiVersion": "node.k8s.io/v1",
            "kind": "RuntimeClass",
            "metadata": {"name": RUNTIME_CLASS_WITH_OVERHEAD},
            "handler": "kata",
            "overhead": {"podFixed": RUNTIME_CLASS_OVERHEAD},
        },
    ),
)


class Judge:
    """Dry runs against one API server, in namespaces made for it."""

    def __init__(self, cluster: Cluster):
        self.cluster = cluster
        suffix = uuid.uuid4().hex[:8]
        self.namespaces = {level: f"agreement-{level}-{suffix}" for level in LEVELS}

    def setup(self) -> "Judge":
        for level, namespace in self.namespaces.items():
            labels = {
                "pod-security.kubernetes.io/enforce": level,
                "pod-security.kubernetes.io/enforce-version": "latest",
            }
            body = {
                "apiVersion": "v1",
                "kind": "Namespace",
                "metadata": {"name": namespace, "labels": labels},
            }
            self._require(self.cluster.request("POST", "/api/v1/namespaces", body=body))
            for account in ("default", SERVICE_ACCOUNT):
                answer = self.cluster.request(
                    "POST",
                    path("api", "v1", "namespaces", namespace, "serviceaccounts"),
                    body={
                        "apiVersion": "v1",
                        "kind": "ServiceAccount",
                        "metadata": {"name": account},
                    },
                )
                if answer.status != 409:  # the controller manager may have made "default"
                    self._require(answer)
        for api_path, body in CLUSTER_OBJECTS:
            answer = self.cluster.request("POST", api_path, body=body)
            if answer.status != 409:
                self._require(answer)
        return self

    def cleanup(self) -> None:
        for namespace in self.namespaces.values():
            self.cluster.request("DELETE", path("api", "v1", "namespaces", namespace))

    @staticmethod
    def _require(answer) -> None:
        if not answer.ok:
            raise RuntimeError(f"the judge could not set up: {answer.status} {answer.text[:300]}")

    def dry_run(self, text: str, level: str):
        """A server-side dry-run create of the YAML text in the namespace enforcing ``level``."""
        namespace = self.namespaces[level]
        return self.cluster.request(
            "POST",
            path("api", "v1", "namespaces", namespace, "pods"),
            query={"dryRun": "All", "fieldValidation": "Strict"},
            body=text,
            content_type="application/yaml",
        )

    def server_verdict(self, text: str) -> Verdict:
        answer = self.dry_run(text, "privileged")
        body = answer.body
        message = str(body.get("message") or answer.text[:500])
        if not answer.ok:
            causes = (body.get("details") or {}).get("causes") if answer.status == 422 else None
            paths = frozenset(str(cause.get("field") or "") for cause in causes) if causes else None
            readable = answer.status != 400 or "cannot be handled as a Pod" in message
            return Verdict(readable, False, paths=paths, message=message)
        qos = str((body.get("status") or {}).get("qosClass") or "")
        warnings = frozenset(answer.warnings)  # the privileged namespace adds none of its own
        restricted = self.dry_run(text, "restricted")
        if restricted.ok:
            return Verdict(True, True, qos, "restricted", warnings=warnings)
        controls = failed_controls(str(restricted.body.get("message") or ""), "restricted")
        baseline = self.dry_run(text, "baseline")
        if baseline.ok:
            return Verdict(True, True, qos, "baseline", controls, warnings=warnings)
        controls |= failed_controls(str(baseline.body.get("message") or ""), "baseline")
        return Verdict(True, True, qos, "privileged", controls, warnings=warnings)


def failed_controls(message: str, level: str) -> frozenset[str]:
    """``level:control`` for each control a Pod Security refusal at ``level`` lists, in the
    engine's names."""
    match = _PSA_PREFIX.search(message)
    if not match:
        return frozenset({f"{level}:(not a Pod Security answer: {message[:120]})"})
    names = set()
    for reason, _detail in _split_reasons(message[match.end() :]):
        names.add(f"{level}:{PSA_REASONS.get(reason, f'(unknown reason {reason!r})')}")
    return frozenset(names)


def _split_reasons(text: str) -> list[tuple[str, str]]:
    items, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0:
            items.append(text[start:index])
            start = index + 1
    items.append(text[start:])
    result = []
    for item in items:
        item = item.strip()
        reason, _, detail = item.partition(" (")
        result.append((reason.strip(), detail.rstrip(")")))
    return result
