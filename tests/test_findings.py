"""Best-practice findings, case by case, from how Kubernetes treats each field.

Every table starts from a Pod that has no findings at all and changes one thing, so a case
shows exactly which change causes which finding, at which field path.
"""

import copy
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podstudio.engine.documents import load_object as load_manifest
from podstudio.engine.findings import FINDING_RULES, lint_pod, parse_image_reference
from podstudio.engine.paths import path_to_keys
from podstudio.engine.results import SEVERITIES, Finding

DOCS = Path(__file__).resolve().parent.parent / "docs" / "findings.md"
DIGEST = "sha256:" + "a" * 64
DELETE = object()


def clean_container(name: str = "app") -> dict:
    return {
        "name": name,
        "image": "registry.example.com/team/app:1.4.2",
        "securityContext": {
            "runAsNonRoot": True,
            "readOnlyRootFilesystem": True,
            "allowPrivilegeEscalation": False,
            "capabilities": {"drop": ["ALL"]},
        },
        "resources": {
            "requests": {"cpu": "100m", "memory": "128Mi"},
            "limits": {"memory": "256Mi"},
        },
        "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}},
        "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}},
    }


def clean_pod() -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web"},
        "spec": {
            "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
            "containers": [clean_container()],
        },
    }


def changed(changes: dict) -> dict:
    """The clean Pod with values set (or removed, with DELETE) at field paths."""
    pod = clean_pod()
    for path, value in changes.items():
        *parents, last = path_to_keys(path)
        node = pod
        for key in parents:
            if isinstance(key, str) and key not in node:
                node[key] = {}
            node = node[key]
        if value is DELETE:
            node.pop(last, None)
        else:
            node[last] = copy.deepcopy(value)
    return pod


def found(pod: dict, *rule_ids: str) -> set[tuple[str, str]]:
    return {(f.id, f.path) for f in lint_pod(pod) if f.id in rule_ids}


def test_the_clean_pod_has_no_findings():
    assert lint_pod(clean_pod()) == []


C0 = "spec.containers[0]"
SC = f"{C0}.securityContext"


# --- run as non-root: the container's setting overrides the Pod's -----------------------

RUN_AS_CASES = [
    (
        "nothing set anywhere",
        {f"{SC}.runAsNonRoot": DELETE},
        {("run-as-non-root", f"{SC}.runAsNonRoot")},
    ),
    ("no securityContext at all", {SC: DELETE}, {("run-as-non-root", f"{SC}.runAsNonRoot")}),
    (
        "inherited from the Pod",
        {f"{SC}.runAsNonRoot": DELETE, "spec.securityContext.runAsNonRoot": True},
        set(),
    ),
    (
        "Pod says false and the container inherits it",
        {f"{SC}.runAsNonRoot": DELETE, "spec.securityContext.runAsNonRoot": False},
        {("run-as-non-root", "spec.securityContext.runAsNonRoot")},
    ),
    (
        "container false overrides Pod true",
        {f"{SC}.runAsNonRoot": False, "spec.securityContext.runAsNonRoot": True},
        {("run-as-non-root", f"{SC}.runAsNonRoot")},
    ),
    ("container true overrides Pod false", {"spec.securityContext.runAsNonRoot": False}, set()),
    (
        "non-zero runAsUser on the container",
        {f"{SC}.runAsNonRoot": DELETE, f"{SC}.runAsUser": 1000},
        set(),
    ),
    (
        "non-zero runAsUser on the Pod",
        {f"{SC}.runAsNonRoot": DELETE, "spec.securityContext.runAsUser": 1000},
        set(),
    ),
    (
        "runAsUser 0 on the container",
        {f"{SC}.runAsNonRoot": DELETE, f"{SC}.runAsUser": 0},
        {("run-as-root-user", f"{SC}.runAsUser")},
    ),
    (
        "runAsUser 0 on the Pod with runAsNonRoot true: the kubelet refuses to start it",
        {"spec.securityContext.runAsUser": 0},
        {("run-as-root-user", "spec.securityContext.runAsUser")},
    ),
    (
        "container runAsUser overrides the Pod's 0",
        {"spec.securityContext.runAsUser": 0, f"{SC}.runAsUser": 1000},
        set(),
    ),
    (
        "Windows Pods are not asked for Linux settings",
        {SC: DELETE, "spec.os": {"name": "windows"}},
        set(),
    ),
]


@pytest.mark.parametrize(
    ("changes", "expected"), [c[1:] for c in RUN_AS_CASES], ids=[c[0] for c in RUN_AS_CASES]
)
def test_run_as_non_root(changes, expected):
    assert found(changed(changes), "run-as-non-root", "run-as-root-user") == expected


def test_root_user_with_run_as_non_root_says_the_container_will_not_start():
    [finding] = [
        f
        for f in lint_pod(changed({"spec.securityContext.runAsUser": 0}))
        if f.id == "run-as-root-user"
    ]
    assert "refuses to start" in finding.message


# --- container hardening ------------------------------------------------------------------

