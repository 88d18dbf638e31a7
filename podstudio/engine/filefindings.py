"""Findings across the documents of one file: what a Service says of the Pods beside it, and
what the Pods read of the ConfigMaps and Secrets beside them.

A Service sends its traffic to the Pods whose labels hold all of its selector, on the port its
``targetPort`` names. Shipped in one file with the workloads it is for (the usual way to ship an
app), a selector that matches none of their Pod templates sends traffic nowhere, and a named
``targetPort`` that none of the selected containers declares leaves the Service without an
endpoint for that port. The API server accepts both; kube-linter (``dangling-service``) and
kube-score (``service-targets-pod``) look for them.

A container that reads a key of a ConfigMap or Secret (an environment variable's
``configMapKeyRef``, a volume's ``items``) that the file defines without that key does not start:
the kubelet reports ``CreateContainerConfigError`` for the variable, and cannot mount the volume
(the Pod stays in ``ContainerCreating``), unless the reference is ``optional``.

Only what the file shows is judged: a Service in a file with no Pod or workload of its
namespace may select Pods made elsewhere, and a ConfigMap the file does not define may be in the
cluster; both are left alone. The CLI judges the files of one folder together, as
``kubectl apply -f FOLDER`` sends them together (``where`` names what was judged).
"""

from typing import Any, NamedTuple

from podstudio.engine.ignore import ignored_ids
from podstudio.engine.kinds import document_path, is_custom_group, kind_of, pod_view
from podstudio.engine.paths import as_dict, as_list, iter_containers
from podstudio.engine.results import Finding

# The kinds whose presence in a file can give findings across it, and the findings a Service
# (not checked itself) has of the Pods beside it.
SAYING_KINDS = frozenset(("Service", "ConfigMap", "Secret"))
SERVICE_FINDINGS = frozenset(("service-selects-nothing", "service-target-port-unknown"))
FILE_FINDINGS = SERVICE_FINDINGS | {"config-key-missing"}
THIS_FILE = "this file"


class _Pods(NamedTuple):
    """The Pods one object of the file makes (a Pod: itself)."""

    title: str  # "Deployment shop"
    namespace: str  # "" when the object leaves it to kubectl's context
    labels: dict  # the template's, and those its controller adds with a value known here
    any_value: frozenset[str]  # labels its controller adds with a value not known here
    port_names: frozenset[str]

    def carry(self, selector: dict) -> bool:
        """Whether the Pods carry every label of a Service's selector (a label selector of
        matchLabels alone), counting what the controller adds."""
        return all(
            self.labels.get(key) == value or key in self.any_value
            for key, value in selector.items()
        )


# The labels each controller adds to the Pods it makes (the Job's strategy in
# pkg/registry/batch/job, the controllers in pkg/controller): a Service for a Job's Pods often
# selects job-name. Their values are not in the manifest, but a Job's name.
_JOB_NAMED = ("job-name", "batch.kubernetes.io/job-name")
_JOB_ADDED = ("controller-uid", "batch.kubernetes.io/controller-uid")
_ADDED = {
    "Deployment": ("pod-template-hash",),
    "StatefulSet": (
        "controller-revision-hash",
        "statefulset.kubernetes.io/pod-name",
        "apps.kubernetes.io/pod-index",
    ),
    "DaemonSet": ("controller-revision-hash", "pod-template-generation"),
    "Job": ("batch.kubernetes.io/job-completion-index",),
    # A CronJob's Jobs are named when they are made.
    "CronJob": (*_JOB_NAMED, *_JOB_ADDED, "batch.kubernetes.io/job-completion-index"),
}


