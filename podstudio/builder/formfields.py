"""The fields the builder's form edits: how each is typed, labelled, explained and taught.

Fields are keyed by a path pattern: a field path with every list index written ``[*]``
(``spec.containers[*].ports[*].containerPort``). Anything in a manifest whose pattern is not
listed here is "kept as is": the builder shows it read-only and never changes it.

Its length (over 800 lines) is the table itself, one entry per field the form edits, with its
help and lesson; the code around it is short.
"""

import re
from dataclasses import dataclass, field

from podstudio.engine.memo import short_text_cache

# Kinds of field, and how their text in the form maps to data:
#   str       text; empty removes the key
#   int       whole number; text that is not a number is stored as typed (validation says why)
#   intorstr  a number or a name (probe ports): digits become a number
#   bool      select: not set / true / false
#   flag      checkbox: checked is true, unchecked removes a true value
#   sidecar   checkbox: checked sets ``restartPolicy: Always`` on an init container
#   enum      select from choices; empty removes the key
#   lines     list of strings, one per line
#   map       string map, one ``key=value`` per line
#   quantity  amount plus a unit select (cpu: cores or millicores; memory: Mi, Gi, ...)
#   image     repository plus tag
#   volume    select of the Pod's volume names
#   kind      select that switches a structure (probe handler, volume source, env source)
KINDS = (
    "str",
    "int",
    "intorstr",
    "bool",
    "flag",
    "sidecar",
    "enum",
    "lines",
    "map",
    "quantity",
    "image",
    "volume",
    "kind",
)


@dataclass(frozen=True)
class Field:
    kind: str
    label: str
    help: str
    lesson: str
    choices: tuple[str, ...] = ()
    placeholder: str = ""
    unsafe: bool = False
    units: tuple[tuple[str, str], ...] = field(default=())


# Short enough to show whole beside the number (the help says what 250m is).
CPU_UNITS = (("m", "m (millicores)"), ("", "CPU cores"))
MEMORY_UNITS = (
    ("Mi", "Mi (mebibytes)"),
    ("Gi", "Gi (gibibytes)"),
    ("Ki", "Ki (kibibytes)"),
    ("M", "M (megabytes)"),
    ("G", "G (gigabytes)"),
    ("", "bytes"),
)

_INDEX = re.compile(r"\[\d+\]")


@short_text_cache(8192)
def pattern_of(path: str) -> str:
    """``spec.containers[2].ports[0].name`` -> ``spec.containers[*].ports[*].name``.

    Cached: the form posts the same few hundred names on every keystroke.
    """
    return _INDEX.sub("[*]", path)


FIELDS: dict[str, Field] = {}


def _add(pattern: str, kind: str, label: str, help: str, lesson: str, **extra) -> None:
    FIELDS[pattern] = Field(kind, label, help, lesson, **extra)


# --- metadata -------------------------------------------------------------------------------
_add(
    "metadata.name",
    "str",
    "Name",
    "The Pod's name, unique in its namespace: lowercase letters, digits and dashes. Required.",
    "anatomy",
    placeholder="my-app",
)
_add(
    "metadata.namespace",
    "str",
    "Namespace",
    "The namespace the Pod lives in. Empty means the one kubectl is pointed at (often default).",
    "anatomy",
    placeholder="default",
)
_add(
    "metadata.labels",
    "map",
    "Labels",
    "One key=value per line. Services and controllers find Pods by their labels. None by default.",
    "anatomy",
    placeholder="app=my-app",
)
_add(
    "metadata.annotations",
    "map",
    "Annotations",
    "One key=value per line: notes for people and tools; nothing selects on them.",
    "anatomy",
    placeholder="description=My application",
)

