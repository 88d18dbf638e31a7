"""Shared by the text-edit tests: the places of a file's values, and where two texts differ."""

from pathlib import Path
from typing import Any

from podstudio.engine.sourcemap import ALIAS, MAPPING, SEQUENCE, Node, read_source, walk
from tests.content_files import EXAMPLES

ROOT = Path(__file__).resolve().parent.parent
FORMATTING = sorted((ROOT / "tests" / "manifests" / "formatting").iterdir())
REPOSITORY_MANIFESTS = sorted(
    [
        *(ROOT / "tests" / "manifests" / "seed").glob("*.yaml"),
        *(ROOT / "tests" / "manifests" / "rich").glob("*.yaml"),
        *EXAMPLES,
        *(ROOT / "podstudio" / "builder" / "gallery").glob("*.yaml"),
    ]
)


def read_text(path: Path) -> str:
    """A file's text exactly as stored (line endings kept)."""
    return path.read_bytes().decode("utf-8")


def changed_region(before: str, after: str) -> tuple[int, int, int]:
    """``(start, end_before, end_after)``: ``before[start:end_before]`` became
    ``after[start:end_after]`` and everything around it is the same."""
    start = 0
    limit = min(len(before), len(after))
    while start < limit and before[start] == after[start]:
        start += 1
    end_before, end_after = len(before), len(after)
    while (
        end_before > start and end_after > start and before[end_before - 1] == after[end_after - 1]
    ):
        end_before -= 1
        end_after -= 1
    return start, end_before, end_after


def places(node: Node | None, keys: tuple = (), through_alias: bool = False):
    """Every node with its key path; ``shared`` marks nodes an alias or anchor ties to others."""
    if node is None:
        return
    shared = through_alias or any(
        current.kind == ALIAS or current.anchor is not None for current in walk(node)
    )
    yield keys, node, shared
    if node.kind == MAPPING:
        merged = bool(node.merges)
        for index, (key, value) in enumerate(node.entries):
            if index in node.merges:
                continue
            yield from places(value, (*keys, key.data), shared or merged)
    elif node.kind == SEQUENCE:
        for index, item in enumerate(node.entries):
            yield from places(item, (*keys, index), shared)


def document_places(text: str, document: int = 0):
    return list(places(read_source(text).documents[document].root))


def with_value(data: Any, keys: tuple, value: Any) -> Any:
    """A copy of ``data`` with the value at ``keys`` replaced (``_REMOVE`` removes it)."""
    if not keys:
        return value
    head, rest = keys[0], keys[1:]
    if isinstance(data, dict):
        copy = dict(data)
        if rest or value is not REMOVE:
            copy[head] = with_value(data[head], rest, value)
        else:
            del copy[head]
        return copy
    copy = list(data)
    if rest or value is not REMOVE:
        copy[head] = with_value(data[head], rest, value)
    else:
        del copy[head]
    return copy


REMOVE = object()


def other_value(value: Any) -> Any:
    """A different value of the same type, for an edit."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 7
    if isinstance(value, float):
        return value * 2 + 0.25
    if value is None:
        return "now-set"
    return f"{value}-edited" if value else "edited"
