"""``make bench``, command line part: ``podstudio analyze`` against kubeconform, in one run.

kubeconform is built from the Go module proxy (once, cached in ``var/bench/bin``) and given a
local schema folder: the same prepared schemas Pod Studio ships, written as the self-contained
per-kind files kubeconform reads, so neither side touches the network. Each comparison runs the
two commands alternately (A B A B ...) and compares medians, so a change of load on the machine
moves both sides. Goals (issue 11): one file under 2x kubeconform's time; 1,000 generated
workload files in one process under 2x; a Deployment's per-document cost within 1.2x a Pod's.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KUBECONFORM = "github.com/yannh/kubeconform/cmd/kubeconform@v0.7.0"
CACHE = ROOT / "var" / "bench" / "bin"
SEED_POD = ROOT / "tests" / "manifests" / "seed" / "my-app-pod.yaml"
KINDS = ("Pod", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob")


def kubeconform() -> str | None:
    """The kubeconform binary, built from the Go module proxy on first use."""
    binary = CACHE / "kubeconform"
    if binary.exists():
        return str(binary)
    if not shutil.which("go"):
        return None
    CACHE.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "GOBIN": str(CACHE), "CGO_ENABLED": "0"}
    subprocess.run(["go", "install", KUBECONFORM], check=True, env=env, timeout=900)
    return str(binary)


def write_schemas(folder: Path, version: str) -> str:
    """The prepared schemas as kubeconform's local files; returns its -schema-location."""
    from podstudio.engine.kinds import KINDS as CHECKED
    from podstudio.engine.schema import kind_schema

    folder.mkdir(parents=True, exist_ok=True)
    for kind in CHECKED.values():
        group, _, group_version = kind.api_version.rpartition("/")
        suffix = f"-{group}-{group_version}" if group else f"-{group_version}"
        path = folder / f"{kind.name.lower()}{suffix}.json"
        path.write_text(json.dumps(kind_schema(version, kind.definition)))
    return str(folder) + "/{{ .ResourceKind }}{{ .KindSuffix }}.json"


def generate(folder: Path, count: int) -> None:
    """``count`` workload files, a mix of kinds with 2-4 containers each, always the same."""
    from podstudio.engine.kinds import wrap
    from podstudio.engine.yamldump import dump_manifest

    rng = random.Random(11)
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        containers = []
        for number in range(rng.randint(2, 4)):
            port = 8080 + number
            containers.append(
                {
                    "name": f"c{number}",
                    "image": f"registry.example.com/app{number}:1.{rng.randint(0, 9)}",
                    "ports": [{"containerPort": port, "name": f"http{number}"}],
                    "env": [
                        {"name": "MODE", "value": "prod"},
                        {
                            "name": "POD",
                            "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}},
                        },
                    ],
                    "resources": {
                        "requests": {"cpu": "100m", "memory": "128Mi"},
                        "limits": {"cpu": "500m", "memory": "256Mi"},
                    },
                    "readinessProbe": {"httpGet": {"path": "/ready", "port": port}},
                    "securityContext": {
                        "runAsNonRoot": True,
                        "allowPrivilegeEscalation": False,
                        "capabilities": {"drop": ["ALL"]},
                    },
                }
            )
        pod = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": f"app-{index}", "labels": {"app": f"app-{index}"}},
            "spec": {
                "containers": containers,
                "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
            },
        }
        kind = KINDS[index % len(KINDS)]
        document = pod if kind == "Pod" else wrap(pod, kind)
        (folder / f"{index:04d}-{kind.lower()}.yaml").write_text(dump_manifest(document))


