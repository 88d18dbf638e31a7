"""The Pod diagram: order of init containers, sidecars, mounts, probes, escaping, accessibility."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from podstudio.builder.diagram import pod_diagram_svg
from podstudio.engine.analyze import analyze
from podstudio.engine.yamlio import load_manifest

SVG = "{http://www.w3.org/2000/svg}"
SEED = Path(__file__).parent / "manifests" / "seed"


def _svg(manifest: dict) -> ET.Element:
    return ET.fromstring(pod_diagram_svg(manifest, analyze(manifest)))


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def _groups(root: ET.Element, css: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if css in g.get("class", "").split()]


def _seed(name: str) -> dict:
    return load_manifest((SEED / f"{name}.yaml").read_text())


def test_it_is_an_accessible_image():
    root = _svg(_seed("nginx-pod"))
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text.startswith("Diagram of Pod nginx-pod")
    assert "1 app container(s): nginx" in root.find(f"{SVG}desc").text
    assert root.get("aria-labelledby") == "diagram-title diagram-desc"


def test_its_name_gives_a_qos_class_only_for_a_valid_pod():
    """The page says "QoS: not checked until valid"; the diagram's name said BestEffort."""
    pod = _seed("nginx-pod")
    assert ", QoS class " in _svg(pod).find(f"{SVG}title").text
    pod["spec"]["containers"][0]["name"] = "Bad_Name"
    assert "QoS" not in _svg(pod).find(f"{SVG}title").text


def test_init_containers_are_numbered_in_the_order_they_run():
    root = _svg(_seed("app-with-init"))
    inits = _groups(root, "dg-init")
    assert [g.find(f"{SVG}title").text.split(":")[0] for g in inits] == [
        "init container wait-for-db",
        "init container fetch-config",
    ]
    texts = _texts(root)
    assert texts.index("1") < texts.index("wait-for-db") < texts.index("2")
    assert texts.index("2") < texts.index("fetch-config") < texts.index("app")


def test_a_native_sidecar_is_drawn_as_a_sidecar_not_an_init_step():
    manifest = _seed("app-with-init")
    manifest["spec"]["initContainers"][1]["restartPolicy"] = "Always"
    root = _svg(manifest)
    assert len(_groups(root, "dg-init")) == 1
    sidecars = _groups(root, "dg-sidecar")
    assert [g.find(f"{SVG}title").text.split(":")[0] for g in sidecars] == [
        "sidecar container fetch-config"
    ]


def test_mount_lines_are_dashed_when_read_only():
    root = _svg(_seed("web-with-logging"))
    lines = list(root.iter(f"{SVG}line"))
    by_title = {line.find(f"{SVG}title").text: line for line in lines}
    assert set(by_title) == {
        "web-app → logs: read-write",
        "log-shipper → logs: read-only",
    }
    assert by_title["log-shipper → logs: read-only"].get("stroke-dasharray")
    assert by_title["web-app → logs: read-write"].get("stroke-dasharray") is None


def test_ports_resources_and_probe_badges_are_shown():
    root = _svg(_seed("my-app-pod"))
    texts = _texts(root)
    assert "ports: 8080/TCP http" in texts
    assert "requests: cpu 250m · mem 128Mi" in texts
    assert "limits: cpu 500m · mem 256Mi" in texts
    probes = {g.find(f"{SVG}title").text: g.get("class") for g in _groups(root, "dg-probe")}
    assert probes["liveness probe: HTTP GET /healthz on port 8080"] == "dg-probe on"
    assert probes["readiness probe: HTTP GET /ready on port 8080"] == "dg-probe on"
    assert probes["no startup probe"] == "dg-probe off"


def test_requests_left_out_show_the_limits_the_server_copies_into_them():
    """Defaulting copies a limit into a missing request (that is why the badge says
    Guaranteed), so the diagram must not say "requests: none"."""
    manifest = _seed("my-app-pod")
    resources = manifest["spec"]["containers"][0]["resources"]
    del resources["requests"]
    texts = _texts(_svg(manifest))
    assert "requests: as limits (defaulted)" in texts
    resources["requests"] = {"cpu": "100m"}
    assert "requests: cpu 100m · mem 256Mi" in _texts(_svg(manifest))
    del resources["limits"]
    assert "requests: cpu 100m · mem –" in _texts(_svg(manifest))


def test_volumes_show_their_type_and_host_path_is_flagged():
    manifest = _seed("postgres-pod")
    manifest["spec"]["volumes"].append({"name": "host", "hostPath": {"path": "/"}})
    root = _svg(manifest)
    volumes = {g.find(f"{SVG}title").text: g.get("class") for g in _groups(root, "dg-volume")}
    assert volumes["volume data: persistentVolumeClaim"] == "dg-volume"
    assert volumes["volume host: hostPath (unsafe: the node’s own files)"] == "dg-volume unsafe"


def test_all_text_is_escaped_and_there_are_no_inline_styles():
    evil = '<script>alert("x")</script>'
    manifest = {
        "kind": "Pod",
        "metadata": {"name": evil},
        "spec": {
            "containers": [{"name": evil, "image": evil, "volumeMounts": [{"name": evil}]}],
            "volumes": [{"name": evil, "emptyDir": {}}],
        },
    }
    svg = pod_diagram_svg(manifest, analyze(manifest))
    assert "<script" not in svg
    assert "style=" not in svg
    ET.fromstring(svg)  # still well-formed


@pytest.mark.parametrize(
    "manifest",
    [
        {},
        {"spec": "x"},
        {"spec": {"containers": "x", "volumes": {"a": 1}}},
        {"spec": {"containers": [None, 1, {"ports": "80", "resources": []}]}},
        {"spec": {"initContainers": [{"livenessProbe": "yes", "volumeMounts": [1]}]}},
    ],
)
def test_wrong_shapes_still_draw(manifest):
    ET.fromstring(pod_diagram_svg(manifest, None))
