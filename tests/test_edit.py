"""The builder's form as pure functions: what it posts back, what it changes and what it keeps."""

import copy
from pathlib import Path

import pytest

from podstudio.builder.edit import (
    apply_action,
    apply_form,
    build_form,
    form_data,
    iter_inputs,
    kept_as_is,
)
from podstudio.engine.analyze import analyze
from podstudio.engine.yamlio import load_manifest
from tests.content_files import EXAMPLES

ROOT = Path(__file__).parent.parent
SEED = sorted((Path(__file__).parent / "manifests" / "seed").glob("*.yaml"))
GALLERY = sorted((ROOT / "podstudio" / "builder" / "gallery").glob("*.yaml"))


def _read(path: Path) -> dict:
    return load_manifest(path.read_text())


def _post(manifest: dict, **changes: str) -> dict:
    data = dict(form_data(manifest))
    data.update(changes)
    return apply_form(manifest, data).manifest


@pytest.mark.parametrize("path", SEED + GALLERY + EXAMPLES, ids=lambda p: p.stem)
def test_posting_the_form_back_unchanged_changes_nothing(path):
    manifest = _read(path)
    result = apply_form(manifest, dict(form_data(manifest)))
    assert result.manifest == manifest
    assert result.structural is False


@pytest.mark.parametrize("path", SEED, ids=lambda p: p.stem)
def test_the_form_shows_every_seed_field_or_keeps_it(path):
    """Every leaf of the seed is either an input of the form or listed as kept as is."""
    manifest = _read(path)
    names = set()
    for item in iter_inputs(build_form(manifest)):
        # a "kind" select shows which source a volume uses, e.g. emptyDir: {}
        is_kind = item.name.endswith("@kind")
        names.add(f"{item.name[:-5]}.{item.value}" if is_kind else item.name)
    kept = {item.path for item in kept_as_is(manifest)}

    def leaves(value, prefix):
        if isinstance(value, dict) and value:
            for key, item in value.items():
                yield from leaves(item, f"{prefix}.{key}" if prefix else key)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for index, item in enumerate(value):
                yield from leaves(item, f"{prefix}[{index}]")
        else:
            yield prefix

    for leaf in leaves(manifest, ""):
        if leaf in ("apiVersion", "kind"):
            continue
        covered = any(leaf == n or leaf.startswith(f"{n}.") for n in names | kept)
        assert covered, leaf


# (seed, posted name, posted value, path to the changed value, expected value)
ONE_FIELD_CHANGES = [
    ("nginx-pod", "metadata.name", "web", ["metadata", "name"], "web"),
    (
        "nginx-pod",
        "spec.containers[0].ports[0].containerPort",
        "8080",
        ["spec", "containers", 0, "ports", 0, "containerPort"],
        8080,
    ),
    (
        "my-app-pod",
        "spec.containers[0].livenessProbe.periodSeconds",
        "20",
        ["spec", "containers", 0, "livenessProbe", "periodSeconds"],
        20,
    ),
    (
        "my-app-pod",
        "spec.containers[0].livenessProbe.httpGet.port",
        "http",
        ["spec", "containers", 0, "livenessProbe", "httpGet", "port"],
        "http",
    ),
    (
        "my-app-pod",
        "spec.containers[0].resources.limits.cpu",
        "750",
        ["spec", "containers", 0, "resources", "limits", "cpu"],
        "750m",
    ),
    (
        "my-app-pod",
        "spec.tolerations[0].value",
        "frontend",
        ["spec", "tolerations", 0, "value"],
        "frontend",
    ),
    (
        "app-with-proxy",
        "spec.containers[1].env[1].value",
        "6432",
        ["spec", "containers", 1, "env", 1, "value"],
        "6432",
    ),
    (
        "secure-pod",
        "spec.securityContext.runAsUser",
        "2000",
        ["spec", "securityContext", "runAsUser"],
        2000,
    ),
    (
        "secure-pod",
        "spec.securityContext.runAsNonRoot",
        "false",
        ["spec", "securityContext", "runAsNonRoot"],
        False,
    ),
    (
        "secure-pod",
        "spec.containers[0].securityContext.capabilities.add",
        "NET_BIND_SERVICE\nCHOWN",
        ["spec", "containers", 0, "securityContext", "capabilities", "add"],
        ["NET_BIND_SERVICE", "CHOWN"],
    ),
    (
        "postgres-pod",
        "spec.volumes[0].persistentVolumeClaim.claimName",
        "pg-data",
        ["spec", "volumes", 0, "persistentVolumeClaim", "claimName"],
        "pg-data",
    ),
    (
        "my-app-pod",
        "metadata.labels",
        "app=my-app\ntier=frontend\nversion=1.0",
        ["metadata", "labels"],
        {"app": "my-app", "tier": "frontend", "version": "1.0"},
    ),
]


