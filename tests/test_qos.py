"""The QoS class, from every case of upstream pkg/apis/core/v1/helper/qos/qos_test.go
(TestComputePodQOS, TestCollectPodLevelResources, TestCollectContainerLevelResources),
plus defaulting cases and the seed Pods."""

import pytest

from podstudio.engine.qos import compute_qos

GUARANTEED, BURSTABLE, BEST_EFFORT = "Guaranteed", "Burstable", "BestEffort"


def rl(cpu="", memory="", **extra):
    """A ResourceList like upstream's getResourceList: empty strings are left out."""
    result = {name: value for name, value in (("cpu", cpu), ("memory", memory)) if value}
    result.update({name.replace("_", "-"): value for name, value in extra.items()})
    return result


def ctr(name, requests, limits, **fields):
    return {
        "name": name,
        "image": "busybox:1.36",
        "resources": {"requests": requests, "limits": limits},
        **fields,
    }


def pod(containers, init=None, resources=None, ephemeral=None):
    spec = {"containers": containers}
    if init:
        spec["initContainers"] = init
    if resources is not None:
        spec["resources"] = resources
    if ephemeral:
        spec["ephemeralContainers"] = ephemeral
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}


UPSTREAM = [
    # TestComputePodQOS
    ("guaranteed", pod([ctr("g", rl("100m", "100Mi"), rl("100m", "100Mi"))]), GUARANTEED),
    (
        "guaranteed-guaranteed",
        pod(
            [
                ctr("a", rl("100m", "100Mi"), rl("100m", "100Mi")),
                ctr("b", rl("100m", "100Mi"), rl("100m", "100Mi")),
            ]
        ),
        GUARANTEED,
    ),
    ("best-effort-best-effort", pod([ctr("a", rl(), rl()), ctr("b", rl(), rl())]), BEST_EFFORT),
    ("best-effort", pod([ctr("a", rl(), rl())]), BEST_EFFORT),
    ("best-effort-burstable", pod([ctr("a", rl(), rl()), ctr("b", rl("1"), rl("2"))]), BURSTABLE),
    (
        "best-effort-guaranteed",
        pod([ctr("a", rl(), rl()), ctr("b", rl("10m", "100Mi"), rl("10m", "100Mi"))]),
        BURSTABLE,
    ),
    (
        "burstable-cpu-guaranteed-memory",
        pod([ctr("a", rl("", "100Mi"), rl("", "100Mi"))]),
        BURSTABLE,
    ),
    ("burstable-no-limits", pod([ctr("a", rl("100m", "100Mi"), rl())]), BURSTABLE),
    (
        "burstable-guaranteed",
        pod(
            [
                ctr("a", rl("1", "100Mi"), rl("2", "100Mi")),
                ctr("b", rl("100m", "100Mi"), rl("100m", "100Mi")),
            ]
        ),
        BURSTABLE,
    ),
    (
        "burstable-unbounded-but-requests-match-limits",
        pod(
            [
                ctr("a", rl("100m", "100Mi"), rl("200m", "200Mi")),
                ctr("b", rl("100m", "100Mi"), rl()),
            ]
        ),
        BURSTABLE,
    ),
    ("burstable-1", pod([ctr("a", rl("10m", "100Mi"), rl("100m", "200Mi"))]), BURSTABLE),
    ("burstable-2", pod([ctr("a", rl("0", "0"), rl("100m", "200Mi"))]), BURSTABLE),
    (
        "best-effort-hugepages",
        pod([ctr("a", rl("0", "0", hugepages_2Mi="1Gi"), rl("0", "0", hugepages_2Mi="1Gi"))]),
        BEST_EFFORT,
    ),
    (
        "init-container",
        pod([ctr("a", rl(), rl())], init=[ctr("i", rl("10m", "100Mi"), rl("100m", "200Mi"))]),
        BURSTABLE,
    ),
    (
        "guaranteed-with-pod-level-resources",
        pod(
            [ctr("a", rl(), rl())],
            resources={"requests": rl("10m", "100Mi"), "limits": rl("10m", "100Mi")},
        ),
        GUARANTEED,
    ),
    (
        "guaranteed-with-pod-and-container-level-resources",
        pod(
            [ctr("a", rl("3m", "10Mi"), rl("5m", "20Mi"))],
            resources={"requests": rl("10m", "100Mi"), "limits": rl("10m", "100Mi")},
        ),
        GUARANTEED,
    ),
    (
        "burstable-with-pod-level-resources",
        pod(
            [ctr("a", rl(), rl())],
            resources={"requests": rl("10m", "10Mi"), "limits": rl("20m", "50Mi")},
        ),
        BURSTABLE,
    ),
    (
        "burstable-with-pod-and-container-level-resources",
        pod(
            [ctr("a", rl("5m", "10Mi"), rl("5m", "10Mi"))],
            resources={"requests": rl("10m", "10Mi"), "limits": rl("20m", "50Mi")},
        ),
        BURSTABLE,
    ),
    (
        "burstable-with-pod-and-container-level-requests",
        pod(
            [ctr("a", rl("5m", "10Mi"), rl())],
            resources={"requests": rl("10m", "10Mi"), "limits": rl()},
        ),
        BURSTABLE,
    ),
    (
        "burstable-with-pod-and-container-level-resources-2",
        pod(
            [ctr("a", rl("5m", "10Mi"), rl()), ctr("b", rl("5m", "10Mi"), rl("5m", "10Mi"))],
            resources={"requests": rl("10m", "10Mi"), "limits": rl("5m")},
        ),
        BURSTABLE,
    ),
    # TestCollectPodLevelResources: only cpu + memory limits together can make it Guaranteed
    (
        "pod-level cpu+mem limits above requests",
        pod(
            [ctr("a", rl(), rl())],
            resources={"requests": rl("100m", "128Mi"), "limits": rl("750m", "512Mi")},
        ),
        BURSTABLE,
    ),
    (
        "pod-level only cpu limit",
        pod(
            [ctr("a", rl(), rl())],
            resources={"requests": rl("100m", "128Mi"), "limits": rl("750m")},
        ),
        BURSTABLE,
    ),
    (
        "pod-level only memory limit",
        pod(
            [ctr("a", rl(), rl())],
            resources={"requests": rl("100m", "128Mi"), "limits": rl("", "512Mi")},
        ),
        BURSTABLE,
    ),
    (
        "pod-level no limits",
        pod([ctr("a", rl(), rl())], resources={"requests": rl("100m", "128Mi"), "limits": rl()}),
        BURSTABLE,
    ),
    # TestCollectContainerLevelResources
    (
        "single container full limits",
        pod([ctr("c1", rl("100m", "200Mi"), rl("200m", "400Mi"))]),
        BURSTABLE,
    ),
    (
        "two containers and init container with limits",
        pod(
            [
                ctr("c1", rl("100m", "100Mi"), rl("200m", "200Mi")),
                ctr("c2", rl("300m", "400Mi"), rl("800m", "1000Mi")),
            ],
            init=[ctr("init", rl("50m", "50Mi"), rl("100m", "100Mi"))],
        ),
        BURSTABLE,
    ),
    ("only cpu limit, zero requests", pod([ctr("c1", rl("0", "0"), rl("100m"))]), BURSTABLE),
    (
        "init container missing cpu limit",
        pod(
            [
                ctr("c1", rl("100m", "100Mi"), rl("200m", "300Mi")),
                ctr("c2", rl("300m", "100Mi"), rl("50m", "300Mi")),
            ],
            init=[ctr("init1", rl("50m", "50Mi"), rl("", "50Mi"))],
        ),
        BURSTABLE,
    ),
    (
        "ephemeral container ignored",
        pod(
            [ctr("c1", rl("250m", "256Mi"), rl("250m", "256Mi"))],
            ephemeral=[{"name": "ec1", "image": "busybox:1.36"}],
        ),
        GUARANTEED,
    ),
]


