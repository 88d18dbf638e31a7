"""The lines a report gives are the same whether a document's line index is made while it is
read (``read_documents(..., with_lines=True)``, the CLI and the API) or by a second parse of
its body (``line_index``)."""

from pathlib import Path

import pytest

from podstudio.engine.documents import line_index, read_documents, read_text

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(
    path
    for folder in ("tests/regressions", "tests/manifests", "lessons/content", "podstudio/builder")
    for path in (ROOT / folder).rglob("*")
    if path.suffix in (".yaml", ".yml", ".json") and path.is_file()
)

ODD = [
    "a: &x {b: 1}\nc: *x\nd:\n  <<: *x\n  e: [1, 2, {f: 3}]\n",
    "- a\n- &y b\n- *y\n- {c: d}\n- [e, [f]]\n",
    "x: 1\ny: {a: 1}\n'q': \"w\"\n80: a\n",
    "a: |\n  text\n  more\nb: >\n  folded\nc:\n- 1\n",
    "a: &a\n  b: &b [1, 2]\n  c: *b\nd: *a\n",
    '{"a": {"b": [1, 2, {"c": 3}]},\n "d": "e"}',
    "a:\n  - b: 1\n    c: 2\n  -\n    - d: 3\n",
    "---\na: 1\n---\nb:\n  c: [x, y]\n---\n",
]


def _compare(text: str) -> int:
    segments, documents = read_documents(text, with_lines=True)
    recorded = 0
    for document in documents:
        if document.error:
            continue
        if document._lines is not None:
            recorded += 1
            assert document._lines == line_index(segments[document.segment].body)
    return recorded


@pytest.mark.parametrize("text", ODD)
def test_lines_made_while_reading_match_a_second_parse(text):
    assert _compare(text) >= 1


def test_lines_made_while_reading_match_in_every_shipped_and_test_manifest():
    assert len(FILES) > 100
    recorded = sum(_compare(read_text(path.read_bytes())) for path in FILES if path.stat().st_size)
    assert recorded > 100


def test_each_key_and_list_item_has_its_own_line():
    body = "spec:\n  containers:\n  - name: a\n    image: b\n  -\n    name: c\n  volumes: []\n"
    containers = ("spec", "containers")
    expected = {
        ("spec",): 0,
        containers: 1,
        (*containers, 0): 2,
        (*containers, 0, "name"): 2,
        (*containers, 0, "image"): 3,
        (*containers, 1): 5,
        (*containers, 1, "name"): 5,
        ("spec", "volumes"): 6,
    }
    _, documents = read_documents(body, with_lines=True)
    assert documents[0]._lines == expected
    assert line_index(body) == expected
