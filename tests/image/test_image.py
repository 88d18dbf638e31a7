"""The built image (``make image``) run the way deploy/app/ runs it: the migration Job, then the
web container on a read-only root file system with the Deployment's user, settings and probes."""

import json
import re
import secrets
from pathlib import Path

import pytest
import yaml

from podstudio.engine.quantity import parse_quantity
from podstudio.engine.schema import SUPPORTED_VERSIONS
from tests.image.podrun import Run, plan_container

pytestmark = pytest.mark.image

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "deploy" / "app"


def manifest(name: str) -> dict:
    return yaml.safe_load((APP / name).read_text())


DEPLOYMENT = manifest("deployment.yaml")
POD_SPEC = DEPLOYMENT["spec"]["template"]["spec"]
WEB = POD_SPEC["containers"][0]


def probe(name: str) -> tuple[str, dict[str, str]]:
    """The URL and headers the kubelet uses for one of the web container's probes."""
    get = WEB[name]["httpGet"]
    (port,) = [p["containerPort"] for p in WEB["ports"] if p["name"] == get["port"]]
    headers = {item["name"]: item["value"] for item in get["httpHeaders"]}
    return f"http://127.0.0.1:{port}{get['path']}", headers


LIVENESS_URL, PROBE_HEADERS = probe("livenessProbe")
READINESS_URL, _ = probe("readinessProbe")
BASE_URL = LIVENESS_URL.removesuffix("/healthz")


def test_the_image_runs_as_the_numeric_non_root_user_the_pods_name(image_config):
    # Numeric, so the kubelet can check runAsNonRoot without reading the image's /etc/passwd.
    user, _, group = image_config["User"].partition(":")
    assert user.isdigit() and int(user) != 0
    for workload in (DEPLOYMENT, manifest("migrate-job.yaml")):
        security = workload["spec"]["template"]["spec"]["securityContext"]
        assert (security["runAsUser"], security["runAsGroup"]) == (int(user), int(group))


def test_the_image_holds_no_secret_key_and_no_database(rootfs):
    app = rootfs / "app"
    assert list((app / "var").iterdir()) == []
    assert not list(app.rglob("secret_key"))
    assert not list(app.rglob("*.sqlite3*"))


def test_static_files_are_collected_into_the_image(rootfs):
    collected = rootfs / "app" / "staticfiles"
    for source in (ROOT / "static").rglob("*"):
        if source.is_file():
            assert (collected / source.relative_to(ROOT / "static")).is_file(), source


def test_the_postgresql_driver_runs_in_the_image(rootfs, image_config, tmp_path):
    job = manifest("migrate-job.yaml")
    spec = job["spec"]["template"]["spec"]
    spec["containers"][0]["command"] = [
        "python",
        "-c",
        "import psycopg; print(psycopg.pq.version())",
    ]
    plan = plan_container(
        image_config=image_config,
        pod_spec=spec,
        config_maps={"podstudio-config": {}},
        secrets={"podstudio-secrets": {"SECRET_KEY": "unused", "DATABASE_URL": "unused"}},
    )
    run = Run(str(rootfs), plan, tmp_path / "psycopg.log")
    assert run.wait(timeout=60) == 0, run.output()
    assert run.output().strip().isdigit()  # libpq's version: the binary driver loaded


@pytest.fixture(scope="module")
def site(rootfs, image_config, tmp_path_factory):
    """The migration Job run to completion, then the web container serving."""
    database = tmp_path_factory.mktemp("database")  # stands in for PostgreSQL: outside the Pod
    database.chmod(0o1777)
    config_maps = {"podstudio-config": manifest("configmap.yaml")["data"]}
    secrets_ = {
        "podstudio-secrets": {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": "sqlite:////mnt/podstudio.sqlite3",
        }
    }

    def plan(workload: dict):
        return plan_container(
            image_config=image_config,
            pod_spec=workload["spec"]["template"]["spec"],
            config_maps=config_maps,
            secrets=secrets_,
            shared={"/mnt": str(database)},
        )

    logs = tmp_path_factory.mktemp("logs")
    migrate = Run(str(rootfs), plan(manifest("migrate-job.yaml")), logs / "migrate.log")
    assert migrate.wait(timeout=180) == 0, migrate.output()

    web = Run(str(rootfs), plan(DEPLOYMENT), logs / "web.log")
    try:
        web.wait_until_answering(LIVENESS_URL, PROBE_HEADERS)
        yield web
    finally:
        web.stop()


def test_the_probes_answer_ok(site):
    liveness = site.curl(LIVENESS_URL, headers=PROBE_HEADERS)
    assert (liveness["status"], liveness["body"]) == (200, b"ok\n")
    readiness = site.curl(READINESS_URL, headers=PROBE_HEADERS)
    assert readiness["status"] == 200, readiness["body"]
    assert json.loads(readiness["body"])["ready"] is True


def test_the_site_serves_pages_and_its_static_files(site):
    page = site.curl(f"{BASE_URL}/lessons/", headers=PROBE_HEADERS)
    assert page["status"] == 200
    stylesheets = re.findall(rb'href="(/static/[^"]+\.css)"', page["body"])
    assert stylesheets
    for href in stylesheets:
        # Hashed names from the build's collectstatic, compressed, cached for good.
        assert re.search(rb"\.[0-9a-f]{12}\.css$", href), href
        asset = site.curl(
            f"{BASE_URL}{href.decode()}", headers={**PROBE_HEADERS, "Accept-Encoding": "gzip"}
        )
        assert asset["status"] == 200, href
        assert asset["headers"]["content-type"].startswith("text/css")
        assert asset["headers"]["content-encoding"] == "gzip"
        assert "immutable" in asset["headers"]["cache-control"]


@pytest.mark.parametrize("version", [SUPPORTED_VERSIONS[0], SUPPORTED_VERSIONS[-1]])
def test_the_analyzer_has_its_schemas_in_the_image(site, version):
    """The oldest and newest schema: the image leaves out only files the engine never reads."""
    pod = b"apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: web}]\n"
    answer = site.curl(
        f"{BASE_URL}/api/v1/analyze?k8s_version={version}",
        headers={**PROBE_HEADERS, "Content-Type": "application/yaml"},
        data=pod,
    )
    assert answer["status"] == 200, answer["body"]
    report = json.loads(answer["body"])
    assert report["valid"] is False
    assert [error["path"] for error in report["errors"]] == ["spec.containers[0].image"]


def test_the_server_runs_unprivileged_as_the_pods_user_within_its_memory_limit(site):
    for _ in range(3):  # every worker has served the heavier pages once or more
        site.curl(f"{BASE_URL}/lessons/", headers=PROBE_HEADERS)
        site.curl(f"{BASE_URL}/builder/", headers=PROBE_HEADERS)
    resident = 0
    for pid in site.tree():
        status = Path(f"/proc/{pid}/status").read_text()
        assert re.search(r"^Uid:\s+10001\s", status, re.M), status
        assert re.search(r"^NoNewPrivs:\s+1$", status, re.M), status
        assert re.search(r"^CapBnd:\s+0+$", status, re.M), status
        resident += int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1)) * 1024
    # Resident sizes count pages the workers share with the master, so this overstates the use.
    limit = parse_quantity(WEB["resources"]["limits"]["memory"])
    assert resident < limit * 6 / 10, f"{resident / 2**20:.0f} MiB resident"
