"""Tags as go-yaml v2's scanner reads them, given to libyaml.

go-yaml takes every URI character into a tag, "," "[" and "]" included; libyaml ends a tag at
them. ``with_go_tags`` hands libyaml a text of the same length in which such a tag reads whole.
"""

import re

import yaml

from podstudio.engine.patterns import compile_lazily

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# A tag (not ``!<...>``) at the start of a node, with a "," "[" or "]" in what follows it.
_TAG_BEFORE_FLOW_CHARACTER = compile_lazily(
    r"(?:^|(?<=[\s\[\]{},]))!(?!<)[^\s\[\]{},]*[,\[\]]", re.M
)
# What go-yaml v2 reads as a tag's characters (yaml_parser_scan_tag_uri), "," "[" "]" included.
_GO_TAG_CHARACTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_;/?:@&=+$,.!~*'()[]%"
)
_FLOW_CHARACTERS = (",", "[", "]")
_FLOW_CHARACTERS_AS_TILDES = str.maketrans(",[]", "~~~")


def with_go_tags(text: str, budget: int) -> str:
    """``text`` with the tags go-yaml reads on past a "," "[" or "]" given to libyaml whole.

    libyaml ends a tag at those characters; go-yaml v2 reads them as part of it, so
    ``[!!str, x]`` is the one-item list ``["x"]`` to the API server, ``a: !!str, x`` is "x",
    and ``{a: !t, b: c}`` cannot be read. Each such character of a tag becomes a "~" (a tag
    character to both): every place in the text stays, and the tag, unknown to go-yaml with
    its comma or bracket, stays unknown (no known tag has a "~"), so its value is read as text.
    Each round reads the text once and lengthens every tag it found cut short; the next reads
    what follows them as it now reads (up to ``budget`` characters read in all).
    """
    if "!" not in text or not _TAG_BEFORE_FLOW_CHARACTER.search(text):
        return text  # (nearly every file: no tag, or none a "," "[" "]" follows)
    read = 0
    while read < budget:
        cut_short, read_to = _tags_cut_short(text)
        read += read_to
        if not cut_short:
            return text
        pieces, start = [], 0
        for end in cut_short:
            stop = end
            while stop < len(text) and text[stop] in _GO_TAG_CHARACTERS:
                stop += 1
            pieces += [text[start:end], text[end:stop].translate(_FLOW_CHARACTERS_AS_TILDES)]
            start = stop
        text = "".join(pieces) + text[start:]
    return text  # (the reader says what is wrong with what is left)


def _tags_cut_short(text: str) -> tuple[list[int], int]:
    """Where libyaml ends each tag that go-yaml reads on (at a "," "[" or "]"), up to the
    first one libyaml cannot read past; and how far it read."""
    found: list[int] = []
    parser = _LOADER(text)
    try:
        while (token := parser.get_token()) is not None:
            if type(token) is yaml.TagToken and token.value[0] is not None:  # not ``!<...>``
                end = token.end_mark.index
                if text[end : end + 1] in _FLOW_CHARACTERS:
                    found.append(end)
    except yaml.reader.ReaderError as exc:
        return found, exc.position  # a character YAML forbids: the reader names it later
    except yaml.YAMLError as exc:
        mark = exc.problem_mark
        in_a_tag = exc.context == "while scanning a tag" and mark is not None
        if in_a_tag and text[mark.index : mark.index + 1] in _FLOW_CHARACTERS:
            found.append(mark.index)
        return found, mark.index if mark is not None else len(text)
    finally:
        parser.dispose()
    return found, len(text)
