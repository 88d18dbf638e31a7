"""Best-practice findings: things the API server accepts but a careful reviewer would change.

Each finding has a stable id from ``FINDING_RULES``, the field path where the fix goes and a
concrete fix. The rules follow what Kubernetes does with the fields (a container's security
context overrides the Pod's, requests default to limits, init containers take no probes), so a
finding never asks for a change the API server would reject. Manifests of the wrong shape are
skipped, not reported: the schema check reports those.

Its length (over 800 lines) is the catalogue: ``FINDING_RULES`` and one short check per rule,
side by side so that an id, its text and its check are read together.
"""

import json
import math
from typing import NamedTuple

from podstudio.engine.memo import short_text_cache
from podstudio.engine.paths import as_dict, as_list, get, iter_containers, path_to_keys, pod_spec
from podstudio.engine.results import Finding


class Rule(NamedTuple):
    """What a finding id means, for the builder's help and the docs."""

    title: str
    severity: str  # the severity of every finding with this id
    explanation: str
    lesson: str  # slug hint of the lesson that teaches the fix


FINDING_RULES: dict[str, Rule] = {
    "run-as-non-root": Rule(
        "Run as a non-root user",
        "warning",
        "Without runAsNonRoot: true (or a non-zero runAsUser) the container runs as whatever "
        "user the image says, often root.",
        "security",
    ),
    "run-as-root-user": Rule(
        "Explicitly runs as root",
        "error",
        "runAsUser: 0 makes the container run as root, the user with most power if it escapes.",
        "security",
    ),
    "read-only-root-filesystem": Rule(
        "Read-only root filesystem",
        "warning",
        "A writable root filesystem lets an attacker change binaries and config inside the "
        "container; mount volumes for the paths that must be written.",
        "security",
    ),
    "drop-all-capabilities": Rule(
        "Drop all capabilities",
        "warning",
        "Containers get a default set of Linux capabilities (NET_RAW among them); drop ALL and "
        "add back only what the program needs.",
        "security",
    ),
    "dangerous-capability": Rule(
        "Dangerous capability added",
        "error",
        "ALL, SYS_ADMIN, NET_ADMIN, SYS_MODULE and SYS_PTRACE give a container close to root "
        "power over the node or its network.",
        "security",
    ),
    "seccomp-profile": Rule(
        "Seccomp profile set",
        "warning",
        "A seccomp profile (RuntimeDefault or Localhost) blocks system calls a normal program "
        "never needs; without one, or with Unconfined, all are allowed.",
        "security",
    ),
    "allow-privilege-escalation": Rule(
        "No privilege escalation",
        "warning",
        "Unless allowPrivilegeEscalation is false, a process can gain more privileges than its "
        "parent, for example through setuid binaries.",
        "security",
    ),
    "privileged-container": Rule(
        "Privileged container",
        "error",
        "A privileged container has every capability and the host's devices: it is root on the "
        "node.",
        "security",
    ),
    "host-network": Rule(
        "Host network namespace",
        "error",
        "hostNetwork: true puts the Pod on the node's network: it sees all node traffic and can "
        "bind the node's ports.",
        "networking",
    ),
    "host-pid": Rule(
        "Host process namespace",
        "error",
        "hostPID: true lets the containers see and signal every process on the node.",
        "security",
    ),
    "host-ipc": Rule(
        "Host IPC namespace",
        "error",
        "hostIPC: true shares the node's shared memory and semaphores with the containers.",
        "security",
    ),
    "host-path-volume": Rule(
        "hostPath volume",
        "warning",
        "A hostPath volume ties the Pod to one node's files and can expose them to the "
        "container; prefer emptyDir, configMap, secret or a PersistentVolumeClaim.",
        "security",
    ),
    "sensitive-host-path": Rule(
        "Sensitive host directory mounted",
        "error",
        "Mounting a system directory such as /, /etc, /proc or a container runtime socket "
        "gives the container control over the node.",
        "security",
    ),
    "host-port": Rule(
        "hostPort used",
        "warning",
        "A hostPort binds a port on the node: only one such Pod fits per node and it bypasses "
        "network policy; use a Service instead.",
        "networking",
    ),
    "node-name": Rule(
        "Let the scheduler pick the node",
        "warning",
        "spec.nodeName places the Pod on one named node and skips the scheduler: nodeSelector, "
        "affinity, taints and free resources go unchecked. No node of that name: the Pod never "
        "starts. A full node: its kubelet refuses the Pod (OutOfcpu, OutOfmemory). A Pod copied "
        "from `kubectl get -o yaml` carries the node it ran on.",
        "scheduling",
    ),
    "latest-tag": Rule(
        "Pinned image tag",
        "warning",
        "An image without a tag, or with :latest, can change under you between two pulls; pin "
        "a version tag or a digest.",
        "security",
    ),
    "missing-cpu-request": Rule(
        "CPU request set",
        "warning",
        "The scheduler places Pods by their requests; without a CPU request the container may "
        "land on a busy node and gets the smallest CPU share.",
        "resources",
    ),
    "missing-memory-request": Rule(
        "Memory request set",
        "warning",
        "Without a memory request the scheduler cannot reserve memory and the Pod is among the "
        "first evicted when the node runs short.",
        "resources",
    ),
    "missing-memory-limit": Rule(
        "Memory limit set",
        "warning",
        "Without a memory limit one leaking container can use the whole node's memory.",
        "resources",
    ),
    "memory-without-unit": Rule(
        "Memory written with its unit",
        "error",
        "A memory quantity without a unit counts bytes: `memory: 512` is 512 bytes, in which no "
        "container starts (512Mi was meant).",
        "resources",
    ),
    "cpu-without-m": Rule(
        "CPU written in millicores with its m",
        "warning",
        "A CPU quantity without the m counts whole CPUs: `cpu: 500` asks for 500 CPUs, which no "
        "node has, so the Pod stays Pending (500m, half a CPU, was meant).",
        "resources",
    ),
    "missing-liveness-probe": Rule(
        "Liveness probe present",
        "warning",
        "Without a liveness probe a hung but running container is never restarted.",
        "probes",
    ),
    "missing-readiness-probe": Rule(
        "Readiness probe present",
        "warning",
        "Without a readiness probe a container gets Service traffic as soon as it starts, "
        "before it can answer.",
        "probes",
    ),
    "sidecar-missing-probes": Rule(
        "Sidecar probes",
        "info",
        "A native sidecar (an init container with restartPolicy: Always) runs beside the app; "
        "probes let the kubelet restart it and hold the Pod's readiness until it is ready.",
        "probes",
    ),
    "probe-port-unknown": Rule(
        "A probe's named port exists",
        "error",
        "A probe may name its port (`port: http`), and the kubelet looks the name up in the "
        "container's own ports: a name none of them has makes every probe fail.",
        "probes",
    ),
    "hook-always-fails": Rule(
        "Lifecycle hooks can run",
        "error",
        "A postStart or preStop hook fails every time when its httpGet names a port none of the "
        "container's ports has, or when it uses tcpSocket, which the API server still accepts "
        "in a hook for old files but the kubelet does not run. After a failed postStart hook "
        "the kubelet kills the container; a failed preStop hook is skipped at each stop.",
        "lifecycle",
    ),
    "identical-probes": Rule(
        "Liveness differs from readiness",
        "warning",
        "With the same check and timings, a container that is only busy (not ready) also fails "
        "liveness and is restarted, which makes an overload worse.",
        "probes",
    ),
    "startup-probe-suggested": Rule(
        "Startup probe for slow starters",
        "info",
        "A long liveness initialDelaySeconds slows every restart and still kills an app that "
        "starts slower than guessed; a startup probe waits exactly as long as needed.",
        "probes",
    ),
    # Workloads only (see ``engine.workloads``): the controller's own settings.
    "single-replica": Rule(
        "More than one replica",
        "info",
        "With one replica every rollout, node drain or crash leaves the app with no Pod to "
        "answer until a new one is ready.",
        "scheduling",
    ),
    "no-anti-affinity": Rule(
        "Replicas spread over nodes",
        "info",
        "Without a pod anti-affinity or topology spread constraint the scheduler may put every "
        "replica on the same node, and one node failure takes them all.",
        "scheduling",
    ),
    "job-ttl-after-finished": Rule(
        "Finished Jobs cleaned up",
        "info",
        "A Job without ttlSecondsAfterFinished stays in the cluster, with its Pods, after it "
        "finishes; a CronJob's history limits already clean up the Jobs it makes.",
        "workloads",
    ),
    "cronjob-starting-deadline": Rule(
        "CronJob starting deadline",
        "info",
        "Without startingDeadlineSeconds a run that could not start on time (the controller was "
        "down, or Forbid kept it waiting) still starts however late it is; a deadline skips "
        "runs that are too late to be useful.",
        "workloads",
    ),
    "cronjob-rare-schedule": Rule(
        "CronJob schedule comes round",
        "warning",
        "A schedule the API server accepts may still name a date that does not exist (day 31 "
        "of April) or only comes in leap years (29 February): the controller then starts no "
        "Job, or one in four years, and nothing says so.",
        "workloads",
    ),
    "cronjob-clock-change": Rule(
        "CronJob runs where the clocks change",
        "warning",
        "With a timeZone whose clocks change, the controller's cron library (robfig/cron) skips "
        "a run whose time does not exist that day and runs twice at a time that comes twice; "
        "in zones whose clocks jump at midnight or by half an hour it also drops or adds runs, "
        "and on some days it finds the same run again and stops starting Jobs.",
        "workloads",
    ),
    "service-selects-nothing": Rule(
        "A Service selects Pods of its file",
        "warning",
        "A Service sends traffic to the Pods whose labels hold all of its selector. In a file "
        "with the workloads it is for, a selector that none of their Pod templates matches (a "
        "label renamed on one side only) leaves the Service without endpoints; the API server "
        "accepts it.",
        "networking",
    ),
    "service-target-port-unknown": Rule(
        "A Service's named targetPort exists",
        "warning",
        "A targetPort given by name is looked up in each selected Pod's container ports; a Pod "
        "without a port of that name is no endpoint for it, so the Service's connections fail.",
        "networking",
    ),
    "config-key-missing": Rule(
        "The keys it reads are in the file's ConfigMaps and Secrets",
        "error",
        "A container that reads a key of a ConfigMap or Secret (configMapKeyRef, secretKeyRef, "
        "a volume's items) that is not there does not start: the kubelet reports "
        "CreateContainerConfigError, or cannot mount the volume and leaves the Pod in "
        "ContainerCreating. The API server accepts it; only a reference marked optional "
        "may miss.",
        "lifecycle",
    ),
    "kubectl-cannot-read": Rule(
        "kubectl can read the file",
        "error",
        "kubectl apply -f cuts a YAML file at every line that starts with --- and allows only "
        "a comment after the dashes, and it reads a %YAML or %TAG directive as a document of "
        "its own. YAML itself, and so the API server, reads both: the objects are fine, but "
        "kubectl refuses the file before it sends any of them.",
        "workloads",
    ),
    "file-object-refused": Rule(
        "The file's other objects are accepted",
        "error",
        "The builder edits one Pod or workload of a file and keeps the others as they are; one "
        "of those that Kubernetes would refuse (a ConfigMap's number, a Service's port in "
        "quotes) is downloaded with the file, and kubectl apply -f fails on it.",
        "workloads",
    ),
    "template-pods-refused": Rule(
        "Its Pods can be created",
        "error",
        "The API server checks a workload's Pod template a little less than a Pod: admission "
        "(Priority, RuntimeClass) sees only Pods, and since 1.28 an unset hostPort becomes the "
        "containerPort (with hostNetwork) only in Pods. So it can accept a workload and then "
        "refuse every Pod its controller makes.",
        "workloads",
    ),
    "cluster-set-fields": Rule(
        "No fields the cluster sets",
        "warning",
        "A file copied from `kubectl get -o yaml` carries what the API server set: "
        "resourceVersion, uid, managedFields, status. kubectl apply sends resourceVersion and "
        "uid back as preconditions, so applying the file fails with a conflict once the object "
        "has changed or been recreated; the rest is noise in review.",
        "lifecycle",
    ),
    "copied-owner-reference": Rule(
        "No owner references copied from a cluster",
        "warning",
        "metadata.ownerReferences names the object's owner by its uid, which the API server "
        "gave that owner once. Copied into a file, it points at an object that is gone or in "
        "another cluster: the garbage collector then deletes the new object within seconds of "
        "its creation. While the owner exists, its controller counts the object as its own and "
        "may delete it.",
        "lifecycle",
    ),
    "api-warning": Rule(
        "No warnings from the API server",
        "warning",
        "The API server accepts some things with a warning, which kubectl prints as "
        "'Warning: …' on apply: a deprecated node label, annotation or volume type, a "
        "fractional byte count, an environment variable or a port declared twice. Each "
        "works otherwise than it reads, or has stopped working.",
        "workloads",
    ),
    "ignore-annotation": Rule(
        "Opt-out names a known finding",
        "warning",
        "The podstudio.dev/ignore annotation lists finding ids to leave out for this object; "
        "a name that is no finding id hides nothing, and is probably a typo.",
        "security",
    ),
}