# --- pod spec -------------------------------------------------------------------------------
_add(
    "spec.restartPolicy",
    "enum",
    "Restart policy",
    "What the kubelet does when a container exits. Default: Always.",
    "lifecycle",
    choices=("Always", "OnFailure", "Never"),
)
_add(
    "spec.serviceAccountName",
    "str",
    "Service account",
    "The identity the Pod's processes use to talk to the API. Default: the namespace's default.",
    "security",
    placeholder="default",
)
_add(
    "spec.automountServiceAccountToken",
    "bool",
    "Mount the API token",
    "Whether the service account token is mounted into containers. Default: true.",
    "security",
)
_add(
    "spec.terminationGracePeriodSeconds",
    "int",
    "Grace period (seconds)",
    "Time between SIGTERM and SIGKILL when the Pod is deleted. Default: 30.",
    "lifecycle",
    placeholder="30",
)
_add(
    "spec.imagePullSecrets[*].name",
    "str",
    "Secret name",
    "A docker-registry Secret used to pull private images.",
    "anatomy",
)
_add(
    "spec.nodeSelector",
    "map",
    "Node selector",
    "One key=value per line: the Pod only runs on nodes with all these labels. Empty: any node.",
    "scheduling",
    placeholder="disktype=ssd",
)
_add(
    "spec.tolerations[*].key",
    "str",
    "Taint key",
    "The taint this toleration matches. Empty with operator Exists matches every taint.",
    "scheduling",
)
_add(
    "spec.tolerations[*].operator",
    "enum",
    "Operator",
    "Equal compares the value too; Exists matches any value. Default: Equal.",
    "scheduling",
    choices=("Equal", "Exists"),
)
_add(
    "spec.tolerations[*].value",
    "str",
    "Value",
    "The taint value to match (only with Equal).",
    "scheduling",
)
_add(
    "spec.tolerations[*].effect",
    "enum",
    "Effect",
    "Which taint effect is tolerated. Empty: all effects.",
    "scheduling",
    choices=("NoSchedule", "PreferNoSchedule", "NoExecute"),
)
_add(
    "spec.tolerations[*].tolerationSeconds",
    "int",
    "Toleration seconds",
    "With NoExecute: how long the Pod may stay after the taint appears. Empty: forever.",
    "scheduling",
)
_TERM = (
    "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
    ".nodeSelectorTerms[*].matchExpressions[*]"
)
_add(
    f"{_TERM}.key",
    "str",
    "Node label",
    "The node label this rule looks at, for example topology.kubernetes.io/zone.",
    "scheduling",
)
_add(
    f"{_TERM}.operator",
    "enum",
    "Operator",
    "In / NotIn compare with the values; Exists / DoesNotExist ignore them.",
    "scheduling",
    choices=("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"),
)
_add(
    f"{_TERM}.values",
    "lines",
    "Values",
    "One value per line.",
    "scheduling",
)

# Pod security context.
_add(
    "spec.securityContext.runAsNonRoot",
    "bool",
    "Run as non-root",
    "If true, the kubelet refuses to start a container whose user is root. Default: not checked.",
    "security",
)
_add(
    "spec.securityContext.runAsUser",
    "int",
    "Run as user (UID)",
    "The user ID processes run as. Default: the image's user (often root, 0).",
    "security",
)
_add(
    "spec.securityContext.runAsGroup",
    "int",
    "Run as group (GID)",
    "The primary group ID of processes. Default: the image's group.",
    "security",
)
_add(
    "spec.securityContext.fsGroup",
    "int",
    "fsGroup",
    "A group that owns mounted volumes, so a non-root user can write them. Default: none.",
    "security",
)
_add(
    "spec.securityContext.seccompProfile.type",
    "enum",
    "Seccomp profile",
    "Limits the system calls processes may make. RuntimeDefault is the safe choice. Default: none.",
    "security",
    choices=("RuntimeDefault", "Localhost", "Unconfined"),
)
_add(
    "spec.hostNetwork",
    "bool",
    "Host network",
    "Use the node's network instead of the Pod's own. Unsafe: blocked by the baseline level.",
    "security",
    unsafe=True,
)