@pytest.mark.parametrize(
    ("name", "manifest", "expected"), UPSTREAM, ids=[case[0] for case in UPSTREAM]
)
def test_it_matches_upstream_compute_pod_qos(name, manifest, expected):
    assert compute_qos(manifest).qos_class == expected


DEFAULTING = [
    # limits alone: requests default to them, so the Pod is Guaranteed
    ("limits only", pod([ctr("a", rl(), rl("500m", "256Mi"))]), GUARANTEED),
    (
        "limits only, no requests key",
        pod([{"name": "a", "resources": {"limits": rl("1", "1Gi")}}]),
        GUARANTEED,
    ),
    # equal values written differently are equal quantities
    (
        "equal spelled differently",
        pod([ctr("a", rl("0.5", "1Gi"), rl("500m", "1024Mi"))]),
        GUARANTEED,
    ),
    ("1G is not 1Gi", pod([ctr("a", rl("1", "1G"), rl("1", "1Gi"))]), BURSTABLE),
    # values are rounded up to thousandths before the comparison, as they are stored
    ("sub-milli rounding", pod([ctr("a", rl("100u", "1Gi"), rl("200u", "1Gi"))]), GUARANTEED),
    # a sidecar (restartable init container) counts like any container
    (
        "sidecar without limits",
        pod(
            [ctr("a", rl("1", "1Gi"), rl("1", "1Gi"))],
            init=[ctr("proxy", rl(), rl(), restartPolicy="Always")],
        ),
        BURSTABLE,
    ),
    (
        "guaranteed sidecar",
        pod(
            [ctr("a", rl("1", "1Gi"), rl("1", "1Gi"))],
            init=[ctr("proxy", rl("100m", "64Mi"), rl("100m", "64Mi"), restartPolicy="Always")],
        ),
        GUARANTEED,
    ),
    # other resources never count
    ("gpu only", pod([ctr("a", rl(nvidia_com_gpu="1"), rl(nvidia_com_gpu="1"))]), BEST_EFFORT),
    ("ephemeral storage only", pod([ctr("a", rl(ephemeral_storage="1Gi"), rl())]), BEST_EFFORT),
    # pod-level limits only: pod requests default to them
    (
        "pod-level limits only",
        pod([ctr("a", rl(), rl())], resources={"limits": rl("1", "1Gi")}),
        GUARANTEED,
    ),
    # pod-level resources without cpu, memory or hugepages do not take over
    (
        "pod-level with other resources only",
        pod(
            [ctr("a", rl("1", "1Gi"), rl("1", "1Gi"))],
            resources={"requests": {"example.com/foo": "1"}},
        ),
        GUARANTEED,
    ),
    # invalid values are skipped rather than crashing the analysis
    ("invalid limit", pod([ctr("a", rl("1", "1Gi"), rl("lots", "1Gi"))]), BURSTABLE),
    ("no containers", pod([]), BEST_EFFORT),
]