HARDENING_CASES = [
    (
        "root fs writable by default",
        {f"{SC}.readOnlyRootFilesystem": DELETE},
        {("read-only-root-filesystem", f"{SC}.readOnlyRootFilesystem")},
    ),
    (
        "root fs explicitly writable",
        {f"{SC}.readOnlyRootFilesystem": False},
        {("read-only-root-filesystem", f"{SC}.readOnlyRootFilesystem")},
    ),
    (
        "no capabilities block",
        {f"{SC}.capabilities": DELETE},
        {("drop-all-capabilities", f"{SC}.capabilities.drop")},
    ),
    (
        "drops only NET_RAW",
        {f"{SC}.capabilities.drop": ["NET_RAW"]},
        {("drop-all-capabilities", f"{SC}.capabilities.drop")},
    ),
    ("drops ALL, adds back one harmless", {f"{SC}.capabilities.add": ["NET_BIND_SERVICE"]}, set()),
    (
        "adds SYS_ADMIN",
        {f"{SC}.capabilities.add": ["NET_BIND_SERVICE", "SYS_ADMIN"]},
        {("dangerous-capability", f"{SC}.capabilities.add[1]")},
    ),
    (
        "adds CAP_NET_ADMIN",
        {f"{SC}.capabilities.add": ["CAP_NET_ADMIN"]},
        {("dangerous-capability", f"{SC}.capabilities.add[0]")},
    ),
    (
        "adds ALL",
        {f"{SC}.capabilities.add": ["ALL"]},
        {("dangerous-capability", f"{SC}.capabilities.add[0]")},
    ),
    (
        "escalation allowed by default",
        {f"{SC}.allowPrivilegeEscalation": DELETE},
        {("allow-privilege-escalation", f"{SC}.allowPrivilegeEscalation")},
    ),
    (
        "escalation explicitly allowed",
        {f"{SC}.allowPrivilegeEscalation": True},
        {("allow-privilege-escalation", f"{SC}.allowPrivilegeEscalation")},
    ),
    (
        # the API server rejects allowPrivilegeEscalation: false next to privileged: true
        "privileged container",
        {f"{SC}.allowPrivilegeEscalation": DELETE, f"{SC}.privileged": True},
        {("privileged-container", f"{SC}.privileged")},
    ),
    ("privileged false is fine", {f"{SC}.privileged": False}, set()),
    (
        # and rejected next to CAP_SYS_ADMIN too
        "CAP_SYS_ADMIN added",
        {f"{SC}.allowPrivilegeEscalation": DELETE, f"{SC}.capabilities.add": ["CAP_SYS_ADMIN"]},
        {("dangerous-capability", f"{SC}.capabilities.add[0]")},
    ),
    (
        "Windows Pods are not asked for Linux settings",
        {SC: DELETE, "spec.securityContext": DELETE, "spec.os": {"name": "windows"}},
        set(),
    ),
]
HARDENING_IDS = (
    "read-only-root-filesystem",
    "drop-all-capabilities",
    "dangerous-capability",
    "allow-privilege-escalation",
    "privileged-container",
    "seccomp-profile",
)


@pytest.mark.parametrize(
    ("changes", "expected"), [c[1:] for c in HARDENING_CASES], ids=[c[0] for c in HARDENING_CASES]
)
def test_container_hardening(changes, expected):
    assert found(changed(changes), *HARDENING_IDS) == expected


# --- seccomp: the Pod's profile applies to containers that set none ----------------------

POD_SECCOMP = "spec.securityContext.seccompProfile.type"
SECCOMP_CASES = [
    (
        "set nowhere",
        {"spec.securityContext.seccompProfile": DELETE},
        {("seccomp-profile", POD_SECCOMP)},
    ),
    ("Pod Unconfined", {POD_SECCOMP: "Unconfined"}, {("seccomp-profile", POD_SECCOMP)}),
    (
        "Pod Localhost",
        {
            "spec.securityContext.seccompProfile": {
                "type": "Localhost",
                "localhostProfile": "p.json",
            }
        },
        set(),
    ),
    (
        "container RuntimeDefault without a Pod profile",
        {
            "spec.securityContext.seccompProfile": DELETE,
            f"{SC}.seccompProfile": {"type": "RuntimeDefault"},
        },
        set(),
    ),
    (
        "container Unconfined overrides the Pod's RuntimeDefault",
        {f"{SC}.seccompProfile": {"type": "Unconfined"}},
        {("seccomp-profile", f"{SC}.seccompProfile.type")},
    ),
    (
        "container RuntimeDefault overrides the Pod's Unconfined",
        {POD_SECCOMP: "Unconfined", f"{SC}.seccompProfile": {"type": "RuntimeDefault"}},
        set(),
    ),
]


@pytest.mark.parametrize(
    ("changes", "expected"), [c[1:] for c in SECCOMP_CASES], ids=[c[0] for c in SECCOMP_CASES]
)
def test_seccomp_profile(changes, expected):
    assert found(changed(changes), "seccomp-profile") == expected


def test_missing_seccomp_is_one_pod_level_finding_naming_the_containers_without_a_profile():
    pod = changed({"spec.securityContext.seccompProfile": DELETE})
    covered = clean_container("covered")
    covered["securityContext"]["seccompProfile"] = {"type": "RuntimeDefault"}
    pod["spec"]["containers"] += [covered, clean_container("bare")]
    [finding] = [f for f in lint_pod(pod) if f.id == "seccomp-profile"]
    assert finding.path == POD_SECCOMP
    assert '"app"' in finding.message and '"bare"' in finding.message
    assert '"covered"' not in finding.message


# --- host access ------------------------------------------------------------------------

