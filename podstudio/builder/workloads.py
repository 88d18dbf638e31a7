"""The builder's form for any kind: a Pod's form as it is, a workload's as the controller's own
few fields followed by the Pod form of its template, at the template's real paths.

The Pod form (``edit``) knows Pod paths only. For a workload it works on the template as a
Pod (``template_pod``) and every name it posts, every error slot and every list action is
carried between that Pod's paths and the document's with ``kinds.document_path`` and
``kinds.template_relative``: the form never writes ``spec.containers`` into a Deployment, and
``spec.template.spec.containers[0].image`` is what the page posts. The manifest stays the
single source of truth; the controller's selector follows the template's labels.
"""

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings

from podstudio.builder.edit import (
    AddButton,
    EditResult,
    Group,
    Input,
    Kept,
    _input,
    apply_action,
    apply_form,
    build_form,
    copy_data,
    editable,
    form_data,
    kept_as_is,
    slot_for,
)
from podstudio.builder.formfields import FIELDS, Field, pattern_of
from podstudio.engine.findings import cluster_written
from podstudio.engine.kinds import (
    KINDS,
    POD,
    WRAP_KINDS,
    Kind,
    document_path,
    kind_of,
    needs_selector,
    removed_version,
    select_by_labels,
    selector_in_sync,
    template_labels,
    template_of,
    template_relative,
    unwrap,
    wrap,
    written_path,
)
from podstudio.engine.paths import as_dict, as_list, get, keys_to_path, path_to_keys
from podstudio.engine.schema import field_names
from podstudio.engine.textedit import same
from podstudio.engine.yamldump import dump_manifest

KIND_ACTION = "kind"  # the "Change kind" button; the new kind is posted as KIND_FIELD
KIND_FIELD = "_kind"
SELECTOR_ACTION = "selector"  # a workload without a selector: select by the template's labels
VERSION_ACTION = "apiversion"  # an apiVersion no longer served: the kind's own
CLUSTER_ACTION = "clusterfields"  # copied from `kubectl get -o yaml`: remove what the cluster wrote
CLUSTER_REMOVED = "Removed what the cluster wrote: the design and its download no longer have it."
KIND_CHOICES = ("Pod", *WRAP_KINDS)


@dataclass
class Note:
    """A read-only line in the form: what a field is and why the form does not edit it."""

    label: str
    text: str
    path: str = ""
    button: str = ""  # the action a button after the text posts ("": no button)
    button_label: str = ""


def _field(kind: str, label: str, help: str, lesson: str, **extra: Any) -> Field:
    return Field(kind, label, help, lesson, **extra)


_REPLICAS = _field(
    "int",
    "Replicas",
    "How many Pods like the template the controller keeps running. Default: 1.",
    "workloads",
    placeholder="1",
)
_COMPLETIONS = _field(
    "int",
    "Completions",
    "How many Pods must finish successfully for the Job to be done. Default: 1.",
    "workloads",
    placeholder="1",
)
_PARALLELISM = _field(
    "int",
    "Parallelism",
    "How many Pods may run at the same time. Default: 1.",
    "workloads",
    placeholder="1",
)
_BACKOFF = _field(
    "int",
    "Retries (backoffLimit)",
    "How many failed Pods the Job replaces before it gives up. Default: 6.",
    "workloads",
    placeholder="6",
)

