"""Pod Security Standards, as Kubernetes' pod-security-admission evaluates them.

The rules follow ``k8s.io/pod-security-admission/policy/check_*.go`` of Kubernetes v1.37.2 (the
release the sandbox runs), at its newest policy version (``LATEST``); pass an older
``(major, minor)`` to evaluate as a namespace pinned with ``enforce-version`` would.

Upstream runs one check per control and level and reports a single line per check; here each
offending field becomes its own ``Violation``, tagged with the *lowest* level that forbids it.
Where upstream has a baseline and a restricted check over the same field (capabilities, seccomp,
procMount, hostPath volumes), the two are merged so a field is reported once, at the level a
learner has to fix first.

Containers are visited like upstream's ``visitContainers``: init containers, then containers,
then ephemeral containers. Fields of the wrong type are treated as unset: the schema reports them.
"""

from collections.abc import Callable, Iterator
from typing import NamedTuple

from podstudio.engine.paths import as_dict, as_list, iter_containers, join, join_key, pod_spec
from podstudio.engine.results import LEVELS, PssResult, Violation
from podstudio.engine.schema import as_go_reads_it

# A policy version is (major, minor), as in ``pod-security.kubernetes.io/enforce-version: v1.30``.
PolicyVersion = tuple[int, int]

# The highest MinimumVersion among the upstream checks (sysctls, v1.37): what "latest" means.
LATEST: PolicyVersion = (1, 37)

BASELINE = "baseline"
RESTRICTED = "restricted"

# check_capabilities_baseline.go: the container runtime's default set.
BASELINE_CAPABILITIES = frozenset(
    {
        "AUDIT_WRITE",
        "CHOWN",
        "DAC_OVERRIDE",
        "FOWNER",
        "FSETID",
        "KILL",
        "MKNOD",
        "NET_BIND_SERVICE",
        "SETFCAP",
        "SETGID",
        "SETPCAP",
        "SETUID",
        "SYS_CHROOT",
    }
)
# check_capabilities_restricted.go
RESTRICTED_ADDABLE_CAPABILITY = "NET_BIND_SERVICE"
DROP_ALL = "ALL"

# check_sysctls.go: each policy version adds sysctls to the safe set.
SAFE_SYSCTLS_BY_VERSION: tuple[tuple[PolicyVersion, frozenset[str]], ...] = (
    (
        (1, 0),
        frozenset(
            {
                "kernel.shm_rmid_forced",
                "net.ipv4.ip_local_port_range",
                "net.ipv4.tcp_syncookies",
                "net.ipv4.ping_group_range",
                "net.ipv4.ip_unprivileged_port_start",
            }
        ),
    ),
    ((1, 27), frozenset({"net.ipv4.ip_local_reserved_ports"})),
    (
        (1, 29),
        frozenset(
            {
                "net.ipv4.tcp_keepalive_time",
                "net.ipv4.tcp_fin_timeout",
                "net.ipv4.tcp_keepalive_intvl",
                "net.ipv4.tcp_keepalive_probes",
            }
        ),
    ),
    ((1, 32), frozenset({"net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"})),
    ((1, 37), frozenset({"net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"})),
)

# check_seLinuxOptions.go: "" means "not set" and is allowed.
SELINUX_TYPES_BY_VERSION: tuple[tuple[PolicyVersion, frozenset[str]], ...] = (
    ((1, 0), frozenset({"", "container_t", "container_init_t", "container_kvm_t"})),
    ((1, 31), frozenset({"container_engine_t"})),
)

# check_seccompProfile_*.go and check_appArmorProfile.go
ALLOWED_PROFILE_TYPES = ("RuntimeDefault", "Localhost")
APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/"
SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod"
SECCOMP_CONTAINER_ANNOTATION_PREFIX = "container.seccomp.security.alpha.kubernetes.io/"

# check_restrictedVolumes.go: the only volume sources restricted accepts.
RESTRICTED_VOLUME_TYPES = (
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
)
# Every other volume source of core/v1 VolumeSource, by its JSON name.
OTHER_VOLUME_TYPES = (
    "hostPath",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "nfs",
    "iscsi",
    "glusterfs",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "fc",
    "azureFile",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "portworxVolume",
    "scaleIO",
    "storageos",
)

PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
LIFECYCLE_HANDLERS = ("postStart", "preStop")
HOST_HANDLERS = ("httpGet", "tcpSocket")

_CONTAINER_KINDS = {
    "initContainers": "Init container",
    "containers": "Container",
    "ephemeralContainers": "Ephemeral container",
}


class _Container(NamedTuple):
    path: str  # spec.containers[0]
    label: str  # Container "app"
    raw: dict  # the container as written
    security: dict  # its securityContext, {} when unset or unreadable

    def field(self, *names: str) -> str:
        path = self.path
        for name in names:
            path = join(path, name)
        return path


class _Pod(NamedTuple):
    """What every check reads, gathered once from a manifest of any shape."""

    metadata: dict
    spec: dict
    security: dict  # spec.securityContext
    containers: list[_Container]
    version: PolicyVersion
    template: bool = False  # a workload's Pod template, which gets no SetDefaults_Pod

    def at_least(self, major: int, minor: int) -> bool:
        return self.version >= (major, minor)

    @property
    def is_windows(self) -> bool:
        """``spec.os.name: windows``; from policy v1.25 some restricted checks skip these Pods."""
        return as_dict(self.spec.get("os")).get("name") == "windows"

    @property
    def in_user_namespace(self) -> bool:
        """``spec.hostUsers: false``; from policy v1.35 some checks are relaxed for these Pods."""
        return self.spec.get("hostUsers") is False


def _read_pod(pod: object, version: PolicyVersion, template: bool = False) -> _Pod:
    spec = pod_spec(pod)
    containers = []
    for field, path, container in iter_containers(spec):
        name = container.get("name")
        label = f'{_CONTAINER_KINDS[field]} "{name}"' if isinstance(name, str) else path
        security = as_dict(container.get("securityContext"))
        containers.append(_Container(path, label, container, security))
    return _Pod(
        metadata=as_dict(as_dict(pod).get("metadata")),
        spec=spec,
        security=as_dict(spec.get("securityContext")),
        containers=containers,
        version=version,
        template=template,
    )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _quoted(items: list[str]) -> str:
    return ", ".join(f'"{item}"' for item in items)


def _allowed_by_version(
    table: tuple[tuple[PolicyVersion, frozenset[str]], ...], version: PolicyVersion
) -> set[str]:
    allowed: set[str] = set()
    for since, names in table:
        if version >= since:
            allowed |= names
    return allowed


POD_SECURITY_CONTEXT = "spec.securityContext"

Check = Callable[[_Pod], Iterator[Violation]]


# --- Baseline ---------------------------------------------------------------------------------


def _host_process(pod: _Pod) -> Iterator[Violation]:
    """check_windowsHostProcess.go: no HostProcess (full node access) on Windows."""
    fix = "Remove securityContext.windowsOptions.hostProcess or set it to false."
    if as_dict(pod.security.get("windowsOptions")).get("hostProcess") is True:
        yield Violation(
            "HostProcess",
            BASELINE,
            f"{POD_SECURITY_CONTEXT}.windowsOptions.hostProcess",
            "The Pod asks to run as a Windows HostProcess Pod, which gives its containers "
            "full access to the node.",
            fix,
        )
    for c in pod.containers:
        if as_dict(c.security.get("windowsOptions")).get("hostProcess") is True:
            yield Violation(
                "HostProcess",
                BASELINE,
                c.field("securityContext", "windowsOptions", "hostProcess"),
                f"{c.label} asks to run as a Windows HostProcess container, which gives it "
                "full access to the node.",
                fix,
            )


_HOST_NAMESPACES = {
    "hostNetwork": "network namespace, so it can see and listen on all of the node's interfaces",
    "hostPID": "process namespace, so it can see (and signal) every process on the node",
    "hostIPC": "IPC namespace, so it can read the shared memory of processes on the node",
}


def _host_namespaces(pod: _Pod) -> Iterator[Violation]:
    """check_hostNamespaces.go: hostNetwork, hostPID and hostIPC must not be true."""
    for field, consequence in _HOST_NAMESPACES.items():
        if pod.spec.get(field) is True:
            yield Violation(
                "Host Namespaces",
                BASELINE,
                f"spec.{field}",
                f"The Pod shares the node's {consequence} ({field}: true).",
                f"Remove spec.{field} or set it to false.",
            )


