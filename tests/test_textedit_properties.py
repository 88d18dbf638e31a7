"""Property tests: every manifest of the repository, with comments, blank lines, quotes and CRLF
added at random places, edited at a random place, changes only there and reads back as the
edited data (``load_manifest``, and the canonical writer gives the same text)."""

import re

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from podstudio.engine.sourcemap import MAPPING, SCALAR, SEQUENCE, read_source
from podstudio.engine.textedit import rewrite, same
from podstudio.engine.yamldump import dump_manifest
from podstudio.engine.yamlio import ManifestError, load_manifest
from tests.textedit_helpers import (
    REMOVE,
    REPOSITORY_MANIFESTS,
    changed_region,
    document_places,
    other_value,
    read_text,
    with_value,
)

TEXTS = [read_text(path) for path in REPOSITORY_MANIFESTS]
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

notes = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff"),
    max_size=24,
)
decorations = st.lists(
    st.tuples(
        st.sampled_from(["comment line", "trailing comment", "blank line", "quotes", "spaces"]),
        st.integers(0, 10_000),
        notes,
    ),
    max_size=10,
)
_PLAIN_VALUE = re.compile(r"^(\s*(?:- )?[\w./-]+:[ ]+)([^'\"\s#&*!|>{\[][^#]*?)\s*$")


def _data(text: str):
    try:
        return read_source(text).documents[0].data
    except (ManifestError, IndexError):
        return None


def decorate(text: str, steps, crlf: bool) -> str:
    """``text`` with each decoration that keeps its data (others are left out)."""
    data = _data(text)
    for kind, where, note in steps:
        lines = text.split("\n")
        index = where % len(lines)
        line = lines[index]
        indent = len(line) - len(line.lstrip(" "))
        if kind == "comment line":
            lines.insert(index, " " * (indent if where % 2 else 0) + "# " + note)
        elif kind == "trailing comment":
            lines[index] = line + "  # " + note
        elif kind == "blank line":
            lines.insert(index, "")
        elif kind == "quotes":
            match = _PLAIN_VALUE.match(line)
            if not match:
                continue
            quote = '"' if where % 2 else "'"
            lines[index] = match.group(1) + quote + match.group(2) + quote
        else:
            lines[index] = line.replace(": ", ":" + " " * (1 + where % 4), 1)
        candidate = "\n".join(lines)
        if same(_data(candidate), data):
            text = candidate
    return text.replace("\n", "\r\n") if crlf else text


def _check(result: str, data) -> None:
    """The edited text reads as exactly the edited data."""
    assert same(read_source(result).documents[0].data, data)
    loaded = load_manifest(result)
    assert same(loaded, data)
    assert dump_manifest(loaded) == dump_manifest(data)


@PROPERTY
@given(st.sampled_from(TEXTS), decorations, st.booleans())
def test_no_edit_gives_the_decorated_file_back(text, steps, crlf):
    text = decorate(text, steps, crlf)
    assert rewrite(text, 0, read_source(text).documents[0].data) == text


@PROPERTY
@given(st.sampled_from(TEXTS), decorations, st.booleans(), st.integers(0, 10_000))
def test_editing_one_value_changes_exactly_its_text(text, steps, crlf, pick):
    text = decorate(text, steps, crlf)
    data = read_source(text).documents[0].data
    scalars = [
        (k, n) for k, n, _ in document_places(text) if n.kind == SCALAR and k and k != ("kind",)
    ]
    assume(scalars)
    keys, node = scalars[pick % len(scalars)]
    edited = with_value(data, keys, other_value(node.data))
    result = rewrite(text, 0, edited)
    _check(result, edited)
    start, end_before, _ = changed_region(text, result)
    assert node.content <= start and end_before <= node.end


@PROPERTY
@given(st.sampled_from(TEXTS), decorations, st.booleans(), st.integers(0, 10_000))
def test_removing_a_field_takes_one_stretch_of_its_own_text(text, steps, crlf, pick):
    text = decorate(text, steps, crlf)
    data = read_source(text).documents[0].data
    parents = {keys: node for keys, node, _ in document_places(text)}
    removable = [
        keys
        for keys, _, _ in document_places(text)
        if keys
        and keys not in (("kind",), ("apiVersion",))  # the reader needs both
        and len(parents[keys[:-1]].entries) > 1
        and parents[keys[:-1]].style == "block"
    ]
    assume(removable)
    keys = removable[pick % len(removable)]
    edited = with_value(data, keys, REMOVE)
    result = rewrite(text, 0, edited)
    _check(result, edited)
    start, end_before, end_after = changed_region(text, result)
    assert end_after == start  # only a deletion
    removed = text[start:end_before]
    # what went is the field itself, its comments and layout: the rest is all still there
    assert removed.strip()


values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=12),
    lambda children: (
        st.lists(children, min_size=1, max_size=3)
        | st.dictionaries(
            st.text("abcxyz-", min_size=1, max_size=6), children, min_size=1, max_size=3
        )
    ),
    max_leaves=6,
)


@PROPERTY
@given(st.sampled_from(TEXTS), decorations, st.booleans(), st.integers(0, 10_000), values)
def test_adding_a_field_or_item_only_inserts_text(text, steps, crlf, pick, value):
    text = decorate(text, steps, crlf)
    data = read_source(text).documents[0].data
    places = [(k, n) for k, n, _ in document_places(text) if n.kind in (MAPPING, SEQUENCE)]
    keys, node = places[pick % len(places)]
    if node.kind == MAPPING:
        new = {**node.data, "zz-added": value}
    else:
        position = pick % (len(node.data) + 1)
        new = [*node.data[:position], value, *node.data[position:]]
    edited = with_value(data, keys, new)
    result = rewrite(text, 0, edited)
    _check(result, edited)
    start, end_before, _ = changed_region(text, result)
    if node.style == "flow" and node.entries:
        assert node.content <= start and end_before <= node.end
    elif node.style == "flow":  # "key: {}" grows into a block below the key
        # A comment after it stays on the key's line, above the block: that line may change.
        line_end = text.find("\n", node.end) % (len(text) + 1)
        assert text.rfind("\n", 0, node.start) < start and end_before <= line_end
        comment = text[node.end : line_end].strip()
        assert comment in result[start:]
    else:
        assert end_before == start  # only an insertion
