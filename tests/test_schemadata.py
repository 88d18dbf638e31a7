"""The schemas shipped in ``podstudio/engine/schemadata`` are the source data, prepared.

They are written at development time (``python -m podstudio.engine.schemadata``) so that no run
assembles a schema from ``kubernetes_validate``'s 1.8 MB files; these tests fail when the
package's data or the preparation changed and the files were not written again.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from podstudio.engine.kinds import KINDS
from podstudio.engine.schema import SUPPORTED_VERSIONS, kind_schema, schema_data
from podstudio.engine.schemadata.__main__ import render
from podstudio.engine.schemasource import FIELD_CHECKED_KINDS, build_schema_data, source_versions

ROOT = Path(__file__).resolve().parents[1]


def test_a_prepared_schema_ships_for_every_version_of_the_source():
    assert source_versions() == SUPPORTED_VERSIONS
    assert SUPPORTED_VERSIONS[0] == "1.25"


@pytest.mark.parametrize("version", source_versions())
def test_prepared_schema_equals_what_the_source_gives(version):
    shipped = ROOT / "podstudio" / "engine" / "schemadata" / f"{version}.json"
    assert shipped.read_text(encoding="utf-8") == render(version)
    definitions = tuple(kind.definition for kind in KINDS.values())
    prepared = build_schema_data(version, definitions, FIELD_CHECKED_KINDS)
    assert schema_data(version) == json.loads(json.dumps(prepared))


def test_every_checked_kind_has_its_definition():
    for version in SUPPORTED_VERSIONS:
        for kind in KINDS.values():
            assert kind.definition in schema_data(version)["$defs"]
            assert f"{kind.api_version}/{kind.name}" in schema_data(version)["known"]


def test_a_workload_schema_leaves_the_pod_spec_to_the_pod_schema():
    shell = kind_schema("1.37", KINDS["Deployment"].definition, without_pod_spec=True)
    template = shell["$defs"]["io.k8s.api.core.v1.PodTemplateSpec"]
    assert template["properties"]["spec"] == {}
    # the full data is untouched
    full = schema_data("1.37")["$defs"]["io.k8s.api.core.v1.PodTemplateSpec"]
    assert full["properties"]["spec"] != {}


def test_a_cli_run_never_imports_kubernetes_validate_or_jsonschema(tmp_path):
    """Nor what a run does not need (the other commands, logging, dataclasses): each import
    costs every CI hook run milliseconds of start-up."""
    pod = tmp_path / "pod.yaml"
    pod.write_text((ROOT / "tests/manifests/seed/nginx-pod.yaml").read_text())
    code = (
        "import sys\n"
        "from podstudio.cli import main\n"
        f"main(['analyze', '--format', 'json', {str(pod)!r}])\n"
        "heavy = [m for m in ('kubernetes_validate', 'jsonschema', 'referencing', 'attrs', "
        "'django', 'dataclasses', 'logging', 'shutil', 'podstudio.editcli', "
        "'podstudio.engine.schemasource') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert "HEAVY []" in out
