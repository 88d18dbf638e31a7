"""The engine against the API server on manifest files people wrote: every Pod and workload
document under the given paths is sent as a server-side dry run (strict field validation) and
its accept/reject compared with ``analyze``.

    make agreement-files DIRS="path/to/manifests another/dir"

The generated tests (``test_differential*.py``) reach every rule; this reaches what real files
hold (old apiVersions, kustomize patches, placeholders, odd quoting). Documents that cannot be
read, other kinds, refusals that depend on the cluster's objects (a ServiceAccount or a
PriorityClass that does not exist, which the engine states as a note) and documents without
apiVersion (the server takes it from the URL, kubectl refuses the file) are counted apart.
Exit 1 on any disagreement.
"""

import argparse
import copy
import re
import sys
import uuid
from collections import Counter
from pathlib import Path

from podstudio.engine.analyze import analyze
from podstudio.engine.documents import read_documents, read_text
from podstudio.engine.kinds import kind_of
from podstudio.engine.paths import as_dict
from podstudio.engine.yamlio import ManifestError
from podstudio.sandbox import actions
from podstudio.sandbox.client import Cluster, load_cluster
from tests.sandbox.conftest import admin_kubeconfig, remove_namespace

SUFFIXES = (".yaml", ".yml", ".json")
DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
# Refusals the engine cannot foresee: they depend on objects in the cluster.
CLUSTER_STATE = ("error looking up service account", "no PriorityClass with name")


def manifest_files(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        found += [path] if path.is_file() else sorted(path.rglob("*"))
    return [path for path in found if path.is_file() and path.suffix in SUFFIXES]


def server_refusal(cluster: Cluster, namespace: str, document: dict) -> list[str] | None:
    """The API server's errors for a dry-run create of the document, or None if accepted."""
    kind = kind_of(document)
    body = actions.prepare_pod(document, namespace)
    written = as_dict(document.get("metadata")).get("namespace")
    if isinstance(written, str) and written and not DNS_LABEL.fullmatch(written):
        # A placeholder such as ${NAMESPACE}: the server would refuse it wherever it is sent
        # (here: it is not the request's namespace); placing it in ours would hide that.
        body["metadata"]["namespace"] = written
    answer = cluster.request(
        "POST",
        f"/{kind.group_version}/namespaces/{namespace}/{kind.resource}",
        query={"dryRun": "All", "fieldValidation": "Strict", "fieldManager": "agreement"},
        body=body,
    )
    result = actions.interpret("dry-run", answer, body)
    if result.accepted:
        return None
    return [f"{error.path}: {error.message}" for error in result.errors] or [result.message]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="files or folders of manifests")
    args = parser.parse_args(argv)
    cluster = load_cluster(admin_kubeconfig(), None, 30)
    namespace = f"podstudio-files-{uuid.uuid4().hex[:8]}"
    labels = {"pod-security.kubernetes.io/enforce": "privileged"}
    namespace_body = {"apiVersion": "v1", "kind": "Namespace"}
    namespace_body["metadata"] = {"name": namespace, "labels": labels}
    if not cluster.request("POST", "/api/v1/namespaces", body=namespace_body).ok:
        print("cannot make a namespace in the sandbox (make sandbox?)", file=sys.stderr)
        return 2
    counts: Counter[str] = Counter()
    try:
        for path in manifest_files(args.paths):
            try:
                _, documents = read_documents(read_text(path.read_bytes()))
            except ManifestError:
                counts["files that cannot be read"] += 1
                continue
            for document in documents:
                if document.error or kind_of(document.data) is None:
                    counts["other documents"] += 1
                    continue
                engine = [
                    f"{e.path}: {e.message}" for e in analyze(copy.deepcopy(document.data)).errors
                ]
                if not document.data.get("apiVersion") and engine:
                    # The API server takes the version from the URL; kubectl refuses the file
                    # first ("apiVersion not set"), as the engine does.
                    counts["refused by kubectl before sending (no apiVersion)"] += 1
                    continue
                server = server_refusal(cluster, namespace, document.data)
                if server and not engine and any(s in " ".join(server) for s in CLUSTER_STATE):
                    counts["refused for the cluster's objects"] += 1
                elif bool(engine) == (server is not None):
                    counts["agree"] += 1
                else:
                    counts["disagree"] += 1
                    print(f"DISAGREE {path} document {document.index + 1} ({document.kind})")
                    print(f"  engine: {engine[:3] or 'valid'}")
                    print(f"  server: {server[:3] if server else 'accepted'}")
    finally:
        remove_namespace(cluster, namespace)
    print(", ".join(f"{name}: {count}" for name, count in sorted(counts.items())))
    return 1 if counts["disagree"] else 0


if __name__ == "__main__":
    sys.exit(main())
