"""The builder's form as pure functions over the manifest, which stays the single source of truth.

- ``build_form(manifest)`` lays the form out: sections, list items and inputs named by field path.
- ``form_data(manifest)`` is what a browser posts for that form when nobody changes anything.
- ``apply_form(manifest, data)`` applies posted values to a copy: only posted fields change,
  a value equal to what the form showed leaves the stored value exactly as it was (``"1.0"``
  stays a string, ``288`` stays an int), an empty input removes its key.
- ``apply_action(manifest, action)`` adds, removes and moves list items.
- ``kept_as_is(manifest)`` lists what the form does not edit, so the page can show it.

It is one module (over 800 lines) because laying the form out and applying what it posts must
agree on every input's name and on how each value is shown: a value posted back as the form
showed it leaves the stored one exactly as it was. Split, each half would import the other's
private helpers.
"""

import copy
import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from podstudio.builder.formfields import (
    ENV_KINDS,
    FIELDS,
    HOOK_KINDS,
    KIND_LABELS,
    LISTS,
    PROBE_KINDS,
    VOLUME_KINDS,
    Field,
    pattern_of,
)
from podstudio.engine.memo import short_text_cache
from podstudio.engine.paths import as_dict, as_list, get, join, keys_to_path
from podstudio.engine.paths import path_to_keys as _split
from podstudio.engine.yamldump import dump_manifest


@short_text_cache(8192)
def _cached_keys(path: str) -> tuple[str | int, ...]:
    return tuple(_split(path))


def path_to_keys(path: str) -> list[str | int]:
    """``paths.path_to_keys``, cached: the form posts the same few hundred names every time."""
    return list(_cached_keys(path))


_MISSING = object()
_KEEP = object()
_REMOVE = object()

# Maps that only exist to hold the fields inside them: dropped once the form empties them.
_PRUNABLE = {
    "resources",
    "requests",
    "limits",
    "securityContext",
    "capabilities",
    "seccompProfile",
    "labels",
    "annotations",
    "nodeSelector",
    "lifecycle",
}
_FIXED_TOP = {"apiVersion", "kind"}


def field_id(name: str) -> str:
    """A safe HTML id for a posted name: ``a.b[0]`` -> ``f-a-b_0``."""
    return "f-" + name.replace("@", "--").replace(".", "-").replace("[", "_").replace("]", "")


# --- rendering values as the form shows them ------------------------------------------------------


def _scalar_text(value: Any) -> str:
    if value is _MISSING or value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_QUANTITY = re.compile(r"^\s*([+-]?(?:\d+\.?\d*|\.\d+))\s*([a-zA-Z]*|[eE][+-]?\d+)\s*$")


def split_quantity(value: Any) -> tuple[str, str]:
    text = _scalar_text(value)
    match = _QUANTITY.match(text)
    if not match:
        return text, ""
    return match.group(1), match.group(2)


def split_image(value: Any) -> tuple[str, str]:
    text = _scalar_text(value)
    if "@" in text:
        return text, ""
    repo, sep, tag = text.rpartition(":")
    if sep and "/" not in tag and repo:
        return repo, tag
    return text, ""


def _lines_editable(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, str) and item and "\n" not in item and item == item.strip()
        for item in value
    )


