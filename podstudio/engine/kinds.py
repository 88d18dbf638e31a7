"""The kinds Pod Studio checks, and where each keeps its Pod template: the one place that knows.

A workload is an object whose controller makes Pods from a template: a Deployment's Pods come
from ``spec.template``, a CronJob's from ``spec.jobTemplate.spec.template``. Everything the
engine says about a Pod (validation, QoS, Pod Security, findings) is said about the template
through ``pod_view`` and carried back to the document's own paths with ``document_path``, so an
error in a Deployment's container is reported at ``spec.template.spec.containers[0]...``, never
at a Pod's path. Wrapping a Pod into a workload and unwrapping it use the same table.
"""

from typing import Any, NamedTuple

from podstudio.engine.paths import as_dict
from podstudio.engine.patterns import compile_lazily


class Kind(NamedTuple):
    name: str
    api_version: str
    # Keys from the document's root to the Pod template; empty for a Pod.
    template: tuple[str, ...]
    # The OpenAPI definition of the kind, in the schema data.
    definition: str
    # The REST resource, for the sandbox's API paths.
    resource: str
    # restartPolicy values the kind allows in its template ("" for a Pod: any).
    restart_policies: tuple[str, ...]

    @property
    def is_pod(self) -> bool:
        return not self.template

    @property
    def group_version(self) -> str:
        """The API path prefix: ``api/v1`` or ``apis/apps/v1``."""
        return f"apis/{self.api_version}" if "/" in self.api_version else f"api/{self.api_version}"

    @property
    def template_path(self) -> str:
        """``spec.template``: the path prefix of the template's fields ("" for a Pod)."""
        return ".".join(self.template)


_ALWAYS = ("Always",)
_JOB_POLICIES = ("OnFailure", "Never")

POD = Kind("Pod", "v1", (), "io.k8s.api.core.v1.Pod", "pods", ())
KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        POD,
        Kind(
            "Deployment",
            "apps/v1",
            ("spec", "template"),
            "io.k8s.api.apps.v1.Deployment",
            "deployments",
            _ALWAYS,
        ),
        Kind(
            "StatefulSet",
            "apps/v1",
            ("spec", "template"),
            "io.k8s.api.apps.v1.StatefulSet",
            "statefulsets",
            _ALWAYS,
        ),
        Kind(
            "DaemonSet",
            "apps/v1",
            ("spec", "template"),
            "io.k8s.api.apps.v1.DaemonSet",
            "daemonsets",
            _ALWAYS,
        ),
        Kind(
            "ReplicaSet",
            "apps/v1",
            ("spec", "template"),
            "io.k8s.api.apps.v1.ReplicaSet",
            "replicasets",
            _ALWAYS,
        ),
        Kind(
            "Job",
            "batch/v1",
            ("spec", "template"),
            "io.k8s.api.batch.v1.Job",
            "jobs",
            _JOB_POLICIES,
        ),
        Kind(
            "CronJob",
            "batch/v1",
            ("spec", "jobTemplate", "spec", "template"),
            "io.k8s.api.batch.v1.CronJob",
            "cronjobs",
            _JOB_POLICIES,
        ),
        Kind(
            "ReplicationController",
            "v1",
            ("spec", "template"),
            "io.k8s.api.core.v1.ReplicationController",
            "replicationcontrollers",
            _ALWAYS,
        ),
    )
}
WORKLOADS = tuple(name for name in KINDS if name != "Pod")
# What the builder offers when a Pod is wrapped: the kinds people write by hand.
WRAP_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob")

# The placeholder name a template's Pod view carries: ValidatePodTemplateSpec checks no name.
TEMPLATE_POD_NAME = "template"


# apiVersions that once served a kind, and the Kubernetes release that stopped serving them
# (the deprecated API migration guide). Manifests copied from older posts still carry them.
REMOVED_VERSIONS: dict[tuple[str, str], str] = {
    **{
        (old, name): "1.16"
        for old in ("extensions/v1beta1", "apps/v1beta2")
        for name in ("Deployment", "DaemonSet", "ReplicaSet")
    },
    ("apps/v1beta2", "StatefulSet"): "1.16",
    ("apps/v1beta1", "Deployment"): "1.16",
    ("apps/v1beta1", "StatefulSet"): "1.16",
    ("batch/v2alpha1", "CronJob"): "1.21",
    ("batch/v1beta1", "CronJob"): "1.25",
}


