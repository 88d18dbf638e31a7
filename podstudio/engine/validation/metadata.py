"""Object metadata: name, labels, annotations, owners and finalizers (``ValidateObjectMeta``).

Labels and annotation keys are reported at the map (``metadata.labels``), finalizers that are
not qualified names at the list (``metadata.finalizers``), as the API server does; the message
names the key.
"""

from collections.abc import Callable

from podstudio.engine.paths import as_dict, as_list, join
from podstudio.engine.validation.checker import Checker, as_text, is_empty
from podstudio.engine.validation.formats import (
    MAX_ANNOTATIONS_BYTES,
    dns_label_errors,
    dns_subdomain_errors,
    go_len,
    go_lower,
    mask_trailing_dash,
    qualified_name_errors,
)
from podstudio.engine.validation.scheduling import check_labels

STANDARD_FINALIZERS = ("kubernetes", "orphan", "foregroundDeletion")
_RANDOM_SUFFIX = "x7k2q"  # the 5 characters the API server appends to a generateName


def generated_name(metadata: dict) -> str:
    """The name the Pod gets: its name, or generateName (cut to 58) and 5 random characters."""
    name = as_text(metadata.get("name"))
    if name:
        return name
    prefix = as_text(metadata.get("generateName")) or ""
    return prefix[:58] + _RANDOM_SUFFIX if prefix else ""


def check_metadata(
    c: Checker,
    metadata: dict,
    name_errors: Callable[[str], list[str]] = dns_subdomain_errors,
    *,
    generate_name_checked: bool = True,
) -> None:
    """``ValidateObjectMeta``; ``name_errors``: the kind's rule for a name (a StatefulSet's is
    a DNS label), for its name and its generateName alike. Without ``generate_name_checked``
    (a ReplicationController's ``ValidateObjectMetaWithOpts``) only the name made from
    generateName is checked."""
    generate = as_text(metadata.get("generateName"))
    if generate and generate_name_checked:
        c.add_all("metadata.generateName", name_errors(mask_trailing_dash(generate)))
    name = generated_name(metadata)
    if not name and (metadata.get("name") is None or metadata.get("name") == ""):
        c.add("metadata.name", "name or generateName is required")
    elif name:
        c.add_all("metadata.name", name_errors(name))
    namespace = as_text(metadata.get("namespace"))
    if namespace:
        c.add_all("metadata.namespace", dns_label_errors(namespace))
    # metadata.generation is not checked: on create the API server resets it before it
    # validates (the strategies' PrepareForCreate), so a negative one is accepted.
    check_labels(c, metadata.get("labels"), "metadata.labels")
    annotations = as_dict(metadata.get("annotations"))
    total = 0
    for key, value in annotations.items():
        if not isinstance(key, str):
            continue
        total += go_len(key) + (go_len(value) if isinstance(value, str) else 0)
        messages = qualified_name_errors(go_lower(key))
        c.add_all("metadata.annotations", [f"key {key!r}: {m}" for m in messages])
    if total > MAX_ANNOTATIONS_BYTES:
        c.add("metadata.annotations", f"must have at most {MAX_ANNOTATIONS_BYTES} bytes")
    _check_owner_references(c, metadata.get("ownerReferences"))
    _check_finalizers(c, metadata.get("finalizers"))


def _owner_reference_key(reference: object) -> tuple:
    """An owner reference as its Go struct compares (null and absent alike; pointers to a bool
    told from no bool)."""
    reference = as_dict(reference)
    strings = tuple(
        value if isinstance(value := reference.get(key), str) else ""
        for key in ("apiVersion", "kind", "name", "uid")
    )
    flags = tuple(
        value if isinstance(value := reference.get(key), bool) or value is None else repr(value)
        for key in ("controller", "blockOwnerDeletion")
    )  # (a value of another type, which the schema refuses, still makes a key)
    return (*strings, *flags)


def dedup_owner_references(references: list) -> tuple[list, list[str]]:
    """dedupOwnerReferences: the create handler drops a reference equal to an earlier one before
    anything validates them (the rest are numbered anew), and warns with the dropped ones' uids.
    """
    kept, dropped, seen = [], [], set()
    for reference in references:
        key = _owner_reference_key(reference) if isinstance(reference, dict) else None
        if key is not None and key in seen:
            dropped.append(key[3])
            continue
        if key is not None:
            seen.add(key)
        kept.append(reference)
    return kept, dropped


def _check_owner_references(c: Checker, references: object) -> None:
    controller = ""
    path = "metadata.ownerReferences"
    for index, reference in enumerate(dedup_owner_references(as_list(references))[0]):
        reference = as_dict(reference)
        reference_path = join(path, index)
        api_version = reference.get("apiVersion")
        if is_empty(api_version):
            c.add(join(reference_path, "apiVersion"), "must not be empty")
        elif isinstance(api_version, str) and (
            api_version.count("/") > 1 or not api_version.rsplit("/", 1)[-1]
        ):
            c.add(join(reference_path, "apiVersion"), "must be <group>/<version> or <version>")
        for field in ("kind", "name", "uid"):
            if is_empty(reference.get(field)):
                c.add(join(reference_path, field), "must not be empty")
        # (schema.ParseGroupVersion: "/v1" is the core group's v1 too)
        if api_version in ("v1", "/v1") and reference.get("kind") == "Event":
            c.add(reference_path, "/v1, Kind=Event is disallowed from being an owner")
        if reference.get("controller") is True:
            current = f"{reference.get('kind')}/{reference.get('name')}"
            if controller:
                c.add(path, "only one reference can have controller set to true")
            else:
                controller = current


def _check_finalizers(c: Checker, finalizers: object) -> None:
    values = [value for value in as_list(finalizers) if isinstance(value, str)]
    for value in values:
        c.add_all("metadata.finalizers", qualified_name_errors(value))
    if "orphan" in values and "foregroundDeletion" in values:
        c.add("metadata.finalizers", "finalizer orphan and foregroundDeletion cannot be both set")
    for index, value in enumerate(as_list(finalizers)):
        if isinstance(value, str) and "/" not in value and value not in STANDARD_FINALIZERS:
            c.add(
                f"metadata.finalizers[{index}]",
                "name is neither a standard finalizer name nor is it fully qualified",
            )