# The controller's own fields, by kind: the few a person sets by hand.
CONTROLLER_FIELDS: dict[str, dict[str, Field]] = {
    "Deployment": {"spec.replicas": _REPLICAS},
    "ReplicaSet": {"spec.replicas": _REPLICAS},
    "ReplicationController": {"spec.replicas": _REPLICAS},
    "StatefulSet": {
        "spec.replicas": _REPLICAS,
        "spec.serviceName": _field(
            "str",
            "Service name",
            "The headless Service that gives each Pod a stable DNS name "
            "(<pod>.<service>). Create that Service too.",
            "workloads",
            placeholder="web",
        ),
    },
    "DaemonSet": {},
    "Job": {
        "spec.completions": _COMPLETIONS,
        "spec.parallelism": _PARALLELISM,
        "spec.backoffLimit": _BACKOFF,
    },
    "CronJob": {
        "spec.schedule": _field(
            "str",
            "Schedule",
            "When to run, in cron format: minute hour day-of-month month day-of-week "
            "(0 3 * * * is 03:00 every day), or @hourly, @daily, @weekly.",
            "workloads",
            placeholder="0 3 * * *",
        ),
        "spec.timeZone": _field(
            "str",
            "Time zone",
            "The zone the schedule's times are in, by its IANA name (Europe/Paris, "
            "America/New_York). Empty: the controller manager's own zone, often UTC.",
            "workloads",
            placeholder="Etc/UTC",
        ),
        "spec.concurrencyPolicy": _field(
            "enum",
            "When a run is still going",
            "Allow starts the next run beside it, Forbid skips the next run, Replace stops it "
            "and starts the next. Default: Allow.",
            "workloads",
            choices=("Allow", "Forbid", "Replace"),
        ),
        "spec.jobTemplate.spec.completions": _COMPLETIONS,
        "spec.jobTemplate.spec.parallelism": _PARALLELISM,
        "spec.jobTemplate.spec.backoffLimit": _BACKOFF,
    },
}
_WORKLOAD_METADATA = ("metadata.name", "metadata.namespace", "metadata.labels")
_WORKLOAD_METADATA += ("metadata.annotations",)


@lru_cache(maxsize=16)
def workload_fields(kind_name: str) -> dict[str, Field]:
    """What a workload's form posts outside its template: metadata and controller fields."""
    name = FIELDS["metadata.name"]
    fields = {
        "metadata.name": Field(
            name.kind,
            "Name",
            f"The {kind_name}'s name, unique in its namespace; its Pods are named after it. "
            "Required.",
            name.lesson,
            placeholder=name.placeholder,
        ),
        "metadata.namespace": Field(
            "str",
            "Namespace",
            f"The namespace the {kind_name} and its Pods live in. Empty means the one kubectl "
            "is pointed at (often default).",
            "anatomy",
            placeholder="default",
        ),
        "metadata.labels": Field(
            "map",
            f"{kind_name} labels",
            f"Labels of the {kind_name} itself (one key=value per line); its Pods get the "
            "template's labels below.",
            "anatomy",
            placeholder="app=my-app",
        ),
        "metadata.annotations": FIELDS["metadata.annotations"],
    }
    fields.update(CONTROLLER_FIELDS[kind_name])
    return fields


_TEMPLATE_LABELS = _field(
    "map",
    "Pod labels",
    "Labels of every Pod this makes, one key=value per line. The selector must match them, so "
    "the controller finds its Pods.",
    "anatomy",
    placeholder="app=my-app",
)
_TEMPLATE_ANNOTATIONS = _field(
    "map",
    "Pod annotations",
    "Annotations of every Pod this makes, one key=value per line.",
    "anatomy",
    placeholder="description=My application",
)


def design_kind(manifest: Any) -> Kind:
    return kind_of(manifest) or POD


def template_pod(manifest: dict, kind: Kind) -> dict:
    """The template as a Pod the Pod form can edit: all of its metadata and its spec."""
    template = as_dict(template_of(manifest, kind))
    pod: dict[str, Any] = {"apiVersion": "v1", "kind": "Pod"}
    pod["metadata"] = template.get("metadata") if "metadata" in template else {}
    pod["spec"] = template.get("spec") if "spec" in template else {}
    return pod


def _claim_names(manifest: dict, kind: Kind) -> tuple[str, ...]:
    """The names of a StatefulSet's claim templates: its Pods mount them by these names with
    no ``volumes`` entry (the controller adds one for each claim)."""
    if kind.name != "StatefulSet":
        return ()
    claims = as_list(as_dict(manifest.get("spec")).get("volumeClaimTemplates"))
    names = (as_dict(as_dict(claim).get("metadata")).get("name") for claim in claims)
    return tuple(name for name in names if isinstance(name, str) and name)