def removed_version(manifest: Any) -> str:
    """Why the manifest's apiVersion is not served any more for its kind ("" if it is not one
    of ``REMOVED_VERSIONS``)."""
    kind = kind_of(manifest)
    version = manifest.get("apiVersion") if kind is not None else None
    release = REMOVED_VERSIONS.get((version, kind.name)) if isinstance(version, str) else None
    if release is None:
        return ""
    return (
        f"{version} no longer serves {kind.name} (removed in Kubernetes {release}): "
        f"use {kind.api_version}"
    )


def shown_name(manifest: Any) -> str:
    """The object's name as people call it: ``metadata.name``, or for an object that leaves
    its name to the API server, its ``generateName`` and "…" for the characters the server
    adds; "" for neither."""
    metadata = as_dict(manifest.get("metadata")) if isinstance(manifest, dict) else {}
    name = metadata.get("name")
    if isinstance(name, str) and name:
        return name
    prefix = metadata.get("generateName")
    return f"{prefix}…" if isinstance(prefix, str) and prefix else ""


def made_by_create(manifest: Any) -> bool:
    """True for an object with only ``generateName``: ``kubectl apply`` finds objects by name
    and refuses it; ``kubectl create`` makes it with a name the API server chooses."""
    metadata = as_dict(manifest.get("metadata")) if isinstance(manifest, dict) else {}
    name, prefix = metadata.get("name"), metadata.get("generateName")
    return not (isinstance(name, str) and name) and isinstance(prefix, str) and bool(prefix)


def kind_of(manifest: Any) -> Kind | None:
    """The kind a document declares, if Pod Studio checks it: a wrong apiVersion in Kubernetes'
    own groups is the schema's to report, but a group with a dot in its name belongs to a
    custom resource (``batch.volcano.sh/v1alpha1`` Job), which is not the built-in kind."""
    if not isinstance(manifest, dict):
        return None
    kind = manifest.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        return None
    return None if is_custom_group(manifest.get("apiVersion")) else KINDS[kind]


def api_group(api_version: Any) -> str | None:
    """``apps`` of ``apps/v1``, "" of ``v1`` (the core group); ``None`` if it is no string."""
    if not isinstance(api_version, str):
        return None
    return api_version.rpartition("/")[0] if "/" in api_version else ""


def is_custom_group(api_version: Any) -> bool:
    """Whether the apiVersion is in a group only a custom resource can be in: a custom
    resource's group has a dot, and the groups of Kubernetes' workloads (core, apps, batch,
    extensions) have none. (Built-in groups with a dot, ``*.k8s.io``, serve no workload.)"""
    group = api_group(api_version)
    return bool(group) and "." in group


def template_of(manifest: dict, kind: Kind) -> Any:
    """The Pod template (whatever its type), or ``None`` when the path to it is missing."""
    value: Any = manifest
    for key in kind.template:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def pod_view(manifest: dict, kind: Kind) -> dict:
    """A Pod made of the template, as the controller will make it: what the Pod rules judge.

    Only the template's labels and annotations are kept in its metadata (the controller names
    the Pods); a template that is missing or not a mapping gives a Pod without a spec.
    """
    if kind.is_pod:
        return manifest
    template = as_dict(template_of(manifest, kind))
    metadata = as_dict(template.get("metadata"))
    pod_metadata: dict[str, Any] = {"name": TEMPLATE_POD_NAME}
    for key in ("labels", "annotations"):
        if key in metadata:
            pod_metadata[key] = metadata[key]
    pod: dict[str, Any] = {"apiVersion": "v1", "kind": "Pod", "metadata": pod_metadata}
    if "spec" in template:
        pod["spec"] = template["spec"]
    return pod


_TOP = compile_lazily(r"^(spec|metadata)(?=$|[.\[])")


