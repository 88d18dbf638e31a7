"""Pod Security Standards, checked against the rules of Kubernetes' pod-security-admission.

Cases are taken from ``k8s.io/pod-security-admission/policy/check_*.go`` (Kubernetes v1.37.2)
and the ``_test.go`` fixtures next to them, rewritten as manifests. Each case starts from a Pod
that meets restricted, changes one thing, and states which (level, path) pairs the control must
report.
"""

import copy

import pytest

from podstudio.engine.admission.pss import LATEST, blocking_next_level, evaluate_pss
from podstudio.engine.analyze import analyze
from podstudio.engine.kinds import wrap
from podstudio.engine.results import LEVELS

B, R = "baseline", "restricted"


def secure_container(name: str = "a", **security) -> dict:
    """A container that meets restricted when its Pod sets runAsNonRoot and seccomp."""
    context = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}
    context.update(security)
    return {"name": name, "image": "busybox", "securityContext": context}


def secure_pod(*containers: dict, **spec) -> dict:
    body = {
        "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
        "containers": list(containers) or [secure_container()],
    }
    body.update(spec)
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": body}


def with_pod_security(pod: dict, **security) -> dict:
    pod = copy.deepcopy(pod)
    pod["spec"]["securityContext"].update(security)
    return pod


def reported(pod: dict, control: str, version=LATEST) -> list[tuple[str, str]]:
    result = evaluate_pss(pod, version)
    return [(v.level, v.path) for v in result.violations if v.control == control]


C0 = "spec.containers[0]"
C1 = "spec.containers[1]"
SC = "spec.securityContext"


def test_the_secure_starting_point_meets_restricted():
    assert evaluate_pss(secure_pod()).level == "restricted"


# --- HostProcess (check_windowsHostProcess.go) -------------------------------------------------

HOST_PROCESS_CASES = [
    (
        "pod sets hostProcess",
        with_pod_security(secure_pod(), windowsOptions={"hostProcess": True}),
        [(B, f"{SC}.windowsOptions.hostProcess")],
    ),
    (
        "container sets hostProcess",
        secure_pod(secure_container(windowsOptions={"hostProcess": True})),
        [(B, f"{C0}.securityContext.windowsOptions.hostProcess")],
    ),
    (
        "init container sets hostProcess",
        secure_pod(
            secure_container(),
            initContainers=[secure_container("i", windowsOptions={"hostProcess": True})],
        ),
        [(B, "spec.initContainers[0].securityContext.windowsOptions.hostProcess")],
    ),
    (
        "hostProcess false is allowed",
        secure_pod(secure_container(windowsOptions={"hostProcess": False})),
        [],
    ),
]


@pytest.mark.parametrize(
    ("pod", "expected"),
    [case[1:] for case in HOST_PROCESS_CASES],
    ids=[case[0] for case in HOST_PROCESS_CASES],
)
def test_host_process(pod, expected):
    assert reported(pod, "HostProcess") == expected


# --- Host Namespaces (check_hostNamespaces.go) -------------------------------------------------

HOST_NAMESPACE_CASES = [
    ("hostNetwork", secure_pod(hostNetwork=True), [(B, "spec.hostNetwork")]),
    ("hostPID", secure_pod(hostPID=True), [(B, "spec.hostPID")]),
    ("hostIPC", secure_pod(hostIPC=True), [(B, "spec.hostIPC")]),
    (
        "all three",
        secure_pod(hostNetwork=True, hostPID=True, hostIPC=True),
        [(B, "spec.hostNetwork"), (B, "spec.hostPID"), (B, "spec.hostIPC")],
    ),
    ("false is allowed", secure_pod(hostNetwork=False, hostPID=False, hostIPC=False), []),
]


@pytest.mark.parametrize(
    ("pod", "expected"),
    [case[1:] for case in HOST_NAMESPACE_CASES],
    ids=[case[0] for case in HOST_NAMESPACE_CASES],
)
def test_host_namespaces(pod, expected):
    assert reported(pod, "Host Namespaces") == expected


# --- Privileged Containers (check_privileged.go) -----------------------------------------------

PRIVILEGED_CASES = [
    (
        "container",
        secure_pod(secure_container("a"), secure_container("b", privileged=True)),
        [(B, f"{C1}.securityContext.privileged")],
    ),
    (
        "init container",
        secure_pod(initContainers=[secure_container("i", privileged=True)]),
        [(B, "spec.initContainers[0].securityContext.privileged")],
    ),
    (
        "ephemeral container",
        secure_pod(ephemeralContainers=[secure_container("debug", privileged=True)]),
        [(B, "spec.ephemeralContainers[0].securityContext.privileged")],
    ),
    ("false is allowed", secure_pod(secure_container(privileged=False)), []),
]


@pytest.mark.parametrize(
    ("pod", "expected"),
    [case[1:] for case in PRIVILEGED_CASES],
    ids=[case[0] for case in PRIVILEGED_CASES],
)
def test_privileged_containers(pod, expected):
    assert reported(pod, "Privileged Containers") == expected


