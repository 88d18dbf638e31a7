"""The YAML highlighter: escaped, one numbered line per YAML line, text unchanged for copying."""

import html
import re
from pathlib import Path

import pytest

from podstudio.builder.highlight import highlight_yaml
from podstudio.engine.yamldump import dump_manifest
from podstudio.engine.yamlio import load_manifest

SEED = sorted((Path(__file__).parent / "manifests" / "seed").glob("*.yaml"))


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


@pytest.mark.parametrize("path", SEED, ids=lambda p: p.stem)
def test_the_text_is_exactly_the_yaml(path):
    text = dump_manifest(load_manifest(path.read_text()))
    markup = highlight_yaml(text)
    assert _text(markup) == text.rstrip("\n")
    assert markup.count('<span class="line">') == len(text.rstrip("\n").split("\n"))


def test_keys_strings_numbers_and_booleans_get_their_class():
    markup = highlight_yaml("name: web\nport: 80\nreadOnly: true\nversion: '1.0'\n")
    assert '<span class="k">name</span>' in markup
    assert '<span class="s">web</span>' in markup
    assert '<span class="n">80</span>' in markup
    assert '<span class="b">true</span>' in markup
    assert "<span class=\"s\">'1.0'</span>" in markup


def test_block_scalars_are_strings_to_their_end():
    markup = highlight_yaml("args:\n- |\n  echo a: b\n  echo 1\nname: x\n")
    lines = markup.split("\n")
    assert lines[2] == '<span class="line"><span class="s">  echo a: b</span></span>'
    assert '<span class="k">name</span>' in lines[4]


def test_everything_is_escaped():
    markup = highlight_yaml('name: "<script>alert(1)</script>"\n<b>: x\n')
    assert "<script>" not in markup and "<b>" not in markup
    assert "&lt;script&gt;" in markup


def test_long_values_are_highlighted_like_short_ones():
    short = highlight_yaml("command: echo hello # a comment\n")
    long_text = "echo " + "x" * 300
    markup = highlight_yaml(f"command: {long_text} # a comment\n")
    assert markup == short.replace("echo hello", long_text)


# --- any YAML -------------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from podstudio.builder.highlight import (  # noqa: E402
    _by_events,
    _by_lines,
    _scalar_spliced,
    _spliced,
)
from tests.test_textedit_properties import TEXTS, decorate, decorations  # noqa: E402
from tests.textedit_helpers import FORMATTING, read_text  # noqa: E402


def _classes(markup: str) -> list[tuple[str, str | None]]:
    """Each visible character with the class of the span around it (None outside spans)."""
    found = []
    for line in markup.split("\n"):
        for match in re.finditer(r'<span class="(\w)">([^<]*)</span>|<[^>]+>|([^<]+)', line):
            css, inside, outside = match.groups()
            text = html.unescape(inside if css else outside or "")
            found += [(char, css) for char in text if not char.isspace()]
        found.append(("\n", None))
    return found


@pytest.mark.parametrize("path", FORMATTING, ids=lambda p: p.name)
def test_any_yaml_keeps_its_text_and_lines(path):
    text = read_text(path)
    markup = highlight_yaml(text)
    assert _text(markup) == text.rstrip("\n")
    assert markup.count('<span class="line">') == len(text.rstrip("\n").split("\n"))


def test_flow_maps_anchors_aliases_and_tags_are_classed_as_the_parser_reads_them():
    text = (
        "resources: &res {requests: {cpu: 100m, memory: 64Mi}}  # shared\n"
        "other: *res\n"
        "kind: !!str Pod\n"
        "list: [y, 1e3, 'a b', ~]\n"
    )
    markup = highlight_yaml(text)
    for piece in (
        '<span class="k">requests</span>',
        '<span class="k">cpu</span>',
        '<span class="s">100m</span>',
        '<span class="b">&amp;res</span>',
        '<span class="b">*res</span>',
        '<span class="b">!!str</span>',
        '<span class="b">y</span>',  # go-yaml v2 reads y as true
        '<span class="n">1e3</span>',
        "<span class=\"s\">'a b'</span>",
        '<span class="c"># shared</span>',
    ):
        assert piece in markup


def test_multi_line_flow_maps_and_strings_are_read_across_lines():
    text = '{a: 1,\n  "b c": "two\n  lines", d: [x,\n  z]}  # end\n'
    markup = highlight_yaml(text)
    assert _text(markup) == text.rstrip("\n")
    lines = markup.split("\n")
    assert '<span class="k">"b c"</span>' in lines[1]
    assert '<span class="s">"two</span>' in lines[1]
    assert lines[2].startswith('<span class="line"><span class="s">  lines"</span>')
    assert '<span class="s">z</span>' in lines[3] and '<span class="c"># end</span>' in lines[3]