def document_path(kind: Kind, pod_path: str) -> str:
    """A path in the Pod view as a path in the document: ``spec.containers[0]`` of a
    Deployment's template is ``spec.template.spec.containers[0]``."""
    if kind.is_pod:
        return pod_path
    match = _TOP.match(pod_path)
    if match is None:
        return f"{kind.template_path}.{pod_path}" if pod_path else kind.template_path
    return f"{kind.template_path}.{pod_path}"


# ValidatePodTemplateSpec names a template's labels and annotations without their "metadata"
# (``spec.template.labels``, as kubectl prints the server's answer); the YAML holds them under
# ``spec.template.metadata``.
_SERVER_TEMPLATE_METADATA = compile_lazily(r"^metadata\.(?=(labels|annotations)($|[.\[]))")
_WRITTEN_TEMPLATE_METADATA = compile_lazily(r"(?<![^.])template\.(?=(labels|annotations)($|[.\[]))")


def server_template_path(kind: Kind, pod_path: str) -> str:
    """``document_path`` as the API server names a template's field: its labels and
    annotations at ``spec.template.labels`` and ``spec.template.annotations``."""
    return document_path(kind, _SERVER_TEMPLATE_METADATA.sub("", pod_path, count=1))


def written_path(path: str) -> str:
    """Where a field the API server names is written in the document: ``spec.template.labels``
    is ``spec.template.metadata.labels`` (``server_template_path``)."""
    if "template." not in path:
        return path
    return _WRITTEN_TEMPLATE_METADATA.sub("template.metadata.", path, count=1)


def template_relative(kind: Kind, path: str) -> str | None:
    """The inverse of ``document_path``: a document path inside the template as a Pod path,
    or ``None`` for a path outside the template."""
    if kind.is_pod:
        return path
    prefix = kind.template_path + "."
    if path.startswith(prefix):
        return path[len(prefix) :]
    return None


# --- wrapping and unwrapping -------------------------------------------------------------------

WORKLOAD_LABEL = "app"


def _template_labels(pod: dict) -> dict:
    labels = as_dict(as_dict(pod.get("metadata")).get("labels"))
    name = as_dict(pod.get("metadata")).get("name")
    if labels:
        return dict(labels)
    return {WORKLOAD_LABEL: name if isinstance(name, str) and name else "app"}


def wrap(pod: dict, kind_name: str) -> dict:
    """The Pod as the template of a new workload of ``kind_name``, with the controller's few
    fields set to what a person would write first. The Pod's own fields are kept as they are
    (its name becomes the workload's); a restartPolicy the kind forbids is changed to one it
    allows, since the API server would refuse the workload otherwise."""
    kind = KINDS[kind_name]
    metadata = dict(as_dict(pod.get("metadata")))
    spec = dict(as_dict(pod.get("spec")))
    labels = _template_labels(pod)
    name = metadata.pop("name", None) or labels.get(WORKLOAD_LABEL) or "app"
    template_metadata = {"labels": labels}
    for key in ("annotations",):
        if key in metadata:
            template_metadata[key] = metadata.pop(key)
    metadata.pop("labels", None)
    workload_metadata = {"name": name, **metadata}
    if kind.restart_policies and spec.get("restartPolicy") not in kind.restart_policies:
        if kind.restart_policies == _ALWAYS:
            spec.pop("restartPolicy", None)  # Always is the default
        else:
            spec["restartPolicy"] = "OnFailure" if spec.get("restartPolicy") else "Never"
    template = {"metadata": template_metadata, "spec": spec}
    selector = {"matchLabels": dict(labels)}
    workload_spec: dict[str, Any]
    if kind_name in ("Deployment", "ReplicaSet"):
        workload_spec = {"replicas": 2, "selector": selector, "template": template}
    elif kind_name == "StatefulSet":
        workload_spec = {
            "serviceName": name,
            "replicas": 2,
            "selector": selector,
            "template": template,
        }
    elif kind_name == "DaemonSet":
        workload_spec = {"selector": selector, "template": template}
    elif kind_name == "Job":
        workload_spec = {"completions": 1, "backoffLimit": 3, "template": template}
    elif kind_name == "CronJob":
        workload_spec = {
            "schedule": "0 3 * * *",
            "jobTemplate": {"spec": {"backoffLimit": 3, "template": template}},
        }
    elif kind_name == "ReplicationController":
        workload_spec = {"replicas": 2, "selector": dict(labels), "template": template}
    else:
        raise KeyError(kind_name)
    return {
        "apiVersion": kind.api_version,
        "kind": kind.name,
        "metadata": workload_metadata,
        "spec": workload_spec,
    }