# --- containers (app and init) ----------------------------------------------------------------
for _list in ("spec.containers[*]", "spec.initContainers[*]"):
    _add(
        f"{_list}.name",
        "str",
        "Name",
        "Unique in the Pod; lowercase letters, digits and dashes. Required.",
        "anatomy",
    )
    _add(
        f"{_list}.image",
        "image",
        "Image",
        "Repository and tag. Pin a tag: without one, Kubernetes pulls :latest every time.",
        "anatomy",
        placeholder="nginx",
    )
    _add(
        f"{_list}.imagePullPolicy",
        "enum",
        "Pull policy",
        "When to pull the image. Default: Always for :latest or no tag, else IfNotPresent.",
        "anatomy",
        choices=("IfNotPresent", "Always", "Never"),
    )
    _add(
        f"{_list}.command",
        "lines",
        "Command",
        "One item per line; replaces the image's ENTRYPOINT. Empty: the image's own.",
        "anatomy",
        placeholder="sh\n-c",
    )
    _add(
        f"{_list}.args",
        "lines",
        "Arguments",
        "One item per line; replaces the image's CMD. Empty: the image's own.",
        "anatomy",
    )
    _add(
        f"{_list}.workingDir",
        "str",
        "Working directory",
        "The directory the process starts in. Default: the image's WORKDIR.",
        "anatomy",
    )
    _add(
        f"{_list}.ports[*].name",
        "str",
        "Port name",
        "Optional; up to 15 lowercase characters. Probes and Services can refer to it.",
        "networking",
        placeholder="http",
    )
    _add(
        f"{_list}.ports[*].containerPort",
        "int",
        "Port",
        "The port the process listens on (1-65535). Listing it documents it; it is no firewall.",
        "networking",
        placeholder="8080",
    )
    _add(
        f"{_list}.ports[*].protocol",
        "enum",
        "Protocol",
        "Default: TCP.",
        "networking",
        choices=("TCP", "UDP", "SCTP"),
    )
    _add(
        f"{_list}.env[*].name",
        "str",
        "Variable",
        "The environment variable's name, for example DB_HOST.",
        "anatomy",
    )
    _add(f"{_list}.env[*]@kind", "kind", "Value from", "Where the value comes from.", "anatomy")
    _add(
        f"{_list}.env[*].value",
        "str",
        "Value",
        "A literal value. Always text: quote numbers in YAML.",
        "anatomy",
    )
    for _ref, _what in (("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")):
        _add(
            f"{_list}.env[*].valueFrom.{_ref}.name",
            "str",
            f"{_what} name",
            f"The {_what} to read from, in the Pod's namespace.",
            "anatomy",
        )
        _add(
            f"{_list}.env[*].valueFrom.{_ref}.key",
            "str",
            "Key",
            f"The key inside the {_what}.",
            "anatomy",
        )
        _add(
            f"{_list}.env[*].valueFrom.{_ref}.optional",
            "bool",
            "Optional",
            f"If true, the container starts even without the {_what} or key. Default: false.",
            "anatomy",
        )
    _add(
        f"{_list}.env[*].valueFrom.fieldRef.fieldPath",
        "enum",
        "Pod field",
        "A field of the Pod itself (the downward API), for example its name or IP.",
        "anatomy",
        choices=(
            "metadata.name",
            "metadata.namespace",
            "metadata.uid",
            "spec.nodeName",
            "spec.serviceAccountName",
            "status.hostIP",
            "status.podIP",
        ),
    )
    _add(
        f"{_list}.env[*].valueFrom.resourceFieldRef.resource",
        "enum",
        "Resource",
        "One of the container's own requests or limits.",
        "resources",
        choices=("limits.cpu", "limits.memory", "requests.cpu", "requests.memory"),
    )
    for _bound, _meaning in (
        ("requests", "reserved for the container when scheduling"),
        ("limits", "the most the container may use"),
    ):
        _add(
            f"{_list}.resources.{_bound}.cpu",
            "quantity",
            f"CPU {_bound[:-1]}",
            f"CPU {_meaning}. 250m is a quarter of a core. Empty: none.",
            "resources",
            units=CPU_UNITS,
        )
        _add(
            f"{_list}.resources.{_bound}.memory",
            "quantity",
            f"Memory {_bound[:-1]}",
            f"Memory {_meaning}. 128Mi is 128 × 1024 × 1024 bytes. Empty: none.",
            "resources",
            units=MEMORY_UNITS,
        )
    _add(
        f"{_list}.volumeMounts[*].name",
        "volume",
        "Volume",
        "Which of the Pod's volumes to mount.",
        "multi-container",
    )
    _add(
        f"{_list}.volumeMounts[*].mountPath",
        "str",
        "Mount path",
        "Where the volume appears inside the container. Required.",
        "multi-container",
        placeholder="/data",
    )
    _add(
        f"{_list}.volumeMounts[*].readOnly",
        "flag",
        "Read-only",
        "Mount without write access. Default: read-write.",
        "multi-container",
    )
    _add(
        f"{_list}.volumeMounts[*].subPath",
        "str",
        "Sub-path",
        "Mount one file or folder of the volume instead of its root. Default: the root.",
        "multi-container",
    )
    for _probe, _what in (
        ("livenessProbe", "Restarts the container when it fails."),
        ("readinessProbe", "Takes the Pod out of Service endpoints while it fails."),
        ("startupProbe", "Holds the other probes back until the app has started."),
    ):
        _p = f"{_list}.{_probe}"
        _add(f"{_p}@kind", "kind", "Check", f"{_what} Default: no probe.", "probes")
        _add(f"{_p}.httpGet.path", "str", "Path", "The URL path to GET.", "probes", placeholder="/")
        _add(
            f"{_p}.httpGet.port",
            "intorstr",
            "Port",
            "A number or a named container port. Required.",
            "probes",
        )
        _add(
            f"{_p}.httpGet.scheme",
            "enum",
            "Scheme",
            "Default: HTTP. HTTPS skips certificate checks.",
            "probes",
            choices=("HTTP", "HTTPS"),
        )
        _add(
            f"{_p}.httpGet.httpHeaders[*].name",
            "str",
            "Header",
            "An extra request header's name.",
            "probes",
        )
        _add(
            f"{_p}.httpGet.httpHeaders[*].value",
            "str",
            "Header value",
            "The header's value.",
            "probes",
        )
        _add(
            f"{_p}.tcpSocket.port",
            "intorstr",
            "Port",
            "Succeeds when a TCP connection opens. A number or a named port.",
            "probes",
        )
        _add(
            f"{_p}.exec.command",
            "lines",
            "Command",
            "Runs in the container, one item per line; exit code 0 is success. No shell by itself.",
            "probes",
        )
        _add(f"{_p}.grpc.port", "int", "Port", "The gRPC health service port.", "probes")
        _add(
            f"{_p}.grpc.service",
            "str",
            "Service",
            "The service name sent in the gRPC health check. Default: empty.",
            "probes",
        )
        # Labelled in words as the other fields are; the help names the YAML field, which the
        # lessons and hints use.
        for _timing, _label, _text in (
            (
                "initialDelaySeconds",
                "First check after (s)",
                "Wait before the first check. Default: 0.",
            ),
            ("periodSeconds", "Check every (s)", "Time between checks. Default: 10."),
            ("timeoutSeconds", "Timeout (s)", "How long one check may take. Default: 1."),
            (
                "successThreshold",
                "Successes to pass",
                "Successes in a row to count as passing. Default: 1.",
            ),
            (
                "failureThreshold",
                "Failures to fail",
                "Failures in a row to count as failing. Default: 3.",
            ),
            (
                "terminationGracePeriodSeconds",
                "Grace period (s)",
                "Grace period when this probe kills the container. Default: the Pod's.",
            ),
        ):
            _add(f"{_p}.{_timing}", "int", _label, f"{_timing}: {_text}", "probes")
    for _hook, _when in (
        ("postStart", "Runs right after the container starts."),
        ("preStop", "Runs before the container is stopped, before SIGTERM."),
    ):
        _h = f"{_list}.lifecycle.{_hook}"
        _add(f"{_h}@kind", "kind", _hook, f"{_when} Default: none.", "lifecycle")
        _add(f"{_h}.exec.command", "lines", "Command", "One item per line.", "lifecycle")
        _add(f"{_h}.httpGet.path", "str", "Path", "The URL path to GET.", "lifecycle")
        _add(f"{_h}.httpGet.port", "intorstr", "Port", "A number or a named port.", "lifecycle")
        _add(f"{_h}.sleep.seconds", "int", "Seconds", "How long to pause.", "lifecycle")
    _sc = f"{_list}.securityContext"
    _add(
        f"{_sc}.runAsNonRoot",
        "bool",
        "Run as non-root",
        "Refuse to start if the user is root. Default: the Pod's setting.",
        "security",
    )
    _add(
        f"{_sc}.runAsUser",
        "int",
        "Run as user (UID)",
        "Overrides the Pod's setting. Default: the Pod's, else the image's.",
        "security",
    )
    _add(
        f"{_sc}.runAsGroup",
        "int",
        "Run as group (GID)",
        "Overrides the Pod's setting.",
        "security",
    )
    _add(
        f"{_sc}.allowPrivilegeEscalation",
        "bool",
        "Allow privilege escalation",
        "Whether a process may gain privileges (setuid). Default: true. Restricted needs false.",
        "security",
    )
    _add(
        f"{_sc}.readOnlyRootFilesystem",
        "bool",
        "Read-only root filesystem",
        "Make the image's files read-only; write to volumes instead. Default: false.",
        "security",
    )
    _add(
        f"{_sc}.privileged",
        "bool",
        "Privileged",
        "Full access to the node. Unsafe: blocked by the baseline level. Default: false.",
        "security",
        unsafe=True,
    )
    _add(
        f"{_sc}.capabilities.drop",
        "lines",
        "Drop capabilities",
        "One per line. Restricted needs ALL.",
        "security",
        placeholder="ALL",
    )
    _add(
        f"{_sc}.capabilities.add",
        "lines",
        "Add capabilities",
        "One per line. Restricted allows only NET_BIND_SERVICE.",
        "security",
    )
    _add(
        f"{_sc}.seccompProfile.type",
        "enum",
        "Seccomp profile",
        "Overrides the Pod's profile. RuntimeDefault is the safe choice.",
        "security",
        choices=("RuntimeDefault", "Localhost", "Unconfined"),
    )