# Capabilities that make a container close to root on the node (Polaris' dangerousCapabilities
# plus module loading and tracing other processes).
DANGEROUS_CAPABILITIES = frozenset({"ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_MODULE", "SYS_PTRACE"})

# Host directories kube-linter's sensitive-host-mounts check names, and container runtime sockets.
SENSITIVE_HOST_DIRS = frozenset({"/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr"})
RUNTIME_SOCKETS = ("docker.sock", "containerd.sock", "crio.sock")

CONFINED_SECCOMP_TYPES = ("RuntimeDefault", "Localhost")

# A liveness probe that waits this long before its first check suggests a slow starter.
SLOW_START_SECONDS = 30

# API server defaults for probe fields (pkg/apis/core/v1/defaults.go).
PROBE_TIMING_DEFAULTS = {
    "initialDelaySeconds": 0,
    "timeoutSeconds": 1,
    "periodSeconds": 10,
    "successThreshold": 1,
    "failureThreshold": 3,
}
PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")


class ImageReference(NamedTuple):
    """The parts of ``[registry[:port]/]path[:tag][@digest]``; empty strings for absent parts."""

    name: str
    tag: str
    digest: str

    @property
    def pinned(self) -> bool:
        """A digest fixes the content; otherwise a tag other than ``latest`` is the best pin."""
        return bool(self.digest) or (bool(self.tag) and self.tag != "latest")