def _with_template(manifest: dict, kind: Kind, pod: dict) -> dict:
    """A copy of ``manifest`` whose template is ``pod``'s metadata and spec; the maps on the way
    are copied, everything else shared."""
    result = dict(manifest)
    holder = result
    for key in kind.template[:-1]:
        value = dict(as_dict(holder.get(key)))
        holder[key] = value
        holder = value
    old = as_dict(holder.get(kind.template[-1]))
    template = dict(old)
    metadata = pod.get("metadata")
    if metadata or "metadata" in old:
        template["metadata"] = metadata if metadata is not None else {}
    template["spec"] = pod.get("spec", {})
    holder[kind.template[-1]] = template
    return result


# --- the form --------------------------------------------------------------------------------


def _prefixed(nodes: list, kind: Kind) -> list:
    """The Pod form's nodes named with the document's paths (in place)."""
    for node in nodes:
        if isinstance(node, Input):
            node.name = document_path(kind, node.name)
        elif isinstance(node, Kept):
            node.path = document_path(kind, node.path)
        elif isinstance(node, AddButton):
            verb, _, path = node.action.partition(":")
            node.action = f"{verb}:{document_path(kind, path)}"
        elif isinstance(node, Group):
            if node.path:
                node.path = document_path(kind, node.path)
            _prefixed(node.children, kind)
    return nodes


def selector_text(manifest: dict, kind: Kind, *, authored: bool = False) -> str:
    """The form's read-only selector line; ``authored``: the design is a file the author
    brought, whose selector is kept as written (``apply_design_form``)."""
    spec = as_dict(manifest.get("spec"))
    if kind.name in ("Job", "CronJob"):
        return "made by the API server: it selects the Job's own Pods by a uid label"
    selector = spec.get("selector")
    if selector is None:
        if needs_selector(manifest):
            return f"none: the API server refuses a {kind.name} without one"
        return "none yet: give the Pods a label below"
    labels = as_dict(selector.get("matchLabels")) if isinstance(selector, dict) else {}
    if kind.name == "ReplicationController":
        labels = as_dict(selector)
    if isinstance(selector, dict) and set(selector) <= {"matchLabels"} or labels:
        shown = ", ".join(f"{key}={value}" for key, value in labels.items()) or "nothing"
        if labels == template_labels(manifest, kind) and not authored:
            return f"{shown} (follows the Pod labels below)"
        return f"{shown} (kept as written: the Pod labels below must include it)"
    return dump_manifest({"selector": selector}).strip() + " (kept as written)"


def build_design_form(manifest: dict, *, authored: bool = False) -> list:
    """The form of any design: a Pod's as ``edit.build_form`` lays it out, a workload's as its
    controller section, its template's labels, then the Pod form of the template."""
    kind = design_kind(manifest)
    if kind.is_pod:
        return build_form(manifest)
    fields = workload_fields(kind.name)
    controller = Group(kind.name, "metadata", "section", "workloads", is_open=True)
    controller.children = [_input(manifest, path, fld) for path, fld in fields.items()]
    selector = Note("Selector", selector_text(manifest, kind, authored=authored), "spec.selector")
    if needs_selector(manifest):
        selector.button, selector.button_label = SELECTOR_ACTION, "Select the Pods by their labels"
    controller.children.append(selector)
    pod = template_pod(manifest, kind)
    template = Group(
        "Pod template", document_path(kind, "metadata"), "section", "anatomy", is_open=True
    )
    template.children = [
        _input(pod, "metadata.labels", _TEMPLATE_LABELS),
        _input(pod, "metadata.annotations", _TEMPLATE_ANNOTATIONS),
    ]
    _prefixed(template.children, kind)
    pod_groups = build_form(pod)[1:]  # the Pod's own metadata section is the template's above
    _restart_policies(pod_groups, kind)
    return [controller, template, *_prefixed(pod_groups, kind)]