# --- Capabilities (check_capabilities_baseline.go, check_capabilities_restricted.go) -----------

ADD = f"{C0}.securityContext.capabilities.add"
DROP = f"{C0}.securityContext.capabilities.drop"
WINDOWS = {"name": "windows"}


def caps(add=None, drop=("ALL",)) -> dict:
    capabilities = {"drop": list(drop)}
    if add is not None:
        capabilities["add"] = add
    return capabilities


CAPABILITY_CASES = [
    ("drop ALL, add nothing", secure_pod(secure_container(capabilities=caps())), []),
    (
        "add NET_BIND_SERVICE is the one restricted allows",
        secure_pod(secure_container(capabilities=caps(add=["NET_BIND_SERVICE"]))),
        [],
    ),
    (
        "add SYS_ADMIN is beyond the default set",
        secure_pod(secure_container(capabilities=caps(add=["SYS_ADMIN"]))),
        [(B, ADD)],
    ),
    (
        "add NET_RAW is not in baseline's default set",
        secure_pod(secure_container(capabilities=caps(add=["NET_RAW"]))),
        [(B, ADD)],
    ),
    (
        "add CAP_ prefixed name is not the same capability",
        secure_pod(secure_container(capabilities=caps(add=["CAP_CHOWN"]))),
        [(B, ADD)],
    ),
    (
        # Go decodes a null entry as "": not a capability of the default set (the sandbox's
        # Pod Security Admission: must not include "" in securityContext.capabilities.add)
        "add a null entry",
        secure_pod(secure_container(capabilities=caps(add=[None]))),
        [(B, ADD)],
    ),
    (
        "drop a null entry next to ALL",
        secure_pod(secure_container(capabilities=caps(drop=[None, "ALL"]))),
        [],
    ),
    (
        "add a default capability passes baseline, fails restricted",
        secure_pod(secure_container(capabilities=caps(add=["CHOWN", "KILL"]))),
        [(R, ADD)],
    ),
    (
        "no capabilities at all: restricted needs drop ALL",
        secure_pod(
            {"name": "a", "image": "i", "securityContext": {"allowPrivilegeEscalation": False}}
        ),
        [(R, DROP)],
    ),
    (
        "no securityContext at all",
        secure_pod({"name": "a", "image": "i"}),
        [(R, DROP)],
    ),
    (
        "drop without ALL",
        secure_pod(secure_container(capabilities=caps(drop=["NET_RAW"]))),
        [(R, DROP)],
    ),
    (
        "drop all in lowercase does not count",
        secure_pod(secure_container(capabilities=caps(drop=["all"]))),
        [(R, DROP)],
    ),
    (
        "add SYS_ADMIN without drop ALL: two fields, two levels",
        secure_pod(secure_container(capabilities={"add": ["SYS_ADMIN"]})),
        [(B, ADD), (R, DROP)],
    ),
    (
        "windows Pod is exempt from the restricted part",
        secure_pod({"name": "a", "image": "i"}, os=WINDOWS),
        [],
    ),
    (
        "windows Pod still may not add beyond the default set",
        secure_pod(secure_container(capabilities={"add": ["SYS_ADMIN"]}), os=WINDOWS),
        [(B, ADD)],
    ),
    (
        "init containers are checked too",
        secure_pod(initContainers=[{"name": "i", "image": "i"}]),
        [(R, "spec.initContainers[0].securityContext.capabilities.drop")],
    ),
]


@pytest.mark.parametrize(
    ("pod", "expected"),
    [case[1:] for case in CAPABILITY_CASES],
    ids=[case[0] for case in CAPABILITY_CASES],
)
def test_capabilities(pod, expected):
    assert sorted(reported(pod, "Capabilities")) == sorted(expected)


def test_capabilities_restricted_part_starts_at_policy_1_22_and_windows_exemption_at_1_25():
    bare = secure_pod({"name": "a", "image": "i"})
    windows = secure_pod({"name": "a", "image": "i"}, os=WINDOWS)
    assert reported(bare, "Capabilities", (1, 21)) == []
    assert reported(bare, "Capabilities", (1, 22)) == [(R, DROP)]
    assert reported(windows, "Capabilities", (1, 24)) == [(R, DROP)]
    assert reported(windows, "Capabilities", (1, 25)) == []


# --- HostPath Volumes and Volume Types (check_hostPathVolumes.go, check_restrictedVolumes.go) --

ALLOWED_VOLUME_SOURCES = [
    "emptyDir",
    "secret",
    "persistentVolumeClaim",
    "downwardAPI",
    "configMap",
    "projected",
    "csi",
    "ephemeral",
    "image",
]
RESTRICTED_VOLUME_SOURCES = [
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
]