_add(
    "spec.initContainers[*].restartPolicy",
    "sidecar",
    "Native sidecar",
    "Keeps running next to the app containers (restartPolicy: Always) instead of finishing first.",
    "init-containers",
)

# --- volumes --------------------------------------------------------------------------------
_add(
    "spec.volumes[*].name",
    "str",
    "Name",
    "Containers mount the volume by this name. Required.",
    "multi-container",
)
_add(
    "spec.volumes[*]@kind", "kind", "Type", "Where the volume's files come from.", "multi-container"
)
_add(
    "spec.volumes[*].emptyDir.medium",
    "enum",
    "Medium",
    "Memory keeps it in RAM (counts toward memory). Default: the node's disk.",
    "multi-container",
    choices=("Memory",),
)
_add(
    "spec.volumes[*].emptyDir.sizeLimit",
    "str",
    "Size limit",
    "The Pod is evicted if the volume grows past this, for example 1Gi. Default: none.",
    "multi-container",
)
_add(
    "spec.volumes[*].configMap.name",
    "str",
    "ConfigMap",
    "Each key becomes a file.",
    "multi-container",
)
_add(
    "spec.volumes[*].configMap.defaultMode",
    "int",
    "File mode",
    "Permission bits as a decimal number (420 is octal 0644). Default: 420.",
    "security",
)
_add(
    "spec.volumes[*].configMap.optional",
    "bool",
    "Optional",
    "Start even if the ConfigMap is missing. Default: false.",
    "multi-container",
)
_add(
    "spec.volumes[*].secret.secretName",
    "str",
    "Secret",
    "Each key becomes a file; kept in memory on the node.",
    "multi-container",
)
_add(
    "spec.volumes[*].secret.defaultMode",
    "int",
    "File mode",
    "Permission bits as a decimal number (256 is octal 0400). Default: 420.",
    "security",
)
_add(
    "spec.volumes[*].secret.optional",
    "bool",
    "Optional",
    "Start even if the Secret is missing. Default: false.",
    "multi-container",
)
_add(
    "spec.volumes[*].persistentVolumeClaim.claimName",
    "str",
    "Claim name",
    "A PersistentVolumeClaim in the same namespace; its data outlives the Pod.",
    "multi-container",
)
_add(
    "spec.volumes[*].persistentVolumeClaim.readOnly",
    "bool",
    "Read-only",
    "Force every mount of the claim to be read-only. Default: false.",
    "multi-container",
)
_add(
    "spec.volumes[*].hostPath.path",
    "str",
    "Path on the node",
    "A folder of the node itself. Unsafe: blocked by the baseline level.",
    "security",
    unsafe=True,
)
_add(
    "spec.volumes[*].hostPath.type",
    "enum",
    "Type",
    "What must exist at the path. Default: no check.",
    "security",
    choices=("DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket"),
)
_add(
    "spec.volumes[*].projected.defaultMode",
    "int",
    "File mode",
    "Permission bits as a decimal number. Default: 420.",
    "security",
)
_SRC = "spec.volumes[*].projected.sources[*]"
_add(
    f"{_SRC}.serviceAccountToken.path",
    "str",
    "Token file",
    "A short-lived token for the Pod's service account, written to this file.",
    "security",
)
_add(
    f"{_SRC}.serviceAccountToken.expirationSeconds",
    "int",
    "Expires after (s)",
    "The kubelet renews the token before this. Default: 3600.",
    "security",
)
_add(
    f"{_SRC}.serviceAccountToken.audience",
    "str",
    "Audience",
    "Who the token is meant for. Default: the API server.",
    "security",
)
_add(f"{_SRC}.configMap.name", "str", "ConfigMap", "Its keys become files.", "multi-container")
_add(f"{_SRC}.secret.name", "str", "Secret", "Its keys become files.", "multi-container")
_add(
    "spec.volumes[*].downwardAPI.items[*].path",
    "str",
    "File",
    "The file name inside the volume.",
    "multi-container",
)
_add(
    "spec.volumes[*].downwardAPI.items[*].fieldRef.fieldPath",
    "enum",
    "Pod field",
    "The Pod field written into the file; labels and annotations update live.",
    "multi-container",
    choices=("metadata.labels", "metadata.annotations", "metadata.name", "metadata.namespace"),
)