def _restart_policies(nodes: list, kind: Kind) -> None:
    """Offers only the restartPolicy values the kind allows (and the current one)."""
    for node in nodes:
        if isinstance(node, Input) and node.name == "spec.restartPolicy":
            allowed = [("", "not set")] if "Always" in kind.restart_policies else []
            allowed += [(value, value) for value in kind.restart_policies]
            if node.value not in {value for value, _ in allowed}:
                allowed.append((node.value, node.value))
            node.choices = allowed
        elif isinstance(node, Group):
            _restart_policies(node.children, kind)


def design_form_data(manifest: dict) -> list[tuple[str, str]]:
    """What a browser posts for the form of any design when nothing is changed."""
    return form_data(manifest, build_design_form(manifest))


# --- applying posted values and actions -------------------------------------------------------


def _last_values(data: Mapping) -> dict:
    lists = getattr(data, "lists", None)
    if lists is None:
        return dict(data)
    return {name: values[-1] for name, values in lists() if values}


def _as_written(imported: dict | None, kind: Kind) -> dict | None:
    """The file's own document, when it is still of the design's kind: its values come back
    as written once the form shows them again (``edit.apply_form``, ``edit.apply_action``)."""
    return imported if imported is not None and design_kind(imported) == kind else None


def apply_design_form(
    manifest: dict, data: Mapping, *, authored: bool = False, imported: dict | None = None
) -> EditResult:
    """``edit.apply_form`` for any kind: a workload's template fields are applied to its
    template as a Pod, its own fields to it, and its selector follows its Pods' labels, unless
    the design is a file the author brought (``authored``) whose selector they wrote: there it
    is kept as written, since adding a label to it would make ``kubectl apply`` fail on a
    running Deployment (``selector_in_sync``). ``imported``: the document as the file holds
    it; a value put back is written as the file wrote it (``edit.apply_form``), and when the
    file has no selector (a kustomize patch, a Pod wrapped here), the one the builder sets
    follows the labels, and goes once they are back to the file's."""
    kind = design_kind(manifest)
    as_written = _as_written(imported, kind)
    if kind.is_pod:
        edited = apply_form(manifest, data, imported=as_written)
        if authored and as_written is not None:
            _drop_empty_parents(edited.manifest, as_written, kind)
        return edited
    posted = _last_values(data)
    prefix = kind.template_path + "."
    inside, outside = {}, {}
    for name, value in posted.items():
        if name.startswith(prefix):
            inside[name[len(prefix) :]] = value
        else:
            outside[name] = value
    result, structural, notes = manifest, False, {}
    copied = False  # whether ``result`` is a copy that shares nothing with ``manifest``
    if any(not name.startswith("_") for name in inside):
        pod = template_pod(manifest, kind)
        written_pod = template_pod(as_written, kind) if as_written is not None else None
        edited = apply_form(pod, inside, imported=written_pod)
        # A form posted as it was shown changes nothing: a file without a template (a
        # kustomize ``$patch: delete``) gets none written into it.
        if edited.structural or not same(edited.manifest, pod):
            result, structural = _with_template(manifest, kind, edited.manifest), edited.structural
        notes = {document_path(kind, name): note for name, note in edited.notes.items()}
    if any(not name.startswith("_") for name in outside):
        edited = apply_form(result, outside, workload_fields(kind.name), imported=as_written)
        result, structural = edited.manifest, structural or edited.structural
        copied = True  # apply_form edits a copy of its own
        notes.update(edited.notes)
    if result is manifest:
        return EditResult(copy_data(manifest), False, notes)
    if not copied:  # the new template in a manifest that shares the rest with the old one
        result = copy_data(result)
    from_file = imported if authored else None
    # A file without a selector (a kustomize patch, a Pod wrapped here; ``selector: null`` is
    # none either): the builder's follows.
    file_spec = as_dict(from_file.get("spec")) if from_file is not None else {}
    builders_selector = from_file is not None and file_spec.get("selector") is None
    follow = not authored or builders_selector
    if selector_in_sync(result, manifest, follow=follow):
        notes[document_path(kind, "metadata.labels")] = (
            f"The {kind.name} had no selector, which it needs to find its Pods: spec.selector "
            + ("now follows these labels." if follow else "is now set to these labels.")
        )
    if from_file is not None and kind_of(from_file) == kind:
        labels = template_labels(result, kind)
        labels_as_in_file = labels == template_labels(from_file, kind)
        # Labels edited back to the file's (this edit changed them): the selector that followed
        # them goes, as the file had none. Any other edit keeps the design's selector, one the
        # "Select the Pods" button or a change of kind set included.
        labels_put_back = labels_as_in_file and labels != template_labels(manifest, kind)
        if builders_selector and labels_put_back:  # the file as it was: no selector
            if "selector" in file_spec:
                as_dict(result.get("spec"))["selector"] = None  # its own ``selector: null``
            else:
                as_dict(result.get("spec")).pop("selector", None)
        _drop_empty_parents(result, from_file, kind)
    return EditResult(result, structural, notes)