@pytest.mark.parametrize("source", ALLOWED_VOLUME_SOURCES)
def test_restricted_allows_core_volume_types(source):
    pod = secure_pod(volumes=[{"name": "v", source: {}}])
    assert evaluate_pss(pod).violations == []


@pytest.mark.parametrize("source", RESTRICTED_VOLUME_SOURCES)
def test_restricted_forbids_other_volume_types(source):
    pod = secure_pod(volumes=[{"name": "ok", "emptyDir": {}}, {"name": "v", source: {}}])
    assert reported(pod, "Volume Types") == [(R, f"spec.volumes[1].{source}")]
    assert evaluate_pss(pod).level == "baseline"


def test_host_path_volume_is_a_baseline_violation_reported_once():
    pod = secure_pod(volumes=[{"name": "host", "hostPath": {"path": "/var/log"}}])
    result = evaluate_pss(pod)
    assert [(v.control, v.level, v.path) for v in result.violations] == [
        ("HostPath Volumes", B, "spec.volumes[0].hostPath")
    ]
    assert result.level == "privileged"


def test_volume_without_a_source_is_defaulted_to_empty_dir_and_passes():
    # The API server defaults a volume with no source to emptyDir before admission runs.
    pod = secure_pod(volumes=[{"name": "scratch"}])
    assert evaluate_pss(pod).violations == []


# --- Host Ports (check_hostPorts.go) -----------------------------------------------------------

HOST_PORT_CASES = [
    (
        "hostPort set",
        secure_pod(
            secure_container(),
            secure_container("b")
            | {"ports": [{"containerPort": 80}, {"containerPort": 8080, "hostPort": 8080}]},
        ),
        [(B, f"{C1}.ports[1].hostPort")],
    ),
    (
        "hostPort 0 means none",
        secure_pod(secure_container() | {"ports": [{"containerPort": 80, "hostPort": 0}]}),
        [],
    ),
    (
        "init container hostPort",
        secure_pod(initContainers=[secure_container("i") | {"ports": [{"hostPort": 53}]}]),
        [(B, "spec.initContainers[0].ports[0].hostPort")],
    ),
]


@pytest.mark.parametrize(
    ("pod", "expected"),
    [case[1:] for case in HOST_PORT_CASES],
    ids=[case[0] for case in HOST_PORT_CASES],
)
def test_host_ports(pod, expected):
    assert reported(pod, "Host Ports") == expected


# --- Host Probes / Lifecycle Hooks (check_hostProbesAndhostLifecycle.go, v1.34+) ---------------


def probe_host(**fields) -> dict:
    return secure_pod(secure_container() | fields)


HOST_PROBE_CASES = [
    (
        "hosts unset",
        probe_host(
            livenessProbe={"httpGet": {"port": 80}},
            readinessProbe={"tcpSocket": {"port": 80}},
            lifecycle={"postStart": {"httpGet": {"port": 80}}},
        ),
        [],
    ),
    (
        "httpGet host in liveness probe",
        probe_host(livenessProbe={"httpGet": {"host": "invalid.host", "port": 80}}),
        [(B, f"{C0}.livenessProbe.httpGet.host")],
    ),
    (
        "tcpSocket host in readiness probe",
        probe_host(readinessProbe={"tcpSocket": {"host": "invalid.host", "port": 80}}),
        [(B, f"{C0}.readinessProbe.tcpSocket.host")],
    ),
    (
        "httpGet host in startup probe",
        probe_host(startupProbe={"httpGet": {"host": "8.8.8.8", "port": 80}}),
        [(B, f"{C0}.startupProbe.httpGet.host")],
    ),
    (
        "tcpSocket host in postStart",
        probe_host(lifecycle={"postStart": {"tcpSocket": {"host": "invalid.host", "port": 1}}}),
        [(B, f"{C0}.lifecycle.postStart.tcpSocket.host")],
    ),
    (
        "httpGet host in preStop",
        probe_host(lifecycle={"preStop": {"httpGet": {"host": "a.com", "port": 1}}}),
        [(B, f"{C0}.lifecycle.preStop.httpGet.host")],
    ),
    (
        "loopback addresses are forbidden too",
        probe_host(
            livenessProbe={"httpGet": {"host": "127.0.0.1", "port": 80}},
            readinessProbe={"tcpSocket": {"host": "::1", "port": 80}},
            startupProbe={"httpGet": {"host": "localhost", "port": 80}},
        ),
        [
            (B, f"{C0}.livenessProbe.httpGet.host"),
            (B, f"{C0}.readinessProbe.tcpSocket.host"),
            (B, f"{C0}.startupProbe.httpGet.host"),
        ],
    ),
    (
        "init container",
        secure_pod(
            initContainers=[
                secure_container("i") | {"livenessProbe": {"httpGet": {"host": "x", "port": 1}}}
            ]
        ),
        [(B, "spec.initContainers[0].livenessProbe.httpGet.host")],
    ),
]