def _privileged(pod: _Pod) -> Iterator[Violation]:
    """check_privileged.go: securityContext.privileged must not be true."""
    for c in pod.containers:
        if c.security.get("privileged") is True:
            yield Violation(
                "Privileged Containers",
                BASELINE,
                c.field("securityContext", "privileged"),
                f"{c.label} runs privileged: it gets almost every power of root on the node "
                "and most isolation is turned off.",
                "Remove securityContext.privileged or set it to false; add only the "
                "capabilities the program really needs.",
            )


def _capabilities(pod: _Pod) -> Iterator[Violation]:
    """check_capabilities_baseline.go and check_capabilities_restricted.go, merged per field.

    Baseline limits ``add`` to the runtime's default set. Restricted (v1.22+, Linux Pods only from
    v1.25) also requires ``drop`` to include ALL and allows only NET_BIND_SERVICE in ``add``.
    """
    restricted = pod.at_least(1, 22) and not (pod.at_least(1, 25) and pod.is_windows)
    for c in pod.containers:
        capabilities = c.security.get("capabilities")
        if not isinstance(capabilities, dict):
            if restricted:
                yield _missing_drop_all(c)
            continue

        added = [name for name in as_list(capabilities.get("add")) if isinstance(name, str)]
        beyond_default = sorted({name for name in added if name not in BASELINE_CAPABILITIES})
        beyond_restricted = sorted({n for n in added if n != RESTRICTED_ADDABLE_CAPABILITY})
        add_path = c.field("securityContext", "capabilities", "add")
        if beyond_default:
            yield Violation(
                "Capabilities",
                BASELINE,
                add_path,
                f"{c.label} adds {_quoted(beyond_default)}, beyond the container runtime's "
                "default set of capabilities.",
                f"Remove {_quoted(beyond_default)} from securityContext.capabilities.add "
                "(restricted allows only NET_BIND_SERVICE there).",
            )
        elif restricted and beyond_restricted:
            yield Violation(
                "Capabilities",
                RESTRICTED,
                add_path,
                f"{c.label} adds {_quoted(beyond_restricted)}; restricted allows adding only "
                "NET_BIND_SERVICE.",
                "Keep only NET_BIND_SERVICE in securityContext.capabilities.add, or remove the "
                "list.",
            )

        dropped = as_list(capabilities.get("drop"))
        if restricted and DROP_ALL not in dropped:
            yield _missing_drop_all(c)


def _missing_drop_all(c: _Container) -> Violation:
    return Violation(
        "Capabilities",
        RESTRICTED,
        c.field("securityContext", "capabilities", "drop"),
        f'{c.label} does not drop "ALL" capabilities; restricted requires every container to '
        "start with none and add back only NET_BIND_SERVICE.",
        'Set securityContext.capabilities.drop: ["ALL"] on this container.',
    )


def _host_path_volumes(pod: _Pod) -> Iterator[Violation]:
    """check_hostPathVolumes.go: no hostPath volumes."""
    for index, volume in enumerate(as_list(pod.spec.get("volumes"))):
        volume = as_dict(volume)
        if volume.get("hostPath") is not None:
            yield Violation(
                "HostPath Volumes",
                BASELINE,
                f"spec.volumes[{index}].hostPath",
                f"{_volume_label(volume, index)} mounts a directory of the node (hostPath), "
                "which can expose the node's files and let the Pod escape to the node.",
                "Use an emptyDir, configMap, secret or persistentVolumeClaim volume instead of "
                "hostPath.",
            )


def _volume_label(volume: dict, index: int) -> str:
    name = volume.get("name")
    return f'Volume "{name}"' if isinstance(name, str) else f"Volume {index}"