def test_a_comment_in_a_block_scalar_is_part_of_the_string():
    markup = highlight_yaml("a:\n  b: |\n    # not a comment\n  c: 1 # a comment\n")
    lines = markup.split("\n")
    assert '<span class="c">' not in lines[2] and '<span class="s">' in lines[2]
    assert '<span class="c"># a comment</span>' in lines[3]


def test_text_libyaml_cannot_read_is_escaped_line_by_line():
    text = "a: [1, 2\nb: <c>\n"
    markup = highlight_yaml(text)
    assert _text(markup) == text.rstrip("\n") and "<c>" not in markup


@pytest.mark.parametrize("path", FORMATTING, ids=lambda p: p.name)
def test_the_line_highlighter_and_the_parser_agree_on_the_corpus(path):
    text = read_text(path)
    by_lines = _by_lines(text)
    if by_lines is not None:
        assert _classes(by_lines) == _classes(_by_events(text))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TEXTS), decorations, st.booleans(), st.booleans())
def test_the_line_highlighter_classes_every_character_as_the_parser_does(text, steps, crlf, canon):
    text = decorate(text, steps, crlf)
    if canon:
        text = dump_manifest(load_manifest(text))
    by_events = _by_events(text)
    assert _text(by_events) == text.rstrip("\n")
    by_lines = _by_lines(text)
    if by_lines is not None:
        assert _classes(by_lines) == _classes(by_events)
    assert highlight_yaml(text) == (by_lines if by_lines is not None else by_events)


def test_every_shipped_manifest_takes_the_cached_line_path():
    """The builder's keystroke speed relies on it for canonical YAML and plain author files."""
    for text in TEXTS:
        assert _by_lines(text) is not None
        assert _by_lines(dump_manifest(load_manifest(text))) is not None


# --- an edited file, from its original's markup --------------------------------------------

from podstudio.engine.sourcemap import read_source  # noqa: E402
from podstudio.engine.textedit import rewrite  # noqa: E402
from tests.textedit_helpers import (  # noqa: E402
    REMOVE,
    document_places,
    other_value,
    with_value,
)


@pytest.mark.parametrize("path", FORMATTING, ids=lambda p: p.name)
def test_an_edited_file_is_classed_as_the_parser_reads_it(path):
    """Every scalar edit, removal and added field of the corpus, highlighted from the original's
    markup, gives each character the class the parser gives it."""
    text = read_text(path)
    for index, document in enumerate(read_source(text).documents):
        for keys, node, _ in document_places(text, index):
            edits = [with_value(document.data, keys, other_value(node.data))]
            if keys:
                edits.append(with_value(document.data, keys, REMOVE))
            if node.kind == "mapping":
                edits.append(with_value(document.data, keys, {**node.data, "zz": {"a": [1]}}))
            for data in edits:
                result = rewrite(text, index, data)
                markup = highlight_yaml(result, base=text)
                assert _text(markup) == result.rstrip("\n")
                assert _classes(markup) == _classes(_by_events(result)), (keys, result)


def test_an_edited_file_reuses_the_markup_of_the_lines_it_kept():
    text = read_text(next(p for p in FORMATTING if p.name == "tags-and-odd-scalars.yaml"))
    assert _by_lines(text) is None  # a file the line highlighter cannot read alone
    result = text.replace("busybox:1.36", "busybox:1.37")
    spliced = _spliced(result, text)
    assert spliced is not None and _classes(spliced) == _classes(_by_events(result))
    # a change of lines inside a multi-line flow collection needs the parser again...
    flowing = read_text(next(p for p in FORMATTING if p.name == "flow-and-quoted-keys.yaml"))
    assert _spliced(flowing.replace("sleep 3600", "sleep 60"), flowing) is None
    # ...unless it stays inside one scalar: a keystroke in a JSON file's field
    json_text = read_text(next(p for p in FORMATTING if p.suffix == ".json"))
    for old, new in (
        ('"from-json"', '"from-json-2"'),
        ('"nginx:1.27"', '"nginx:1.28"'),
        ("80", "8080"),
    ):
        edited = json_text.replace(old, new)
        spliced = _scalar_spliced(edited, json_text)
        assert spliced is not None and _classes(spliced) == _classes(_by_events(edited))
    # a value that stops being one scalar is left to the parser
    assert _scalar_spliced(json_text.replace('"json"', '"json", "x": 1'), json_text) is None