@pytest.mark.parametrize(
    ("name", "manifest", "expected"), DEFAULTING, ids=[case[0] for case in DEFAULTING]
)
def test_it_classifies_the_pod_as_stored_after_defaulting(name, manifest, expected):
    assert compute_qos(manifest).qos_class == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("my-app-pod", BURSTABLE),  # requests 250m/128Mi, limits 500m/256Mi
        ("postgres-pod", BURSTABLE),  # requests 500m/256Mi, limits 1000m/512Mi
        ("nginx-pod", BEST_EFFORT),
        ("secure-pod", BEST_EFFORT),
        ("app-with-init", BEST_EFFORT),
        ("app-with-proxy", BEST_EFFORT),
        ("app-with-adapter", BEST_EFFORT),
        ("web-with-logging", BEST_EFFORT),
    ],
)
def test_seed_pods(seed, name, expected):
    assert compute_qos(seed(name)).qos_class == expected


def test_the_seed_guaranteed_example_is_guaranteed():
    resources = {
        "requests": {"memory": "256Mi", "cpu": "500m"},
        "limits": {"memory": "256Mi", "cpu": "500m"},
    }
    manifest = pod([{"name": "app", "image": "my-app:1.0", "resources": resources}])
    result = compute_qos(manifest)
    assert result.qos_class == GUARANTEED
    assert "so the Pod is Guaranteed" in result.reasons[-1]


def test_burstable_reasons_name_the_container_and_the_gap(seed):
    reasons = compute_qos(seed("my-app-pod")).reasons
    assert (
        'container "app": cpu request 250m differs from limit 500m, so the Pod cannot be Guaranteed'
        in reasons
    )
    assert any("memory request 128Mi differs from limit 256Mi" in reason for reason in reasons)


def test_missing_limit_is_explained():
    reasons = compute_qos(pod([ctr("web", rl("100m", "100Mi"), rl("100m"))])).reasons
    assert any('container "web": memory request 100Mi has no limit' in reason for reason in reasons)


def test_best_effort_is_explained():
    assert compute_qos(pod([ctr("a", rl(), rl())])).reasons == [
        "no container sets cpu or memory requests or limits, so the Pod is BestEffort"
    ]


def test_defaulted_requests_are_explained():
    reasons = compute_qos(pod([{"name": "app", "resources": {"limits": rl("1", "1Gi")}}])).reasons
    assert any("default to the limits" in reason for reason in reasons)


def test_pod_level_reasons_say_spec_resources_decides():
    manifest = pod(
        [ctr("a", rl(), rl())],
        resources={"requests": rl("10m", "10Mi"), "limits": rl("20m", "50Mi")},
    )
    reasons = compute_qos(manifest).reasons
    assert any("spec.resources" in reason for reason in reasons)
    assert any("cpu request 10m differs from limit 20m" in reason for reason in reasons)


@pytest.mark.parametrize(
    "manifest",
    [
        None,
        "pod",
        [],
        {},
        {"spec": []},
        {"spec": {"containers": "nginx"}},
        {"spec": {"containers": [None, 1, "x"]}},
        {"spec": {"containers": [{"resources": "lots"}]}},
        {"spec": {"containers": [{"resources": {"limits": ["1"], "requests": 2}}]}},
        {"spec": {"containers": [{"resources": {"limits": {"cpu": True, "memory": None}}}]}},
        {"spec": {"resources": "big", "containers": []}},
        {"spec": {"resources": {"limits": {"cpu": []}}, "containers": []}},
        {"spec": {"initContainers": {"name": "x"}}},
    ],
)
def test_wrong_shapes_never_raise(manifest):
    assert compute_qos(manifest).qos_class in (GUARANTEED, BURSTABLE, BEST_EFFORT)
