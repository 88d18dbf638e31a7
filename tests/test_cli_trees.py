"""``podstudio analyze`` on a whole repository, as a CI job runs it: Helm charts, kustomize
files and other YAML beside the manifests, ``--exclude``, the summary line, SARIF paths."""

import json

import pytest
import yaml

from tests.test_cli_analyze import BROKEN_DEPLOYMENT, DEPLOYMENT, ROOT, SERVICE, run

# Written for these tests: the shapes of a chart's files, not any real chart.
CHART = "apiVersion: v2\nname: web\nversion: 0.1.0\n"
TEMPLATE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels:
    {{- include "web.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicas }}
"""
VALUES = "replicas: 2\nimage:\n  tag: latest\n"
COMPOSE = "services:\n  web:\n    image: nginx\n"
KUSTOMIZATION = "resources: [web.yaml]\npatches:\n- path: more-replicas.yaml\n"
PATCH = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository's root, the working directory: manifests, a chart, kustomize, Compose."""
    monkeypatch.chdir(tmp_path)
    files = {
        "k8s/web.yaml": f"{SERVICE}---\n{DEPLOYMENT}",
        "k8s/kustomization.yaml": KUSTOMIZATION,
        "k8s/more-replicas.yaml": PATCH,
        "charts/web/Chart.yaml": CHART,
        "charts/web/values.yaml": VALUES,
        "charts/web/templates/deployment.yaml": TEMPLATE,
        "docker-compose.yml": COMPOSE,
    }
    write_tree(tmp_path, files)
    return tmp_path


def write_tree(root, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def skipped(out: str) -> dict[str, str]:
    return {
        line.split(": skipped: ")[0]: line.split(": skipped: ")[1]
        for line in out.splitlines()
        if ": skipped: " in line
    }


def test_a_helm_chart_in_a_tree_is_one_line_saying_to_render_it(repo, capsys):
    code, out = run(["analyze", "."])
    assert code == 0
    assert "helm template charts/web | podstudio analyze -" in skipped(out)["charts/web"]
    assert "templates/deployment.yaml" not in out + capsys.readouterr().err
    assert "Deployment web: valid" in out


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_other_yaml_in_a_tree_passes_every_gate(repo, fmt):
    (repo / "k8s" / "web.yaml").unlink()
    code, out = run(["analyze", "-o", fmt, "--fail-on", "warning", "--min-pss", "baseline", "."])
    assert code == 0, out  # values, Compose, kustomize: nothing a gate judges
    if fmt == "text":
        assert set(skipped(out)) == {
            "charts/web",
            "docker-compose.yml",
            "k8s/kustomization.yaml",
            "k8s/more-replicas.yaml",
        }
        assert "not a Kubernetes manifest" in skipped(out)["docker-compose.yml"]
        assert "kubectl kustomize k8s |" in skipped(out)["k8s/kustomization.yaml"]
        assert "a kustomize patch" in skipped(out)["k8s/more-replicas.yaml"]
    elif fmt == "json":
        items = {item["file"]: item for item in json.loads(out)}
        assert items["charts/web"]["checked"] is False and items["charts/web"]["valid"] is True
        assert "helm template" in items["charts/web"]["note"]
    else:
        results = json.loads(out)["runs"][0]["results"]
        assert {r["ruleId"] for r in results} & {"not-checked", "unreadable"} == set()


def test_a_file_of_a_chart_named_by_a_hook_is_skipped(repo):
    # pre-commit names each staged file: a template, the values, Chart.yaml.
    names = ["charts/web/templates/deployment.yaml", "charts/web/values.yaml"]
    code, out = run(["analyze", *names, "charts/web/Chart.yaml"])
    assert code == 0
    assert all("part of the Helm chart charts/web" in skipped(out)[name] for name in names)


def test_a_chart_named_on_the_command_line_cannot_be_checked(repo, capsys):
    code, _ = run(["analyze", "charts/web"])
    assert code == 2
    err = capsys.readouterr().err
    assert "charts/web: is a Helm chart" in err and "helm template charts/web |" in err


def test_a_template_outside_a_chart_says_it_must_be_rendered(tmp_path, capsys):
    (tmp_path / "deploy.yaml").write_text(TEMPLATE)
    assert run(["analyze", str(tmp_path)])[0] == 2
    err = capsys.readouterr().err
    assert "deploy.yaml: line 4, column 10: " in err
    assert "a template is YAML only once rendered" in err


def test_other_yaml_is_skipped_but_a_manifest_that_lost_its_kind_is_not(tmp_path, capsys):
    (tmp_path / "compose.yml").write_text(COMPOSE)
    (tmp_path / "web.yaml").write_text("apiVersion: v1\nmetadata: {name: web}\n")
    code, out = run(["analyze", str(tmp_path)])
    assert code == 2
    assert list(skipped(out)) == [str(tmp_path / "compose.yml")]
    assert "web.yaml: line 1: the manifest has no kind" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("patterns", "left"),
    [
        (["charts"], {"k8s/web.yaml", "k8s/bad.yaml", "docker-compose.yml"}),
        (["*.yml", "bad.yaml"], {"k8s/web.yaml", "charts/web"}),
        (["k8s/b*"], {"k8s/web.yaml", "charts/web", "docker-compose.yml"}),
        (["./k8s/"], {"charts/web", "docker-compose.yml"}),
        (["web.yaml"], {"k8s/bad.yaml", "charts/web", "docker-compose.yml"}),
    ],
)
def test_exclude_leaves_out_names_at_any_depth_and_paths_from_the_argument(repo, patterns, left):
    (repo / "k8s" / "bad.yaml").write_text(BROKEN_DEPLOYMENT)
    for name in ("kustomization.yaml", "more-replicas.yaml"):
        (repo / "k8s" / name).unlink()
    argv = ["analyze", "-o", "json"]
    for pattern in patterns:
        argv += ["--exclude", pattern]
    code, out = run([*argv, "."])
    assert {item["file"] for item in json.loads(out)} == left
    assert code == (1 if "k8s/bad.yaml" in left else 0)


def test_exclude_matches_a_named_file_as_given(repo):
    code, out = run(["analyze", "-o", "json", "--exclude", "k8s/*", "k8s/web.yaml", "-"])
    assert code == 2  # only stdin is left, and it is empty
    assert [item["file"] for item in json.loads(out)] == ["<stdin>"]


def test_a_directory_all_excluded_says_so(repo, capsys):
    assert run(["analyze", "--exclude", "*.yaml", "k8s"])[0] == 2
    assert "that --exclude leaves in" in capsys.readouterr().err


def test_exclude_is_in_the_help(capsys):
    with pytest.raises(SystemExit):
        run(["analyze", "--help"])
    assert "--exclude PATTERN" in capsys.readouterr().out


def test_the_text_report_ends_with_a_summary(repo):
    (repo / "k8s" / "bad.yaml").write_text(BROKEN_DEPLOYMENT)
    code, out = run(["analyze", "."])
    assert code == 1
    last = out.rstrip("\n").splitlines()[-1]
    assert last.startswith("Summary: 6 files: 2 Pods and workloads checked (1 Kubernetes would ")
    assert "1 other object not checked, 4 files skipped;" in last
    assert "best-practice findings: error " in last


def test_sarif_paths_are_relative_to_the_repository_however_named(repo):
    (repo / "k8s" / "bad.yaml").write_text(BROKEN_DEPLOYMENT)
    for named in ("k8s", "./k8s/", str(repo / "k8s")):
        log = json.loads(run(["analyze", "-o", "sarif", named])[1])
        locations = [
            result["locations"][0]["physicalLocation"] for result in log["runs"][0]["results"]
        ]
        assert {loc["artifactLocation"]["uri"] for loc in locations} == {
            "k8s/bad.yaml",
            "k8s/web.yaml",
        }
        assert {loc["artifactLocation"]["uriBaseId"] for loc in locations} == {"%SRCROOT%"}
        assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.as_uri() + "/"
        assert all(loc["region"]["startLine"] >= 1 for loc in locations)


def test_sarif_names_a_file_outside_the_working_directory_by_an_absolute_uri(tmp_path, monkeypatch):
    (tmp_path / "work").mkdir()
    (tmp_path / "bad.yaml").write_text(BROKEN_DEPLOYMENT)
    monkeypatch.chdir(tmp_path / "work")
    log = json.loads(run(["analyze", "-o", "sarif", "../bad.yaml"])[1])
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": (tmp_path / "bad.yaml").as_uri()}


def test_brief_is_one_line_per_error_or_warning_then_the_summary(repo):
    (repo / "k8s" / "bad.yaml").write_text(BROKEN_DEPLOYMENT)
    code, out = run(["analyze", "--brief", "k8s"])
    assert code == 1
    lines = out.splitlines()
    assert "k8s/bad.yaml:6: error: invalid: Deployment web: spec.replicas: " in lines[0]
    assert all(": warning: " in line for line in lines[1:-1])
    assert any("missing-readiness-probe: Deployment web:" in line for line in lines)
    assert not any(": info: " in line or "QoS" in line for line in lines)
    assert lines[-1].startswith("Summary: 4 files: 2 Pods and workloads checked")


def test_the_pre_commit_hook_prints_the_brief_report():
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]
    assert hook["args"] == ["--brief"]


def test_json_with_comments_is_a_tool_config_not_an_unreadable_manifest(tmp_path):
    (tmp_path / "tsconfig.json").write_text('{\n  // strict\n  "compilerOptions": {}\n}\n')
    code, out = run(["analyze", str(tmp_path)])
    assert code == 0
    assert "JSON with comments" in skipped(out)[str(tmp_path / "tsconfig.json")]


def test_a_manifest_with_comments_in_its_json_is_refused_not_skipped(tmp_path, capsys):
    """kubectl cannot read it (v1.32: "mapping values are not allowed in this context"):
    skipped as a tool's configuration, it would pass CI and fail at `kubectl apply`."""
    (tmp_path / "pod.json").write_text(
        '// the backend\n{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, '
        '"spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}\n'
    )
    (tmp_path / "tsconfig.json").write_text('{\n  // strict\n  "compilerOptions": {}\n}\n')
    code, out = run(["analyze", str(tmp_path)])
    assert code == 2  # an input that cannot be read
    assert str(tmp_path / "pod.json") not in skipped(out)
    assert "JSON with comments" in skipped(out)[str(tmp_path / "tsconfig.json")]
    assert (
        "pod.json: line 2, column 14: mapping values are not allowed in this context (line 1 "
        "holds a // comment: JSON has none, and YAML reads // as text, so kubectl and the API "
        "server cannot read it either; delete the comment lines)"
    ) in capsys.readouterr().err


def test_an_overlays_patches_in_a_folder_below_it_are_kustomize_patches(tmp_path, monkeypatch):
    """``overlays/prod/patches/replicas.yaml`` is half a Deployment that ``overlays/prod``'s
    kustomization patches in: judged alone, it would fail CI for a selector it never needs."""
    monkeypatch.chdir(tmp_path)
    files = {
        "base/web.yaml": DEPLOYMENT,
        "base/kustomization.yaml": "resources: [web.yaml]\n",
        "overlays/prod/kustomization.yaml": (
            "resources: [../../base]\npatches:\n- path: patches/replicas.yaml\n"
        ),
        "overlays/prod/patches/replicas.yaml": PATCH,
        "overlays/staging/kustomization.yaml": "resources: [../../base]\n",
        "overlays/staging/extra.yaml": PATCH,  # listed nowhere: judged, and refused
    }
    write_tree(tmp_path, files)
    code, out = run(["analyze", "."])
    assert (
        "a kustomize patch (in kustomization.yaml): check the build: `kubectl kustomize "
        in (skipped(out)["overlays/prod/patches/replicas.yaml"])
    )
    assert (
        "kubectl kustomize overlays/prod |" in skipped(out)["overlays/prod/patches/replicas.yaml"]
    )
    assert code == 1 and "overlays/staging/extra.yaml" not in skipped(out)


def test_a_patch_the_scaffold_left_in_a_comment_is_a_kustomize_patch(tmp_path, monkeypatch):
    """kubebuilder's ``config/default`` keeps patches switched off in comments under
    ``patches:``; a resource left in a comment is a whole object, and is judged."""
    monkeypatch.chdir(tmp_path)
    kustomization = (
        "resources:\n- ../manager\n#- web.yaml\npatches:\n- path: manager_metrics_patch.yaml\n"
        "# [WEBHOOK] uncomment to enable\n#- path: manager_webhook_patch.yaml\n"
        "#- manager_config_patch.yaml\n"
    )
    files = {
        "config/default/kustomization.yaml": kustomization,
        "config/default/manager_metrics_patch.yaml": PATCH,
        "config/default/manager_webhook_patch.yaml": PATCH,
        "config/default/manager_config_patch.yaml": PATCH,
        "config/default/web.yaml": BROKEN_DEPLOYMENT,
    }
    write_tree(tmp_path, files)
    code, out = run(["analyze", "config"])
    patches = {f"config/default/manager_{n}_patch.yaml" for n in ("metrics", "webhook", "config")}
    assert patches <= set(skipped(out))
    assert code == 1 and "config/default/web.yaml" not in skipped(out)


def test_a_huge_kustomization_is_not_read_whole(tmp_path, monkeypatch):
    """A kustomization is small; one of 3 GB (sparse here) beside a Pod is refused unread,
    and the Pod is still checked."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "web.yaml").write_text(DEPLOYMENT)
    with open(tmp_path / "kustomization.yaml", "wb") as handle:
        handle.truncate(3 * 1024**3)
    code, out = run(["analyze", "web.yaml"])
    assert code == 0 and "Deployment web: valid" in out
