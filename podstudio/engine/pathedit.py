"""Edits given as field paths, in the builder's path syntax, applied to a file's text.

Paths are the API server's (``spec.containers[0].resources.limits.memory``), with map keys
that hold dots or slashes in brackets (``metadata.labels[app.kubernetes.io/name]``) and list
items chosen by name as well as by index (``spec.containers[name=web].image``). Setting a
path creates the mappings on its way; an index one past the end appends an item. The text is
then rewritten by ``textedit``, so only what the edits change is touched.
"""

import copy
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from podstudio.engine import textedit
from podstudio.engine.documents import json_segments, read_documents, render_stream
from podstudio.engine.sourcemap import cached_source
from podstudio.engine.yamlio import ManifestError

_TOKEN = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]|(\.)")
_SELECTOR = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)=(.*)$")

_UNSET = object()


class PathError(ValueError):
    """A path that cannot be read or does not lead anywhere in the document; one line."""


@dataclass(frozen=True)
class Match:
    """A list item chosen by one of its fields: ``[name=web]``."""

    field: str
    value: str

    def __str__(self) -> str:
        return f"[{self.field}={self.value}]"


Step = str | int | Match


@dataclass(frozen=True)
class Edit:
    path: str
    value: Any = _UNSET  # _UNSET: remove the field

    @property
    def removes(self) -> bool:
        return self.value is _UNSET


def unset(path: str) -> Edit:
    return Edit(path)


def parse_path(path: str) -> list[Step]:
    """``spec.containers[name=web].ports[0]`` -> ``["spec", "containers", Match("name",
    "web"), "ports", 0]``; raises ``PathError`` for an empty or malformed path."""
    steps: list[Step] = []
    position = 0
    text = path.strip()
    if not text:
        raise PathError("the path is empty")
    for match in _TOKEN.finditer(text):
        if match.start() != position:
            raise PathError(f"cannot read the path {path!r} at {text[position:]!r}")
        position = match.end()
        name, bracket, dot = match.groups()
        if dot:
            continue
        if name is not None:
            steps.append(name)
        elif bracket.isascii() and bracket.isdigit():
            if len(bracket) > 18:
                raise PathError(f"the index [{bracket[:20]}…] is past the end of any list")
            steps.append(int(bracket))
        elif (selector := _SELECTOR.match(bracket)) is not None:
            steps.append(Match(selector.group(1), selector.group(2)))
        elif bracket:
            steps.append(bracket)
        else:
            raise PathError(f"empty brackets in the path {path!r}")
    if position != len(text) or not steps:
        raise PathError(f"cannot read the path {path!r}")
    return steps


def _shown(steps: list[Step]) -> str:
    out = ""
    for step in steps:
        if isinstance(step, int | Match):
            out += f"[{step}]" if isinstance(step, int) else str(step)
        elif "." in step or "/" in step:
            out += f"[{step}]"
        else:
            out += f".{step}" if out else step
    return out


def concrete_keys(data: Any, steps: list[Step], *, creating: bool) -> list[str | int]:
    """The path's keys with every ``[name=web]`` turned into an index in ``data``."""
    keys: list[str | int] = []
    current = data
    for position, step in enumerate(steps):
        where = _shown(steps[:position]) or "the document"
        if isinstance(step, Match):
            if not isinstance(current, list):
                raise PathError(f"{where} is not a list, so {step} chooses nothing")
            found = [
                index
                for index, item in enumerate(current)
                if isinstance(item, dict) and str(item.get(step.field)) == step.value
            ]
            if not found:
                names = ", ".join(
                    str(item.get(step.field)) for item in current if isinstance(item, dict)
                )
                raise PathError(
                    f"{where} has no item with {step.field}={step.value}"
                    + (f" (it has {names})" if names else "")
                )
            if len(found) > 1:
                raise PathError(f"{where} has {len(found)} items with {step.field}={step.value}")
            step = found[0]
        if isinstance(step, int):
            if current is None and creating:
                current = []
            if not isinstance(current, list):
                raise PathError(f"{where} is not a list, so [{step}] is nothing")
            if step > len(current) or (step == len(current) and not creating):
                raise PathError(f"{where} has {len(current)} items: [{step}] is past its end")
            current = current[step] if step < len(current) else None
        else:
            if current is None and creating:
                current = {}
            if not isinstance(current, dict):
                raise PathError(f"{where} is not a mapping, so it has no field {step!r}")
            if step not in current and not creating:
                raise PathError(f"{_shown(steps[: position + 1])} is not set")
            current = current.get(step)
        keys.append(step)
    return keys