def parse_image_reference(image: str) -> ImageReference:
    """Splits an image reference the way the container runtime reads it.

    The tag is what follows the last colon after the last slash, so the port in
    ``localhost:5000/app`` is not a tag; the digest is everything after ``@``.
    """
    rest, _, digest = image.partition("@")
    colon = rest.rfind(":")
    if colon > rest.rfind("/"):
        return ImageReference(rest[:colon], rest[colon + 1 :], digest)
    return ImageReference(rest, "", digest)


def lint_pod(pod: dict) -> list[Finding]:
    """All best-practice findings for a Pod, ordered by field path and then id."""
    spec = pod_spec(pod)
    findings = _host_namespace_findings(spec) + _host_path_findings(spec)
    findings += _seccomp_findings(spec) + _node_name_findings(spec)
    findings += _unit_findings("Pod", "spec", spec)  # Pod-level resources
    for field, path, container in iter_containers(spec):
        findings += _container_findings(spec, field, path, container)
    return _sorted_unique(findings)


def _node_name_findings(spec: dict) -> list[Finding]:
    node = spec.get("nodeName")
    if not isinstance(node, str) or not node:
        return []
    return [
        _finding(
            "node-name",
            "spec.nodeName",
            f'spec.nodeName puts the Pod on node "{node:.80}" without the scheduler: its '
            "nodeSelector, affinity, tolerations and requests are not weighed. If no node has "
            "that name the Pod never starts; if that node is full, its kubelet refuses the Pod "
            "(OutOfcpu, OutOfmemory).",
            "Remove spec.nodeName and let the scheduler choose. To steer it, use a nodeSelector "
            "on a node label (kubernetes.io/hostname names one node) or node affinity.",
        )
    ]


