"""What an unknown field was likely meant to be, said after the API server's words.

The API server says only ``unknown field "spec.containers[0].imagepullpolicy"``. Most unknown
fields in a file someone typed or pasted are one of a few slips, and the schema that refused the
name tells which: a field of the object in another case or with a letter or two wrong, labels
written straight under a selector, a list entry's field indented as far as the list, or a field
that only later Kubernetes versions have. Imported by ``schema`` on this error's path only.
"""

import difflib
from functools import cache
from typing import Any

from podstudio.engine.paths import as_dict
from podstudio.engine.schema import SUPPORTED_VERSIONS, _resolve, _types, schema_data

# A LabelSelector's fields: labels written straight under a selector belong in matchLabels.
_SELECTOR_FIELDS = frozenset({"matchLabels", "matchExpressions"})


def meant_field(name: str, schema: dict, error: Any) -> str:
    """`` (did you mean "imagePullPolicy"?)``, or another hint, for the field ``name`` that
    ``error`` (a ``jsonschema_rs`` error of ``schema``: additional properties) refused; ""
    when nothing is near enough to name."""
    schema_path = list(error.schema_path)
    if _field_of_later_versions(schema_path, name):
        return " (later Kubernetes versions have this field; the version checked here does not)"
    fields = _known_fields(schema, schema_path)
    known = list(fields)
    same_letters = [field for field in known if field.lower() == name.lower()]
    if same_letters:
        return f' (did you mean "{same_letters[0]}"? Field names are case-sensitive)'
    if close := difflib.get_close_matches(name, known, n=1, cutoff=0.8):
        return f' (did you mean "{close[0]}"?)'
    if set(known) == _SELECTOR_FIELDS:
        return f" (a selector's labels go under matchLabels: `matchLabels: {{{name}: …}}`)"
    # `- name: web` then `image: nginx` one step to the left: image lands after containers.
    written = list(as_dict(error.instance))
    before = written[written.index(name) - 1] if name in written[1:] else None
    if before in fields and name in _entry_fields(schema, fields[before]):
        return (
            f" ({name} is a field of each entry of {before}, the list above it: indent it as "
            "far as that entry's other fields)"
        )
    return ""


def _field_of_later_versions(schema_path: list, name: str) -> bool:
    """Whether the newest supported version's definition of the object has the field (pod-level
    ``resources`` checked with the rules of 1.31): then it is no slip to name."""
    if len(schema_path) < 3 or schema_path[0] != "$defs":
        return False
    newest = _newest_definitions().get(schema_path[1])
    return isinstance(newest, dict) and name in as_dict(newest.get("properties"))


@cache
def _newest_definitions() -> dict:
    return schema_data(SUPPORTED_VERSIONS[-1])["$defs"]


def _known_fields(schema: dict, schema_path: list) -> dict:
    """The fields (name: schema) of the object whose ``additionalProperties`` (the last step of
    ``schema_path``, as ``jsonschema_rs`` gives it) refused a name; none if it cannot be told."""
    node: Any = schema
    for step in schema_path[:-1]:
        if not (isinstance(node, dict) and step in node):
            node = _resolve(schema, node)  # a step past a $ref
        if not (isinstance(node, dict) and step in node):
            return {}
        node = node[step]
    node = _resolve(schema, node)
    return as_dict(node.get("properties")) if isinstance(node, dict) else {}


def _entry_fields(schema: dict, node: Any) -> dict:
    """The fields of the entries of a list whose schema is ``node``; none if it is no list of
    objects."""
    node = _resolve(schema, node)
    if not isinstance(node, dict) or "array" not in _types(node):
        return {}
    items = _resolve(schema, node.get("items"))
    return as_dict(items.get("properties")) if isinstance(items, dict) else {}