def installed_package(work: Path) -> str:
    """The command as ``pip install .`` installs it for CI: a virtualenv with the package in
    its site-packages (compiled) and the console script pip writes; the dependencies come from
    this checkout's virtualenv by a ``.pth`` line. (The checkout's own ``podstudio`` is an
    editable install, whose import hook costs every start a few milliseconds more.)"""
    venv = work / "installed"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = subprocess.run(
        [sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    shutil.copytree(
        ROOT / "podstudio", Path(site) / "podstudio", ignore=shutil.ignore_patterns("__pycache__")
    )
    (Path(site) / "podstudio-dependencies.pth").write_text(ours + "\n")
    subprocess.run(
        [str(python), "-m", "compileall", "-q", str(Path(site) / "podstudio")], check=True
    )
    script = venv / "bin" / "podstudio"
    script.write_text(f"#!{python}\nimport sys\nfrom podstudio.cli import main\nsys.exit(main())\n")
    script.chmod(0o755)
    return str(script)


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``command``."""
    before = os.times()
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, timeout=600)
    elapsed = time.perf_counter() - started
    after = os.times()
    if result.returncode not in (0, 1):
        raise SystemExit(f"{command[0]} failed ({result.returncode}): {result.stderr[:500]!r}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return elapsed, cpu


def alternate(a: list[str], b: list[str], runs: int) -> tuple[float, float, float, float]:
    """Median wall and CPU seconds of ``a`` and ``b`` run alternately, after a warm-up run of
    each: ``(wall a, wall b, cpu a, cpu b)``."""
    timed(a)
    timed(b)
    runs_a, runs_b = [], []
    for _ in range(runs):
        runs_a.append(timed(a))
        runs_b.append(timed(b))
    return (
        statistics.median(run[0] for run in runs_a),
        statistics.median(run[0] for run in runs_b),
        statistics.median(run[1] for run in runs_a),
        statistics.median(run[1] for run in runs_b),
    )


def per_document(runs: int) -> dict[str, tuple[float, float]]:
    """Warm, in-process seconds per document, the seed Pod against the same Pod as a
    Deployment, interleaved: as ``podstudio analyze`` pays it for each document of a run
    (read, analyze, locate every problem's line), and for the analysis alone."""
    import copy

    from podstudio.engine.analyze import analyze
    from podstudio.engine.files import check_file
    from podstudio.engine.kinds import wrap
    from podstudio.engine.schema import DEFAULT_VERSION
    from podstudio.engine.yamldump import dump_manifest
    from podstudio.engine.yamlio import load_manifest

    pod = load_manifest(SEED_POD.read_text())
    deployment = wrap(copy.deepcopy(pod), "Deployment")
    texts = (dump_manifest(pod), dump_manifest(deployment))
    ways = {
        "read, analyze, locate": lambda text, _m: check_file("bench.yaml", text, DEFAULT_VERSION),
        "analyze only": lambda _t, manifest: analyze(manifest, DEFAULT_VERSION),
    }
    results = {}
    for name, way in ways.items():
        for _ in range(50):
            way(texts[0], pod)
            way(texts[1], deployment)
        times: tuple[list[float], list[float]] = ([], [])
        for _ in range(runs):
            for index, (text, manifest) in enumerate(((texts[0], pod), (texts[1], deployment))):
                started = time.perf_counter()
                for _ in range(20):
                    way(text, manifest)
                times[index].append((time.perf_counter() - started) / 20)
        results[name] = (statistics.median(times[0]), statistics.median(times[1]))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command")
    parser.add_argument("--files", type=int, default=1000)
    args = parser.parse_args()
    binary = kubeconform()
    if binary is None:
        print("go is missing: kubeconform cannot be built, CLI bench skipped", file=sys.stderr)
        return 2
    from podstudio.engine.schema import DEFAULT_VERSION

    # .pyc files, as an installed package has them (this machine may not write them itself).
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "podstudio")],
        check=True,
        capture_output=True,
    )
    rows = []
    failed = False
    with tempfile.TemporaryDirectory(prefix="podstudio-clibench-") as work:
        work_path = Path(work)
        installed = [installed_package(work_path), "analyze", "--format", "json"]
        checkout = [str(Path(sys.executable).parent / "podstudio"), "analyze", "--format", "json"]
        location = write_schemas(work_path / "schemas", DEFAULT_VERSION)
        kc = [binary, "-strict", "-summary", "-schema-location", location]
        one, many = str(SEED_POD), work_path / "manifests"
        generate(many, args.files)
        rows.append(("one Pod file", *alternate([*installed, one], [*kc, one], args.runs), 2.0))
        rows.append(
            (
                "  (editable checkout)",
                *alternate([*checkout, one], [*kc, one], max(3, args.runs // 3)),
                None,
            )
        )
        # kubeconform spreads a folder over every core, and its time varies most: more runs.
        few = max(5, args.runs // 2)
        rows.append(
            (
                f"{args.files} workload files",
                *alternate([*installed, str(many)], [*kc, str(many)], few),
                2.0,
            )
        )
    documents = per_document(max(20, args.runs * 2))

    print(f"\npodstudio analyze vs kubeconform (local schemas, {os.cpu_count()} cores)\n")
    print(f"{'input':<24}{'podstudio':>11}{'kubeconform':>13}{'ratio':>7}{'CPU ratio':>11}  goal")
    for name, ours, theirs, ours_cpu, theirs_cpu, goal in rows:
        ratio = ours / theirs
        cpu_ratio = ours_cpu / theirs_cpu if theirs_cpu else float("nan")
        verdict = "(for reference)"
        if goal is not None:
            met = ratio < goal
            failed = failed or not met
            verdict = f"< {goal:.1f}: {'met' if met else 'MISSED'}"
        print(
            f"{name:<24}{ours * 1000:>9.0f}ms{theirs * 1000:>11.0f}ms{ratio:>7.2f}"
            f"{cpu_ratio:>11.2f}  {verdict}"
        )
    print("\nper document, warm (the seed Pod, and the same Pod as a Deployment)")
    for name, (pod, deployment) in documents.items():
        ratio = deployment / pod
        goal = name == "read, analyze, locate"
        met = ratio <= 1.2
        failed = failed or (goal and not met)
        verdict = f"(goal ≤ 1.20): {'met' if met else 'MISSED'}" if goal else "(for reference)"
        print(
            f"  {name:<22} Pod {pod * 1000:.2f} ms, Deployment {deployment * 1000:.2f} ms, "
            f"ratio {ratio:.2f} {verdict}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