def _finding(rule_id: str, path: str, message: str, fix: str) -> Finding:
    return Finding(rule_id, FINDING_RULES[rule_id].severity, path, message, fix)


def _sorted_unique(findings: list[Finding]) -> list[Finding]:
    """Drops repeats (a Pod-level setting inherited by several containers) and sorts.

    Paths sort by their parts, so ``containers[2]`` comes before ``containers[10]``.
    """
    unique = {(finding.path, finding.id): finding for finding in reversed(findings)}
    return sorted(unique.values(), key=lambda finding: (_path_order(finding.path), finding.id))


@short_text_cache(4096)
def _path_order(path: str) -> tuple:
    """A sort key for a field path; the same few paths come back on every call."""
    return tuple(
        (0, key, "") if isinstance(key, int) else (1, 0, key) for key in path_to_keys(path)
    )


def _is_windows(spec: dict) -> bool:
    """Windows Pods cannot set the Linux security fields these checks ask for."""
    return get(spec, "os", "name") == "windows"


def _is_set(value: object) -> bool:
    return value is not None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _describe(field: str, container: dict, path: str) -> str:
    name = container.get("name")
    label = f'"{name}"' if isinstance(name, str) and name else path
    if field == "initContainers":
        kind = "sidecar" if _is_sidecar(field, container) else "init container"
    elif field == "ephemeralContainers":
        kind = "ephemeral container"
    else:
        kind = "container"
    return f"{kind} {label}"


def _is_sidecar(field: str, container: dict) -> bool:
    """A native sidecar: an init container that keeps running beside the app containers."""
    return field == "initContainers" and container.get("restartPolicy") == "Always"


# --- Pod-level settings ------------------------------------------------------------------


def _host_namespace_findings(spec: dict) -> list[Finding]:
    findings = []
    shared = {
        "hostNetwork": ("host-network", "the node's network"),
        "hostPID": ("host-pid", "the node's processes"),
        "hostIPC": ("host-ipc", "the node's shared memory"),
    }
    for field, (rule_id, what) in shared.items():
        if spec.get(field) is True:
            findings.append(
                _finding(
                    rule_id,
                    f"spec.{field}",
                    f"{field} is true: every container in the Pod shares {what}.",
                    f"Remove {field} (it defaults to false) unless this Pod is node "
                    "infrastructure that truly needs it.",
                )
            )
    return findings


def _host_path_findings(spec: dict) -> list[Finding]:
    findings = []
    for index, volume in enumerate(as_list(spec.get("volumes"))):
        if not isinstance(volume, dict) or not _is_set(volume.get("hostPath")):
            continue
        path = f"spec.volumes[{index}].hostPath"
        host_dir = get(volume, "hostPath", "path")
        shown = host_dir if isinstance(host_dir, str) else "?"
        if isinstance(host_dir, str) and _is_sensitive_host_dir(host_dir):
            findings.append(
                _finding(
                    "sensitive-host-path",
                    path,
                    f"Volume mounts the node's {shown}: the container can take over the node.",
                    "Remove this volume and its volumeMounts; give the container only the data "
                    "it needs through a configMap, secret or PersistentVolumeClaim.",
                )
            )
        else:
            findings.append(
                _finding(
                    "host-path-volume",
                    path,
                    f"Volume uses the node directory {shown}, so the Pod depends on that node's "
                    "files and can change them.",
                    "Use emptyDir for scratch space, a configMap or secret for config, or a "
                    "PersistentVolumeClaim for data; if it must stay, mount it readOnly: true.",
                )
            )
    return findings


def _is_sensitive_host_dir(host_dir: str) -> bool:
    normalized = host_dir.rstrip("/") or "/"
    return normalized in SENSITIVE_HOST_DIRS or normalized.endswith(RUNTIME_SOCKETS)


def _seccomp_findings(spec: dict) -> list[Finding]:
    """Seccomp is reported once at the Pod level when containers inherit a missing profile.

    The fix that covers every container is one line in ``spec.securityContext``; a container
    that sets Unconfined itself is reported at its own field.
    """
    if _is_windows(spec):
        return []
    pod_type = get(spec, "securityContext", "seccompProfile", "type")
    pod_path = "spec.securityContext.seccompProfile.type"
    findings = []
    inheriting = []
    for field, path, container in iter_containers(spec):
        own_type = get(container, "securityContext", "seccompProfile", "type")
        if own_type == "Unconfined":
            findings.append(
                _finding(
                    "seccomp-profile",
                    f"{path}.securityContext.seccompProfile.type",
                    f"The {_describe(field, container, path)} sets seccomp Unconfined: every "
                    "system call is allowed.",
                    "Set seccompProfile.type: RuntimeDefault (or Localhost with a profile).",
                )
            )
        elif not _is_set(own_type) and pod_type not in CONFINED_SECCOMP_TYPES:
            inheriting.append(_describe(field, container, path))
    if inheriting:
        state = "is Unconfined" if pod_type == "Unconfined" else "is not set"
        findings.append(
            _finding(
                "seccomp-profile",
                pod_path,
                f"The Pod's seccomp profile {state}, so these run without one: "
                f"{', '.join(inheriting)}.",
                "Set spec.securityContext.seccompProfile.type: RuntimeDefault; it applies to "
                "every container that does not set its own.",
            )
        )
    return findings


# --- Per container -----------------------------------------------------------------------


