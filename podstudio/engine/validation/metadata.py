"""Object metadata: names, labels, annotations and finalizers (``ValidateObjectMeta``)."""

import re
from typing import Any

from podstudio.engine.paths import as_dict, as_list, join_key
from podstudio.engine.validation.checker import (
    Checker,
    as_text,
    is_set,
)
from podstudio.engine.validation.formats import (
    MAX_ANNOTATIONS_BYTES,
    MAX_INT32,
    dns_label_errors,
    dns_subdomain_errors,
    label_value_errors,
    mask_trailing_dash,
    qualified_name_errors,
)


def check_labels(c: Checker, labels: Any, path: str) -> None:
    for key, value in as_dict(labels).items():
        if not isinstance(key, str):
            continue
        key_path = join_key(path, key)
        c.add_all(key_path, [f"key {message}" for message in qualified_name_errors(key)])
        if isinstance(value, str):
            c.add_all(key_path, label_value_errors(value))


def check_metadata(c: Checker, metadata: dict) -> None:
    name = as_text(metadata.get("name"))
    generate_name = as_text(metadata.get("generateName"))
    wrong_type = is_set(metadata, "name") and name is None
    if not name and not generate_name and not wrong_type:
        c.add("metadata.name", "name or generateName is required")
    if name:
        c.add_all("metadata.name", dns_subdomain_errors(name))
    elif generate_name:
        c.add_all("metadata.generateName", dns_subdomain_errors(mask_trailing_dash(generate_name)))
    c.name_like(metadata, "namespace", "metadata", dns_label_errors)
    check_labels(c, metadata.get("labels"), "metadata.labels")

    annotations = as_dict(metadata.get("annotations"))
    total = 0
    for key, value in annotations.items():
        if not isinstance(key, str):
            continue
        total += len(key) + (len(value) if isinstance(value, str) else 0)
        messages = qualified_name_errors(key.lower())
        c.add_all(join_key("metadata.annotations", key), [f"key {m}" for m in messages])
    if total > MAX_ANNOTATIONS_BYTES:
        c.add("metadata.annotations", f"must have at most {MAX_ANNOTATIONS_BYTES} bytes in total")
    cost = annotations.get("controller.kubernetes.io/pod-deletion-cost")
    if isinstance(cost, str):
        path = join_key("metadata.annotations", "controller.kubernetes.io/pod-deletion-cost")
        if not re.fullmatch(r"[-+]?\d+", cost.strip()) or not -(2**31) <= int(cost) <= MAX_INT32:
            c.add(path, "must be a 32bit integer")

    for index, finalizer in enumerate(as_list(metadata.get("finalizers"))):
        if not isinstance(finalizer, str):
            continue
        path = f"metadata.finalizers[{index}]"
        messages = qualified_name_errors(finalizer)
        c.add_all(path, messages)
        if not messages and "/" not in finalizer and finalizer != "kubernetes":
            c.add(path, "must be fully qualified, like example.com/cleanup")
