"""Keeping the author's place in the builder's form.

An Add, Remove or Move changes one list, so the page redraws only that list, and focus goes
where the author works next: the new entry, the entry after a removed one (or the one before,
or the list's Add button when none is left). The last removal can be undone for a while: the
session keeps the entry, its index and, when the removal dropped the emptied list, where the
list's key stood, so Undo puts back exactly what was there.

Plain functions over manifests and the session's dict; the view only wires them together.
"""

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from podstudio.builder.edit import Group, Input, copy_data, field_id, iter_inputs
from podstudio.builder.workloads import (
    CLUSTER_ACTION,
    CLUSTER_REMOVED,
    KIND_ACTION,
    VERSION_ACTION,
    apply_design_action,
    kind_changed_message,
)
from podstudio.engine.paths import as_dict, as_list, get, path_to_keys

UNDO = "undo"  # the action of the Undo button
UNDO_KEY = "builder_undo"
NOTES_KEY = "builder_notes"
STATUS_KEY = "builder_status"
UNDO_SECONDS = 15 * 60  # how long a removal can be undone

_ACTION = re.compile(r"^(add|remove|up|down):(.{1,300})$")
_ITEM = re.compile(r"^(.+)\[(\d{1,6})\]$")

# What one entry of each list is called, by the list's key.
_NOUNS = {
    "containers": "container",
    "initContainers": "init container",
    "volumes": "volume",
    "ports": "port",
    "env": "variable",
    "volumeMounts": "mount",
    "tolerations": "toleration",
    "imagePullSecrets": "pull secret",
    "httpHeaders": "header",
    "sources": "source",
    "items": "file",
    "matchExpressions": "node rule",
    "nodeSelectorTerms": "node rule group",
}
# The field that names an entry in a message, first found wins.
_NAMING_KEYS = ("name", "containerPort", "mountPath", "key", "path")
_MOUNT_NAMING_KEYS = ("mountPath", "name")


@dataclass
class Step:
    """What an action did to one list, and where the author's place is afterwards."""

    verb: str  # add, remove, up, down or undo
    list_path: str
    focus: str  # id of the element to focus: an entry (its first field) or the Add button
    message: str  # for the form's status line
    # How entries were renumbered, so the browser can keep their open sections open.
    renumber: dict[str, Any] = field(default_factory=dict)
    undo: dict | None = None  # the removal Undo would reverse
    # A mount's Add made its volume (in a Pod without any), its Remove or Undo took or brought it.
    volumes_changed: bool = False
    notes: dict[str, str] = field(default_factory=dict)  # for fields of the entry, by name

    def client_event(self) -> dict:
        """The ``builder:place`` event builder.js handles after the swap."""
        return {"focus": self.focus, "list": field_id(self.list_path), **self.renumber}


def parse(action: str) -> tuple[str, str, int | None] | None:
    """``remove:spec.containers[1]`` -> ``("remove", "spec.containers", 1)``; add has no index."""
    match = _ACTION.match(action or "")
    if not match:
        return None
    verb, path = match.groups()
    if verb == "add":
        return verb, path, None
    item = _ITEM.match(path)
    if not item:
        return None
    return verb, item.group(1), int(item.group(2))


def _items(manifest: dict, list_path: str) -> list:
    return as_list(get(manifest, *path_to_keys(list_path)))


def item_id(list_path: str, index: int) -> str:
    return field_id(f"{list_path}[{index}]")


def add_button_id(list_path: str) -> str:
    return "add-" + field_id(list_path)


def item_label(list_path: str, item: Any, index: int, items: list | None = None) -> str:
    """How a message names an entry: ``container web``, ``port 8080``, ``variable 2``; by its
    place too when another entry of ``items`` is named alike (``port 2 (8080)``)."""
    keys = path_to_keys(list_path)
    noun = _NOUNS.get(str(keys[-1]) if keys else "", "entry")
    name = _item_name(noun, item)
    if name is None:
        return f"{noun} {index + 1}"
    alike = sum(1 for other in items or () if _item_name(noun, other) == name)
    if alike > 1:
        return f"{noun} {index + 1} ({name})"
    return f"{noun} {name}"


def _item_name(noun: str, item: Any) -> str | None:
    entry = as_dict(item)
    for key in _MOUNT_NAMING_KEYS if noun == "mount" else _NAMING_KEYS:
        value = entry.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and value != "":
            return str(value)
    return None


