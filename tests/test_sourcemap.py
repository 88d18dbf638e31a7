"""The source map reads every file exactly as yamlio does, and knows where each value stands."""

import pytest

from podstudio.engine import yamlio
from podstudio.engine.sourcemap import read_source
from podstudio.engine.textedit import same
from podstudio.engine.yamlio import ManifestError
from tests.textedit_helpers import FORMATTING, REPOSITORY_MANIFESTS, document_places, read_text
from tests.yaml_scalars import REFUSED, SCALARS


@pytest.mark.parametrize("path", REPOSITORY_MANIFESTS, ids=lambda p: p.name)
def test_it_reads_the_same_data_as_yamlio(path):
    text = read_text(path)
    assert same(read_source(text).documents[0].data, yamlio._parse(text))


@pytest.mark.parametrize("text", sorted(SCALARS))
def test_scalars_and_keys_read_as_kubectl_reads_them(text):
    document = f"v: {text}\n{text}: v\nl: [{text}]\n"
    try:
        expected = yamlio._parse(document)
    except ManifestError as exc:
        with pytest.raises(ManifestError, match=str(exc)[:20]):
            read_source(document)
        return
    assert SCALARS[text] is REFUSED or same(read_source(document).documents[0].data, expected)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",
        "a: *nowhere\n",
        "a: &x [*x]\n",
        "[1, 2\n",
        "? [a]\n: 1\n",
        "<<: 5\n",
        "a: .inf\n",
        "[" * 70 + "]" * 70 + "\n",
        "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}"
            f", *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
            f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
            for i in range(6)
        ),
    ],
    ids=[
        "duplicate",
        "undefined alias",
        "recursive",
        "unclosed",
        "collection key",
        "bad merge",
        "infinity",
        "too deep",
        "alias bomb",
    ],
)
def test_it_refuses_what_yamlio_refuses_with_the_same_message(text):
    with pytest.raises(ManifestError) as expected:
        yamlio._parse(text)
    with pytest.raises(ManifestError) as got:
        read_source(text)
    assert str(got.value) == str(expected.value)


@pytest.mark.parametrize("path", FORMATTING, ids=lambda p: p.name)
def test_every_value_s_place_holds_its_text(path):
    text = read_text(path)
    for index in range(len(read_source(text).documents)):
        for keys, node, _ in document_places(text, index):
            if node.kind == "scalar" and node.style in ("", "'", '"') and node.end > node.content:
                written = text[node.content : node.end]
                reread = read_source(f"v: {written}\n" if "\n" not in written else f"v: {written}")
                if keys and not isinstance(keys[-1], int) and "\n" not in written:
                    assert same(reread.documents[0].data["v"], node.data), (keys, written)


def test_the_file_style_is_read_from_the_file():
    four = read_source(read_text(next(p for p in FORMATTING if "four-spaces" in p.name)))
    assert (four.style.map_indent, four.style.seq_indent, four.style.item_indent) == (4, 4, 4)
    crlf = read_source(read_text(next(p for p in FORMATTING if "crlf" in p.name)))
    assert crlf.newline == "\r\n" and crlf.style.seq_indent == 0


def test_backslash_quotes_read_as_go_yaml_reads_them_with_offsets_of_the_text():
    """``\\'`` in double quotes is ``'`` to go-yaml (libyaml refuses it): the data is yamlio's
    and each place still holds its own text, across several strings and documents."""
    text = 'a: "it\\\'s"\nb: "x\\\'y\\\'z"  # two\nc: [d, "\\\'e"]\n---\nf: "g\\\'"\nh: plain\n'
    source = read_source(text)
    first, second = source.documents
    assert first.data == {"a": "it's", "b": "x'y'z", "c": ["d", "'e"]}
    assert second.data == {"f": "g'", "h": "plain"}
    places = {key.data: text[value.start : value.end] for key, value in first.root.entries}
    assert places == {"a": '"it\\\'s"', "b": "\"x\\'y\\'z\"", "c": '[d, "\\\'e"]'}
    places = {key.data: text[value.start : value.end] for key, value in second.root.entries}
    assert places == {"f": '"g\\\'"', "h": "plain"}
    assert yamlio._parse(text.split("---\n")[0]) == first.data


def test_keys_go_yaml_tells_apart_by_type_read_as_yamlio_reads_them():
    """``1`` and ``'1'`` are two keys to go-yaml (the API server keeps one); ``1`` twice, or a
    merge setting a key written too, is refused by both readers alike."""
    text = "labels: {1: a, '1': b}\nother: x\n"
    assert read_source(text).documents[0].data == yamlio._parse(text)
    for refused in ("a: {1: x, 1: y}\n", "b: &b {k: 1}\nc:\n  <<: *b\n  k: 2\n"):
        with pytest.raises(ManifestError) as from_yamlio:
            yamlio._parse(refused)
        with pytest.raises(ManifestError) as from_sourcemap:
            read_source(refused)
        assert str(from_sourcemap.value) == str(from_yamlio.value)