@pytest.mark.parametrize(
    ("pod", "expected"),
    [case[1:] for case in HOST_PROBE_CASES],
    ids=[case[0] for case in HOST_PROBE_CASES],
)
def test_host_probes_and_lifecycle_hooks(pod, expected):
    assert reported(pod, "Host Probes / Lifecycle Hooks") == expected


def test_host_probes_are_only_checked_from_policy_1_34():
    pod = probe_host(startupProbe={"httpGet": {"host": "localhost", "port": 80}})
    assert reported(pod, "Host Probes / Lifecycle Hooks", (1, 33)) == []
    assert reported(pod, "Host Probes / Lifecycle Hooks", (1, 34)) != []


# --- AppArmor (check_appArmorProfile.go) -------------------------------------------------------

PREFIX = "container.apparmor.security.beta.kubernetes.io/"


def annotated(annotations: dict) -> dict:
    pod = secure_pod()
    pod["metadata"]["annotations"] = annotations
    return pod


APPARMOR_CASES = [
    (
        "annotations: upstream fixture",
        annotated(
            {
                PREFIX: "bogus",
                PREFIX + "a": "",
                PREFIX + "b": "runtime/default",
                PREFIX + "c": "localhost/",
                PREFIX + "d": "localhost/foo",
                PREFIX + "e": "unconfined",
                PREFIX + "f": "unknown",
                PREFIX + "g": "localhostfoo",
                "env": "prod",
            }
        ),
        [
            (B, f"metadata.annotations[{PREFIX}]"),
            (B, f"metadata.annotations[{PREFIX}e]"),
            (B, f"metadata.annotations[{PREFIX}f]"),
            (B, f"metadata.annotations[{PREFIX}g]"),
        ],
    ),
    (
        "pod field Unconfined",
        with_pod_security(secure_pod(), appArmorProfile={"type": "Unconfined"}),
        [(B, f"{SC}.appArmorProfile.type")],
    ),
    (
        "container field Unconfined",
        secure_pod(secure_container(appArmorProfile={"type": "Unconfined"})),
        [(B, f"{C0}.securityContext.appArmorProfile.type")],
    ),
    (
        "RuntimeDefault and Localhost are allowed",
        secure_pod(
            secure_container("a", appArmorProfile={"type": "RuntimeDefault"}),
            secure_container("b", appArmorProfile={"type": "Localhost", "localhostProfile": "x"}),
        ),
        [],
    ),
]


@pytest.mark.parametrize(
    ("pod", "expected"),
    [case[1:] for case in APPARMOR_CASES],
    ids=[case[0] for case in APPARMOR_CASES],
)
def test_apparmor(pod, expected):
    assert reported(pod, "AppArmor") == expected


# --- SELinux (check_seLinuxOptions.go) ---------------------------------------------------------


def selinux_container(name: str, **options) -> dict:
    return secure_container(name, seLinuxOptions=options)


SELINUX_CASES = [
    (
        "upstream fixture: invalid pod and containers",
        with_pod_security(
            secure_pod(
                selinux_container("a", type="container_t"),
                selinux_container("b", type="container_init_t"),
                selinux_container("c", type="container_kvm_t"),
                selinux_container("d", type="container_engine_t"),
                selinux_container("e", type="bar"),
                selinux_container("f", user="bar"),
                selinux_container("g", role="baz"),
            ),
            seLinuxOptions={"type": "foo", "user": "bar", "role": "baz"},
        ),
        [
            (B, f"{SC}.seLinuxOptions.type"),
            (B, f"{SC}.seLinuxOptions.user"),
            (B, f"{SC}.seLinuxOptions.role"),
            (B, "spec.containers[4].securityContext.seLinuxOptions.type"),
            (B, "spec.containers[5].securityContext.seLinuxOptions.user"),
            (B, "spec.containers[6].securityContext.seLinuxOptions.role"),
        ],
    ),
    (
        "level alone is fine",
        secure_pod(selinux_container("a", level="s0:c123,c456")),
        [],
    ),
    (
        "empty options are fine",
        with_pod_security(secure_pod(), seLinuxOptions={}),
        [],
    ),
]


@pytest.mark.parametrize(
    ("pod", "expected"),
    [case[1:] for case in SELINUX_CASES],
    ids=[case[0] for case in SELINUX_CASES],
)
def test_selinux(pod, expected):
    assert reported(pod, "SELinux") == expected


def test_selinux_container_engine_t_is_allowed_from_policy_1_31():
    pod = secure_pod(selinux_container("a", type="container_engine_t"))
    path = f"{C0}.securityContext.seLinuxOptions.type"
    assert reported(pod, "SELinux", (1, 30)) == [(B, path)]
    assert reported(pod, "SELinux", (1, 31)) == []


# --- /proc Mount Type (check_procMount_baseline.go, check_procMount_restricted.go) -------------