def _host_ports(pod: _Pod) -> Iterator[Violation]:
    """check_hostPorts.go: hostPort must be unset or 0.

    With ``hostNetwork: true`` the API server sets each unset hostPort of a container or init
    container to its containerPort before admission (``defaultHostNetworkPorts``), in a Pod: a
    workload's template is judged as written (its Pods are refused for hostNetwork anyway).
    """
    host_network = pod.spec.get("hostNetwork") is True and not pod.template
    for c in pod.containers:
        defaulted = host_network and not c.path.startswith("spec.ephemeralContainers")
        for index, port in enumerate(as_list(c.raw.get("ports"))):
            host_port = as_dict(port).get("hostPort")
            if defaulted and (host_port is None or host_port == 0):
                host_port = as_dict(port).get("containerPort")
            if _is_int(host_port) and host_port != 0:
                yield Violation(
                    "Host Ports",
                    BASELINE,
                    join(join(c.field("ports"), index), "hostPort"),
                    f"{c.label} opens port {host_port} on the node itself (hostPort), which ties "
                    "the Pod to nodes where that port is free and bypasses Services.",
                    "Remove hostPort (or set it to 0) and reach the container through a Service.",
                )


def _host_probes(pod: _Pod) -> Iterator[Violation]:
    """check_hostProbesAndhostLifecycle.go (v1.34+): probes and hooks must not set a host."""
    if not pod.at_least(1, 34):
        return
    for c in pod.containers:
        handlers = [((probe,), as_dict(c.raw.get(probe))) for probe in PROBES]
        lifecycle = as_dict(c.raw.get("lifecycle"))
        handlers += [
            (("lifecycle", hook), as_dict(lifecycle.get(hook))) for hook in LIFECYCLE_HANDLERS
        ]
        for names, handler in handlers:
            for kind in HOST_HANDLERS:
                host = as_dict(handler.get(kind)).get("host")
                if isinstance(host, str) and host:
                    where = ".".join(names)
                    yield Violation(
                        "Host Probes / Lifecycle Hooks",
                        BASELINE,
                        c.field(*names, kind, "host"),
                        f'{c.label} points its {where} at host "{host}"; the kubelet would '
                        "connect there from the node, so the field could reach machines the Pod "
                        "itself cannot.",
                        f"Remove {where}.{kind}.host so the kubelet checks the Pod's own IP.",
                    )


def _apparmor(pod: _Pod) -> Iterator[Violation]:
    """check_appArmorProfile.go: the appArmorProfile field and the beta annotations."""
    fix = "Set appArmorProfile.type to RuntimeDefault (or Localhost with a profile), or remove it."
    sources = [("The Pod", POD_SECURITY_CONTEXT, pod.security)]
    sources += [(c.label, c.field("securityContext"), c.security) for c in pod.containers]
    for label, path, security in sources:
        profile = security.get("appArmorProfile")
        if isinstance(profile, dict) and profile.get("type") not in ALLOWED_PROFILE_TYPES:
            value = profile.get("type")
            yield Violation(
                "AppArmor",
                BASELINE,
                f"{path}.appArmorProfile.type",
                f'{label} sets appArmorProfile.type to "{value or ""}", which turns off '
                "AppArmor; only RuntimeDefault and Localhost are allowed.",
                fix,
            )
    for key, value in as_dict(pod.metadata.get("annotations")).items():
        if not (isinstance(key, str) and key.startswith(APPARMOR_ANNOTATION_PREFIX)):
            continue
        if not isinstance(value, str) or _allowed_apparmor_annotation(value):
            continue
        yield Violation(
            "AppArmor",
            BASELINE,
            join_key("metadata.annotations", key),
            f'The annotation {key} is "{value}"; only runtime/default and localhost/<profile> '
            "are allowed.",
            "Set the annotation to runtime/default, or remove it and set "
            "securityContext.appArmorProfile.type: RuntimeDefault.",
        )


def _allowed_apparmor_annotation(value: str) -> bool:
    return value in ("", "runtime/default") or value.startswith("localhost/")