HOST_CASES = [
    ("hostNetwork", {"spec.hostNetwork": True}, {("host-network", "spec.hostNetwork")}),
    ("hostPID", {"spec.hostPID": True}, {("host-pid", "spec.hostPID")}),
    ("hostIPC", {"spec.hostIPC": True}, {("host-ipc", "spec.hostIPC")}),
    ("all false", {"spec.hostNetwork": False, "spec.hostPID": False, "spec.hostIPC": False}, set()),
    (
        "hostPath to a data directory",
        {
            "spec.volumes": [
                {"name": "cache", "emptyDir": {}},
                {"name": "data", "hostPath": {"path": "/data"}},
            ]
        },
        {("host-path-volume", "spec.volumes[1].hostPath")},
    ),
    (
        "hostPath to /etc",
        {"spec.volumes": [{"name": "etc", "hostPath": {"path": "/etc/"}}]},
        {("sensitive-host-path", "spec.volumes[0].hostPath")},
    ),
    (
        "hostPath to /",
        {"spec.volumes": [{"name": "root", "hostPath": {"path": "/"}}]},
        {("sensitive-host-path", "spec.volumes[0].hostPath")},
    ),
    (
        "hostPath to the Docker socket",
        {
            "spec.volumes": [
                {"name": "sock", "hostPath": {"path": "/var/run/docker.sock", "type": "Socket"}}
            ]
        },
        {("sensitive-host-path", "spec.volumes[0].hostPath")},
    ),
    ("emptyDir only", {"spec.volumes": [{"name": "cache", "emptyDir": {}}]}, set()),
    (
        "hostPort on the second port",
        {f"{C0}.ports": [{"containerPort": 80}, {"containerPort": 8080, "hostPort": 8080}]},
        {("host-port", f"{C0}.ports[1].hostPort")},
    ),
    ("containerPort only", {f"{C0}.ports": [{"containerPort": 8080}]}, set()),
    (
        # with hostNetwork every containerPort is a host port; the host-network finding says so
        "hostPort under hostNetwork",
        {"spec.hostNetwork": True, f"{C0}.ports": [{"containerPort": 8080, "hostPort": 8080}]},
        {("host-network", "spec.hostNetwork")},
    ),
]
HOST_IDS = (
    "host-network",
    "host-pid",
    "host-ipc",
    "host-path-volume",
    "sensitive-host-path",
    "host-port",
)


@pytest.mark.parametrize(
    ("changes", "expected"), [c[1:] for c in HOST_CASES], ids=[c[0] for c in HOST_CASES]
)
def test_host_access(changes, expected):
    assert found(changed(changes), *HOST_IDS) == expected


def test_host_ports_of_init_containers_are_reported():
    pod = clean_pod()
    init = {
        "name": "init",
        "image": "busybox:1.36",
        "ports": [{"containerPort": 53, "hostPort": 53}],
    }
    pod["spec"]["initContainers"] = [init]
    assert ("host-port", "spec.initContainers[0].ports[0].hostPort") in found(pod, "host-port")


# --- image references ---------------------------------------------------------------------

IMAGE_REFERENCES = [
    # image, name, tag, digest, pinned
    ("nginx", "nginx", "", "", False),
    ("nginx:1.21", "nginx", "1.21", "", True),
    ("nginx:latest", "nginx", "latest", "", False),
    ("docker.io/library/nginx", "docker.io/library/nginx", "", "", False),
    ("localhost:5000/app", "localhost:5000/app", "", "", False),
    ("localhost:5000/app:2.0", "localhost:5000/app", "2.0", "", True),
    (
        "registry.example.com:443/team/app:latest",
        "registry.example.com:443/team/app",
        "latest",
        "",
        False,
    ),
    (f"app@{DIGEST}", "app", "", DIGEST, True),
    (f"app:1.0@{DIGEST}", "app", "1.0", DIGEST, True),
    (f"localhost:5000/app@{DIGEST}", "localhost:5000/app", "", DIGEST, True),
    ("ghcr.io/org/app:v1.2.3-rc.1", "ghcr.io/org/app", "v1.2.3-rc.1", "", True),
]


@pytest.mark.parametrize(("image", "name", "tag", "digest", "pinned"), IMAGE_REFERENCES)
def test_image_reference_parsing(image, name, tag, digest, pinned):
    reference = parse_image_reference(image)
    assert (reference.name, reference.tag, reference.digest) == (name, tag, digest)
    assert reference.pinned is pinned


@pytest.mark.parametrize(("image", "name", "tag", "digest", "pinned"), IMAGE_REFERENCES)
def test_unpinned_images_get_a_latest_tag_finding(image, name, tag, digest, pinned):
    expected = set() if pinned else {("latest-tag", f"{C0}.image")}
    assert found(changed({f"{C0}.image": image}), "latest-tag") == expected


def test_latest_tag_fix_names_the_repository_without_the_port_as_tag():
    [finding] = lint_pod(changed({f"{C0}.image": "localhost:5000/app"}))
    assert finding.id == "latest-tag"
    assert "localhost:5000/app:1.2.3" in finding.fix


def test_init_and_ephemeral_container_images_are_checked():
    pod = clean_pod()
    pod["spec"]["initContainers"] = [{"name": "init", "image": "busybox"}]
    pod["spec"]["ephemeralContainers"] = [{"name": "debug", "image": "busybox:latest"}]
    assert found(pod, "latest-tag") == {
        ("latest-tag", "spec.initContainers[0].image"),
        ("latest-tag", "spec.ephemeralContainers[0].image"),
    }


# --- requests and limits: requests default to limits -------------------------------------

RES = f"{C0}.resources"
RESOURCE_CASES = [
    (
        "no resources",
        {RES: DELETE},
        {
            ("missing-cpu-request", f"{RES}.requests.cpu"),
            ("missing-memory-request", f"{RES}.requests.memory"),
            ("missing-memory-limit", f"{RES}.limits.memory"),
        },
    ),
    (
        "limits only: requests default to them",
        {RES: {"limits": {"cpu": "500m", "memory": "256Mi"}}},
        set(),
    ),
    (
        "requests only",
        {f"{RES}.limits": DELETE},
        {("missing-memory-limit", f"{RES}.limits.memory")},
    ),
    (
        "no cpu request",
        {f"{RES}.requests.cpu": DELETE},
        {("missing-cpu-request", f"{RES}.requests.cpu")},
    ),
    ("no memory request but a memory limit", {f"{RES}.requests.memory": DELETE}, set()),
    ("a cpu limit is not required", {f"{RES}.limits.cpu": DELETE}, set()),
    (
        "Pod-level resources cover the containers",
        {
            RES: DELETE,
            "spec.resources": {
                "requests": {"cpu": "1", "memory": "1Gi"},
                "limits": {"memory": "1Gi"},
            },
        },
        set(),
    ),
]
RESOURCE_IDS = ("missing-cpu-request", "missing-memory-request", "missing-memory-limit")


