"""The YAML highlighter: escaped, one numbered line per YAML line, text unchanged for copying."""

import html
import re
from pathlib import Path

import pytest

from podstudio.builder.highlight import highlight_yaml
from podstudio.engine.yamlio import dump_manifest, load_manifest

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