def _selinux(pod: _Pod) -> Iterator[Violation]:
    """check_seLinuxOptions.go: type from an allowed set; user and role never set."""
    allowed = _allowed_by_version(SELINUX_TYPES_BY_VERSION, pod.version)
    allowed_text = ", ".join(sorted(t for t in allowed if t))
    sources = [("The Pod", POD_SECURITY_CONTEXT, pod.security)]
    sources += [(c.label, c.field("securityContext"), c.security) for c in pod.containers]
    for label, path, security in sources:
        options = security.get("seLinuxOptions")
        if not isinstance(options, dict):
            continue
        selinux_type = options.get("type")
        if isinstance(selinux_type, str) and selinux_type not in allowed:
            yield Violation(
                "SELinux",
                BASELINE,
                f"{path}.seLinuxOptions.type",
                f'{label} sets the SELinux type "{selinux_type}"; baseline allows only '
                f"{allowed_text}.",
                "Remove seLinuxOptions.type, or use container_t.",
            )
        for field in ("user", "role"):
            value = options.get(field)
            if isinstance(value, str) and value:
                yield Violation(
                    "SELinux",
                    BASELINE,
                    f"{path}.seLinuxOptions.{field}",
                    f'{label} sets a custom SELinux {field} ("{value}"), which is forbidden.',
                    f"Remove seLinuxOptions.{field}.",
                )


def _proc_mount(pod: _Pod) -> Iterator[Violation]:
    """check_procMount_baseline.go and check_procMount_restricted.go.

    Only ``Default`` is allowed. From v1.35 baseline allows any value for Pods in a user namespace
    (``hostUsers: false``); restricted still does not.
    """
    relaxed = pod.at_least(1, 35) and pod.in_user_namespace
    for c in pod.containers:
        proc_mount = c.security.get("procMount")
        if isinstance(proc_mount, str) and proc_mount != "Default":
            level = RESTRICTED if relaxed else BASELINE
            note = (
                " Baseline allows it because the Pod runs in a user namespace; restricted does not."
                if relaxed
                else ""
            )
            yield Violation(
                "/proc Mount Type",
                level,
                c.field("securityContext", "procMount"),
                f'{c.label} sets procMount to "{proc_mount}", which unmasks kernel files that '
                f"/proc normally hides.{note}",
                "Remove securityContext.procMount or set it to Default.",
            )


def _seccomp(pod: _Pod) -> Iterator[Violation]:
    """check_seccompProfile_baseline.go and check_seccompProfile_restricted.go, merged.

    Baseline forbids any profile type but RuntimeDefault and Localhost (Unconfined, mostly).
    Restricted (v1.19+, Linux Pods only from v1.25) also requires a profile: every container must
    set one, or inherit a valid one from the Pod's securityContext.
    """
    if not pod.at_least(1, 19):
        yield from _seccomp_annotations(pod)
        return
    restricted = not (pod.at_least(1, 25) and pod.is_windows)
    fix = "Set seccompProfile.type: RuntimeDefault (or Localhost with a profile)."

    pod_profile = pod.security.get("seccompProfile")
    pod_sets_one = isinstance(pod_profile, dict)
    if pod_sets_one and pod_profile.get("type") not in ALLOWED_PROFILE_TYPES:
        yield _bad_seccomp("The Pod", POD_SECURITY_CONTEXT, pod_profile.get("type"), fix)

    for c in pod.containers:
        profile = c.security.get("seccompProfile")
        if isinstance(profile, dict):
            if profile.get("type") not in ALLOWED_PROFILE_TYPES:
                path = c.field("securityContext")
                yield _bad_seccomp(c.label, path, profile.get("type"), fix)
        elif restricted and not pod_sets_one:
            yield Violation(
                "Seccomp",
                RESTRICTED,
                c.field("securityContext", "seccompProfile", "type"),
                f"{c.label} has no seccomp profile and the Pod sets none either; restricted "
                "requires RuntimeDefault or Localhost so that the system calls it can make are "
                "filtered.",
                "Set spec.securityContext.seccompProfile.type: RuntimeDefault once for the whole "
                "Pod (or set it on this container).",
            )


def _bad_seccomp(label: str, path: str, value: object, fix: str) -> Violation:
    return Violation(
        "Seccomp",
        BASELINE,
        f"{path}.seccompProfile.type",
        f'{label} sets seccompProfile.type to "{value or ""}"; only RuntimeDefault and '
        "Localhost are allowed (Unconfined turns off system call filtering).",
        fix,
    )