def _map_editable(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    for key, item in value.items():
        if "=" in key or "\n" in key or key != key.strip() or not key:
            return False
        if isinstance(item, dict | list) or "\n" in _scalar_text(item):
            return False
        if _scalar_text(item) != _scalar_text(item).strip():
            return False
    return True


def editable(fld: Field, value: Any) -> bool:
    """Whether the form can show this value and give it back unchanged."""
    if value is _MISSING:
        return True
    if fld.kind == "lines":
        return _lines_editable(value)
    if fld.kind == "map":
        return _map_editable(value)
    if isinstance(value, dict | list):
        return False
    return "\n" not in _scalar_text(value)


def _lines_text(value: Any) -> str:
    return "\n".join(value) if _lines_editable(value) else ""


def _map_text(value: Any) -> str:
    if not _map_editable(value):
        return ""
    return "\n".join(f"{key}={_scalar_text(item)}" for key, item in value.items())


# --- the form's layout --------------------------------------------------------------------------


@dataclass
class Input:
    name: str  # the field path, also the posted name
    field: Field
    value: str = ""
    second: str = ""  # the unit of a quantity, the tag of an image
    choices: list[tuple[str, str]] = field(default_factory=list)
    checked: bool = False
    errors: list[str] = field(default_factory=list)
    note: str = ""  # how the form read what was typed, when that is not what it looks like

    @property
    def id(self) -> str:
        return field_id(self.name)

    @property
    def kind(self) -> str:
        return self.field.kind


@dataclass
class Kept:
    """A value inside the form's area that the form cannot edit, shown read-only."""

    path: str
    yaml: str


@dataclass
class AddButton:
    action: str
    label: str

    @property
    def id(self) -> str:
        return "add-" + field_id(self.action.partition(":")[2])


@dataclass
class Group:
    title: str
    path: str = ""
    kind: str = "sub"  # "section", "item" (list entry with remove/move) or "sub" (details)
    lesson: str = ""
    children: list = field(default_factory=list)
    is_open: bool = False
    first: bool = False
    last: bool = False
    warning: str = ""
    errors: list[str] = field(default_factory=list)
    # A list entry named by one of its fields: the title without the name ("Container 2"), and
    # the id of the input whose text follows it in the title as it is typed.
    base_title: str = ""
    name_from: str = ""

    @property
    def id(self) -> str:
        return field_id(self.path) if self.path else ""

    @property
    def element_id(self) -> str:
        """The id of the region a section or a collapsible group is drawn as."""
        return ("sec-" if self.kind == "section" else "sub-") + self.id


def _current(manifest: dict, path: str) -> Any:
    return get(manifest, *path_to_keys(path), default=_MISSING)


def _input(manifest: dict, path: str, fld: Field | None = None) -> Input | Kept:
    """The input of a field (``FIELDS`` knows it unless ``fld`` is given)."""
    fld = fld or FIELDS[pattern_of(path)]
    value = _current(manifest, path)
    if not editable(fld, value):
        return Kept(path, dump_manifest({path_to_keys(path)[-1]: value}))
    item = Input(path, fld)
    kind = fld.kind
    if kind == "quantity":
        item.value, item.second = split_quantity(value)
        item.choices = list(fld.units)
        if item.second not in {unit for unit, _ in item.choices}:
            item.choices.append((item.second, item.second))
        if value is _MISSING:
            item.second = fld.units[0][0]
    elif kind == "image":
        item.value, item.second = split_image(value)
    elif kind == "lines":
        item.value = _lines_text(value)
    elif kind == "map":
        item.value = _map_text(value)
    elif kind == "flag":
        item.checked = value is True
    elif kind == "sidecar":
        item.checked = value == "Always"
        if value is not _MISSING and value != "Always":
            return Kept(path, dump_manifest({"restartPolicy": value}))
    elif kind == "bool":
        item.value = _scalar_text(value)
        item.choices = [("", "not set"), ("true", "true"), ("false", "false")]
        if item.value not in ("", "true", "false"):
            item.choices.append((item.value, item.value))
    elif kind in ("enum", "volume"):
        item.value = _scalar_text(value)
        options = fld.choices
        if kind == "volume":
            options = tuple(
                name
                for name in (
                    as_dict(volume).get("name")
                    for volume in as_list(_spec(manifest).get("volumes"))
                )
                if isinstance(name, str) and name
            )
        item.choices = [("", "not set" if kind == "enum" else "choose a volume")]
        item.choices += [(option, option) for option in options]
        if item.value and item.value not in options:
            item.choices.append((item.value, item.value))
    else:
        item.value = _scalar_text(value)
    return item


def _kind_input(manifest: dict, base: str, options: tuple[str, ...], allow_none: bool) -> Input:
    current = current_kind(manifest, base)
    item = Input(f"{base}@kind", FIELDS[pattern_of(f"{base}@kind")], value=current)
    values = ([""] if allow_none else []) + list(options)
    if current not in values:
        values.append(current)
    item.choices = [(value, KIND_LABELS.get(value, value)) for value in values]
    return item


def _spec(manifest: dict) -> dict:
    return as_dict(manifest.get("spec"))


def _list_items(manifest: dict, path: str) -> list:
    return as_list(_current(manifest, path))


def _has_any(manifest: dict, *paths: str) -> bool:
    return any(_current(manifest, path) is not _MISSING for path in paths)


def _item_group(
    title: str, path: str, index: int, count: int, lesson: str, name: Any = None
) -> Group:
    """A list entry titled ``title`` and, when it has one, its name (``Container 2: web``)."""
    full = f"{title}: {name}" if isinstance(name, str) and name else title
    return Group(
        full,
        path,
        "item",
        lesson,
        is_open=True,
        first=index == 0,
        last=index == count - 1,
        base_title=title,
    )


def _follow_name(group: Group) -> None:
    """Lets the entry's title follow its ``name`` input, if it has one the form edits."""
    name = f"{group.path}.name"
    for child in group.children:
        if isinstance(child, Input) and child.name == name:
            group.name_from = child.id
            return


def _fields(manifest: dict, base: str, names: tuple[str, ...]) -> list:
    return [_input(manifest, f"{base}.{name}") for name in names]


def _list_group(
    manifest: dict, path: str, title: str, item_title: str, lesson: str, build_item
) -> Group:
    items = _list_items(manifest, path)
    group = Group(title, path, "sub", lesson, is_open=bool(items))
    for index, item in enumerate(items):
        item_path = f"{path}[{index}]"
        # A kustomize patch's ``- $patch: replace`` is a directive, not an entry to edit.
        if not isinstance(item, dict) or "$patch" in item:
            group.children.append(Kept(item_path, dump_manifest([item])))
            continue
        name = item.get("name")
        entry = _item_group(f"{item_title} {index + 1}", item_path, index, len(items), lesson, name)
        entry.children = build_item(item_path, item)
        _follow_name(entry)
        group.children.append(entry)
    if isinstance(_current(manifest, path), list) or _current(manifest, path) is _MISSING:
        group.children.append(AddButton(f"add:{path}", LISTS[pattern_of(path)]))
    else:
        group.children.append(Kept(path, dump_manifest({path_to_keys(path)[-1]: items})))
    return group


def _container_groups(manifest: dict, base: str, init: bool) -> list:
    def port(path, _item):
        return _fields(manifest, path, ("name", "containerPort", "protocol"))

    def env(path, item):
        children = [_input(manifest, f"{path}.name"), _kind_input(manifest, path, ENV_KINDS, False)]
        kind = current_kind(manifest, path)
        if kind == "value":
            children.append(_input(manifest, f"{path}.value"))
        elif kind in ("secretKeyRef", "configMapKeyRef"):
            children += _fields(manifest, f"{path}.valueFrom.{kind}", ("name", "key", "optional"))
        elif kind == "fieldRef":
            children.append(_input(manifest, f"{path}.valueFrom.fieldRef.fieldPath"))
        elif kind == "resourceFieldRef":
            children.append(_input(manifest, f"{path}.valueFrom.resourceFieldRef.resource"))
        return children

    def mount(path, _item):
        return _fields(manifest, path, ("name", "mountPath", "readOnly", "subPath"))

    groups = []
    for index, _container in enumerate(_list_items(manifest, base)):
        path = f"{base}[{index}]"
        container = _current(manifest, path)
        name = as_dict(container).get("name")
        label = "Init container" if init else "Container"
        count = len(_list_items(manifest, base))
        lesson = "init-containers" if init else "anatomy"
        group = _item_group(f"{label} {index + 1}", path, index, count, lesson, name)
        if not isinstance(container, dict):
            group.children.append(Kept(path, dump_manifest({"container": container})))
            groups.append(group)
            continue
        if init:
            group.children.append(_input(manifest, f"{path}.restartPolicy"))
        group.children += _fields(manifest, path, ("name", "image", "imagePullPolicy"))
        _follow_name(group)
        group.children.append(
            Group(
                "Command and arguments",
                f"{path}.command",
                lesson="anatomy",
                is_open=_has_any(manifest, f"{path}.command", f"{path}.args"),
                children=_fields(manifest, path, ("command", "args", "workingDir")),
            )
        )
        group.children.append(
            _list_group(manifest, f"{path}.ports", "Ports", "Port", "networking", port)
        )
        group.children.append(
            _list_group(manifest, f"{path}.env", "Environment", "Variable", "anatomy", env)
        )
        group.children.append(
            Group(
                "Resources",
                f"{path}.resources",
                lesson="resources",
                is_open=_has_any(manifest, f"{path}.resources"),
                children=_fields(
                    manifest,
                    f"{path}.resources",
                    ("requests.cpu", "requests.memory", "limits.cpu", "limits.memory"),
                ),
            )
        )
        group.children.append(
            _list_group(
                manifest, f"{path}.volumeMounts", "Volume mounts", "Mount", "multi-container", mount
            )
        )
        probes = Group(
            "Probes",
            f"{path}.probes",
            lesson="probes",
            is_open=_has_any(
                manifest,
                f"{path}.livenessProbe",
                f"{path}.readinessProbe",
                f"{path}.startupProbe",
            ),
        )
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            probes.children.append(_probe_group(manifest, f"{path}.{probe}"))
        group.children.append(probes)
        group.children.append(
            Group(
                "Security context",
                f"{path}.securityContext",
                lesson="security",
                is_open=_has_any(manifest, f"{path}.securityContext"),
                children=_fields(
                    manifest,
                    f"{path}.securityContext",
                    (
                        "runAsNonRoot",
                        "runAsUser",
                        "runAsGroup",
                        "allowPrivilegeEscalation",
                        "readOnlyRootFilesystem",
                        "privileged",
                        "capabilities.drop",
                        "capabilities.add",
                        "seccompProfile.type",
                    ),
                ),
            )
        )
        hooks = Group(
            "Lifecycle hooks",
            f"{path}.lifecycle",
            lesson="lifecycle",
            is_open=_has_any(manifest, f"{path}.lifecycle"),
        )
        for hook in ("postStart", "preStop"):
            hook_path = f"{path}.lifecycle.{hook}"
            hooks.children.append(_kind_input(manifest, hook_path, HOOK_KINDS[:3], True))
            kind = current_kind(manifest, hook_path)
            if kind == "exec":
                hooks.children.append(_input(manifest, f"{hook_path}.exec.command"))
            elif kind == "httpGet":
                hooks.children += _fields(manifest, f"{hook_path}.httpGet", ("path", "port"))
            elif kind == "sleep":
                hooks.children.append(_input(manifest, f"{hook_path}.sleep.seconds"))
        group.children.append(hooks)
        groups.append(group)
    return groups


def _probe_group(manifest: dict, path: str) -> Group:
    names = {
        "livenessProbe": "Liveness",
        "readinessProbe": "Readiness",
        "startupProbe": "Startup",
    }
    title = names[path.rsplit(".", 1)[1]]
    group = Group(title, path, "probe", "probes", is_open=True)
    group.children.append(_kind_input(manifest, path, PROBE_KINDS, True))
    kind = current_kind(manifest, path)
    if not kind:
        return group
    if kind == "httpGet":
        group.children += _fields(manifest, f"{path}.httpGet", ("path", "port", "scheme"))

        def header(item_path, _item):
            return _fields(manifest, item_path, ("name", "value"))

        group.children.append(
            _list_group(
                manifest, f"{path}.httpGet.httpHeaders", "Headers", "Header", "probes", header
            )
        )
    elif kind == "tcpSocket":
        group.children.append(_input(manifest, f"{path}.tcpSocket.port"))
    elif kind == "exec":
        group.children.append(_input(manifest, f"{path}.exec.command"))
    elif kind == "grpc":
        group.children += _fields(manifest, f"{path}.grpc", ("port", "service"))
    group.children += _fields(
        manifest,
        path,
        (
            "initialDelaySeconds",
            "periodSeconds",
            "timeoutSeconds",
            "successThreshold",
            "failureThreshold",
            "terminationGracePeriodSeconds",
        ),
    )
    return group


def _volume_item(manifest: dict, path: str, _item: dict) -> list:
    children: list = [
        _input(manifest, f"{path}.name"),
        _kind_input(manifest, path, VOLUME_KINDS, False),
    ]
    kind = current_kind(manifest, path)
    source = f"{path}.{kind}"
    if kind == "emptyDir":
        children += _fields(manifest, source, ("medium", "sizeLimit"))
    elif kind == "configMap":
        children += _fields(manifest, source, ("name", "defaultMode", "optional"))
    elif kind == "secret":
        children += _fields(manifest, source, ("secretName", "defaultMode", "optional"))
    elif kind == "persistentVolumeClaim":
        children += _fields(manifest, source, ("claimName", "readOnly"))
    elif kind == "hostPath":
        children += _fields(manifest, source, ("path", "type"))
    elif kind == "projected":
        children.append(_input(manifest, f"{source}.defaultMode"))

        def projected_source(item_path, item):
            inner = current_kind(manifest, item_path)
            names = {
                "serviceAccountToken": ("path", "expirationSeconds", "audience"),
                "configMap": ("name",),
                "secret": ("name",),
            }.get(inner, ())
            return _fields(manifest, f"{item_path}.{inner}", names) if names else []

        children.append(
            _list_group(
                manifest, f"{source}.sources", "Sources", "Source", "security", projected_source
            )
        )
    elif kind == "downwardAPI":

        def item(item_path, _item):
            return _fields(manifest, item_path, ("path", "fieldRef.fieldPath"))

        children.append(
            _list_group(manifest, f"{source}.items", "Files", "File", "multi-container", item)
        )
    return children


def build_form(manifest: dict) -> list[Group]:
    """The form's sections for a manifest, each input named by its field path."""
    spec = "spec"
    pod = Group("Pod", "metadata", "section", "anatomy", is_open=True)
    pod.children = _fields(manifest, "metadata", ("name", "namespace", "labels", "annotations"))

    containers = Group("Containers", "spec.containers", "section", "anatomy", is_open=True)
    containers.children = _container_groups(manifest, "spec.containers", init=False)
    containers.children.append(AddButton("add:spec.containers", LISTS["spec.containers"]))

    init = Group(
        "Init containers and sidecars",
        "spec.initContainers",
        "section",
        "init-containers",
        is_open=bool(_list_items(manifest, "spec.initContainers")),
    )
    init.children = _container_groups(manifest, "spec.initContainers", init=True)
    init.children.append(AddButton("add:spec.initContainers", LISTS["spec.initContainers"]))

    volumes = _list_group(
        manifest,
        "spec.volumes",
        "Volumes",
        "Volume",
        "multi-container",
        lambda path, item: _volume_item(manifest, path, item),
    )
    volumes.kind = "section"
    for entry in volumes.children:
        if isinstance(entry, Group) and current_kind(manifest, entry.path) == "hostPath":
            entry.warning = "hostPath exposes the node's files to the Pod: avoid it."

    scheduling = Group(
        "Scheduling",
        "spec.scheduling",
        "section",
        "scheduling",
        is_open=_has_any(manifest, "spec.nodeSelector", "spec.tolerations", "spec.affinity"),
    )
    scheduling.children.append(_input(manifest, "spec.nodeSelector"))
    scheduling.children.append(
        _list_group(
            manifest,
            "spec.tolerations",
            "Tolerations",
            "Toleration",
            "scheduling",
            lambda path, _item: _fields(
                manifest, path, ("key", "operator", "value", "effect", "tolerationSeconds")
            ),
        )
    )
    terms_path = (
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
        ".nodeSelectorTerms"
    )

    def term(path, _item):
        return [
            _list_group(
                manifest,
                f"{path}.matchExpressions",
                "Rules (all must match)",
                "Rule",
                "scheduling",
                lambda rule, _r: _fields(manifest, rule, ("key", "operator", "values")),
            )
        ]

    affinity = _list_group(
        manifest, terms_path, "Required node affinity", "Rule group", "scheduling", term
    )
    scheduling.children.append(affinity)

    security = Group(
        "Security and identity",
        "spec.securityContext",
        "section",
        "security",
        is_open=_has_any(manifest, "spec.securityContext", "spec.serviceAccountName"),
    )
    security.children = _fields(
        manifest,
        f"{spec}.securityContext",
        ("runAsNonRoot", "runAsUser", "runAsGroup", "fsGroup", "seccompProfile.type"),
    )
    security.children += _fields(
        manifest, spec, ("serviceAccountName", "automountServiceAccountToken", "hostNetwork")
    )
    security.children.append(
        _list_group(
            manifest,
            "spec.imagePullSecrets",
            "Image pull secrets",
            "Pull secret",
            "anatomy",
            lambda path, _item: _fields(manifest, path, ("name",)),
        )
    )

    lifecycle = Group(
        "Restarts and shutdown",
        "spec.lifecycle",
        "section",
        "lifecycle",
        is_open=_has_any(manifest, "spec.restartPolicy", "spec.terminationGracePeriodSeconds"),
    )
    lifecycle.children = _fields(manifest, spec, ("restartPolicy", "terminationGracePeriodSeconds"))
    return [pod, containers, init, volumes, scheduling, security, lifecycle]


def iter_inputs(nodes: list):
    for node in nodes:
        if isinstance(node, Input):
            yield node
        elif isinstance(node, Group):
            yield from iter_inputs(node.children)


def iter_slots(nodes: list):
    """Every path that has a place for errors in the form: inputs and list entries."""
    for node in nodes:
        if isinstance(node, Input):
            yield node.name
        elif isinstance(node, Group):
            if node.path:
                yield node.path
            yield from iter_slots(node.children)


_SECTION_SLOTS = {"metadata", "spec.containers", "spec.initContainers", "spec.volumes"}
_CONTAINER_SLOTS = (
    "command",
    "resources",
    "securityContext",
    "lifecycle",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
)


def _slot_patterns() -> frozenset[str]:
    patterns = set(_SECTION_SLOTS) | {"spec.securityContext"}
    patterns |= {pattern for pattern, fld in FIELDS.items() if fld.kind != "kind"}
    patterns |= set(LISTS) | {f"{pattern}[*]" for pattern in LISTS}
    for container in ("spec.containers[*]", "spec.initContainers[*]"):
        patterns |= {f"{container}.{name}" for name in _CONTAINER_SLOTS}
    return frozenset(patterns)


SLOT_PATTERNS = _slot_patterns()


def slot_for(path: str) -> str | None:
    """The form place nearest to a field path (the field, else its closest enclosing group).

    Works from patterns, so the preview need not lay the whole form out to place an error.
    """
    keys = path_to_keys(path)
    for length in range(len(keys), 0, -1):
        candidate = keys_to_path(keys[:length])
        if pattern_of(candidate) in SLOT_PATTERNS:
            return candidate
    return None


def form_data(manifest: dict, nodes: list | None = None) -> list[tuple[str, str]]:
    """What a browser posts for the form of this manifest when nothing is changed (``nodes``:
    a form laid out by another builder than ``build_form``)."""
    data = []
    for item in iter_inputs(nodes if nodes is not None else build_form(manifest)):
        if item.kind in ("flag", "sidecar"):
            data.append((f"{item.name}@shown", "1"))
            if item.checked:
                data.append((item.name, "on"))
        elif item.kind == "quantity":
            data += [(item.name, item.value), (f"{item.name}@unit", item.second)]
        elif item.kind == "image":
            data += [(item.name, item.value), (f"{item.name}@tag", item.second)]
        else:
            data.append((item.name, item.value))
    return data


# --- switchable structures --------------------------------------------------------------------


def current_kind(manifest: dict, base: str) -> str:
    """Which handler a probe or hook has, which source a volume or env var uses."""
    return _kind_of(_current(manifest, base), base)


def _kind_of(value: Any, base: str) -> str:
    """``current_kind`` of ``value``, the probe, hook, volume or env var at ``base``."""
    last = path_to_keys(base)[-1]
    if isinstance(last, int):
        parent = path_to_keys(base)[-2]
        if parent == "env":
            value_from = as_dict(as_dict(value).get("valueFrom"))
            for key in value_from:
                return key
            return "value"
        if parent == "volumes":
            for key in as_dict(value):
                if key != "name":
                    return key
            return ""
        for key in as_dict(value):  # a projected source
            return key
        return ""
    if not isinstance(value, dict):
        return ""
    handlers = PROBE_KINDS if last.endswith("Probe") else HOOK_KINDS
    for key in handlers:
        if key in value:
            return key
    return ""


# Web servers whose images listen on port 80 (the builder's blank Pod runs nginx).
_PORT_80_IMAGES = frozenset({"nginx", "httpd", "caddy", "nginxinc/nginx-unprivileged"})


def _port_hint(manifest: dict, base: str) -> int | str:
    """The port a new probe or hook checks: the container's first declared port, else 80 for a
    web server's image, else 8080, the usual port of an application."""
    keys = path_to_keys(base)
    container = as_dict(get(manifest, *keys[:3], default={}))
    for port in as_list(container.get("ports")):
        number = as_dict(port).get("containerPort")
        if isinstance(number, int) and not isinstance(number, bool):
            return number
    repo, _ = split_image(container.get("image"))
    name = repo.partition("@")[0].removeprefix("docker.io/").removeprefix("library/")
    return 80 if name in _PORT_80_IMAGES else 8080


def _probe_path(base: str) -> str:
    """A new HTTP check's path: readiness (``/readyz``, as Kubernetes' own servers name it) is
    not liveness (``/healthz``), so the two defaults are not the identical probes the findings
    warn of."""
    if base.endswith("readinessProbe"):
        return "/readyz"
    return "/healthz" if base.endswith("Probe") else "/"


def _template(kind: str, manifest: dict, base: str) -> dict:
    port = _port_hint(manifest, base)
    templates = {
        # probes and hooks
        "httpGet": {"path": _probe_path(base), "port": port},
        "tcpSocket": {"port": port},
        "exec": {
            "command": ["cat", "/tmp/healthy"]  # noqa: S108 (a file inside the container)
            if base.endswith("Probe")
            else ["sh", "-c", "echo hello"]
        },
        "grpc": {"port": port},
        "sleep": {"seconds": 5},
        # volumes
        "emptyDir": {},
        "configMap": {"name": "app-config"},
        "secret": {"secretName": "app-secret"},
        "persistentVolumeClaim": {"claimName": "data-claim"},
        "projected": {
            "sources": [{"serviceAccountToken": {"path": "token", "expirationSeconds": 3600}}]
        },
        "downwardAPI": {
            "items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]
        },
        "hostPath": {"path": "/var/log", "type": "Directory"},
    }
    return copy.deepcopy(templates[kind])


_ENV_TEMPLATES = {
    "value": {"value": ""},
    "secretKeyRef": {"valueFrom": {"secretKeyRef": {"name": "app-secret", "key": "password"}}},
    "configMapKeyRef": {"valueFrom": {"configMapKeyRef": {"name": "app-config", "key": "key"}}},
    "fieldRef": {"valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
    "resourceFieldRef": {"valueFrom": {"resourceFieldRef": {"resource": "limits.memory"}}},
}


def _switch_kind(manifest: dict, base: str, new: str) -> list[str]:
    """Replaces a probe or hook handler, a volume or env source; returns the paths it removed."""
    keys = path_to_keys(base)
    last = keys[-1]
    old = current_kind(manifest, base)
    if isinstance(last, int) and keys[-2] == "env":
        if new not in _ENV_TEMPLATES:
            return []
        entry = get(manifest, *keys)
        if not isinstance(entry, dict):
            return []
        entry.pop("value", None)
        entry.pop("valueFrom", None)
        entry.update(copy.deepcopy(_ENV_TEMPLATES[new]))
        return [f"{base}.value", f"{base}.valueFrom"]
    if isinstance(last, int) and keys[-2] == "volumes":
        entry = get(manifest, *keys)
        if new not in VOLUME_KINDS or not isinstance(entry, dict):
            return []
        if old:
            entry.pop(old, None)
        entry[new] = _template(new, manifest, base)
        return [f"{base}.{old}"] if old else []
    if isinstance(last, int):
        return []
    allowed = PROBE_KINDS if str(last).endswith("Probe") else HOOK_KINDS
    if new and new not in allowed:
        return []
    parent = get(manifest, *keys[:-1])
    if parent is None and new:
        parent = _make_parents(manifest, keys[:-1])
    if not isinstance(parent, dict):
        return []
    if not new:
        parent.pop(last, None)
        _prune(manifest, keys[:-1])
        return [base]
    holder = parent.get(last)
    if not isinstance(holder, dict):
        holder = {}
        parent[last] = holder
    if old:
        holder.pop(old, None)
    holder[new] = _template(new, manifest, base)
    return [f"{base}.{old}"] if old else []


# --- applying posted values --------------------------------------------------------------------


@dataclass
class EditResult:
    manifest: dict
    structural: bool  # the form's own layout changed: re-render it, not just the preview
    # How each posted quantity, image and map field was read, by name: a note to show at the
    # field, or "" (read as it looks: clear any note shown before).
    notes: dict[str, str] = field(default_factory=dict)


def _make_parents(manifest: dict, keys: list) -> Any:
    """Walks to ``keys``, creating missing maps; ``None`` on a missing list entry or wrong type.

    A key written with no value (``resources:``) is null, which Kubernetes reads as no map at
    all: it becomes the map the edit needs."""
    current: Any = manifest
    for position, key in enumerate(keys):
        if isinstance(key, int):
            if not isinstance(current, list) or not 0 <= key < len(current):
                return None
            current = current[key]
        else:
            if not isinstance(current, dict):
                return None
            if current.get(key) is None:
                if position + 1 < len(keys) and isinstance(keys[position + 1], int):
                    return None  # an entry of a list not there: no map in the list's place
                current[key] = {}
            current = current[key]
    return current


def _prune(manifest: dict, keys: list) -> None:
    """Drops maps the form emptied, up to the nearest list entry."""
    while keys and isinstance(keys[-1], str) and keys[-1] in _PRUNABLE:
        holder = get(manifest, *keys[:-1])
        if not isinstance(holder, dict) or holder.get(keys[-1]) != {}:
            return
        del holder[keys[-1]]
        keys = keys[:-1]


def _int_or_text(raw: str) -> int | str:
    """A number for ASCII digits only: ``int`` also reads ``١٢٣`` and ``１２３``, which no YAML
    reader does, so those stay text and validation says the field needs a number."""
    text = raw.strip()
    return int(text) if re.fullmatch(r"-?[0-9]{1,18}", text) else raw


def _parse_lines(raw: str) -> list[str]:
    return [line.strip() for line in raw.replace("\r\n", "\n").split("\n") if line.strip()]


def _parse_map(
    raw: str, notes: list[str] | None = None, unused: list[str] | None = None
) -> dict[str, str]:
    """``key=value`` lines. A line written the YAML way, ``app: web``, means ``app=web``: a key
    of a label, an annotation or a node selector can hold no colon. ``notes`` gets those lines;
    ``unused`` says which lines are not stored (no key, or a key given again: the last wins),
    since the text box still shows them."""
    result: dict[str, str] = {}
    for line in _parse_lines(raw):
        key, equals, value = line.partition("=")
        if not equals and ":" in line:
            key, _, value = line.partition(":")
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            if notes is not None and key.strip():
                notes.append(f"“{line}” as {key.strip()}={value}")
        key = key.strip()
        if not key:
            if unused is not None:
                unused.append(f"Left out “{line}”: it has no key before the =.")
            continue
        if key in result and unused is not None:
            unused.append(f"{key} is given more than once: only its last line is kept.")
        result[key] = value.strip()
    return result


def _untouched_as_written(entries: dict[str, str], current: dict, raw: str) -> dict[str, Any]:
    """``entries``, where a line still as the form showed it keeps its value as written: a
    number or a boolean YAML read (``version: 1.10``) stays the author's, with the API server's
    error at it, rather than turning into the form's text (``"1.1"``) when another line is
    edited. A line typed otherwise (``version: "1.10"``) is text."""
    lines = set(_parse_lines(raw))
    result: dict[str, Any] = {}
    for key, text in entries.items():
        old = current.get(key, _MISSING)
        as_shown = type(old) is not str and _scalar_text(old) == text and f"{key}={text}" in lines
        result[key] = old if old is not _MISSING and as_shown else text
    return result


def map_note(read_as: list[str]) -> str:
    if not read_as:
        return ""
    return "Read " + "; ".join(read_as) + ": write one key=value per line."


_FRACTION = re.compile(r"^[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+)$")
_WHOLE = re.compile(r"^[+-]?[0-9]+$")
# Below this many CPUs, a fraction typed with millicores selected is a number of CPUs.
_CORES_BELOW = 100


def read_quantity(name: str, amount: str, unit: str) -> tuple[str, str]:
    """The quantity text for an amount and the unit select beside it, and a note when the
    amount cannot mean that unit (``0.5`` with millicores selected is half a CPU, ``500m``)."""
    text = amount if re.search(r"[a-zA-Z]$", amount) else amount + unit
    if not name.endswith(".cpu") or text != amount + unit:
        return text, ""
    if unit == "m" and _FRACTION.match(amount):
        number = float(amount)
        millis = number * 1000
        if abs(number) < _CORES_BELOW and millis == int(millis):
            return f"{int(millis)}m", (
                f"Read {amount} as {amount} CPU = {int(millis)}m: millicores are thousandths "
                "of a CPU."
            )
        return text, (
            f"{amount}m is finer than Kubernetes counts CPU (1m, a thousandth of a CPU): "
            "write a whole number of millicores."
        )
    # Decimal, not int: an int of more than 4,300 digits is refused (sys.set_int_max_str_digits).
    if unit == "" and _WHOLE.match(amount) and Decimal(amount) >= _CORES_BELOW:
        return text, (
            f"{amount} whole CPUs is more than a node has: for thousandths of a CPU, choose "
            "millicores (m)."
        )
    return text, ""


def read_image(repo: str, tag: str) -> tuple[str, str]:
    """The image for the name box and the tag box, and a note when they disagree: a name typed
    with its own tag (``redis:7.2``) or digest keeps it, whatever the tag box says."""
    if not tag:
        return repo, ""
    if not repo:  # ":1.27" would be saved, which the API takes and no registry has
        return "", f"The tag {tag} needs an image name before it: no image is set without one."
    if "@" in repo:
        return repo, f"The image is pinned by its digest, so the tag {tag} is not used."
    own_repo, own_tag = split_image(repo)
    if own_tag:
        if own_tag == tag:
            return repo, ""
        return repo, (f"Using the tag typed with the image ({own_tag}), not the tag box's {tag}.")
    return f"{repo}:{tag}", ""


def _new_value(
    fld: Field, name: str, data: Mapping[str, str], current: Any, notes: dict | None = None
) -> Any:
    """The value to store for a posted field (or ``_KEEP``, ``_REMOVE``); ``notes`` gets how
    a quantity, image or map field was read ("" when it was read as it looks)."""
    raw = data.get(name, "")
    kind = fld.kind
    if kind == "flag":
        if name in data:
            return _KEEP if current is True else True
        return _REMOVE if current is True else _KEEP
    if kind == "sidecar":
        if name in data:
            return _KEEP if current == "Always" else "Always"
        return _REMOVE if current == "Always" else _KEEP
    if kind == "quantity":
        unit = data.get(f"{name}@unit", "")
        if (raw, unit) == split_quantity(current):  # as the form shows it: untouched
            if notes is not None:
                notes[name] = ""
            return _KEEP  # (the author's 0.5m stays 0.5m, a null stays null)
        amount = raw.strip()
        if not amount:
            if notes is not None:
                notes[name] = ""
            return _REMOVE
        text, note = read_quantity(name, amount, unit)
        if notes is not None:
            notes[name] = note
        if text == _scalar_text(current):
            return _KEEP
        if type(current) is int and text.isascii() and text.isdigit() and len(text) < 16:
            return int(text)  # the author wrote a number (cpu: 1): it stays one, unquoted
        return text
    if kind == "image":
        if (raw, data.get(f"{name}@tag", "")) == split_image(current):  # untouched, as shown
            if notes is not None:
                notes[name] = ""
            return _KEEP  # (spaces and all: the API server's error stays the author's)
        repo, tag = raw.strip(), data.get(f"{name}@tag", "").strip()
        image, note = read_image(repo, tag)
        if notes is not None:
            notes[name] = note
        if (repo, tag) == split_image(current) or image == _scalar_text(current):
            return _KEEP
        if not image:
            return _REMOVE
        return image
    if kind == "lines":
        items = _parse_lines(raw)
        if items == current:
            return _KEEP
        return items if items else _REMOVE
    if kind == "map":
        read_as: list[str] = []
        unused: list[str] = []
        entries = _parse_map(raw, read_as, unused)
        if notes is not None:
            notes[name] = " ".join(filter(None, [map_note(read_as), *dict.fromkeys(unused)]))
        if not _map_editable(current):
            return entries if entries else _REMOVE
        if entries == {key: _scalar_text(value) for key, value in current.items()}:
            return _KEEP
        return _untouched_as_written(entries, current, raw) if entries else _REMOVE
    shown = _scalar_text(current)
    if current is not _MISSING and (raw == shown or (kind != "str" and raw.strip() == shown)):
        return _KEEP
    if raw == "" or (kind != "str" and not raw.strip()):
        return _REMOVE
    if kind == "int":
        return _int_or_text(raw)
    if kind == "intorstr":
        value = _int_or_text(raw)
        return value if isinstance(value, int) else raw.strip()
    if kind == "bool":
        return {"true": True, "false": False}.get(raw.strip(), raw)
    return raw


_IMMUTABLE = (str, int, float, bool, type(None))


def copy_data(value: Any) -> Any:
    """A deep copy of JSON-shaped data: ``copy.deepcopy``'s result at a fraction of its cost."""
    kind = type(value)
    if kind is dict:
        return {key: copy_data(item) for key, item in value.items()}
    if kind is list:
        return [copy_data(item) for item in value]
    if kind in _IMMUTABLE:
        return value
    return copy.deepcopy(value)


def _posted(data: Mapping[str, str]) -> dict[str, Any]:
    """The posted values as a plain dict, the last value of each name as ``QueryDict`` reads it."""
    lists = getattr(data, "lists", None)
    if lists is None:
        return dict(data)
    return {name: values[-1] if values else [] for name, values in lists()}


def _lookup(data: Any, keys: tuple) -> Any:
    """``paths.get(data, *keys, default=_MISSING)`` for the key tuples of posted names."""
    current = data
    for key in keys:
        if type(key) is int:
            if type(current) is not list or not -len(current) <= key < len(current):
                return _MISSING
        elif type(current) is not dict or key not in current:
            return _MISSING
        current = current[key]
    return current


def apply_form(
    manifest: dict,
    data: Mapping[str, str],
    fields: Mapping[str, Field] = FIELDS,
    imported: dict | None = None,
) -> EditResult:
    """Applies posted form values to a copy of ``manifest``. Unknown names are ignored.

    ``fields``: the fields that may be posted, by pattern (a Pod's, unless a workload's form
    applies its own; see ``workloads``). ``imported``: the same document as the author's file
    holds it, whose values come back as written once the form shows them again
    (``_as_in_file``).
    """
    result = copy_data(manifest)
    posted = _posted(data)
    structural = False
    notes: dict[str, str] = {}
    replaced: list[str] = []
    for name, value in posted.items():
        if not name.endswith("@kind"):
            continue
        fld = fields.get(pattern_of(name))
        base = name[: -len("@kind")]
        if fld is None or fld.kind != "kind" or value == current_kind(result, base):
            continue
        replaced += _switch_kind(result, base, value)
        if imported is not None:
            _kind_as_in_file(result, base, value, manifest, imported)
        structural = True
    for base in dict.fromkeys(name.partition("@")[0] for name in posted):
        pattern = pattern_of(base)
        fld = fields.get(pattern)
        if fld is None or fld.kind == "kind":
            continue
        if replaced and any(
            base == gone or base.startswith((f"{gone}.", f"{gone}[")) for gone in replaced
        ):
            continue
        keys = _cached_keys(base)
        current = _lookup(result, keys)
        if not editable(fld, current):
            continue
        new = _new_value(fld, base, posted, current, notes)
        if new is _KEEP:
            continue
        if imported is not None and not (new is _REMOVE and current is _MISSING):
            new = _as_in_file(fld, base, posted, keys, manifest, imported, new)
            if new is not _REMOVE and new == current and type(new) is type(current):
                continue
        if new is _REMOVE:
            holder = _lookup(result, keys[:-1])
            if isinstance(holder, dict) and keys[-1] in holder:
                del holder[keys[-1]]
                _prune(result, list(keys[:-1]))
                if imported is not None:
                    _emptied_as_in_file(result, keys, manifest, imported)
            continue
        holder = _make_parents(result, list(keys[:-1]))
        if isinstance(holder, dict):
            holder[keys[-1]] = new
            if pattern == "spec.volumes[*].name":
                structural = True  # the mount selects list volume names
    return EditResult(result, structural, notes)


def _as_in_file(
    fld: Field,
    name: str,
    posted: Mapping[str, str],
    keys: tuple,
    manifest: dict,
    imported: dict,
    new: Any,
) -> Any:
    """``new``, or the file's own value when the form shows that value again: an edit undone
    by hand gives back what the author wrote (``value: ""`` rather than no value, ``image:
    'repo:'`` with its colon, ``cpu: 0.5`` unquoted), not the form's writing of it. Not a value
    of another type than the form writes (``value: true``, which the API server refuses for
    want of quotes): typing it again is how a learner mends it."""
    old = _file_value(keys, manifest, imported)
    if (
        old is _MISSING
        or not _reads_alike(fld.kind, old, new)
        or not editable(fld, old)
        or _new_value(fld, name, posted, old) is not _KEEP
    ):
        return new
    return copy_data(old)


def _kind_as_in_file(result: dict, base: str, kind: str, manifest: dict, imported: dict) -> None:
    """A probe, hook, volume or env var switched back to the kind the author's file gives it
    gets the file's own (its path, port and timings; its value), not the form's template:
    httpGet → exec → httpGet gave ``/readyz:80`` for the file's ``/healthz:8080``."""
    keys = tuple(path_to_keys(base))
    then = _file_value(keys, manifest, imported)
    if not kind or not isinstance(then, dict) or _kind_of(then, base) != kind:
        return
    holder = _lookup(result, keys[:-1])
    now = _lookup(result, keys)
    if not isinstance(holder, (dict, list)) or not isinstance(now, dict):
        return
    if type(keys[-1]) is not int:  # a probe or hook: whole, its timings too
        holder[keys[-1]] = copy_data(then)
    elif keys[-2] == "env":
        now.pop("value", None)
        now.pop("valueFrom", None)
        now.update({key: copy_data(then[key]) for key in ("value", "valueFrom") if key in then})
    elif keys[-2] == "volumes":
        shown = _kind_of(now, base)  # the form's source, if a switch to a source it has
        if shown and shown != kind:  # no template for (gcePersistentDisk) left it there
            now.pop(shown, None)
        now[kind] = copy_data(then[kind])


def _emptied_as_in_file(result: dict, keys: tuple, manifest: dict, imported: dict) -> None:
    """The map an emptied field was in, as the author's file writes it when it writes it empty:
    ``resources: {}`` stays (the form would drop the emptied map), and so does ``emptyDir:
    null`` (the form filled it to hold a value), which in a kustomize patch deletes the base's
    emptyDir: as ``{}`` it would add a second volume type."""
    for depth in range(len(keys) - 1, 0, -1):
        path = keys[:depth]
        if type(path[-1]) is int:
            return
        holder = _lookup(result, path[:-1])
        if not isinstance(holder, dict):
            continue  # dropped too: the map above may be the file's
        now = holder.get(path[-1], _MISSING)
        if now is not _MISSING and now != {}:
            return
        then = _file_value(tuple(path), manifest, imported)
        if then is None or then == {}:
            holder[path[-1]] = copy_data(then)
            return
        if now is not _MISSING:
            return


def _reads_alike(kind: str, old: Any, new: Any) -> bool:
    """Whether the file's ``old`` is of the type the form writes as ``new`` (an emptied field
    is as empty as the file's ``""``, ``[]`` or ``false``)."""
    if new is _REMOVE:
        return True
    if kind == "quantity":
        return type(old) in (str, int, float)  # ``cpu: 1`` and ``cpu: "1"`` are one quantity
    if type(old) is not type(new):
        return False
    if type(old) is dict:
        return all(type(value) is str for value in old.values())
    if type(old) is list:
        return all(type(value) is str for value in old)
    return True


def _file_value(keys: tuple, manifest: dict, imported: dict) -> Any:
    """The value at ``keys`` of the design, as the file holds it, or ``_MISSING``. A list entry
    is followed to the file's entry of the same ``name`` (the second ``web`` to the second), and
    one without a name to the file's entry that is the same apart from the part being edited:
    an entry moved or removed above leaves its writing to none of the others."""
    now: Any = manifest
    then: Any = imported
    for depth, key in enumerate(keys):
        if type(key) is int:
            if type(now) is not list or type(then) is not list or not 0 <= key < len(now):
                return _MISSING
            entry = now[key]
            below = keys[depth + 1] if depth + 1 < len(keys) else None
            then = _same_entry(now, key, then, below)
            now = entry
        else:
            now = now.get(key, _MISSING) if type(now) is dict else _MISSING
            then = then.get(key, _MISSING) if type(then) is dict else _MISSING
        if then is _MISSING:
            return _MISSING
    return then


def _same_entry(items: list, index: int, file_items: list, below: Any) -> Any:
    """The entry of ``file_items`` that ``items[index]`` is (``_file_value``)."""
    entry = items[index]
    own = _entry_name(entry)
    if own is not None:
        place = sum(1 for item in items[:index] if _entry_name(item) == own)
        named = (item for item in file_items if _entry_name(item) == own)
        found = next(itertools.islice(named, place, None), _MISSING)
        return _renamed_entry(items, index, file_items) if found is _MISSING else found
    if type(entry) is not dict:
        return _MISSING
    rest = {key: value for key, value in entry.items() if key != below}
    alike = [
        item
        for item in file_items
        if type(item) is dict
        and _entry_name(item) is None
        and {key: value for key, value in item.items() if key != below} == rest
    ]
    return alike[0] if len(alike) == 1 else _MISSING


def _renamed_entry(items: list, index: int, file_items: list) -> Any:
    """The file's entry at ``index`` when no entry of the design has its name any more: the
    same entry, renamed, whose other fields keep what the file wrote (``env: []``)."""
    if not 0 <= index < len(file_items):
        return _MISSING
    then = file_items[index]
    name = _entry_name(then)
    if name is None or any(_entry_name(item) == name for item in items):
        return _MISSING
    return then


def _entry_name(entry: Any) -> Any:
    return entry.get("name") if type(entry) is dict else None


# --- structural actions -----------------------------------------------------------------------


def _unique(prefix: str, taken: set) -> str:
    number = 1
    while f"{prefix}-{number}" in taken:
        number += 1
    return f"{prefix}-{number}"


def _scalars(values: Iterable[Any]) -> set:
    """The names or numbers among ``values``: a file may hold ``name: [web]``, which is taken by
    no new entry (and cannot go in a set)."""
    return {value for value in values if isinstance(value, str | int)}


def _new_item(pattern: str, manifest: dict, path: str, claims: tuple[str, ...] = ()) -> Any:
    last = pattern.rsplit(".", 1)[-1]
    if last in ("containers", "initContainers"):
        taken = _scalars(
            as_dict(c).get("name")
            for key in ("containers", "initContainers")
            for c in as_list(_spec(manifest).get(key))
        )
        if last == "containers":
            return {"name": _unique("app", taken), "image": "nginx:1.27"}
        return {
            "name": _unique("init", taken),
            "image": "busybox:1.36",
            "command": ["sh", "-c", "echo ready"],
        }
    if last == "volumes":
        taken = _scalars(as_dict(v).get("name") for v in as_list(_spec(manifest).get("volumes")))
        return {"name": _unique("volume", taken), "emptyDir": {}}
    if last == "volumeMounts":
        names = [as_dict(v).get("name") for v in as_list(_spec(manifest).get("volumes"))]
        name = next((n for n in [*names, *claims] if isinstance(n, str) and n), NEW_VOLUME)
        return {"name": name, "mountPath": "/data"}
    if last == "sources":
        return {"configMap": {"name": "app-config"}}
    if last == "ports":
        # A port no container of the Pod has yet: they all share the Pod's network.
        taken = _scalars(
            as_dict(port).get("containerPort")
            for key in ("containers", "initContainers")
            for container in as_list(_spec(manifest).get(key))
            for port in as_list(as_dict(container).get("ports"))
        )
        return {"containerPort": next((n for n in range(8080, 65536) if n not in taken), 8080)}
    simple = {
        "env": {"name": "MY_VARIABLE", "value": "hello"},
        # a taint of its own, so that the button alone never passes a scheduling goal
        "tolerations": {"key": "example.com/gpu", "operator": "Exists", "effect": "NoSchedule"},
        "imagePullSecrets": {"name": "registry-credentials"},
        "httpHeaders": {"name": "X-Probe", "value": "kubelet"},
        "items": {"path": "annotations", "fieldRef": {"fieldPath": "metadata.annotations"}},
        "matchExpressions": {"key": "kubernetes.io/arch", "operator": "In", "values": ["amd64"]},
        "nodeSelectorTerms": {
            "matchExpressions": [{"key": "kubernetes.io/os", "operator": "In", "values": ["linux"]}]
        },
    }
    return copy.deepcopy(simple[last])


_ACTION = re.compile(r"^(add|remove|up|down):(.{1,300})$")
NEW_VOLUME = "data"  # the volume a Pod's first mount names, made with it (``_add_volume_for``)


def apply_action(
    manifest: dict, action: str, imported: dict | None = None, claims: tuple[str, ...] = ()
) -> dict | None:
    """Adds, removes or moves a list entry; ``None`` if the action does not apply here.

    A list left empty goes, unless the author's file (``imported``) wrote it empty there
    (``env: []``): Add and then Remove give the file back. ``claims``: the names of a
    StatefulSet's claim templates, volumes its Pods mount without a ``volumes`` entry."""
    match = _ACTION.match(action or "")
    if not match:
        return None
    verb, path = match.groups()
    result = copy.deepcopy(manifest)
    keys = path_to_keys(path)
    if not keys:
        return None
    if verb == "add":
        if pattern_of(path) not in LISTS:
            return None
        holder = _make_parents(result, keys[:-1])
        if not isinstance(holder, dict):
            return None
        if holder.get(keys[-1]) is None:  # missing, or written with no value (``env:``)
            holder[keys[-1]] = []
        items = holder[keys[-1]]
        if not isinstance(items, list):
            return None
        items.append(_new_item(pattern_of(path), result, path, claims))
        if keys[-1] == "volumeMounts" and as_dict(items[-1]).get("name") not in claims:
            _add_volume_for(_spec(result), items[-1])
        return result
    index = keys[-1]
    list_path = keys_to_path(keys[:-1])
    if not isinstance(index, int) or pattern_of(list_path) not in LISTS:
        return None
    items = get(result, *keys[:-1])
    if not isinstance(items, list) or not 0 <= index < len(items):
        return None
    if verb == "remove":
        removed = items.pop(index)
        if not items and _emptied_list_goes(keys[-2], tuple(keys[:-1]), manifest, imported):
            holder = get(result, *keys[:-2])
            if isinstance(holder, dict):
                del holder[keys[-2]]
                _drop_empty_affinity(result, keys[:-2], manifest, imported)
        if keys[-2] == "volumeMounts":
            _drop_volume_made_for(_spec(result), removed, imported)
        return result
    other = index - 1 if verb == "up" else index + 1
    if not 0 <= other < len(items):
        return None
    items[index], items[other] = items[other], items[index]
    return result


# Maps that mean nothing empty, and one of them is refused so: ``required…Execution: {}`` "must
# have at least one node selector term".
_EMPTY_MEANS_NONE = ("requiredDuringSchedulingIgnoredDuringExecution", "nodeAffinity", "affinity")


def _add_volume_for(pod_spec: dict, mount: Any) -> None:
    """A mount needs a volume to mount: in a Pod without volumes, Add of a mount makes the one
    it names, of the simplest kind."""
    if isinstance(pod_spec, dict) and not pod_spec.get("volumes"):
        pod_spec["volumes"] = [{"name": as_dict(mount).get("name"), "emptyDir": {}}]


def _drop_volume_made_for(pod_spec: dict, mount: Any, imported: dict | None) -> None:
    """The volume ``_add_volume_for`` made goes with the removed mount when only the file's own
    mounts (if any) still name it and the file had no volumes (none, ``volumes: []`` or
    ``volumes:``, as it wrote them): Add and then Remove give the design back. Once the author
    changes it (another kind, another name) or adds a second, it is theirs."""
    name = as_dict(mount).get("name")
    if name != NEW_VOLUME or pod_spec.get("volumes") != [{"name": name, "emptyDir": {}}]:
        return
    then = _MISSING if imported is None else _spec(imported).get("volumes", _MISSING)
    if then is not _MISSING and then is not None and then != []:
        return
    # Still mounted by the design's own mounts; the file's own mounts of that name (a claim
    # template's, in a StatefulSet) had no volume before the Add made it.
    if _mounts_of(pod_spec, name) > (0 if imported is None else _mounts_of(_spec(imported), name)):
        return
    if then is _MISSING:
        del pod_spec["volumes"]
    else:
        pod_spec["volumes"] = copy_data(then)


def _emptied_list_goes(name: Any, keys: tuple, manifest: dict, imported: dict | None) -> bool:
    """Whether a list a Remove left empty goes: unless the file wrote it empty (``env: []``).
    A Pod's containers stay at ``[]`` (the form shows their Add button), unless the file has
    none (a kustomize patch)."""
    written = _MISSING if imported is None else _file_value(keys, manifest, imported)
    if name == "containers":
        return imported is not None and written is _MISSING
    return written != []


def _mounts_of(pod_spec: dict, name: str) -> int:
    """How many mounts (and block devices) of the Pod's containers name the volume ``name``."""
    return sum(
        1
        for key in ("containers", "initContainers", "ephemeralContainers")
        for container in as_list(pod_spec.get(key))
        for used in ("volumeMounts", "volumeDevices")
        for mount in as_list(as_dict(container).get(used))
        if as_dict(mount).get("name") == name
    )


def _drop_empty_affinity(result: dict, keys: list, manifest: dict, imported: dict | None) -> None:
    """After the last node rule group is removed, the node affinity maps around it go too,
    unless the author's file wrote them (then they stay as it writes them)."""
    while keys and keys[-1] in _EMPTY_MEANS_NONE:
        holder = get(result, *keys[:-1])
        if not isinstance(holder, dict) or holder.get(keys[-1]) != {}:
            return
        then = _MISSING if imported is None else _file_value(tuple(keys), manifest, imported)
        if then is None or then == {}:  # the file's own empty map (or null)
            holder[keys[-1]] = copy_data(then)
            return
        del holder[keys[-1]]
        keys = keys[:-1]


# --- what the form leaves alone ----------------------------------------------------------------


def _structure() -> tuple[set[str], set[str]]:
    """Patterns of maps and lists that hold editable fields somewhere below them."""
    maps: set[str] = {""}
    lists: set[str] = set()
    for pattern in list(FIELDS) + list(LISTS):
        base = pattern.split("@", 1)[0]
        for match in re.finditer(r"[.\[]", base):
            prefix = base[: match.start()]
            (lists if match.group() == "[" else maps).add(prefix)
        if pattern in LISTS:
            lists.add(pattern)
        if "@" in pattern:
            maps.add(base)
    for prefix in list(maps):
        if prefix.endswith("[*]"):
            lists.add(prefix[:-3])
    return maps, lists


_MAPS, _LISTS = _structure()


def _child_path(path: str, key: Any) -> str:
    """``keys_to_path([*keys, key])`` given ``path == keys_to_path(keys)``, in one step."""
    if type(key) is str:
        if "." in key or "/" in key or not key:
            return f"{path}[{key}]"
        return f"{path}.{key}" if path else key
    return join(path, key)


def kept_as_is(manifest: dict) -> list[Kept]:
    """Every part of the manifest the form does not edit, with its YAML, in document order."""
    kept: list[Kept] = []

    def walk(value: Any, last: str | int | None, path: str, pattern: str) -> None:
        # ``last``: the key or index that leads here; None for the manifest itself.
        fld = FIELDS.get(pattern)
        if fld is not None and fld.kind != "kind":
            if not editable(fld, value) or (fld.kind == "sidecar" and value != "Always"):
                kept.append(Kept(path, dump_manifest({last: value})))
            return
        if pattern in _MAPS and isinstance(value, dict):
            for key, item in value.items():
                if last is None and key in _FIXED_TOP:
                    continue
                child = _child_path(path, key)
                walk(item, key, child, pattern_of(child))
            return
        if pattern in _LISTS and isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, index, f"{path}[{index}]", f"{pattern}[*]")
            return
        label = last if isinstance(last, str) else "item"
        kept.append(Kept(path, dump_manifest({label: value})))

    walk(manifest, None, "", "")
    return kept
