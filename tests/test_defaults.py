"""API server defaulting, from pkg/apis/core/v1/defaults.go (SetDefaults_Pod, SetDefaults_PodSpec,
SetDefaults_Container, SetDefaults_Probe, SetDefaults_ResourceList, defaultPodRequests)."""

import copy
from decimal import Decimal

import pytest

from podstudio.engine.defaults import (
    apply_defaults,
    container_resources,
    default_pull_policy,
    pod_resources,
)

D = Decimal
MI = 1024**2


def pod(*containers, init=(), resources=None, **spec):
    body = {"containers": list(containers), **spec}
    if init:
        body["initContainers"] = list(init)
    if resources is not None:
        body["resources"] = resources
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": body}


def ctr(name="app", requests=None, limits=None, **fields):
    resources = {}
    if requests is not None:
        resources["requests"] = requests
    if limits is not None:
        resources["limits"] = limits
    return {"name": name, "image": "nginx:1.25", "resources": resources, **fields}


@pytest.mark.parametrize(
    ("container", "requests", "limits"),
    [
        # a limit without a request makes the request equal to the limit
        (ctr(limits={"cpu": "500m"}), {"cpu": D("0.5")}, {"cpu": D("0.5")}),
        (
            ctr(limits={"cpu": "1", "memory": "1Gi"}),
            {"cpu": D(1), "memory": D(1024 * MI)},
            {"cpu": D(1), "memory": D(1024 * MI)},
        ),
        # an explicit request wins, even 0
        (ctr(requests={"cpu": "0"}, limits={"cpu": "1"}), {"cpu": D(0)}, {"cpu": D(1)}),
        (
            ctr(requests={"cpu": "100m"}, limits={"cpu": "1", "memory": "64Mi"}),
            {"cpu": D("0.1"), "memory": D(64 * MI)},
            {"cpu": D(1), "memory": D(64 * MI)},
        ),
        # a request never creates a limit
        (ctr(requests={"memory": "64Mi"}), {"memory": D(64 * MI)}, {}),
        # other resources are defaulted the same way
        (
            ctr(limits={"nvidia.com/gpu": 1}),
            {"nvidia.com/gpu": D(1)},
            {"nvidia.com/gpu": D(1)},
        ),
        # SetDefaults_ResourceList rounds every value up to thousandths
        (ctr(limits={"cpu": "100u"}), {"cpu": D("0.001")}, {"cpu": D("0.001")}),
        (ctr(requests={"cpu": "1.0001"}), {"cpu": D("1.001")}, {}),
        # values that are not quantities are skipped (validation reports them)
        (
            ctr(limits={"cpu": "lots", "memory": "1Gi"}),
            {"memory": D(1024 * MI)},
            {"memory": D(1024 * MI)},
        ),
        (ctr(), {}, {}),
        ({"name": "x", "resources": "big"}, {}, {}),
        ({"name": "x", "resources": {"limits": ["1"]}}, {}, {}),
        ("not a container", {}, {}),
    ],
)
def test_container_resources_default_requests_from_limits(container, requests, limits):
    assert container_resources(container) == (requests, limits)


def test_pod_resources_are_none_without_spec_resources():
    assert pod_resources(pod(ctr(limits={"cpu": "1"}))) is None
    assert pod_resources({"spec": "nope"}) is None
    assert pod_resources("nope") is None