PROC = f"{C0}.securityContext.procMount"
PROC_MOUNT_CASES = [
    ("Default is allowed", secure_pod(secure_container(procMount="Default")), LATEST, []),
    ("Unmasked", secure_pod(secure_container(procMount="Unmasked")), LATEST, [(B, PROC)]),
    (
        "Unmasked in a user namespace passes baseline, not restricted",
        secure_pod(secure_container(procMount="Unmasked"), hostUsers=False),
        LATEST,
        [(R, PROC)],
    ),
    (
        "before v1.35 the user namespace did not matter",
        secure_pod(secure_container(procMount="Unmasked"), hostUsers=False),
        (1, 34),
        [(B, PROC)],
    ),
    (
        "hostUsers true is no relaxation",
        secure_pod(secure_container(procMount="Unmasked"), hostUsers=True),
        LATEST,
        [(B, PROC)],
    ),
]


@pytest.mark.parametrize(
    ("pod", "version", "expected"),
    [case[1:] for case in PROC_MOUNT_CASES],
    ids=[case[0] for case in PROC_MOUNT_CASES],
)
def test_proc_mount(pod, version, expected):
    assert reported(pod, "/proc Mount Type", version) == expected


# --- Seccomp (check_seccompProfile_baseline.go, check_seccompProfile_restricted.go) ------------


def pod_without_seccomp(*containers, **spec) -> dict:
    pod = secure_pod(*containers, **spec)
    del pod["spec"]["securityContext"]["seccompProfile"]
    return pod


SECCOMP = "securityContext.seccompProfile.type"
SECCOMP_CASES = [
    ("pod RuntimeDefault covers containers", secure_pod(), []),
    (
        "pod Localhost covers containers",
        with_pod_security(
            secure_pod(), seccompProfile={"type": "Localhost", "localhostProfile": "p.json"}
        ),
        [],
    ),
    (
        "pod Unconfined",
        with_pod_security(secure_pod(), seccompProfile={"type": "Unconfined"}),
        [(B, f"{SC}.seccompProfile.type")],
    ),
    (
        "container Unconfined overrides a good pod profile",
        secure_pod(secure_container(seccompProfile={"type": "Unconfined"})),
        [(B, f"{C0}.{SECCOMP}")],
    ),
    (
        "no pod profile: each container must set one",
        pod_without_seccomp(
            secure_container("a", seccompProfile={"type": "RuntimeDefault"}),
            secure_container("b"),
        ),
        [(R, f"{C1}.{SECCOMP}")],
    ),
    (
        "upstream fixture: containers c and d set Unconfined under a good pod profile",
        secure_pod(
            {"name": "a", "image": "i"},
            secure_container("b"),
            secure_container("c", seccompProfile={"type": "Unconfined"}),
            secure_container("d", seccompProfile={"type": "Unconfined"}),
            secure_container("e", seccompProfile={"type": "RuntimeDefault"}),
        ),
        [(B, f"spec.containers[2].{SECCOMP}"), (B, f"spec.containers[3].{SECCOMP}")],
    ),
    (
        "pod Unconfined is reported once, not again for containers that inherit it",
        with_pod_security(
            secure_pod(secure_container("a"), secure_container("b")),
            seccompProfile={"type": "Unconfined"},
        ),
        [(B, f"{SC}.seccompProfile.type")],
    ),
    (
        "linux Pod is not exempt",
        pod_without_seccomp(secure_container(), os={"name": "linux"}),
        [(R, f"{C0}.{SECCOMP}")],
    ),
    (
        "windows Pod is exempt from requiring a profile",
        pod_without_seccomp(secure_container(), os=WINDOWS),
        [],
    ),
    (
        "windows Pod still may not set Unconfined",
        pod_without_seccomp(secure_container(seccompProfile={"type": "Unconfined"}), os=WINDOWS),
        [(B, f"{C0}.{SECCOMP}")],
    ),
]


@pytest.mark.parametrize(
    ("pod", "expected"),
    [case[1:] for case in SECCOMP_CASES],
    ids=[case[0] for case in SECCOMP_CASES],
)
def test_seccomp(pod, expected):
    assert reported(pod, "Seccomp") == expected


def test_seccomp_before_policy_1_19_reads_the_alpha_annotations():
    pod = pod_without_seccomp(secure_container("a"))
    pod["metadata"]["annotations"] = {
        "seccomp.security.alpha.kubernetes.io/pod": "unconfined",
        "container.seccomp.security.alpha.kubernetes.io/a": "docker/default",
    }
    assert reported(pod, "Seccomp", (1, 18)) == [
        (B, "metadata.annotations[seccomp.security.alpha.kubernetes.io/pod]")
    ]
    # From v1.19 the field is what counts: the annotations are ignored and the profile is missing.
    assert reported(pod, "Seccomp", (1, 19)) == [(R, f"{C0}.{SECCOMP}")]


# --- Sysctls (check_sysctls.go) ----------------------------------------------------------------