@pytest.mark.parametrize(
    ("changes", "expected"), [c[1:] for c in RESOURCE_CASES], ids=[c[0] for c in RESOURCE_CASES]
)
def test_requests_and_limits(changes, expected):
    assert found(changed(changes), *RESOURCE_IDS) == expected


def test_init_containers_need_resources_but_ephemeral_ones_cannot_have_them():
    pod = clean_pod()
    pod["spec"]["initContainers"] = [{"name": "init", "image": "busybox:1.36"}]
    pod["spec"]["ephemeralContainers"] = [{"name": "debug", "image": "busybox:1.36"}]
    assert found(pod, *RESOURCE_IDS) == {
        ("missing-cpu-request", "spec.initContainers[0].resources.requests.cpu"),
        ("missing-memory-request", "spec.initContainers[0].resources.requests.memory"),
        ("missing-memory-limit", "spec.initContainers[0].resources.limits.memory"),
    }


# --- probes -------------------------------------------------------------------------------

PROBE_IDS = ("missing-liveness-probe", "missing-readiness-probe", "sidecar-missing-probes")
PROBE_CASES = [
    (
        "no liveness probe",
        {f"{C0}.livenessProbe": DELETE},
        {("missing-liveness-probe", f"{C0}.livenessProbe")},
    ),
    (
        "no readiness probe",
        {f"{C0}.readinessProbe": DELETE},
        {("missing-readiness-probe", f"{C0}.readinessProbe")},
    ),
    (
        "run-to-completion Pods are not asked for probes",
        {
            f"{C0}.livenessProbe": DELETE,
            f"{C0}.readinessProbe": DELETE,
            "spec.restartPolicy": "Never",
        },
        set(),
    ),
    ("both probes", {}, set()),
]


@pytest.mark.parametrize(
    ("changes", "expected"), [c[1:] for c in PROBE_CASES], ids=[c[0] for c in PROBE_CASES]
)
def test_liveness_and_readiness_probes(changes, expected):
    assert found(changed(changes), *PROBE_IDS) == expected


def test_init_and_ephemeral_containers_are_not_asked_for_probes():
    pod = clean_pod()
    pod["spec"]["initContainers"] = [clean_container("init")]
    del pod["spec"]["initContainers"][0]["livenessProbe"]
    del pod["spec"]["initContainers"][0]["readinessProbe"]
    pod["spec"]["ephemeralContainers"] = [{"name": "debug", "image": "busybox:1.36"}]
    assert found(pod, *PROBE_IDS) == set()


def test_native_sidecars_without_probes_get_one_info_finding():
    pod = clean_pod()
    sidecar = clean_container("log-shipper")
    sidecar["restartPolicy"] = "Always"
    del sidecar["livenessProbe"]
    del sidecar["readinessProbe"]
    pod["spec"]["initContainers"] = [sidecar]
    findings = [f for f in lint_pod(pod) if f.id in PROBE_IDS]
    assert [(f.id, f.severity, f.path) for f in findings] == [
        ("sidecar-missing-probes", "info", "spec.initContainers[0].livenessProbe")
    ]


def test_native_sidecars_with_probes_have_no_probe_findings():
    pod = clean_pod()
    sidecar = clean_container("proxy")
    sidecar["restartPolicy"] = "Always"
    pod["spec"]["initContainers"] = [sidecar]
    assert found(pod, *PROBE_IDS) == set()


HTTP_READY = {"httpGet": {"path": "/ready", "port": 8080}}
IDENTICAL_CASES = [
    ("same check, default timings", HTTP_READY, HTTP_READY, True),
    (
        "same check, defaults written out on one side",
        HTTP_READY,
        {**HTTP_READY, "periodSeconds": 10, "timeoutSeconds": 1, "failureThreshold": 3},
        True,
    ),
    (
        "same check, keys in another order",
        HTTP_READY,
        {"httpGet": {"port": 8080, "path": "/ready"}},
        True,
    ),
    (
        "httpGet path and scheme defaulted",
        {"httpGet": {"port": 8080}},
        {"httpGet": {"path": "/", "port": 8080, "scheme": "HTTP"}},
        True,
    ),
    ("same check, slower liveness", {**HTTP_READY, "failureThreshold": 6}, HTTP_READY, False),
    ("different endpoints", {"httpGet": {"path": "/healthz", "port": 8080}}, HTTP_READY, False),
    ("tcp against http", {"tcpSocket": {"port": 8080}}, HTTP_READY, False),
]


@pytest.mark.parametrize(
    ("liveness", "readiness", "identical"),
    [c[1:] for c in IDENTICAL_CASES],
    ids=[c[0] for c in IDENTICAL_CASES],
)
def test_identical_liveness_and_readiness(liveness, readiness, identical):
    pod = changed({f"{C0}.livenessProbe": liveness, f"{C0}.readinessProbe": readiness})
    expected = {("identical-probes", f"{C0}.livenessProbe")} if identical else set()
    assert found(pod, "identical-probes") == expected


STARTUP_CASES = [
    ("a minute's delay", {"initialDelaySeconds": 60}, True),
    ("thirty seconds", {"initialDelaySeconds": 30}, True),
    ("just under thirty", {"initialDelaySeconds": 29}, False),
    ("no delay", {}, False),
]