def _seccomp_annotations(pod: _Pod) -> Iterator[Violation]:
    """Before policy v1.19, baseline read the alpha seccomp annotations instead of the field."""
    annotations = as_dict(pod.metadata.get("annotations"))
    keys = [SECCOMP_POD_ANNOTATION]
    for c in pod.containers:
        name = c.raw.get("name")
        if isinstance(name, str):
            keys.append(SECCOMP_CONTAINER_ANNOTATION_PREFIX + name)
    for key in keys:
        value = annotations.get(key)
        if not isinstance(value, str):
            continue
        if value in ("runtime/default", "docker/default") or value.startswith("localhost/"):
            continue
        yield Violation(
            "Seccomp",
            BASELINE,
            join_key("metadata.annotations", key),
            f'The annotation {key} is "{value}"; only runtime/default, docker/default and '
            "localhost/<profile> are allowed.",
            "Set the annotation to runtime/default.",
        )


def _sysctls(pod: _Pod) -> Iterator[Violation]:
    """check_sysctls.go: only the safe, namespaced sysctls of the policy version."""
    safe = _allowed_by_version(SAFE_SYSCTLS_BY_VERSION, pod.version)
    for index, sysctl in enumerate(as_list(pod.security.get("sysctls"))):
        if not isinstance(sysctl, dict):
            continue
        name = sysctl.get("name")
        if isinstance(name, str) and name in safe:
            continue
        yield Violation(
            "Sysctls",
            BASELINE,
            f"{POD_SECURITY_CONTEXT}.sysctls[{index}].name",
            f'The Pod sets the sysctl "{name}", which is not in the safe set; other sysctls can '
            "change the kernel for every Pod on the node.",
            f"Remove it, or use one of the safe sysctls: {', '.join(sorted(safe))}.",
        )


# --- Restricted -------------------------------------------------------------------------------


def _volume_types(pod: _Pod) -> Iterator[Violation]:
    """check_restrictedVolumes.go: only core volume types (hostPath is reported as baseline).

    A volume with no source at all is defaulted to emptyDir by the API server before admission,
    so it passes.
    """
    allowed_text = ", ".join(RESTRICTED_VOLUME_TYPES)
    for index, volume in enumerate(as_list(pod.spec.get("volumes"))):
        volume = as_dict(volume)
        if any(volume.get(kind) is not None for kind in RESTRICTED_VOLUME_TYPES):
            continue
        kind = next((k for k in OTHER_VOLUME_TYPES if volume.get(k) is not None), None)
        if kind is None or kind == "hostPath":
            continue
        yield Violation(
            "Volume Types",
            RESTRICTED,
            f"spec.volumes[{index}].{kind}",
            f"{_volume_label(volume, index)} is of type {kind}; restricted allows only "
            f"{allowed_text}.",
            f"Use a persistentVolumeClaim (with a PersistentVolume for the {kind} storage) "
            "instead.",
        )


def _privilege_escalation(pod: _Pod) -> Iterator[Violation]:
    """check_allowPrivilegeEscalation.go (v1.8+, Linux Pods only from v1.25): must be false."""
    if not pod.at_least(1, 8) or (pod.at_least(1, 25) and pod.is_windows):
        return
    for c in pod.containers:
        value = c.security.get("allowPrivilegeEscalation")
        if value is False:
            continue
        problem = "allows" if value is True else "does not forbid"
        yield Violation(
            "Privilege Escalation",
            RESTRICTED,
            c.field("securityContext", "allowPrivilegeEscalation"),
            f"{c.label} {problem} privilege escalation, so a process could gain more privileges "
            "than its parent (for example through a setuid binary).",
            "Set securityContext.allowPrivilegeEscalation: false on this container.",
        )


