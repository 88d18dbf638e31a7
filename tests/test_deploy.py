"""deploy/app/, the manifests that run Pod Studio itself: rated by Pod Studio's own analyzer, and
the settings they document checked by Django's deployment checks and answered on the probes."""

import json
import os
import secrets
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from podstudio.engine.analyze import analyze
from podstudio.engine.kinds import kind_of, template_of

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "deploy" / "app"


def read(name: str) -> dict:
    return yaml.safe_load((APP / name).read_text())


# The QoS class each workload's comments promise: memory request = limit, CPU without a limit.
INTENDED_QOS = {
    "deployment.yaml": "Burstable",
    "migrate-job.yaml": "Burstable",
    "cleanup-cronjob.yaml": "Burstable",
}


def containers(workload: dict) -> list[dict]:
    return template_of(workload, kind_of(workload))["spec"]["containers"]


@pytest.mark.parametrize("name", sorted(INTENDED_QOS))
def test_the_analyzer_rates_each_workload_as_intended_and_restricted(name):
    report = analyze(read(name))
    assert report.errors == []
    assert report.qos.qos_class == INTENDED_QOS[name]
    assert report.pss.level == "restricted"
    assert report.pss.violations == []
    assert report.findings == []  # nothing a careful reviewer would change


def test_every_workload_in_the_folder_has_an_intended_qos_class():
    kinds = {path.name: kind_of(yaml.safe_load(path.read_text())) for path in APP.glob("*.yaml")}
    workloads = {name for name, kind in kinds.items() if kind is not None and not kind.is_pod}
    assert workloads == set(INTENDED_QOS)


def test_the_workloads_run_the_version_make_image_builds():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    for name in INTENDED_QOS:
        for container in containers(read(name)):
            assert container["image"].endswith(f"/podstudio:{version}")


def test_the_probes_are_the_apps_health_endpoints():
    container = read("deployment.yaml")["spec"]["template"]["spec"]["containers"][0]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/ready"


def test_secrets_come_from_the_operators_secret_and_nothing_else_does():
    config = read("configmap.yaml")["data"]
    assert not {"SECRET_KEY", "DATABASE_URL"} & set(config)
    for name in INTENDED_QOS:
        container = containers(read(name))[0]
        from_secret = {
            item["name"]: item["valueFrom"]["secretKeyRef"]
            for item in container["env"]
            if "secretKeyRef" in item.get("valueFrom", {})
        }
        assert from_secret == {
            key: {"name": "podstudio-secrets", "key": key} for key in ("SECRET_KEY", "DATABASE_URL")
        }
        assert container["envFrom"] == [{"configMapRef": {"name": "podstudio-config"}}]


def production_env(tmp_path: Path, **changes: str | None) -> dict[str, str]:
    """The environment of a web Pod: the ConfigMap, a long random key and a database URL.

    ``changes`` overrides a variable (``None`` removes it). Nothing else of the test run's own
    environment is passed on, so only what the manifests say reaches the server.
    """
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env["DJANGO_SETTINGS_MODULE"] = "podstudio.settings"
    env.update(read("configmap.yaml")["data"])
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'podstudio.sqlite3'}"
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    result = check_deploy(production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("changes", "warning"),
    [
        ({"SECURE_SSL_REDIRECT": None}, "security.W008"),
        ({"SECURE_HSTS_INCLUDE_SUBDOMAINS": None}, "security.W005"),
        ({"SECURE_COOKIES": "false"}, "security.W012"),
        ({"SECRET_KEY": "short"}, "security.W009"),
    ],
)
def test_check_deploy_warns_when_a_documented_setting_is_missing(tmp_path, changes, warning):
    result = check_deploy(production_env(tmp_path, **changes))
    assert result.returncode != 0
    assert warning in result.stderr


# Run in a fresh interpreter with the production environment: migrate, then send each probe of
# the Deployment (path and headers as the kubelet sends them) through the whole middleware stack.
PROBE_SCRIPT = """
import json, sys
import django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
answers = {}
for path, headers in json.loads(sys.argv[1]):
    response = Client().get(path, headers=headers)
    answers[path] = [response.status_code, response.headers.get("Location")]
print(json.dumps(answers))
"""


def test_the_probes_get_answers_not_redirects_with_the_production_settings(tmp_path):
    container = read("deployment.yaml")["spec"]["template"]["spec"]["containers"][0]
    probes = [
        (
            container[probe]["httpGet"]["path"],
            {item["name"]: item["value"] for item in container[probe]["httpGet"]["httpHeaders"]},
        )
        for probe in ("livenessProbe", "readinessProbe")
    ]
    env = production_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", PROBE_SCRIPT, json.dumps(probes)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"/healthz": [200, None], "/ready": [200, None]}