@pytest.mark.parametrize(
    ("manifest", "requests", "limits"),
    [
        # pod-level limits only, no container requests: requests default to the limits
        (
            pod(ctr(), resources={"limits": {"cpu": "1", "memory": "1Gi"}}),
            {"cpu": D(1), "memory": D(1024 * MI)},
            {"cpu": D(1), "memory": D(1024 * MI)},
        ),
        # containers request something: the pod request is their total
        (
            pod(
                ctr("a", requests={"cpu": "100m"}),
                ctr("b", limits={"cpu": "200m"}),
                resources={"limits": {"cpu": "1"}},
            ),
            {"cpu": D("0.3")},
            {"cpu": D(1)},
        ),
        # init containers count at their peak, sidecars add up (KEP-753 formula)
        (
            pod(
                ctr("app", requests={"cpu": "100m"}),
                init=[
                    ctr("sidecar", requests={"cpu": "50m"}, restartPolicy="Always"),
                    ctr("setup", requests={"cpu": "500m"}),
                ],
                resources={"limits": {"cpu": "2"}},
            ),
            {"cpu": D("0.55")},
            {"cpu": D(2)},
        ),
        # explicit pod requests are kept; without pod limits nothing is defaulted
        (
            pod(ctr(requests={"cpu": "100m"}), resources={"requests": {"cpu": "1"}}),
            {"cpu": D(1)},
            {},
        ),
        (pod(ctr(), resources={}), {}, {}),
    ],
)
def test_pod_level_requests_default_like_default_pod_requests(manifest, requests, limits):
    assert pod_resources(manifest) == (requests, limits)


@pytest.mark.parametrize(
    ("image", "policy"),
    [
        ("nginx", "Always"),
        ("nginx:latest", "Always"),
        ("docker.io/library/nginx:latest", "Always"),
        ("localhost:5000/app", "Always"),
        ("nginx:1.25", "IfNotPresent"),
        ("registry.example.com:5000/team/app:v2", "IfNotPresent"),
        ("nginx@sha256:" + "a" * 64, "IfNotPresent"),
        ("nginx:latest@sha256:" + "a" * 64, "Always"),
        ("", "IfNotPresent"),  # not a reference: the parse error is ignored, no tag
        (None, "IfNotPresent"),
    ],
)
def test_image_pull_policy_defaults_from_the_tag(image, policy):
    assert default_pull_policy(image) == policy


def test_apply_defaults_adds_what_the_api_server_adds():
    manifest = pod(
        {
            "name": "app",
            "image": "nginx",
            "ports": [{"containerPort": 80}],
            "livenessProbe": {"httpGet": {"port": 80}},
            "readinessProbe": {"exec": {"command": ["true"]}, "periodSeconds": 5},
            "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}},
        },
        init=[{"name": "setup", "image": "busybox:1.36", "resources": {"limits": {"cpu": "1"}}}],
        volumes=[{"name": "scratch"}, {"name": "config", "configMap": {"name": "cfg"}}],
    )
    result = apply_defaults(manifest)
    spec = result["spec"]
    assert spec["restartPolicy"] == "Always"
    assert spec["dnsPolicy"] == "ClusterFirst"
    assert spec["terminationGracePeriodSeconds"] == 30
    assert spec["schedulerName"] == "default-scheduler"
    assert spec["securityContext"] == {}
    assert spec["enableServiceLinks"] is True
    app = spec["containers"][0]
    assert app["imagePullPolicy"] == "Always"
    assert app["terminationMessagePath"] == "/dev/termination-log"
    assert app["terminationMessagePolicy"] == "File"
    assert app["ports"][0]["protocol"] == "TCP"
    assert "hostPort" not in app["ports"][0]
    assert app["resources"]["requests"] == {"cpu": "500m", "memory": "128Mi"}
    assert app["livenessProbe"] == {
        "httpGet": {"port": 80, "path": "/", "scheme": "HTTP"},
        "timeoutSeconds": 1,
        "periodSeconds": 10,
        "successThreshold": 1,
        "failureThreshold": 3,
    }
    assert app["readinessProbe"]["periodSeconds"] == 5
    setup = spec["initContainers"][0]
    assert setup["imagePullPolicy"] == "IfNotPresent"
    assert setup["resources"]["requests"] == {"cpu": "1"}
    assert spec["volumes"][0] == {"name": "scratch", "emptyDir": {}}
    assert spec["volumes"][1]["configMap"]["defaultMode"] == 420