def _container_findings(spec: dict, field: str, path: str, container: dict) -> list[Finding]:
    who = _describe(field, container, path)
    findings = _image_findings(who, path, container)
    findings += _privilege_findings(who, path, container)
    if not _is_windows(spec):
        findings += _user_findings(spec, who, path, container)
        findings += _linux_hardening_findings(who, path, container)
    if field == "ephemeralContainers":
        return findings  # the API server forbids ports, resources and probes on these
    findings += _resource_findings(spec, who, path, container)
    findings += _unit_findings(who, path, container)
    if spec.get("hostNetwork") is not True:  # with hostNetwork every port is a host port
        findings += _host_port_findings(who, path, container)
    if field == "containers":
        findings += _app_probe_findings(spec, who, path, container)
    if field == "containers" or _is_sidecar(field, container):
        findings += _probe_design_findings(who, path, container)
        findings += _probe_port_findings(who, path, container)
        findings += _hook_findings(who, path, container)
    if _is_sidecar(field, container):
        findings += _sidecar_probe_findings(who, path, container)
    return findings


def _image_findings(who: str, path: str, container: dict) -> list[Finding]:
    image = container.get("image")
    if not isinstance(image, str) or not image.strip():
        return []  # a missing image is a validation error, reported there
    reference = parse_image_reference(image.strip())
    if reference.pinned:
        return []
    problem = "uses the :latest tag" if reference.tag else "has no tag, so it means :latest"
    return [
        _finding(
            "latest-tag",
            f"{path}.image",
            f"The {who} image {image} {problem}: a new push changes what runs.",
            f"Pin a version, e.g. {reference.name}:1.2.3, or a digest ({reference.name}@sha256:…).",
        )
    ]


def _privilege_findings(who: str, path: str, container: dict) -> list[Finding]:
    security = as_dict(container.get("securityContext"))
    findings = []
    if security.get("privileged") is True:
        findings.append(
            _finding(
                "privileged-container",
                f"{path}.securityContext.privileged",
                f"The {who} is privileged: it has all capabilities and the node's devices.",
                "Remove privileged: true; add only the single capability the program needs.",
            )
        )
    for index, capability in enumerate(as_list(get(security, "capabilities", "add"))):
        if isinstance(capability, str) and _capability_name(capability) in DANGEROUS_CAPABILITIES:
            findings.append(
                _finding(
                    "dangerous-capability",
                    f"{path}.securityContext.capabilities.add[{index}]",
                    f"The {who} adds {capability}, which is close to root on the node.",
                    f"Remove {capability} from capabilities.add; find the narrower capability "
                    "the program really uses.",
                )
            )
    return findings


def _capability_name(capability: str) -> str:
    return capability.upper().removeprefix("CAP_")


def _inherited(container_security: dict, pod_security: dict, key: str, path: str):
    """The effective value of a field both levels have: the container's wins if set.

    Returns ``(value, path where it is set)``; for an unset field, the container's path.
    """
    own_path = f"{path}.securityContext.{key}"
    if _is_set(container_security.get(key)):
        return container_security[key], own_path
    if _is_set(pod_security.get(key)):
        return pod_security[key], f"spec.securityContext.{key}"
    return None, own_path


def _user_findings(spec: dict, who: str, path: str, container: dict) -> list[Finding]:
    security = as_dict(container.get("securityContext"))
    pod_security = as_dict(spec.get("securityContext"))
    user, user_path = _inherited(security, pod_security, "runAsUser", path)
    non_root, non_root_path = _inherited(security, pod_security, "runAsNonRoot", path)
    if _is_int(user) and user == 0:
        consequence = (
            "with runAsNonRoot: true the kubelet refuses to start it"
            if non_root is True
            else "it runs as root"
        )
        return [
            _finding(
                "run-as-root-user",
                user_path,
                f"The {who} has runAsUser: 0, so {consequence}.",
                "Set runAsUser to a non-zero UID the image can work with, e.g. 1000.",
            )
        ]
    if non_root is True or (_is_int(user) and user > 0):
        return []
    if non_root is False:
        message = f"runAsNonRoot is false for the {who}, so it may run as root."
    else:
        message = (
            f"Nothing stops the {who} from running as root: runAsNonRoot is not set here or in "
            "spec.securityContext, and no non-zero runAsUser is set."
        )
    return [
        _finding(
            "run-as-non-root",
            non_root_path,
            message,
            "Set runAsNonRoot: true (here or once in spec.securityContext); if the image's user "
            "is root, also set runAsUser to a non-zero UID such as 1000.",
        )
    ]


def _linux_hardening_findings(who: str, path: str, container: dict) -> list[Finding]:
    security = as_dict(container.get("securityContext"))
    base = f"{path}.securityContext"
    findings = []
    if security.get("readOnlyRootFilesystem") is not True:
        findings.append(
            _finding(
                "read-only-root-filesystem",
                f"{base}.readOnlyRootFilesystem",
                f"The {who} can write to its root filesystem.",
                "Set readOnlyRootFilesystem: true and mount an emptyDir at each path the program "
                "writes to (for example /tmp).",
            )
        )
    dropped = as_list(get(security, "capabilities", "drop"))
    if "ALL" not in dropped:
        findings.append(
            _finding(
                "drop-all-capabilities",
                f"{base}.capabilities.drop",
                f"The {who} keeps the runtime's default Linux capabilities, NET_RAW included.",
                'Set capabilities.drop: ["ALL"] and list in capabilities.add only what the '
                "program needs (for example NET_BIND_SERVICE to bind a port below 1024).",
            )
        )
    added = as_list(get(security, "capabilities", "add"))
    # The API server rejects allowPrivilegeEscalation: false on these, so asking would not help.
    cannot_drop = security.get("privileged") is True or "CAP_SYS_ADMIN" in added
    if security.get("allowPrivilegeEscalation") is not False and not cannot_drop:
        state = "is true" if security.get("allowPrivilegeEscalation") is True else "is not set"
        findings.append(
            _finding(
                "allow-privilege-escalation",
                f"{base}.allowPrivilegeEscalation",
                f"allowPrivilegeEscalation {state} for the {who}, so a process can gain more "
                "privileges than it started with.",
                "Set allowPrivilegeEscalation: false.",
            )
        )
    return findings