@pytest.mark.parametrize(
    ("timings", "suggested"), [c[1:] for c in STARTUP_CASES], ids=[c[0] for c in STARTUP_CASES]
)
def test_startup_probe_suggested_for_slow_starters(timings, suggested):
    pod = changed(
        {f"{C0}.livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}, **timings}}
    )
    expected = {("startup-probe-suggested", f"{C0}.startupProbe")} if suggested else set()
    assert found(pod, "startup-probe-suggested") == expected


def test_startup_probe_fix_covers_the_start_time():
    liveness = {
        "httpGet": {"path": "/healthz", "port": 8080},
        "initialDelaySeconds": 90,
        "periodSeconds": 15,
    }
    [finding] = [
        f
        for f in lint_pod(changed({f"{C0}.livenessProbe": liveness}))
        if f.id == "startup-probe-suggested"
    ]
    assert "periodSeconds: 15" in finding.fix
    assert "failureThreshold: 6" in finding.fix  # 6 × 15 s = 90 s


def test_no_startup_suggestion_when_there_is_a_startup_probe():
    pod = changed(
        {
            f"{C0}.livenessProbe": {
                "httpGet": {"path": "/healthz", "port": 8080},
                "initialDelaySeconds": 60,
            },
            f"{C0}.startupProbe": {
                "httpGet": {"path": "/healthz", "port": 8080},
                "failureThreshold": 30,
            },
        }
    )
    assert found(pod, "startup-probe-suggested") == set()


# --- the seed's example Pods --------------------------------------------------------------


def test_seed_web_with_logging_flags_only_the_latest_fluentd_image(seed):
    assert found(seed("web-with-logging"), "latest-tag") == {
        ("latest-tag", "spec.containers[1].image")
    }


def test_seed_secure_pod_has_no_security_context_findings(seed):
    assert found(seed("secure-pod"), "run-as-non-root", "run-as-root-user", *HARDENING_IDS) == set()


def test_seed_secure_pod_still_lacks_resources_and_probes(seed):
    ids = {f.id for f in lint_pod(seed("secure-pod"))}
    assert ids == {*RESOURCE_IDS, "missing-liveness-probe", "missing-readiness-probe"}


def test_seed_app_with_init_asks_no_probes_of_init_containers(seed):
    findings = lint_pod(seed("app-with-init"))
    probe_paths = {f.path for f in findings if f.id in PROBE_IDS}
    assert probe_paths == {"spec.containers[0].livenessProbe", "spec.containers[0].readinessProbe"}
    assert ("latest-tag", "spec.initContainers[1].image") in {(f.id, f.path) for f in findings}


def test_seed_my_app_pod_is_told_about_startup_probes_not_resources(seed):
    pod = seed("my-app-pod")
    assert found(pod, "startup-probe-suggested") == {
        ("startup-probe-suggested", "spec.containers[0].startupProbe")
    }
    assert found(pod, *RESOURCE_IDS, *PROBE_IDS, "identical-probes", "latest-tag") == set()


def test_seed_postgres_pod_has_its_resources(seed):
    assert found(seed("postgres-pod"), *RESOURCE_IDS) == set()


# --- order, shape and the rule catalogue --------------------------------------------------


def test_findings_are_ordered_by_field_path_then_id():
    pod = clean_pod()
    pod["spec"]["containers"] = [
        {**clean_container(f"c{i}"), "image": f"app{i}"} for i in range(11)
    ]
    pod["spec"]["hostPID"] = True
    del pod["spec"]["containers"][10]["resources"]
    findings = lint_pod(pod)
    assert [(f.path, f.id) for f in findings] == sorted(
        [(f.path, f.id) for f in findings], key=lambda pair: (natural(pair[0]), pair[1])
    )
    image_paths = [f.path for f in findings if f.id == "latest-tag"]
    assert image_paths[1:3] == ["spec.containers[1].image", "spec.containers[2].image"]
    assert image_paths[-1] == "spec.containers[10].image"
    assert lint_pod(copy.deepcopy(pod)) == findings


def natural(path: str) -> list:
    return [(0, key, "") if isinstance(key, int) else (1, 0, key) for key in path_to_keys(path)]


def test_an_inherited_pod_setting_is_reported_once():
    pod = changed({f"{SC}.runAsNonRoot": DELETE, "spec.securityContext.runAsNonRoot": False})
    pod["spec"]["containers"].append(clean_container("second"))
    del pod["spec"]["containers"][1]["securityContext"]["runAsNonRoot"]
    assert [f.path for f in lint_pod(pod) if f.id == "run-as-non-root"] == [
        "spec.securityContext.runAsNonRoot"
    ]


WRONG_SHAPES = [
    None,
    "a string",
    [],
    {"spec": "not a map"},
    {"spec": {"containers": "not a list"}},
    {"spec": {"containers": ["a string", 3, None, []]}},
    {"spec": {"securityContext": "x", "containers": [{"securityContext": "x", "image": 5}]}},
    {"spec": {"containers": [{"securityContext": {"capabilities": "x", "runAsUser": "0"}}]}},
    {
        "spec": {
            "containers": [{"securityContext": {"capabilities": {"drop": "ALL", "add": [None, 3]}}}]
        }
    },
    {
        "spec": {
            "containers": [
                {"resources": [], "ports": "x", "livenessProbe": "x", "readinessProbe": 3}
            ]
        }
    },
    {
        "spec": {
            "containers": [
                {"resources": {"requests": "x", "limits": ["memory"]}, "ports": ["x", None]}
            ]
        }
    },
    {
        "spec": {
            "containers": [{"livenessProbe": {"initialDelaySeconds": "60", "periodSeconds": 0}}]
        }
    },
    {"spec": {"containers": [{"livenessProbe": {"initialDelaySeconds": 60, "periodSeconds": -5}}]}},
    {"spec": {"volumes": "x", "hostNetwork": "true", "os": "linux", "resources": "x"}},
    {"spec": {"volumes": [None, "x", {"hostPath": "x"}, {"hostPath": {"path": 5}}]}},
    {"spec": {"securityContext": {"seccompProfile": "x", "runAsUser": True}, "containers": [{}]}},
    {
        "spec": {
            "initContainers": [{"restartPolicy": "Always", "livenessProbe": []}],
            "ephemeralContainers": "x",
        }
    },
]


@pytest.mark.parametrize("manifest", WRONG_SHAPES)
def test_wrong_shaped_manifests_do_not_raise(manifest):
    findings = lint_pod(manifest)
    assert all(isinstance(f, Finding) for f in findings)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 100)
    | st.sampled_from(["", "ALL", "Always", "latest", "/etc", "x"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "spec",
                    "containers",
                    "initContainers",
                    "ephemeralContainers",
                    "securityContext",
                    "capabilities",
                    "drop",
                    "add",
                    "image",
                    "resources",
                    "requests",
                    "limits",
                    "cpu",
                    "memory",
                    "livenessProbe",
                    "readinessProbe",
                    "startupProbe",
                    "initialDelaySeconds",
                    "periodSeconds",
                    "volumes",
                    "hostPath",
                    "path",
                    "ports",
                    "hostPort",
                    "runAsUser",
                    "runAsNonRoot",
                    "seccompProfile",
                    "type",
                    "restartPolicy",
                    "hostNetwork",
                    "os",
                    "name",
                ]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_arbitrary_shapes_never_raise(manifest):
    assert isinstance(lint_pod(manifest), list)


def test_every_finding_matches_its_rule():
    noisy = changed(
        {
            SC: {"privileged": True, "runAsUser": 0, "capabilities": {"add": ["SYS_ADMIN"]}},
            RES: DELETE,
            f"{C0}.image": "app",
            f"{C0}.ports": [{"containerPort": 80, "hostPort": 80}],
            f"{C0}.livenessProbe": {"tcpSocket": {"port": 80}, "initialDelaySeconds": 45},
            f"{C0}.readinessProbe": {"tcpSocket": {"port": 80}, "initialDelaySeconds": 45},
            "spec.hostPID": True,
            "spec.hostIPC": True,
            "spec.volumes": [
                {"name": "d", "hostPath": {"path": "/data"}},
                {"name": "s", "hostPath": {"path": "/sys"}},
            ],
            "spec.securityContext": DELETE,
        }
    )
    findings = lint_pod(noisy)
    assert len(findings) >= 15
    for finding in findings:
        rule = FINDING_RULES[finding.id]
        assert finding.severity == rule.severity
        assert finding.message and finding.fix


def test_rule_catalogue_is_complete_and_well_formed():
    assert set(FINDING_RULES) == {
        "run-as-non-root", "run-as-root-user", "read-only-root-filesystem", "drop-all-capabilities",
        "dangerous-capability", "seccomp-profile", "allow-privilege-escalation",
        "privileged-container", "host-network", "host-pid", "host-ipc", "host-path-volume",
        "sensitive-host-path", "host-port", "latest-tag", "missing-cpu-request",
        "missing-memory-request", "missing-memory-limit", "missing-liveness-probe",
        "missing-readiness-probe", "sidecar-missing-probes", "identical-probes",
        "startup-probe-suggested", "single-replica", "no-anti-affinity", "job-ttl-after-finished",
        "cronjob-starting-deadline", "cronjob-rare-schedule", "cronjob-clock-change",
        "ignore-annotation",
        "template-pods-refused", "cluster-set-fields", "copied-owner-reference", "node-name",
        "service-selects-nothing", "service-target-port-unknown", "config-key-missing",
        "kubectl-cannot-read", "file-object-refused", "memory-without-unit", "cpu-without-m",
        "probe-port-unknown", "hook-always-fails", "api-warning",
    }  # fmt: skip
    for rule_id, rule in FINDING_RULES.items():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule_id)
        assert rule.severity in SEVERITIES
        assert rule.title and rule.explanation
        lessons = {
            "security", "resources", "probes", "networking", "scheduling", "lifecycle", "workloads"
        }  # fmt: skip
        assert rule.lesson in lessons