def service_findings(
    objects: list[Any], where: str = THIS_FILE, partial: bool = False
) -> dict[int, list[Finding]]:
    """Findings for each Service among ``objects`` (the data of a file's documents, by their
    position in the list): ``{position: [Finding, ...]}``. With ``partial``, some of what was
    sent could not be read (a template not yet rendered) and may hold the Service's Pods:
    none is said."""
    if partial:
        return {}
    pods = [made for data in objects if (made := _pods_of(data)) is not None]
    # A custom resource that holds containers makes Pods of its own (a LeaderWorkerSet, an
    # Argo Rollout, a JobSet) whose labels are its controller's to say: a Service of its
    # namespace may select them.
    unknown = {_namespace(data) for data in objects if _makes_pods(data)}
    # An operator's resource (a Prometheus, an Alertmanager) makes Pods without listing
    # containers, and labels them after it: "prometheus: k8s" for the Prometheus named k8s.
    custom = {
        (_namespace(data), name)
        for data in objects
        if isinstance(data, dict)
        and is_custom_group(data.get("apiVersion"))
        and isinstance(name := as_dict(data.get("metadata")).get("name"), str)
    }
    found: dict[int, list[Finding]] = {}
    for position, data in enumerate(objects):
        if (
            _is_service(data)
            and not _near(_namespace(data), unknown)
            and not _selects_by_owner_name(data, custom)
        ):
            # What it opts out of; a Service is not checked, so an unknown name goes unsaid.
            ignored, _ = ignored_ids(data)
            found_here = _service_findings(data, pods, where)
            findings = [f for f in found_here if f.id not in ignored]
            if findings:
                found[position] = findings
    return found


def _selects_by_owner_name(service: dict, custom: set[tuple[str, str]]) -> bool:
    """Whether a value of the Service's selector names a custom resource of its namespace,
    as the labels an operator gives the Pods it makes do."""
    selector = as_dict(as_dict(service.get("spec")).get("selector"))
    namespace = _namespace(service)
    return any(
        _near(namespace, {where}) and value == name
        for where, name in custom
        for value in selector.values()
    )


def _is_service(data: Any) -> bool:
    return (
        isinstance(data, dict) and data.get("kind") == "Service" and data.get("apiVersion") == "v1"
    )


def _near(namespace: str, namespaces: set[str]) -> bool:
    """Whether an object of ``namespace`` may share one with any of ``namespaces`` ("": the
    one kubectl's context gives)."""
    return bool(namespaces) and (not namespace or bool({"", namespace} & namespaces))


def _namespace(data: dict) -> str:
    namespace = as_dict(data.get("metadata")).get("namespace")
    return namespace if isinstance(namespace, str) else ""


def _pods_of(data: Any) -> _Pods | None:
    kind = kind_of(data) if isinstance(data, dict) else None
    if kind is None:
        return None
    pod = pod_view(data, kind)
    labels = as_dict(as_dict(pod.get("metadata")).get("labels"))
    spec = as_dict(pod.get("spec"))
    serving = as_list(spec.get("containers")) + [
        container
        for container in as_list(spec.get("initContainers"))
        if as_dict(container).get("restartPolicy") == "Always"  # a sidecar serves too
    ]
    names = frozenset(
        port["name"]
        for container in serving
        for port in as_list(as_dict(container).get("ports"))
        if isinstance(port, dict) and isinstance(port.get("name"), str)
    )
    name = as_dict(data.get("metadata")).get("name")
    named = isinstance(name, str) and bool(name)
    any_value = set(_ADDED.get(kind.name, ()))
    if kind.name == "Job" and as_dict(data.get("spec")).get("manualSelector") is not True:
        any_value.update(_JOB_ADDED)  # the Job's own selector, by its uid
        if named:
            labels = {**labels, **dict.fromkeys(_JOB_NAMED, name)}
        else:  # named when it is made (generateName)
            any_value.update(_JOB_NAMED)
    title = f"{kind.name} {name}" if named else kind.name
    return _Pods(title, _namespace(data), labels, frozenset(any_value), names)


def _makes_pods(data: Any) -> bool:
    """Whether a custom resource holds a list of containers, at any depth (so it makes Pods)."""
    return (
        isinstance(data, dict)
        and is_custom_group(data.get("apiVersion"))
        and _holds_containers(data.get("spec"))
    )


def _holds_containers(data: Any, depth: int = 0) -> bool:
    if isinstance(data, dict):
        if isinstance(data.get("containers"), list):
            return True
        values = data.values()
    elif isinstance(data, list):
        values = data
    else:
        return False
    return depth < 12 and any(_holds_containers(value, depth + 1) for value in values)