def sysctls(*names: str) -> dict:
    return with_pod_security(secure_pod(), sysctls=[{"name": n, "value": "1"} for n in names])


SYSCTL_CASES = [
    (
        "upstream fixture: unknown names",
        sysctls("a", "b"),
        LATEST,
        [(B, f"{SC}.sysctls[0].name"), (B, f"{SC}.sysctls[1].name")],
    ),
    ("safe since 1.0", sysctls("kernel.shm_rmid_forced", "net.ipv4.ping_group_range"), LATEST, []),
    (
        "ip_local_reserved_ports is safe at latest",
        sysctls("net.ipv4.ip_local_reserved_ports"),
        LATEST,
        [],
    ),
    (
        "ip_local_reserved_ports was not safe before 1.27",
        sysctls("net.ipv4.ip_local_reserved_ports"),
        (1, 26),
        [(B, f"{SC}.sysctls[0].name")],
    ),
    ("tcp_keepalive_time is safe from 1.29", sysctls("net.ipv4.tcp_keepalive_time"), (1, 29), []),
    ("tcp_rmem is safe from 1.32", sysctls("net.ipv4.tcp_rmem"), (1, 32), []),
    (
        "tcp_rmem was not safe before 1.32",
        sysctls("net.ipv4.tcp_rmem"),
        (1, 31),
        [(B, f"{SC}.sysctls[0].name")],
    ),
    (
        "tcp_rmem and tcp_wmem are safe at latest",
        sysctls("net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"),
        LATEST,
        [],
    ),
    (
        "tcp_slow_start_after_idle and tcp_notsent_lowat are safe from 1.37",
        sysctls("net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"),
        (1, 37),
        [],
    ),
    (
        "tcp_notsent_lowat was not safe before 1.37",
        sysctls("net.ipv4.tcp_notsent_lowat"),
        (1, 36),
        [(B, f"{SC}.sysctls[0].name")],
    ),
    (
        "net.core.somaxconn is not namespaced-safe",
        sysctls("kernel.shm_rmid_forced", "net.core.somaxconn"),
        LATEST,
        [(B, f"{SC}.sysctls[1].name")],
    ),
]


@pytest.mark.parametrize(
    ("pod", "version", "expected"),
    [case[1:] for case in SYSCTL_CASES],
    ids=[case[0] for case in SYSCTL_CASES],
)
def test_sysctls(pod, version, expected):
    assert reported(pod, "Sysctls", version) == expected


# --- Privilege Escalation (check_allowPrivilegeEscalation.go) ----------------------------------

APE = f"{C0}.securityContext.allowPrivilegeEscalation"


def escalation(value=None, **spec) -> dict:
    container = secure_container()
    if value is None:
        del container["securityContext"]["allowPrivilegeEscalation"]
    else:
        container["securityContext"]["allowPrivilegeEscalation"] = value
    return secure_pod(container, **spec)


PRIVILEGE_ESCALATION_CASES = [
    ("false is required", escalation(False), LATEST, []),
    ("unset", escalation(None), LATEST, [(R, APE)]),
    ("true", escalation(True), LATEST, [(R, APE)]),
    ("windows Pod is exempt", escalation(None, os=WINDOWS), LATEST, []),
    ("windows exemption starts at 1.25", escalation(None, os=WINDOWS), (1, 24), [(R, APE)]),
    ("not checked before 1.8", escalation(None), (1, 7), []),
]


@pytest.mark.parametrize(
    ("pod", "version", "expected"),
    [case[1:] for case in PRIVILEGE_ESCALATION_CASES],
    ids=[case[0] for case in PRIVILEGE_ESCALATION_CASES],
)
def test_privilege_escalation(pod, version, expected):
    assert reported(pod, "Privilege Escalation", version) == expected


# --- Running as Non-root (check_runAsNonRoot.go) -----------------------------------------------


def non_root_pod(pod_value, *container_values, **spec) -> dict:
    containers = []
    for index, value in enumerate(container_values):
        container = secure_container(f"c{index}")
        if value is not None:
            container["securityContext"]["runAsNonRoot"] = value
        containers.append(container)
    pod = secure_pod(*containers, **spec)
    del pod["spec"]["securityContext"]["runAsNonRoot"]
    if pod_value is not None:
        pod["spec"]["securityContext"]["runAsNonRoot"] = pod_value
    return pod


def rnr(index: int) -> str:
    return f"spec.containers[{index}].securityContext.runAsNonRoot"