def _resource_findings(spec: dict, who: str, path: str, container: dict) -> list[Finding]:
    """Requests default to limits, and Pod-level resources cover every container."""
    requests = as_dict(get(container, "resources", "requests"))
    limits = as_dict(get(container, "resources", "limits"))
    pod_requests = as_dict(get(spec, "resources", "requests"))
    pod_limits = as_dict(get(spec, "resources", "limits"))

    def has(*maps: dict, resource: str) -> bool:
        return any(_is_set(values.get(resource)) and values.get(resource) != "" for values in maps)

    base = f"{path}.resources"
    findings = []
    if not has(requests, limits, pod_requests, pod_limits, resource="cpu"):
        findings.append(
            _finding(
                "missing-cpu-request",
                f"{base}.requests.cpu",
                f"The {who} has no CPU request.",
                "Set resources.requests.cpu to what it uses under normal load, e.g. 100m.",
            )
        )
    if not has(requests, limits, pod_requests, pod_limits, resource="memory"):
        findings.append(
            _finding(
                "missing-memory-request",
                f"{base}.requests.memory",
                f"The {who} has no memory request.",
                "Set resources.requests.memory to its normal working set, e.g. 128Mi.",
            )
        )
    if not has(limits, pod_limits, resource="memory"):
        findings.append(
            _finding(
                "missing-memory-limit",
                f"{base}.limits.memory",
                f"The {who} has no memory limit, so it can use all of the node's memory.",
                "Set resources.limits.memory a little above its peak use, e.g. 256Mi.",
            )
        )
    return findings


# Below this a memory amount written as a whole number was surely meant with a unit: no
# container starts in 1 MiB.
_LEAST_MEMORY = 1024 * 1024
# A CPU count written as a whole number from here on was surely meant in millicores.
_MOST_CPUS = 100
_TOO_LITTLE = {
    "limits": "no container starts in that",
    "requests": "the scheduler sets next to nothing aside for it",
}


def _unit_findings(who: str, path: str, container: dict) -> list[Finding]:
    """``memory: 512`` (bytes) and ``cpu: 500`` (CPUs): whole numbers written without the unit
    that was meant, which the API server accepts as written. ``container`` is the Pod's spec
    for its Pod-level resources."""
    resources = as_dict(container.get("resources"))
    findings = []
    for kind in ("requests", "limits"):
        values = as_dict(resources.get(kind))
        field = f"{path}.resources.{kind}"
        memory, cpu = values.get("memory"), values.get("cpu")
        if _whole_number(memory) and 0 < int(memory) < _LEAST_MEMORY:
            findings.append(
                _finding(
                    "memory-without-unit",
                    f"{field}.memory",
                    f"The {who} has a memory {kind[:-1]} of {memory}, which is {int(memory):,} "
                    f"bytes: {_TOO_LITTLE[kind]} (a number without a unit counts bytes).",
                    f"Write the unit: {memory}Mi (mebibytes) or {memory}M (megabytes).",
                )
            )
        if _whole_number(cpu) and int(cpu) >= _MOST_CPUS:
            findings.append(
                _finding(
                    "cpu-without-m",
                    f"{field}.cpu",
                    f"The {who} has a cpu {kind[:-1]} of {cpu}, which means {int(cpu):,} CPUs: "
                    "no node has that many, so the Pod stays Pending (a number without the m "
                    "counts whole CPUs).",
                    f"Write {cpu}m ({int(cpu) / 1000:g} CPU), or the number of CPUs the "
                    "container needs.",
                )
            )
    return findings