# --- switchable structures (the "kind" fields) --------------------------------------------------
PROBE_KINDS = ("httpGet", "tcpSocket", "exec", "grpc")
HOOK_KINDS = ("exec", "httpGet", "sleep", "tcpSocket")
VOLUME_KINDS = (
    "emptyDir",
    "configMap",
    "secret",
    "persistentVolumeClaim",
    "projected",
    "downwardAPI",
    "hostPath",
)
ENV_KINDS = ("value", "secretKeyRef", "configMapKeyRef", "fieldRef", "resourceFieldRef")
KIND_LABELS = {
    "": "none",
    "httpGet": "HTTP GET",
    "tcpSocket": "TCP connect",
    "exec": "command",
    "grpc": "gRPC health",
    "sleep": "sleep",
    "emptyDir": "emptyDir (scratch space)",
    "configMap": "configMap",
    "secret": "secret",
    "persistentVolumeClaim": "persistentVolumeClaim",
    "projected": "projected",
    "downwardAPI": "downwardAPI",
    "hostPath": "hostPath (unsafe)",
    "value": "literal value",
    "secretKeyRef": "key of a Secret",
    "configMapKeyRef": "key of a ConfigMap",
    "fieldRef": "field of the Pod",
    "resourceFieldRef": "container resource",
}