RUN_AS_NON_ROOT_CASES = [
    ("no explicit runAsNonRoot", non_root_pod(None, None), LATEST, [(R, rnr(0))]),
    (
        "pod runAsNonRoot=false",
        non_root_pod(False, None),
        LATEST,
        [(R, f"{SC}.runAsNonRoot")],
    ),
    (
        "containers runAsNonRoot=false under a pod true",
        non_root_pod(True, None, None, False, False, True, True),
        LATEST,
        [(R, rnr(2)), (R, rnr(3))],
    ),
    (
        "pod unset, containers fall through",
        non_root_pod(None, None, None, True, True),
        LATEST,
        [(R, rnr(0)), (R, rnr(1))],
    ),
    ("user namespace Pod is exempt", non_root_pod(None, None, hostUsers=False), LATEST, []),
    (
        "user namespace exemption starts at 1.35",
        non_root_pod(None, None, hostUsers=False),
        (1, 34),
        [(R, rnr(0))],
    ),
    ("windows Pod is not exempt", non_root_pod(None, None, os=WINDOWS), LATEST, [(R, rnr(0))]),
]


@pytest.mark.parametrize(
    ("pod", "version", "expected"),
    [case[1:] for case in RUN_AS_NON_ROOT_CASES],
    ids=[case[0] for case in RUN_AS_NON_ROOT_CASES],
)
def test_running_as_non_root(pod, version, expected):
    assert reported(pod, "Running as Non-root", version) == expected


def test_missing_run_as_non_root_points_at_the_container_and_mentions_the_pod_level():
    (violation,) = [
        v
        for v in evaluate_pss(non_root_pod(None, None)).violations
        if v.control == "Running as Non-root"
    ]
    assert violation.path == rnr(0)
    assert "spec.securityContext.runAsNonRoot: true" in violation.fix


# --- Running as Non-root user (check_runAsUser.go) ---------------------------------------------

RUN_AS_USER_CASES = [
    ("non-zero is fine", with_pod_security(secure_pod(), runAsUser=1000), LATEST, []),
    (
        "pod runAsUser 0",
        with_pod_security(secure_pod(), runAsUser=0),
        LATEST,
        [(R, f"{SC}.runAsUser")],
    ),
    (
        "container runAsUser 0",
        secure_pod(secure_container("a", runAsUser=1000), secure_container("b", runAsUser=0)),
        LATEST,
        [(R, f"{C1}.securityContext.runAsUser")],
    ),
    (
        "user namespace Pod is exempt",
        secure_pod(secure_container(runAsUser=0), hostUsers=False),
        LATEST,
        [],
    ),
    ("not checked before 1.23", with_pod_security(secure_pod(), runAsUser=0), (1, 22), []),
]


@pytest.mark.parametrize(
    ("pod", "version", "expected"),
    [case[1:] for case in RUN_AS_USER_CASES],
    ids=[case[0] for case in RUN_AS_USER_CASES],
)
def test_running_as_non_root_user(pod, version, expected):
    assert reported(pod, "Running as Non-root user", version) == expected


# --- Levels, ordering and what blocks the next level -------------------------------------------


def test_a_baseline_violation_makes_the_pod_privileged_and_blocks_baseline():
    pod = secure_pod({"name": "a", "image": "i", "securityContext": {"privileged": True}})
    result = evaluate_pss(pod)
    assert result.level == "privileged"
    assert [(v.control, v.level) for v in blocking_next_level(result)] == [
        ("Privileged Containers", B)
    ]
    # Baseline violations are listed before the restricted ones.
    assert [v.level for v in result.violations][0] == B
    assert {v.level for v in result.violations[1:]} == {R}


def test_a_pod_failing_only_restricted_is_baseline_and_restricted_blocks_it():
    result = evaluate_pss(escalation(True))
    assert result.level == "baseline"
    assert [(v.control, v.path) for v in blocking_next_level(result)] == [
        ("Privilege Escalation", APE)
    ]


def test_nothing_blocks_a_restricted_pod():
    assert blocking_next_level(evaluate_pss(secure_pod())) == []


def test_every_violation_says_what_is_wrong_and_how_to_fix_it():
    pod = secure_pod(
        {"name": "web", "image": "i", "securityContext": {"privileged": True, "runAsUser": 0}},
        hostNetwork=True,
        volumes=[{"name": "nfs", "nfs": {"server": "s", "path": "/"}}],
    )
    violations = evaluate_pss(pod).violations
    assert violations
    for violation in violations:
        assert violation.level in (B, R)
        assert violation.message.strip() and violation.fix.strip()
        if violation.path.startswith("spec.containers[0]"):
            assert '"web"' in violation.message


# --- The seed Pods -----------------------------------------------------------------------------

RESTRICTED_GAPS = {
    ("Privilege Escalation", "securityContext.allowPrivilegeEscalation"),
    ("Running as Non-root", "securityContext.runAsNonRoot"),
    ("Seccomp", "securityContext.seccompProfile.type"),
    ("Capabilities", "securityContext.capabilities.drop"),
}