@pytest.mark.parametrize(("seed", "name", "value", "keys", "expected"), ONE_FIELD_CHANGES)
def test_a_change_to_one_field_changes_only_that_field(seed, name, value, keys, expected):
    manifest = _read(Path(__file__).parent / "manifests" / "seed" / f"{seed}.yaml")
    wanted = copy.deepcopy(manifest)
    holder = wanted
    for key in keys[:-1]:
        holder = holder[key]
    holder[keys[-1]] = expected
    assert _post(manifest, **{name: value}) == wanted


def test_values_keep_their_type_when_untouched():
    manifest = load_manifest(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {version: '1.0'}}\n"
        "spec:\n  containers: [{name: a, image: a, resources: {limits: {cpu: 1}},"
        " env: [{name: P, value: '5432'}]}]\n"
        "  volumes: [{name: s, secret: {secretName: s, defaultMode: 0440}}]\n"
    )
    result = _post(manifest, **{"metadata.name": "b"})
    assert result["metadata"]["labels"]["version"] == "1.0"
    assert result["spec"]["containers"][0]["resources"]["limits"]["cpu"] == 1
    assert result["spec"]["containers"][0]["env"][0]["value"] == "5432"
    assert result["spec"]["volumes"][0]["secret"]["defaultMode"] == 288


def test_an_empty_input_removes_its_key():
    manifest = _read(SEED[3])  # my-app-pod
    result = _post(manifest, **{"metadata.namespace": "", "spec.nodeSelector": ""})
    assert "namespace" not in result["metadata"]
    assert "nodeSelector" not in result["spec"]


def test_emptied_resources_disappear_entirely():
    manifest = _read(Path(__file__).parent / "manifests" / "seed" / "postgres-pod.yaml")
    cleared = {
        f"spec.containers[0].resources.{kind}.{res}": ""
        for kind in ("requests", "limits")
        for res in ("cpu", "memory")
    }
    assert "resources" not in _post(manifest, **cleared)["spec"]["containers"][0]


def test_text_that_is_not_a_number_is_kept_for_validation_to_explain():
    manifest = _read(Path(__file__).parent / "manifests" / "seed" / "nginx-pod.yaml")
    result = _post(manifest, **{"spec.containers[0].ports[0].containerPort": "eighty"})
    assert result["spec"]["containers"][0]["ports"][0]["containerPort"] == "eighty"


def test_quantity_and_image_are_joined_from_their_parts():
    manifest = _read(Path(__file__).parent / "manifests" / "seed" / "nginx-pod.yaml")
    result = _post(
        manifest,
        **{
            "spec.containers[0].resources.requests.memory": "1.5",
            "spec.containers[0].resources.requests.memory@unit": "Gi",
            "spec.containers[0].image": "nginx",
            "spec.containers[0].image@tag": "1.27",
        },
    )
    container = result["spec"]["containers"][0]
    assert container["resources"] == {"requests": {"memory": "1.5Gi"}}
    assert container["image"] == "nginx:1.27"


def test_unchecking_read_only_removes_it_and_the_sidecar_switch_sets_always():
    manifest = _read(Path(__file__).parent / "manifests" / "seed" / "web-with-logging.yaml")
    data = dict(form_data(manifest))
    data.pop("spec.containers[1].volumeMounts[0].readOnly")
    result = apply_form(manifest, data).manifest
    assert "readOnly" not in result["spec"]["containers"][1]["volumeMounts"][0]

    init = _read(Path(__file__).parent / "manifests" / "seed" / "app-with-init.yaml")
    result = _post(init, **{"spec.initContainers[1].restartPolicy": "on"})
    assert result["spec"]["initContainers"][1]["restartPolicy"] == "Always"
    assert "restartPolicy" not in result["spec"]["initContainers"][0]


def test_switching_a_probe_handler_keeps_its_timings_and_redraws_the_form():
    manifest = _read(Path(__file__).parent / "manifests" / "seed" / "my-app-pod.yaml")
    data = dict(form_data(manifest))
    data["spec.containers[0].livenessProbe@kind"] = "tcpSocket"
    result = apply_form(manifest, data)
    probe = result.manifest["spec"]["containers"][0]["livenessProbe"]
    assert probe == {"tcpSocket": {"port": 8080}, "initialDelaySeconds": 30, "periodSeconds": 10}
    assert result.structural is True