def _whole_number(value: object) -> bool:
    """An int, or a string of digits only, of at most 12 digits: the shape of a count of
    millicores missing its m (longer ones are left to the quantity's own checks)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return 0 <= value < 10**12
    return isinstance(value, str) and len(value) <= 12 and _digits(value)


def _digits(text: str) -> bool:
    """Whether ``text`` is one or more ASCII digits (``isdigit`` alone takes ``٥`` too)."""
    return text.isascii() and text.isdigit()


_PROBE_OUTCOME = {
    "livenessProbe": "the container is restarted again and again",
    "readinessProbe": "the container never becomes ready and gets no traffic",
    "startupProbe": "the container is restarted before it ever starts",
}


def _probe_port_findings(who: str, path: str, container: dict) -> list[Finding]:
    """A probe's port given by name that none of the container's ports has: the kubelet cannot
    resolve it (``ResolveContainerPort``), and counts each probe as failed."""
    findings = []
    for probe, outcome in _PROBE_OUTCOME.items():
        handler = container.get(probe)
        if not isinstance(handler, dict):
            continue
        for action in ("httpGet", "tcpSocket"):
            if port := _unknown_port_name(handler.get(action), container):
                findings.append(
                    _finding(
                        "probe-port-unknown",
                        f"{path}.{probe}.{action}.port",
                        f'The {probe} of the {who} checks the port named "{port}", which '
                        f"none of its ports has: every probe fails, so {outcome}.",
                        f"Name the port in ports (name: {port}), or give the probe its number.",
                    )
                )
    return findings


def _unknown_port_name(action: object, container: dict) -> str:
    """The port an httpGet or tcpSocket names (``port: http``) when none of the container's
    ports has that name; "" for a number or a known name. The container's ports are listed
    only when a name is given."""
    port = as_dict(action).get("port")
    if not isinstance(port, str) or not port or _digits(port):
        return ""
    names = [as_dict(entry).get("name") for entry in as_list(container.get("ports"))]
    return "" if port in names else port


_HOOK_OUTCOME = {
    "postStart": "the kubelet kills the container just after each start (FailedPostStartHook)",
    "preStop": "each stop goes ahead without the hook's step (FailedPreStopHook)",
}


def _hook_findings(who: str, path: str, container: dict) -> list[Finding]:
    """Hooks the kubelet's handler runner fails every time: an httpGet whose port name the
    container lacks (``ResolveContainerPort``), and tcpSocket, which it has no case for."""
    findings = []
    lifecycle = as_dict(container.get("lifecycle"))
    for hook, outcome in _HOOK_OUTCOME.items():
        handler = as_dict(lifecycle.get(hook))
        if handler.get("tcpSocket") is not None:
            findings.append(
                _finding(
                    "hook-always-fails",
                    f"{path}.lifecycle.{hook}.tcpSocket",
                    f"The {hook} hook of the {who} uses tcpSocket, which the kubelet does not "
                    f"run in a hook (the field is kept only so old files are accepted): the "
                    f"hook fails every time, so {outcome}.",
                    "Use exec (a command in the container) or httpGet; to wait before the stop, "
                    "use sleep.",
                )
            )
            continue
        if port := _unknown_port_name(handler.get("httpGet"), container):
            findings.append(
                _finding(
                    "hook-always-fails",
                    f"{path}.lifecycle.{hook}.httpGet.port",
                    f'The {hook} hook of the {who} calls the port named "{port}", which none '
                    f"of its ports has: the hook fails every time, so {outcome}.",
                    f"Name the port in ports (name: {port}), or give the hook its number.",
                )
            )
    return findings


def _host_port_findings(who: str, path: str, container: dict) -> list[Finding]:
    findings = []
    for index, port in enumerate(as_list(container.get("ports"))):
        host_port = as_dict(port).get("hostPort")
        if _is_int(host_port) and host_port != 0:
            findings.append(
                _finding(
                    "host-port",
                    f"{path}.ports[{index}].hostPort",
                    f"The {who} binds port {host_port} on the node.",
                    "Remove hostPort and reach the container through a Service "
                    "(NodePort or LoadBalancer if it must be reachable from outside).",
                )
            )
    return findings


def _is_missing(container: dict, probe: str) -> bool:
    return container.get(probe) is None


def _app_probe_findings(spec: dict, who: str, path: str, container: dict) -> list[Finding]:
    if spec.get("restartPolicy") in ("Never", "OnFailure"):
        return []  # run-to-completion Pods are not Service backends and are not restarted
    findings = []
    if _is_missing(container, "livenessProbe"):
        findings.append(
            _finding(
                "missing-liveness-probe",
                f"{path}.livenessProbe",
                f"The {who} has no liveness probe: if it hangs, nothing restarts it.",
                "Add a livenessProbe that checks the process is alive (e.g. httpGet on "
                "/healthz), cheaper and more lenient than the readiness probe.",
            )
        )
    if _is_missing(container, "readinessProbe"):
        findings.append(
            _finding(
                "missing-readiness-probe",
                f"{path}.readinessProbe",
                f"The {who} has no readiness probe: it gets traffic before it can serve it.",
                "Add a readinessProbe that checks the app can answer requests (e.g. httpGet on "
                "/ready).",
            )
        )
    return findings


def _sidecar_probe_findings(who: str, path: str, container: dict) -> list[Finding]:
    missing = [
        probe for probe in ("livenessProbe", "readinessProbe") if _is_missing(container, probe)
    ]
    if not missing:
        return []
    return [
        _finding(
            "sidecar-missing-probes",
            f"{path}.{missing[0]}",
            f"The {who} has no {' or '.join(missing)}; they are optional for sidecars.",
            "If the sidecar can hang or needs time before the app may use it, add the missing "
            "probe(s).",
        )
    ]


def _probe_design_findings(who: str, path: str, container: dict) -> list[Finding]:
    liveness = container.get("livenessProbe")
    readiness = container.get("readinessProbe")
    findings = []
    if (
        isinstance(liveness, dict)
        and isinstance(readiness, dict)
        and _probe_signature(liveness) == _probe_signature(readiness)
    ):
        findings.append(
            _finding(
                "identical-probes",
                f"{path}.livenessProbe",
                f"The liveness probe of the {who} is the same as its readiness probe: when it is "
                "only too busy to be ready, it is also restarted.",
                "Make the liveness probe more lenient than readiness: a cheaper endpoint "
                "(e.g. /healthz instead of /ready) or a higher failureThreshold.",
            )
        )
    if isinstance(liveness, dict) and _is_missing(container, "startupProbe"):
        delay = liveness.get("initialDelaySeconds")
        if _is_int(delay) and delay >= SLOW_START_SECONDS:
            period = liveness.get("periodSeconds")
            period = period if _is_int(period) and period > 0 else 10
            threshold = max(3, math.ceil(delay / period))
            findings.append(
                _finding(
                    "startup-probe-suggested",
                    f"{path}.startupProbe",
                    f"The liveness probe of the {who} waits {delay}s before its first check: "
                    "a guess at the start time that every restart pays.",
                    f"Add a startupProbe with the same check, periodSeconds: {period} and "
                    f"failureThreshold: {threshold} ({threshold * period}s to start), then "
                    "remove initialDelaySeconds from the liveness probe.",
                )
            )
    return findings


def _probe_signature(probe: dict) -> tuple:
    """What a probe checks and when, with the API server's defaults filled in."""
    handlers = []
    for name in PROBE_HANDLERS:
        handler = probe.get(name)
        if name == "httpGet" and isinstance(handler, dict):
            handler = {"path": "/", "scheme": "HTTP", **handler}
        if handler is None:
            handlers.append("null")  # what json.dumps gives, without its cost
        else:
            handlers.append(json.dumps(handler, sort_keys=True, default=str))
    timings = [probe.get(key, default) for key, default in PROBE_TIMING_DEFAULTS.items()]
    return (*handlers, *map(str, timings))