def _service_findings(service: dict, pods: list[_Pods], where: str) -> list[Finding]:
    spec = as_dict(service.get("spec"))
    selector = spec.get("selector")
    if spec.get("type") == "ExternalName" or not isinstance(selector, dict) or not selector:
        return []  # no selector: its endpoints are managed by hand
    if not all(isinstance(value, str) for value in selector.values()):
        return []  # the API server refuses it
    namespace = _namespace(service)
    near = [
        made for made in pods if not namespace or not made.namespace or made.namespace == namespace
    ]
    if not near:
        return []  # its Pods are made elsewhere
    if any(_placeholder(value) for value in selector.values()):
        return []  # a template's variable (envsubst's ${NAME}): what it selects is not known
    selected = [made for made in near if made.carry(selector)]
    name = as_dict(service.get("metadata")).get("name") or "(unnamed)"
    if not selected:
        return [_selects_nothing(str(name), selector, near, where)]
    return _unknown_target_ports(spec, selected)


def _placeholder(value: Any) -> bool:
    """A variable a template fills in (``${PORT}``, ``{{ .Values.port }}``), not a value."""
    return isinstance(value, str) and ("${" in value or "{{" in value)


def _labels_text(labels: dict) -> str:
    return ", ".join(f"{key}={value}" for key, value in labels.items()) or "no labels"


def _selects_nothing(name: str, selector: dict, near: list[_Pods], where: str) -> Finding:
    carried = "; ".join(
        f"{made.title} has {_labels_text(made.labels)}"
        if made.title.startswith("Pod ") or made.title == "Pod"
        else f"{made.title}'s Pods have {_labels_text(made.labels)}"
        for made in near[:3]
    )
    return Finding(
        "service-selects-nothing",
        "warning",
        "spec.selector",
        f"The Service {name} selects {_labels_text(selector)}, and no Pod in {where} has all "
        f"of those labels ({carried}): it sends its traffic nowhere.",
        "Make spec.selector a subset of the labels of the Pods it is for (a workload's "
        "spec.template.metadata.labels), or give those Pods the labels it selects.",
    )


def _unknown_target_ports(spec: dict, selected: list[_Pods]) -> list[Finding]:
    findings = []
    for index, port in enumerate(as_list(spec.get("ports"))):
        target = as_dict(port).get("targetPort")
        if not isinstance(target, str) or target.isdigit() or _placeholder(target):
            continue  # a number is used as it is; digits in quotes are refused
        if any(target in made.port_names for made in selected):
            continue
        declared = sorted(set().union(*(made.port_names for made in selected)))
        has = ", ".join(declared) if declared else "none"
        findings.append(
            Finding(
                "service-target-port-unknown",
                "warning",
                f"spec.ports[{index}].targetPort",
                f"targetPort {target} names no port of the Pods this Service selects "
                f"({', '.join(made.title for made in selected[:3])}; named ports: {has}): the "
                "Service has no endpoint for this port, so its connections fail.",
                f'Name a container port "{target}" (ports[].name) in the Pods, or set '
                "targetPort to one of their names or to the port number.",
            )
        )
    return findings


# --- ConfigMap and Secret keys ------------------------------------------------------------------

# What each kind holds its keys in.
_KEYS_IN = {"ConfigMap": ("data", "binaryData"), "Secret": ("data", "stringData")}


def reference_findings(objects: list[Any], where: str = THIS_FILE) -> dict[int, list[Finding]]:
    """Findings for each Pod and workload among ``objects`` (by position) whose containers read
    a key that a ConfigMap or Secret of the file does not hold."""
    stores: dict[tuple[str, str], list[tuple[str, frozenset]]] = {}  # (kind, name) -> keys
    for data in objects:
        if isinstance(data, dict) and data.get("apiVersion") == "v1":
            fields = _KEYS_IN.get(str(data.get("kind")))
            name = as_dict(data.get("metadata")).get("name")
            if fields and isinstance(name, str):
                keys = frozenset(key for field in fields for key in as_dict(data.get(field)))
                stores.setdefault((data["kind"], name), []).append((_namespace(data), keys))
    if not stores:
        return {}
    found: dict[int, list[Finding]] = {}
    for position, data in enumerate(objects):
        kind = kind_of(data) if isinstance(data, dict) else None
        if kind is None:
            continue
        namespace = _namespace(data)
        findings = [
            Finding(
                "config-key-missing",
                "error",
                document_path(kind, path),
                message,
                f"Add the key {key} to {store_kind} {name}, or read one it holds "
                "(or mark the reference optional: true if the container can start without it).",
            )
            for path, store_kind, name, key, message in _key_references(pod_view(data, kind), where)
            if _lacks(stores, namespace, store_kind, name, key)
        ]
        ignored, _ = ignored_ids(data)
        findings = [finding for finding in findings if finding.id not in ignored]
        if findings:
            found[position] = findings
    return found