def apply(data: Any, edit: Edit) -> Any:
    """``data`` with one edit made (a copy; ``data`` itself is not changed)."""
    steps = parse_path(edit.path)
    keys = concrete_keys(data, steps, creating=not edit.removes)
    result = copy.deepcopy(data)
    if result is None:
        result = [] if isinstance(keys[0], int) else {}
    current = result
    for position, key in enumerate(keys[:-1]):
        following = keys[position + 1]
        empty: Any = [] if isinstance(following, int) else {}
        if isinstance(key, int):
            if key == len(current):
                current.append(empty)
            elif current[key] is None:
                current[key] = empty
        elif current.get(key) is None:
            current[key] = empty
        current = current[key]
    last = keys[-1]
    if edit.removes:
        del current[last]
    elif isinstance(last, int) and last == len(current):
        current.append(edit.value)
    else:
        current[last] = edit.value
    return result


@lru_cache(maxsize=8)
def documents_data(text: str) -> tuple[Any, ...]:
    """What each document of the file holds (``None`` for an empty one), read once per text:
    the command reads it to choose the document, to type the values and to edit it. A stream
    of JSON objects (``documents.json_segments``), which YAML reads as no stream of
    documents, is read one object at a time."""
    if json_segments(text) is None:
        return tuple(document.data for document in cached_source(text).documents)
    _, documents = read_documents(text)
    for document in documents:
        if document.error:
            raise ManifestError(document.error)
    return tuple(document.data for document in documents)


def choose_document(text: str, document: int | None) -> int:
    """The document an edit applies to (its place in the file's stream of documents): the one
    asked for, counted from 0 among the documents with content, as ``podstudio analyze`` and
    the builder number them (an empty one between two ``---`` is none); or the only one."""
    documents = documents_data(text)
    with_content = [index for index, data in enumerate(documents) if data is not None]
    if document is not None:
        if not 0 <= document < len(with_content):
            raise PathError(
                f"there is no document {document}: the file has {len(with_content)} "
                "(counted from 0)"
            )
        return with_content[document]
    workloads = [
        index
        for index in with_content
        if isinstance(documents[index], dict) and documents[index].get("kind") in WORKLOAD_KINDS
    ]
    if len(with_content) == 1:
        return with_content[0]
    if len(workloads) == 1:
        return workloads[0]
    if not with_content:
        raise PathError("the file holds no document to edit")
    raise PathError(
        f"the file has {len(with_content)} documents: choose one with --document N (from 0)"
    )


WORKLOAD_KINDS = frozenset(
    (
        "Pod",
        "Deployment",
        "ReplicaSet",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "CronJob",
        "ReplicationController",
    )
)


def apply_edits(text: str, edits: list[Edit], document: int | None = None) -> tuple[str, int]:
    """``text`` with the edits made to one document, and that document's index.

    Raises ``ManifestError`` (unreadable text) or ``PathError`` (a path that leads nowhere).
    """
    index = choose_document(text, document)
    data = documents_data(text)[index]
    for edit in edits:
        data = apply(data, edit)
    segments = json_segments(text)
    if segments is None:
        return textedit.rewrite(text, index, data, check=True), index
    body = textedit.rewrite(segments[index].body, 0, data, check=True)
    return render_stream(text, segments, index, body), index


__all__ = ["Edit", "ManifestError", "Match", "PathError", "apply", "apply_edits", "parse_path"]