def _run_as_non_root(pod: _Pod) -> Iterator[Violation]:
    """check_runAsNonRoot.go: runAsNonRoot true on the Pod or on every container.

    A container may leave it unset when the Pod sets true; nobody may set false. From v1.35
    Pods in a user namespace (``hostUsers: false``) are exempt: their root is not the node's.
    """
    if pod.at_least(1, 35) and pod.in_user_namespace:
        return
    pod_value = pod.security.get("runAsNonRoot")
    if pod_value is False:
        yield Violation(
            "Running as Non-root",
            RESTRICTED,
            f"{POD_SECURITY_CONTEXT}.runAsNonRoot",
            "The Pod sets runAsNonRoot: false, allowing its containers to run as root.",
            "Set spec.securityContext.runAsNonRoot: true.",
        )
    for c in pod.containers:
        value = c.security.get("runAsNonRoot")
        path = c.field("securityContext", "runAsNonRoot")
        if value is False:
            yield Violation(
                "Running as Non-root",
                RESTRICTED,
                path,
                f"{c.label} sets runAsNonRoot: false, allowing it to run as root.",
                "Set securityContext.runAsNonRoot: true on this container, or remove it and set "
                "it once on the Pod.",
            )
        elif value is not True and not isinstance(pod_value, bool):
            yield Violation(
                "Running as Non-root",
                RESTRICTED,
                path,
                f"Neither {c.label} nor the Pod sets runAsNonRoot: true, so the image may run "
                "as root.",
                "Set spec.securityContext.runAsNonRoot: true once for the whole Pod (or set it "
                "on this container).",
            )


def _run_as_user(pod: _Pod) -> Iterator[Violation]:
    """check_runAsUser.go (v1.23+): runAsUser must not be 0; exempt in a user namespace (v1.35+)."""
    if not pod.at_least(1, 23) or (pod.at_least(1, 35) and pod.in_user_namespace):
        return
    sources = [("The Pod", POD_SECURITY_CONTEXT, pod.security)]
    sources += [(c.label, c.field("securityContext"), c.security) for c in pod.containers]
    for label, path, security in sources:
        value = security.get("runAsUser")
        if _is_int(value) and value == 0:
            yield Violation(
                "Running as Non-root user",
                RESTRICTED,
                f"{path}.runAsUser",
                f"{label} sets runAsUser: 0, which is root.",
                "Set runAsUser to a non-zero user ID such as 1000, or remove it.",
            )


# The controls in the order of the Pod Security Standards page, per level.
CONTROL_ORDER = {
    BASELINE: (
        "HostProcess",
        "Host Namespaces",
        "Privileged Containers",
        "Capabilities",
        "HostPath Volumes",
        "Host Ports",
        "Host Probes / Lifecycle Hooks",
        "AppArmor",
        "SELinux",
        "/proc Mount Type",
        "Seccomp",
        "Sysctls",
    ),
    RESTRICTED: (
        "Volume Types",
        "Privilege Escalation",
        "Running as Non-root",
        "Running as Non-root user",
        "Seccomp",
        "Capabilities",
        "/proc Mount Type",
    ),
}

CHECKS: tuple[Check, ...] = (
    _host_process,
    _host_namespaces,
    _privileged,
    _capabilities,
    _host_path_volumes,
    _host_ports,
    _host_probes,
    _apparmor,
    _selinux,
    _proc_mount,
    _seccomp,
    _sysctls,
    _volume_types,
    _privilege_escalation,
    _run_as_non_root,
    _run_as_user,
)


def evaluate_pss(
    pod: dict, version: PolicyVersion = LATEST, *, template: bool = False
) -> PssResult:
    """The highest level the Pod meets and every field that keeps it from restricted.
    ``template``: the Pod template of a workload, as Pod Security Admission warns on it.

    Violations come baseline first, then restricted, each group in the standard's order.
    """
    context = _read_pod(as_go_reads_it(pod), version, template)  # capabilities.add: [null]
    violations = [violation for check in CHECKS for violation in check(context)]
    violations.sort(key=_display_order)
    if any(violation.level == BASELINE for violation in violations):
        level = "privileged"
    elif violations:
        level = BASELINE
    else:
        level = RESTRICTED
    return PssResult(level, violations)


def _display_order(violation: Violation) -> tuple[int, int]:
    order = CONTROL_ORDER[violation.level]
    position = order.index(violation.control) if violation.control in order else len(order)
    return (violation.level != BASELINE, position)


def blocking_next_level(result: PssResult) -> list[Violation]:
    """The violations to fix to reach the next level up (none once the Pod is restricted)."""
    index = LEVELS.index(result.level)
    if index + 1 >= len(LEVELS):
        return []
    next_level = LEVELS[index + 1]
    return [violation for violation in result.violations if violation.level == next_level]