def file_findings(
    objects: list[Any], where: str = THIS_FILE, partial: bool = False
) -> dict[int, list[Finding]]:
    """Every finding across the file's ``objects``, by the position of the object it is of
    (``where`` says what the objects are: "this file", "the files of this folder";
    ``partial``: some of it could not be read)."""
    found = service_findings(objects, where, partial)
    for position, findings in reference_findings(objects, where).items():
        found.setdefault(position, []).extend(findings)
    return found


def _lacks(stores: dict, namespace: str, kind: str, name: Any, key: Any) -> bool:
    """Whether the file defines the ConfigMap or Secret (in a namespace the reader may be in)
    and none of its definitions holds ``key``."""
    if not isinstance(name, str) or not isinstance(key, str) or _placeholder(name + key):
        return False
    held = [
        keys
        for defined_in, keys in stores.get((kind, name), [])
        if namespace in ("", defined_in) or not defined_in
    ]
    if any(_placeholder(held_key) for keys in held for held_key in keys):
        return False  # a template's variable names a key: it may be this one
    return bool(held) and not any(key in keys for keys in held)


def _key_references(pod: dict, where: str):
    """``(path, kind, name, key, message)`` for each key of a ConfigMap or Secret the Pod
    reads and must find (not ``optional``)."""
    spec = as_dict(pod.get("spec"))
    for _field, path, container in iter_containers(spec):
        for index, env in enumerate(as_list(container.get("env"))):
            source = as_dict(as_dict(env).get("valueFrom"))
            for field, kind, name_field in _ENV_SOURCES:
                ref = source.get(field)
                if isinstance(ref, dict) and ref.get("optional") is not True:
                    name, key = ref.get(name_field), ref.get("key")
                    yield (
                        f"{path}.env[{index}].valueFrom.{field}.key",
                        kind,
                        name,
                        key,
                        f"The variable {as_dict(env).get('name')} of the container "
                        f"{container.get('name')} reads the key {key} of {kind} {name}, defined "
                        f"in {where} without that key: the container cannot start "
                        "(CreateContainerConfigError).",
                    )
    for index, volume in enumerate(as_list(spec.get("volumes"))):
        volume = as_dict(volume)
        sources = [(f"spec.volumes[{index}]", volume)] + [
            (f"spec.volumes[{index}].projected.sources[{number}]", as_dict(source))
            for number, source in enumerate(
                as_list(as_dict(volume.get("projected")).get("sources"))
            )
        ]
        for path, source in sources:
            for field, kind, name_field in _VOLUME_SOURCES:
                ref = source.get(field)
                if not isinstance(ref, dict) or ref.get("optional") is True:
                    continue
                # A secret volume says secretName; a projected secret, like any ConfigMap, name.
                name = ref.get(name_field if source is volume else "name")
                for number, item in enumerate(as_list(ref.get("items"))):
                    key = as_dict(item).get("key")
                    yield (
                        f"{path}.{field}.items[{number}].key",
                        kind,
                        name,
                        key,
                        f"The volume {volume.get('name')} maps the key {key} of {kind} {name}, "
                        f"defined in {where} without that key: the volume cannot be "
                        "mounted, so the Pod stays in ContainerCreating.",
                    )


_ENV_SOURCES = (("configMapKeyRef", "ConfigMap", "name"), ("secretKeyRef", "Secret", "name"))
_VOLUME_SOURCES = (("configMap", "ConfigMap", "name"), ("secret", "Secret", "secretName"))