def test_docs_list_every_finding_id_with_its_severity():
    rows = {}
    for line in DOCS.read_text().splitlines():
        cells = [cell.strip(" `") for cell in line.strip().strip("|").split("|")]
        if len(cells) > 2 and cells[0] in FINDING_RULES:
            rows[cells[0]] = cells
    assert set(rows) == set(FINDING_RULES)
    for rule_id, cells in rows.items():
        assert FINDING_RULES[rule_id].severity in cells


GOT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    deployment.kubernetes.io/revision: "1"
  creationTimestamp: "2026-11-30T10:00:00Z"
  generation: 1
  name: web
  namespace: default
  resourceVersion: "12345"
  uid: 0b6f3a54-5c1d-4a8e-9f7e-1d2c3b4a5e6f
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      creationTimestamp: null
      labels: {app: web}
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
status:
  replicas: 1
"""


def test_a_file_copied_from_kubectl_get_is_told_what_the_cluster_set():
    """kubectl apply sends resourceVersion and uid back as preconditions: a file copied from
    `kubectl get -o yaml` fails with a conflict once the object has changed."""
    from podstudio.engine.analyze import analyze

    report = analyze(load_manifest(GOT))
    assert report.errors == []  # the API server accepts it as it is
    [finding] = [f for f in report.findings if f.id == "cluster-set-fields"]
    assert finding.severity == "warning" and finding.path == "metadata.resourceVersion"
    for field in ("resourceVersion", "uid", "creationTimestamp", "generation", "status"):
        assert field in finding.message
    assert "deployment.kubernetes.io/revision" in finding.message  # the controller wrote it
    assert "conflict" in finding.message
    # what `kubectl create deployment --dry-run=client -o yaml` writes is no finding
    made = load_manifest(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  creationTimestamp: null\n"
        "  name: web\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n"
        "    metadata:\n      creationTimestamp: null\n      labels: {app: web}\n    spec:\n"
        "      containers: [{name: web, image: 'nginx:1.27'}]\nstatus: {}\n"
    )
    assert not [f for f in analyze(made).findings if f.id == "cluster-set-fields"]
    # a bare Pod too, with only a status
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}
    pod["spec"] = {"containers": [{"name": "a", "image": "nginx:1.27"}]}
    pod["status"] = {"phase": "Running"}
    [finding] = [f for f in analyze(pod).findings if f.id == "cluster-set-fields"]
    assert finding.path == "status" and "conflict" not in finding.message


def test_the_annotations_a_controller_writes_are_named_and_no_others():
    """The generation a DaemonSet's template had (the API server's) and a ReplicaSet's revision
    and replica counts (the Deployment controller's) are the cluster's; the author's are not."""
    from podstudio.engine.analyze import analyze

    written = {
        "DaemonSet": ["deprecated.daemonset.template.generation"],
        "ReplicaSet": [
            "deployment.kubernetes.io/revision",
            "deployment.kubernetes.io/desired-replicas",
            "deployment.kubernetes.io/max-replicas",
        ],
    }
    for kind, keys in written.items():
        annotations = dict.fromkeys(keys, "2") | {"team": "web"}
        workload = load_manifest(
            f"apiVersion: apps/v1\nkind: {kind}\nmetadata: {{name: web}}\nspec:\n"
            "  selector: {matchLabels: {app: web}}\n  template:\n"
            "    metadata: {labels: {app: web}}\n"
            "    spec: {containers: [{name: web, image: 'nginx:1.27'}]}\n"
        )
        workload["metadata"]["annotations"] = annotations
        [finding] = [f for f in analyze(workload).findings if f.id == "cluster-set-fields"]
        assert finding.path == f"metadata.annotations[{keys[0]}]"
        assert all(key in finding.message for key in keys) and "team" not in finding.message
        workload["metadata"]["annotations"] = {"team": "web"}
        assert not [f for f in analyze(workload).findings if f.id == "cluster-set-fields"]


COPIED_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web-7d9c6b5f4-x2x9k
  labels: {app: web, pod-template-hash: 7d9c6b5f4}
  ownerReferences:
  - apiVersion: apps/v1
    kind: ReplicaSet
    name: web-7d9c6b5f4
    uid: 3b0e6a0e-1c1e-4c5e-9a55-0f4b1f0c2d11
    controller: true
    blockOwnerDeletion: true
spec:
  containers: [{name: web, image: "nginx:1.27"}]
"""


def test_an_owner_reference_copied_from_the_cluster_is_named():
    """The API server accepts the Pod, and the garbage collector deletes it seconds later when
    no object has the owner's uid (seen in the sandbox: gone 20 s after its creation)."""
    from podstudio.engine.analyze import analyze

    report = analyze(load_manifest(COPIED_POD))
    assert report.errors == []
    [finding] = [f for f in report.findings if f.id == "copied-owner-reference"]
    assert finding.severity == "warning" and finding.path == "metadata.ownerReferences"
    assert "ReplicaSet web-7d9c6b5f4" in finding.message and "garbage collector" in finding.message
    assert "Remove metadata.ownerReferences" in finding.fix
    # the controller owner is the one named, whatever the order; the others are counted
    pod = load_manifest(COPIED_POD)
    pod["metadata"]["ownerReferences"].insert(
        0, {"apiVersion": "v1", "kind": "ConfigMap", "name": "other", "uid": "1"}
    )
    [finding] = [f for f in analyze(pod).findings if f.id == "copied-owner-reference"]
    assert "ReplicaSet web-7d9c6b5f4 (and 1 more)" in finding.message
    # a workload's document too, and the opt-out annotation leaves it out
    deployment = load_manifest(GOT)
    deployment["metadata"]["ownerReferences"] = [{"kind": "Application", "name": "shop"}]
    [finding] = [f for f in analyze(deployment).findings if f.id == "copied-owner-reference"]
    assert "Application shop" in finding.message and "this Deployment" in finding.message
    deployment["metadata"]["annotations"]["podstudio.dev/ignore"] = "copied-owner-reference"
    assert "copied-owner-reference" not in {f.id for f in analyze(deployment).findings}
    # none without owners, and a malformed list is the schema's to report, not a crash
    pod["metadata"]["ownerReferences"] = []
    assert "copied-owner-reference" not in {f.id for f in analyze(pod).findings}
    pod["metadata"]["ownerReferences"] = ["not-a-mapping", None]
    assert analyze(pod).errors


def test_a_pod_placed_on_a_node_by_name_is_told_what_the_scheduler_no_longer_checks():
    """A Pod copied from `kubectl get -o yaml` carries spec.nodeName, the node it ran on."""
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}
    pod["spec"] = {"nodeName": "worker-7", "containers": [{"name": "a", "image": "nginx:1.27"}]}
    [finding] = [f for f in lint_pod(pod) if f.id == "node-name"]
    assert finding.severity == "warning" and finding.path == "spec.nodeName"
    assert 'node "worker-7" without the scheduler' in finding.message
    assert "nodeSelector" in finding.fix
    for unset in ("", None):
        pod["spec"]["nodeName"] = unset
        assert "node-name" not in {f.id for f in lint_pod(pod)}