@pytest.mark.parametrize(
    ("image", "ports", "port"),
    [
        ("nginx:1.27", None, 80),  # the builder's blank Pod: nginx answers on 80
        ("docker.io/library/httpd:2.4", None, 80),
        ("registry.example/shop/api:4.0", None, 8080),  # an application's usual port
        ("nginx:1.27", [{"containerPort": 8081}], 8081),  # the container's own port first
    ],
)
def test_new_probes_check_the_containers_port_and_readiness_is_not_liveness(image, ports, port):
    container = {"name": "app", "image": image, **({"ports": ports} if ports else {})}
    manifest = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}
    manifest["spec"] = {"containers": [container]}
    result = _post(
        manifest,
        **{
            "spec.containers[0].livenessProbe@kind": "httpGet",
            "spec.containers[0].readinessProbe@kind": "httpGet",
        },
    )
    probes = result["spec"]["containers"][0]
    assert probes["livenessProbe"] == {"httpGet": {"path": "/healthz", "port": port}}
    assert probes["readinessProbe"] == {"httpGet": {"path": "/readyz", "port": port}}
    rules = {finding.id for finding in analyze(result).findings}
    assert "identical-probes" not in rules  # the defaults do not warn of themselves


def test_switching_a_volume_source_and_an_env_source():
    manifest = _read(Path(__file__).parent / "manifests" / "seed" / "my-app-pod.yaml")
    result = _post(
        manifest,
        **{
            "spec.volumes[0]@kind": "secret",
            "spec.containers[0].env[0]@kind": "fieldRef",
        },
    )
    assert set(result["spec"]["volumes"][0]) == {"name", "secret"}
    env = result["spec"]["containers"][0]["env"][0]
    assert env == {"name": "ENV_VAR", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}


def test_removing_a_probe_with_the_none_choice():
    manifest = _read(Path(__file__).parent / "manifests" / "seed" / "my-app-pod.yaml")
    result = _post(manifest, **{"spec.containers[0].readinessProbe@kind": ""})
    assert "readinessProbe" not in result["spec"]["containers"][0]


def test_names_the_form_does_not_know_are_ignored():
    manifest = _read(Path(__file__).parent / "manifests" / "seed" / "nginx-pod.yaml")
    result = _post(
        manifest,
        **{
            "spec.hostPID": "true",
            "spec.containers[5].name": "ghost",
            "csrfmiddlewaretoken": "x",
            "spec.containers[0].name@whatever": "y",
        },
    )
    assert result == manifest


@pytest.mark.parametrize(
    ("action", "check"),
    [
        ("add:spec.containers", lambda m: len(m["spec"]["containers"]) == 3),
        (
            "remove:spec.containers[0]",
            lambda m: [c["name"] for c in m["spec"]["containers"]] == ["prometheus-adapter"],
        ),
        ("down:spec.containers[0]", lambda m: m["spec"]["containers"][1]["name"] == "legacy-app"),
        (
            "up:spec.containers[1]",
            lambda m: m["spec"]["containers"][0]["name"] == "prometheus-adapter",
        ),
        (
            "add:spec.containers[0].ports",
            lambda m: m["spec"]["containers"][0]["ports"] == [{"containerPort": 8080}],
        ),
        ("remove:spec.containers[1].ports[0]", lambda m: "ports" not in m["spec"]["containers"][1]),
        ("add:spec.tolerations", lambda m: len(m["spec"]["tolerations"]) == 1),
        ("add:spec.initContainers", lambda m: m["spec"]["initContainers"][0]["name"] == "init-1"),
        (
            "add:spec.volumes",
            lambda m: m["spec"]["volumes"][1] == {"name": "volume-1", "emptyDir": {}},
        ),
        (
            "add:spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
            ".nodeSelectorTerms",
            lambda m: "nodeAffinity" in m["spec"]["affinity"],
        ),
    ],
)
def test_structural_actions(action, check):
    manifest = _read(Path(__file__).parent / "manifests" / "seed" / "app-with-adapter.yaml")
    result = apply_action(manifest, action)
    assert result is not None and check(result)
    assert _read(Path(__file__).parent / "manifests" / "seed" / "app-with-adapter.yaml") == manifest


@pytest.mark.parametrize(
    "action",
    [
        "up:spec.containers[0]",
        "down:spec.containers[1]",
        "remove:spec.containers[9]",
        "add:spec.hostAliases",
        "add:metadata.name",
        "explode:spec.containers",
        "",
    ],
)
def test_actions_that_do_not_apply_change_nothing(action):
    manifest = _read(Path(__file__).parent / "manifests" / "seed" / "app-with-adapter.yaml")
    assert apply_action(manifest, action) is None