def step_after(
    verb: str, list_path: str, index: int | None, before: dict, after: dict, slug: str
) -> Step | None:
    """Where the author is after ``verb`` changed ``before`` into ``after``."""
    items = _items(after, list_path)
    if verb == "add":
        if not items:
            return None
        new = len(items) - 1
        label = item_label(list_path, items[new], new, items)
        step = Step(verb, list_path, item_id(list_path, new), f"Added {label}.")
        if _mount_changed_volumes(list_path, before, after):
            step.volumes_changed = True
            name = as_dict(items[new]).get("name")
            step.message = f"Added {label}, and an empty volume {name} for it (under Volumes)."
            step.notes[f"{list_path}[{new}].name"] = (
                f"A mount needs a volume, so an empty one named {name} was made: change its "
                "type under Volumes."
            )
        return step
    old = _items(before, list_path)
    if index is None or not 0 <= index < len(old):
        return None
    label = item_label(list_path, old[index], index, old)
    if verb == "remove":
        if index < len(items):
            focus = item_id(list_path, index)
        elif items:
            focus = item_id(list_path, len(items) - 1)
        else:
            focus = add_button_id(list_path)
        record = removal(slug, before, after, list_path, index)
        step = Step(verb, list_path, focus, f"Removed {label}.", {"removed": index}, record)
        if _mount_changed_volumes(list_path, before, after):
            step.volumes_changed = True
            name = as_dict(old[index]).get("name")
            record["also"] = f", and the empty volume {name} made for it"
            record["volume"] = copy_data(as_list(_volumes(before))[0])  # for Undo
            step.message = f"Removed {label}{record['also']}."
        return step
    other = index - 1 if verb == "up" else index + 1
    return Step(
        verb,
        list_path,
        item_id(list_path, other),
        f"Moved {label} {verb}.",
        {"moved": [index, other]},
    )


def _mount_changed_volumes(list_path: str, before: dict, after: dict) -> bool:
    """Whether an Add or Remove of a mount also made or took the Pod's volume."""
    return path_to_keys(list_path)[-1] == "volumeMounts" and _volumes(before) != _volumes(after)


def _volumes(manifest: dict) -> Any:
    spec = as_dict(manifest.get("spec"))
    if "template" in spec:  # a workload: its Pod template's volumes
        return _volumes(as_dict(spec["template"]))
    if "jobTemplate" in spec:
        return _volumes(as_dict(spec["jobTemplate"]))
    return spec.get("volumes")


# --- undo -----------------------------------------------------------------------------------


def removal(slug: str, before: dict, after: dict, list_path: str, index: int) -> dict:
    """What Undo needs to put entry ``index`` of ``list_path`` back as it was."""
    keys = path_to_keys(list_path)
    parent_before = as_dict(get(before, *keys[:-1]))
    parent_after = get(after, *keys[:-1])
    position = None
    if isinstance(parent_after, dict) and keys[-1] not in parent_after and keys[-1]:
        position = list(parent_before).index(keys[-1])  # the emptied list's key went too
    item = _items(before, list_path)[index]
    return {
        "slug": slug,
        "path": list_path,
        "index": index,
        "item": copy_data(item),
        "position": position,
        "label": item_label(list_path, item, index, _items(before, list_path)),
        "at": time.time(),
    }


def pending_undo(session: Any, slug: str) -> dict | None:
    """The removal in ``slug`` that Undo would reverse now, if any."""
    record = session.get(UNDO_KEY)
    if not isinstance(record, dict) or record.get("slug") != slug:
        return None
    if time.time() - float(record.get("at", 0)) > UNDO_SECONDS:
        return None
    return record


def restore(manifest: dict, record: dict) -> dict | None:
    """A copy of ``manifest`` with the removed entry back at its index (and its list's key
    back where it stood); ``None`` when the place it came from is gone."""
    result = copy_data(manifest)
    keys = path_to_keys(record["path"])
    if not keys:
        return None
    parent = get(result, *keys[:-1]) if len(keys) > 1 else result
    index, last = record["index"], keys[-1]
    if parent is None and index == 0:  # maps the Remove took with the list (node affinity)
        parent = _made_maps(result, keys[:-1])
    if not isinstance(parent, dict) or not isinstance(index, int) or index < 0:
        return None
    item = copy_data(record["item"])
    if last in parent:
        items = parent[last]
        if not isinstance(items, list) or index > len(items):
            return None
        items.insert(index, item)
    elif index != 0:
        return None
    else:
        entries = list(parent.items())
        position = record.get("position")
        position = len(entries) if not isinstance(position, int) else min(position, len(entries))
        entries.insert(position, (last, [item]))
        parent.clear()
        parent.update(entries)
    volume = record.get("volume")  # the volume the Remove took with the mount comes back
    pod_spec = get(result, *keys[:-3]) if len(keys) >= 3 else None
    if volume is not None and isinstance(pod_spec, dict):
        volumes = pod_spec.get("volumes")
        if not isinstance(volumes, list):
            pod_spec["volumes"] = volumes = []
        volumes.append(copy_data(volume))
    return result


def _made_maps(manifest: dict, keys: list) -> dict | None:
    """The mapping at ``keys``, made with the mappings above it that are missing; ``None`` if
    something else stands in the way (a list, a value, an entry that is gone)."""
    holder: Any = manifest
    for key in keys:
        if isinstance(key, str) and isinstance(holder, dict):
            if holder.get(key) is None:
                holder[key] = {}
            holder = holder[key]
        elif isinstance(key, int) and isinstance(holder, list) and 0 <= key < len(holder):
            holder = holder[key]
        else:
            return None
    return holder if isinstance(holder, dict) else None


def step_after_undo(record: dict) -> Step:
    list_path, index = record["path"], record["index"]
    return Step(
        UNDO,
        list_path,
        item_id(list_path, index),
        f"Restored {record['label']}.",
        {"inserted": index},
    )