_ABSENT = object()


def _drop_empty_parents(manifest: dict, imported: dict, kind: Kind) -> None:
    """The mappings a form field made on its way to the template (``spec``, ``template``, its
    ``metadata``), left empty once the value is cleared again, go if the file had none: a
    value typed and cleared gives the file back as it was (a kustomize patch, a Job's template
    without metadata)."""
    template = path_to_keys(kind.template_path)
    chains = [(*template, "metadata"), (*template, "spec")]
    chains += [tuple(template[:depth]) for depth in range(len(template), 0, -1)]
    for keys in chains:
        parent = get(manifest, *keys[:-1])
        if (
            isinstance(parent, dict)
            and parent.get(keys[-1]) == {}
            and get(imported, *keys, default=_ABSENT) is _ABSENT
        ):
            del parent[keys[-1]]


def change_kind(manifest: dict, kind_name: str) -> dict | None:
    """The design as a ``kind_name``: a Pod wrapped into a workload, a workload unwrapped (and
    wrapped again for another kind). ``None`` if nothing changes."""
    current = design_kind(manifest)
    if kind_name not in KINDS or kind_name == current.name:
        return None
    pod = copy_data(unwrap(manifest)) if not current.is_pod else copy_data(manifest)
    if kind_name == "Pod":
        return pod
    changed = wrap(pod, kind_name)
    if not current.is_pod:
        _carry_controller_fields(manifest, current, changed, KINDS[kind_name])
    return changed


def kind_changed_message(before: dict, after: dict) -> str:
    """What the status line says after a change of kind: the new kind, and the Pods'
    restartPolicy when the change set it (a Job's Pods may not restart Always) or kept one a
    Pod does not have by default, so that neither happens unsaid."""
    old_kind, new_kind = design_kind(before), design_kind(after)
    message = f"Now a {new_kind.name}."
    was = as_dict(template_pod(before, old_kind)["spec"]).get("restartPolicy") or "Always"
    now = as_dict(template_pod(after, new_kind)["spec"]).get("restartPolicy") or "Always"
    if not isinstance(was, str) or not isinstance(now, str):  # ``restartPolicy: 5`` in a file
        if was != now:
            message += f" restartPolicy is now {_named(now)}, not {_named(was)}."
    elif was != now:
        message += f" A {new_kind.name}'s Pods may not restart {was}: restartPolicy is now {now}."
    elif new_kind.is_pod and now != "Always":
        message += (
            f" restartPolicy stays {now}, as in the {old_kind.name}; a Pod's default is Always."
        )
    if not_kept := _not_kept(before, old_kind, after, new_kind):
        if len(not_kept) > _MOST_NAMED:
            not_kept[_MOST_NAMED:] = [f"{len(not_kept) - _MOST_NAMED} more"]
        message += (
            f" Not kept, as a {new_kind.name} has no place for them: {', '.join(not_kept)}"
            " (Undo brings them back; changing the kind back does not)."
        )
    if started := _started_with(before, old_kind, after, new_kind):
        message += f" The {new_kind.name} starts with {', '.join(started)}."
    if "status" in before and "status" not in after:  # ``status: {}`` of kubectl's output
        message += f" The {old_kind.name}'s status went: the cluster writes a status."
    return message