SEED_CASES = [
    # None of these sets a securityContext, so every container misses the same four restricted
    # fields, and none uses a host namespace, port, path or non-core volume.
    ("nginx-pod", ["spec.containers[0]"]),
    ("app-with-adapter", ["spec.containers[0]", "spec.containers[1]"]),
    ("app-with-init", ["spec.initContainers[0]", "spec.initContainers[1]", "spec.containers[0]"]),
    ("app-with-proxy", ["spec.containers[0]", "spec.containers[1]"]),
    ("my-app-pod", ["spec.containers[0]"]),
    ("postgres-pod", ["spec.containers[0]"]),
    ("web-with-logging", ["spec.containers[0]", "spec.containers[1]"]),
]


@pytest.mark.parametrize(("name", "containers"), SEED_CASES)
def test_seed_pods_without_security_context_are_baseline(seed, name, containers):
    result = evaluate_pss(seed(name))
    assert result.level == "baseline"
    expected = {(control, f"{c}.{field}") for c in containers for control, field in RESTRICTED_GAPS}
    assert {(v.control, v.path) for v in result.violations} == expected
    assert {v.level for v in result.violations} == {R}


def test_seed_secure_pod_is_restricted(seed):
    result = evaluate_pss(seed("secure-pod"))
    assert result == type(result)("restricted", [])


# --- Manifests of the wrong shape --------------------------------------------------------------

WRONG_SHAPES = [
    None,
    "a string",
    [],
    {"spec": "x"},
    {"spec": {"containers": "x", "volumes": "y", "securityContext": []}},
    {"spec": {"containers": ["x", 3, None, {"securityContext": "s"}]}},
    {
        "spec": {
            "containers": [
                {"securityContext": {"capabilities": {"add": "SYS_ADMIN", "drop": "ALL"}}}
            ]
        }
    },
    {"spec": {"containers": [{"ports": ["80", {"hostPort": "8080"}], "livenessProbe": "x"}]}},
    {"spec": {"containers": [{"securityContext": {"seLinuxOptions": "x", "seccompProfile": 1}}]}},
    {"spec": {"securityContext": {"sysctls": ["x", {"name": 5}], "seccompProfile": "x"}}},
    {"spec": {"volumes": ["x", {"hostPath": None}, {"nfs": "x"}], "os": "windows"}},
    {"metadata": {"annotations": ["x"]}, "spec": {}},
    {"metadata": {"annotations": {PREFIX + "a": 5}}, "spec": {"hostUsers": "false"}},
]


@pytest.mark.parametrize("pod", WRONG_SHAPES, ids=range(len(WRONG_SHAPES)))
def test_wrong_shapes_never_raise(pod):
    result = evaluate_pss(pod)
    assert result.level in LEVELS
    for violation in result.violations:
        assert violation.path.startswith(("spec", "metadata"))


def test_unreadable_required_field_counts_as_missing():
    # A string "false" is not the boolean false: restricted is not met.
    assert reported(escalation("false"), "Privilege Escalation") == [(R, APE)]


def test_a_templates_host_network_ports_are_judged_as_written():
    """SetDefaults_Pod gives a Pod's unset hostPorts its containerPorts under hostNetwork; a
    workload's template keeps them unset, and Pod Security Admission warns on it as written."""
    from podstudio.engine.kinds import KINDS, wrap
    from podstudio.engine.workloads import template_pss

    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "edge"},
        "spec": {
            "hostNetwork": True,
            "containers": [{"name": "app", "image": "nginx", "ports": [{"containerPort": 80}]}],
        },
    }
    bare = {violation.control for violation in evaluate_pss(pod).violations}
    assert {"Host Namespaces", "Host Ports"} <= bare
    deployment = wrap(pod, "Deployment")
    template = {v.control for v in template_pss(deployment, KINDS["Deployment"]).violations}
    assert "Host Namespaces" in template and "Host Ports" not in template


def test_analyze_judges_pod_security_at_the_policy_of_the_release_checked():
    """A cluster's "latest" is its own release: 1.25 knew neither the keepalive sysctl (1.29) nor
    container_engine_t (1.31), 1.33 allows both, 1.34 added the host probe check."""
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {
            "securityContext": {
                "sysctls": [{"name": "net.ipv4.tcp_keepalive_time", "value": "60"}],
                "seLinuxOptions": {"type": "container_engine_t"},
            },
            "containers": [
                {
                    "name": "c",
                    "image": "nginx:1.27",
                    "livenessProbe": {"httpGet": {"host": "example.com", "port": 80}},
                }
            ],
        },
    }
    baseline = {}
    for version in ("1.25", "1.30", "1.33", "1.34"):
        result = analyze(copy.deepcopy(pod), version).pss
        baseline[version] = sorted({v.control for v in result.violations if v.level == "baseline"})
    assert baseline == {
        "1.25": ["SELinux", "Sysctls"],
        "1.30": ["SELinux"],
        "1.33": [],
        "1.34": ["Host Probes / Lifecycle Hooks"],
    }
    deployment = wrap(copy.deepcopy(pod), "Deployment")
    assert analyze(deployment, "1.33").pss.level == "baseline"
    assert analyze(deployment, "1.25").pss.level == "privileged"