# Lists the form can grow, by pattern: the button's words.
LISTS: dict[str, str] = {
    "spec.containers": "Add container",
    "spec.initContainers": "Add init container",
    "spec.volumes": "Add volume",
    "spec.tolerations": "Add toleration",
    "spec.imagePullSecrets": "Add pull secret",
    "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
    ".nodeSelectorTerms": "Add node rule group",
    f"{_TERM[:-3]}": "Add node rule",
    "spec.volumes[*].projected.sources": "Add source",
    "spec.volumes[*].downwardAPI.items": "Add file",
}
for _list in ("spec.containers[*]", "spec.initContainers[*]"):
    LISTS[f"{_list}.ports"] = "Add port"
    LISTS[f"{_list}.env"] = "Add variable"
    LISTS[f"{_list}.volumeMounts"] = "Add mount"
    for _probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        LISTS[f"{_list}.{_probe}.httpGet.httpHeaders"] = "Add header"


def field_for(path: str) -> Field | None:
    return FIELDS.get(pattern_of(path))


# --- schema docs for the page ---------------------------------------------------------------------


def docs_patterns(kind_name: str) -> list[str]:
    """Every pattern the form of a design of this kind can show, as the form names it (a
    workload's template fields under ``spec.template.``): the page carries their docs, so a
    field added later (a first init container) has its docs without asking the server."""
    from podstudio.builder.workloads import workload_fields
    from podstudio.engine.kinds import KINDS as DOCUMENT_KINDS
    from podstudio.engine.kinds import document_path

    kind = DOCUMENT_KINDS.get(kind_name)
    if kind is None or kind.is_pod:
        return list(FIELDS)
    patterns = list(workload_fields(kind.name))
    return patterns + [document_path(kind, pattern) for pattern in FIELDS]


def page_docs(manifest: dict, version: str | None = None) -> dict:
    """The schema docs one builder page embeds (see ``fielddocs.page_docs``): the form's fields
    and every key of the design's YAML, for the design's kind and the chosen version."""
    from podstudio.builder.workloads import design_kind
    from podstudio.engine import fielddocs

    kind = design_kind(manifest).name
    patterns = dict.fromkeys(docs_patterns(kind))
    for pattern in list(patterns):  # the keys above each field: containers, resources, probes
        steps = pattern.split("@", 1)[0].split(".")
        above = (".".join(steps[:end]).removesuffix("[*]") for end in range(1, len(steps)))
        patterns.update(dict.fromkeys(above))
    patterns.update(dict.fromkeys(fielddocs.document_patterns(manifest, kind.lower(), version)))
    return fielddocs.page_docs(patterns, kind.lower(), version)