_MOST_NAMED = 12  # a status line names this many fields at most, each in at most 40 characters


def _named(value: Any) -> str:
    """A field's name or value as a status line shows it: short, and as JSON if no string."""
    try:
        text = value if isinstance(value, str) else json.dumps(value, default=str)
    except (TypeError, ValueError):  # keys JSON has no place for
        text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _controller_fields(manifest: dict, kind: Kind) -> dict[str, Any]:
    """A workload's own fields (replicas, schedule, …) at every level that holds them; none
    for a Pod."""
    fields: dict[str, Any] = {}
    if not kind.is_pod:
        for level in _CONTROLLER_LEVELS.get(kind.name, (("spec",),)):
            fields.update(as_dict(get(manifest, *level)))
    return fields


def _own_fields_not_in(
    manifest: dict, kind: Kind, other: dict[str, Any]
) -> Iterator[tuple[str, Any]]:
    """A workload's own fields, level by level (its Pod template and selector aside), that
    ``other`` does not hold with the same value."""
    for level in _CONTROLLER_LEVELS.get(kind.name, (("spec",),)):
        for key, value in as_dict(get(manifest, *level)).items():
            if key not in _NOT_OWN and other.get(key, _GONE) != value:
                yield key, value


def _started_with(before: dict, old_kind: Kind, after: dict, new_kind: Kind) -> list[str]:
    """The new workload's own fields the change set to a first value ("replicas 2"), that the
    old kind did not have with that value."""
    if new_kind.is_pod:
        return []
    names = []
    for key, value in _own_fields_not_in(after, new_kind, _controller_fields(before, old_kind)):
        if isinstance(value, str) and value:
            names.append(f'{key} "{value}"' if " " in value else f"{key} {value}")
        elif isinstance(value, int) and not isinstance(value, bool):
            names.append(f"{key} {value}")
    return names


def _not_kept(before: dict, old_kind: Kind, after: dict, new_kind: Kind) -> list[str]:
    """The old workload's own fields the new kind did not take: its controller fields (a
    scalar with its value: "replicas 3"), and a Pod's want of the workload's own metadata."""
    if old_kind.is_pod:
        return []
    names = []
    for key, value in _own_fields_not_in(before, old_kind, _controller_fields(after, new_kind)):
        shown = isinstance(value, str | int | float) and not isinstance(value, bool)
        names.append(f"{_named(key)} {value}" if shown and len(str(value)) <= 40 else _named(key))
    # A selector written otherwise than as the Pod labels (a subset, expressions) is said too:
    # one that is the labels comes back from them.
    selector = as_dict(before.get("spec")).get("selector")
    if (
        selector
        and selector != as_dict(after.get("spec")).get("selector")
        and selector
        not in (
            {"matchLabels": template_labels(before, old_kind)},
            template_labels(before, old_kind),
        )
    ):
        names.append("selector")
    if new_kind.is_pod:
        metadata, now = as_dict(before.get("metadata")), as_dict(after.get("metadata"))
        names += [
            f"the {old_kind.name}'s own {_named(key)}"
            for key, value in metadata.items()
            if key not in ("name", "namespace") and now.get(key, _GONE) != value
        ]
    return names


_GONE = object()
_NOT_OWN = ("template", "jobTemplate", "selector")  # the Pod's, and kept in step with it