def test_kept_as_is_lists_what_the_form_cannot_edit():
    manifest = load_manifest(
        "kind: Pod\napiVersion: v1\nmetadata: {name: a, ownerReferences: [{kind: X}]}\n"
        "spec:\n  hostAliases: [{ip: 1.2.3.4, hostnames: [db]}]\n"
        "  containers:\n  - name: a\n    image: a\n    stdin: true\n"
        '    command: [sh, -c, "echo a\\necho b"]\n'
        "    resources: {limits: {nvidia.com/gpu: 1, cpu: 1}}\n"
        "status: {phase: Running}\n"
    )
    kept = {item.path: item.yaml for item in kept_as_is(manifest)}
    assert set(kept) == {
        "metadata.ownerReferences",
        "spec.hostAliases",
        "spec.containers[0].stdin",
        "spec.containers[0].command",
        "spec.containers[0].resources.limits[nvidia.com/gpu]",
        "status",
    }
    assert "phase: Running" in kept["status"]
    # ...and the multi-line command survives an edit of another field.
    result = _post(manifest, **{"spec.containers[0].name": "b"})
    assert result["spec"]["containers"][0]["command"] == ["sh", "-c", "echo a\necho b"]


@pytest.mark.parametrize(
    "manifest",
    [
        {"kind": "Pod"},
        {"kind": "Pod", "spec": []},
        {"kind": "Pod", "spec": {"containers": "nginx"}},
        {"kind": "Pod", "spec": {"containers": ["nginx", None, {"ports": "80"}]}},
        {"kind": "Pod", "metadata": "x", "spec": {"volumes": [{"name": 1, "emptyDir": []}]}},
        {"kind": "Pod", "spec": {"containers": [{"resources": {"limits": "big"}}]}},
    ],
)
def test_manifests_of_the_wrong_shape_never_crash(manifest):
    data = dict(form_data(manifest))
    assert apply_form(manifest, data).manifest == manifest
    kept_as_is(manifest)
    data["spec.containers[0].resources.limits.cpu"] = "1"
    apply_form(manifest, data)


@pytest.mark.parametrize("path", SEED + GALLERY, ids=lambda p: p.stem)
def test_errors_are_placed_at_places_the_form_really_has(path):
    """``slot_for`` works from patterns; every place it can pick must exist in the form."""
    from podstudio.builder.edit import iter_slots, slot_for

    manifest = _read(path)
    slots = set(iter_slots(build_form(manifest)))
    for slot in slots:
        if "@" not in slot and not slot.startswith(("spec.lifecycle", "spec.scheduling")):
            assert slot_for(slot) in slots
    assert slot_for("spec.overhead.cpu") is None


def test_a_posted_query_dict_is_read_as_django_reads_it():
    """The view passes ``request.POST``: the last value of a repeated name counts."""
    from urllib.parse import urlencode

    from django.http import QueryDict

    manifest = _read(Path(__file__).parent / "manifests" / "seed" / "nginx-pod.yaml")
    before = copy.deepcopy(manifest)
    pairs = [*form_data(manifest), ("metadata.name", "first"), ("metadata.name", "second")]
    result = apply_form(manifest, QueryDict(urlencode(pairs))).manifest
    assert result["metadata"]["name"] == "second"
    assert manifest == before  # the stored manifest is left alone
    result["spec"]["containers"][0]["name"] = "changed"
    assert manifest == before  # ...and shares nothing with the result


EMPTY_PARENTS = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
  containers:
  - name: web
    image: nginx:1.25
    env:
    resources:
"""


@pytest.mark.parametrize(
    ("field", "value", "keys", "expected"),
    [
        (
            "spec.containers[0].resources.requests.cpu",
            "250m",
            ("spec", "containers", 0, "resources"),
            {"requests": {"cpu": "250m"}},
        ),
        (
            "spec.securityContext.runAsUser",
            "1000",
            ("spec", "securityContext"),
            {"runAsUser": 1000},
        ),
    ],
)
def test_a_value_set_under_a_key_written_with_no_value_is_kept(field, value, keys, expected):
    """``resources:`` with nothing after it is null: an edit below it once vanished while the
    page said "Saved."."""
    manifest = load_manifest(EMPTY_PARENTS)
    posted = _post(manifest, **{field: value})
    holder = posted
    for key in keys:
        holder = holder[key]
    assert holder == expected


def test_add_appends_to_a_list_written_with_no_value():
    manifest = load_manifest(EMPTY_PARENTS)
    result = apply_action(manifest, "add:spec.containers[0].env")
    assert result is not None
    assert len(result["spec"]["containers"][0]["env"]) == 1