def take_action(
    manifest: dict,
    action: str,
    data: Mapping,
    session: Any,
    slug: str,
    imported: dict | None = None,
) -> tuple[dict | None, Step | None]:
    """The design after the posted action (``None`` if it changes nothing) and the step it
    made: an Add, Remove or Move of a list entry, a change of kind, or Undo. ``imported``: the
    document as the author's file holds it (``workloads.apply_design_action``)."""
    if action == UNDO:
        record = pending_undo(session, slug)
        restored = restore(manifest, record) if record else None
        if restored is None or record is None:
            return None, None
        step = step_after_undo(record)
        if _volumes(manifest) != _volumes(restored):
            step.volumes_changed = True
            step.message = f"Restored {record['label']}, and the volume it mounts."
        return restored, step
    if not action or action == "preview":
        return None, None
    changed = apply_design_action(manifest, action, data, imported)
    parsed = parse(action)
    if changed is None or parsed is None:
        return changed, None
    return changed, step_after(*parsed, before=manifest, after=changed, slug=slug)


def status_message(action: str, step: Step | None, before: dict, after: dict | None) -> str:
    """What the form's status says after ``action`` turned ``before`` into ``after`` (``None``:
    it changed nothing, or the change was not saved)."""
    if step is not None:
        return step.message
    if action == CLUSTER_ACTION and after is not None:
        return CLUSTER_REMOVED
    if action == VERSION_ACTION and after is not None:
        version, kind = after.get("apiVersion"), after.get("kind")
        return f"Now {version}, the apiVersion Kubernetes serves for a {kind}."
    if action == KIND_ACTION and after is not None:
        return kind_changed_message(before, after)
    if action == UNDO:
        return "Nothing to undo: the removed entry's place is gone, or it was too long ago."
    return ""


def remember(session: Any, step: Step | None, action: str, slug: str) -> None:
    """Keeps the removal a step made for Undo (in ``slug``: a copy's, when the edit made one);
    any other change to a list forgets the last one, as its index may no longer point at the
    same place. Writes the session only when something changes."""
    if step is not None and step.undo is not None:
        session[UNDO_KEY] = {**step.undo, "slug": slug}
    elif action and action != "preview" and UNDO_KEY in session:
        del session[UNDO_KEY]


def forget_undo(session: Any, slug: str) -> None:
    """Forgets the removal Undo would reverse in ``slug``: its place is gone once the design
    edits another document of its file (Undo would put the entry into that one)."""
    record = session.get(UNDO_KEY)
    if isinstance(record, dict) and record.get("slug") == slug:
        del session[UNDO_KEY]


# --- notes and the status line without JavaScript ------------------------------------------


def keep_for_page(session: Any, slug: str, notes: dict[str, str], message: str) -> None:
    """Keeps what the page after a plain POST shows: notes at their fields and the status line."""
    shown = {name: note for name, note in notes.items() if note}
    if shown:
        session[NOTES_KEY] = {"slug": slug, "notes": shown}
    if message:
        session[STATUS_KEY] = {"slug": slug, "message": message}


def take_for_page(session: Any, slug: str) -> tuple[dict[str, str], str]:
    """The notes and status message kept for ``slug`` (shown once)."""
    notes, message = {}, ""
    record = session.get(NOTES_KEY)
    if isinstance(record, dict) and record.get("slug") == slug:
        notes = dict(as_dict(record.get("notes")))
        del session[NOTES_KEY]
    record = session.get(STATUS_KEY)
    if isinstance(record, dict) and record.get("slug") == slug:
        message = str(record.get("message", ""))
        del session[STATUS_KEY]
    return notes, message


def notes_after(notes: dict[str, str], step: Step | None) -> dict[str, str]:
    """The notes of the posted fields, and the step's own, at the fields as they are after the
    step: a note inside a list whose entries were renumbered would land on another entry."""
    if step is None:
        return notes
    if step.verb != "add":
        notes = {name: note for name, note in notes.items() if not inside(name, step.list_path)}
    return {**notes, **step.notes}


def attach_notes(nodes: list, notes: dict[str, str]) -> None:
    if not notes:
        return
    for node in iter_inputs(nodes):
        node.note = notes.get(node.name, "")


# --- regions of the form --------------------------------------------------------------------


def find_list(nodes: list, list_path: str) -> Group | None:
    """The form's region that holds the entries of ``list_path`` and its Add button."""
    for node in nodes:
        if not isinstance(node, Group):
            continue
        if node.path == list_path and node.kind in ("section", "sub"):
            return node
        found = find_list(node.children, list_path)
        if found is not None:
            return found
    return None


def inside(name: str, path: str) -> bool:
    return name == path or name.startswith((f"{path}.", f"{path}["))


def volume_selects(nodes: list, region: str) -> list[Input]:
    """The mounts' volume selects outside ``region``: their choices follow the volume list."""
    return [
        node
        for node in iter_inputs(nodes)
        if node.kind == "volume" and not inside(node.name, region)
    ]