# A controller's own fields, by where they are: a CronJob's, and the Job's it makes.
_CONTROLLER_LEVELS = {"CronJob": (("spec",), ("spec", "jobTemplate", "spec"))}
# Fields the Pod's wrapping sets anew, or that mean something else in another kind (a
# StatefulSet's updateStrategy has a partition, a DaemonSet's a maxSurge).
# A Job's manualSelector goes with its selector, which is not carried (the API server refuses
# one in a CronJob's Job template).
_NOT_CARRIED = frozenset(
    {"template", "jobTemplate", "selector", "updateStrategy", "manualSelector"}
)
_MATCH_LABELS_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet")


def _levels(kind: Kind) -> list[tuple[bool, tuple[str, ...]]]:
    """Where a kind's controller fields are, each with whether it holds a CronJob's own."""
    levels = _CONTROLLER_LEVELS.get(kind.name, (("spec",),))
    return [(len(levels) > 1 and index == 0, level) for index, level in enumerate(levels)]


def _carry_controller_fields(old: dict, old_kind: Kind, new: dict, new_kind: Kind) -> None:
    """A workload made from another keeps what the two kinds share: the workload's own
    metadata (labels, annotations), and the controller fields of the same name (replicas,
    minReadySeconds, revisionHistoryLimit, backoffLimit...); an apps selector stays as written
    between the kinds that select by matchLabels."""
    metadata = as_dict(old.get("metadata"))
    for key, value in metadata.items():
        new["metadata"].setdefault(key, copy_data(value))
    version = settings.PODSTUDIO_K8S_VERSION
    # A CronJob's own fields (its schedule, and the suspend that pauses it) are its alone; the
    # fields of the Job it makes are a Job's, and a Job's go there: a Job's suspend stops its
    # Pods, a CronJob's its schedule.
    fields: dict[bool, dict[str, Any]] = {True: {}, False: {}}  # by whether a CronJob's own
    for own, level in _levels(old_kind):
        for key, value in as_dict(get(old, *level)).items():
            if key not in _NOT_CARRIED:
                fields[own].setdefault(key, value)
    for own, level in _levels(new_kind):
        holder = get(new, *level)
        for key in field_names(version, new_kind.definition, level) & fields[own].keys():
            holder[key] = copy_data(fields[own][key])
    selector = as_dict(old.get("spec")).get("selector")
    if old_kind.name in _MATCH_LABELS_KINDS and new_kind.name in _MATCH_LABELS_KINDS and selector:
        new["spec"]["selector"] = copy_data(selector)


def served_version(manifest: dict) -> dict | None:
    """The design with its kind's apiVersion, if it says one that is no longer served (such
    as extensions/v1beta1 for a Deployment); else None. Only ``apiVersion`` changes: what
    the old version defaulted (a selector) is left for the author to see."""
    if not removed_version(manifest):
        return None
    changed = copy_data(manifest)
    changed["apiVersion"] = design_kind(manifest).api_version
    return changed


def without_cluster_writes(manifest: dict) -> dict | None:
    """The design without what ``cluster_written`` lists (``None`` if there is none); an
    annotations map left empty by it goes too. Every other field stays as it was."""
    paths = cluster_written(manifest)
    if not paths:
        return None
    changed = copy_data(manifest)
    metadata = changed.get("metadata")
    for path in paths:
        if path == "status":
            del changed["status"]
        elif path.startswith("metadata.annotations["):
            metadata["annotations"].pop(path.removeprefix("metadata.annotations[")[:-1])
            if not metadata["annotations"]:
                del metadata["annotations"]
        else:
            del metadata[path.removeprefix("metadata.")]
    return changed