# --- whole numbers that meant a unit, and probes of ports that are not there ------------------

C0 = "spec.containers[0]"


@pytest.mark.parametrize(
    ("resources", "expected"),
    [
        # memory: 512 is 512 bytes (the API server takes it); 512Mi was meant
        ({"limits.memory": 512}, {("memory-without-unit", f"{C0}.resources.limits.memory")}),
        ({"requests.memory": "64"}, {("memory-without-unit", f"{C0}.resources.requests.memory")}),
        ({"limits.memory": 1048575}, {("memory-without-unit", f"{C0}.resources.limits.memory")}),
        ({"limits.memory": 1048576}, set()),  # 1 MiB written in bytes: meant so, surely
        ({"limits.memory": "512k"}, set()),  # a unit was written
        ({"limits.memory": 0}, set()),
        # cpu: 500 asks for 500 CPUs; 500m was meant
        ({"requests.cpu": 500}, {("cpu-without-m", f"{C0}.resources.requests.cpu")}),
        ({"limits.cpu": "250"}, {("cpu-without-m", f"{C0}.resources.limits.cpu")}),
        ({"requests.cpu": 99}, set()),  # a big node's worth: possible
        ({"requests.cpu": "500m"}, set()),
        ({"requests.cpu": "1.5"}, set()),
        ({"requests.cpu": True}, set()),  # not a number: the schema says so
    ],
)
def test_a_whole_number_that_meant_a_unit_is_found(resources, expected):
    changes = {f"{C0}.resources.{key}": value for key, value in resources.items()}
    assert found(changed(changes), "memory-without-unit", "cpu-without-m") == expected