def unwrap(manifest: dict) -> dict:
    """The workload's template as a Pod: named after the workload, with the template's labels
    and annotations and the workload's namespace. The controller's own fields are dropped."""
    kind = kind_of(manifest)
    if kind is None or kind.is_pod:
        return manifest
    template = as_dict(template_of(manifest, kind))
    template_metadata = as_dict(template.get("metadata"))
    workload_metadata = as_dict(manifest.get("metadata"))
    metadata: dict[str, Any] = {}
    for key in ("name", "namespace"):
        if key in workload_metadata:
            metadata[key] = workload_metadata[key]
    for key, value in template_metadata.items():
        if key not in ("name", "generateName", "namespace"):
            metadata[key] = value
    pod: dict[str, Any] = {"apiVersion": "v1", "kind": "Pod", "metadata": metadata}
    spec = template.get("spec")
    pod["spec"] = spec if isinstance(spec, dict) else {}
    return pod


_SELECTED_BY_MATCH_LABELS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet")


def template_labels(manifest: dict, kind: Kind) -> dict:
    """The labels of a workload's Pod template ({} if none)."""
    return as_dict(as_dict(as_dict(template_of(manifest, kind)).get("metadata")).get("labels"))


def needs_selector(manifest: dict) -> bool:
    """True for an apps/v1 workload without the selector it must have, whose template has
    labels it could select by (``select_by_labels``)."""
    kind = kind_of(manifest)
    if kind is None or kind.name not in _SELECTED_BY_MATCH_LABELS:
        return False
    labels = template_labels(manifest, kind)
    plain = all(isinstance(value, str) for value in labels.values())
    return "selector" not in as_dict(manifest.get("spec")) and bool(labels) and plain


def select_by_labels(manifest: dict) -> dict | None:
    """The workload given a selector of its template's labels (in place), if it
    ``needs_selector``; else None."""
    if not needs_selector(manifest):
        return None
    labels = template_labels(manifest, kind_of(manifest))
    manifest["spec"]["selector"] = {"matchLabels": dict(labels)}
    return manifest


def selector_in_sync(manifest: dict, before: dict, *, follow: bool = True) -> bool:
    """Keeps a workload's selector following its template's labels, as the builder promises,
    after an edit of ``before`` (the manifest as it was) into ``manifest`` (changed in place).

    Only a selector that equalled the labels before the edit follows them, and only with
    ``follow``: in a file the author brought (``follow=False``) the selector is theirs, since
    the API server never lets a running Deployment's selector change. One the author
    wrote otherwise (most files select by a subset of the labels, e.g. without the version,
    and the API server never lets a Deployment's selector change) or with expressions is left
    alone. A missing one, which apps/v1 requires, is set to the labels when the edit changes
    them (True then, so the builder can say so); any other edit leaves it missing, as a file
    without one may be a patch (kustomize) that must not set it."""
    kind = kind_of(manifest)
    spec = manifest.get("spec")
    if kind is None or not isinstance(spec, dict) or kind_of(before) != kind:
        return False
    labels, old = template_labels(manifest, kind), template_labels(before, kind)
    if not all(isinstance(value, str) for value in labels.values()):
        return False
    selector = spec.get("selector")
    if kind.name == "ReplicationController":  # a plain map, and optional: it defaults
        if follow and isinstance(selector, dict) and selector == old:
            spec["selector"] = dict(labels)
        return False
    if kind.name not in _SELECTED_BY_MATCH_LABELS:
        return False
    if selector is None:
        if not labels or labels == old:
            return False
        spec["selector"] = {"matchLabels": dict(labels)}
        return True
    matched = follow and isinstance(selector, dict) and set(selector) == {"matchLabels"}
    if matched and as_dict(selector["matchLabels"]) == old:
        selector["matchLabels"] = dict(labels)
    return False