def apply_design_action(
    manifest: dict, action: str, data: Mapping | None = None, imported: dict | None = None
) -> dict | None:
    """``edit.apply_action`` at the document's paths, and ``kind`` (wrap or unwrap).
    ``imported``: the document as the author's file holds it (``apply_design_form``)."""
    if action == KIND_ACTION:
        new_kind = _last_values(data or {}).get(KIND_FIELD, "")
        return change_kind(manifest, new_kind)
    if action == SELECTOR_ACTION:
        return select_by_labels(copy_data(manifest))
    if action == VERSION_ACTION:
        return served_version(manifest)
    if action == CLUSTER_ACTION:
        return without_cluster_writes(manifest)
    kind = design_kind(manifest)
    as_written = _as_written(imported, kind)
    if kind.is_pod:
        result = apply_action(manifest, action, as_written)
    else:
        verb, _, path = action.partition(":")
        inner = template_relative(kind, path)
        if inner is None:
            return None
        written_pod = template_pod(as_written, kind) if as_written is not None else None
        pod = template_pod(manifest, kind)
        changed = apply_action(pod, f"{verb}:{inner}", written_pod, _claim_names(manifest, kind))
        if changed is None:
            return None
        result = _with_template(copy_data(manifest), kind, changed)
    if result is not None and as_written is not None:  # Add and then Remove: the file back
        _drop_empty_parents(result, as_written, kind)
    return result


# --- errors and what the form leaves alone ------------------------------------------------------


def design_slot_for(kind_name: str, path: str) -> str | None:
    """The form place nearest to a document path, for any kind (``edit.slot_for`` for Pods)."""
    kind = KINDS.get(kind_name, POD)
    if kind.is_pod:
        return slot_for(path)
    path = written_path(path)  # the API server's spec.template.labels is a template field
    inner = template_relative(kind, path)
    if inner is not None:
        if inner.startswith("metadata"):
            keys = path_to_keys(inner)
            if len(keys) >= 2 and keys[1] in ("labels", "annotations"):
                return document_path(kind, f"metadata.{keys[1]}")
            return document_path(kind, "metadata")
        slot = slot_for(inner)
        return document_path(kind, slot) if slot else document_path(kind, "spec.containers")
    keys = path_to_keys(path)
    fields = workload_fields(kind.name)
    for length in range(len(keys), 0, -1):
        candidate = keys_to_path(keys[:length])
        if pattern_of(candidate) in fields:
            return candidate
    if keys and keys[0] == "metadata":
        return "metadata"
    return None


def design_kept(manifest: dict) -> list[Kept]:
    """Everything the form of this design does not edit, with its YAML."""
    kind = design_kind(manifest)
    if kind.is_pod:
        return kept_as_is(manifest)
    pod = template_pod(manifest, kind)
    kept = []
    for item in kept_as_is(pod):
        keys = path_to_keys(item.path)
        own = len(keys) > 1 and keys[1] in ("labels", "annotations")
        if not keys or keys[0] != "metadata" or own:
            kept.append(Kept(document_path(kind, item.path), item.yaml))
    for key, value in as_dict(pod.get("metadata")).items():
        if key not in ("labels", "annotations"):
            path = document_path(kind, f"metadata.{key}")
            kept.append(Kept(path, dump_manifest({key: value})))
    fields = workload_fields(kind.name)
    template_keys = list(kind.template)

    def walk(value: Any, keys: list) -> None:
        path = keys_to_path(keys)
        if keys == template_keys or (keys and keys[-1] == "selector" and len(keys) == 2):
            return
        fld = fields.get(pattern_of(path)) if keys else None
        if fld is not None:
            if not editable(fld, value):
                kept.append(Kept(path, dump_manifest({keys[-1]: value})))
            return
        on_the_way = keys == template_keys[: len(keys)]  # to the template: keep walking
        if isinstance(value, dict) and (on_the_way or path == "metadata"):
            for key, item in value.items():
                if not keys and key in ("apiVersion", "kind"):
                    continue
                walk(item, [*keys, key])
            return
        kept.append(Kept(path, dump_manifest({keys[-1]: value})))

    walk(manifest, [])
    return kept