def test_pod_level_resources_without_their_unit_are_found():
    pod = changed({"spec.resources": {"requests": {"memory": "256"}, "limits": {"cpu": 200}}})
    messages = {f.path: f.message for f in lint_pod(pod)}
    assert messages["spec.resources.requests.memory"].startswith(
        "The Pod has a memory request of 256, which is 256 bytes"
    )
    assert messages["spec.resources.limits.cpu"].startswith(
        "The Pod has a cpu limit of 200, which means 200 CPUs"
    )


def test_the_unit_findings_say_what_was_written_and_what_was_meant():
    pod = changed({f"{C0}.resources.limits.memory": 512, f"{C0}.resources.requests.cpu": 500})
    by_id = {finding.id: finding for finding in lint_pod(pod)}
    memory, cpu = by_id["memory-without-unit"], by_id["cpu-without-m"]
    assert "memory limit of 512, which is 512 bytes: no container starts in that" in memory.message
    assert memory.fix == "Write the unit: 512Mi (mebibytes) or 512M (megabytes)."
    assert "cpu request of 500, which means 500 CPUs" in cpu.message
    assert cpu.fix.startswith("Write 500m (0.5 CPU)")


@pytest.mark.parametrize(
    ("probe", "ports", "expected"),
    [
        ({"httpGet": {"path": "/", "port": "http"}}, [], True),
        ({"httpGet": {"path": "/", "port": "http"}}, [{"name": "web", "containerPort": 80}], True),
        ({"tcpSocket": {"port": "db"}}, [{"name": "db", "containerPort": 5432}], False),
        ({"httpGet": {"path": "/", "port": 8080}}, [], False),  # a number needs no entry
        ({"httpGet": {"path": "/", "port": "8080"}}, [], False),  # digits: the schema's case
        ({"exec": {"command": ["true"]}}, [], False),
    ],
)
def test_a_probe_of_a_port_name_the_container_does_not_have_is_found(probe, ports, expected):
    pod = changed({f"{C0}.readinessProbe": probe, f"{C0}.ports": ports})
    paths = {path for _, path in found(pod, "probe-port-unknown")}
    action = next(iter(probe))
    assert paths == ({f"{C0}.readinessProbe.{action}.port"} if expected else set())


def test_a_probe_port_finding_says_what_each_probe_then_does():
    probe = {"httpGet": {"path": "/", "port": "http"}}
    pod = changed({f"{C0}.livenessProbe": probe, f"{C0}.startupProbe": probe})
    messages = {f.path: f.message for f in lint_pod(pod) if f.id == "probe-port-unknown"}
    assert (
        "so the container is restarted again and again"
        in messages[f"{C0}.livenessProbe.httpGet.port"]
    )
    assert "restarted before it ever starts" in messages[f"{C0}.startupProbe.httpGet.port"]


@pytest.mark.parametrize(
    ("hook", "ports", "expected"),
    [
        ({"httpGet": {"path": "/quit", "port": "admin"}}, [], "httpGet.port"),
        ({"httpGet": {"path": "/", "port": "admin"}}, [{"name": "web"}], "httpGet.port"),
        ({"httpGet": {"path": "/", "port": "admin"}}, [{"name": "admin"}], None),
        ({"httpGet": {"path": "/", "port": 9000}}, [], None),  # a number needs no entry
        ({"tcpSocket": {"port": 80}}, [{"containerPort": 80}], "tcpSocket"),  # never run
        ({"exec": {"command": ["nginx", "-s", "quit"]}}, [], None),
        ({"sleep": {"seconds": 5}}, [], None),
    ],
)  # fmt: skip
def test_a_hook_the_kubelet_cannot_run_is_found(hook, ports, expected):
    pod = changed({f"{C0}.lifecycle": {"preStop": hook}, f"{C0}.ports": ports})
    paths = {path for _, path in found(pod, "hook-always-fails")}
    assert paths == ({f"{C0}.lifecycle.preStop.{expected}"} if expected else set())


def test_a_failing_hook_says_what_each_hook_then_does():
    pod = changed(
        {
            f"{C0}.lifecycle": {
                "postStart": {"tcpSocket": {"port": 80}},
                "preStop": {"httpGet": {"path": "/", "port": "admin"}},
            }
        }
    )
    messages = {f.path: f.message for f in lint_pod(pod) if f.id == "hook-always-fails"}
    assert (
        "kills the container just after each start"
        in messages[f"{C0}.lifecycle.postStart.tcpSocket"]
    )
    assert 'calls the port named "admin"' in messages[f"{C0}.lifecycle.preStop.httpGet.port"]
    assert "without the hook's step" in messages[f"{C0}.lifecycle.preStop.httpGet.port"]


def test_a_sidecar_hook_is_checked_too():
    pod = changed(
        {
            "spec.initContainers": [
                {
                    "name": "proxy",
                    "image": "envoyproxy/envoy:v1.31.0",
                    "restartPolicy": "Always",
                    "lifecycle": {"preStop": {"httpGet": {"path": "/drain", "port": "admin"}}},
                }
            ]
        }
    )
    paths = {path for _, path in found(pod, "hook-always-fails")}
    assert paths == {"spec.initContainers[0].lifecycle.preStop.httpGet.port"}
