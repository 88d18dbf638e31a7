"""Where the builder says an error: at the field the learner typed in, in the words that tell
them what to do. The engine's messages and paths are the API server's; these move or extend
them for the form only (the CLI and the API keep the server's)."""

import re

from django.utils.html import escape

from podstudio.builder.edit import field_id
from podstudio.builder.models import Design
from podstudio.builder.services import Preview, make_preview
from podstudio.builder.workloads import design_slot_for
from podstudio.engine.paths import get
from podstudio.engine.validation.apps import MISMATCH as SELECTOR_MISMATCH

# The API server says a request above its limit at ``resources.requests`` (the engine does too),
# where the form has no field: the builder says it at the limit the learner typed.
_ABOVE_LIMIT = re.compile(r": must be less than or equal to (?P<name>[a-z-]+) limit of ")


def preview(manifest: dict, *, exercise: str, design: Design) -> Preview:
    """``services.make_preview``, with a request above its limit said at the limit field, and
    a selector that does not match the template's labels naming the labels it misses."""
    preview = make_preview(manifest, exercise=exercise, design=design)
    changed = False
    for error, item in zip(preview.report.errors, preview.error_items, strict=True):
        changed |= _limit_at_limit(preview, error, item)
        changed |= _missing_labels_named(preview, manifest, error, item)
    if changed:
        preview.error_slot_ids = {
            field_id(slot): found for slot, found in preview.errors_by_slot.items()
        }
    return preview


def _limit_at_limit(preview: Preview, error, item: dict) -> bool:
    above = _ABOVE_LIMIT.search(error.message)
    if above is None or not error.path.endswith(".resources.requests"):
        return False
    resources = error.path.removesuffix(".requests")
    slot = design_slot_for(preview.kind, f"{resources}.limits.{above['name']}")
    group = design_slot_for(preview.kind, error.path)
    messages_there = preview.errors_by_slot.get(group or "", [])
    if slot is None or slot == group or error.message not in messages_there:
        return False
    messages_there.remove(error.message)
    if not messages_there:
        del preview.errors_by_slot[group]
    preview.errors_by_slot.setdefault(slot, []).append(error.message)
    item["target"] = escape(field_id(slot))  # the problems list jumps to the limit too
    return True


def _missing_labels_named(preview: Preview, manifest: dict, error, item: dict) -> bool:
    """Adds to the selector mismatch which of the selector's labels the template lacks (the
    engine's message, as the API server's, says only that they do not match)."""
    if error.message != SELECTOR_MISMATCH or not error.path.endswith(".template.metadata.labels"):
        return False
    owner = get(manifest, *error.path.removesuffix(".template.metadata.labels").split("."))
    if not isinstance(owner, dict):
        return False
    selector = owner.get("selector")
    if isinstance(selector, dict) and "matchLabels" in selector:
        selector = selector["matchLabels"]  # (a ReplicationController's is the map itself)
    labels = get(owner, "template", "metadata", "labels", default={})
    if not isinstance(selector, dict) or not selector or not isinstance(labels, dict):
        return False
    missing = [
        f"{key}={value}" + (f" (these labels have {key}={labels[key]})" if key in labels else "")
        for key, value in selector.items()
        if labels.get(key) != value
    ]
    slot = design_slot_for(preview.kind, error.path)
    messages_there = preview.errors_by_slot.get(slot or "", [])
    if not missing or error.message not in messages_there:
        return False
    said = f"{error.message}. Missing here: {', '.join(missing)}."
    messages_there[messages_there.index(error.message)] = said
    item["message"] = escape(said)
    return True
