"""``validate_workload``: what the API server rejects when a workload is created.

The schema of the kind checks the document with the template's Pod spec left out
(``schema.kind_schema(..., without_pod_spec=True)``); the Pod rules judge the template through
``kinds.pod_view`` (``template``); the controller's rules are in ``apps`` and ``batch``. Every
error comes back at its path from the document's root.
"""

import copy

from podstudio.engine.kinds import Kind, kind_of, pod_view, removed_version, written_path
from podstudio.engine.results import FieldError
from podstudio.engine.schema import (
    fill_null_structs,
    has_null_entry,
    has_null_entry_outside,
    resolve_version,
    schema_errors,
)
from podstudio.engine.validation.apps import apps_errors
from podstudio.engine.validation.batch import batch_errors
from podstudio.engine.validation.checker import Checker, is_empty, rule_crashed
from podstudio.engine.validation.formats import dns_label_errors, dns_subdomain_errors
from podstudio.engine.validation.metadata import check_metadata


def _metadata_errors(manifest: dict, kind: Kind, version: str) -> list[FieldError]:
    c = Checker(version)
    for field in ("apiVersion", "kind"):
        if is_empty(manifest.get(field)):
            c.required(field)
    metadata = manifest.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    # ValidateStatefulSetName: a DNS label, since it names each Pod's hostname.
    statefulset = kind.name == "StatefulSet"
    check_metadata(
        c,
        metadata,
        dns_label_errors if statefulset else dns_subdomain_errors,
        generate_name_checked=kind.name != "ReplicationController",
    )
    return c.errors


def as_go_reads_workload(manifest: dict, version: str, kind: Kind) -> dict:
    """The workload as the API server decodes it (``schema.fill_null_structs`` for the kind's
    schema): ``labels: {app: null}`` holds ``app: ""``, ``values: [null]`` is ``[""]``, as a
    selector reads them. A copy when there are nulls, ``manifest`` itself otherwise.

    The rules of ``RULES_SKIP_POD_SPEC`` never read the template's spec from it (the Pod
    rules read the Pod view, which ``validate_pod`` decodes itself), so nulls there are not
    looked for: the template's spec, most of the document, is walked once, not twice."""
    if kind.name in RULES_SKIP_POD_SPEC:
        has_null = has_null_entry_outside(manifest, (*kind.template, "spec"))
    else:
        has_null = has_null_entry(manifest)
    if not has_null:
        return manifest
    return fill_null_structs(copy.deepcopy(manifest), version, kind.definition)


# The kinds whose own rules (``apps``) read the template's labels but nothing of its spec.
# StatefulSet (its volumes, beside the claim templates) and Job (its containers' names, its
# restartPolicy) read the spec, decoded.
RULES_SKIP_POD_SPEC = ("Deployment", "ReplicaSet", "DaemonSet", "ReplicationController")


def validate_workload(
    manifest: dict, k8s_version: str | None = None, pod: dict | None = None
) -> list[FieldError]:
    """Everything the API server would reject in a workload, schema errors first.

    ``manifest`` must declare one of ``kinds.WORKLOADS``; a manifest of the wrong shape never
    raises. ``pod``: the template's ``kinds.pod_view``, when the caller made it already.
    """
    version = resolve_version(k8s_version)
    kind = kind_of(manifest)
    if kind is None or kind.is_pod:
        raise ValueError("validate_workload takes a workload kind (use validate_pod for Pods)")
    errors = schema_errors(manifest, version, kind.definition, without_pod_spec=True)
    if removed := removed_version(manifest):
        errors = [FieldError(e.path, removed) if e.path == "apiVersion" else e for e in errors]
    found = []
    try:
        # The rules read the workload as Go does; the template's Pod rules read the Pod view
        # of the document (validate_pod reads its nulls the same way).
        pod = pod if pod is not None else pod_view(manifest, kind)
        decoded = as_go_reads_workload(manifest, version, kind)
        found += _metadata_errors(decoded, kind, version)
        if kind.name in ("Job", "CronJob"):
            found += batch_errors(decoded, kind.name, version, pod)
        else:
            found += apps_errors(decoded, kind.name, version, pod)
    except Exception:  # a bug in a rule must not break the editor on every keystroke
        found.append(rule_crashed(kind.name))
    # A type error in the template's labels or annotations comes from the document's schema and
    # again from the Pod view's, named as the server names template metadata: it is one error.
    seen = {(written_path(error.path), error.message) for error in errors}
    for error in found:
        key = (written_path(error.path), error.message)
        if key not in seen:
            seen.add(key)
            errors.append(error)
    return errors