# What the API server writes into an object (ObjectMeta's system fields and the status), in the
# order a finding names them. ``creationTimestamp: null``, which `kubectl create --dry-run -o
# yaml` writes into every file it makes, is not counted.
CLUSTER_SET_METADATA = (
    "resourceVersion",
    "uid",
    "managedFields",
    "creationTimestamp",
    "generation",
    "selfLink",
)
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
# Annotations the cluster writes: kubectl apply's record of the last applied file, the
# Deployment controller's revision and replica counts (on Deployments and their ReplicaSets), and
# the template generation the API server keeps on a DaemonSet.
CLUSTER_SET_ANNOTATIONS = (
    LAST_APPLIED,
    "deployment.kubernetes.io/revision",
    "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas",
    "deprecated.daemonset.template.generation",
)


def cluster_set_findings(manifest: object) -> list[Finding]:
    """``cluster-set-fields``: the document carries fields the cluster set, as `kubectl get -o
    yaml` prints them; at the first of them, listing all. ``copied-owner-reference``: it names
    an owner by uid, as what a controller made does."""
    if not isinstance(manifest, dict):
        return []
    metadata = as_dict(manifest.get("metadata"))
    return _owner_reference_findings(manifest, metadata) + _cluster_set_field_findings(
        manifest, metadata
    )


def cluster_written(manifest: dict) -> list[str]:
    """What a copy from `kubectl get -o yaml` carries that the cluster wrote: the paths of
    ``cluster-set-fields``, and the owner references of ``copied-owner-reference``."""
    found = cluster_set_paths(manifest)
    if as_list(as_dict(manifest.get("metadata")).get("ownerReferences")):
        found.append("metadata.ownerReferences")
    return found


def _owner_reference_findings(manifest: dict, metadata: dict) -> list[Finding]:
    owners = [as_dict(owner) for owner in as_list(metadata.get("ownerReferences"))]
    if not owners:
        return []
    # The controller owner first (a Pod's ReplicaSet): it is the one that acts on the object.
    owner = next((o for o in owners if o.get("controller") is True), owners[0])
    named = " ".join(
        f"{part!s:.60}" for part in (owner.get("kind"), owner.get("name")) if part not in (None, "")
    )
    more = f" (and {len(owners) - 1} more)" if len(owners) > 1 else ""
    kind = f"{manifest['kind']:.60}" if isinstance(manifest.get("kind"), str) else "object"
    return [
        _finding(
            "copied-owner-reference",
            "metadata.ownerReferences",
            f"Copied from the cluster? metadata.ownerReferences makes {named or 'another object'}"
            f"{more} the owner of this {kind}, by a uid the API server gave that owner. Where no "
            "object has that uid (another cluster, or the owner is gone) the garbage collector "
            "deletes this one seconds after it is created; while the owner exists, its "
            "controller counts this one as its own and may delete it.",
            "Remove metadata.ownerReferences: controllers set it on what they make. For more "
            "copies of a Pod, raise the owner's replicas or write a Deployment.",
        )
    ]


def cluster_set_paths(manifest: dict) -> list[str]:
    """The paths ``cluster-set-fields`` names: what the API server wrote into the document."""
    metadata = as_dict(manifest.get("metadata"))
    found = [
        f"metadata.{key}" for key in CLUSTER_SET_METADATA if metadata.get(key) not in (None, "")
    ]
    annotations = as_dict(metadata.get("annotations"))
    found += [
        f"metadata.annotations[{key}]" for key in CLUSTER_SET_ANNOTATIONS if key in annotations
    ]
    if manifest.get("status") not in (None, {}):
        found.append("status")
    return found


def _cluster_set_field_findings(manifest: dict, metadata: dict) -> list[Finding]:
    found = cluster_set_paths(manifest)
    if not found:
        return []
    conflict = [path for path in found if path in ("metadata.resourceVersion", "metadata.uid")]
    why = (
        f"`kubectl apply` sends {' and '.join(conflict)} back as a precondition, so it fails with "
        "a conflict once the object has changed or been recreated."
        if conflict
        else "The cluster sets them itself; in a file they only add noise to a review."
    )
    return [
        _finding(
            "cluster-set-fields",
            found[0],
            "Copied from the cluster (`kubectl get -o yaml`)? The API server or a controller "
            f"wrote these: {', '.join(found)}. {why}",
            "Remove them and keep only the fields you set (spec, metadata.name, namespace, "
            "labels, annotations).",
        )
    ]