def test_apply_defaults_keeps_what_is_set():
    manifest = pod(
        ctr(imagePullPolicy="Never", ports=[{"containerPort": 53, "protocol": "UDP"}]),
        restartPolicy="Never",
        dnsPolicy="Default",
        terminationGracePeriodSeconds=5,
        enableServiceLinks=False,
    )
    spec = apply_defaults(manifest)["spec"]
    assert spec["restartPolicy"] == "Never"
    assert spec["dnsPolicy"] == "Default"
    assert spec["terminationGracePeriodSeconds"] == 5
    assert spec["enableServiceLinks"] is False
    assert spec["containers"][0]["imagePullPolicy"] == "Never"
    assert spec["containers"][0]["ports"][0]["protocol"] == "UDP"


def test_grace_period_zero_is_kept_because_only_a_missing_pointer_is_defaulted():
    assert (
        apply_defaults(pod(ctr(), terminationGracePeriodSeconds=0))["spec"][
            "terminationGracePeriodSeconds"
        ]
        == 0
    )


def test_probe_zero_values_are_defaulted_like_go_zero_values():
    probe = {"tcpSocket": {"port": 80}, "timeoutSeconds": 0, "failureThreshold": 0}
    result = apply_defaults(pod(ctr(startupProbe=probe)))
    assert result["spec"]["containers"][0]["startupProbe"]["timeoutSeconds"] == 1
    assert result["spec"]["containers"][0]["startupProbe"]["failureThreshold"] == 3


def test_host_network_copies_container_ports_to_host_ports():
    manifest = pod(ctr(ports=[{"containerPort": 8080}]), hostNetwork=True)
    assert apply_defaults(manifest)["spec"]["containers"][0]["ports"][0]["hostPort"] == 8080


def test_requests_are_rounded_as_stored():
    result = apply_defaults(pod(ctr(limits={"cpu": "0.0001"})))
    assert result["spec"]["containers"][0]["resources"] == {
        "limits": {"cpu": "1m"},
        "requests": {"cpu": "1m"},
    }


def test_pod_level_requests_are_written_back():
    manifest = pod(
        ctr(requests={"cpu": "100m"}), resources={"limits": {"cpu": "1", "memory": "1Gi"}}
    )
    assert apply_defaults(manifest)["spec"]["resources"] == {
        "limits": {"cpu": "1", "memory": "1Gi"},
        "requests": {"cpu": "100m", "memory": "1Gi"},
    }


def test_apply_defaults_never_mutates_its_input():
    manifest = pod(
        ctr(limits={"cpu": "1"}), resources={"limits": {"cpu": "2"}}, volumes=[{"name": "v"}]
    )
    before = copy.deepcopy(manifest)
    apply_defaults(manifest)
    assert manifest == before


@pytest.mark.parametrize(
    "manifest",
    [
        None,
        "pod",
        [],
        {"spec": None},
        {"spec": {"containers": "nginx"}},
        {"spec": {"containers": [None, 3, {"resources": {"limits": "x"}}]}},
        {"spec": {"containers": [{"ports": "80", "livenessProbe": "yes"}], "volumes": [1]}},
        {"spec": {"resources": {"limits": ["1"]}, "containers": [{"resources": {"requests": 5}}]}},
    ],
)
def test_wrong_shapes_never_raise(manifest):
    apply_defaults(manifest)
    pod_resources(manifest)


@pytest.mark.parametrize(
    ("name", "requests"),
    [
        ("nginx-pod", None),
        ("my-app-pod", {"memory": "128Mi", "cpu": "250m"}),
        ("postgres-pod", {"memory": "256Mi", "cpu": "500m"}),
    ],
)
def test_seed_pods_get_their_defaults(seed, name, requests):
    spec = apply_defaults(seed(name))["spec"]
    assert spec["restartPolicy"] == "Always"
    container = spec["containers"][0]
    assert container["imagePullPolicy"] == "IfNotPresent"  # every seed image has a version tag
    assert container.get("resources", {}).get("requests") == requests
