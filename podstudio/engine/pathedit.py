"""Edits given as field paths, in the builder's path syntax, applied to a file's text.

Paths are the API server's (``spec.containers[0].resources.limits.memory``), with map keys
that hold dots or slashes in brackets (``metadata.labels[app.kubernetes.io/name]``) and list
items chosen by name as well as by index (``spec.containers[name=web].image``). Setting a
path creates the mappings on its way; an index one past the end appends an item. The text is
then rewritten by ``textedit``, so only what the edits change is touched.
"""

import copy
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from podstudio.engine import textedit
from podstudio.engine.documents import Document, Segment, read_documents, render_stream
from podstudio.engine.patterns import compile_lazily
from podstudio.engine.yamlio import MAX_DEPTH, ManifestError

_TOKEN = compile_lazily(r"([^.\[\]]+)|\[([^\]]*)\]|(\.)")
_SELECTOR = compile_lazily(r"^([A-Za-z_][A-Za-z0-9_-]*)=(.*)$")

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
    after_dot = True  # (a path cannot start with ".")
    for match in _TOKEN.finditer(text):
        if match.start() != position:
            raise PathError(f"cannot read the path {path!r} at {text[position:]!r}")
        position = match.end()
        name, bracket, dot = match.groups()
        if dot:
            if after_dot:
                raise PathError(f"the path {path!r} has an empty step (a '.' with no name)")
            after_dot = True
            continue
        after_dot = False
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
    if after_dot and steps:
        raise PathError(f"the path {path!r} has an empty step (it ends in '.')")
    if position != len(text) or not steps:
        raise PathError(f"cannot read the path {path!r}")
    if len(steps) > MAX_DEPTH:  # no file that can be read nests so deep
        raise PathError(
            f"the path has {len(steps)} steps, more than the {MAX_DEPTH} levels a manifest nests"
        )
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
def _file(text: str) -> tuple[tuple[Segment, ...], tuple[Document, ...]]:
    """The file cut into documents and read one by one, as ``podstudio analyze`` and the
    builder read it (a document that cannot be read keeps its error), once per text."""
    segments, documents = read_documents(text)
    return tuple(segments), tuple(documents)


def documents_data(text: str) -> tuple[Any, ...]:
    """What each document with content holds (``None`` for one that cannot be read): the
    command reads it to choose the document, to type the values and to edit it."""
    return tuple(None if document.error else document.data for document in _file(text)[1])


def choose_document(text: str, document: int | None) -> int:
    """The document an edit applies to, counted from 0 among the documents with content, as
    ``podstudio analyze`` and the builder number them (an empty one between two ``---`` is
    none): the one asked for, or the only one, or the only Pod or workload. Another document
    that cannot be read (a Secret with a ``{{TOKEN}}``) is kept as it is; the chosen one must
    be readable."""
    documents = _file(text)[1]
    if document is not None:
        if not 0 <= document < len(documents):
            raise PathError(
                f"there is no document {document}: the file has {len(documents)} (counted from 0)"
            )
        chosen = document
    elif len(documents) == 1:
        chosen = 0
    else:
        workloads = [
            index
            for index, found in enumerate(documents)
            if not found.error
            and isinstance(found.data, dict)
            and found.data.get("kind") in WORKLOAD_KINDS
        ]
        if not documents:
            raise PathError("the file holds no document to edit")
        if len(workloads) != 1:
            raise PathError(
                f"the file has {len(documents)} documents: choose one with --document N (from 0)"
            )
        chosen = workloads[0]
    if documents[chosen].error:
        where = f"document {chosen}: " if len(documents) > 1 else ""
        raise ManifestError(f"{where}{documents[chosen].error}")
    return chosen


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
    segments, documents = _file(text)
    data = documents[index].data
    for edit in edits:
        data = apply(data, edit)
    segment = documents[index].segment
    body = textedit.rewrite(segments[segment].body, 0, data, check=True)
    return render_stream(text, list(segments), segment, body), index


__all__ = ["Edit", "ManifestError", "Match", "PathError", "apply", "apply_edits", "parse_path"]
